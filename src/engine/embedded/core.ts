// What every part of the embedded engine shares: the database, the clock, process definitions
// (compiled once, cached by key), engine keys, and running a step with what follows its commit.
import type { Knex } from 'knex'
import type { ConnectionSource, Database } from '../../db/database.js'
import { EngineError, type DeployProblem, type DeployResource, type EngineEvent } from '../port.js'
import { compileProcess, executableProcesses, parseBpmn, type CompiledProcess, type ModdleElement } from './model.js'
import { Step, type Queryable, type StepHost } from './step.js'

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

/** A key as the port hands it out (a decimal string); anything else is not found. */
export function parseKey(key: string, what: string): number {
  if (!/^\d{1,16}$/.test(String(key))) throw new EngineError('NOT_FOUND', `${what} ${key} not found`)
  return Number(key)
}

function retryable(err: unknown): boolean {
  const code = (err as { code?: string })?.code
  return code === '40P01' || code === '40001' || code === '23505'
}

/** Told after each step's commit: what to wake, when timers fall due, which events to deliver. */
export type CommitListener = (step: Step, events: EngineEvent[]) => void

export class EngineCore implements StepHost {
  readonly knex: Knex
  readonly pool: ConnectionSource
  readonly clock: () => Date
  readonly log: (message: string, err?: unknown) => void
  /** Several processes may share the database (a server, not PGlite): they are told of new jobs. */
  readonly notifies: boolean
  stopped = false
  private readonly cache = new Map<number, CompiledProcess>()
  private readonly latestCache = new Map<string, { key: number; at: number }>()
  private keyNext = 0
  private keyEnd = 0
  private readonly commitListeners: CommitListener[] = []

  constructor(
    readonly db: Database,
    readonly opts: EmbeddedEngineOptions = {},
  ) {
    this.knex = db.knex
    this.pool = db.pool
    this.notifies = !db.embedded
    this.clock = opts.clock ?? (() => new Date())
    this.log = opts.log ?? ((m, e) => console.error(`[engine] ${m}`, e ?? ''))
  }

  // ------------------------------------------------------------ definitions

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

  /** A definition just deployed by this process: cached, and the latest of its process at once. */
  deployed(compiled: CompiledProcess): void {
    this.cache.set(compiled.definitionKey, compiled)
    this.latestCache.set(compiled.bpmnProcessId, { key: compiled.definitionKey, at: Date.now() })
  }

  async latestDefinition(bpmnProcessId: string, trx: Queryable): Promise<{ key: number; version: number } | undefined> {
    const { rows } = await trx.raw(
      'SELECT key, version FROM engine_process_definitions WHERE bpmn_process_id = ? ORDER BY version DESC LIMIT 1',
      [bpmnProcessId],
    )
    return rows[0]
  }

  /**
   * Latest definition key of a process, cached for a second: a version deployed by another motcua
   * process is used for new instances within a second; one deployed here, at once.
   */
  async latestDefinitionKey(bpmnProcessId: string): Promise<number | undefined> {
    const hit = this.latestCache.get(bpmnProcessId)
    if (hit && Date.now() - hit.at < 1000) return hit.key
    const def = await this.latestDefinition(bpmnProcessId, this.knex)
    if (def) this.latestCache.set(bpmnProcessId, { key: def.key, at: Date.now() })
    return def?.key
  }

  // ------------------------------------------------------------ keys

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

  onCommit(listener: CommitListener): void {
    this.commitListeners.push(listener)
  }

  /**
   * Runs fn as one step in one transaction, retried on deadlock/serialisation failure; delivers events after commit.
   */
  async runStep<T>(fn: (step: Step) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      const step = new Step(this, this.clock())
      try {
        const result = await fn(step)
        await step.drain()
        const events = await step.flush() // commits too
        for (const l of this.commitListeners) l(step, events)
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
}
