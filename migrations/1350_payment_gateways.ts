// Payments through real gateways: the payment window, where the payer goes back to, the gateway's own transaction
// number and who confirmed a bank transfer; every gateway notification kept (accepted or refused); refunds.
import type { Knex } from 'knex'

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('payments', (t) => {
    // After this moment the gateway refuses to take the money (VNPAY's vnp_ExpireDate); a start opens a new payment.
    t.timestamp('expires_at', { useTz: true })
    // The portal page the payer returns to (a path on the portal, checked when the payment starts).
    t.text('return_path')
    // The gateway's transaction number (vnp_TransactionNo) or the bank statement's transaction id.
    t.text('gateway_transaction')
    // The finance officer who confirmed a bank transfer (null when a gateway did).
    t.uuid('confirmed_by').references('users.id')
  })
  // Every notification a gateway sends (IPN), accepted or refused: the audit of the money side, append-only.
  await knex.schema.createTable('payment_notifications', (t) => {
    t.bigIncrements('id')
    t.text('provider').notNullable()
    t.text('reference')
    // What the merchant answered: 'confirmed', 'already-confirmed', 'not-found', 'wrong-amount', 'bad-signature' …
    t.text('outcome').notNullable()
    t.jsonb('params').notNullable()
    t.timestamp('received_at', { useTz: true }).notNullable().defaultTo(knex.fn.now())
    t.index(['reference'])
  })
  // A refund owed to the applicant: recorded when a paid dossier is refused (docs/payments.md, "Refunds").
  await knex.schema.createTable('payment_refunds', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'))
    t.uuid('payment_id').notNullable().unique().references('payments.id')
    t.uuid('dossier_id').notNullable().references('dossiers.id')
    t.bigInteger('amount_vnd').notNullable()
    t.text('rule').notNullable()
    t.text('status').notNullable().defaultTo('due').checkIn(['due', 'paid'])
    t.timestamp('recorded_at', { useTz: true }).notNullable().defaultTo(knex.fn.now())
    t.index(['dossier_id'])
  })
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('payment_refunds')
  await knex.schema.dropTableIfExists('payment_notifications')
  await knex.schema.alterTable('payments', (t) => {
    t.dropColumn('confirmed_by')
    t.dropColumn('gateway_transaction')
    t.dropColumn('return_path')
    t.dropColumn('expires_at')
  })
}
