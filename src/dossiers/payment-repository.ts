// SQL of dossier payments: the open payment a retried start reuses, a new payment, the payment a gateway's callback
// names (locked), its outcome, the gateways' notifications, and refunds.
import type { Db } from './repository.js'

export interface PaymentRow {
  id: string
  dossier_id: string
  provider: string
  reference: string
  amount_vnd: string | number
  status: 'pending' | 'paid' | 'failed'
  expires_at: Date | null
  return_path: string | null
  paid_at: Date | null
  gateway_transaction: string | null
}

export interface RefundRow {
  id: string
  payment_id: string
  dossier_id: string
  amount_vnd: string | number
  rule: string
  status: 'due' | 'paid'
  recorded_at: Date
  paid_method: 'transfer' | 'cash' | null
  paid_reference: string | null
  paid_on: string | Date | null
  paid_by: string | null
  paid_recorded_at: Date | null
}

/** A refund as the finance officer lists it: the refund, the payment it returns and the dossier. */
export interface RefundListRow extends RefundRow {
  payment_reference: string
  provider: string
  code: string | null
  applicant_name: string
  procedure_name: string
  /** The recorded instant to the microsecond, for the cursor (a JavaScript Date keeps milliseconds only). */
  cursor_at: string
}

/** Keyset position in a list ordered by (instant, id): what the previous page ended with. */
export interface ListPosition {
  at: string
  id: string
}

const likePrefix = (unitPath: string) => `${unitPath.replace(/[\\%_]/g, '\\$&')}%`
const microsUtc = (column: string) => `to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`

/** An open bank transfer as the finance officer lists it: the payment and the dossier it pays for. */
export interface PendingTransferRow {
  cursor_at: string
  reference: string
  amount_vnd: string | number
  created_at: Date
  expires_at: Date | null
  dossier_id: string
  code: string | null
  applicant_name: string
  procedure_name: string
  status: number
}

