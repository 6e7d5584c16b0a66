// Results delivered by post: the applicant's delivery address (on the draft and the dossier) and the shipments the
// counter records at the result step (carrier, tracking number, date sent).
import type { Knex } from 'knex'

export async function up(knex: Knex): Promise<void> {
  // { provinceCode, provinceName, communeCode, communeName, street, phone? }: the codes of the official list and the
  // names as they read when the applicant chose them (a later list may rename or merge a unit).
  await knex.schema.alterTable('dossier_drafts', (t) => t.jsonb('delivery_address'))
  await knex.schema.alterTable('dossiers', (t) => t.jsonb('delivery_address'))
  await knex.schema.createTable('dossier_shipments', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'))
    t.uuid('dossier_id').notNullable().references('dossiers.id')
    t.text('carrier').notNullable()
    // The carrier's name as it was when the parcel left (the configured carriers may change later).
    t.text('carrier_name').notNullable()
    t.text('tracking_number').notNullable()
    t.date('shipped_on').notNullable()
    t.uuid('recorded_by').notNullable().references('users.id')
    t.timestamp('recorded_at', { useTz: true }).notNullable().defaultTo(knex.fn.now())
    // One parcel is one dossier's: the same tracking number twice is a typing error or a second dossier's label.
    t.unique(['carrier', 'tracking_number'])
    t.index(['dossier_id'])
  })
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('dossier_shipments')
  await knex.schema.alterTable('dossiers', (t) => t.dropColumn('delivery_address'))
  await knex.schema.alterTable('dossier_drafts', (t) => t.dropColumn('delivery_address'))
}
