// The one background loop: runs a round on an interval, with an optional lease, batches, back-off after failures,
// wake-ups and a stop that waits.
//
// Shaped like pg-boss's Worker (fetch, handle, back off, stop), so the outbox sender, the engine-command relay, the
// read-model projector, the overdue sweep and both engines' job workers differ only in what one round does. Rounds
// never overlap: a wake-up (or a start) during a round asks for one more round right after it. The timer is unref'd, so
// a poller alone never keeps the process alive; stop() waits for the round in flight, so whoever stops it may close the
// database next.

/** Exclusive right to run rounds, held by one process at a time (e.g. a lease on a cursor row). */
export interface PollerLease<T> {
  /**
   * Takes or renews the lease and returns what the round needs (a cursor…); undefined while another process holds it.
   */
  acquire(): Promise<T | undefined>
  /** Gives the lease up; stop() calls it after the last round. */
  release(): Promise<void>
}

/** The timer functions the poller schedules with; tests pass their own to drive time by hand. */
export interface PollerTimers {
  set(run: () => void, ms: number): unknown
  clear(handle: unknown): void
}

export interface PollerOptions<T> {
  /**
   * One round. Returns how many items it handled, if it works in batches; or how long to wait before the next round,
   * when the round itself knows better than the interval (`{ waitMs: 0 }`: at once).
   */
  round: (lease: T) => Promise<number | void | { waitMs: number }>
  /** Wait between rounds when the last one found less than a full batch. */
  intervalMs: number
  /** A round that handled this many items ran a full batch: more may be waiting, so the next runs at once. */
  batchSize?: number
  lease?: PollerLease<T>
  /** The wait after a first failure; it doubles per further failure. Default: intervalMs. */
  minBackoffMs?: number
  /** The longest wait after failures. Default: the larger of intervalMs and 30 s. */
  maxBackoffMs?: number
  /** Told about each failed round (and a failed release); the poller goes on after a back-off. */
  onError?: (err: unknown) => void
  timers?: PollerTimers
}

const unrefTimers: PollerTimers = {
  set: (run, ms) => setTimeout(run, ms).unref(),
  clear: (handle) => clearTimeout(handle as NodeJS.Timeout),
}

export class Poller<T = void> {
  private started = false
  private inFlight: Promise<void> | undefined
  private again = false
  private timer: unknown
  private failures = 0
  private readonly timers: PollerTimers

  constructor(private readonly opts: PollerOptions<T>) {
    this.timers = opts.timers ?? unrefTimers
  }

  /** Whether the poller was started and not stopped since. */
  get running(): boolean {
    return this.started
  }

  /** Runs a round now, then keeps going until stop(). */
  start(): void {
    if (this.started) return
    this.started = true
    this.wake()
  }

  /** Runs the next round now rather than after the wait; during a round, runs one more right after it. */
  wake(): void {
    if (!this.started) return
    if (this.inFlight) {
      this.again = true
      return
    }
    this.cancelTimer()
    this.run()
  }

  /** Stops scheduling rounds; resolves once the round in flight has ended and the lease is given up. */
  async stop(): Promise<void> {
    this.started = false
    this.again = false
    this.cancelTimer()
    await this.inFlight
    await this.opts.lease?.release().catch((err: unknown) => this.opts.onError?.(err))
  }

  private run(): void {
    this.again = false
    this.inFlight = this.once().then((waitMs) => {
      this.inFlight = undefined
      if (!this.started) return
      if (this.again || waitMs === 0) this.wake()
      else this.timer = this.timers.set(() => ((this.timer = undefined), this.wake()), waitMs)
    })
  }

  /** One round under the lease; returns how long to wait before the next. */
  private async once(): Promise<number> {
    try {
      let handled: number | void | { waitMs: number } = 0
      const lease = this.opts.lease ? await this.opts.lease.acquire() : (undefined as T)
      // Another process holds the lease: try again after the interval.
      if (!this.opts.lease || lease !== undefined) handled = await this.opts.round(lease as T)
      this.failures = 0
      if (typeof handled === 'object') return handled.waitMs
      const full = this.opts.batchSize !== undefined && typeof handled === 'number' && handled >= this.opts.batchSize
      return full ? 0 : this.opts.intervalMs
    } catch (err) {
      this.failures++
      this.opts.onError?.(err)
      const { intervalMs, minBackoffMs, maxBackoffMs } = this.opts
      return backoffMs(this.failures, minBackoffMs ?? intervalMs, maxBackoffMs ?? Math.max(intervalMs, 30_000))
    }
  }

  private cancelTimer(): void {
    if (this.timer === undefined) return
    this.timers.clear(this.timer)
    this.timer = undefined
  }
}

/** The wait after the n-th failure in a row: the first wait, doubled per further failure, capped. */
export function backoffMs(failures: number, firstMs: number, maxBackoffMs?: number): number {
  const cap = maxBackoffMs ?? Math.max(firstMs, 30_000)
  return Math.min(firstMs * 2 ** Math.max(0, failures - 1), Math.max(cap, firstMs))
}
