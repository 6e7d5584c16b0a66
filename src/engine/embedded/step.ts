/* eslint-disable @typescript-eslint/no-explicit-any */
// One engine step: runs inside one transaction, locks the process instances it touches, interprets
// BPMN over their rows in memory, then writes every change back in a single statement.
import type { Knex } from 'knex'
import { EngineError, type EngineEvent, type Variables } from '../port.js'
import {
  ExpressionError,
  addDuration,
  applyMappings,
  evalCondition,
  evalList,
  evalString,
  evalValue,
  scheduleTimer,
  toDateOrUndefined,
} from './feel.js'
import type { CompiledProcess, Element, Flow } from './model.js'
import { acquire, inline, lastRows, release, type RawConnection } from './sql.js'
import {
  toIncident,
  toUserTask,
  type EiRow,
  type IncidentRow,
  type JobRow,
  type PiRow,
  type ScopeData,
  type SubRow,
  type TimerRow,
  type UtRow,
} from './rows.js'

/** What a step needs from the engine that runs it. */
/** Something that runs `?`-placeholder SQL: the knex pool, or the step's open transaction. */
export interface Queryable {
  raw(sql: string, bindings?: readonly any[]): PromiseLike<{ rows: any[] }>
}

export interface StepHost {
  readonly knex: Knex
  compiled(definitionKey: number, db: Queryable): Promise<CompiledProcess>
  latestDefinition(bpmnProcessId: string, db: Queryable): Promise<{ key: number; version: number } | undefined>
  nextKey(db: Queryable): Promise<number>
}

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

type Row = { key: number }

class TableWrites<R extends Row> {
  ins = new Map<number, R>()
  upd = new Map<number, R>()
  del = new Set<number>()
  insert(r: R): void {
    this.ins.set(r.key, r)
  }
  update(r: R): void {
    if (this.ins.has(r.key)) this.ins.set(r.key, r)
    else this.upd.set(r.key, r)
  }
  delete(key: number): void {
    if (this.ins.delete(key)) return
    this.upd.delete(key)
    this.del.add(key)
  }
  /** Drops pending rows of an element instance whose rows are deleted in bulk. */
  dropElement(eik: number): void {
    for (const [k, r] of this.ins)
      if ((r as Record<string, unknown>)['element_instance_key'] === eik) this.ins.delete(k)
    for (const [k, r] of this.upd)
      if ((r as Record<string, unknown>)['element_instance_key'] === eik) this.upd.delete(k)
  }
}

const isoNow = (d: Date): string => d.toISOString()

export class Step {
  readonly instances = new Map<number, Inst>()
  private agenda: Array<() => Promise<void>> = []
  readonly jobs = new TableWrites<JobRow & Row>()
  readonly timers = new TableWrites<TimerRow & Row>()
  readonly subs = new TableWrites<SubRow & Row>()
  readonly userTasks = new TableWrites<UtRow & Row>()
  readonly incidents = new TableWrites<IncidentRow & Row>()
  private jobsByElement = new Set<number>()
  private timersByElement = new Set<number>()
  private subsByElement = new Set<number>()
  private subsByElementAndIds: Array<{ eik: number; ids: string[] }> = []
  private messageCorrelations: Array<{ message_key: number; process_instance_key: number }> = []
  private startLocks: Array<{ bpmn_process_id: string; correlation_key: string; process_instance_key: number }> = []
  private releasedStartLocks = new Set<number>()
  /** Job types that became activatable now, and later (back-off), to wake local workers. */
  readonly wakeJobTypes = new Set<string>()
  readonly laterJobWakes: Array<{ type: string; at: Date }> = []
  readonly timerDueHints: Date[] = []

  constructor(
    readonly host: StepHost,
    readonly now: Date,
  ) {}

  private conn?: RawConnection
  private failed = false

  /**
   * Runs a query in the step's transaction, opening it on first use (BEGIN travels with that first
   * query). A step that needs no read (creating an instance of a cached definition) never opens one:
   * its single write statement is atomic on its own.
   */
  async sql(query: string, bindings: readonly unknown[] = []): Promise<{ rows: any[] }> {
    const text = inline(query, bindings)
    try {
      if (!this.conn) {
        this.conn = await acquire(this.host.knex)
        return { rows: lastRows(await this.conn.query(`BEGIN; ${text}`)) }
      }
      return { rows: lastRows(await this.conn.query(text)) }
    } catch (err) {
      this.failed = true
      throw err
    }
  }

