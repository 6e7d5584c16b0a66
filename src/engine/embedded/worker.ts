// Job worker of the embedded engine: asks only for free capacity, waits for a wake-up (notification or
// poll), backs off after failed polls, and drains jobs in flight on close.
import type { ActivatedJob, Job, JobAcknowledgement, JobHandler, JobWorker, Variables, WorkerOptions } from '../port.js'

export interface WorkerHost {
  activateJobs(req: {
    type: string
    worker: string
    maxJobsToActivate: number
    timeoutMs: number
    fetchVariables?: string[]
  }): Promise<ActivatedJob[]>
  completeJob(key: string, variables?: Variables): Promise<void>
  failJob(
    key: string,
    opts: { retries: number; retryBackOffMs?: number; errorMessage: string; variables?: Variables },
  ): Promise<void>
  throwJobError(key: string, opts: { errorCode: string; errorMessage?: string; variables?: Variables }): Promise<void>
  /** Resolves when a job of the type may have become activatable, or after ms. */
  waitForJobs(type: string, ms: number, signal: { aborted: boolean; onAbort?: () => void }): Promise<void>
  log(message: string, err?: unknown): void
}

const ack = Object.freeze({}) as JobAcknowledgement

export class EmbeddedJobWorker implements JobWorker {
  private inFlight = new Set<Promise<void>>()
  private closing = false
  private readonly abort: { aborted: boolean; onAbort?: () => void } = { aborted: false }
  private readonly loop: Promise<void>
  private slotFreed?: () => void

  constructor(
    private readonly host: WorkerHost,
    private readonly opts: Required<
      Pick<WorkerOptions, 'type' | 'worker' | 'maxJobsToActivate' | 'timeoutMs' | 'pollIntervalMs'>
    > &
      Pick<WorkerOptions, 'fetchVariables'>,
    private readonly handler: JobHandler,
  ) {
    this.loop = this.run()
  }

  private async run(): Promise<void> {
    let failures = 0
    while (!this.closing) {
      const capacity = this.opts.maxJobsToActivate - this.inFlight.size
      if (capacity <= 0) {
        await new Promise<void>((resolve) => (this.slotFreed = resolve))
        continue
      }
      let jobs: ActivatedJob[]
      try {
        jobs = await this.host.activateJobs({
          type: this.opts.type,
          worker: this.opts.worker,
          maxJobsToActivate: capacity,
          timeoutMs: this.opts.timeoutMs,
          ...(this.opts.fetchVariables ? { fetchVariables: this.opts.fetchVariables } : {}),
        })
        failures = 0
      } catch (err) {
        failures++
        this.host.log(`job worker ${this.opts.worker} (${this.opts.type}): activation failed`, err)
        // Exponential back-off so a database outage is not hammered; capped at 10 s.
        await this.host.waitForJobs('\u0000never', Math.min(10_000, 100 * 2 ** failures), this.abort)
        continue
      }
      for (const job of jobs) this.handle(job)
      if (jobs.length === 0 && !this.closing)
        await this.host.waitForJobs(this.opts.type, this.opts.pollIntervalMs, this.abort)
    }
  }

  private handle(activated: ActivatedJob): void {
    const host = this.host
    const job: Job = {
      ...activated,
      async complete(variables?: Variables) {
        await host.completeJob(activated.key, variables)
        return ack
      },
      async fail(o) {
        await host.failJob(activated.key, o)
        return ack
      },
      async error(o) {
        await host.throwJobError(activated.key, o)
        return ack
      },
    }
    const p = (async () => {
      try {
        await this.handler(job)
      } catch (err) {
        // A handler that throws fails the job with one retry less, as the Camunda SDK does.
        try {
          await host.failJob(activated.key, {
            retries: Math.max(0, activated.retries - 1),
            errorMessage: err instanceof Error ? err.message : String(err),
          })
        } catch (failErr) {
          host.log(`job ${activated.key}: could not record the failure`, failErr)
        }
      }
    })()
    this.inFlight.add(p)
    void p.finally(() => {
      this.inFlight.delete(p)
      const wake = this.slotFreed
      this.slotFreed = undefined
      wake?.()
    })
  }

  async close(): Promise<void> {
    this.closing = true
    this.abort.aborted = true
    this.abort.onAbort?.()
    const wake = this.slotFreed
    this.slotFreed = undefined
    wake?.()
    await this.loop
    await Promise.allSettled([...this.inFlight])
  }
}
