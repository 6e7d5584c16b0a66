// Citizen onboarding: passport and old CMND numbers on accounts and dossiers (public lookup by either), password-reset
// tokens stored hashed, e-mail changes that wait for the new address to be verified, and the spent ALTCHA challenges
// (each solution works once until its challenge expires).
import type { Knex } from 'knex'

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('users', (t) => {
    // A foreigner's passport number (instead of a CCCD), and the old 9-digit CMND a citizen may still be known by.
    t.text('passport_number')
    t.text('old_id_number')
  })
  await knex.schema.alterTable('dossiers', (t) => {
    t.text('applicant_passport_number')
    t.text('applicant_old_id_number')
  })
  // A request for an address without an account stores a row too (no user, never mailed, never usable), so both
  // answers run the same statements.
  await knex.schema.createTable('password_resets', (t) => {
    t.text('token_hash').primary()
    t.uuid('user_id').references('users.id').onDelete('CASCADE')
    t.timestamp('expires_at', { useTz: true }).notNullable()
    t.timestamp('used_at', { useTz: true })
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now())
    t.index(['user_id'])
  })
  // A verification of a new e-mail address: the account's address changes only when the link is opened.
  await knex.schema.alterTable('email_verifications', (t) => {
    t.text('new_email')
  })
  await knex.schema.createTable('altcha_spent', (t) => {
    t.text('challenge_id').primary()
    t.timestamp('expires_at', { useTz: true }).notNullable()
    t.index(['expires_at'])
  })
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('altcha_spent')
  await knex.schema.alterTable('email_verifications', (t) => {
    t.dropColumn('new_email')
  })
  await knex.schema.dropTable('password_resets')
  await knex.schema.alterTable('dossiers', (t) => {
    t.dropColumn('applicant_old_id_number')
    t.dropColumn('applicant_passport_number')
  })
  await knex.schema.alterTable('users', (t) => {
    t.dropColumn('old_id_number')
    t.dropColumn('passport_number')
  })
}
