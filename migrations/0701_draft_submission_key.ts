// A draft remembers the Idempotency-Key of its first submission, so later submissions of it (another tab, another key)
// reuse it.
import type { Knex } from 'knex'

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('dossier_drafts', (t) => {
    t.text('submission_key')
  })
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('dossier_drafts', (t) => {
    t.dropColumn('submission_key')
  })
}
