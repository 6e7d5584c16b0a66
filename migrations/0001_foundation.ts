// Foundation tables: the organisation tree, accounts, and the append-only audit log.
import type { Knex } from 'knex'

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('units', (t) => {
    t.text('id').primary()
    t.text('parent_id').references('units.id')
    t.text('name').notNullable()
    t.text('name_en')
    t.text('level').notNullable().checkIn(['province', 'department', 'district', 'commune', 'office'])
    // Code in the national directory of agencies (used in dossier codes, e.g. H21.65).
    t.text('agency_code')
    // Materialised path ("/root/child/") so a subtree is one indexed prefix query.
    t.text('path').notNullable()
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now())
  })
  await knex.raw('CREATE INDEX units_path_idx ON units (path text_pattern_ops)')

  await knex.schema.createTable('users', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'))
    t.text('username').notNullable().unique()
    t.text('password_hash').notNullable()
    t.text('kind')
      .notNullable()
      .checkIn(['citizen', 'organisation', 'enterprise', 'officer', 'supervisor', 'analyst', 'administrator'])
    t.text('full_name').notNullable()
    t.text('email')
    t.text('phone')
    t.text('id_number') // CCCD, 12 digits
    t.text('tax_code')
    t.text('unit_id').references('units.id')
    t.specificType('groups', 'text[]').notNullable().defaultTo('{}')
    t.timestamp('email_verified_at', { useTz: true })
    t.integer('failed_logins').notNullable().defaultTo(0)
    t.timestamp('locked_until', { useTz: true })
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now())
  })

  await knex.schema.createTable('audit_events', (t) => {
    t.bigIncrements('id').primary()
    t.timestamp('at', { useTz: true }).notNullable().defaultTo(knex.fn.now())
    t.uuid('actor_id')
    t.text('action').notNullable()
    t.text('subject_type').notNullable()
    t.text('subject_id').notNullable()
    t.jsonb('data').notNullable().defaultTo('{}')
    t.index(['subject_type', 'subject_id', 'id'])
  })
  // The audit log is append-only: updates and deletes are refused by the database itself.
  await knex.raw(`
    CREATE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN RAISE EXCEPTION 'audit_events is append-only'; END $$;
    CREATE TRIGGER audit_events_no_change BEFORE UPDATE OR DELETE ON audit_events
      FOR EACH ROW EXECUTE FUNCTION audit_events_append_only();
  `)
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('audit_events')
  await knex.raw('DROP FUNCTION IF EXISTS audit_events_append_only()')
  await knex.schema.dropTable('users')
  await knex.schema.dropTable('units')
}
