// Timers: one loop per engine wakes at the next due time it was told of (or every poll interval), fires
// due timers each in its own step, and runs the message recovery sweep along with its poll.
import type { EngineCore } from './core.js'
import type { Messages } from './messages.js'
import type { TimerRow } from './rows.js'

export class Timers {
  private timerHandle?: NodeJS.Timeout
  private timerWakeAt = Infinity
  private timerRunning = false
  private timerAgain = false
  private started = false
  private sweepAll = true
  private lastSweep = 0

  constructor(
    private readonly core: EngineCore,
    private readonly messages: Messages,
  ) {
    core.onCommit((step) => {
      for (const at of step.timerDueHints) this.scheduleTimerWake(at.getTime())
    })
  }

  start(): void {
    this.started = true
    this.sweepAll = true
    this.scheduleTimerWake(Date.now())
  }

  /** No more runs are planned; one in progress goes on (see idle). */
  halt(): void {
    this.started = false
    if (this.timerHandle) clearTimeout(this.timerHandle)
    this.timerHandle = undefined
  }

  /** Resolves when no run is in progress. */
  async idle(): Promise<void> {
    while (this.timerRunning) await new Promise((r) => setTimeout(r, 10))
  }

  /** Makes the loop run at `at` (ms) if that is sooner than planned. */
  scheduleTimerWake(at: number): void {
    if (!this.started || this.core.stopped) return
    if (at >= this.timerWakeAt && this.timerHandle) return
    if (this.timerRunning) {
      this.timerAgain = true
      return
    }
    if (this.timerHandle) clearTimeout(this.timerHandle)
    this.timerWakeAt = at
    // Capped by the poll interval: a clock far off (tests) or a missed hint costs one poll at most.
    const delay = Math.min(Math.max(0, at - Date.now()), this.core.opts.timerPollMs ?? 1000)
    this.timerHandle = setTimeout(() => void this.timerLoop(), delay)
    this.timerHandle.unref?.()
  }

  private async timerLoop(): Promise<void> {
    this.timerHandle = undefined
    this.timerWakeAt = Infinity
    this.timerRunning = true
    try {
      do {
        this.timerAgain = false
        const pollMs = this.core.opts.timerPollMs ?? 1000
        if (this.sweepAll || Date.now() - this.lastSweep >= pollMs) {
          const all = this.sweepAll
          this.sweepAll = false
          this.lastSweep = Date.now()
          await this.messages.recoverMessages(all ? 0 : Math.max(2000, pollMs)).catch((err) => {
            if (all) this.sweepAll = true
            this.core.log('message recovery sweep failed', err)
          })
        }
        while ((await this.runDueTimers()) > 0 && !this.core.stopped) {
          /* more may be due */
        }
      } while (this.timerAgain && !this.core.stopped)
    } catch (err) {
      this.core.log('timer loop failed', err)
    } finally {
      this.timerRunning = false
    }
    if (!this.core.stopped) this.scheduleTimerWake(Date.now() + (this.core.opts.timerPollMs ?? 1000))
  }

  /** Fires the timers due now (by the engine clock); returns how many fired. Public for tests with a manual clock. */
  async runDueTimers(limit = 100): Promise<number> {
    const now = this.core.clock()
    const due = (
      await this.core.knex.raw(
        'SELECT key, process_instance_key FROM engine_timers WHERE due_at <= ? ORDER BY due_at LIMIT ?',
        [now, limit],
      )
    ).rows as Array<{ key: number; process_instance_key: number | null }>
    let fired = 0
    for (const t of due) {
      try {
        const ok = await this.core.runStep(async (step) => {
          if (t.process_instance_key != null && !(await step.load(t.process_instance_key))) return false
          const timer = (
            await step.sql('SELECT * FROM engine_timers WHERE key = ? AND due_at <= ? FOR UPDATE SKIP LOCKED', [
              t.key,
              now,
            ])
          ).rows[0] as TimerRow | undefined
          if (!timer) return false
          await step.fireTimer(timer)
          return true
        })
        if (ok) fired++
      } catch (err) {
        this.core.log(`timer ${t.key} failed`, err)
      }
    }
    await this.core.knex.raw(
      'WITH gone AS (DELETE FROM engine_messages WHERE expires_at <= ? RETURNING key) DELETE FROM engine_message_correlations WHERE message_key IN (SELECT key FROM gone)',
      [now],
    )
    return fired
  }
}
