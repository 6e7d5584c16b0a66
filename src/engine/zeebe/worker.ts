// A polling job worker over REST job activation: asks only for free capacity, backs off after failures, drains on
// close.
import type {
  ActivateJobsRequest,
  ActivatedJob,
  Job,
  JobActions,
  JobHandler,
  JobWorker,
  WorkerOptions,
} from '../port.js'

export interface WorkerDeps {
  /** One activation request; `requestTimeoutMs` is how long the gateway may hold it (long polling). */
  activate(req: ActivateJobsRequest & { requestTimeoutMs: number }): Promise<ActivatedJob[]> & { cancel?: () => void }
  actions(job: ActivatedJob): JobActions
  /** Told about poll failures and handler crashes; never throws. */
  onError?(err: unknown, context: { type: string; jobKey?: string }): void
}

export interface WorkerTuning {
  /** First back-off after a failed poll; doubles up to maxBackoffMs. */
  minBackoffMs?: number
  maxBackoffMs?: number
}

const DEFAULTS = { maxJobsToActivate: 32, timeoutMs: 5 * 60_000, pollIntervalMs: 10_000 }

export function startJobWorker(
  deps: WorkerDeps,
  opts: WorkerOptions,
  handler: JobHandler,
  tuning: WorkerTuning = {},
): JobWorker {
  const capacity = opts.maxJobsToActivate ?? DEFAULTS.maxJobsToActivate
  const pollIntervalMs = opts.pollIntervalMs ?? DEFAULTS.pollIntervalMs
  const minBackoffMs = tuning.minBackoffMs ?? 500
  const maxBackoffMs = tuning.maxBackoffMs ?? 30_000
  const workerName = opts.worker ?? `motcua-${opts.type}`
  const inFlight = new Set<Promise<void>>()
  let closing = false
  let failures = 0
  let wake: (() => void) | undefined
  let currentPoll: (Promise<ActivatedJob[]> & { cancel?: () => void }) | undefined

  /** Resolves after ms, or at once when close() or a finished job wakes the loop. */
  const pause = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms)
      function done() {
        clearTimeout(timer)
        wake = undefined
        resolve()
      }
      wake = done
    })

  const run = (job: ActivatedJob) => {
    const task = (async () => {
      try {
        await handler({ ...job, ...deps.actions(job) } as Job)
      } catch (err) {
        // A handler that throws has not answered; fail the job as the Camunda SDK's worker does,
        // so it is retried (or becomes an incident) instead of waiting for its lock to expire.
        deps.onError?.(err, { type: opts.type, jobKey: job.key })
        try {
          await deps.actions(job).fail({
            retries: Math.max(job.retries - 1, 0),
            errorMessage: err instanceof Error ? err.message : String(err),
          })
        } catch (failErr) {
          deps.onError?.(failErr, { type: opts.type, jobKey: job.key })
        }
      }
    })()
    inFlight.add(task)
    void task.finally(() => {
      inFlight.delete(task)
      wake?.()
    })
  }

  const loop = (async () => {
    while (!closing) {
      const free = capacity - inFlight.size
      if (free <= 0) {
        await pause(pollIntervalMs)
        continue
      }
      const started = Date.now()
      let jobs: ActivatedJob[]
      try {
        currentPoll = deps.activate({
          type: opts.type,
          worker: workerName,
          maxJobsToActivate: free,
          timeoutMs: opts.timeoutMs ?? DEFAULTS.timeoutMs,
          ...(opts.fetchVariables ? { fetchVariables: opts.fetchVariables } : {}),
          requestTimeoutMs: pollIntervalMs,
        })
        jobs = await currentPoll
        failures = 0
      } catch (err) {
        currentPoll = undefined
        if (closing) break
        failures++
        deps.onError?.(err, { type: opts.type })
        await pause(Math.min(maxBackoffMs, minBackoffMs * 2 ** (failures - 1)))
        continue
      }
      currentPoll = undefined
      // Jobs activated while closing are already locked to us: run them rather than let them time out.
      for (const job of jobs) run(job)
      // A gateway without long polling answers at once; do not spin on it.
      if (jobs.length === 0 && !closing && Date.now() - started < Math.min(100, pollIntervalMs))
        await pause(pollIntervalMs)
    }
  })()

  return {
    async close() {
      closing = true
      currentPoll?.cancel?.()
      wake?.()
      await loop
      while (inFlight.size > 0) await Promise.allSettled([...inFlight])
    },
  }
}
