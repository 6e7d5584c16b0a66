// Feeds the read model from the engine's durable event log with a stored cursor, so no event is lost to a crash.
//
// The embedded engine writes its events in each step's transaction (engine_events); the Zeebe adapter writes
// what it polls to the same log (Engine.readEvents on both). The projector reads
// on from the last id it applied, applies each event (idempotent upserts), then moves the cursor: a crash
// in between re-applies a few events, never skips one. One process at a time advances the cursor (a
// lease on its row), so events of one instance are applied in order. In-process notifications only
// wake it sooner.
//
// Record ids come from a sequence, taken before commit: a record can become visible after one with a
// higher id (two steps committing out of order). So the cursor never moves past a missing id until the
// record appears, or until the gap has stood for `gapGraceMs` (a rolled-back step, a transaction cut off
// by a crash or a database restart: its id is never used). Found by the load run (docs/reliability.md):
// a skipped userTask.created left a dossier without its task in the worklist.
//
// Most gaps are rolled-back steps, and waiting out the grace for each stalled the read model for seconds
// (a test timing out under load). The step that took a missing id began before the record after it was
// seen, so once no transaction of the database that began before that moment is still open
// (pg_stat_activity), the step has ended: the log is read once more, and if the id is still missing it
// never will be. On embedded PGlite (one connection) that is at once.
import { randomUUID } from 'node:crypto'
import type { Knex } from 'knex'
import type { Engine, EngineEvent } from '../engine/port.js'
import { Poller } from '../lib/poller.js'
import { auditRepository } from '../db/audit-repository.js'
import { applyEngineEvent } from './read-model.js'
import { readModelCursorRepository } from './read-model-cursor-repository.js'

export interface ProjectorOptions {
  name?: string
  pollIntervalMs?: number
  leaseMs?: number
  batchSize?: number
  /** After this many failed attempts at one event it is logged and skipped, so it cannot block the rest. */
  maxAttempts?: number
  /** How long a missing record id may hold the cursor back before it is taken as never committed. Default 10 s. */
  gapGraceMs?: number
  log?: (message: string, err?: unknown) => void
}

/** What one batch of the event log came to. */
interface BatchOutcome {
  /** Records read from the log. */
  read: number
  applied: number
  /** A gap was found cleared: read the log again at once. */
  reread: boolean
  /** Every record read was applied (none failed, no gap held the cursor back). */
  complete: boolean
}

export class ReadModelProjector {
  private readonly name: string
  private readonly owner = randomUUID()
  private readonly batchSize: number
  private readonly poller: Poller<number>
  private stopped = true
  private unsubscribe?: () => void
  private readonly failures = new Map<number, number>()
  /**
   * Missing record ids: when this process first saw each missing (its clock and the database's), and whether it was
   * cleared.
   */
  private readonly gaps = new Map<number, { at: number; dbAt: string; cleared: boolean }>()
  private readonly cursors: ReturnType<typeof readModelCursorRepository>

  constructor(
    private readonly knex: Knex,
    private readonly engine: Engine,
    private readonly opts: ProjectorOptions = {},
  ) {
    this.name = opts.name ?? 'dossiers'
    this.batchSize = opts.batchSize ?? 200
    this.cursors = readModelCursorRepository(knex)
    this.poller = new Poller<number>({
      // One process at a time advances the cursor: the lease on its row is the poller's lease.
      lease: { acquire: () => this.lease(), release: () => this.releaseLease() },
      round: (cursor) => this.round(cursor),
      intervalMs: opts.pollIntervalMs ?? 1000,
      batchSize: this.batchSize,
      onError: (err) => this.opts.log?.('read model projector failed', err),
    })
  }

  start(): void {
    if (!this.stopped) return
    this.stopped = false
    this.unsubscribe = this.engine.onEvent(() => this.poke())
    this.poller.start() // catch up with what happened while no process was running
  }

  /** Runs soon; if a run is in progress, runs once more after it. */
  poke(): void {
    this.poller.wake()
  }

  /** Applies every event after the cursor; returns how many records were applied. For tests and start-up. */
  async catchUp(): Promise<number> {
    let applied = 0
    for (;;) {
      const cursor = await this.lease()
      if (cursor === undefined) return applied // another process holds it
      const batch = await this.applyBatch(cursor)
      applied += batch.applied
      if (batch.read === 0) return applied
      if (batch.reread) continue
      if (!batch.complete) return applied // an event failed: retry on the next run
    }
  }

  /**
   * The poller's round, under the cursor lease: one batch. As in catchUp, the log is read on at once until it is
   * empty or a record holds the cursor back (a failed event or a gap waits for the next round).
   */
  private async round(cursor: number): Promise<number> {
    const batch = await this.applyBatch(cursor)
    const more = batch.reread || (batch.complete && batch.read > 0)
    return more ? this.batchSize : batch.applied
  }

