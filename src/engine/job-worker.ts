// The one job-worker loop of both engines: a Poller whose round activates as many jobs as the worker has room for and
// hands each to the handler without waiting for it. A handler that throws fails its job with one retry less, as the
// Camunda SDK's worker does; close() stops activating and drains the jobs in flight. The engines differ only in how
// jobs are activated (one SQL statement, or a long poll of the gateway) and in what wakes the loop early.
import { Poller } from '../lib/poller.js'
import type { ActivatedJob, Job, JobActions, JobHandler, JobWorker } from './port.js'

export interface JobSource {
  /** One activation of at most `max` jobs (the gateway may hold it open: long polling). */
  activate(max: number): Promise<ActivatedJob[]>
  /** Ends an activation in flight, for close() during a long poll. */
  cancel?(): void
  actions(job: ActivatedJob): JobActions
  /** Told about failed activations and handlers that throw; never throws. */
  onError(err: unknown, context: { jobKey?: string }): void
  /** Calls `wake` whenever jobs of the worker's type may have become activatable; returns the unsubscribe. */
  subscribe?(wake: () => void): () => void
}

export interface JobLoopOptions {
  /** At most this many jobs in flight at once. */
  capacity: number
  /** The wait after an activation that found nothing, unless woken earlier. */
  pollIntervalMs: number
  /**
   * How long to wait after an empty activation that took `elapsedMs`. Default: the poll interval. A long poll that was
   * held open has waited already (0); a gateway that answers at once must not be asked again at once.
   */
  emptyWaitMs?(elapsedMs: number): number
  /** The wait after a failed activation, doubling up to maxBackoffMs. */
  minBackoffMs: number
  maxBackoffMs: number
}

export function startJobLoop(source: JobSource, opts: JobLoopOptions, handler: JobHandler): JobWorker {
  const inFlight = new Set<Promise<void>>()
  let closing = false
  // The last round found no room: a finished job wakes the loop.
  let starved = false

  const run = (activated: ActivatedJob): void => {
    const actions = source.actions(activated)
    const task = (async () => {
      try {
        await handler({ ...activated, ...actions } as Job)
      } catch (err) {
        // A handler that throws has not answered: the job is retried (or becomes an incident) now, not when its lock
        // expires.
        source.onError(err, { jobKey: activated.key })
        try {
          await actions.fail({
            retries: Math.max(0, activated.retries - 1),
            errorMessage: err instanceof Error ? err.message : String(err),
          })
        } catch (failErr) {
          source.onError(failErr, { jobKey: activated.key })
        }
      }
    })()
    inFlight.add(task)
    void task.finally(() => {
      inFlight.delete(task)
      if (starved) {
        starved = false
        poller.wake()
      }
    })
  }

  const poller = new Poller({
    intervalMs: opts.pollIntervalMs,
    minBackoffMs: opts.minBackoffMs,
    maxBackoffMs: opts.maxBackoffMs,
    onError: (err) => source.onError(err, {}),
    round: async () => {
      const free = opts.capacity - inFlight.size
      if (free <= 0) {
        starved = true
        return { waitMs: opts.pollIntervalMs }
      }
      const started = Date.now()
      let jobs: ActivatedJob[]
      try {
        jobs = await source.activate(free)
      } catch (err) {
        if (closing) return { waitMs: opts.pollIntervalMs }
        throw err
      }
      // Jobs activated while closing are locked to this worker already: run them rather than let their locks expire.
      for (const job of jobs) run(job)
      if (jobs.length > 0) return { waitMs: 0 }
      return { waitMs: opts.emptyWaitMs?.(Date.now() - started) ?? opts.pollIntervalMs }
    },
  })
  const unsubscribe = source.subscribe?.(() => poller.wake())
  poller.start()

  return {
    async close() {
      closing = true
      unsubscribe?.()
      source.cancel?.()
      await poller.stop()
      while (inFlight.size > 0) await Promise.allSettled([...inFlight])
    },
  }
}
