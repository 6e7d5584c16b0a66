// The procedure catalogue: procedures and their versions (definition + BPMN); a published version is immutable.
import type { Knex } from 'knex'

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('procedures', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'))
    t.text('code').notNullable().unique() // national TTHC code, e.g. 1.001193
    t.text('slug').notNullable().unique()
    t.text('name').notNullable()
    t.text('field').notNullable()
    t.text('agency_level').notNullable().checkIn(['tinh', 'huyen', 'xa'])
    t.text('agency').notNullable()
    t.text('online_level').notNullable().checkIn(['toan-trinh', 'mot-phan'])
    // Folded (lower case, no diacritics, đ → d) words with a space at each end: LIKE '% word%'
    // finds word prefixes the same way on PostgreSQL and PGlite, which has no unaccent.
    t.text('search_text').notNullable()
    t.integer('published_version')
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now())
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now())
  })
  // text_pattern_ops serves left-anchored LIKE only; a '%…' pattern scans, which is fine for a
  // catalogue of a few thousand procedures (the national list has ~6,000).
  await knex.raw('CREATE INDEX procedures_search_idx ON procedures (search_text text_pattern_ops)')
  await knex.raw('CREATE INDEX procedures_filters_idx ON procedures (field, agency_level, online_level)')

  await knex.schema.createTable('procedure_versions', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'))
    t.uuid('procedure_id').notNullable().references('procedures.id')
    t.integer('version').notNullable()
    t.text('status').notNullable().checkIn(['draft', 'published'])
    t.jsonb('definition').notNullable()
    t.text('bpmn_xml').notNullable()
    // sha256 of definition + BPMN, so re-seeding an unchanged file publishes nothing new.
    t.text('checksum').notNullable()
    t.text('bpmn_process_id').notNullable()
    t.text('process_definition_key')
    t.integer('process_definition_version')
    t.timestamp('published_at', { useTz: true })
    t.uuid('published_by')
    t.uuid('created_by')
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now())
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now())
    t.unique(['procedure_id', 'version'])
  })
  // At most one draft per procedure: analysts edit one draft, then publish it.
  await knex.raw(
    `CREATE UNIQUE INDEX procedure_versions_one_draft ON procedure_versions (procedure_id) WHERE status = 'draft'`,
  )
  // Running dossiers stay on their version, so a published version must never change or vanish.
  await knex.raw(`
    CREATE FUNCTION procedure_versions_published_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF OLD.status = 'published' THEN
        RAISE EXCEPTION 'procedure version % of % is published and cannot be changed', OLD.version, OLD.procedure_id;
      END IF;
      IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
      RETURN NEW;
    END $$;
    CREATE TRIGGER procedure_versions_immutable BEFORE UPDATE OR DELETE ON procedure_versions
      FOR EACH ROW EXECUTE FUNCTION procedure_versions_published_immutable();
  `)
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('procedure_versions')
  await knex.raw('DROP FUNCTION IF EXISTS procedure_versions_published_immutable()')
  await knex.schema.dropTable('procedures')
}
