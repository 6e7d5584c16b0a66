// Jobs: activation (FOR UPDATE SKIP LOCKED, one message), the job workers, and answering jobs —
// complete (batched per event-loop turn), fail (retries, back-off, incident) and BPMN errors.
import { adHocJobCompleted } from './elements/ad-hoc.js'
import {
  EngineError,
  type ActivateJobsRequest,
  type ActivatedJob,
  type JobAcknowledgement,
  type JobHandler,
  type JobResult,
  type JobWorker,
  type Variables,
  type WorkerOptions,
} from '../port.js'
import { parseKey, type EngineCore } from './core.js'
import type { JobNotifications } from './notifications.js'
import type { JobRow } from './rows.js'
import { inline, oneMessage } from './sql.js'
import type { Inst, Step } from './step.js'
import { uncaughtErrorMessage, type ConsideredCatchEvents } from './elements/events.js'
import { completeUserTaskOfJob, finishTransition } from './user-tasks.js'
import { isListenerJob, isProcessListenerJob, processAsElement, processListenerDone } from './listeners.js'
import { isTaskListenerJob, taskListenerDone } from './task-listeners.js'
import { startJobLoop } from '../job-worker.js'

class BatchFallback extends Error {}

export class Jobs {
  readonly workers = new Set<JobWorker>()

  constructor(
    private readonly core: EngineCore,
    private readonly notifications: JobNotifications,
  ) {}

  log(message: string, err?: unknown): void {
    this.core.log(message, err)
  }

  createWorker(opts: WorkerOptions, handler: JobHandler): JobWorker {
    const worker = opts.worker ?? `motcua-${process.pid}`
    const ack = Object.freeze({}) as JobAcknowledgement
    const loop = startJobLoop(
      {
        activate: (max) =>
          this.activateJobs({
            type: opts.type,
            worker,
            maxJobsToActivate: max,
            timeoutMs: opts.timeoutMs ?? 60_000,
            ...(opts.fetchVariables ? { fetchVariables: opts.fetchVariables } : {}),
          }),
        actions: (job) => ({
          complete: async (variables, result) => (await this.completeJob(job.key, variables, result), ack),
          fail: async (o) => (await this.failJob(job.key, o), ack),
          error: async (o) => (await this.throwJobError(job.key, o), ack),
        }),
        onError: (err, { jobKey }) =>
          this.core.log(
            jobKey
              ? `job ${jobKey} (${opts.type}): the handler failed`
              : `job worker ${worker} (${opts.type}): activation failed`,
            err,
          ),
        // Woken at once by a commit that created jobs of the type, here or in another process (LISTEN).
        subscribe: (wake) => this.notifications.subscribe(opts.type, wake),
      },
      {
        capacity: opts.maxJobsToActivate ?? 32,
        pollIntervalMs: opts.pollIntervalMs ?? this.core.opts.workerPollMs ?? 1000,
        // A database outage is not hammered: 200 ms doubling to 10 s.
        minBackoffMs: 200,
        maxBackoffMs: 10_000,
      },
      handler,
    )
    const tracked: JobWorker = {
      close: async () => {
        await loop.close()
        this.workers.delete(tracked)
      },
    }
    this.workers.add(tracked)
    return tracked
  }

  async activateJobs(req: ActivateJobsRequest): Promise<ActivatedJob[]> {
    if (req.maxJobsToActivate <= 0) return []
    const now = this.core.clock()
    const deadline = new Date(now.getTime() + req.timeoutMs)
    // Activation commits without waiting for the WAL flush: a crash can only forget an activation, and
    // the job is then handed out again, which at-least-once delivery allows anyway. One message, one round trip.
    const query = inline(
      `WITH picked AS (
         SELECT key FROM engine_jobs
          WHERE type = ? AND state IN ('ACTIVATABLE', 'ACTIVATED') AND due_at <= ?
          ORDER BY due_at LIMIT ? FOR UPDATE SKIP LOCKED
       ), upd AS (
         UPDATE engine_jobs j SET state = 'ACTIVATED', worker = ?, due_at = ? FROM picked WHERE j.key = picked.key RETURNING j.*
       )
       SELECT upd.*, pi.variables AS root_variables,
         (WITH RECURSIVE chain AS (
            SELECT e.scope_key, e.variables, 0 AS depth FROM engine_element_instances e WHERE e.key = upd.element_instance_key
            UNION ALL
            SELECT e.scope_key, e.variables, c.depth + 1 FROM engine_element_instances e JOIN chain c ON e.key = c.scope_key
          ) SELECT coalesce(json_agg(variables ORDER BY depth DESC), '[]') FROM chain) AS scope_variables
       FROM upd JOIN engine_process_instances pi ON pi.key = upd.process_instance_key`,
      [req.type, now, Math.floor(req.maxJobsToActivate), req.worker, deadline],
      true,
    )
    // SET LOCAL holds for the message's implicit transaction (sql.ts: oneMessage).
    const [, rows] = await oneMessage(this.core.knex, ['SET LOCAL synchronous_commit = off', query])
    return (rows! as Array<JobRow & { root_variables: Variables; scope_variables: Variables[] }>).map((r) => {
      let variables: Variables = { ...r.root_variables }
      for (const v of r.scope_variables) Object.assign(variables, v)
      if (req.fetchVariables) {
        const picked: Variables = {}
        for (const name of req.fetchVariables) if (name in variables) picked[name] = variables[name]
        variables = picked
      }
      return {
        key: String(r.key),
        type: r.type,
        processInstanceKey: String(r.process_instance_key),
        processDefinitionKey: String(r.definition_key),
        bpmnProcessId: r.bpmn_process_id,
        processDefinitionVersion: r.version,
        elementId: r.element_id,
        elementInstanceKey: String(r.element_instance_key),
        customHeaders: r.custom_headers,
        worker: req.worker,
        retries: r.retries,
        deadline,
        variables,
      }
    })
  }

