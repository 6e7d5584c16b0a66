// Conformance corpus: real Camunda 8 / Zeebe models from public repositories (test/fixtures/external/, sources and
// licences in its manifest.json) deployed on the embedded engine and driven the way a Zeebe user would: generic job
// workers that return the manifest's variables, messages and signals published when their catch element waits,
// user tasks completed, the clock moved for timers. Each model must reach the end the manifest states (from Zeebe
// 8.8's documentation, cited per model) or be refused at deploy with the documented reason.
// Models that need an engine gap being closed in issue #16 run as todo: they still run and report.
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import t, { type Test } from 'tap'
import { createEmbeddedEngine } from './contract-engine.js'
import { DeployValidationError, type ActivatedJob, type Engine, type EngineEvent } from '../../src/engine/port.js'
import type { EmbeddedEngine } from '../../src/engine/embedded/index.js'
import { validateBpmn } from '../../src/engine/validation/index.js'

type Variables = Record<string, unknown>

/** One answer of the generic worker for a job type: complete with variables, or throw a BPMN error. */
interface JobAnswer {
  error?: string
  [variable: string]: unknown
}

interface ExternalModel {
  file: string
  resources?: string[]
  repo: string
  path: string
  commit: string
  licence: string
  features: string[]
  processId: string
  expect: 'completes' | 'refused'
  docs: string[]
  gap?: string
  note?: string
  variables?: Variables
  start?: { message?: { name: string; variables?: Variables }; timer?: string; signal?: string }
  /** Answers per job type, in order; the last one repeats. */
  jobs?: Record<string, JobAnswer[]>
  userTasks?: Record<string, { variables?: Variables; assignee?: string }>
  /** Leave user tasks open (the model is expected to leave them by a boundary event). */
  leaveUserTasks?: boolean
  messages?: Array<{ when: string; name: string; correlationKey: string; variables?: Variables }>
  signals?: Array<{ when: string; name: string }>
  /** How far the clock moves when nothing else can happen (ISO duration, hours/minutes/seconds or days). */
  advance?: string
  jobOrder?: string[]
  jobCounts?: Record<string, number>
  expectJobVariables?: Record<string, Variables>
  expectJobHeaders?: Record<string, Record<string, string>>
  endEvent?: string
  passes?: string[]
  endVariables?: Variables
  absentVariables?: string[]
  refusal?: { elementId?: string; reason: string }
}

const dir = fileURLToPath(new URL('../fixtures/external/', import.meta.url))
const manifest = JSON.parse(readFileSync(`${dir}manifest.json`, 'utf8')) as { models: ExternalModel[] }

type Outcome = 'completed' | 'refused' | 'wrong'
const tally: Array<{ file: string; outcome: Outcome; expected: Outcome; gap?: string; detail: string }> = []

const jobBasedUserTask = 'io.camunda.zeebe:userTask'

function durationMs(iso: string): number {
  const m = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/.exec(iso)
  if (!m) throw new Error(`unsupported duration in manifest: ${iso}`)
  const [, d, h, min, s] = m.map((x) => Number(x ?? 0))
  return (((d! * 24 + h!) * 60 + min!) * 60 + s!) * 1000
}

/** What happened while driving one model; `wrong` carries why. */
interface Run {
  outcome: Outcome
  detail: string
  jobs: ActivatedJob[]
  events: EngineEvent[]
  variables: Variables
  /** Completions of Camunda user tasks in flight: each waits for the task's completing listeners, as on Zeebe. */
  pending?: Map<string, Promise<void>>
  failure?: Error
}

async function deployModel(engine: Engine, model: ExternalModel): Promise<DeployValidationError | undefined> {
  const files = [model.file, ...(model.resources ?? [])]
  try {
    await engine.deploy(files.map((name) => ({ name, content: readFileSync(`${dir}${name}`, 'utf8') })))
    return undefined
  } catch (err) {
    if (err instanceof DeployValidationError) return err
    throw err
  }
}

function problemsText(err: DeployValidationError): string {
  return err.problems
    .filter((p) => p.severity === 'error')
    .map((p) => `${p.elementId ?? '-'}: ${p.message}`)
    .join('; ')
}

