// The embedded workflow engine: implements the engine port over PostgreSQL rows, one transaction per
// step, so any number of motcua processes can share one database and nothing waits in memory.
import { createHash } from 'node:crypto'
import type { Knex } from 'knex'
import pg from 'pg'
import type { Database } from '../../db/database.js'
import {
  DeployValidationError,
  EngineError,
  type ActivateJobsRequest,
  type ActivatedJob,
  type CreateInstanceRequest,
  type DeployProblem,
  type DeployResource,
  type DeployResult,
  type DeployedProcess,
  type Engine,
  type EngineEvent,
  type EngineEventListener,
  type JobHandler,
  type JobWorker,
  type ProcessInstanceRef,
  type ProcessInstanceView,
  type PublishMessageRequest,
  type UserTask,
  type UserTaskFilter,
  type Variables,
  type WorkerOptions,
} from '../port.js'
import { scheduleTimer } from './feel.js'
import { compileProcess, executableProcesses, parseBpmn, type CompiledProcess, type ModdleElement } from './model.js'
import {
  toIncident,
  toUserTask,
  type IncidentRow,
  type JobRow,
  type SubRow,
  type TimerRow,
  type UtRow,
} from './rows.js'
import { Step, type Inst, type Queryable, type StepHost } from './step.js'
import { acquire, inline, lastRows, release } from './sql.js'
import { checkSupportedSubset } from './subset.js'
import { EmbeddedJobWorker } from './worker.js'

export type DeployValidator = (resources: DeployResource[]) => Promise<DeployProblem[]>

export interface EmbeddedEngineOptions {
  /** Run before deployment, after parsing; any error-severity problem rejects the deployment. */
  validators?: DeployValidator[]
  /** Injectable clock for tests; defaults to the system clock. */
  clock?: () => Date
  /** How often due timers are looked for when nothing announced one sooner. */
  timerPollMs?: number
  /** Default fallback poll interval of workers. */
  workerPollMs?: number
  log?: (message: string, err?: unknown) => void
  /** Fault points for crash tests: a hook that throws simulates the process dying there. */
  faults?: {
    /** After a published message's first transaction (buffered, owed correlations recorded) committed. */
    afterMessageBuffered?: () => void
  }
}

const NOTIFY_CHANNEL = 'motcua_engine_jobs'

function parseKey(key: string, what: string): number {
  if (!/^\d{1,16}$/.test(String(key))) throw new EngineError('NOT_FOUND', `${what} ${key} not found`)
  return Number(key)
}

function retryable(err: unknown): boolean {
  const code = (err as { code?: string })?.code
  return code === '40P01' || code === '40001' || code === '23505'
}

export class EmbeddedEngine implements Engine, StepHost {
  readonly kind = 'embedded' as const
  readonly notifies: boolean
  readonly knex: Knex
  private readonly clock: () => Date
  private readonly cache = new Map<number, CompiledProcess>()
  private keyNext = 0
  private keyEnd = 0
  private readonly listeners = new Set<EngineEventListener>()
  private delivery: Promise<void> = Promise.resolve()
  private readonly workers = new Set<JobWorker>()
  private readonly jobWaiters = new Map<string, Set<() => void>>()
  private timerHandle?: NodeJS.Timeout
  private timerWakeAt = Infinity
  private timerRunning = false
  private timerAgain = false
  private started = false
  private stopped = false
  private listenClient?: pg.Client
  readonly log: (message: string, err?: unknown) => void

  constructor(
    private readonly db: Database,
    private readonly opts: EmbeddedEngineOptions = {},
  ) {
    this.knex = db.knex
    this.notifies = !db.embedded
    this.clock = opts.clock ?? (() => new Date())
    this.log = opts.log ?? ((m, e) => console.error(`[engine] ${m}`, e ?? ''))
  }

  // ------------------------------------------------------------ StepHost

  async compiled(definitionKey: number, trx: Queryable): Promise<CompiledProcess> {
    const hit = this.cache.get(definitionKey)
    if (hit) return hit
    const { rows } = await trx.raw(
      'SELECT bpmn_process_id, version, xml FROM engine_process_definitions WHERE key = ?',
      [definitionKey],
    )
    const row = rows[0]
    if (!row) throw new EngineError('NOT_FOUND', `Process definition ${definitionKey} not found`)
    const { definitions } = await parseBpmn(row.xml)
    const proc = executableProcesses(definitions).find((p: ModdleElement) => p.id === row.bpmn_process_id)
    const compiled = compileProcess(proc)
    compiled.definitionKey = definitionKey
    compiled.version = row.version
    this.cache.set(definitionKey, compiled)
    return compiled
  }

  async latestDefinition(bpmnProcessId: string, trx: Queryable): Promise<{ key: number; version: number } | undefined> {
    const { rows } = await trx.raw(
      'SELECT key, version FROM engine_process_definitions WHERE bpmn_process_id = ? ORDER BY version DESC LIMIT 1',
      [bpmnProcessId],
    )
    return rows[0]
  }

  private readonly latestCache = new Map<string, { key: number; at: number }>()

