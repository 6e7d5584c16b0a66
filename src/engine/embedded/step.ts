// One engine step, the unit of work: runs inside one transaction, locks the process instances it
// touches, moves their tokens over their rows in memory (element behaviour: elements/), then writes
// every change back in a single statement (writer.ts).
import type { Knex } from 'knex'
import type { ConnectionSource } from '../../db/database.js'
import { EngineError, type EngineEvent, type Variables } from '../port.js'
import { ExpressionError, applyMappings } from './feel.js'
import { nextCycleDue } from './cron.js'
import type { CompiledProcess, Element, Flow } from './model.js'
import { acquire, inline, lastRows, type RawConnection, type Rows } from './sql.js'
import {
  toIncident,
  toUserTask,
  type EiRow,
  type IncidentRow,
  type JobRow,
  type PiRow,
  type AfterChildrenTerminated,
  type ScopeData,
  type SubRow,
  type TimerRow,
  type UtRow,
} from './rows.js'
import { StepWrites } from './writer.js'
import { behaviourOf } from './elements/index.js'
import { correlate, openScopeEvents, throwError, trigger, type ConsideredCatchEvents } from './elements/events.js'
import { arriveAtJoin, isJoin, tryJoins } from './elements/gateways.js'
import { activateMultiInstance, completeMultiInstance, onInnerCompleted } from './elements/multi-instance.js'
import { listenersOf, openListenerJob, openProcessListener } from './listeners.js'
import { compensationOnCompleted, compensationOnTerminated } from './elements/compensation.js'
import { adHocInnerCompleted, adHocPathEnded, completeAdHoc, retryAdHocCompletion } from './elements/ad-hoc.js'
import { startEventSubProcess } from './elements/subprocesses.js'
import { cancelUserTasks, retryCanceling } from './user-tasks.js'

/** Something that runs `?`-placeholder SQL: the knex pool, or the step's open transaction. */
export interface Queryable {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  raw(sql: string, bindings?: readonly any[]): PromiseLike<{ rows: Rows }>
}

/** What a step needs from the engine that runs it. */
export interface StepHost {
  readonly knex: Knex
  /** The pool knex runs on: a step holds one of its connections across its messages. */
  readonly pool: ConnectionSource
  compiled(definitionKey: number, db: Queryable): Promise<CompiledProcess>
  latestDefinition(bpmnProcessId: string, db: Queryable): Promise<{ key: number; version: number } | undefined>
  nextKey(db: Queryable): Promise<number>
}

/** A process instance loaded into the step: its rows and what the step changed in them. */
export interface Inst {
  pi: PiRow
  proc: CompiledProcess
  isNew: boolean
  piDirty: boolean
  els: Map<number, EiRow>
  newEls: Set<number>
  dirtyEls: Set<number>
  deletedEls: Set<number>
  userTasks: Map<number, UtRow>
  incidents: IncidentRow[]
  events: EngineEvent[]
}

const isoNow = (d: Date): string => d.toISOString()

/** The element type of an ad-hoc sub-process's inner instance (one activation, a scope of its own). */
const adHocInner = 'adHocSubProcessInnerInstance'

export class Step {
  readonly instances = new Map<number, Inst>()
  private agenda: Array<() => Promise<void>> = []
  /** Every row change besides the instances' own, written by flush(). */
  readonly writes = new StepWrites()
  readonly jobs = this.writes.jobs
  readonly timers = this.writes.timers
  readonly subs = this.writes.subs
  readonly userTasks = this.writes.userTasks
  readonly incidents = this.writes.incidents
  /** Job types that became activatable now, and later (back-off), to wake local workers. */
  readonly wakeJobTypes = new Set<string>()
  readonly laterJobWakes: Array<{ type: string; at: Date }> = []
  readonly timerDueHints: Date[] = []

  constructor(
    readonly host: StepHost,
    readonly now: Date,
  ) {}

  private conn?: RawConnection

  /**
   * Runs a query in the step's transaction, opening it on first use (BEGIN travels with that first
   * query). A step that needs no read (creating an instance of a cached definition) never opens one:
   * its single write statement is atomic on its own.
   */
  async sql(query: string, bindings: readonly unknown[] = []): Promise<{ rows: Rows }> {
    const text = inline(query, bindings)
    if (!this.conn) {
      this.conn = await acquire(this.host.pool)
      return { rows: lastRows(await this.conn.query(`BEGIN; ${text}`)) }
    }
    return { rows: lastRows(await this.conn.query(text)) }
  }

  /** Where the host may read from: the open transaction, else the pool (no transaction is open then). */
  get db(): Queryable {
    if (!this.conn) return this.host.knex
    return { raw: (q: string, b: readonly unknown[] = []) => this.sql(q, b) }
  }

  /** Writes the step's changes; with a transaction open, the write and COMMIT go in one message. */
  private async write(statement: string, bindings: readonly unknown[]): Promise<void> {
    if (this.conn) {
      await this.sql(`${statement}; COMMIT`, bindings)
      this.release()
    } else await this.host.knex.raw(statement, bindings as Knex.RawBinding[])
  }

