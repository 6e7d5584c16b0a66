// Contract: execution listeners (zeebe:executionListeners), as Zeebe 8.8 documents them
// (https://docs.camunda.io/docs/components/concepts/execution-listeners/): each listener is a job the element waits
// for; start listeners run after the input mappings and before the element's behaviour, in model order, and their
// variables become the element's locals; end listeners run after the output mappings, before the element is left, and
// their variables go to the enclosing scope. A listener job without retries is an incident on the element; resolving
// it retries only that listener. Listeners on the process run before its start event and after its last token; on a
// multi-instance activity they run for each inner instance, not for the body (Zeebe's
// ExecutionListenerMultiInstanceActivitiesTest). What Zeebe does not run (start listeners on start events, end
// listeners on gateways) is refused at deploy, naming the element.
import t from 'tap'
import {
  activateOne,
  createContractEngine,
  deployFixtures,
  fixture,
  recordEvents,
  waitForState,
} from './contract-engine.js'
import { eventually } from '../helpers/eventually.js'
import { DeployValidationError, type Engine, type EngineEvent } from '../../src/engine/port.js'

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
    'each: ServiceTask "each" has two start execution listeners of type "el.each"; each must be unique.',
    'fork: Zeebe does not run end execution listeners on ParallelGateway "fork".',
    'start: Zeebe does not run start execution listeners on StartEvent "start".',
  ])
})

t.test(
  'process listeners run before the start event and after the last token; their variables are the process’s',
  async (t) => {
    const engine = await createContractEngine(t)
    const events = recordEvents(engine)
    await deployFixtures(engine, 'process-listeners.bpmn')
    const ref = await engine.createProcessInstance({ bpmnProcessId: 'process-listeners', variables: { items: [1] } })
    const start = await activateOne(engine, 'pl.start')
    t.equal(start.elementId, 'process-listeners')
    t.equal(start.elementInstanceKey, ref.processInstanceKey, 'the process is the listener’s element')
    t.same(start.variables, { items: [1] })
    const entered = (e: EngineEvent) => (e.type === 'element.entered' ? e.elementId : undefined)
    t.same(events.map(entered).filter(Boolean), ['process-listeners'], 'the start event waits')
    await engine.completeJob(start.key, { items: [1, 2], prepared: true })

    // Multi-instance: the listeners run around each inner instance, never for the body.
    for (let i = 0; i < 2; i++) {
      const miStart = await activateOne(engine, 'mi.start')
      t.ok(await none(engine, 'work'), `inner instance ${i + 1} waits for its start listener`)
      await engine.completeJob(miStart.key)
      const work = await activateOne(engine, 'work')
      t.equal(work.elementInstanceKey, miStart.elementInstanceKey, 'the listener ran for the inner instance')
      await engine.completeJob(work.key)
      const miEnd = await activateOne(engine, 'mi.end')
      t.equal(miEnd.elementInstanceKey, miStart.elementInstanceKey)
      await engine.completeJob(miEnd.key)
    }
    t.ok(await none(engine, 'mi.start'), 'two inner instances, two start listeners')

    const end = await activateOne(engine, 'pl.end')
    t.equal(end.retries, 1)
    t.equal(end.variables['prepared'], true)
    t.equal((await engine.getProcessInstance(ref.processInstanceKey))?.state, 'ACTIVE', 'not completed before it')
    await engine.failJob(end.key, { retries: 0, errorMessage: 'archive down' })
    const view = await eventually('the incident', async () => {
      const v = await engine.getProcessInstance(ref.processInstanceKey)
      return v?.incidents.length ? v : undefined
    })
    t.match(view.incidents, [{ elementId: 'process-listeners', errorType: 'JOB_NO_RETRIES', jobKey: end.key }])
    await engine.updateJobRetries(end.key, 1)
    await engine.resolveIncident(view.incidents[0]!.incidentKey)
    await engine.completeJob((await activateOne(engine, 'pl.end')).key, { archived: true })
    const done = await waitForState(engine, ref.processInstanceKey, 'COMPLETED')
    t.equal(done.variables['archived'], true)
  },
)

// Zeebe 8.8 (https://docs.camunda.io/docs/components/concepts/execution-listeners/#expression-evaluation-failure): a
// listener property that fails to evaluate raises an incident; once resolved, all listeners of that event type run
// again from the first. On the process's start listeners the instance exists and the incident is on the process.
t.test(
  'a process start listener whose type does not evaluate is an incident on the process, not a refusal',
  async (t) => {
    const engine = await createContractEngine(t)
    const xml = (listeners: string) => `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="d" targetNamespace="http://motcua.test">
  <bpmn:process id="pl-expr" isExecutable="true">
    <bpmn:extensionElements><zeebe:executionListeners>${listeners}</zeebe:executionListeners></bpmn:extensionElements>
    <bpmn:startEvent id="start" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="end" />
    <bpmn:endEvent id="end" />
  </bpmn:process>
</bpmn:definitions>`
    await engine.deploy([
      { name: 'pl-expr.bpmn', content: xml('<zeebe:executionListener eventType="start" type="=listenerType" />') },
    ])
    const ref = await engine.createProcessInstance({ bpmnProcessId: 'pl-expr', variables: {} })
    const view = await engine.getProcessInstance(ref.processInstanceKey)
    t.equal(view?.state, 'ACTIVE', 'the instance is created')
    t.match(view?.incidents, [{ elementId: 'pl-expr', elementInstanceKey: ref.processInstanceKey }])
    t.same(view?.activeElements, [], 'the start event was not entered')

    // The second listener fails after the first completed; resolving runs the first again.
    await engine.deploy([
      {
        name: 'pl-expr.bpmn',
        content: xml(`<zeebe:executionListener eventType="start" type="pl.first" />
        <zeebe:executionListener eventType="start" type="=listenerType" />`),
      },
    ])
    const ref2 = await engine.createProcessInstance({ bpmnProcessId: 'pl-expr', variables: {} })
    await engine.completeJob((await activateOne(engine, 'pl.first')).key, { listenerType: null })
    const failed = await eventually('the incident', async () => {
      const v = await engine.getProcessInstance(ref2.processInstanceKey)
      return v?.incidents.length ? v : undefined
    })
    t.equal(failed.incidents[0]!.elementInstanceKey, ref2.processInstanceKey)
    await engine.resolveIncident(failed.incidents[0]!.incidentKey)
    const first = await activateOne(engine, 'pl.first')
    t.equal(first.processInstanceKey, ref2.processInstanceKey, 'the start listeners run again from the first')
    await engine.completeJob(first.key, { listenerType: 'pl.second' })
    await engine.completeJob((await activateOne(engine, 'pl.second')).key)
    await waitForState(engine, ref2.processInstanceKey, 'COMPLETED')
  },
)
