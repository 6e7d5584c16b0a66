// The outbox: side effects (e-mail today) written in the same transaction as the state change, sent later exactly once.
import type { Knex } from 'knex'

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('outbox_messages', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'))
    // Which transport delivers it: 'email' now; 'sms' or calls to other systems later.
    t.text('channel').notNullable()
    // `<eventId>:<recipient>:<template>`: the same event never enqueues the same message twice.
    t.text('dedup_key').notNullable().unique()
    t.jsonb('payload').notNullable()
    t.text('status').notNullable().defaultTo('pending').checkIn(['pending', 'sending', 'sent', 'failed', 'dead'])
    t.integer('attempts').notNullable().defaultTo(0)
    // When it may next be claimed: the retry time when pending/failed, the lease expiry when sending,
    // so one partial index serves the sender's claim query for new, retried and abandoned messages.
    t.timestamp('next_attempt_at', { useTz: true }).notNullable().defaultTo(knex.fn.now())
    t.text('locked_by')
    t.timestamp('locked_until', { useTz: true })
    t.timestamp('sent_at', { useTz: true })
    // 'smtp', or 'log' when no mail relay is configured (demo).
    t.text('delivered_via')
    t.text('last_error')
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now())
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now())
  })
  await knex.raw(`
    CREATE INDEX outbox_messages_due_idx ON outbox_messages (next_attempt_at)
      WHERE status IN ('pending', 'failed', 'sending');
    -- Operators look for what could not be delivered.
    CREATE INDEX outbox_messages_dead_idx ON outbox_messages (updated_at) WHERE status = 'dead';
  `)
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('outbox_messages')
}
