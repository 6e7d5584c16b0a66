// Contract: execution listeners (zeebe:executionListeners), as Zeebe 8.8 documents them
// (https://docs.camunda.io/docs/components/concepts/execution-listeners/): each listener is a job the element waits
// for; start listeners run after the input mappings and before the element's behaviour, in model order, and their
// variables become the element's locals; end listeners run after the output mappings, before the element is left, and
// their variables go to the enclosing scope. A listener job without retries is an incident on the element; resolving
// it retries only that listener. What the embedded engine does not run yet (process listeners, multi-instance) and
// what Zeebe does not run (start listeners on start events, end listeners on gateways) is refused
// at deploy, naming the element.
import t from 'tap'
import { activateOne, createContractEngine, deployFixtures, fixture, waitForState } from './contract-engine.js'
import { eventually } from '../helpers/eventually.js'
import { DeployValidationError, type Engine } from '../../src/engine/port.js'

const none = async (engine: Engine, type: string) =>
  (await engine.activateJobs({ type, worker: 'test', maxJobsToActivate: 5, timeoutMs: 1000 })).length === 0

t.test('start listeners, the task, end listeners and a gateway listener run in Zeebe’s order', async (t) => {
  const engine = await createContractEngine(t)
  await deployFixtures(engine, 'execution-listeners.bpmn')
  const ref = await engine.createProcessInstance({
    bpmnProcessId: 'execution-listeners',
    variables: { amount: 21, checkKind: 'check' },
  })

  // First start listener: after the input mapping (it sees localAmount), before the task's job exists.
  const prepare = await activateOne(engine, 'el.prepare')
  t.equal(prepare.elementId, 'work')
  t.equal(prepare.retries, 1)
  t.same(prepare.customHeaders, { step: 'work', who: 'listener' }, 'the listener’s headers win over the task’s')
  t.equal(prepare.variables['localAmount'], 21)
  t.ok(await none(engine, 'work'), 'the task waits for its start listeners')
  t.ok(await none(engine, 'el.check'), 'listeners run one after the other')
  await engine.completeJob(prepare.key, { prepared: true })

  // Second start listener, its type an expression; it sees the first one's variables.
  const check = await activateOne(engine, 'el.check')
  t.equal(check.retries, 3, 'retries default to 3')
  t.equal(check.variables['prepared'], true)
  await engine.completeJob(check.key)

  const work = await activateOne(engine, 'work')
  t.equal(work.variables['prepared'], true, 'start listener variables are the element’s locals')
  t.same(work.customHeaders, { step: 'work', who: 'task' })
  t.notOk('prepared' in (await engine.getProcessInstance(ref.processInstanceKey))!.variables)
  await engine.completeJob(work.key)

  // End listener: after the output mapping (doubled is set), before the token leaves.
  const audit = await activateOne(engine, 'el.audit')
  t.equal(audit.variables['doubled'], 42)
  t.same(
    (await engine.getProcessInstance(ref.processInstanceKey))!.activeElements.map((e) => e.elementId),
    ['work'],
    'the task has not been left',
  )
  await engine.completeJob(audit.key, { audited: 'yes' })

  // The gateway's start listener sets the variable its condition reads.
  const route = await activateOne(engine, 'el.route')
  t.equal(route.elementId, 'route')
  await engine.completeJob(route.key, { path: 'a' })

  const done = await waitForState(engine, ref.processInstanceKey, 'COMPLETED')
  t.equal(done.variables['audited'], 'yes', 'end listener variables go to the enclosing scope')
  t.equal(done.variables['doubled'], 42)
  t.notOk('prepared' in done.variables, 'start listener variables stayed local to the task')
  t.notOk('path' in done.variables, 'the gateway’s start listener variables were its own')
})

t.test('a listener job out of retries is an incident; resolving it retries only that listener', async (t) => {
  const engine = await createContractEngine(t)
  await deployFixtures(engine, 'execution-listeners.bpmn')
  const ref = await engine.createProcessInstance({
    bpmnProcessId: 'execution-listeners',
    variables: { amount: 1, checkKind: 'check' },
  })
  const prepare = await activateOne(engine, 'el.prepare')
  await engine.completeJob(prepare.key)
  const check = await activateOne(engine, 'el.check')
  await engine.failJob(check.key, { retries: 0, errorMessage: 'service down' })
  const view = await eventually('the incident', async () => {
    const v = await engine.getProcessInstance(ref.processInstanceKey)
    return v?.incidents.length ? v : undefined
  })
  t.match(view.incidents, [{ elementId: 'work', errorType: 'JOB_NO_RETRIES', jobKey: check.key }])
  await engine.updateJobRetries(check.key, 1)
  await engine.resolveIncident(view.incidents[0]!.incidentKey)
  const again = await activateOne(engine, 'el.check')
  t.equal(again.key, check.key, 'the same listener job')
  t.ok(await none(engine, 'el.prepare'), 'the completed listener does not run again')
  await t.rejects(
    engine.throwJobError(again.key, { errorCode: 'X' }),
    { code: 'INVALID_STATE' },
    'a BPMN error from a listener job is not supported',
  )
  await engine.completeJob(again.key)
  await activateOne(engine, 'work')
})

t.test('a listener type that does not evaluate is an incident on the element', async (t) => {
  const engine = await createContractEngine(t)
  await deployFixtures(engine, 'execution-listeners.bpmn')
  const ref = await engine.createProcessInstance({ bpmnProcessId: 'execution-listeners', variables: { amount: 1 } })
  const prepare = await activateOne(engine, 'el.prepare')
  await engine.completeJob(prepare.key)
  const view = await eventually('the incident', async () => {
    const v = await engine.getProcessInstance(ref.processInstanceKey)
    return v?.incidents.length ? v : undefined
  })
  t.match(view.incidents, [{ elementId: 'work' }])
  t.notOk(view.incidents[0]!.jobKey)
})

t.test('cancelling an instance waiting on a listener ends its job', async (t) => {
  const engine = await createContractEngine(t)
  await deployFixtures(engine, 'execution-listeners.bpmn')
  const ref = await engine.createProcessInstance({
    bpmnProcessId: 'execution-listeners',
    variables: { amount: 1, checkKind: 'check' },
  })
  const prepare = await activateOne(engine, 'el.prepare')
  await engine.cancelProcessInstance(ref.processInstanceKey)
  await t.rejects(engine.completeJob(prepare.key), { code: 'NOT_FOUND' })
})

t.test('listeners the engine does not run are refused at deploy, each naming its element', async (t) => {
  const engine = await createContractEngine(t)
  const err = (await engine
    .deploy([fixture('unsupported-listeners.bpmn')])
    .catch((e: unknown) => e)) as DeployValidationError
  t.type(err, DeployValidationError)
  const found = err.problems
    .filter((p) => p.rule === 'embedded-engine-subset')
    .map((p) => `${p.elementId}: ${p.message}`)
    .sort()
  t.same(found, [
    'each: Execution listeners on multi-instance ServiceTask "each" are not supported by the embedded engine yet.',
    'each: ServiceTask "each" has two start execution listeners of type "el.each"; each must be unique.',
    'fork: Zeebe does not run end execution listeners on ParallelGateway "fork".',
    'start: Zeebe does not run start execution listeners on StartEvent "start".',
    'unsupported-listeners: Execution listeners on process "unsupported-listeners" are not supported by the embedded engine yet.',
  ])
})
