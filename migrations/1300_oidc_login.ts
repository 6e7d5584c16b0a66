// Sign-in with an OpenID Connect provider: the authorization requests waiting for the provider's answer (single use,
// bound to the browser that started them), the link of a provider's subject to an account, and the date of birth the
// provider vouches for.
import type { Knex } from 'knex'

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('oidc_authorizations', (t) => {
    // SHA-256 of the state sent to the provider, and of the key held in the browser's cookie.
    t.text('state_hash').primary()
    t.text('browser_key_hash').notNullable()
    t.text('code_verifier').notNullable()
    t.text('nonce').notNullable()
    t.timestamp('expires_at', { useTz: true }).notNullable().index()
  })
  await knex.schema.createTable('identity_links', (t) => {
    t.text('issuer').notNullable()
    t.text('subject').notNullable()
    t.uuid('user_id').notNullable().references('users.id').onDelete('CASCADE').index()
    t.timestamp('linked_at', { useTz: true }).notNullable().defaultTo(knex.fn.now())
    t.timestamp('last_login_at', { useTz: true }).notNullable().defaultTo(knex.fn.now())
    t.primary(['issuer', 'subject'])
  })
  await knex.schema.alterTable('users', (t) => {
    t.date('birth_date')
  })
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('users', (t) => {
    t.dropColumn('birth_date')
  })
  await knex.schema.dropTable('identity_links')
  await knex.schema.dropTable('oidc_authorizations')
}
