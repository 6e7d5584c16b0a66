// Where the read model stands in the engine's durable event log, and which process holds the right to advance it.
import type { Knex } from 'knex'

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('read_model_cursors', (t) => {
    t.text('name').primary()
    t.bigInteger('last_event_id').notNullable().defaultTo(0)
    t.text('locked_by')
    t.timestamp('locked_until', { useTz: true })
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now())
  })
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('read_model_cursors')
}
