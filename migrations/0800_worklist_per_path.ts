// The worklist reads each (unit path, candidate groups) pair of open tasks in due order and merges them (issue #7).
import type { Knex } from 'knex'

export async function up(knex: Knex): Promise<void> {
  // Byte order ("C") so a subtree's paths form one range of the index and a path prefix LIKE becomes an index range.
  // The due expression is the worklist's sort key: tasks without a due come last (DossierQueries.worklist).
  await knex.raw(`CREATE INDEX tasks_worklist_pair_idx ON tasks ((unit_path COLLATE "C"), candidate_groups, (coalesce(due_at, '9999-12-31T00:00:00Z'::timestamptz)), user_task_key)
    WHERE state = 'CREATED'`)
  // Superseded: a prefix scan of the whole subtree that had to sort every match.
  await knex.raw('DROP INDEX IF EXISTS tasks_worklist_idx')
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(
    `CREATE INDEX IF NOT EXISTS tasks_worklist_idx ON tasks (unit_path text_pattern_ops, due_at, user_task_key) WHERE state = 'CREATED'`,
  )
  await knex.raw('DROP INDEX IF EXISTS tasks_worklist_pair_idx')
}