  async commit(): Promise<void> {
    if (this.conn) {
      await this.sql('COMMIT')
      this.release()
    }
  }

  async rollback(): Promise<void> {
    if (!this.conn) return
    await this.conn.query('ROLLBACK').catch(() => undefined)
    this.release()
  }

  private release(): void {
    this.conn?.release()
    this.conn = undefined
  }

  key(): Promise<number> {
    return this.host.nextKey(this.db)
  }

  // ---------------------------------------------------------------- loading

  /**
   * Locks and loads a process instance (once per step); undefined when it does not exist. The instance
   * is named by key, or found through a row (`via`: lock SQL + key sub-select, e.g. from a job). Lock
   * and read are two statements in one message: the read takes its snapshot after the lock is granted,
   * so it sees what the previous holder committed. `extra` is a scalar sub-select read alongside.
   */
  async load(
    target: number | { lock: string; key: string; bindings: readonly unknown[] },
    opts: { extra?: { sql: string; bindings: readonly unknown[] } } = {},
  ): Promise<Inst | undefined> {
    const cached = typeof target === 'number' ? this.instances.get(target) : undefined
    if (cached && !opts.extra) return cached
    const lock =
      typeof target === 'number' ? 'SELECT key FROM engine_process_instances WHERE key = ? FOR UPDATE' : target.lock
    const keyExpr = typeof target === 'number' ? '?' : target.key
    const keyBindings = typeof target === 'number' ? [target] : target.bindings
    const { rows } = await this.sql(
      `${cached ? '' : `${lock};\n`}SELECT row_to_json(pi) AS pi,
        (SELECT coalesce(json_agg(e), '[]') FROM engine_element_instances e WHERE e.process_instance_key = pi.key) AS els,
        (SELECT coalesce(json_agg(u), '[]') FROM engine_user_tasks u WHERE u.process_instance_key = pi.key AND u.state NOT IN ('COMPLETED', 'CANCELED')) AS uts,
        (SELECT coalesce(json_agg(i), '[]') FROM engine_incidents i WHERE i.process_instance_key = pi.key AND i.state = 'ACTIVE') AS incs,
        ${opts.extra ? opts.extra.sql : 'NULL'} AS extra
       FROM engine_process_instances pi WHERE pi.key = ${keyExpr}`,
      [...(cached ? [] : keyBindings), ...(opts.extra?.bindings ?? []), ...keyBindings],
    )
    const r = rows[0] as (LoadedRow & { extra: unknown }) | undefined
    if (!r) return undefined
    this.extra = r.extra
    return this.adopt(r)
  }

  /**
   * Locks and loads the instances of several jobs in one message (locks taken in key order), for a
   * batch of job completions in one step. Returns the job rows found (after the locks were granted).
   */
  async loadJobs(jobKeys: number[]): Promise<Map<number, { inst: Inst; job: JobRow }>> {
    const { rows } = await this.sql(
      `SELECT pi.key FROM engine_process_instances pi JOIN engine_jobs j ON j.process_instance_key = pi.key
        WHERE j.key = ANY(?::bigint[]) ORDER BY pi.key FOR UPDATE OF pi;
       SELECT row_to_json(j) AS job, row_to_json(pi) AS pi,
        (SELECT coalesce(json_agg(e), '[]') FROM engine_element_instances e WHERE e.process_instance_key = pi.key) AS els,
        (SELECT coalesce(json_agg(u), '[]') FROM engine_user_tasks u WHERE u.process_instance_key = pi.key AND u.state NOT IN ('COMPLETED', 'CANCELED')) AS uts,
        (SELECT coalesce(json_agg(i), '[]') FROM engine_incidents i WHERE i.process_instance_key = pi.key AND i.state = 'ACTIVE') AS incs
       FROM engine_jobs j JOIN engine_process_instances pi ON pi.key = j.process_instance_key WHERE j.key = ANY(?::bigint[])`,
      [jobKeys, jobKeys],
    )
    const out = new Map<number, { inst: Inst; job: JobRow }>()
    for (const r of rows as Array<LoadedRow & { job: JobRow }>)
      out.set(Number(r.job.key), { inst: await this.adopt(r), job: r.job })
    return out
  }

  private async adopt(r: LoadedRow): Promise<Inst> {
    const known = this.instances.get(r.pi.key)
    if (known) return known
    const pi = r.pi
    const inst: Inst = {
      pi,
      proc: await this.host.compiled(pi.definition_key, this.db),
      isNew: false,
      piDirty: false,
      els: new Map(r.els.map((e) => [e.key, e])),
      newEls: new Set(),
      dirtyEls: new Set(),
      deletedEls: new Set(),
      userTasks: new Map(r.uts.map((u) => [u.key, u])),
      incidents: r.incs,
      events: [],
    }
    this.instances.set(pi.key, inst)
    return inst
  }

  /** The `extra` row read by the last load(). */
  extra: unknown

  async loadActive(pik: number): Promise<Inst> {
    const inst = await this.load(pik)
    if (!inst) throw new EngineError('NOT_FOUND', `Process instance ${pik} not found`)
    return inst
  }

