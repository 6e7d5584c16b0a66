// The step's SQL writer: collects every row change a step makes and turns them into one statement
// (data-modifying CTEs fed by jsonb_populate_recordset), so a step writes and commits in one message.
import type { EngineEvent } from '../port.js'
import type { EiRow, IncidentRow, JobRow, PiRow, SubRow, TimerRow, UtRow } from './rows.js'

type Row = { key: number }

/** Pending inserts, updates and deletes of one table, by row key. */
export class TableWrites<R extends Row> {
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

/** What the writer needs of a loaded process instance: its rows and what changed in them. */
export interface InstanceChanges {
  pi: PiRow
  isNew: boolean
  piDirty: boolean
  els: Map<number, EiRow>
  newEls: Set<number>
  dirtyEls: Set<number>
  deletedEls: Set<number>
  events: EngineEvent[]
}

/** Every write of one step, besides the instances' own rows. */
export class StepWrites {
  readonly jobs = new TableWrites<JobRow & Row>()
  readonly timers = new TableWrites<TimerRow & Row>()
  readonly subs = new TableWrites<SubRow & Row>()
  readonly userTasks = new TableWrites<UtRow & Row>()
  readonly incidents = new TableWrites<IncidentRow & Row>()
  private readonly jobsByElement = new Set<number>()
  private readonly timersByElement = new Set<number>()
  private readonly subsByElement = new Set<number>()
  private readonly subsByElementAndIds: Array<{ eik: number; ids: string[] }> = []
  private readonly messageCorrelations: Array<{ message_key: number; process_instance_key: number }> = []
  private readonly startLocks: Array<{
    bpmn_process_id: string
    correlation_key: string
    process_instance_key: number
  }> = []
  private readonly releasedStartLocks = new Set<number>()

  /** Deletes the jobs, timers and message subscriptions an element instance (or instance) owns. */
  closeTriggers(eik: number): void {
    this.jobsByElement.add(eik)
    this.jobs.dropElement(eik)
    this.timersByElement.add(eik)
    this.timers.dropElement(eik)
    this.subsByElement.add(eik)
    this.subs.dropElement(eik)
  }

  /** Deletes the timers and subscriptions of some elements (event sub-process starts) of one scope. */
  closeTriggersOf(eik: number, elementIds: string[]): void {
    this.subsByElementAndIds.push({ eik, ids: elementIds })
    for (const [k, r] of this.timers.ins)
      if (r.element_instance_key === eik && elementIds.includes(r.element_id)) this.timers.ins.delete(k)
    for (const [k, r] of this.subs.ins)
      if (r.element_instance_key === eik && elementIds.includes(r.element_id)) this.subs.ins.delete(k)
  }

  recordCorrelation(messageKey: number, pik: number): void {
    this.messageCorrelations.push({ message_key: messageKey, process_instance_key: pik })
  }

  hasCorrelation(messageKey: number, pik: number): boolean {
    return this.messageCorrelations.some((c) => c.message_key === messageKey && c.process_instance_key === pik)
  }

  addStartLock(bpmnProcessId: string, correlationKey: string, pik: number): void {
    this.startLocks.push({ bpmn_process_id: bpmnProcessId, correlation_key: correlationKey, process_instance_key: pik })
  }

  /** An instance ended: its message start lock and the correlations recorded for it go. */
  releaseStartLock(pik: number): void {
    this.releasedStartLocks.add(pik)
  }

  /**
   * The one statement that writes every change (undefined when there is none), and the events
   * written, in order per instance.
   */
  statement(instances: Iterable<InstanceChanges>): {
    sql?: string
    bindings: unknown[]
    events: EngineEvent[]
  } {
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
    // `t.key = ANY(keys)` next to the join: the planner sees how many rows change (the keys are inlined literals) and
    // reads them by the primary key. With the join alone it expects jsonb_populate_recordset's default 100 rows and,
    // once the table holds a few thousand finished instances, hashes the whole table instead (a sequential scan of
    // engine_process_instances per step: docs/benchmarks.md, 2026-12-05).
    const updateRows = (table: string, rows: object[]): void => {
      if (rows.length === 0) return
      const cols = Object.keys(rows[0]!).filter((c) => c !== 'key')
      add(
        `UPDATE ${table} t SET ${cols.map((c) => `${c} = x.${c}`).join(', ')} FROM jsonb_populate_recordset(NULL::${table}, ?::jsonb) x WHERE t.key = ANY(?::bigint[]) AND t.key = x.key`,
        JSON.stringify(rows),
        rows.map((r) => (r as Row).key),
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
    const events: EngineEvent[] = []
    for (const inst of instances) {
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
        events.push(...inst.events)
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
    if (parts.length === 0) return { bindings, events }
    return { sql: `WITH ${parts.join(',\n')} SELECT 1`, bindings, events }
  }
}
