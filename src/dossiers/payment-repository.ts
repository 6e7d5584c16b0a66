// SQL of dossier payments: the open payment a retried start reuses, a new payment, the payment a gateway's callback
// names (locked), and its outcome.
import type { Db } from './repository.js'

export interface PaymentRow {
  id: string
  dossier_id: string
  reference: string
  amount_vnd: string | number
  status: 'pending' | 'paid' | 'failed'
}

export function paymentRepository(db: Db) {
  return {
    /** The newest pending payment of the dossier with this gateway and amount. */
    openPayment: async (
      dossierId: string,
      provider: string,
      amountVnd: number,
    ): Promise<{ id: string; reference: string } | undefined> =>
      (await db('payments')
        .where({ dossier_id: dossierId, provider, status: 'pending', amount_vnd: amountVnd })
        .orderBy('created_at', 'desc')
        .first('id', 'reference')) as { id: string; reference: string } | undefined,

    /** A new pending payment; returns its id and reference. */
    async insertPending(p: {
      dossierId: string
      provider: string
      reference: string
      amountVnd: number
    }): Promise<{ id: string; reference: string }> {
      const [created] = (await db('payments')
        .insert({
          dossier_id: p.dossierId,
          provider: p.provider,
          reference: p.reference,
          amount_vnd: p.amountVnd,
          status: 'pending',
        })
        .returning(['id', 'reference'])) as Array<{ id: string; reference: string }>
      return created!
    },

    /** The payment a gateway's reference names, locked for the rest of the transaction so a callback counts once. */
    byReferenceForUpdate: async (reference: string, provider: string): Promise<PaymentRow | undefined> =>
      (await db('payments').where({ reference, provider }).forUpdate().first()) as PaymentRow | undefined,

    /** The gateway's outcome; `paidAt` only when paid. */
    async settle(id: string, status: 'paid' | 'failed', paidAt: Date | null): Promise<void> {
      await db('payments').where({ id }).update({ status, paid_at: paidAt })
    },
  }
}