  // ---------------------------------------------------------------- events and helpers

  emit(inst: Inst, e: EngineEvent): void {
    inst.events.push(e)
  }

  emitElement(
    inst: Inst,
    type: 'element.entered' | 'element.completed' | 'element.terminated',
    ei: Pick<EiRow, 'key' | 'element_id' | 'element_type'>,
  ): void {
    this.emit(inst, {
      type,
      at: this.now,
      processInstanceKey: String(inst.pi.key),
      bpmnProcessId: inst.pi.bpmn_process_id,
      elementId: ei.element_id,
      elementInstanceKey: String(ei.key),
      elementType: ei.element_type,
    })
  }

  /** The process instance itself as an element (its key is the instance key). */
  private emitProcess(inst: Inst, type: 'element.entered' | 'element.completed' | 'element.terminated'): void {
    const { pi } = inst
    this.emitElement(inst, type, { key: pi.key, element_id: pi.bpmn_process_id, element_type: 'process' })
  }

  emitUserTask(inst: Inst, type: 'userTask.assigned' | 'userTask.updated' | 'userTask.completed', ut: UtRow): void {
    this.emit(inst, { type, at: this.now, processInstanceKey: String(inst.pi.key), userTask: toUserTask(ut) })
  }

  el(inst: Inst, id: string): Element {
    const el = inst.proc.elements.get(id)
    if (!el) throw new Error(`Element ${id} not in process ${inst.proc.bpmnProcessId}`)
    return el
  }

  dirty(inst: Inst, ei: EiRow): void {
    if (!inst.newEls.has(ei.key)) inst.dirtyEls.add(ei.key)
  }

  scopeData(inst: Inst, scopeKey: number): ScopeData {
    if (scopeKey === inst.pi.key) return inst.pi.data
    return inst.els.get(scopeKey)!.data
  }

  touchScope(inst: Inst, scopeKey: number): void {
    if (scopeKey === inst.pi.key) inst.piDirty = true
    else this.dirty(inst, inst.els.get(scopeKey)!)
  }

  children(inst: Inst, scopeKey: number): EiRow[] {
    const out: EiRow[] = []
    for (const e of inst.els.values()) if (e.scope_key === scopeKey) out.push(e)
    return out
  }

  /** Variables visible from a scope: the root's, overridden by each enclosing scope's locals. */
  visible(inst: Inst, scopeKey: number): Variables {
    const chain: Variables[] = []
    let k = scopeKey
    while (k !== inst.pi.key) {
      const e = inst.els.get(k)
      if (!e) break
      chain.push(e.variables)
      k = e.scope_key
    }
    const out: Variables = { ...inst.pi.variables }
    for (let i = chain.length - 1; i >= 0; i--) Object.assign(out, chain[i])
    return out
  }

  /** Zeebe propagation: each variable goes up to the nearest scope that has it, else to the root. */
  propagate(inst: Inst, fromScopeKey: number, vars: Variables | undefined): void {
    if (!vars) return
    for (const [name, value] of Object.entries(vars)) {
      let k = fromScopeKey
      let done = false
      while (k !== inst.pi.key) {
        const e = inst.els.get(k)
        if (!e) break
        // An ad-hoc sub-process's activation keeps what its activities write (Zeebe 8.8, ad-hoc sub-processes).
        if (Object.prototype.hasOwnProperty.call(e.variables, name) || e.element_type === adHocInner) {
          e.variables = { ...e.variables, [name]: value }
          this.dirty(inst, e)
          done = true
          break
        }
        k = e.scope_key
      }
      if (!done) {
        inst.pi.variables = { ...inst.pi.variables, [name]: value }
        inst.piDirty = true
      }
    }
  }

  setLocal(inst: Inst, ei: EiRow, vars: Variables | undefined): void {
    if (!vars || Object.keys(vars).length === 0) return
    ei.variables = { ...ei.variables, ...vars }
    this.dirty(inst, ei)
  }

  async createEi(inst: Inst, el: Element, scopeKey: number, elementType?: string): Promise<EiRow> {
    const ei: EiRow = {
      key: await this.key(),
      process_instance_key: inst.pi.key,
      scope_key: scopeKey,
      element_id: el.id,
      element_type: elementType ?? el.bpmnType,
      state: 'ACTIVATING',
      variables: {},
      data: {},
      created_at: isoNow(this.now),
    }
    inst.els.set(ei.key, ei)
    inst.newEls.add(ei.key)
    return ei
  }

  removeEi(inst: Inst, ei: EiRow): void {
    inst.els.delete(ei.key)
    if (!inst.newEls.delete(ei.key)) {
      inst.dirtyEls.delete(ei.key)
      inst.deletedEls.add(ei.key)
    }
  }

  /** Runs an operation after the current one, before the step ends. */
  later(op: () => Promise<void>): void {
    this.agenda.push(op)
  }

