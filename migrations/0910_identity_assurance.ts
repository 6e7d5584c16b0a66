// How an account's identity (its CCCD) was established: typed at sign-up ('self_declared'), proved through an
// identity provider ('identity_provider'), or checked against the card at a counter ('counter'), with when and by whom
// (the officer's user id, or the provider's name). Only an established identity may reuse documents by ID number or
// take a number back from a self-declared account.
import type { Knex } from 'knex'

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('users', (t) => {
    t.text('identity_assurance')
      .notNullable()
      .defaultTo('self_declared')
      .checkIn(['self_declared', 'identity_provider', 'counter'], 'users_identity_assurance_check')
    t.timestamp('identity_verified_at', { useTz: true })
    t.text('identity_verified_by')
    t.index(['id_number'])
  })
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('users', (t) => {
    t.dropIndex(['id_number'])
    t.dropColumn('identity_verified_by')
    t.dropColumn('identity_verified_at')
    t.dropColumn('identity_assurance')
  })
}
