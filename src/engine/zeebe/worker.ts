// A polling job worker over REST job activation (long polling): the shared job-worker loop (../job-worker.ts) with the
// gateway's activation; asks only for free capacity, backs off after failures, drains on close.
import { startJobLoop } from '../job-worker.js'
import type { ActivateJobsRequest, ActivatedJob, JobActions, JobHandler, JobWorker, WorkerOptions } from '../port.js'

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
  const pollIntervalMs = opts.pollIntervalMs ?? DEFAULTS.pollIntervalMs
  const workerName = opts.worker ?? `motcua-${opts.type}`
  let currentPoll: (Promise<ActivatedJob[]> & { cancel?: () => void }) | undefined
  return startJobLoop(
    {
      async activate(max) {
        currentPoll = deps.activate({
          type: opts.type,
          worker: workerName,
          maxJobsToActivate: max,
          timeoutMs: opts.timeoutMs ?? DEFAULTS.timeoutMs,
          ...(opts.fetchVariables ? { fetchVariables: opts.fetchVariables } : {}),
          requestTimeoutMs: pollIntervalMs,
        })
        try {
          return await currentPoll
        } finally {
          currentPoll = undefined
        }
      },
      cancel: () => currentPoll?.cancel?.(),
      actions: (job) => deps.actions(job),
      onError: (err, context) => deps.onError?.(err, { type: opts.type, ...context }),
    },
    {
      capacity: opts.maxJobsToActivate ?? DEFAULTS.maxJobsToActivate,
      pollIntervalMs,
      // The gateway held an empty poll open: ask again at once. One without long polling answers at once: wait.
      emptyWaitMs: (elapsedMs) => (elapsedMs < Math.min(100, pollIntervalMs) ? pollIntervalMs : 0),
      minBackoffMs: tuning.minBackoffMs ?? 500,
      maxBackoffMs: tuning.maxBackoffMs ?? 30_000,
    },
    handler,
  )
}
