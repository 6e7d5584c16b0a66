// How each component of a dossier came to be digital (Decision 766, indicator 4.2 "hồ sơ thực hiện số hoá"): scanned at
// the counter by the receiving officer, submitted electronically by the applicant, or reused from an earlier dossier.
// A dossier with at least one such file counts as digitised (docs/reports.md).
import type { Knex } from 'knex'

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('dossier_attachments', (t) => {
    t.text('digitisation')
  })
  // Existing rows, by the same rule as attach.ts: reused, or uploaded by staff (at the counter) or by the applicant.
  await knex.raw(`UPDATE dossier_attachments a
                     SET digitisation = CASE WHEN a.reused_from_dossier_code IS NOT NULL THEN 'reused'
                                             WHEN EXISTS (SELECT 1 FROM files f JOIN users u ON u.id = f.created_by
                                                           WHERE f.id = a.file_id
                                                             AND u.kind IN ('officer', 'supervisor', 'analyst', 'administrator'))
                                               THEN 'scanned_at_counter'
                                             ELSE 'submitted_online' END`)
  await knex.raw(`ALTER TABLE dossier_attachments
                    ALTER COLUMN digitisation SET NOT NULL,
                    ADD CONSTRAINT dossier_attachments_digitisation_check
                      CHECK (digitisation IN ('scanned_at_counter', 'submitted_online', 'reused'))`)
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('dossier_attachments', (t) => {
    t.dropChecks(['dossier_attachments_digitisation_check'])
    t.dropColumn('digitisation')
  })
}
