// The citizen portal's own tables: autosaved drafts, fee payments, service ratings and e-mail verification tokens.
import type { Knex } from 'knex'

export async function up(knex: Knex): Promise<void> {
  // A draft is not a dossier: it has no status, no code and no process until it is submitted.
  await knex.schema.createTable('dossier_drafts', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'))
    t.uuid('owner_id').notNullable().references('users.id')
    t.text('procedure_slug').notNullable()
    t.text('agency_unit_id').references('units.id')
    t.jsonb('form_data').notNullable().defaultTo('{}')
    t.text('delivery_method')
    // [{ componentId, fileId? , reuseFromDossierCode? }]
    t.jsonb('attachments').notNullable().defaultTo('[]')
    t.uuid('submitted_dossier_id').references('dossiers.id')
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now())
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now())
    t.index(['owner_id', 'updated_at'])
  })

  await knex.schema.createTable('payments', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'))
    t.uuid('dossier_id').notNullable().references('dossiers.id')
    t.text('provider').notNullable()
    t.text('reference').notNullable().unique()
    t.bigInteger('amount_vnd').notNullable()
    t.text('status').notNullable().checkIn(['pending', 'paid', 'failed'])
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now())
    t.timestamp('paid_at', { useTz: true })
    t.index(['dossier_id'])
  })

  await knex.schema.createTable('dossier_ratings', (t) => {
    // One rating per dossier, by its applicant.
    t.uuid('dossier_id').primary().references('dossiers.id')
    t.uuid('user_id').notNullable().references('users.id')
    t.smallint('score').notNullable()
    t.text('comment')
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now())
  })
  await knex.raw('ALTER TABLE dossier_ratings ADD CONSTRAINT dossier_ratings_score CHECK (score BETWEEN 1 AND 5)')

  await knex.schema.createTable('email_verifications', (t) => {
    t.text('token_hash').primary()
    t.uuid('user_id').notNullable().references('users.id').onDelete('CASCADE')
    t.timestamp('expires_at', { useTz: true }).notNullable()
    t.timestamp('used_at', { useTz: true })
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now())
  })
  // Lookup by code is the public path: one indexed row. (dossiers.code is already unique.)
}

export async function down(knex: Knex): Promise<void> {
  for (const table of ['email_verifications', 'dossier_ratings', 'payments', 'dossier_drafts'])
    await knex.schema.dropTableIfExists(table)
}
