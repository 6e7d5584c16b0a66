// SQL of the health checks: the one statement that tells whether the database answers.
import type { Knex } from 'knex'

/** Resolves when the database answers a trivial query; rejects when it does not. */
export async function pingDatabase(knex: Knex): Promise<void> {
  await knex.raw('select 1')
}