  /** Where the host may read from: the open transaction, else the pool (no transaction is open then). */
  private get db(): Queryable {
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
    if (this.conn) release(this.host.knex, this.conn)
    this.conn = undefined
    void this.failed
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
        (SELECT coalesce(json_agg(u), '[]') FROM engine_user_tasks u WHERE u.process_instance_key = pi.key AND u.state = 'CREATED') AS uts,
        (SELECT coalesce(json_agg(i), '[]') FROM engine_incidents i WHERE i.process_instance_key = pi.key AND i.state = 'ACTIVE') AS incs,
        ${opts.extra ? opts.extra.sql : 'NULL'} AS extra
       FROM engine_process_instances pi WHERE pi.key = ${keyExpr}`,
      [...(cached ? [] : keyBindings), ...(opts.extra?.bindings ?? []), ...keyBindings],
    )
    const r = rows[0]
    if (!r) return undefined
    this.extra = r.extra
    return this.adopt(r)
  }

  /**
   * Locks and loads the instances of several jobs in one message (locks taken in key order), for a
   * batch of job completions in one step. Returns the job rows found (after the locks were granted).
   */
  async loadJobs(jobKeys: number[]): Promise<Map<number, { inst: Inst; job: any }>> {
    const { rows } = await this.sql(
      `SELECT pi.key FROM engine_process_instances pi JOIN engine_jobs j ON j.process_instance_key = pi.key
        WHERE j.key = ANY(?::bigint[]) ORDER BY pi.key FOR UPDATE OF pi;
       SELECT row_to_json(j) AS job, row_to_json(pi) AS pi,
        (SELECT coalesce(json_agg(e), '[]') FROM engine_element_instances e WHERE e.process_instance_key = pi.key) AS els,
        (SELECT coalesce(json_agg(u), '[]') FROM engine_user_tasks u WHERE u.process_instance_key = pi.key AND u.state = 'CREATED') AS uts,
        (SELECT coalesce(json_agg(i), '[]') FROM engine_incidents i WHERE i.process_instance_key = pi.key AND i.state = 'ACTIVE') AS incs
       FROM engine_jobs j JOIN engine_process_instances pi ON pi.key = j.process_instance_key WHERE j.key = ANY(?::bigint[])`,
      [jobKeys, jobKeys],
    )
    const out = new Map<number, { inst: Inst; job: any }>()
    for (const r of rows) out.set(Number(r.job.key), { inst: await this.adopt(r), job: r.job })
    return out
  }

  private async adopt(r: any): Promise<Inst> {
    const known = this.instances.get((r.pi as PiRow).key)
    if (known) return known
    const pi = r.pi as PiRow
    const inst: Inst = {
      pi,
      proc: await this.host.compiled(pi.definition_key, this.db),
      isNew: false,
      piDirty: false,
      els: new Map((r.els as EiRow[]).map((e) => [e.key, e])),
      newEls: new Set(),
      dirtyEls: new Set(),
      deletedEls: new Set(),
      userTasks: new Map((r.uts as UtRow[]).map((u) => [u.key, u])),
      incidents: r.incs as IncidentRow[],
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

  private emit(inst: Inst, e: EngineEvent): void {
    inst.events.push(e)
  }

  private emitElement(
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

  private el(inst: Inst, id: string): Element {
    const el = inst.proc.elements.get(id)
    if (!el) throw new Error(`Element ${id} not in process ${inst.proc.bpmnProcessId}`)
    return el
  }

  private dirty(inst: Inst, ei: EiRow): void {
    if (!inst.newEls.has(ei.key)) inst.dirtyEls.add(ei.key)
  }

  private scopeData(inst: Inst, scopeKey: number): ScopeData {
    if (scopeKey === inst.pi.key) return inst.pi.data
    return inst.els.get(scopeKey)!.data
  }

  private touchScope(inst: Inst, scopeKey: number): void {
    if (scopeKey === inst.pi.key) inst.piDirty = true
    else this.dirty(inst, inst.els.get(scopeKey)!)
  }

  private children(inst: Inst, scopeKey: number): EiRow[] {
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
        if (Object.prototype.hasOwnProperty.call(e.variables, name)) {
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

  private setLocal(inst: Inst, ei: EiRow, vars: Variables | undefined): void {
    if (!vars || Object.keys(vars).length === 0) return
    ei.variables = { ...ei.variables, ...vars }
    this.dirty(inst, ei)
  }

  private async createEi(inst: Inst, el: Element, scopeKey: number, elementType?: string): Promise<EiRow> {
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

  private removeEi(inst: Inst, ei: EiRow): void {
    inst.els.delete(ei.key)
    if (!inst.newEls.delete(ei.key)) {
      inst.dirtyEls.delete(ei.key)
      inst.deletedEls.add(ei.key)
    }
  }

  /** Schedules an element's activation after the current operation (as Zeebe writes follow-up commands). */
  private enqueueActivate(inst: Inst, ei: EiRow, triggered?: Variables | null): void {
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

  private closeTriggers(ei: { key: number }): void {
    this.jobsByElement.add(ei.key)
    this.jobs.dropElement(ei.key)
    this.timersByElement.add(ei.key)
    this.timers.dropElement(ei.key)
    this.subsByElement.add(ei.key)
    this.subs.dropElement(ei.key)
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
    this.incidents.insert(inc as IncidentRow & Row)
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
    this.incidents.update(inc as IncidentRow & Row)
    inst.incidents = inst.incidents.filter((i) => i !== inc)
    this.emit(inst, {
      type: 'incident.resolved',
      at: this.now,
      processInstanceKey: String(inst.pi.key),
      incident: toIncident(inc),
    })
  }

  private async failElement(inst: Inst, ei: EiRow, phase: 'activate' | 'complete', err: unknown): Promise<void> {
    if (!(err instanceof ExpressionError)) throw err
    ei.data = { ...ei.data, failedPhase: phase }
    this.dirty(inst, ei)
    await this.raiseIncident(inst, ei, err.errorType, err.message)
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
    await this.openScopeEvents(inst, pi.key, root)
    const start = await this.createEi(inst, this.el(inst, startId), pi.key)
    this.enqueueActivate(inst, start)
    return inst
  }

  private async completeInstance(inst: Inst): Promise<void> {
    this.closeTriggers({ key: inst.pi.key })
    inst.pi.state = 'COMPLETED'
    inst.pi.ended_at = isoNow(this.now)
    inst.piDirty = true
    this.releasedStartLocks.add(inst.pi.key)
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

  async terminateInstance(inst: Inst): Promise<void> {
    for (const child of this.children(inst, inst.pi.key)) await this.terminate(inst, child)
    this.closeTriggers({ key: inst.pi.key })
    for (const inc of [...inst.incidents]) this.markResolved(inst, inc)
    inst.pi.state = 'TERMINATED'
    inst.pi.ended_at = isoNow(this.now)
    inst.piDirty = true
    this.releasedStartLocks.add(inst.pi.key)
    this.emitProcess(inst, 'element.terminated')
    this.emit(inst, {
      type: 'instance.terminated',
      at: this.now,
      processInstanceKey: String(inst.pi.key),
      bpmnProcessId: inst.pi.bpmn_process_id,
    })
  }

  /** Terminates an element instance and everything inside it. */
  async terminate(inst: Inst, ei: EiRow): Promise<void> {
    for (const child of this.children(inst, ei.key)) await this.terminate(inst, child)
    this.closeTriggers(ei)
    for (const ut of inst.userTasks.values()) {
      if (ut.element_instance_key !== ei.key) continue
      ut.state = 'CANCELED'
      ut.completed_at = isoNow(this.now)
      this.userTasks.update(ut as UtRow & Row)
      inst.userTasks.delete(ut.key)
      this.emit(inst, {
        type: 'userTask.canceled',
        at: this.now,
        processInstanceKey: String(inst.pi.key),
        userTask: toUserTask(ut),
      })
    }
    this.resolveIncidentsOf(inst, ei.key)
    if (ei.data.childKey != null) {
      const child = await this.load(ei.data.childKey)
      if (child && child.pi.state === 'ACTIVE') await this.terminateInstance(child)
    }
    this.removeEi(inst, ei)
    if (ei.data.entered) this.emitElement(inst, 'element.terminated', ei)
  }

  // ---------------------------------------------------------------- activation

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
      if (ei.element_type === 'multiInstanceBody') return await this.activateMultiInstance(inst, ei, el)
      if (el.inputs.length > 0) this.setLocal(inst, ei, applyMappings(el.inputs, this.visible(inst, ei.key)))
      ei.state = 'ACTIVATED'
      if (isTriggered) return await this.completeActivity(inst, ei, triggered)
      const isActivity = !ei.data.inner
      switch (el.kind) {
        case 'startEvent':
        case 'intermediateThrowEvent':
        case 'passTask':
        case 'boundaryEvent':
          return await this.completeActivity(inst, ei)
        case 'endEvent':
          return await this.activateEndEvent(inst, ei, el)
        case 'jobTask':
          await this.createJob(inst, ei, el)
          if (isActivity) await this.openBoundaries(inst, ei, el)
          return
        case 'userTask':
          await this.createUserTask(inst, ei, el)
          if (isActivity) await this.openBoundaries(inst, ei, el)
          return
        case 'scriptTask': {
          const result = evalValue(el.script!.expression, this.visible(inst, ei.key))
          return await this.completeActivity(inst, ei, { [el.script!.resultVariable]: result })
        }
        case 'receiveTask':
          await this.openMessage(inst, ei, el, this.visible(inst, ei.key))
          if (isActivity) await this.openBoundaries(inst, ei, el)
          return
        case 'intermediateCatchEvent':
          if (el.event === 'timer') return await this.openTimer(inst, ei, el, this.visible(inst, ei.key))
          return await this.openMessage(inst, ei, el, this.visible(inst, ei.key))
        case 'exclusiveGateway':
        case 'inclusiveGateway':
          return await this.activateConditionalGateway(inst, ei, el)
        case 'parallelGateway':
          return await this.completeActivity(inst, ei)
        case 'eventBasedGateway': {
          const ctx = this.visible(inst, ei.key)
          for (const id of el.eventTargetIds) {
            const target = this.el(inst, id)
            if (target.event === 'timer') await this.openTimer(inst, ei, target, ctx)
            else await this.openMessage(inst, ei, target, ctx)
          }
          return
        }
        case 'subProcess':
          if (isActivity) await this.openBoundaries(inst, ei, el)
          await this.openScopeEvents(inst, ei.key, el)
          this.enqueueActivate(inst, await this.createEi(inst, this.el(inst, el.noneStartId!), ei.key))
          return
        case 'eventSubProcess': {
          await this.openScopeEvents(inst, ei.key, el)
          // Its start event fired already: that is why the event sub-process was activated.
          const start = await this.createEi(inst, this.el(inst, el.startEventId!), ei.key)
          this.enqueueActivate(inst, start, ei.data.trigger ?? null)
          return
        }
        case 'callActivity':
          await this.activateCallActivity(inst, ei, el)
          if (isActivity) await this.openBoundaries(inst, ei, el)
          return
        case 'process':
          throw new Error('a process is not activated as an element')
      }
    } catch (err) {
      await this.failElement(inst, ei, 'activate', err)
    }
  }

  private async activateEndEvent(inst: Inst, ei: EiRow, el: Element): Promise<void> {
    if (el.event === 'error') {
      const caught = await this.throwError(inst, ei, el.errorCode!, undefined)
      if (!caught)
        await this.raiseIncident(
          inst,
          ei,
          'UNHANDLED_ERROR_EVENT',
          `Expected to throw an error event with the code '${el.errorCode}', but it was not caught. No error events are available in the scope.`,
        )
      return
    }
    if (el.event === 'terminate') {
      for (const sibling of this.children(inst, ei.scope_key)) if (sibling !== ei) await this.terminate(inst, sibling)
      const data = this.scopeData(inst, ei.scope_key)
      if (data.joins) {
        delete data.joins
        this.touchScope(inst, ei.scope_key)
      }
    }
    await this.completeActivity(inst, ei)
  }

  private async createJob(inst: Inst, ei: EiRow, el: Element): Promise<void> {
    const ctx = this.visible(inst, ei.key)
    const type = evalString(el.jobType!, ctx, 'job type')
    const retries = el.jobRetries ? Number(evalValue(el.jobRetries, ctx)) : 3
    const job: JobRow = {
      key: await this.key(),
      type,
      state: 'ACTIVATABLE',
      due_at: isoNow(this.now),
      retries: Number.isFinite(retries) ? retries : 3,
      worker: null,
      process_instance_key: inst.pi.key,
      element_instance_key: ei.key,
      element_id: el.id,
      bpmn_process_id: inst.pi.bpmn_process_id,
      definition_key: inst.pi.definition_key,
      version: inst.pi.version,
      custom_headers: el.headers,
      error_message: null,
      created_at: isoNow(this.now),
    }
    this.jobs.insert(job as JobRow & Row)
    this.wakeJobTypes.add(type)
  }

  private async createUserTask(inst: Inst, ei: EiRow, el: Element): Promise<void> {
    const ctx = this.visible(inst, ei.key)
    const u = el.userTask ?? {}
    const assignee = u.assignee ? evalValue(u.assignee, ctx) : null
    const priority = u.priority ? Number(evalValue(u.priority, ctx)) : 50
    const ut: UtRow = {
      key: await this.key(),
      name: el.name ?? el.id,
      element_id: el.id,
      element_instance_key: ei.key,
      process_instance_key: inst.pi.key,
      definition_key: inst.pi.definition_key,
      bpmn_process_id: inst.pi.bpmn_process_id,
      state: 'CREATED',
      assignee: assignee == null || assignee === '' ? null : String(assignee),
      candidate_groups: evalList(u.candidateGroups, ctx),
      candidate_users: evalList(u.candidateUsers, ctx),
      due_date: toDateOrUndefined(u.dueDate, ctx, 'due date')?.toISOString() ?? null,
      follow_up_date: toDateOrUndefined(u.followUpDate, ctx, 'follow-up date')?.toISOString() ?? null,
      form_key: u.formKey ?? null,
      custom_headers: el.headers,
      priority: Number.isFinite(priority) ? priority : 50,
      created_at: isoNow(this.now),
      completed_at: null,
    }
    this.userTasks.insert(ut as UtRow & Row)
    inst.userTasks.set(ut.key, ut)
    this.emit(inst, {
      type: 'userTask.created',
      at: this.now,
      processInstanceKey: String(inst.pi.key),
      userTask: toUserTask(ut),
    })
  }

  private async activateConditionalGateway(inst: Inst, ei: EiRow, el: Element): Promise<void> {
    const ctx = this.visible(inst, ei.key)
    const candidates = el.outgoing.filter((f) => f.id !== el.defaultFlowId)
    let taken: Flow[] = []
    if (el.outgoing.length === 1 && !el.outgoing[0]!.condition) taken = [el.outgoing[0]!]
    else {
      for (const f of candidates) {
        if (!f.condition || evalCondition(f.condition, ctx)) {
          taken.push(f)
          if (el.kind === 'exclusiveGateway') break
        }
      }
      if (taken.length === 0 && el.defaultFlowId) taken = [el.outgoing.find((f) => f.id === el.defaultFlowId)!]
    }
    if (taken.length === 0 && el.outgoing.length > 0)
      throw new ExpressionError(
        `Expected at least one condition to evaluate to true, or to have a default flow`,
        'CONDITION_ERROR',
      )
    this.closeTriggers(ei)
    ei.state = 'COMPLETING'
    this.removeEi(inst, ei)
    this.emitElement(inst, 'element.completed', ei)
    await this.takeFlows(inst, taken, ei.scope_key)
  }

  private async activateCallActivity(inst: Inst, ei: EiRow, el: Element): Promise<void> {
    const ce = el.calledElement!
    const ctx = this.visible(inst, ei.key)
    const processId = evalString(ce.processId, ctx, 'called process id')
    const def = await this.host.latestDefinition(processId, this.db)
    if (!def)
      throw new ExpressionError(
        `Expected process with BPMN process id '${processId}' to be deployed, but not found.`,
        'CALLED_ELEMENT_ERROR',
      )
    const vars = ce.propagateAllParentVariables ? ctx : { ...ei.variables }
    const child = await this.createInstance(def.key, vars, { parent: { pik: inst.pi.key, eik: ei.key } })
    ei.data = { ...ei.data, childKey: child.pi.key }
    this.dirty(inst, ei)
  }

  private async activateMultiInstance(inst: Inst, body: EiRow, el: Element): Promise<void> {
    const mi = el.multiInstance!
    const ctx = this.visible(inst, body.key)
    const items = evalValue(mi.inputCollection!, ctx)
    if (!Array.isArray(items))
      throw new ExpressionError(
        `Expected result of the expression '${mi.inputCollection}' to be 'ARRAY', but was '${items === null ? 'NULL' : typeof items}'.`,
      )
    body.state = 'ACTIVATED'
    body.data = { ...body.data, mi: { items, completed: 0, next: 0 } }
    if (mi.outputCollection) body.variables = { ...body.variables, [mi.outputCollection]: items.map(() => null) }
    this.dirty(inst, body)
    await this.openBoundaries(inst, body, el)
    if (items.length === 0) return await this.completeMultiInstance(inst, body, el)
    const count = mi.sequential ? 1 : items.length
    for (let i = 0; i < count; i++) await this.createInner(inst, body, el)
  }

  private async createInner(inst: Inst, body: EiRow, el: Element): Promise<void> {
    const mi = body.data.mi!
    const index = mi.next
    mi.next++
    this.dirty(inst, body)
    const inner = await this.createEi(inst, el, body.key)
    inner.data = { inner: true }
    inner.variables = { loopCounter: index + 1 }
    if (el.multiInstance!.inputElement) inner.variables[el.multiInstance!.inputElement] = mi.items[index] ?? null
    this.enqueueActivate(inst, inner)
  }

  private async onInnerCompleted(inst: Inst, body: EiRow, el: Element, innerVisible: Variables): Promise<void> {
    const mi = body.data.mi!
    const spec = el.multiInstance!
    if (spec.outputCollection && spec.outputElement) {
      const index = Number(innerVisible['loopCounter']) - 1
      const coll = [...((body.variables[spec.outputCollection] as unknown[]) ?? [])]
      coll[index] = evalValue(spec.outputElement, innerVisible)
      body.variables = { ...body.variables, [spec.outputCollection]: coll }
    }
    mi.completed++
    this.dirty(inst, body)
    if (spec.completionCondition) {
      const active = this.children(inst, body.key).length
      const ctx = {
        ...this.visible(inst, body.key),
        numberOfInstances: mi.items.length,
        numberOfCompletedInstances: mi.completed,
        numberOfActiveInstances: active,
      }
      if (evalCondition(spec.completionCondition, ctx)) {
        for (const c of this.children(inst, body.key)) await this.terminate(inst, c)
        return await this.completeMultiInstance(inst, body, el)
      }
    }
    if (spec.sequential && mi.next < mi.items.length) return await this.createInner(inst, body, el)
    if (mi.completed >= mi.items.length) await this.completeMultiInstance(inst, body, el)
  }

  private async completeMultiInstance(inst: Inst, body: EiRow, el: Element): Promise<void> {
    const oc = el.multiInstance!.outputCollection
    if (oc) this.propagate(inst, body.scope_key, { [oc]: body.variables[oc] })
    this.closeTriggers(body)
    this.removeEi(inst, body)
    this.emitElement(inst, 'element.completed', body)
    await this.leave(inst, el, body.scope_key)
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
      if (ei.data.inner) innerVisible = this.visible(inst, ei.key)
    } catch (err) {
      return await this.failElement(inst, ei, 'complete', err)
    }
    this.closeTriggers(ei)
    for (const ut of inst.userTasks.values()) if (ut.element_instance_key === ei.key) inst.userTasks.delete(ut.key)
    this.resolveIncidentsOf(inst, ei.key)
    this.removeEi(inst, ei)
    this.emitElement(inst, 'element.completed', ei)
    if (ei.data.inner) {
      const body = inst.els.get(ei.scope_key)!
      try {
        return await this.onInnerCompleted(inst, body, el, innerVisible!)
      } catch (err) {
        return await this.failElement(inst, body, 'complete', err)
      }
    }
    await this.leave(inst, el, ei.scope_key)
  }

  private async leave(inst: Inst, el: Element, scopeKey: number): Promise<void> {
    if (el.outgoing.length > 0) await this.takeFlows(inst, el.outgoing, scopeKey)
    else await this.checkScope(inst, scopeKey)
  }

  private async takeFlows(inst: Inst, flows: Flow[], scopeKey: number): Promise<void> {
    for (const flow of flows) {
      const target = this.el(inst, flow.targetId)
      if ((target.kind === 'parallelGateway' || target.kind === 'inclusiveGateway') && target.incoming.length > 1) {
        const data = this.scopeData(inst, scopeKey)
        const joins = (data.joins ??= {})
        const g = (joins[target.id] ??= {})
        g[flow.id] = (g[flow.id] ?? 0) + 1
        this.touchScope(inst, scopeKey)
      } else {
        const ei = await this.createEi(inst, target, scopeKey, target.multiInstance ? 'multiInstanceBody' : undefined)
        this.enqueueActivate(inst, ei)
      }
    }
    await this.tryJoins(inst, scopeKey)
  }

  /** Fires joining gateways whose tokens are complete (parallel) or can get no more tokens (inclusive). */
  private async tryJoins(inst: Inst, scopeKey: number): Promise<void> {
    const data = this.scopeData(inst, scopeKey)
    if (!data.joins) return
    const joins = data.joins
    for (const [gatewayId, tokens] of Object.entries(joins)) {
      const gw = this.el(inst, gatewayId)
      const missing = gw.incoming.filter((f) => !tokens[f])
      let fire = missing.length === 0
      if (!fire && gw.kind === 'inclusiveGateway' && Object.keys(tokens).length > 0)
        fire = !this.canReach(inst, scopeKey, missing, gatewayId)
      if (!fire) continue
      for (const f of Object.keys(tokens)) if (--tokens[f]! <= 0) delete tokens[f]
      if (Object.keys(tokens).length === 0) delete joins[gatewayId]
      if (Object.keys(joins).length === 0) delete data.joins
      this.touchScope(inst, scopeKey)
      this.enqueueActivate(inst, await this.createEi(inst, gw, scopeKey))
    }
  }

  /** Whether a token still active in the scope could arrive on one of the given flows. */
  private canReach(inst: Inst, scopeKey: number, flowIds: string[], stopAt: string): boolean {
    const wanted = new Set(flowIds)
    const seen = new Set<string>()
    const stack = this.children(inst, scopeKey).map((c) => c.element_id)
    const joins = this.scopeData(inst, scopeKey).joins ?? {}
    for (const [g, tokens] of Object.entries(joins)) if (g !== stopAt && Object.keys(tokens).length > 0) stack.push(g)
    while (stack.length > 0) {
      const id = stack.pop()!
      if (seen.has(id)) continue
      seen.add(id)
      const el = inst.proc.elements.get(id)
      if (!el) continue
      const outs = [...el.outgoing]
      for (const b of el.boundaryIds) outs.push(...this.el(inst, b).outgoing)
      for (const f of outs) {
        if (wanted.has(f.id)) return true
        if (f.targetId !== stopAt) stack.push(f.targetId)
      }
    }
    return false
  }

  private async checkScope(inst: Inst, scopeKey: number): Promise<void> {
    await this.tryJoins(inst, scopeKey)
    if (this.children(inst, scopeKey).length > 0) return
    const data = this.scopeData(inst, scopeKey)
    if (data.joins && Object.keys(data.joins).length > 0) return // tokens wait at a join: the scope stays active
    if (scopeKey === inst.pi.key) {
      if (inst.pi.state === 'ACTIVE') await this.completeInstance(inst)
      return
    }
    const scope = inst.els.get(scopeKey)
    if (scope) await this.completeActivity(inst, scope)
  }

  // ---------------------------------------------------------------- events: timers, messages, errors

  private async openTimer(inst: Inst, owner: { key: number }, eventEl: Element, ctx: Variables): Promise<void> {
    const s = scheduleTimer(eventEl.timer!, ctx, this.now)
    const t: TimerRow = {
      key: await this.key(),
      due_at: s.dueAt.toISOString(),
      process_instance_key: inst.pi.key,
      element_instance_key: owner.key,
      element_id: eventEl.id,
      definition_key: inst.pi.definition_key,
      repetitions: s.repetitions,
      interval: s.interval ?? null,
    }
    this.timers.insert(t as TimerRow & Row)
    this.timerDueHints.push(s.dueAt)
  }

  private async openMessage(inst: Inst, owner: { key: number }, eventEl: Element, ctx: Variables): Promise<void> {
    const name = evalString(eventEl.message!.name, ctx, 'message name')
    const correlationKey = evalString(eventEl.message!.correlationKey ?? '', ctx, 'correlation key')
    const sub: SubRow = {
      key: await this.key(),
      message_name: name,
      correlation_key: correlationKey,
      process_instance_key: inst.pi.key,
      element_instance_key: owner.key,
      element_id: eventEl.id,
      created_at: isoNow(this.now),
    }
    this.subs.insert(sub as SubRow & Row)
    // Serialises with publishers of this name + key, so a message published meanwhile is not missed.
    await this.sql('SELECT pg_advisory_xact_lock(hashtext(?))', [`${name}\u001f${correlationKey}`])
    const { rows } = await this.sql(
      `SELECT key, variables FROM engine_messages m
        WHERE name = ? AND correlation_key = ? AND expires_at > ?
          AND NOT EXISTS (SELECT 1 FROM engine_message_correlations c WHERE c.message_key = m.key AND c.process_instance_key = ?)
        ORDER BY key LIMIT 1`,
      [name, correlationKey, this.now, inst.pi.key],
    )
    const msg = rows[0] as { key: number; variables: Variables } | undefined
    if (
      msg &&
      !this.messageCorrelations.some((c) => c.message_key === msg.key && c.process_instance_key === inst.pi.key)
    ) {
      this.messageCorrelations.push({ message_key: msg.key, process_instance_key: inst.pi.key })
      this.agenda.push(() => this.correlate(inst, sub, msg.variables))
    }
  }

  /** Opens the timers and message subscriptions of an activity's boundary events. */
  private async openBoundaries(inst: Inst, ei: EiRow, el: Element): Promise<void> {
    if (el.boundaryIds.length === 0) return
    const ctx = this.visible(inst, ei.key)
    for (const id of el.boundaryIds) {
      const b = this.el(inst, id)
      if (b.event === 'timer') await this.openTimer(inst, ei, b, ctx)
      else if (b.event === 'message') await this.openMessage(inst, ei, b, ctx)
    }
  }

  /** Opens the timer/message start events of a scope's event sub-processes. */
  private async openScopeEvents(inst: Inst, scopeKey: number, scopeEl: Element): Promise<void> {
    if (scopeEl.eventSubProcessIds.length === 0) return
    const ctx = this.visible(inst, scopeKey)
    for (const espId of scopeEl.eventSubProcessIds) {
      const start = this.el(inst, this.el(inst, espId).startEventId!)
      if (start.event === 'timer') await this.openTimer(inst, { key: scopeKey }, start, ctx)
      else if (start.event === 'message') await this.openMessage(inst, { key: scopeKey }, start, ctx)
    }
  }

  /** A message or timer fired for an element that waits on it. */
  async trigger(
    inst: Inst,
    ownerKey: number,
    eventElementId: string,
    vars: Variables | undefined,
    closeOwnTrigger: () => void,
  ): Promise<void> {
    const eventEl = this.el(inst, eventElementId)
    if (eventEl.kind === 'startEvent' && eventEl.scopeId && this.el(inst, eventEl.scopeId).kind === 'eventSubProcess') {
      const esp = this.el(inst, eventEl.scopeId)
      if (esp.interrupting) closeOwnTrigger()
      return await this.triggerEventSubProcess(inst, ownerKey, esp, vars)
    }
    const owner = inst.els.get(ownerKey)
    if (!owner) return closeOwnTrigger()
    if (eventEl.kind === 'boundaryEvent') {
      if (eventEl.interrupting) closeOwnTrigger()
      return await this.triggerBoundary(inst, owner, eventEl, vars)
    }
    closeOwnTrigger()
    if (owner.element_type === 'eventBasedGateway') {
      this.closeTriggers(owner)
      this.removeEi(inst, owner)
      this.emitElement(inst, 'element.completed', owner)
      const target = await this.createEi(inst, eventEl, owner.scope_key)
      this.enqueueActivate(inst, target, vars ?? null)
      return
    }
    await this.completeActivity(inst, owner, vars)
  }

  async correlate(inst: Inst, sub: SubRow, vars: Variables): Promise<void> {
    await this.trigger(inst, sub.element_instance_key, sub.element_id, vars, () => this.subs.delete(sub.key))
  }

  private async triggerBoundary(
    inst: Inst,
    attached: EiRow,
    boundary: Element,
    vars: Variables | undefined,
  ): Promise<void> {
    if (boundary.interrupting) await this.terminate(inst, attached)
    const be = await this.createEi(inst, boundary, attached.scope_key)
    this.enqueueActivate(inst, be, vars ?? null)
  }

  private async triggerEventSubProcess(
    inst: Inst,
    scopeKey: number,
    esp: Element,
    vars: Variables | undefined,
  ): Promise<void> {
    const data = this.scopeData(inst, scopeKey)
    if (data.interrupted) return
    if (esp.interrupting) {
      for (const c of this.children(inst, scopeKey)) await this.terminate(inst, c)
      this.closeEventSubProcessStarts(inst, scopeKey)
      data.interrupted = true
      delete data.joins
      this.touchScope(inst, scopeKey)
    }
    const ei = await this.createEi(inst, esp, scopeKey)
    ei.data = { trigger: vars ?? {} }
    this.enqueueActivate(inst, ei)
  }

  /** Closes the event sub-process start triggers of a scope (keeps its boundary events). */
  private closeEventSubProcessStarts(inst: Inst, scopeKey: number): void {
    const scopeEl =
      scopeKey === inst.pi.key
        ? this.el(inst, inst.proc.bpmnProcessId)
        : this.el(inst, inst.els.get(scopeKey)!.element_id)
    const ids = scopeEl.eventSubProcessIds.map((id) => this.el(inst, id).startEventId!)
    this.subsByElementAndIds.push({ eik: scopeKey, ids })
    for (const [k, r] of this.timers.ins)
      if (r.element_instance_key === scopeKey && ids.includes(r.element_id)) this.timers.ins.delete(k)
    for (const [k, r] of this.subs.ins)
      if (r.element_instance_key === scopeKey && ids.includes(r.element_id)) this.subs.ins.delete(k)
  }

  /**
   * Throws a BPMN error from an element: the nearest boundary event or error event sub-process with
   * the code (or a catch-all) takes it, across call activities. False when nothing catches it.
   */
  async throwError(inst: Inst, from: EiRow, code: string, vars: Variables | undefined): Promise<boolean> {
    let curInst = inst
    let cur = from
    for (;;) {
      const el = this.el(curInst, cur.element_id)
      // Boundary events hang on the activity (the multi-instance body, not its inner instances).
      if (!cur.data.inner) {
        const b = pickCatch(
          el.boundaryIds.map((id) => this.el(curInst, id)).filter((x) => x.event === 'error'),
          code,
        )
        if (b) {
          await this.triggerBoundary(curInst, cur, b, vars)
          return true
        }
      }
      const scopeKey = cur.scope_key
      const scopeEi = scopeKey === curInst.pi.key ? undefined : curInst.els.get(scopeKey)!
      if (scopeEi?.element_type !== 'multiInstanceBody') {
        const scopeEl = scopeEi ? this.el(curInst, scopeEi.element_id) : this.el(curInst, curInst.proc.bpmnProcessId)
        const starts = scopeEl.eventSubProcessIds
          .map((id) => this.el(curInst, this.el(curInst, id).startEventId!))
          .filter((x) => x.event === 'error')
        const start = pickCatch(starts, code)
        if (start && !this.scopeData(curInst, scopeKey).interrupted) {
          await this.triggerEventSubProcess(curInst, scopeKey, this.el(curInst, start.scopeId!), vars)
          return true
        }
      }
      if (scopeEi) {
        cur = scopeEi
        continue
      }
      // Uncaught in this instance: a called process hands the error to its call activity.
      if (curInst.pi.parent_process_instance_key == null) return false
      const parent = await this.load(curInst.pi.parent_process_instance_key)
      const callEi = parent?.els.get(curInst.pi.parent_element_instance_key!)
      if (!parent || !callEi) return false
      curInst = parent
      cur = callEi
    }
  }

  // ---------------------------------------------------------------- timers and messages from outside

  async fireTimer(timer: TimerRow): Promise<void> {
    const dueAt = new Date(timer.due_at)
    const reschedule = (): boolean => {
      if (timer.repetitions === 0 || !timer.interval) return false
      const next = addDuration(dueAt, timer.interval)
      const row = {
        ...timer,
        due_at: next.toISOString(),
        repetitions: timer.repetitions > 0 ? timer.repetitions - 1 : -1,
      }
      this.timers.update(row as TimerRow & Row)
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
    await this.trigger(inst, timer.element_instance_key!, timer.element_id, undefined, () => {
      if (!kept) this.timers.delete(timer.key)
    })
    if (!kept) this.timers.delete(timer.key)
  }

  recordCorrelation(messageKey: number, pik: number): void {
    this.messageCorrelations.push({ message_key: messageKey, process_instance_key: pik })
  }

  addStartLock(bpmnProcessId: string, correlationKey: string, pik: number): void {
    this.startLocks.push({ bpmn_process_id: bpmnProcessId, correlation_key: correlationKey, process_instance_key: pik })
  }

  setVariablesLocal(inst: Inst, ei: EiRow, vars: Variables): void {
    this.setLocal(inst, ei, vars)
  }

  emitUserTask(inst: Inst, type: 'userTask.assigned' | 'userTask.completed', ut: UtRow): void {
    this.emit(inst, { type, at: this.now, processInstanceKey: String(inst.pi.key), userTask: toUserTask(ut) })
  }

  /** Retries what failed on an element after its incident was resolved. */
  async retryElement(inst: Inst, ei: EiRow): Promise<void> {
    const phase = ei.data.failedPhase
    if (phase === 'complete') {
      const { failedPhase: _f, ...rest } = ei.data
      ei.data = rest
      this.dirty(inst, ei)
      if (ei.element_type === 'multiInstanceBody') {
        if (this.children(inst, ei.key).length === 0)
          await this.completeMultiInstance(inst, ei, this.el(inst, ei.element_id))
        return
      }
      await this.completeActivity(inst, ei)
    } else this.enqueueActivate(inst, ei)
  }

  // ---------------------------------------------------------------- writing back

  /** Writes every change of the step in one statement; returns the events written, per instance. */
  async flush(): Promise<EngineEvent[]> {
    const parts: string[] = []
    const bindings: unknown[] = []
    let n = 0
    const add = (sql: string, ...b: unknown[]): void => {
      parts.push(`w${n++} AS (${sql})`)
      bindings.push(...b)
    }
    const insertRows = (table: string, rows: object[]): void => {
      if (rows.length === 0) return
      const cols = Object.keys(rows[0]!).join(', ')
      add(
        `INSERT INTO ${table} (${cols}) SELECT ${cols} FROM jsonb_populate_recordset(NULL::${table}, ?::jsonb)`,
        JSON.stringify(rows),
      )
    }
    const updateRows = (table: string, rows: object[]): void => {
      if (rows.length === 0) return
      const cols = Object.keys(rows[0]!).filter((c) => c !== 'key')
      add(
        `UPDATE ${table} t SET ${cols.map((c) => `${c} = x.${c}`).join(', ')} FROM jsonb_populate_recordset(NULL::${table}, ?::jsonb) x WHERE t.key = x.key`,
        JSON.stringify(rows),
      )
    }
    const deleteKeys = (table: string, column: string, keys: Iterable<number>): void => {
      const arr = [...keys]
      if (arr.length > 0) add(`DELETE FROM ${table} WHERE ${column} = ANY(?::bigint[])`, arr)
    }

    const newPis: PiRow[] = []
    const updPis: PiRow[] = []
    const newEls: EiRow[] = []
    const updEls: Array<Pick<EiRow, 'key' | 'state' | 'variables' | 'data'>> = []
    const delEls: number[] = []
    const eventRows: Array<{ process_instance_key: number; events: EngineEvent[] }> = []
    const allEvents: EngineEvent[] = []
    for (const inst of this.instances.values()) {
      if (inst.isNew) newPis.push(inst.pi)
      else if (inst.piDirty) updPis.push(inst.pi)
      for (const k of inst.newEls) newEls.push(inst.els.get(k)!)
      for (const k of inst.dirtyEls) {
        const e = inst.els.get(k)
        if (e) updEls.push({ key: e.key, state: e.state, variables: e.variables, data: e.data })
      }
      delEls.push(...inst.deletedEls)
      if (inst.events.length > 0) {
        eventRows.push({ process_instance_key: inst.pi.key, events: inst.events })
        allEvents.push(...inst.events)
      }
    }
    insertRows('engine_process_instances', newPis)
    updateRows(
      'engine_process_instances',
      updPis.map((p) => ({ key: p.key, state: p.state, variables: p.variables, data: p.data, ended_at: p.ended_at })),
    )
    insertRows('engine_element_instances', newEls)
    updateRows('engine_element_instances', updEls)
    deleteKeys('engine_element_instances', 'key', delEls)

    deleteKeys('engine_jobs', 'element_instance_key', this.jobsByElement)
    deleteKeys('engine_timers', 'element_instance_key', this.timersByElement)
    deleteKeys('engine_message_subscriptions', 'element_instance_key', this.subsByElement)
    for (const { eik, ids } of this.subsByElementAndIds) {
      add(`DELETE FROM engine_timers WHERE element_instance_key = ? AND element_id = ANY(?::text[])`, eik, ids)
      add(
        `DELETE FROM engine_message_subscriptions WHERE element_instance_key = ? AND element_id = ANY(?::text[])`,
        eik,
        ids,
      )
    }
    for (const [table, w] of [
      ['engine_jobs', this.jobs],
      ['engine_timers', this.timers],
      ['engine_message_subscriptions', this.subs],
      ['engine_user_tasks', this.userTasks],
      ['engine_incidents', this.incidents],
    ] as const) {
      insertRows(table, [...w.ins.values()])
      updateRows(table, [...w.upd.values()])
      deleteKeys(table, 'key', w.del)
    }
    if (this.messageCorrelations.length > 0)
      add(
        `INSERT INTO engine_message_correlations SELECT * FROM jsonb_populate_recordset(NULL::engine_message_correlations, ?::jsonb) ON CONFLICT DO NOTHING`,
        JSON.stringify(this.messageCorrelations),
      )
    if (this.startLocks.length > 0)
      add(
        `INSERT INTO engine_message_start_locks SELECT * FROM jsonb_populate_recordset(NULL::engine_message_start_locks, ?::jsonb) ON CONFLICT DO NOTHING`,
        JSON.stringify(this.startLocks),
      )
    if (this.releasedStartLocks.size > 0) {
      deleteKeys('engine_message_start_locks', 'process_instance_key', this.releasedStartLocks)
      deleteKeys('engine_message_correlations', 'process_instance_key', this.releasedStartLocks)
    }
    insertRows('engine_events', eventRows)
    if (parts.length === 0) {
      await this.commit()
      return allEvents
    }
    // No NOTIFY here: a transaction that notifies takes a global lock through its commit, which would
    // serialise every step's fsync. The engine notifies other processes after the commit instead.
    await this.write(`WITH ${parts.join(',\n')} SELECT 1`, bindings)
    return allEvents
  }
}

function pickCatch(candidates: Element[], code: string): Element | undefined {
  return candidates.find((c) => c.errorCode === code) ?? candidates.find((c) => c.errorCode === undefined)
}
