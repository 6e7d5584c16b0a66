// Indexes for supervision: the overdue list, the report facts of a unit subtree and period, and open steps for
// bottlenecks.
import type { Knex } from 'knex'

export async function up(knex: Knex): Promise<void> {
  // The overdue list: open, accepted, not paused dossiers of a subtree in order of the due statistics judge by (R9).
  await knex.raw(`CREATE INDEX dossiers_supervision_open_idx ON dossiers (unit_path text_pattern_ops, (coalesce(original_due_at, due_at)), id)
    WHERE finished_at IS NULL AND accepted_at IS NOT NULL AND paused = false`)
  // Report facts: accepted dossiers of a subtree not finished before the period (open ones, or finished since).
  await knex.raw(
    `CREATE INDEX dossiers_supervision_report_idx ON dossiers (unit_path text_pattern_ops, finished_at) WHERE accepted_at IS NOT NULL`,
  )
  // Bottlenecks: step rows finished in a period, and those still open.
  await knex.raw(`CREATE INDEX dossier_events_step_finished_idx ON dossier_events (finished_at) WHERE kind = 'step'`)
  await knex.raw(
    `CREATE INDEX dossier_events_step_open_idx ON dossier_events (dossier_id) WHERE kind = 'step' AND finished_at IS NULL`,
  )
}

export async function down(knex: Knex): Promise<void> {
  for (const index of [
    'dossier_events_step_open_idx',
    'dossier_events_step_finished_idx',
    'dossiers_supervision_report_idx',
    'dossiers_supervision_open_idx',
  ]) {
    await knex.raw(`DROP INDEX IF EXISTS ${index}`)
  }
}
