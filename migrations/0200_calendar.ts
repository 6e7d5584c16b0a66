// The working-day calendar: versioned holidays and make-up working days, editable by administrators.
//
// Every change creates a row in calendar_versions; a calendar_days row is valid from the version
// that wrote it until the version that replaced or removed it (valid_to), so the calendar as it was
// at any version can be read back, e.g. to explain an old appointment date.
import type { Knex } from 'knex'

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('calendar_versions', (t) => {
    t.increments('version').primary()
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now())
    t.uuid('actor_id')
    t.text('action').notNullable()
    t.text('reason').notNullable()
  })

  await knex.schema.createTable('calendar_years', (t) => {
    t.integer('year').primary()
    // Generated from the Labour Code rules and not yet confirmed against the Government's decision.
    t.boolean('provisional').notNullable()
    t.integer('since_version').notNullable().references('calendar_versions.version')
    t.integer('confirmed_version').references('calendar_versions.version')
  })

  await knex.schema.createTable('calendar_days', (t) => {
    t.bigIncrements('id').primary()
    t.date('date').notNullable()
    t.text('kind').notNullable().checkIn(['holiday', 'makeup_workday'])
    t.text('name').notNullable()
    t.boolean('provisional').notNullable().defaultTo(false)
    t.integer('valid_from').notNullable().references('calendar_versions.version')
    t.integer('valid_to').references('calendar_versions.version')
    t.check('valid_to IS NULL OR valid_to > valid_from', [], 'calendar_days_validity')
  })
  // At most one entry in force per date; the range scan of a year uses the same index.
  await knex.raw('CREATE UNIQUE INDEX calendar_days_current ON calendar_days (date) WHERE valid_to IS NULL')
  await knex.raw('CREATE INDEX calendar_days_history ON calendar_days (date, valid_from)')
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('calendar_days')
  await knex.schema.dropTable('calendar_years')
  await knex.schema.dropTable('calendar_versions')
}