  /** Applies the records after the cursor, up to a gap or a failed record, and moves the cursor past them. */
  private async applyBatch(cursor: number): Promise<BatchOutcome> {
    const batch = await this.engine.readEvents(cursor, this.batchSize)
    if (batch.length === 0) return { read: 0, applied: 0, reread: false, complete: true }
    let applied = 0
    await this.noteGaps(cursor, batch)
    let last = cursor
    let reread = false
    for (const record of batch) {
      if (record.id !== last + 1) {
        const gap = await this.gapVerdict(last + 1, record.id)
        if (gap === 'reread') reread = true
        if (gap !== 'gone') break
      }
      if (!(await this.applyRecord(record))) break
      last = record.id
      applied++
    }
    for (const id of this.gaps.keys()) if (id <= last) this.gaps.delete(id)
    await this.cursors.advance(this.name, this.owner, last)
    return { read: batch.length, applied, reread, complete: last === batch.at(-1)!.id }
  }

  /** Remembers when each id missing between the cursor and the batch's records was first seen missing. */
  private async noteGaps(cursor: number, batch: Array<{ id: number }>): Promise<void> {
    const fresh: number[] = []
    let expected = cursor + 1
    for (const { id } of batch) {
      // A long run of missing ids is one gap: record its first id (and a bounded number of the rest).
      for (let missing = expected; missing < id && missing < expected + 1000; missing++)
        if (!this.gaps.has(missing)) fresh.push(missing)
      expected = id + 1
    }
    if (fresh.length === 0) return
    const dbAt = await this.cursors.clock()
    const at = Date.now()
    for (const id of fresh) this.gaps.set(id, { at, dbAt, cleared: false })
  }

  /**
   * What to make of the ids [from, to) still missing: 'gone' (never committed: pass them), 'wait', or
   * 'reread' (the steps that could hold them have all ended: read the log once more, then pass them).
   */
  private async gapVerdict(from: number, to: number): Promise<'gone' | 'wait' | 'reread'> {
    const ids: number[] = []
    for (let id = from; id < to && id < from + 1000; id++) ids.push(id)
    const seen = ids.map((id) => this.gaps.get(id)).filter((g) => g !== undefined)
    if (seen.length === ids.length && seen.every((g) => g.cleared)) return 'gone'
    const grace = this.opts.gapGraceMs ?? 10_000
    const now = Date.now()
    if (seen.length === ids.length && seen.every((g) => now - g.at >= grace)) {
      this.opts.log?.(
        `read model: engine event record ids ${from}..${to - 1} never appeared within ${grace} ms; taken as rolled back`,
      )
      return 'gone'
    }
    const since = seen.map((g) => g.dbAt).sort()[0]
    if (!since) return 'wait'
    if ((await this.cursors.openTransactionsSince(since)) > 0) return 'wait'
    for (const g of seen) g.cleared = true
    return seen.length === ids.length ? 'reread' : 'wait'
  }

  private async applyRecord(record: { id: number; events: EngineEvent[] }): Promise<boolean> {
    try {
      for (const event of record.events) await applyEngineEvent(this.knex, this.engine, event)
      this.failures.delete(record.id)
      return true
    } catch (err) {
      const attempts = (this.failures.get(record.id) ?? 0) + 1
      this.failures.set(record.id, attempts)
      if (attempts >= (this.opts.maxAttempts ?? 5)) {
        // Skipped so the rest of the read model does not stall behind it, but recorded durably so an
        // operator sees it and can replay the record (readEvents(id - 1, 1)).
        this.opts.log?.(`read model: engine event record ${record.id} skipped after ${attempts} failed attempts`, err)
        await auditRepository(this.knex)
          .record({
            action: 'readModel.eventSkipped',
            subjectType: 'engine_event',
            subjectId: String(record.id),
            data: { projector: this.name, error: String((err as Error)?.message ?? err).slice(0, 500) },
          })
          .catch(() => undefined)
        this.failures.delete(record.id)
        return true
      }
      this.opts.log?.(`read model: engine event record ${record.id} failed (attempt ${attempts})`, err)
      return false
    }
  }

  /** Takes (or renews) the lease on the cursor row; returns the cursor, or undefined when another process holds it. */
  private async lease(): Promise<number | undefined> {
    return this.cursors.lease(this.name, this.owner, this.opts.leaseMs ?? 30_000)
  }

  /** Gives up the lease on the cursor row, so another process may take over at once. */
  private async releaseLease(): Promise<void> {
    await this.cursors.release(this.name, this.owner).catch(() => undefined)
  }

  /** Stops listening and polling; resolves when the run in flight has ended and the cursor lease is given up. */
  async stop(): Promise<void> {
    this.stopped = true
    this.unsubscribe?.()
    await this.poller.stop()
  }
}
