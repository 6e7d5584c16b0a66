// Electronic results: each signed result document of a dossier, stored once (a file row whose blob the stores keep
// content-addressed) with its SHA-256 and the code its QR link carries; the database refuses to change or delete one.
import type { Knex } from 'knex'

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('dossier_results', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'))
    t.uuid('dossier_id').notNullable().references('dossiers.id')
    // Which of the procedure's result documents (its `resultDocuments[].id`).
    t.text('document_id').notNullable()
    t.text('title').notNullable()
    t.text('result_no').notNullable()
    // Made from the dossier's data by its template, or a PDF the officer brought from elsewhere.
    t.text('source').notNullable().checkIn(['template', 'upload'])
    t.uuid('file_id').notNullable().references('files.id')
    t.text('sha256').notNullable()
    // What the QR link and the public verification page carry: random, unguessable, not the dossier's id.
    t.text('verification_code').notNullable().unique()
    t.text('issuer_name').notNullable()
    // [{ kind: 'person' | 'seal', subject, at }] in signing order.
    t.jsonb('signatures').notNullable().defaultTo('[]')
    t.uuid('signed_by').references('users.id')
    t.timestamp('signed_at', { useTz: true }).notNullable()
    t.unique(['dossier_id', 'document_id'])
    t.index(['sha256'])
  })
  await knex.raw(
    `ALTER TABLE dossier_results ADD CONSTRAINT dossier_results_sha256_hex CHECK (sha256 ~ '^[0-9a-f]{64}$')`,
  )
  await knex.raw(`
    CREATE FUNCTION dossier_results_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN RAISE EXCEPTION 'a signed result is never modified'; END $$;
    CREATE TRIGGER dossier_results_no_change BEFORE UPDATE OR DELETE ON dossier_results
      FOR EACH ROW EXECUTE FUNCTION dossier_results_immutable();
  `)
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('dossier_results')
  await knex.raw('DROP FUNCTION IF EXISTS dossier_results_immutable()')
}