/** Starts the instance the way the model is meant to be started; resolves with its key. */
async function startInstance(
  engine: EmbeddedEngine,
  model: ExternalModel,
  events: EngineEvent[],
  clock: { now: Date },
): Promise<string> {
  const start = model.start
  if (!start?.message && !start?.timer && !start?.signal) {
    const ref = await engine.createProcessInstance({ bpmnProcessId: model.processId, variables: model.variables })
    return ref.processInstanceKey
  }
  if (start.message) {
    await engine.publishMessage({ name: start.message.name, correlationKey: '', variables: start.message.variables })
  } else if (start.timer) {
    clock.now = new Date(clock.now.getTime() + durationMs(start.timer) + 1000)
    await engine.runDueTimers()
  } else if (start.signal) {
    await broadcastSignal(engine, start.signal)
  }
  const deadline = Date.now() + 10_000
  for (;;) {
    const entered = events.find(
      (e) => e.type === 'element.entered' && e.bpmnProcessId === model.processId && e.elementId === model.processId,
    )
    if (entered) return entered.processInstanceKey
    if (Date.now() > deadline) throw new Error(`no instance of ${model.processId} was started`)
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

/** Signals are broadcast through the port once it offers them (issue #16); until then the model cannot be driven. */
async function broadcastSignal(engine: Engine, name: string): Promise<void> {
  const broadcast = (engine as unknown as { broadcastSignal?: (req: { signalName: string }) => Promise<unknown> })
    .broadcastSignal
  if (!broadcast) throw new Error('the engine port has no broadcastSignal')
  await broadcast.call(engine, { signalName: name })
}

async function drive(t: Test, model: ExternalModel): Promise<Run> {
  const clock = { now: new Date('2030-01-01T00:00:00Z') }
  // Deployed as motcua deploys (src/engine/index.ts): the embedded engine's subset plus bpmnlint, FEEL lint and job
  // types, with no worker registered here, so an unknown job type is only a warning.
  const engine = await createEmbeddedEngine(t, {
    clock: () => clock.now,
    validators: [(resources) => validateBpmn(resources, { embeddedSubset: false, jobTypeSeverity: 'warning' })],
  })
  const events: EngineEvent[] = []
  engine.onEvent((e) => {
    events.push(e)
  })
  const run: Run = { outcome: 'wrong', detail: '', jobs: [], events, variables: {} }

  const refused = await deployModel(engine, model)
  if (model.expect === 'refused') {
    if (!refused) return { ...run, detail: 'deployed, but Zeebe 8.8 refuses it' }
    const problems = refused.problems.filter((p) => p.severity === 'error')
    const named = !model.refusal?.elementId || problems.some((p) => p.elementId === model.refusal!.elementId)
    return named
      ? { ...run, outcome: 'refused', detail: problemsText(refused) }
      : { ...run, detail: `refused without naming ${model.refusal!.elementId}: ${problemsText(refused)}` }
  }
  if (refused) return { ...run, detail: `refused at deploy: ${problemsText(refused)}` }

  const key = await startInstance(engine, model, events, clock)
  const answered = new Map<string, number>()
  const usedWhen = new Set<string>()
  const advanceMs = durationMs(model.advance ?? 'PT1H')
  const deadline = Date.now() + 20_000
  for (;;) {
    const view = await engine.getProcessInstance(key)
    if (!view) return { ...run, detail: `instance ${key} disappeared` }
    if (view.state === 'COMPLETED') {
      run.variables = view.variables
      break
    }
    if (view.state === 'TERMINATED') return { ...run, detail: 'instance terminated' }
    const incident = view.incidents[0]
    if (incident) return { ...run, detail: `incident at ${incident.elementId}: ${incident.errorMessage}` }
    if (Date.now() > deadline) {
      return { ...run, detail: `still active at ${view.activeElements.map((e) => e.elementId).join(', ')}` }
    }

    let moved = false
    for (const [type, answers] of Object.entries(model.jobs ?? {})) {
      for (const job of await engine.activateJobs({
        type,
        worker: 'corpus',
        maxJobsToActivate: 10,
        timeoutMs: 60_000,
      })) {
        run.jobs.push(job)
        const n = answered.get(type) ?? 0
        answered.set(type, n + 1)
        const { error, ...variables } = answers[Math.min(n, answers.length - 1)] ?? {}
        if (error) await engine.throwJobError(job.key, { errorCode: error, variables })
        else await engine.completeJob(job.key, variables)
        moved = true
      }
    }
    if (!model.leaveUserTasks) moved = (await completeUserTasks(engine, model, run)) || moved
    if (run.failure) return { ...run, detail: `user task completion failed: ${run.failure.message}` }
    if (run.pending?.size) moved = true

    const active = (await engine.getProcessInstance(key))?.activeElements ?? []
    for (const [i, message] of (model.messages ?? []).entries()) {
      if ([...usedWhen].some((u) => u.startsWith(`m${i}:`))) continue
      const waiting = active.find((e) => e.elementId === message.when && !usedWhen.has(e.elementInstanceKey))
      if (!waiting || (i > 0 && ![...usedWhen].some((u) => u.startsWith(`m${i - 1}:`)))) continue
      usedWhen.add(waiting.elementInstanceKey).add(`m${i}:${waiting.elementInstanceKey}`)
      await engine.publishMessage({
        name: message.name,
        correlationKey: message.correlationKey,
        variables: message.variables,
      })
      moved = true
    }
    for (const [i, signal] of (model.signals ?? []).entries()) {
      if (usedWhen.has(`s${i}`) || !active.some((e) => e.elementId === signal.when)) continue
      usedWhen.add(`s${i}`)
      await broadcastSignal(engine, signal.name)
      moved = true
    }
    if (run.pending?.size) await new Promise((resolve) => setTimeout(resolve, 20))
    if (!moved) {
      clock.now = new Date(clock.now.getTime() + advanceMs)
      await engine.runDueTimers()
      await new Promise((resolve) => setTimeout(resolve, 50))
    }
  }
  return { ...run, outcome: 'completed', detail: 'completed' }
}

/** Completes open user tasks, Camunda user tasks through the port and job-based ones through their job. */
async function completeUserTasks(engine: Engine, model: ExternalModel, run: Run): Promise<boolean> {
  let moved = false
  const pending = (run.pending ??= new Map())
  for (const task of await engine.searchUserTasks({ state: 'CREATED' })) {
    if (pending.has(task.userTaskKey)) continue
    const spec = model.userTasks?.[task.elementId]
    if (spec?.assignee !== undefined && task.assignee !== spec.assignee) {
      throw new Error(`user task ${task.elementId} assigned to ${task.assignee}, expected ${spec.assignee}`)
    }
    // A job-based user task is completed here at once (which ends its job, so the activation below does not take it).
    if (task.jobKey) {
      await engine.completeUserTask(task.userTaskKey, spec?.variables ?? {})
      moved = true
      continue
    }
    // Not awaited: the completion answers once the task's completing listeners are done, and this loop answers their
    // jobs (Zeebe's completion request blocks the same way).
    const key = task.userTaskKey
    const completion = engine
      .completeUserTask(key, spec?.variables ?? {})
      .catch((err: Error) => {
        run.failure ??= err
      })
      .finally(() => pending.delete(key))
    pending.set(key, completion)
    moved = true
  }
  for (const job of await engine.activateJobs({
    type: jobBasedUserTask,
    worker: 'corpus',
    maxJobsToActivate: 10,
    timeoutMs: 60_000,
  })) {
    run.jobs.push(job)
    const spec = model.userTasks?.[job.elementId]
    const assignee = job.customHeaders['io.camunda.zeebe:assignee']
    if (spec?.assignee !== undefined && assignee !== spec.assignee) {
      throw new Error(`job-based user task ${job.elementId} assigned to ${assignee}, expected ${spec.assignee}`)
    }
    await engine.completeJob(job.key, spec?.variables ?? {})
    moved = true
  }
  return moved
}

/** Checks what the manifest says about the run beyond reaching the end; returns the first mismatch. */
function mismatch(model: ExternalModel, run: Run): string | undefined {
  const ids = (type: EngineEvent['type']) =>
    new Set(run.events.filter((e) => e.type === type).map((e) => ('elementId' in e ? e.elementId : '')))
  if (model.endEvent && !ids('element.completed').has(model.endEvent)) return `end event ${model.endEvent} not reached`
  const entered = ids('element.entered')
  for (const id of model.passes ?? []) if (!entered.has(id)) return `the token never entered ${id}`
  const types = run.jobs.map((j) => j.type).filter((type) => type !== jobBasedUserTask)
  if (model.jobOrder && JSON.stringify(types) !== JSON.stringify(model.jobOrder)) {
    return `jobs ran as ${JSON.stringify(types)}, expected ${JSON.stringify(model.jobOrder)}`
  }
  for (const [type, count] of Object.entries(model.jobCounts ?? {})) {
    const got = types.filter((x) => x === type).length
    if (got !== count) return `${got} ${type} job(s), expected ${count}`
  }
  for (const [type, expected] of Object.entries(model.expectJobVariables ?? {})) {
    const job = run.jobs.find((j) => j.type === type)
    if (!job) return `no ${type} job`
    for (const [name, value] of Object.entries(expected)) {
      if (JSON.stringify(job.variables[name]) !== JSON.stringify(value)) {
        return `${type} job variable ${name} = ${JSON.stringify(job.variables[name])}, expected ${JSON.stringify(value)}`
      }
    }
  }
  for (const [type, expected] of Object.entries(model.expectJobHeaders ?? {})) {
    const job = run.jobs.find((j) => j.type === type)
    for (const [name, value] of Object.entries(expected)) {
      if (job?.customHeaders[name] !== value) {
        return `${type} job header ${name} = ${JSON.stringify(job?.customHeaders[name])}, expected ${value}`
      }
    }
  }
  for (const [name, value] of Object.entries(model.endVariables ?? {})) {
    if (JSON.stringify(run.variables[name]) !== JSON.stringify(value)) {
      return `end variable ${name} = ${JSON.stringify(run.variables[name])}, expected ${JSON.stringify(value)}`
    }
  }
  for (const name of model.absentVariables ?? []) {
    if (name in run.variables) return `variable ${name} should not exist, is ${JSON.stringify(run.variables[name])}`
  }
  return undefined
}

t.test('the corpus holds at least 30 external models, each with its source, commit and licence', async (t) => {
  t.ok(manifest.models.length >= 30, `${manifest.models.length} models`)
  for (const model of manifest.models) {
    t.match(model, { repo: /^[\w.-]+\/[\w.-]+$/, path: /\S/, commit: /^[0-9a-f]{40}$/, licence: /\S/ }, model.file)
    t.ok(model.docs.length > 0, `${model.file} cites the Zeebe documentation its expectation comes from`)
  }
})

for (const model of manifest.models) {
  const name = `${model.repo}/${model.path}: ${model.expect === 'refused' ? 'refused' : 'runs to its end'}`
  // A gap model runs like the others; only its verdict is a todo (tap does not run the body of a todo test).
  const todo = model.gap ? `needs ${model.gap} (issue #16)` : false
  t.test(name, async (t) => {
    let run: Run
    try {
      run = await drive(t, model)
    } catch (err) {
      run = { outcome: 'wrong', detail: (err as Error).message, jobs: [], events: [], variables: {} }
    }
    if (run.outcome === 'completed') {
      const wrong = mismatch(model, run)
      if (wrong) run = { ...run, outcome: 'wrong', detail: wrong }
    }
    const expected: Outcome = model.expect === 'completes' ? 'completed' : 'refused'
    if (run.outcome !== expected && run.outcome !== 'wrong') run = { ...run, outcome: 'wrong' }
    tally.push({ file: model.file, outcome: run.outcome, expected, gap: model.gap, detail: run.detail })
    t.equal(run.outcome, expected, `${model.file}: ${run.detail}`, { todo })
  })
}

t.test('tally', async (t) => {
  const count = (outcome: Outcome) => tally.filter((r) => r.outcome === outcome).length
  const wrong = tally.filter((r) => r.outcome === 'wrong')
  t.comment(
    `external models: ${count('completed')} completed as expected, ` +
      `${count('refused')} refused as documented, ${wrong.length} wrong ` +
      `(${wrong.filter((r) => r.gap).length} of them known gaps of issue #16, run as todo)`,
  )
  for (const r of wrong) t.comment(`  wrong: ${r.file}${r.gap ? ` [gap: ${r.gap}]` : ''}: ${r.detail}`)
  t.equal(tally.length, manifest.models.length, 'every model was driven')
})
