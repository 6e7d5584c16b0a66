// The indexes a step's handling unit is read by: units by agency code (`agency:<code>`), and the steps each unit
// handled. The units' official administrative-unit code (admin_code, by which "the applicant's commune" finds its
// unit) is declared, with its unique index, by the organisation migration (0945).
import type { Knex } from 'knex'

export async function up(knex: Knex): Promise<void> {
  await knex.raw('CREATE INDEX IF NOT EXISTS units_agency_code_idx ON units (agency_code)')
  await knex.raw(
    `CREATE INDEX IF NOT EXISTS dossier_events_step_unit_idx ON dossier_events ((receiver_unit_path COLLATE "C"), finished_at) WHERE kind = 'step'`,
  )
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP INDEX IF EXISTS dossier_events_step_unit_idx')
  await knex.raw('DROP INDEX IF EXISTS units_agency_code_idx')
}
