// The outbox as the rest of motcua uses it: its statements (./repository.ts) and the retry back-off of its senders.
export {
  claimDue,
  enqueue,
  getMessage,
  listByStatus,
  markFailed,
  markSent,
  retryDead,
  type OutboxMessage,
  type OutboxMessageInput,
  type OutboxStatus,
} from './repository.js'

export interface BackoffOptions {
  baseMs: number
  maxMs: number
}

/**
 * Delay before retry number `attempt` (1 = after the first failure): exponential, capped, with
 * "equal jitter" (half fixed, half random) so senders that failed together do not retry together.
 */
export function retryDelay(attempt: number, opts: BackoffOptions, random: () => number = Math.random): number {
  const exp = Math.min(opts.maxMs, opts.baseMs * 2 ** Math.max(0, attempt - 1))
  return Math.round(exp / 2 + (exp / 2) * random())
}