  /** Schedules an element's activation after the current operation (as Zeebe writes follow-up commands). */
  enqueueActivate(inst: Inst, ei: EiRow, triggered?: Variables | null): void {
    this.agenda.push(async () => {
      if (inst.els.get(ei.key) !== ei) return
      await this.activate(inst, ei, triggered ?? undefined, triggered !== undefined)
    })
  }

  /** Runs follow-up work until the instances are in a wait state. */
  async drain(): Promise<void> {
    let op: (() => Promise<void>) | undefined
    while ((op = this.agenda.shift())) await op()
  }

  /** Deletes the jobs, timers and subscriptions owned by an element instance (or the instance). */
  closeTriggers(ei: { key: number }): void {
    this.writes.closeTriggers(ei.key)
  }

  // ---------------------------------------------------------------- incidents

  async raiseIncident(
    inst: Inst,
    ei: EiRow,
    errorType: string,
    message: string,
    jobKey?: number,
  ): Promise<IncidentRow> {
    const inc: IncidentRow = {
      key: await this.key(),
      process_instance_key: inst.pi.key,
      element_id: ei.element_id,
      element_instance_key: ei.key,
      job_key: jobKey ?? null,
      error_type: errorType,
      error_message: message,
      state: 'ACTIVE',
      created_at: isoNow(this.now),
    }
    this.incidents.insert(inc)
    inst.incidents.push(inc)
    this.emit(inst, {
      type: 'incident.created',
      at: this.now,
      processInstanceKey: String(inst.pi.key),
      incident: toIncident(inc),
    })
    return inc
  }

  private resolveIncidentsOf(inst: Inst, eik: number): void {
    for (const inc of inst.incidents.filter((i) => i.element_instance_key === eik && i.state === 'ACTIVE'))
      this.markResolved(inst, inc)
  }

  markResolved(inst: Inst, inc: IncidentRow): void {
    inc.state = 'RESOLVED'
    this.incidents.update(inc)
    inst.incidents = inst.incidents.filter((i) => i !== inc)
    this.emit(inst, {
      type: 'incident.resolved',
      at: this.now,
      processInstanceKey: String(inst.pi.key),
      incident: toIncident(inc),
    })
  }

  async failElement(inst: Inst, ei: EiRow, phase: 'activate' | 'complete' | 'cancel', err: unknown): Promise<void> {
    if (!(err instanceof ExpressionError)) throw err
    ei.data = { ...ei.data, failedPhase: phase }
    this.dirty(inst, ei)
    await this.raiseIncident(inst, ei, err.errorType, err.message)
  }

  /** Runs a completion step of a scope; a failed expression is an incident on the scope (retried as 'complete'). */
  private async guard(inst: Inst, scope: EiRow, op: () => Promise<void>): Promise<void> {
    try {
      await op()
    } catch (err) {
      await this.failElement(inst, scope, 'complete', err)
    }
  }

  /** Retries what failed on an element after its incident was resolved. */
  async retryElement(inst: Inst, ei: EiRow): Promise<void> {
    const phase = ei.data.failedPhase
    // A canceling listener's type or retries failed to evaluate: the canceling listeners run again from the first.
    if (phase === 'cancel') return await retryCanceling(this, inst, ei)
    if (phase === 'complete') {
      const { failedPhase: _f, ...rest } = ei.data
      ei.data = rest
      this.dirty(inst, ei)
      if (ei.element_type === 'multiInstanceBody') {
        if (this.children(inst, ei.key).length === 0)
          await completeMultiInstance(this, inst, ei, this.el(inst, ei.element_id))
        return
      }
      if (this.el(inst, ei.element_id).kind === 'adHocSubProcess')
        return await this.guard(inst, ei, () => retryAdHocCompletion(this, inst, ei))
      await this.completeActivity(inst, ei)
    } else this.enqueueActivate(inst, ei)
  }

  // ---------------------------------------------------------------- instance lifecycle

  async createInstance(
    definitionKey: number,
    variables: Variables,
    opts: { startElementId?: string; parent?: { pik: number; eik: number } } = {},
  ): Promise<Inst> {
    const proc = await this.host.compiled(definitionKey, this.db)
    const root = proc.elements.get(proc.bpmnProcessId)!
    const startId = opts.startElementId ?? root.noneStartId
    if (!startId) throw new EngineError('INVALID_STATE', `Process ${proc.bpmnProcessId} has no none start event`)
    const pi: PiRow = {
      key: await this.key(),
      definition_key: definitionKey,
      bpmn_process_id: proc.bpmnProcessId,
      version: proc.version,
      state: 'ACTIVE',
      variables: { ...variables },
      data: {},
      parent_process_instance_key: opts.parent?.pik ?? null,
      parent_element_instance_key: opts.parent?.eik ?? null,
      created_at: isoNow(this.now),
      ended_at: null,
    }
    const inst: Inst = {
      pi,
      proc,
      isNew: true,
      piDirty: false,
      els: new Map(),
      newEls: new Set(),
      dirtyEls: new Set(),
      deletedEls: new Set(),
      userTasks: new Map(),
      incidents: [],
      events: [],
    }
    this.instances.set(pi.key, inst)
    this.emitProcess(inst, 'element.entered')
    // The process's start execution listeners run first (listeners.ts: processListenerDone goes on).
    if (listenersOf(root, 'start').length > 0) {
      await openProcessListener(this, inst, 'start', 0, startId)
      return inst
    }
    await this.beginProcess(inst, startId)
    return inst
  }

