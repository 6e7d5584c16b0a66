// The two-level local government (from 1 July 2025): unit levels for the service centre, vertical agencies and the
// commune with its kind, official administrative-unit codes, the directory of provinces and communes that address
// fields use, and a database-level refusal of new district units (existing ones stay as history).
import type { Knex } from 'knex'

const levels = [
  'province',
  'service_centre',
  'service_centre_branch',
  'department',
  'vertical_agency',
  'commune',
  'office',
  'district',
]

export async function up(knex: Knex): Promise<void> {
  await knex.raw('ALTER TABLE units DROP CONSTRAINT IF EXISTS units_level_check')
  await knex.raw(`ALTER TABLE units ADD CONSTRAINT units_level_check CHECK (level IN (${levels.map((l) => `'${l}'`)}))`)
  await knex.schema.alterTable('units', (t) => {
    // tinh / thanh-pho for a province; xa / phuong / dac-khu for a commune-level unit.
    t.text('kind')
  })
  // Mã đơn vị hành chính: 2 digits for a province, 5 for a commune (by which liên thông finds the applicant's commune).
  await knex.raw('ALTER TABLE units ADD COLUMN IF NOT EXISTS admin_code text')
  await knex.raw(`ALTER TABLE units ADD CONSTRAINT units_kind_check CHECK (kind IS NULL
    OR (level = 'province' AND kind IN ('tinh', 'thanh-pho'))
    OR (level = 'commune' AND kind IN ('xa', 'phuong', 'dac-khu')))`)
  await knex.raw(`ALTER TABLE units ADD CONSTRAINT units_admin_code_check CHECK (admin_code IS NULL
    OR (level = 'province' AND admin_code ~ '^[0-9]{2}$')
    OR (level = 'commune' AND admin_code ~ '^[0-9]{5}$'))`)
  await knex.raw('CREATE UNIQUE INDEX units_admin_code_key ON units (admin_code) WHERE admin_code IS NOT NULL')
  // Districts were abolished on 1 July 2025: rows that exist keep their level (dossiers and reports point at them),
  // but no unit becomes a district any more.
  await knex.raw(`
    CREATE FUNCTION units_no_new_district() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF NEW.level = 'district' AND (TG_OP = 'INSERT' OR OLD.level IS DISTINCT FROM 'district') THEN
        RAISE EXCEPTION 'MC_UNIT_DISTRICT_ABOLISHED: no new district-level unit (abolished on 1 July 2025)'
          USING ERRCODE = 'check_violation';
      END IF;
      RETURN NEW;
    END $$;
    CREATE TRIGGER units_no_new_district BEFORE INSERT OR UPDATE OF level ON units
      FOR EACH ROW EXECUTE FUNCTION units_no_new_district();
  `)

  // The official list (provinces and communes), loaded by `motcua units import`; a unit that is removed from a later
  // list is kept, marked retired, so addresses written before still read.
  await knex.schema.createTable('admin_divisions', (t) => {
    t.text('code').primary()
    t.text('level').notNullable().checkIn(['province', 'commune'])
    t.text('kind').notNullable().checkIn(['tinh', 'thanh-pho', 'xa', 'phuong', 'dac-khu'])
    t.text('name').notNullable()
    t.text('province_code').references('admin_divisions.code')
    // Where the row came from (the data file's source id, or 'demo').
    t.text('source').notNullable()
    t.date('valid_from').notNullable()
    t.timestamp('retired_at', { useTz: true })
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now())
    t.index(['province_code', 'name'])
  })
  await knex.raw(`ALTER TABLE admin_divisions ADD CONSTRAINT admin_divisions_shape_check CHECK (
    (level = 'province' AND code ~ '^[0-9]{2}$' AND province_code IS NULL AND kind IN ('tinh', 'thanh-pho'))
    OR (level = 'commune' AND code ~ '^[0-9]{5}$' AND province_code IS NOT NULL AND kind IN ('xa', 'phuong', 'dac-khu')))`)
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('admin_divisions')
  await knex.raw('DROP TRIGGER IF EXISTS units_no_new_district ON units')
  await knex.raw('DROP FUNCTION IF EXISTS units_no_new_district()')
  await knex.raw('DROP INDEX IF EXISTS units_admin_code_key')
  await knex.raw('ALTER TABLE units DROP CONSTRAINT IF EXISTS units_admin_code_check')
  await knex.raw('ALTER TABLE units DROP CONSTRAINT IF EXISTS units_kind_check')
  await knex.schema.alterTable('units', (t) => {
    t.dropColumn('admin_code')
    t.dropColumn('kind')
  })
  await knex.raw('ALTER TABLE units DROP CONSTRAINT IF EXISTS units_level_check')
  await knex.raw(`ALTER TABLE units ADD CONSTRAINT units_level_check
    CHECK (level IN ('province', 'department', 'district', 'commune', 'office'))`)
}
