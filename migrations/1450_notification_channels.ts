// How an applicant wants to hear about their dossiers: e-mail (as before), SMS to their mobile number, or both.
import type { Knex } from 'knex'

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('users', (t) => {
    t.text('notify_by').notNullable().defaultTo('email').checkIn(['email', 'sms', 'both'])
  })
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('users', (t) => {
    t.dropColumn('notify_by')
  })
}