  /** The process instance starts: its event subscriptions open and the token enters its start event. */
  async beginProcess(inst: Inst, startId: string): Promise<void> {
    const root = this.el(inst, inst.pi.bpmn_process_id)
    await openScopeEvents(this, inst, inst.pi.key, root)
    const start = await this.createEi(inst, this.el(inst, startId), inst.pi.key)
    this.enqueueActivate(inst, start)
  }

  private async completeInstance(inst: Inst): Promise<void> {
    // The process's end execution listeners run before it completes (listeners.ts: processListenerDone goes on).
    const root = this.el(inst, inst.pi.bpmn_process_id)
    if (listenersOf(root, 'end').length > 0) {
      if (inst.pi.data.listener) return
      return await openProcessListener(this, inst, 'end', 0)
    }
    await this.completeInstanceNow(inst)
  }

  /** After an incident on the process's end listeners: it tries to complete again, if no token is left. */
  async retryCompletion(inst: Inst): Promise<void> {
    if (this.children(inst, inst.pi.key).length === 0) await this.completeInstance(inst)
  }

  /** The process instance completes (its end listeners, if any, ran). */
  async completeInstanceNow(inst: Inst): Promise<void> {
    this.closeTriggers({ key: inst.pi.key })
    inst.pi.state = 'COMPLETED'
    inst.pi.ended_at = isoNow(this.now)
    inst.piDirty = true
    this.writes.releaseStartLock(inst.pi.key)
    this.emitProcess(inst, 'element.completed')
    this.emit(inst, {
      type: 'instance.completed',
      at: this.now,
      processInstanceKey: String(inst.pi.key),
      bpmnProcessId: inst.pi.bpmn_process_id,
    })
    if (inst.pi.parent_process_instance_key != null) {
      const parent = await this.load(inst.pi.parent_process_instance_key)
      const callEi = parent?.els.get(inst.pi.parent_element_instance_key!)
      if (parent && callEi) {
        const el = this.el(parent, callEi.element_id)
        // Output mappings read the child's variables even when they are not all propagated.
        const all = el.calledElement?.propagateAllChildVariables !== false
        await this.completeActivity(parent, callEi, all || el.outputs.length > 0 ? inst.pi.variables : undefined)
      }
    }
  }

  /**
   * Cancels a process instance: everything inside it terminates. True when that waits for canceling user task
   * listeners (the instance stays active, `terminating`, and finishInstanceTermination ends it after the last one).
   */
  async terminateInstance(inst: Inst): Promise<boolean> {
    const incidents = [...inst.incidents]
    let pending = false
    for (const child of this.children(inst, inst.pi.key)) if (await this.terminate(inst, child)) pending = true
    this.closeTriggers({ key: inst.pi.key })
    // An incident on an element that still terminates (its canceling listener's job is out of retries, or its type
    // failed to evaluate) stays: it holds the termination, and resolving it lets the listeners finish. Resolving it
    // here would leave the failed listener job with nothing to retry it, and the instance would never terminate.
    for (const inc of incidents)
      if (inst.incidents.includes(inc) && inst.els.get(inc.element_instance_key)?.state !== 'TERMINATING')
        this.markResolved(inst, inc)
    if (!pending) {
      await this.finishInstanceTermination(inst)
      return false
    }
    inst.pi.data = { ...inst.pi.data, terminating: true }
    inst.piDirty = true
    return true
  }

  /** The canceled instance has nothing left inside: it is terminated (and a call activity waiting for it goes on). */
  private async finishInstanceTermination(inst: Inst): Promise<void> {
    const { terminating, ...rest } = inst.pi.data
    inst.pi.data = rest
    inst.pi.state = 'TERMINATED'
    inst.pi.ended_at = isoNow(this.now)
    inst.piDirty = true
    this.writes.releaseStartLock(inst.pi.key)
    this.emitProcess(inst, 'element.terminated')
    this.emit(inst, {
      type: 'instance.terminated',
      at: this.now,
      processInstanceKey: String(inst.pi.key),
      bpmnProcessId: inst.pi.bpmn_process_id,
    })
    if (!terminating || inst.pi.parent_process_instance_key == null) return
    const parent = await this.load(inst.pi.parent_process_instance_key)
    const callEi = parent?.els.get(inst.pi.parent_element_instance_key!)
    if (parent && callEi?.state === 'TERMINATING') await this.finishTermination(parent, callEi)
  }

