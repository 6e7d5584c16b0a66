// The official administrative-unit code of a unit (mã đơn vị hành chính: 2 digits for a province, 5 for a commune), by
// which a step handled by "the applicant's commune" finds its unit; and the index a step's handling unit is read by.
// IF NOT EXISTS: the organisation migration (0945) owns the units' codes and may declare the same column.
import type { Knex } from 'knex'

export async function up(knex: Knex): Promise<void> {
  await knex.raw('ALTER TABLE units ADD COLUMN IF NOT EXISTS admin_code text')
  await knex.raw('CREATE INDEX IF NOT EXISTS units_admin_code_idx ON units (admin_code)')
  await knex.raw('CREATE INDEX IF NOT EXISTS units_agency_code_idx ON units (agency_code)')
  await knex.raw(
    `CREATE INDEX IF NOT EXISTS dossier_events_step_unit_idx ON dossier_events ((receiver_unit_path COLLATE "C"), finished_at) WHERE kind = 'step'`,
  )
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP INDEX IF EXISTS dossier_events_step_unit_idx')
  await knex.raw('DROP INDEX IF EXISTS units_agency_code_idx')
  await knex.raw('DROP INDEX IF EXISTS units_admin_code_idx')
  await knex.raw('ALTER TABLE units DROP COLUMN IF EXISTS admin_code')
}
