// Fees by case and refunds paid out: a procedure version carries its DMN decisions (deployed with its BPMN), and a
// refund owed records how, when and by whom it was paid back.
import type { Knex } from 'knex'

export async function up(knex: Knex): Promise<void> {
  // [{ name: 'x.dmn', xml }]: the decision resources the definition names in workflow.decisions.
  await knex.schema.alterTable('procedure_versions', (t) =>
    t.jsonb('decisions').notNullable().defaultTo(knex.raw(`'[]'::jsonb`)),
  )
  await knex.schema.alterTable('payment_refunds', (t) => {
    t.text('paid_method').checkIn(['transfer', 'cash'])
    t.text('paid_reference')
    t.date('paid_on')
    t.uuid('paid_by').references('users.id')
    t.timestamp('paid_recorded_at', { useTz: true })
    t.index(['status'])
  })
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('payment_refunds', (t) => {
    t.dropIndex(['status'])
    for (const c of ['paid_method', 'paid_reference', 'paid_on', 'paid_by', 'paid_recorded_at']) t.dropColumn(c)
  })
  await knex.schema.alterTable('procedure_versions', (t) => t.dropColumn('decisions'))
}
