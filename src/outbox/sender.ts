// The outbox sender: claims due messages with a lease, delivers them through a transport, records the outcome.
//
// Exactly once, in practice. A message is claimed ('sending', lease) in one committed statement,
// delivered, then marked 'sent' in another. Two senders never hold the same message: the claim
// skips locked rows and leased rows. What remains is the window between the transport accepting
// the message and the 'sent' commit: if this process dies (or the database is unreachable) right
// there, the lease expires and another sender delivers the message again. SMTP has no idempotency
// key, so that is at most one duplicate per crash in that window; every e-mail carries a stable
// Message-ID derived from the outbox id, so receiving systems that de-duplicate by Message-ID drop
// it. A delivery must not outlive its lease (the SMTP transport's time-outs are well below it),
// otherwise a second sender could start while the first is still talking to the relay.
import { hostname } from 'node:os'
import { randomBytes } from 'node:crypto'
import type { Knex } from 'knex'
import type { BaseLogger } from 'pino'
import { Poller } from '../lib/poller.js'
import { retryDelay, type BackoffOptions } from './outbox.js'
import { claimDue, markFailed, markSent, type OutboxMessage } from './repository.js'

/**
 * Delivers one outbox message of a channel. Throwing means "not delivered, retry later"; throwing a
 * PermanentDeliveryError means "the peer refused it for good": the message is dead at once, for an operator.
 */
export interface OutboxTransport {
  /** Recorded as delivered_via: 'smtp', 'log' … */
  readonly name: string
  deliver(message: OutboxMessage): Promise<void>
  close?(): void | Promise<void>
}

/** The peer refused the message itself (a 4xx answer: a bad number, a rejected text); retrying cannot help. */
export class PermanentDeliveryError extends Error {
  readonly permanent = true
  constructor(message: string) {
    super(message)
    this.name = 'PermanentDeliveryError'
  }
}

export interface OutboxSenderOptions {
  knex: Knex
  /** One transport per channel; messages of other channels are left for another sender. */
  transports: Record<string, OutboxTransport>
  logger: Pick<BaseLogger, 'info' | 'warn' | 'error'>
  workerId?: string
  /** Messages claimed per round (delivered concurrently). */
  batchSize?: number
  /** How long a claim keeps other senders away; must exceed the transport's own time-outs. */
  leaseMs?: number
  /** Wait between rounds when less than a batch was due (doubling after failed claims). */
  pollIntervalMs?: number
  /** Attempts before a message is 'dead'. */
  maxAttempts?: number
  backoff?: BackoffOptions
  random?: () => number
}

export class OutboxSender {
  readonly workerId: string
  private readonly knex: Knex
  private readonly transports: Record<string, OutboxTransport>
  private readonly logger: OutboxSenderOptions['logger']
  private readonly batchSize: number
  private readonly leaseMs: number
  private readonly pollIntervalMs: number
  private readonly maxAttempts: number
  private readonly backoff: BackoffOptions
  private readonly random: () => number
  private readonly poller: Poller

  constructor(opts: OutboxSenderOptions) {
    this.knex = opts.knex
    this.transports = opts.transports
    this.logger = opts.logger
    this.workerId = opts.workerId ?? `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`
    this.batchSize = opts.batchSize ?? 10
    this.leaseMs = opts.leaseMs ?? 5 * 60_000
    this.pollIntervalMs = opts.pollIntervalMs ?? 1_000
    this.maxAttempts = opts.maxAttempts ?? 8
    this.backoff = opts.backoff ?? { baseMs: 30_000, maxMs: 60 * 60_000 }
    this.random = opts.random ?? Math.random
    // A full batch means more may be waiting: the poller goes again at once.
    this.poller = new Poller({
      round: () => this.runOnce(),
      intervalMs: this.pollIntervalMs,
      batchSize: this.batchSize,
      onError: (err) =>
        this.logger.error({ err, workerId: this.workerId }, 'outbox: claiming failed; retrying after a back-off'),
    })
  }

  start(): void {
    this.poller.start()
  }

  /** Stops claiming; resolves when the messages being delivered have been delivered and recorded. */
  async stop(): Promise<void> {
    await this.poller.stop()
  }

  /** Ends the poll wait early, e.g. right after a transaction that enqueued something committed. */
  poke(): void {
    this.poller.wake()
  }

  /** One round: claim what is due and deliver it. Returns how many messages were claimed. */
  async runOnce(): Promise<number> {
    const channels = Object.keys(this.transports)
    if (channels.length === 0) return 0
    const claimed = await claimDue(this.knex, {
      workerId: this.workerId,
      channels,
      limit: this.batchSize,
      leaseMs: this.leaseMs,
    })
    await Promise.all(claimed.map((m) => this.process(m)))
    return claimed.length
  }

  private async process(message: OutboxMessage): Promise<void> {
    const log = { outboxId: message.id, channel: message.channel, attempt: message.attempts, workerId: this.workerId }
    if (message.attempts > this.maxAttempts) {
      // Only reachable when senders holding it kept dying: delivering again could loop forever.
      await markFailed(this.knex, message.id, this.workerId, {
        error: `gave up: ${message.attempts - 1} attempts, the last one's sender lost its lease (crashed or hung)`,
        dead: true,
        retryInMs: 0,
      })
      this.logger.error(log, 'outbox: message is dead (its senders kept dying)')
      return
    }
    const transport = this.transports[message.channel]!
    try {
      await transport.deliver(message)
    } catch (err) {
      const dead = err instanceof PermanentDeliveryError || message.attempts >= this.maxAttempts
      const retryInMs = retryDelay(message.attempts, this.backoff, this.random)
      const error = describe(err)
      await markFailed(this.knex, message.id, this.workerId, { error, dead, retryInMs }).catch((dbErr: unknown) =>
        // The lease will expire and the message will be tried again: nothing is lost.
        this.logger.error({ ...log, err: dbErr }, 'outbox: could not record a failed delivery'),
      )
      if (dead) this.logger.error({ ...log, error }, 'outbox: delivery failed for the last time; message is dead')
      else this.logger.warn({ ...log, error, retryInMs }, 'outbox: delivery failed; will retry')
      return
    }
    try {
      const recorded = await markSent(this.knex, message.id, this.workerId, transport.name)
      if (!recorded)
        this.logger.warn(log, 'outbox: delivered after the lease expired; another sender may deliver it again')
    } catch (err) {
      this.logger.error(
        { ...log, err },
        'outbox: delivered but not recorded; it will be delivered again after the lease',
      )
    }
  }
}

function describe(err: unknown): string {
  if (err instanceof Error) {
    const code = (err as { responseCode?: number; code?: string }).responseCode ?? (err as { code?: string }).code
    return code ? `${code}: ${err.message}` : err.message
  }
  return String(err)
}