export function paymentRepository(db: Db) {
  return {
    /** The newest pending payment of the dossier with this gateway and amount whose window is still open. */
    openPayment: async (
      dossierId: string,
      provider: string,
      amountVnd: number,
      now: Date,
    ): Promise<{ id: string; reference: string; expires_at: Date | null } | undefined> =>
      (await db('payments')
        .where({ dossier_id: dossierId, provider, status: 'pending', amount_vnd: amountVnd })
        .andWhere((q) => q.whereNull('expires_at').orWhere('expires_at', '>', now))
        .orderBy('created_at', 'desc')
        .first('id', 'reference', 'expires_at')) as
        { id: string; reference: string; expires_at: Date | null } | undefined,

    /** A new pending payment; returns its id and reference. */
    async insertPending(p: {
      dossierId: string
      provider: string
      reference: string
      amountVnd: number
      expiresAt: Date | null
      returnPath: string
    }): Promise<{ id: string; reference: string; expires_at: Date | null }> {
      const [created] = (await db('payments')
        .insert({
          dossier_id: p.dossierId,
          provider: p.provider,
          reference: p.reference,
          amount_vnd: p.amountVnd,
          status: 'pending',
          expires_at: p.expiresAt,
          return_path: p.returnPath,
        })
        .returning(['id', 'reference', 'expires_at'])) as Array<{
        id: string
        reference: string
        expires_at: Date | null
      }>
      return created!
    },

    /** The payment a gateway's reference names, locked for the rest of the transaction so a callback counts once. */
    byReferenceForUpdate: async (reference: string, provider: string): Promise<PaymentRow | undefined> =>
      (await db('payments').where({ reference, provider }).forUpdate().first()) as PaymentRow | undefined,

    byReference: async (reference: string, provider: string): Promise<PaymentRow | undefined> =>
      (await db('payments').where({ reference, provider }).first()) as PaymentRow | undefined,

    /** The payments of one gateway these references name (a bank statement's lines), not locked. */
    byReferences: async (references: string[], provider: string): Promise<PaymentRow[]> =>
      references.length
        ? ((await db('payments').whereIn('reference', references).andWhere({ provider })) as PaymentRow[])
        : [],

    /**
     * The pending payments of one gateway whose dossiers belong to the unit at `unitPath` or below it, oldest first
     * (the finance officer's open transfers), at most `limit`.
     */
    pendingInSubtree: async (
      provider: string,
      unitPath: string,
      limit: number,
      after?: ListPosition,
    ): Promise<PendingTransferRow[]> =>
      (await db('payments as p')
        .join('dossiers as d', 'd.id', 'p.dossier_id')
        .where({ 'p.provider': provider, 'p.status': 'pending' })
        .andWhere('d.unit_path', 'like', likePrefix(unitPath))
        .modify((q) => {
          if (after) q.andWhereRaw('(p.created_at, p.reference) > (?::timestamptz, ?)', [after.at, after.id])
        })
        .orderBy([{ column: 'p.created_at' }, { column: 'p.reference' }])
        .limit(limit)
        .select(
          db.raw(`${microsUtc('p.created_at')} as cursor_at`),
          'p.reference',
          'p.amount_vnd',
          'p.created_at',
          'p.expires_at',
          'd.id as dossier_id',
          'd.code',
          'd.applicant_name',
          'd.procedure_name',
          'd.status',
        )) as PendingTransferRow[],

    /** The gateway's outcome; `paidAt` only when paid. */
    async settle(
      id: string,
      outcome: {
        status: 'paid' | 'failed'
        paidAt: Date | null
        gatewayTransaction?: string | undefined
        confirmedBy?: string | undefined
      },
    ): Promise<void> {
      await db('payments')
        .where({ id })
        .update({
          status: outcome.status,
          paid_at: outcome.paidAt,
          gateway_transaction: outcome.gatewayTransaction ?? null,
          confirmed_by: outcome.confirmedBy ?? null,
        })
    },

    /** Every gateway notification, accepted or refused, with what it was answered. */
    async recordNotification(n: {
      provider: string
      reference: string | null
      outcome: string
      params: Record<string, string>
    }): Promise<void> {
      await db('payment_notifications').insert({
        provider: n.provider,
        reference: n.reference,
        outcome: n.outcome,
        params: JSON.stringify(n.params),
      })
    },

    /** The dossier's paid payments (a refused dossier's refunds are owed on these). */
    paidPayments: async (dossierId: string): Promise<PaymentRow[]> =>
      (await db('payments').where({ dossier_id: dossierId, status: 'paid' }).orderBy('paid_at')) as PaymentRow[],

    /** A refund owed on a payment; a second one for the same payment is not recorded. */
    async insertRefund(r: { paymentId: string; dossierId: string; amountVnd: number; rule: string }): Promise<boolean> {
      const rows = (await db('payment_refunds')
        .insert({ payment_id: r.paymentId, dossier_id: r.dossierId, amount_vnd: r.amountVnd, rule: r.rule })
        .onConflict('payment_id')
        .ignore()
        .returning('id')) as unknown[]
      return rows.length > 0
    },

    /** The refunds of the dossiers of a unit subtree with this status, oldest recorded first, after a position. */
    refundsInSubtree: async (
      unitPath: string,
      status: 'due' | 'paid',
      limit: number,
      after?: ListPosition,
    ): Promise<RefundListRow[]> =>
      (await db('payment_refunds as r')
        .join('payments as p', 'p.id', 'r.payment_id')
        .join('dossiers as d', 'd.id', 'r.dossier_id')
        .where('r.status', status)
        .andWhere('d.unit_path', 'like', likePrefix(unitPath))
        .modify((q) => {
          if (after) q.andWhereRaw('(r.recorded_at, r.id) > (?::timestamptz, ?::uuid)', [after.at, after.id])
        })
        .orderBy([{ column: 'r.recorded_at' }, { column: 'r.id' }])
        .limit(limit)
        .select(
          'r.*',
          db.raw(`${microsUtc('r.recorded_at')} as cursor_at`),
          'p.reference as payment_reference',
          'p.provider',
          'd.code',
          'd.applicant_name',
          'd.procedure_name',
        )) as RefundListRow[],

    /** One refund, locked: marking it paid happens once. */
    refundForUpdate: async (id: string): Promise<RefundRow | undefined> =>
      (await db('payment_refunds').where({ id }).forUpdate().first()) as RefundRow | undefined,

    refundById: async (id: string): Promise<RefundRow | undefined> =>
      (await db('payment_refunds').where({ id }).first()) as RefundRow | undefined,

    async markRefundPaid(
      id: string,
      paid: { method: 'transfer' | 'cash'; reference: string | null; paidOn: string; by: string; at: Date },
    ): Promise<void> {
      await db('payment_refunds').where({ id, status: 'due' }).update({
        status: 'paid',
        paid_method: paid.method,
        paid_reference: paid.reference,
        paid_on: paid.paidOn,
        paid_by: paid.by,
        paid_recorded_at: paid.at,
      })
    },

    refundsOf: async (dossierId: string): Promise<RefundRow[]> =>
      (await db('payment_refunds').where({ dossier_id: dossierId }).orderBy('recorded_at')) as RefundRow[],
  }
}