  /** Locks the job's instance and loads it with the job row, then runs fn. */
  private jobStep(jobKey: string, fn: (step: Step, inst: Inst, job: JobRow) => Promise<void>): Promise<void> {
    const key = parseKey(jobKey, 'Job')
    return this.core.runStep(async (step) => {
      const inst = await step.load(
        {
          lock: 'SELECT pi.key FROM engine_process_instances pi JOIN engine_jobs j ON j.process_instance_key = pi.key WHERE j.key = ? FOR UPDATE OF pi',
          key: '(SELECT process_instance_key FROM engine_jobs WHERE key = ?)',
          bindings: [key],
        },
        { extra: { sql: '(SELECT row_to_json(j) FROM engine_jobs j WHERE j.key = ?)', bindings: [key] } },
      )
      const job = step.extra as JobRow | null
      if (!inst || !job) throw new EngineError('NOT_FOUND', `Job ${jobKey} not found`)
      await fn(step, inst, job)
    })
  }

  private completionBatch: Array<{
    key: number
    variables: Variables | undefined
    result: JobResult | undefined
    resolve: () => void
    reject: (err: unknown) => void
  }> = []

  /**
   * Completions requested in the same event-loop turn (a worker's handlers for one activation batch)
   * go in one step: one message locks and reads every instance, one writes and commits, so a batch
   * costs two round trips and one WAL flush instead of two and one per job. If anything in the batch
   * fails, each completion runs again on its own and gets its own answer.
   */
  async completeJob(jobKey: string, variables?: Variables, result?: JobResult): Promise<void> {
    const key = parseKey(jobKey, 'Job')
    return new Promise<void>((resolve, reject) => {
      if (this.completionBatch.length === 0) setImmediate(() => void this.flushCompletions())
      this.completionBatch.push({ key, variables, result, resolve, reject })
    })
  }

  private async flushCompletions(): Promise<void> {
    const all = this.completionBatch
    this.completionBatch = []
    for (let i = 0; i < all.length; i += 64) void this.completeBatch(all.slice(i, i + 64))
  }

  private async completeBatch(batch: typeof this.completionBatch): Promise<void> {
    const keys = [...new Set(batch.map((c) => c.key))]
    if (batch.length > 1 && keys.length === batch.length) {
      try {
        await this.core.runStep(async (step) => {
          const loaded = await step.loadJobs(keys)
          for (const c of batch) {
            const hit = loaded.get(c.key)
            if (!hit || hit.job.state === 'FAILED' || !hit.inst.els.has(hit.job.element_instance_key))
              throw new BatchFallback()
            await this.completeLoaded(step, hit.inst, hit.job as JobRow, c.variables, c.result)
          }
        })
        for (const c of batch) c.resolve()
        return
      } catch (err) {
        if (!(err instanceof BatchFallback) && !(err instanceof EngineError))
          this.core.log('batched job completion failed; completing one by one', err)
      }
    }
    await Promise.all(
      batch.map((c) =>
        this.completeOne(String(c.key), c.variables, c.result).then(
          () => c.resolve(),
          (err) => c.reject(err),
        ),
      ),
    )
  }

  private async completeOne(jobKey: string, variables?: Variables, result?: JobResult): Promise<void> {
    await this.jobStep(jobKey, async (step, inst, job) => {
      if (job.state === 'FAILED')
        throw new EngineError('INVALID_STATE', `Job ${jobKey} has an incident; resolve it first`)
      await this.completeLoaded(step, inst, job, variables, result)
    })
  }

