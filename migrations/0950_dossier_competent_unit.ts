// Reception regardless of place (tiếp nhận không phụ thuộc địa giới hành chính, Nghị định 118/2025/NĐ-CP): a dossier
// received at one reception point of the province (the service centre, a branch, a commune) for a procedure another
// unit of the province is competent for records that competent unit. The receiving unit (agency_unit_id, unit_path)
// still numbers the dossier and counts it in report 06a; the competent unit handles the steps after acceptance.
import type { Knex } from 'knex'

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('dossiers', (t) => {
    t.text('competent_unit_id').references('units.id')
    t.text('competent_unit_path')
  })
  await knex.raw(`ALTER TABLE dossiers ADD CONSTRAINT dossiers_competent_unit_check
    CHECK ((competent_unit_id IS NULL) = (competent_unit_path IS NULL))`)
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('dossiers', (t) => {
    t.dropChecks(['dossiers_competent_unit_check'])
    t.dropColumn('competent_unit_path')
    t.dropColumn('competent_unit_id')
  })
}
