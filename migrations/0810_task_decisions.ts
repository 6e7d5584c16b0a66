// A task remembers the decisions its workflow routes (the user task's `decisions` header), so its decision form offers
// only those.
import type { Knex } from 'knex'

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('tasks', (t) => {
    t.specificType('decisions', 'text[]')
  })
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('tasks', (t) => {
    t.dropColumn('decisions')
  })
}
