// At most a few report computations at once per process. A report over a province-year can hold a database
// connection for seconds; unbounded, ten of them take the whole pool, and the engine, the projector and the outbox then
// wait for connections they need in milliseconds. Reports beyond the limit wait in line for a while, then get a clear
// 503 ("busy, try again") rather than starving the work that moves dossiers.
import { AppError } from '../errors.js'

export interface ReportGateOptions {
  /** Report computations running at once. */
  maxConcurrent: number
  /** How long a report may wait for its turn before the caller is told the service is busy. */
  queueTimeoutMs: number
}

export class ReportGate {
  private active = 0
  private readonly waiting: Array<{ go: () => void; timer: NodeJS.Timeout }> = []

  constructor(readonly opts: ReportGateOptions) {}

  /** Computations running, and those waiting for a place. */
  get load(): { active: number; waiting: number } {
    return { active: this.active, waiting: this.waiting.length }
  }

  /** Runs `fn` when a place is free; throws MC_ERR_REPORTS_BUSY (503) after queueTimeoutMs in line. */
  async run<T>(fn: () => Promise<T>): Promise<T> {
    if (this.active >= this.opts.maxConcurrent) await this.turn()
    else this.active++
    try {
      return await fn()
    } finally {
      this.release()
    }
  }

  /** Waits for a place; the place is handed over by release(), so `active` stays counted. */
  private turn(): Promise<void> {
    return new Promise((resolve, reject) => {
      const entry = {
        go: () => {
          clearTimeout(entry.timer)
          resolve()
        },
        timer: setTimeout(() => {
          const i = this.waiting.indexOf(entry)
          if (i >= 0) this.waiting.splice(i, 1)
          reject(new AppError('MC_ERR_REPORTS_BUSY', undefined, { retryAfterSeconds: 30 }))
        }, this.opts.queueTimeoutMs),
      }
      this.waiting.push(entry)
    })
  }

  private release(): void {
    const next = this.waiting.shift()
    if (next) next.go()
    else this.active--
  }
}