  /**
   * Terminates an element instance and everything inside it. True when the termination waits: a user task with
   * canceling listeners (Zeebe 8.8: the task is CANCELING while they run, the element TERMINATING), here or inside.
   * The element then stays, TERMINATING, and finishTermination ends it after the last listener; the caller stores what
   * follows (a boundary event, an event sub-process, a completion) for then.
   */
  async terminate(inst: Inst, ei: EiRow): Promise<boolean> {
    // Terminated again while it waits (its scope is canceled now): what it was to do afterwards no longer happens.
    if (ei.state === 'TERMINATING' && ei.data.boundaryAfterTermination) {
      const { boundaryAfterTermination: _b, ...rest } = ei.data
      ei.data = rest
      this.dirty(inst, ei)
    }
    // A TERMINATING element still waits (for its canceling listeners, or for what is inside it).
    let pending = ei.state === 'TERMINATING'
    for (const child of this.children(inst, ei.key)) if (await this.terminate(inst, child)) pending = true
    if (ei.state !== 'TERMINATING') {
      this.closeTriggers(ei)
      this.resolveIncidentsOf(inst, ei.key)
      // After closeTriggers: the canceling listener's job is the element's only trigger from here on.
      if (await cancelUserTasks(this, inst, ei)) pending = true
    }
    if (ei.data.childKey != null) {
      const child = await this.load(ei.data.childKey)
      if (child && child.pi.state === 'ACTIVE' && (await this.terminateInstance(child))) pending = true
    }
    if (pending) {
      ei.state = 'TERMINATING'
      this.dirty(inst, ei)
      return true
    }
    this.ended(inst, ei)
    return false
  }

  private ended(inst: Inst, ei: EiRow): void {
    this.removeEi(inst, ei)
    compensationOnTerminated(inst, ei)
    if (ei.data.entered) this.emitElement(inst, 'element.terminated', ei)
  }

  /**
   * What a TERMINATING element waited for is done (its canceling listeners ran, or what it contains terminated): it
   * is terminated, then its interrupting boundary event activates, or its scope goes on (afterChildTerminated).
   */
  async finishTermination(inst: Inst, ei: EiRow): Promise<void> {
    if (this.children(inst, ei.key).length > 0) return
    if (ei.data.childKey != null) {
      const child = await this.load(ei.data.childKey)
      if (child && child.pi.state === 'ACTIVE') return
    }
    this.ended(inst, ei)
    const boundary = ei.data.boundaryAfterTermination
    if (boundary) {
      const be = await this.createEi(inst, this.el(inst, boundary.boundaryId), ei.scope_key)
      return this.enqueueActivate(inst, be, boundary.variables)
    }
    await this.afterChildTerminated(inst, ei.scope_key)
  }

  /** A child of a scope finished a termination that had waited: once none is left, the scope does what was next. */
  private async afterChildTerminated(inst: Inst, scopeKey: number): Promise<void> {
    if (this.children(inst, scopeKey).length > 0) return
    const data = this.scopeData(inst, scopeKey)
    if (scopeKey === inst.pi.key ? data.terminating : inst.els.get(scopeKey)!.state === 'TERMINATING')
      return scopeKey === inst.pi.key
        ? await this.finishInstanceTermination(inst)
        : await this.finishTermination(inst, inst.els.get(scopeKey)!)
    const next = data.afterChildrenTerminated
    // A terminate end event ended the scope's other tokens: the scope completes now that the last one is gone.
    if (!next) return await this.checkScope(inst, scopeKey)
    const { afterChildrenTerminated: _n, ...rest } = data
    if (scopeKey === inst.pi.key) inst.pi.data = rest
    else inst.els.get(scopeKey)!.data = rest
    this.touchScope(inst, scopeKey)
    if ('eventSubProcess' in next)
      return await startEventSubProcess(this, inst, scopeKey, this.el(inst, next.eventSubProcess), next.variables)
    const scope = inst.els.get(scopeKey)!
    const el = this.el(inst, scope.element_id)
    await this.guard(inst, scope, () =>
      next.complete === 'multiInstance'
        ? completeMultiInstance(this, inst, scope, el)
        : completeAdHoc(this, inst, scope),
    )
  }

  /** Holds what a scope does after the children it terminated, while some of them wait for canceling listeners. */
  holdUntilTerminated(inst: Inst, scopeKey: number, next: AfterChildrenTerminated): void {
    const data = this.scopeData(inst, scopeKey)
    if (scopeKey === inst.pi.key) inst.pi.data = { ...data, afterChildrenTerminated: next }
    else inst.els.get(scopeKey)!.data = { ...data, afterChildrenTerminated: next }
    this.touchScope(inst, scopeKey)
  }

  // ---------------------------------------------------------------- activation

  /** A token enters an element: input mappings, then the element family's behaviour (elements/). */
  private async activate(inst: Inst, ei: EiRow, triggered: Variables | undefined, isTriggered: boolean): Promise<void> {
    const el = this.el(inst, ei.element_id)
    if (!ei.data.entered) {
      ei.data = { ...ei.data, entered: true }
      this.emitElement(inst, 'element.entered', ei)
    }
    if (ei.data.failedPhase) {
      const { failedPhase: _f, ...rest } = ei.data
      ei.data = rest
    }
    this.dirty(inst, ei)
    try {
      if (ei.element_type === 'multiInstanceBody') return await activateMultiInstance(this, inst, ei, el)
      if (el.inputs.length > 0) this.setLocal(inst, ei, applyMappings(el.inputs, this.visible(inst, ei.key)))
      // Start execution listeners run first, one job each; the last one's completion carries on (listenerDone).
      if (listenersOf(el, 'start').length > 0)
        return await openListenerJob(this, inst, ei, el, 'start', 0, isTriggered ? (triggered ?? {}) : undefined)
      await this.runBehaviour(inst, ei, el, triggered, isTriggered)
    } catch (err) {
      await this.failElement(inst, ei, 'activate', err)
    }
  }