  /**
   * Latest definition key of a process, cached for a second: a version deployed by another motcua
   * process is used for new instances within a second; one deployed here, at once.
   */
  private async latestDefinitionKey(bpmnProcessId: string): Promise<number | undefined> {
    const hit = this.latestCache.get(bpmnProcessId)
    if (hit && Date.now() - hit.at < 1000) return hit.key
    const def = await this.latestDefinition(bpmnProcessId, this.knex)
    if (def) this.latestCache.set(bpmnProcessId, { key: def.key, at: Date.now() })
    return def?.key
  }

  async nextKey(trx: Queryable): Promise<number> {
    if (this.keyNext < this.keyEnd) return this.keyNext++
    const { rows } = await trx.raw("SELECT nextval('engine_key_seq') AS v")
    const v = Number(rows[0].v)
    // The sequence moves in steps of 100: this process owns [v, v + 100).
    this.keyNext = v + 1
    this.keyEnd = v + 100
    return v
  }

  // ------------------------------------------------------------ steps

  /** Runs fn as one step in one transaction, retried on deadlock/serialisation failure; delivers events after commit. */
  private async runStep<T>(fn: (step: Step) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      const step = new Step(this, this.clock())
      try {
        const result = await fn(step)
        await step.drain()
        const events = await step.flush() // commits too
        this.afterCommit(step, events)
        return result
      } catch (err) {
        await step.rollback()
        if (attempt < 8 && retryable(err)) {
          await new Promise((r) => setTimeout(r, Math.random() * 20 * attempt))
          continue
        }
        throw err
      }
    }
  }

  private afterCommit(step: Step, events: EngineEvent[]): void {
    for (const type of step.wakeJobTypes) this.wakeJobs(type)
    if (this.notifies) for (const type of step.wakeJobTypes) this.notifyOthers(type)
    for (const { type, at } of step.laterJobWakes)
      setTimeout(() => this.wakeJobs(type), Math.max(0, at.getTime() - Date.now())).unref()
    for (const at of step.timerDueHints) this.scheduleTimerWake(at.getTime())
    if (events.length > 0 && this.listeners.size > 0) {
      const listeners = [...this.listeners]
      // One chain keeps delivery in commit order, so each instance's events arrive in order.
      this.delivery = this.delivery.then(async () => {
        for (const e of events)
          for (const l of listeners) {
            try {
              await l(e)
            } catch (err) {
              this.log('event listener failed', err)
            }
          }
      })
    }
  }

  private pendingNotify = new Set<string>()
  private notifyChain: Promise<void> = Promise.resolve()

  /**
   * Tells other motcua processes (LISTEN) that jobs of a type are waiting. Batched per event-loop turn
   * and sent on the listening connection outside any step, so commits never wait for the notify lock.
   */
  private notifyOthers(type: string): void {
    if (this.pendingNotify.size === 0)
      setImmediate(() => {
        const types = [...this.pendingNotify]
        this.pendingNotify.clear()
        const client = this.listenClient
        if (!client) return
        this.notifyChain = this.notifyChain
          .then(() => client.query('SELECT pg_notify($1, $2)', [NOTIFY_CHANNEL, types.join('\n')]))
          .then(
            () => undefined,
            (err) => this.log('notify failed', err),
          )
      })
    this.pendingNotify.add(type)
  }

  // ------------------------------------------------------------ lifecycle

  async start(): Promise<void> {
    if (this.started) return
    this.started = true
    this.stopped = false
    this.sweepAll = true
    this.scheduleTimerWake(Date.now())
    if (this.notifies) await this.listen()
  }

  private async listen(): Promise<void> {
    const client = new pg.Client({ connectionString: this.db.url })
    client.on('notification', (n) => {
      for (const type of (n.payload ?? '').split('\n')) this.wakeJobs(type)
    })
    client.on('error', (err) => {
      this.log('notification connection lost; polling until it is back', err)
      this.listenClient = undefined
      if (!this.stopped) setTimeout(() => void this.listen().catch(() => undefined), 1000).unref()
    })
    try {
      await client.connect()
      await client.query(`LISTEN ${NOTIFY_CHANNEL}`)
      this.listenClient = client
    } catch (err) {
      this.log('could not LISTEN; workers fall back to polling', err)
      await client.end().catch(() => undefined)
      if (!this.stopped) setTimeout(() => void this.listen().catch(() => undefined), 2000).unref()
    }
  }

  async stop(): Promise<void> {
    this.stopped = true
    this.started = false
    if (this.timerHandle) clearTimeout(this.timerHandle)
    this.timerHandle = undefined
    await Promise.all([...this.workers].map((w) => w.close()))
    while (this.timerRunning) await new Promise((r) => setTimeout(r, 10))
    const c = this.listenClient
    this.listenClient = undefined
    await c?.end().catch(() => undefined)
    await this.delivery
  }

  async ready(): Promise<boolean> {
    try {
      await this.knex.raw('SELECT 1')
      return true
    } catch {
      return false
    }
  }

  // ------------------------------------------------------------ deployment

  async deploy(resources: DeployResource[]): Promise<DeployResult> {
    const problems: DeployProblem[] = []
    const parsed: Array<{ resource: DeployResource; xml: string; processes: ModdleElement[]; checksum: string }> = []
    for (const resource of resources) {
      const xml = typeof resource.content === 'string' ? resource.content : resource.content.toString('utf8')
      try {
        const { definitions } = await parseBpmn(xml)
        problems.push(...checkSupportedSubset(definitions, resource.name))
        parsed.push({
          resource,
          xml,
          processes: executableProcesses(definitions),
          checksum: createHash('sha256').update(xml).digest('hex'),
        })
      } catch (err) {
        problems.push({
          resourceName: resource.name,
          rule: 'bpmn-parse',
          message: `Cannot read BPMN: ${(err as Error).message}`,
          severity: 'error',
        })
      }
    }
    for (const v of this.opts.validators ?? []) problems.push(...(await v(resources)))
    if (problems.some((p) => p.severity === 'error')) throw new DeployValidationError(problems)

    const deployed: DeployedProcess[] = []
    const timerHints: number[] = []
    const deploymentKey = await this.knex.transaction(async (trx) => {
      const dk = await this.nextKey(trx)
      await trx.raw('INSERT INTO engine_deployments (key) VALUES (?)', [dk])
      for (const { resource, xml, processes, checksum } of parsed) {
        for (const proc of processes) {
          const id = String(proc.id)
          await trx.raw('SELECT pg_advisory_xact_lock(hashtext(?))', [`deploy\u001f${id}`])
          const latest = (
            await trx.raw(
              'SELECT key, version, checksum FROM engine_process_definitions WHERE bpmn_process_id = ? ORDER BY version DESC LIMIT 1',
              [id],
            )
          ).rows[0]
          if (latest && latest.checksum === checksum) {
            deployed.push({
              bpmnProcessId: id,
              processDefinitionKey: String(latest.key),
              version: latest.version,
              resourceName: resource.name,
              duplicate: true,
            })
            continue
          }
          const key = await this.nextKey(trx)
          const version = (latest?.version ?? 0) + 1
          await trx.raw(
            'INSERT INTO engine_process_definitions (key, bpmn_process_id, version, resource_name, checksum, xml, deployment_key) VALUES (?, ?, ?, ?, ?, ?, ?)',
            [key, id, version, resource.name, checksum, xml, dk],
          )
          const compiled = compileProcess(proc)
          compiled.definitionKey = key
          compiled.version = version
          this.cache.set(key, compiled)
          // Start events belong to the latest version only (as in Zeebe).
          await trx.raw('DELETE FROM engine_message_start_subscriptions WHERE bpmn_process_id = ?', [id])
          await trx.raw(
            'DELETE FROM engine_timers WHERE process_instance_key IS NULL AND definition_key IN (SELECT key FROM engine_process_definitions WHERE bpmn_process_id = ?)',
            [id],
          )
          for (const sid of compiled.messageStartIds) {
            const el = compiled.elements.get(sid)!
            await trx.raw(
              'INSERT INTO engine_message_start_subscriptions (message_name, bpmn_process_id, definition_key, element_id) VALUES (?, ?, ?, ?)',
              [el.message!.name, id, key, sid],
            )
          }
          for (const sid of compiled.timerStartIds) {
            const el = compiled.elements.get(sid)!
            const s = scheduleTimer(el.timer!, {}, this.clock())
            await trx.raw(
              'INSERT INTO engine_timers (key, due_at, process_instance_key, element_instance_key, element_id, definition_key, repetitions, interval) VALUES (?, ?, NULL, NULL, ?, ?, ?, ?)',
              [await this.nextKey(trx), s.dueAt, sid, key, s.repetitions, s.interval ?? null],
            )
            timerHints.push(s.dueAt.getTime())
          }
          this.latestCache.set(id, { key, at: Date.now() })
          deployed.push({
            bpmnProcessId: id,
            processDefinitionKey: String(key),
            version,
            resourceName: resource.name,
            duplicate: false,
          })
        }
      }
      return dk
    })
    for (const at of timerHints) this.scheduleTimerWake(at)
    return { deploymentKey: String(deploymentKey), processes: deployed }
  }

  // ------------------------------------------------------------ instances

  async createProcessInstance(req: CreateInstanceRequest): Promise<ProcessInstanceRef> {
    const definitionKey =
      req.version === undefined
        ? await this.latestDefinitionKey(req.bpmnProcessId)
        : (
            await this.knex.raw(
              'SELECT key FROM engine_process_definitions WHERE bpmn_process_id = ? AND version = ?',
              [req.bpmnProcessId, req.version],
            )
          ).rows[0]?.key
    if (definitionKey === undefined)
      throw new EngineError(
        'NOT_FOUND',
        `Process ${req.bpmnProcessId}${req.version ? ` version ${req.version}` : ''} is not deployed`,
      )
    return this.runStep(async (step) => {
      const inst = await step.createInstance(definitionKey, req.variables ?? {})
      return {
        processInstanceKey: String(inst.pi.key),
        processDefinitionKey: String(inst.pi.definition_key),
        bpmnProcessId: inst.pi.bpmn_process_id,
        version: inst.pi.version,
      }
    })
  }

  async cancelProcessInstance(processInstanceKey: string): Promise<void> {
    const key = parseKey(processInstanceKey, 'Process instance')
    await this.runStep(async (step) => {
      const inst = await step.load(key)
      if (!inst || inst.pi.state !== 'ACTIVE')
        throw new EngineError('NOT_FOUND', `Process instance ${processInstanceKey} not found or not active`)
      if (inst.pi.parent_process_instance_key != null)
        throw new EngineError(
          'INVALID_STATE',
          `Process instance ${processInstanceKey} was created by a call activity; cancel its root instance`,
        )
      await step.terminateInstance(inst)
    })
  }

  async getProcessInstance(processInstanceKey: string): Promise<ProcessInstanceView | undefined> {
    if (!/^\d{1,16}$/.test(processInstanceKey)) return undefined
    const { rows } = await this.knex.raw(
      `SELECT row_to_json(pi) AS pi,
        (SELECT coalesce(json_agg(json_build_object('elementId', e.element_id, 'elementInstanceKey', e.key::text, 'elementType', e.element_type) ORDER BY e.key), '[]')
           FROM engine_element_instances e WHERE e.process_instance_key = pi.key) AS els,
        (SELECT coalesce(json_agg(i ORDER BY i.key), '[]') FROM engine_incidents i WHERE i.process_instance_key = pi.key AND i.state = 'ACTIVE') AS incs
       FROM engine_process_instances pi WHERE pi.key = ?`,
      [Number(processInstanceKey)],
    )
    const r = rows[0]
    if (!r) return undefined
    return {
      processInstanceKey: String(r.pi.key),
      processDefinitionKey: String(r.pi.definition_key),
      bpmnProcessId: r.pi.bpmn_process_id,
      version: r.pi.version,
      state: r.pi.state,
      variables: r.pi.variables,
      activeElements: r.els,
      incidents: (r.incs as IncidentRow[]).map(toIncident),
    }
  }

  // ------------------------------------------------------------ jobs

  createWorker(opts: WorkerOptions, handler: JobHandler): JobWorker {
    const worker = new EmbeddedJobWorker(
      this,
      {
        type: opts.type,
        worker: opts.worker ?? `motcua-${process.pid}`,
        maxJobsToActivate: opts.maxJobsToActivate ?? 32,
        timeoutMs: opts.timeoutMs ?? 60_000,
        pollIntervalMs: opts.pollIntervalMs ?? this.opts.workerPollMs ?? 1000,
        ...(opts.fetchVariables ? { fetchVariables: opts.fetchVariables } : {}),
      },
      handler,
    )
    this.workers.add(worker)
    const close = worker.close.bind(worker)
    worker.close = async () => {
      await close()
      this.workers.delete(worker)
    }
    return worker
  }

  /** Resolves when a job of the type was announced, or after ms (for workers). */
  waitForJobs(type: string, ms: number, signal: { aborted: boolean; onAbort?: () => void }): Promise<void> {
    if (signal.aborted) return Promise.resolve()
    return new Promise((resolve) => {
      let set = this.jobWaiters.get(type)
      if (!set) this.jobWaiters.set(type, (set = new Set()))
      const done = (): void => {
        clearTimeout(timer)
        set!.delete(done)
        signal.onAbort = undefined
        resolve()
      }
      const timer = setTimeout(done, ms)
      set.add(done)
      signal.onAbort = done
    })
  }

  private wakeJobs(type: string): void {
    const set = this.jobWaiters.get(type)
    if (set) for (const w of [...set]) w()
  }

  async activateJobs(req: ActivateJobsRequest): Promise<ActivatedJob[]> {
    if (req.maxJobsToActivate <= 0) return []
    const now = this.clock()
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
    )
    const conn = await acquire(this.knex)
    let rows: unknown[]
    try {
      const result = await conn.query(`BEGIN; SET LOCAL synchronous_commit = off; ${query}; COMMIT`)
      rows = (result as Array<{ rows: unknown[] }>)[2]!.rows
    } catch (err) {
      await conn.query('ROLLBACK').catch(() => undefined)
      throw err
    } finally {
      release(this.knex, conn)
    }
    return (rows as Array<JobRow & { root_variables: Variables; scope_variables: Variables[] }>).map((r) => {
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
    return this.runStep(async (step) => {
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
    resolve: () => void
    reject: (err: unknown) => void
  }> = []

  /**
   * Completions requested in the same event-loop turn (a worker's handlers for one activation batch)
   * go in one step: one message locks and reads every instance, one writes and commits, so a batch
   * costs two round trips and one WAL flush instead of two and one per job. If anything in the batch
   * fails, each completion runs again on its own and gets its own answer.
   */
  async completeJob(jobKey: string, variables?: Variables): Promise<void> {
    const key = parseKey(jobKey, 'Job')
    return new Promise<void>((resolve, reject) => {
      if (this.completionBatch.length === 0) setImmediate(() => void this.flushCompletions())
      this.completionBatch.push({ key, variables, resolve, reject })
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
        await this.runStep(async (step) => {
          const loaded = await step.loadJobs(keys)
          for (const c of batch) {
            const hit = loaded.get(c.key)
            if (!hit || hit.job.state === 'FAILED' || !hit.inst.els.has(hit.job.element_instance_key))
              throw new BatchFallback()
            await this.completeLoaded(step, hit.inst, hit.job as JobRow, c.variables)
          }
        })
        for (const c of batch) c.resolve()
        return
      } catch (err) {
        if (!(err instanceof BatchFallback) && !(err instanceof EngineError))
          this.log('batched job completion failed; completing one by one', err)
      }
    }
    await Promise.all(
      batch.map((c) =>
        this.completeOne(String(c.key), c.variables).then(
          () => c.resolve(),
          (err) => c.reject(err),
        ),
      ),
    )
  }

  private async completeOne(jobKey: string, variables?: Variables): Promise<void> {
    await this.jobStep(jobKey, async (step, inst, job) => {
      if (job.state === 'FAILED')
        throw new EngineError('INVALID_STATE', `Job ${jobKey} has an incident; resolve it first`)
      await this.completeLoaded(step, inst, job, variables)
    })
  }

  private async completeLoaded(step: Step, inst: Inst, job: JobRow, variables?: Variables): Promise<void> {
    const ei = inst.els.get(job.element_instance_key)
    step.jobs.delete(job.key)
    if (!ei) return
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
      } else if (ei) {
        await step.raiseIncident(inst, ei, 'JOB_NO_RETRIES', opts.errorMessage || 'No more retries left.', job.key)
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
      if (!ei) return
      const caught = await step.throwError(inst, ei, opts.errorCode, opts.variables)
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
        `Expected to throw an error event with the code '${opts.errorCode}'${opts.errorMessage ? ` with message '${opts.errorMessage}'` : ''}, but it was not caught. No error events are available in the scope.`,
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

  async resolveIncident(incidentKey: string): Promise<void> {
    const key = parseKey(incidentKey, 'Incident')
    await this.runStep(async (step) => {
      const inst = await step.load({
        lock: `SELECT pi.key FROM engine_process_instances pi JOIN engine_incidents i ON i.process_instance_key = pi.key WHERE i.key = ? AND i.state = 'ACTIVE' FOR UPDATE OF pi`,
        key: '(SELECT process_instance_key FROM engine_incidents WHERE key = ?)',
        bindings: [key],
      })
      const inc = inst?.incidents.find((i) => i.key === key)
      if (!inst || !inc) throw new EngineError('NOT_FOUND', `Incident ${incidentKey} not found`)
      step.markResolved(inst, inc)
      const ei = inst.els.get(inc.element_instance_key)
      if (inc.job_key != null) {
        const job = (await step.sql('SELECT * FROM engine_jobs WHERE key = ?', [inc.job_key])).rows[0] as
          JobRow | undefined
        if (!job || !ei) return
        if (job.retries > 0) {
          step.jobs.update({ ...job, state: 'ACTIVATABLE', due_at: step.now.toISOString() } as JobRow & { key: number })
          step.wakeJobTypes.add(job.type)
        } else {
          // Resolved without new retries: Zeebe raises the incident again.
          await step.raiseIncident(inst, ei, inc.error_type, inc.error_message, job.key)
        }
        return
      }
      if (ei) await step.retryElement(inst, ei)
    })
  }

  // ------------------------------------------------------------ messages

  async publishMessage(req: PublishMessageRequest): Promise<{ messageKey: string }> {
    const ttl = Math.max(0, req.timeToLiveMs ?? 0)
    const variables = req.variables ?? {}
    const correlationKey = req.correlationKey ?? ''
    const now = this.clock()
    // Phase 1, one message: under the lock that subscription openers take too, buffer the message
    // (unless a buffered one has its id) and read who waits for it.
    const newKey = await this.nextKey(this.knex)
    const statements = [inline('SELECT pg_advisory_xact_lock(hashtext(?))', [`${req.name}\u001f${correlationKey}`])]
    if (ttl > 0 && req.messageId)
      statements.push(
        inline('DELETE FROM engine_messages WHERE name = ? AND message_id = ? AND expires_at <= ?', [
          req.name,
          req.messageId,
          now,
        ]),
      )
    const insert =
      ttl > 0
        ? inline(
            `INSERT INTO engine_messages (key, name, correlation_key, message_id, variables, expires_at) VALUES (?, ?, ?, ?, ?::jsonb, ?)
             ON CONFLICT (name, message_id) WHERE message_id IS NOT NULL DO NOTHING RETURNING key`,
            [
              newKey,
              req.name,
              correlationKey,
              req.messageId ?? null,
              JSON.stringify(variables),
              new Date(now.getTime() + ttl),
            ],
          )
        : 'SELECT NULL::bigint AS key WHERE false'
    // The correlations owed to the instances waiting now are recorded in the same transaction
    // (engine_message_pending), so a crash before phase 2 is finished by recoverMessages().
    statements.push(
      inline(
        `WITH ins AS (${insert}),
         pend AS (
           INSERT INTO engine_message_pending (message_key, process_instance_key, name, correlation_key, variables, buffered, created_at)
           SELECT DISTINCT ?::bigint, s.process_instance_key, ?, ?, ?::jsonb, ?, ?::timestamptz FROM engine_message_subscriptions s
            WHERE s.message_name = ? AND s.correlation_key = ? AND (? OR EXISTS (SELECT 1 FROM ins))
           RETURNING process_instance_key
         ),
         pstart AS (
           INSERT INTO engine_message_pending_starts (message_key, bpmn_process_id, name, correlation_key, variables, buffered, created_at)
           SELECT ?::bigint, s.bpmn_process_id, s.message_name, ?, ?::jsonb, ?, ?::timestamptz FROM engine_message_start_subscriptions s
            WHERE s.message_name = ? AND (? OR EXISTS (SELECT 1 FROM ins))
           RETURNING bpmn_process_id
         )
         SELECT (SELECT key FROM ins) AS inserted,
           (SELECT key FROM engine_messages WHERE name = ? AND message_id = ?) AS existing,
           (SELECT coalesce(json_agg(process_instance_key ORDER BY process_instance_key), '[]') FROM pend) AS subs,
           (SELECT coalesce(json_agg(bpmn_process_id ORDER BY bpmn_process_id), '[]') FROM pstart) AS starts`,
        [
          newKey,
          req.name,
          correlationKey,
          JSON.stringify(variables),
          ttl > 0,
          now,
          req.name,
          correlationKey,
          ttl === 0,
          newKey,
          correlationKey,
          JSON.stringify(variables),
          ttl > 0,
          now,
          req.name,
          ttl === 0,
          req.name,
          req.messageId ?? null,
        ],
      ),
    )
    const conn = await acquire(this.knex)
    let found: { inserted: number | null; existing: number | null; subs: number[]; starts: string[] }
    try {
      found = lastRows(
        await conn
          .query(`BEGIN; ${statements.join(';\n')}; COMMIT`)
          .then((r) => (r as Array<{ rows: any[] }>).slice(0, -1)),
      )[0] // eslint-disable-line @typescript-eslint/no-explicit-any
    } catch (err) {
      await conn.query('ROLLBACK').catch(() => undefined)
      throw err
    } finally {
      release(this.knex, conn)
    }
    const duplicate = ttl > 0 && req.messageId !== undefined && found.inserted == null && found.existing != null
    if (duplicate) return { messageKey: String(found.existing) }
    const messageKey = newKey
    this.opts.faults?.afterMessageBuffered?.()
    // Phase 2: each instance in its own step; a message goes to an instance at most once.
    for (const pik of found.subs) await this.correlatePending(messageKey, Number(pik))
    for (const bpmnProcessId of found.starts) await this.startPending(messageKey, bpmnProcessId)
    return { messageKey: String(messageKey) }
  }

  /**
   * Delivers a correlation recorded in engine_message_pending, in one step: under the instance lock the
   * marker is deleted with the read of the subscription, so whoever gets there first (the publisher or
   * a recovery sweep, in any motcua process) correlates, and only once.
   */
  private async correlatePending(messageKey: number, pik: number): Promise<void> {
    await this.runStep(async (step) => {
      const inst = await step.load(pik)
      const { rows } = await step.sql(
        `WITH done AS (
           DELETE FROM engine_message_pending WHERE message_key = ? AND process_instance_key = ? RETURNING name, correlation_key, variables, buffered
         )
         SELECT done.variables, done.buffered,
           (SELECT row_to_json(s) FROM engine_message_subscriptions s
             WHERE s.process_instance_key = ? AND s.message_name = done.name AND s.correlation_key = done.correlation_key
               AND NOT EXISTS (SELECT 1 FROM engine_message_correlations c WHERE c.message_key = ? AND c.process_instance_key = s.process_instance_key)
             ORDER BY s.key LIMIT 1) AS sub
         FROM done`,
        [messageKey, pik, pik, messageKey],
      )
      const r = rows[0] as { variables: Variables; buffered: boolean; sub: SubRow | null } | undefined
      if (!r || !r.sub || !inst || inst.pi.state !== 'ACTIVE') return
      if (r.buffered) step.recordCorrelation(messageKey, pik)
      await step.correlate(inst, r.sub, r.variables)
    })
  }

  /**
   * Starts the instance a message owes to a message start event (engine_message_pending_starts), in one
   * step: deleting the row locks it, so whoever deletes it (publisher or sweep) starts the instance, once.
   */
  private async startPending(messageKey: number, bpmnProcessId: string): Promise<void> {
    await this.runStep(async (step) => {
      const { rows } = await step.sql(
        `WITH done AS (
           DELETE FROM engine_message_pending_starts WHERE message_key = ? AND bpmn_process_id = ? RETURNING name, correlation_key, variables, buffered
         )
         SELECT done.*, s.definition_key, s.element_id
           FROM done JOIN engine_message_start_subscriptions s ON s.bpmn_process_id = ? AND s.message_name = done.name`,
        [messageKey, bpmnProcessId, bpmnProcessId],
      )
      const r = rows[0] as
        | {
            correlation_key: string
            variables: Variables
            buffered: boolean
            definition_key: number
            element_id: string
          }
        | undefined
      if (!r) return
      const correlationKey = r.correlation_key
      if (correlationKey !== '') {
        await step.sql('SELECT pg_advisory_xact_lock(hashtext(?))', [
          `start\u001f${bpmnProcessId}\u001f${correlationKey}`,
        ])
        const locked = await step.sql(
          'SELECT 1 FROM engine_message_start_locks WHERE bpmn_process_id = ? AND correlation_key = ?',
          [bpmnProcessId, correlationKey],
        )
        if (locked.rows.length > 0) return
      }
      const inst = await step.createInstance(Number(r.definition_key), r.variables, { startElementId: r.element_id })
      if (correlationKey !== '') step.addStartLock(bpmnProcessId, correlationKey, inst.pi.key)
      if (r.buffered) step.recordCorrelation(messageKey, inst.pi.key)
    })
  }

  private sweepAll = true
  private lastSweep = 0

  /**
   * Recovery sweep: finishes the correlations that a publisher recorded but did not deliver (it died
   * between its two phases). Run at engine start (everything) and with the timer poll (markers older
   * than graceMs, so publishers still at work are normally left alone; racing one is harmless).
   * Returns how many markers it handled. Public for tests.
   */
  async recoverMessages(graceMs = 2000): Promise<number> {
    let handled = 0
    for (;;) {
      const before = new Date(this.clock().getTime() - graceMs)
      const { rows } = await this.knex.raw(
        'SELECT message_key, process_instance_key FROM engine_message_pending WHERE created_at <= ? ORDER BY created_at, message_key LIMIT 100',
        [before],
      )
      let failed = 0
      for (const r of rows as Array<{ message_key: string | number; process_instance_key: string | number }>) {
        if (this.stopped) return handled
        try {
          await this.correlatePending(Number(r.message_key), Number(r.process_instance_key))
          handled++
        } catch (err) {
          failed++
          this.log(`message ${r.message_key} to instance ${r.process_instance_key}: correlation failed`, err)
        }
      }
      const starts = await this.knex.raw(
        'SELECT message_key, bpmn_process_id FROM engine_message_pending_starts WHERE created_at <= ? ORDER BY created_at, message_key LIMIT 100',
        [before],
      )
      for (const r of starts.rows as Array<{ message_key: string | number; bpmn_process_id: string }>) {
        if (this.stopped) return handled
        try {
          await this.startPending(Number(r.message_key), r.bpmn_process_id)
          handled++
        } catch (err) {
          failed++
          this.log(`message ${r.message_key} to start ${r.bpmn_process_id}: failed`, err)
        }
      }
      // A row that keeps failing stays for the next sweep instead of being read again at once.
      if ((rows.length < 100 && starts.rows.length < 100) || failed > 0) return handled
    }
  }

  // ------------------------------------------------------------ timers

  private scheduleTimerWake(at: number): void {
    if (!this.started || this.stopped) return
    if (at >= this.timerWakeAt && this.timerHandle) return
    if (this.timerRunning) {
      this.timerAgain = true
      return
    }
    if (this.timerHandle) clearTimeout(this.timerHandle)
    this.timerWakeAt = at
    // Capped by the poll interval: a clock far off (tests) or a missed hint costs one poll at most.
    const delay = Math.min(Math.max(0, at - Date.now()), this.opts.timerPollMs ?? 1000)
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
        const pollMs = this.opts.timerPollMs ?? 1000
        if (this.sweepAll || Date.now() - this.lastSweep >= pollMs) {
          const all = this.sweepAll
          this.sweepAll = false
          this.lastSweep = Date.now()
          await this.recoverMessages(all ? 0 : Math.max(2000, pollMs)).catch((err) => {
            if (all) this.sweepAll = true
            this.log('message recovery sweep failed', err)
          })
        }
        while ((await this.runDueTimers()) > 0 && !this.stopped) {
          /* more may be due */
        }
      } while (this.timerAgain && !this.stopped)
    } catch (err) {
      this.log('timer loop failed', err)
    } finally {
      this.timerRunning = false
    }
    if (!this.stopped) this.scheduleTimerWake(Date.now() + (this.opts.timerPollMs ?? 1000))
  }

  /** Fires the timers due now (by the engine clock); returns how many fired. Public for tests with a manual clock. */
  async runDueTimers(limit = 100): Promise<number> {
    const now = this.clock()
    const due = (
      await this.knex.raw(
        'SELECT key, process_instance_key FROM engine_timers WHERE due_at <= ? ORDER BY due_at LIMIT ?',
        [now, limit],
      )
    ).rows as Array<{ key: number; process_instance_key: number | null }>
    let fired = 0
    for (const t of due) {
      try {
        const ok = await this.runStep(async (step) => {
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
        this.log(`timer ${t.key} failed`, err)
      }
    }
    await this.knex.raw(
      'WITH gone AS (DELETE FROM engine_messages WHERE expires_at <= ? RETURNING key) DELETE FROM engine_message_correlations WHERE message_key IN (SELECT key FROM gone)',
      [now],
    )
    return fired
  }

  // ------------------------------------------------------------ user tasks

  async searchUserTasks(filter: UserTaskFilter): Promise<UserTask[]> {
    const q = this.knex('engine_user_tasks')
      .select('*')
      .orderBy([{ column: 'created_at' }, { column: 'key' }])
    if (filter.state) q.where('state', filter.state)
    if (filter.processInstanceKey)
      q.where('process_instance_key', parseKey(filter.processInstanceKey, 'Process instance'))
    if (filter.assignee) q.where('assignee', filter.assignee)
    if (filter.elementId) q.where('element_id', filter.elementId)
    if (filter.candidateGroups?.length) q.whereRaw('candidate_groups && ?::text[]', [filter.candidateGroups])
    q.limit(filter.limit ?? 100)
    return ((await q) as UtRow[]).map(toUserTask)
  }

  async getUserTask(userTaskKey: string): Promise<UserTask | undefined> {
    if (!/^\d{1,16}$/.test(userTaskKey)) return undefined
    const row = (await this.knex('engine_user_tasks').where('key', Number(userTaskKey)).first()) as UtRow | undefined
    return row ? toUserTask(row) : undefined
  }

  private userTaskStep(userTaskKey: string, fn: (step: Step, inst: Inst, ut: UtRow) => Promise<void>): Promise<void> {
    const key = parseKey(userTaskKey, 'User task')
    return this.runStep(async (step) => {
      const inst = await step.load({
        lock: 'SELECT pi.key FROM engine_process_instances pi JOIN engine_user_tasks u ON u.process_instance_key = pi.key WHERE u.key = ? FOR UPDATE OF pi',
        key: '(SELECT process_instance_key FROM engine_user_tasks WHERE key = ?)',
        bindings: [key],
      })
      if (!inst) throw new EngineError('NOT_FOUND', `User task ${userTaskKey} not found`)
      const ut = inst?.userTasks.get(key)
      if (!inst || !ut) throw new EngineError('INVALID_STATE', `User task ${userTaskKey} is no longer open`)
      await fn(step, inst, ut)
    })
  }

  async assignUserTask(
    userTaskKey: string,
    assignee: string | undefined,
    opts: { allowOverride?: boolean } = {},
  ): Promise<void> {
    await this.userTaskStep(userTaskKey, async (step, inst, ut) => {
      if (assignee !== undefined && ut.assignee && ut.assignee !== assignee && !opts.allowOverride)
        throw new EngineError('CONFLICT', `User task ${userTaskKey} is already assigned to ${ut.assignee}`)
      ut.assignee = assignee ?? null
      step.userTasks.update(ut as UtRow & { key: number })
      step.emitUserTask(inst, 'userTask.assigned', ut)
    })
  }

  async completeUserTask(userTaskKey: string, variables?: Variables): Promise<void> {
    await this.userTaskStep(userTaskKey, async (step, inst, ut) => {
      ut.state = 'COMPLETED'
      ut.completed_at = step.now.toISOString()
      step.userTasks.update(ut as UtRow & { key: number })
      step.emitUserTask(inst, 'userTask.completed', ut)
      const ei = inst.els.get(ut.element_instance_key)
      if (ei) await step.completeActivity(inst, ei, variables)
    })
  }

  // ------------------------------------------------------------ events

  onEvent(listener: EngineEventListener): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  /**
   * Reads the durable event log (written in each step's transaction), for a read model that must catch
   * up after a crash: store the last id you applied, then read on from it.
   */
  async readEvents(afterId: number, limit = 500): Promise<Array<{ id: number; events: EngineEvent[] }>> {
    const { rows } = await this.knex.raw('SELECT id, events FROM engine_events WHERE id > ? ORDER BY id LIMIT ?', [
      afterId,
      limit,
    ])
    return (rows as Array<{ id: number; events: EngineEvent[] }>).map((r) => ({
      id: Number(r.id),
      events: r.events.map((e) => reviveEvent(e)),
    }))
  }
}

class BatchFallback extends Error {}

function reviveEvent(e: EngineEvent): EngineEvent {
  const out = { ...e, at: new Date(e.at) } as EngineEvent
  if ('incident' in out) out.incident = { ...out.incident, createdAt: new Date(out.incident.createdAt) }
  if ('userTask' in out) {
    const u = { ...out.userTask, creationDate: new Date(out.userTask.creationDate) }
    if (u.dueDate) u.dueDate = new Date(u.dueDate)
    if (u.followUpDate) u.followUpDate = new Date(u.followUpDate)
    if (u.completionDate) u.completionDate = new Date(u.completionDate)
    out.userTask = u
  }
  return out
}
