// The retention sweep: the operational tables that only ever grow (the engine's event log, spent bot checks, expired
// links and tokens, old failed-login counts) are pruned once nobody can need a row any more. The audit log, the
// dossiers' timelines and every record of a dossier are never pruned: they are the record the law asks for.
import type { Knex } from 'knex'
import { Poller } from '../lib/poller.js'
import { retentionRepository, type PrunedTable } from './retention-repository.js'

export interface RetentionOptions {
  /** How long a row is kept after it stops being needed. */
  retentionDays: number
  /** Rows per delete statement. Default 5,000. */
  batchSize?: number
}

const DAY = 86_400_000

/**
 * Prunes every table once, batch by batch until nothing is left to prune; returns the rows deleted per table.
 * Idempotent, and safe in several processes at once (each statement deletes what is there to delete).
 */
export async function pruneOperationalTables(
  knex: Knex,
  now: Date,
  opts: RetentionOptions,
): Promise<Record<PrunedTable, number>> {
  const repo = retentionRepository(knex)
  const limit = opts.batchSize ?? 5_000
  const before = new Date(now.getTime() - opts.retentionDays * DAY)
  const all = async (batch: () => Promise<number>): Promise<number> => {
    let total = 0
    for (let n = await batch(); n > 0; n = n === limit ? await batch() : 0) total += n
    return total
  }
  return {
    engine_events: await all(() => repo.engineEvents(before, limit)),
    altcha_spent: await all(() => repo.expired('altcha_spent', now, limit)),
    oidc_authorizations: await all(() => repo.expired('oidc_authorizations', now, limit)),
    password_resets: await all(() => repo.expiredTokens('password_resets', before, limit)),
    email_verifications: await all(() => repo.expiredTokens('email_verifications', before, limit)),
    refresh_tokens: await all(() => repo.expiredTokens('refresh_tokens', before, limit)),
    login_throttle: await all(() => repo.loginThrottle(before, now, limit)),
  }
}

/** Runs pruneOperationalTables every intervalMs (default one hour), one run at a time. */
export class RetentionSweep {
  private readonly poller: Poller
  constructor(
    knex: Knex,
    opts: RetentionOptions & {
      intervalMs?: number
      clock?: () => Date
      log?: (message: string, err?: unknown) => void
    },
  ) {
    const clock = opts.clock ?? (() => new Date())
    this.poller = new Poller({
      round: async () => void (await pruneOperationalTables(knex, clock(), opts)),
      intervalMs: opts.intervalMs ?? 3_600_000,
      onError: (err) => opts.log?.('retention sweep failed', err),
    })
  }
  start(): void {
    this.poller.start()
  }
  /** Stops the periodic runs; resolves when the one in flight has ended. */
  stop(): Promise<void> {
    return this.poller.stop()
  }
}
