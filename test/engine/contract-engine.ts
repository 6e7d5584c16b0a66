// Gives a contract test the engine(s) to specify: the embedded engine on a fresh test database always;
// the Zeebe adapter joins `contractTargets` when ZEEBE_REST_ADDRESS is set (seam for the Zeebe engineer).
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import tap, { type Test } from 'tap'
import type { Database } from '../../src/db/database.js'
import { createTestDatabase, dbKind } from '../helpers/db.js'
import { EmbeddedEngine, type EmbeddedEngineOptions } from '../../src/engine/embedded/index.js'
import type { ActivatedJob, Engine, EngineEvent, ProcessInstanceView } from '../../src/engine/port.js'
import { zeebeTargets } from '../zeebe/zeebe-target.js'
import { eventually } from '../helpers/eventually.js'

export interface ContractTarget {
  name: string
  create(t: Test, opts?: EmbeddedEngineOptions): Promise<Engine>
}

// One database per test file (an embedded PGlite takes seconds to create and migrate); each test
// starts from empty engine tables.
let shared: Promise<Database> | undefined
const engineTables = [
  'engine_events',
  'engine_incidents',
  'engine_user_tasks',
  'engine_message_start_locks',
  'engine_message_correlations',
  'engine_message_pending',
  'engine_message_pending_starts',
  'engine_messages',
  'engine_message_start_subscriptions',
  'engine_message_subscriptions',
  'engine_timers',
  'engine_jobs',
  'engine_element_instances',
  'engine_process_instances',
  'engine_process_definitions',
  'engine_decisions',
  'engine_decision_requirements',
  'engine_deployments',
]

export async function freshEngineDatabase(): Promise<Database> {
  shared ??= createTestDatabase(tap as unknown as Test)
  const db = await shared
  await db.knex.raw(`TRUNCATE ${engineTables.join(', ')}`)
  return db
}

export const contractTargets: ContractTarget[] = [
  {
    name: `embedded (${dbKind})`,
    async create(t, opts) {
      const db = await freshEngineDatabase()
      const engine = new EmbeddedEngine(db, { timerPollMs: 50, workerPollMs: 100, ...opts })
      await engine.start()
      t.teardown(() => engine.stop())
      return engine
    },
  },
  // The Zeebe adapter, only when ZEEBE_REST_ADDRESS is set (see test/zeebe/zeebe-target.ts).
  ...zeebeTargets(),
]

/** The embedded engine on a fresh database (stopped when the test ends). */
export async function createContractEngine(t: Test, opts?: EmbeddedEngineOptions): Promise<Engine> {
  return contractTargets[0]!.create(t, opts)
}

/** Same, typed as the embedded engine, for tests of its own extras (manual clock, event log). */
export async function createEmbeddedEngine(t: Test, opts?: EmbeddedEngineOptions): Promise<EmbeddedEngine> {
  return (await contractTargets[0]!.create(t, opts)) as EmbeddedEngine
}

/**
 * An embedded engine on a clock the test moves, whose timers the test fires itself with runDueTimers: the engine's own
 * timer loop reads the same clock, so it is held off (an hour between polls); otherwise it could fire a timer first on
 * a busy machine and the test's runDueTimers would find nothing due.
 */
export function createManualClockEngine(t: Test, clock: () => Date): Promise<EmbeddedEngine> {
  return createEmbeddedEngine(t, { clock, timerPollMs: 3_600_000 })
}

export function fixture(name: string): { name: string; content: string } {
  const path = fileURLToPath(new URL(`../fixtures/bpmn/${name}`, import.meta.url))
  return { name, content: readFileSync(path, 'utf8') }
}

export async function deployFixtures(engine: Engine, ...names: string[]): Promise<void> {
  await engine.deploy(names.map(fixture))
}

export async function activateOne(engine: Engine, type: string, timeoutMs = 30_000): Promise<ActivatedJob> {
  return eventually(
    `a ${type} job`,
    async () => (await engine.activateJobs({ type, worker: 'test', maxJobsToActivate: 1, timeoutMs }))[0],
    10_000,
  )
}

export async function instanceState(engine: Engine, key: string): Promise<ProcessInstanceView> {
  const v = await engine.getProcessInstance(key)
  if (!v) throw new Error(`instance ${key} not found`)
  return v
}

export async function waitForState(
  engine: Engine,
  key: string,
  state: ProcessInstanceView['state'],
  timeoutMs = 10_000,
): Promise<ProcessInstanceView> {
  return eventually(
    `instance ${key} to be ${state}`,
    async () => {
      const v = await engine.getProcessInstance(key)
      return v?.state === state ? v : undefined
    },
    timeoutMs,
  )
}

export function activeIds(view: ProcessInstanceView): string[] {
  return view.activeElements.map((e) => e.elementId).sort()
}

export function recordEvents(engine: Engine): EngineEvent[] {
  const events: EngineEvent[] = []
  engine.onEvent((e) => {
    events.push(e)
  })
  return events
}
