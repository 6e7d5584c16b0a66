// SQL of the outbox: enqueue inside the caller's transaction, claim with a lease, record the outcome, list for
// operators.
import type { Knex } from 'knex'

export type OutboxStatus = 'pending' | 'sending' | 'sent' | 'failed' | 'dead'

export interface OutboxMessageInput {
  channel: string
  /** Unique per side effect, e.g. `<eventId>:<recipient>:<template>`; a second enqueue with it is ignored. */
  dedupKey: string
  payload: Record<string, unknown>
  /** Do not send before this instant (default: as soon as the transaction commits). */
  notBefore?: Date
}

export interface OutboxMessage {
  id: string
  channel: string
  dedupKey: string
  payload: Record<string, unknown>
  status: OutboxStatus
  attempts: number
  nextAttemptAt: Date
  lockedBy: string | null
  lockedUntil: Date | null
  sentAt: Date | null
  deliveredVia: string | null
  lastError: string | null
  createdAt: Date
}

interface Row {
  id: string
  channel: string
  dedup_key: string
  payload: Record<string, unknown>
  status: OutboxStatus
  attempts: number
  next_attempt_at: Date
  locked_by: string | null
  locked_until: Date | null
  sent_at: Date | null
  delivered_via: string | null
  last_error: string | null
  created_at: Date
}

const fromRow = (r: Row): OutboxMessage => ({
  id: r.id,
  channel: r.channel,
  dedupKey: r.dedup_key,
  payload: r.payload,
  status: r.status,
  attempts: r.attempts,
  nextAttemptAt: r.next_attempt_at,
  lockedBy: r.locked_by,
  lockedUntil: r.locked_until,
  sentAt: r.sent_at,
  deliveredVia: r.delivered_via,
  lastError: r.last_error,
  createdAt: r.created_at,
})

/**
 * Adds a message to the outbox. Call it with the transaction that writes the state change, so the
 * message exists if and only if that change commits. Idempotent by dedup key.
 */
export async function enqueue(
  trx: Knex.Transaction | Knex,
  message: OutboxMessageInput,
): Promise<{ id: string; created: boolean }> {
  const inserted = await trx('outbox_messages')
    .insert({
      channel: message.channel,
      dedup_key: message.dedupKey,
      payload: JSON.stringify(message.payload),
      ...(message.notBefore ? { next_attempt_at: message.notBefore } : {}),
    })
    .onConflict('dedup_key')
    .ignore()
    .returning('id')
  const first = inserted[0] as { id: string } | undefined
  if (first) return { id: first.id, created: true }
  const existing = (await trx('outbox_messages').where({ dedup_key: message.dedupKey }).first('id')) as { id: string }
  return { id: existing.id, created: false }
}

/**
 * Claims up to `limit` due messages for `workerId` in one committed statement: new and retried
 * messages whose time has come, and messages whose sender's lease expired (it crashed or hung).
 * SKIP LOCKED lets several senders claim side by side without waiting on or taking each other's rows;
 * the lease (status 'sending', next_attempt_at = locked_until) keeps them away until it expires.
 * The attempt is counted at claim time, so a message that kills its sender still reaches 'dead'.
 */
export async function claimDue(
  knex: Knex,
  opts: { workerId: string; channels: string[]; limit: number; leaseMs: number },
): Promise<OutboxMessage[]> {
  const { rows } = (await knex.raw(
    `UPDATE outbox_messages m
        SET status = 'sending', attempts = m.attempts + 1, locked_by = ?,
            locked_until = now() + ? * interval '1 millisecond',
            next_attempt_at = now() + ? * interval '1 millisecond', updated_at = now()
      WHERE m.id IN (
        SELECT id FROM outbox_messages
         WHERE status IN ('pending', 'failed', 'sending') AND next_attempt_at <= now() AND channel = ANY(?)
         ORDER BY next_attempt_at
         LIMIT ?
         FOR UPDATE SKIP LOCKED)
      RETURNING m.*`,
    [opts.workerId, opts.leaseMs, opts.leaseMs, opts.channels, opts.limit],
  )) as { rows: Row[] }
  return rows.map(fromRow)
}

/**
 * Records a delivery. Only the lease holder may: if the lease expired and another sender took the
 * message, that sender records its own outcome. Returns false when the lease was lost.
 */
export async function markSent(knex: Knex, id: string, workerId: string, via: string): Promise<boolean> {
  const n = await knex('outbox_messages').where({ id, locked_by: workerId, status: 'sending' }).update({
    status: 'sent',
    sent_at: knex.fn.now(),
    delivered_via: via,
    locked_by: null,
    locked_until: null,
    last_error: null,
    updated_at: knex.fn.now(),
  })
  return n === 1
}

/** Records a failed attempt: retry after `retryInMs`, or 'dead' when `dead` (left for an operator). */
export async function markFailed(
  knex: Knex,
  id: string,
  workerId: string,
  outcome: { error: string; dead: boolean; retryInMs: number },
): Promise<boolean> {
  const n = await knex('outbox_messages')
    .where({ id, locked_by: workerId, status: 'sending' })
    .update({
      status: outcome.dead ? 'dead' : 'failed',
      last_error: outcome.error.slice(0, 2000),
      next_attempt_at: knex.raw(`now() + ? * interval '1 millisecond'`, [outcome.dead ? 0 : outcome.retryInMs]),
      locked_by: null,
      locked_until: null,
      updated_at: knex.fn.now(),
    })
  return n === 1
}

/** Puts a dead message back in the queue with a fresh attempt budget (an operator's action). */
export async function retryDead(knex: Knex, id: string): Promise<boolean> {
  const n = await knex('outbox_messages')
    .where({ id, status: 'dead' })
    .update({ status: 'pending', attempts: 0, next_attempt_at: knex.fn.now(), updated_at: knex.fn.now() })
  return n === 1
}

/** Messages by status, oldest first: what operators look at (dead letters above all). */
export async function listByStatus(knex: Knex, status: OutboxStatus, limit = 100): Promise<OutboxMessage[]> {
  const rows = (await knex('outbox_messages').where({ status }).orderBy('created_at').limit(limit)) as Row[]
  return rows.map(fromRow)
}

export async function getMessage(knex: Knex, id: string): Promise<OutboxMessage | undefined> {
  const row = (await knex('outbox_messages').where({ id }).first()) as Row | undefined
  return row && fromRow(row)
}