  private async completeLoaded(
    step: Step,
    inst: Inst,
    job: JobRow,
    variables?: Variables,
    result?: JobResult,
  ): Promise<void> {
    const ei = inst.els.get(job.element_instance_key)
    step.jobs.delete(job.key)
    if (!ei) {
      // The process's own execution listener (its element instance key is the instance key).
      if (isProcessListenerJob(inst, job.key)) await processListenerDone(step, inst, variables)
      return
    }
    // A user task listener's job: its answer (denial, corrections) moves the task's transition (task-listeners.ts).
    if (isTaskListenerJob(ei, job.key))
      return await taskListenerDone(step, inst, ei, job, variables, result, finishTransition)
    if (isListenerJob(ei, job.key)) return await step.listenerDone(inst, ei, variables)
    // An ad-hoc sub-process's own job: its result activates elements or completes it (elements/ad-hoc.ts).
    if (ei.data.adHocJobKey === Number(job.key)) return await adHocJobCompleted(step, inst, ei, variables, result)
    completeUserTaskOfJob(step, inst, Number(job.key))
    await step.completeActivity(inst, ei, variables)
  }

  async failJob(
    jobKey: string,
    opts: { retries: number; retryBackOffMs?: number; errorMessage: string; variables?: Variables },
  ): Promise<void> {
    await this.jobStep(jobKey, async (step, inst, job) => {
      if (job.state === 'FAILED') throw new EngineError('INVALID_STATE', `Job ${jobKey} has an incident already`)
      const ei = inst.els.get(job.element_instance_key)
      const backoff = Math.max(0, opts.retryBackOffMs ?? 0)
      const updated: JobRow = {
        ...job,
        retries: Math.max(0, opts.retries),
        worker: null,
        error_message: opts.errorMessage,
        state: opts.retries > 0 ? 'ACTIVATABLE' : 'FAILED',
        due_at: new Date(step.now.getTime() + backoff).toISOString(),
      }
      step.jobs.update(updated as JobRow & { key: number })
      if (ei && opts.variables) step.setVariablesLocal(inst, ei, opts.variables)
      if (opts.retries > 0) {
        if (backoff === 0) step.wakeJobTypes.add(job.type)
        else step.laterJobWakes.push({ type: job.type, at: new Date(Date.now() + backoff) })
      } else if (!ei && isProcessListenerJob(inst, job.key)) {
        await step.raiseIncident(
          inst,
          processAsElement(inst),
          'JOB_NO_RETRIES',
          opts.errorMessage || 'No more retries left.',
          job.key,
        )
      } else if (ei) {
        // Zeebe's error type for a user task listener's job: TASK_LISTENER_NO_RETRIES.
        const errorType = isTaskListenerJob(ei, job.key) ? 'TASK_LISTENER_NO_RETRIES' : 'JOB_NO_RETRIES'
        await step.raiseIncident(inst, ei, errorType, opts.errorMessage || 'No more retries left.', job.key)
      }
    })
  }

  async throwJobError(
    jobKey: string,
    opts: { errorCode: string; errorMessage?: string; variables?: Variables },
  ): Promise<void> {
    await this.jobStep(jobKey, async (step, inst, job) => {
      if (job.state === 'FAILED')
        throw new EngineError('INVALID_STATE', `Job ${jobKey} has an incident; resolve it first`)
      const ei = inst.els.get(job.element_instance_key)
      // https://docs.camunda.io/docs/components/concepts/execution-listeners/#limitations
      if (!ei ? isProcessListenerJob(inst, job.key) : isListenerJob(ei, job.key))
        throw new EngineError(
          'INVALID_STATE',
          `Job ${jobKey} is an execution listener's job: throwing a BPMN error from it is not supported; complete or fail it`,
        )
      if (!ei) return
      // https://docs.camunda.io/docs/components/concepts/user-task-listeners/#limitations
      if (isTaskListenerJob(ei, job.key))
        throw new EngineError(
          'INVALID_STATE',
          `Job ${jobKey} is a user task listener's job: throwing a BPMN error from it is not supported; complete or fail it`,
        )
      const considered: ConsideredCatchEvents = new Map()
      const caught = await step.throwError(inst, ei, opts.errorCode, opts.variables, considered)
      if (caught) {
        step.jobs.delete(job.key)
        return
      }
      step.jobs.update({ ...job, state: 'FAILED', worker: null, error_message: opts.errorMessage ?? null } as JobRow & {
        key: number
      })
      await step.raiseIncident(
        inst,
        ei,
        'UNHANDLED_ERROR_EVENT',
        uncaughtErrorMessage(opts.errorCode, opts.errorMessage, considered),
        job.key,
      )
    })
  }

  async updateJobRetries(jobKey: string, retries: number): Promise<void> {
    if (!(retries >= 1)) throw new EngineError('INVALID_ARGUMENT', 'retries must be at least 1')
    await this.jobStep(jobKey, async (step, _inst, job) => {
      step.jobs.update({ ...job, retries } as JobRow & { key: number })
    })
  }
}