  private async runBehaviour(
    inst: Inst,
    ei: EiRow,
    el: Element,
    triggered: Variables | undefined,
    isTriggered: boolean,
  ): Promise<void> {
    ei.state = 'ACTIVATED'
    // Entered because its event fired (a boundary event, a catch event after an event-based gateway).
    if (isTriggered) return await this.completeActivity(inst, ei, triggered)
    await behaviourOf(el.kind).activate(this, inst, ei, el, !ei.data.inner)
  }

  /**
   * The job of an element's execution listener completed: its variables are set (start: the element's locals; end:
   * propagated from the element's scope, like output mappings), then the next listener's job opens, or the element
   * goes on (start: its behaviour; end: it is left).
   */
  async listenerDone(inst: Inst, ei: EiRow, vars: Variables | undefined): Promise<void> {
    const el = this.el(inst, ei.element_id)
    const progress = ei.data.listener!
    const { eventType } = progress
    const phase = eventType === 'start' ? 'activate' : 'complete'
    if (eventType === 'start') this.setLocal(inst, ei, vars)
    else this.propagate(inst, ei.scope_key, vars)
    const { listener: _l, ...rest } = ei.data
    ei.data = rest
    this.dirty(inst, ei)
    try {
      if (progress.index + 1 < listenersOf(el, eventType).length)
        return await openListenerJob(this, inst, ei, el, eventType, progress.index + 1, progress.triggered)
      if (eventType === 'start')
        return await this.runBehaviour(inst, ei, el, progress.triggered, progress.triggered !== undefined)
    } catch (err) {
      return await this.failElement(inst, ei, phase, err)
    }
    await this.leaveCompleted(inst, ei, el, ei.data.inner ? this.visible(inst, ei.key) : undefined)
  }

  // ---------------------------------------------------------------- completion and flow

  /**
   * An element finished its work (job completed, message arrived, …): merges the variables by Zeebe's
   * rules, applies output mappings, and moves the token on.
   */
  async completeActivity(inst: Inst, ei: EiRow, vars?: Variables): Promise<void> {
    const el = this.el(inst, ei.element_id)
    let innerVisible: Variables | undefined
    try {
      if (vars && Object.keys(vars).length > 0) {
        if (el.outputs.length > 0) this.setLocal(inst, ei, vars)
        else this.propagate(inst, ei.key, vars)
      }
      if (el.outputs.length > 0) {
        const out = applyMappings(el.outputs, this.visible(inst, ei.key), this.visible(inst, ei.scope_key))
        this.propagate(inst, ei.scope_key, out)
      }
      if (ei.data.inner || ei.element_type === adHocInner) innerVisible = this.visible(inst, ei.key)
      // End execution listeners run after the output mappings, before the element is left (listenerDone). On a
      // multi-instance activity they run for each inner instance, not for the body (as Zeebe 8.8 does).
      if (listenersOf(el, 'end').length > 0 && ei.element_type !== 'multiInstanceBody') {
        ei.state = 'COMPLETING'
        return await openListenerJob(this, inst, ei, el, 'end', 0)
      }
    } catch (err) {
      return await this.failElement(inst, ei, 'complete', err)
    }
    await this.leaveCompleted(inst, ei, el, innerVisible)
  }

  /** The element completed (and its end listeners ran): it closes and the token moves on. */
  private async leaveCompleted(inst: Inst, ei: EiRow, el: Element, innerVisible: Variables | undefined): Promise<void> {
    this.closeTriggers(ei)
    for (const ut of inst.userTasks.values()) if (ut.element_instance_key === ei.key) inst.userTasks.delete(ut.key)
    this.resolveIncidentsOf(inst, ei.key)
    this.removeEi(inst, ei)
    this.emitElement(inst, 'element.completed', ei)
    if (await compensationOnCompleted(this, inst, ei, el)) return
    if (ei.element_type === adHocInner) {
      const adHoc = inst.els.get(ei.scope_key)!
      return await this.guard(inst, adHoc, () => adHocInnerCompleted(this, inst, adHoc, innerVisible!))
    }
    if (ei.data.inner) {
      const body = inst.els.get(ei.scope_key)!
      try {
        return await onInnerCompleted(this, inst, body, el, innerVisible!)
      } catch (err) {
        return await this.failElement(inst, body, 'complete', err)
      }
    }
    await this.leave(inst, el, ei.scope_key)
  }

  /** The token leaves an element: along its outgoing flows, or, with none, it ends in its scope. */
  async leave(inst: Inst, el: Element, scopeKey: number): Promise<void> {
    if (el.outgoing.length > 0) await this.takeFlows(inst, el.outgoing, scopeKey)
    else await this.checkScope(inst, scopeKey)
  }

