// Failed logins counted per (account, client address) pair and per account, so a lock-out cannot be triggered by
// anyone for anyone (the account's own lock columns are no longer used), and several processes share the count.
import type { Knex } from 'knex'

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('login_throttle', (t) => {
    // SHA-256 of 'pair\n<username>\n<address>' or 'account\n<username>': the names typed are not stored.
    t.text('key').primary()
    t.text('scope').notNullable() // 'pair' | 'account'
    t.integer('failures').notNullable()
    t.timestamp('last_failure_at', { useTz: true }).notNullable()
    t.timestamp('blocked_until', { useTz: true })
    t.index(['last_failure_at'])
  })
  // Locks set by the old rule (5 failures from anywhere) are lifted.
  await knex('users').update({ failed_logins: 0, locked_until: null })
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('login_throttle')
}
