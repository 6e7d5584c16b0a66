// Reuse from the applicant's document store ("kho dữ liệu"): an attachment taken from an earlier dossier records which
// dossier and which of its documents it came from (an accepted component's attachment, or a signed result), so the
// file is linked, never copied, and Decision 766's 4.3 counts it. The earlier dossier's code stays in
// reused_from_dossier_code, as the reuse by code has always written it.
import type { Knex } from 'knex'

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('dossier_attachments', (t) => {
    t.uuid('reused_from_dossier_id').references('dossiers.id')
    t.bigInteger('reused_from_attachment_id').references('dossier_attachments.id')
    t.uuid('reused_from_result_id').references('dossier_results.id')
  })
  // A reused attachment names where it came from; an attachment names at most one source document.
  await knex.raw(`ALTER TABLE dossier_attachments
                    ADD CONSTRAINT dossier_attachments_reuse_source_check
                      CHECK (num_nonnulls(reused_from_attachment_id, reused_from_result_id) <= 1
                             AND (reused_from_dossier_id IS NULL OR digitisation = 'reused'))`)
  // The store finds a verified applicant's dossiers by their CCCD too (by account: dossiers_applicant_idx).
  await knex.raw(
    `CREATE INDEX dossiers_applicant_id_number_idx ON dossiers (applicant_id_number) WHERE applicant_id_number IS NOT NULL`,
  )
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP INDEX IF EXISTS dossiers_applicant_id_number_idx')
  await knex.schema.alterTable('dossier_attachments', (t) => {
    t.dropChecks(['dossier_attachments_reuse_source_check'])
    t.dropColumn('reused_from_result_id')
    t.dropColumn('reused_from_attachment_id')
    t.dropColumn('reused_from_dossier_id')
  })
}