  async takeFlows(inst: Inst, flows: Flow[], scopeKey: number): Promise<void> {
    for (const flow of flows) {
      const target = this.el(inst, flow.targetId)
      if (isJoin(target)) arriveAtJoin(this, inst, scopeKey, target, flow)
      else {
        const ei = await this.createEi(inst, target, scopeKey, target.multiInstance ? 'multiInstanceBody' : undefined)
        this.enqueueActivate(inst, ei)
      }
    }
    await tryJoins(this, inst, scopeKey)
  }

  /** A token ended in a scope: when none is left (and none waits at a join), the scope completes. */
  private async checkScope(inst: Inst, scopeKey: number): Promise<void> {
    await tryJoins(this, inst, scopeKey)
    const adHoc = scopeKey === inst.pi.key ? undefined : inst.els.get(scopeKey)
    // An ad-hoc sub-process with a job worker: its worker decides after any flow inside ends (an event sub-process),
    // whatever still runs (elements/ad-hoc.ts).
    if (adHoc?.element_type === 'adHocSubProcess' && this.el(inst, adHoc.element_id).jobType)
      return await this.guard(inst, adHoc, () => adHocPathEnded(this, inst, adHoc))
    if (this.children(inst, scopeKey).length > 0) return
    const data = this.scopeData(inst, scopeKey)
    if (data.joins && Object.keys(data.joins).length > 0) return // tokens wait at a join: the scope stays active
    if (scopeKey === inst.pi.key) {
      if (inst.pi.state === 'ACTIVE') await this.completeInstance(inst)
      return
    }
    const scope = inst.els.get(scopeKey)
    if (scope?.element_type === 'adHocSubProcess')
      return await this.guard(inst, scope, () => adHocPathEnded(this, inst, scope))
    if (scope) await this.completeActivity(inst, scope)
  }

  // ---------------------------------------------------------------- triggers from outside

  /** A message reached a subscription of a loaded instance. */
  correlate(inst: Inst, sub: SubRow, vars: Variables): Promise<void> {
    return correlate(this, inst, sub, vars)
  }

  /** A BPMN error thrown from an element (a job's error); false when nothing catches it. */
  throwError(
    inst: Inst,
    from: EiRow,
    code: string,
    vars: Variables | undefined,
    considered?: ConsideredCatchEvents,
  ): Promise<boolean> {
    return throwError(this, inst, from, code, vars, considered)
  }

  async fireTimer(timer: TimerRow): Promise<void> {
    const dueAt = new Date(timer.due_at)
    const reschedule = (): boolean => {
      if (timer.repetitions === 0 || !timer.interval) return false
      const next = nextCycleDue(dueAt, timer.interval)
      const row = {
        ...timer,
        due_at: next.toISOString(),
        repetitions: timer.repetitions > 0 ? timer.repetitions - 1 : -1,
      }
      this.timers.update(row)
      this.timerDueHints.push(next)
      return true
    }
    if (timer.process_instance_key == null) {
      if (!reschedule()) this.timers.delete(timer.key)
      await this.createInstance(timer.definition_key, {}, { startElementId: timer.element_id })
      return
    }
    const inst = await this.load(timer.process_instance_key)
    if (!inst || inst.pi.state !== 'ACTIVE') {
      this.timers.delete(timer.key)
      return
    }
    const eventEl = this.el(inst, timer.element_id)
    // Non-interrupting boundary and event sub-process timers keep firing while their cycle lasts.
    let kept = false
    if (!eventEl.interrupting && (eventEl.kind === 'boundaryEvent' || eventEl.kind === 'startEvent'))
      kept = reschedule()
    await trigger(this, inst, timer.element_instance_key!, timer.element_id, undefined, () => {
      if (!kept) this.timers.delete(timer.key)
    })
    if (!kept) this.timers.delete(timer.key)
  }

  recordCorrelation(messageKey: number, pik: number): void {
    this.writes.recordCorrelation(messageKey, pik)
  }

  addStartLock(bpmnProcessId: string, correlationKey: string, pik: number): void {
    this.writes.addStartLock(bpmnProcessId, correlationKey, pik)
  }

  setVariablesLocal(inst: Inst, ei: EiRow, vars: Variables): void {
    this.setLocal(inst, ei, vars)
  }

  // ---------------------------------------------------------------- writing back

  /** Writes every change of the step in one statement and commits; returns the events written. */
  async flush(): Promise<EngineEvent[]> {
    const { sql, bindings, events } = this.writes.statement(this.instances.values())
    // No NOTIFY here: a transaction that notifies takes a global lock through its commit, which would
    // serialise every step's fsync. The engine notifies other processes after the commit instead.
    if (sql) await this.write(sql, bindings)
    else await this.commit()
    return events
  }
}

/** One instance as load() reads it: its row, its active element instances, open user tasks and incidents. */
interface LoadedRow {
  pi: PiRow
  els: EiRow[]
  uts: UtRow[]
  incs: IncidentRow[]
}
