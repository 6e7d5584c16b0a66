// Contract: compensation. A compensation boundary event joins an activity to its compensation handler; a
// compensation intermediate throw or end event invokes the handlers of the completed activities of its scope (all,
// or its activityRef's), completed sub-processes included, and waits until they completed.
// https://docs.camunda.io/docs/components/modeler/bpmn/compensation-events/
// https://docs.camunda.io/docs/components/modeler/bpmn/compensation-handler/
import t from 'tap'
import { DeployValidationError, type Engine, type EngineEvent } from '../../src/engine/port.js'
import {
  activateOne,
  activeIds,
  createContractEngine,
  freshEngineDatabase,
  instanceState,
  recordEvents,
  waitForState,
} from './contract-engine.js'
import { eventually } from '../helpers/eventually.js'
import { EmbeddedEngine } from '../../src/engine/embedded/index.js'

const EVENTS = 'https://docs.camunda.io/docs/components/modeler/bpmn/compensation-events/'
const HANDLER = 'https://docs.camunda.io/docs/components/modeler/bpmn/compensation-handler/'

const definitions = (body: string): string => `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="d" targetNamespace="http://motcua.test">
${body}
</bpmn:definitions>`

const svc = (id: string, type: string, inner = '', attrs = ''): string =>
  `<bpmn:serviceTask id="${id}"${attrs}><bpmn:extensionElements><zeebe:taskDefinition type="${type}" /></bpmn:extensionElements>${inner}</bpmn:serviceTask>`

/** A compensation boundary event on `activity`, associated with a service task handler of job type `type`. */
const compensable = (activity: string, type: string): string =>
  `<bpmn:boundaryEvent id="${activity}_comp" attachedToRef="${activity}"><bpmn:compensateEventDefinition /></bpmn:boundaryEvent>
   ${svc(`${activity}_undo`, type, '', ' isForCompensation="true"')}
   <bpmn:association id="${activity}_assoc" associationDirection="One" sourceRef="${activity}_comp" targetRef="${activity}_undo" />`

/** A chain of sequence flows through the ids given. */
const chain = (...ids: string[]): string =>
  ids
    .slice(1)
    .map((to, i) => `<bpmn:sequenceFlow id="f_${ids[i]}_${to}" sourceRef="${ids[i]}" targetRef="${to}" />`)
    .join('\n')

const throwEvent = (id: string, ref?: string): string =>
  `<bpmn:intermediateThrowEvent id="${id}"><bpmn:compensateEventDefinition${ref ? ` activityRef="${ref}"` : ''} /></bpmn:intermediateThrowEvent>`

async function deploy(engine: Engine, id: string, body: string): Promise<void> {
  await engine.deploy([{ name: `${id}.bpmn`, content: definitions(body) }])
}

async function complete(engine: Engine, type: string, variables?: Record<string, unknown>): Promise<void> {
  await engine.completeJob((await activateOne(engine, type)).key, variables)
}

async function noJob(engine: Engine, type: string): Promise<boolean> {
  return (await engine.activateJobs({ type, worker: 'test', maxJobsToActivate: 10, timeoutMs: 30_000 })).length === 0
}

const entered = (events: EngineEvent[], elementId: string): EngineEvent[] =>
  events.filter((e) => e.type === 'element.entered' && 'elementId' in e && e.elementId === elementId)

t.test(`the throw event invokes the handler of a completed activity and waits for it (${EVENTS})`, async (t) => {
  const engine = await createContractEngine(t)
  const events = recordEvents(engine)
  await deploy(
    engine,
    'comp-basic',
    `<bpmn:process id="comp-basic" isExecutable="true">
      <bpmn:startEvent id="start" />${svc('A', 'a')}${compensable('A', 'undo-a')}
      ${throwEvent('compensate')}${svc('after', 'after')}<bpmn:endEvent id="end" />
      ${chain('start', 'A', 'compensate', 'after', 'end')}
    </bpmn:process>`,
  )
  const ref = await engine.createProcessInstance({ bpmnProcessId: 'comp-basic' })
  t.ok(await noJob(engine, 'undo-a'), 'no handler while A is active')
  await complete(engine, 'a')
  const undo = await activateOne(engine, 'undo-a')
  t.equal(undo.elementId, 'A_undo')
  t.same(activeIds(await instanceState(engine, ref.processInstanceKey)), ['A_undo', 'compensate'])
  t.ok(await noJob(engine, 'after'), 'the throw event waits for the handler')
  await engine.completeJob(undo.key, { undone: true })
  await complete(engine, 'after')
  const done = await waitForState(engine, ref.processInstanceKey, 'COMPLETED')
  t.equal(done.variables['undone'], true, "the handler's variables are merged like any activity's")
  await eventually('the events', () => events.some((e) => e.type === 'instance.completed'))
  t.equal(entered(events, 'A_comp').length, 1, 'the compensation boundary event is entered when triggered')
})

t.test(`nothing completed to compensate: the throw event passes at once (${EVENTS})`, async (t) => {
  const engine = await createContractEngine(t)
  await deploy(
    engine,
    'comp-none',
    `<bpmn:process id="comp-none" isExecutable="true">
      <bpmn:startEvent id="start" />${throwEvent('compensate')}${svc('A', 'a')}${compensable('A', 'undo-a')}
      <bpmn:endEvent id="end" />${chain('start', 'compensate', 'A', 'end')}
    </bpmn:process>`,
  )
  const ref = await engine.createProcessInstance({ bpmnProcessId: 'comp-none' })
  await complete(engine, 'a')
  await waitForState(engine, ref.processInstanceKey, 'COMPLETED')
  t.ok(await noJob(engine, 'undo-a'))
})

t.test(
  `all handlers at once; an active activity is not compensated; one per completion (${EVENTS}, ${HANDLER})`,
  async (t) => {
    const engine = await createContractEngine(t)
    const events = recordEvents(engine)
    await deploy(
      engine,
      'comp-all',
      `<bpmn:process id="comp-all" isExecutable="true">
        <bpmn:startEvent id="start" />${svc('A', 'a')}${compensable('A', 'undo-a')}
        <bpmn:exclusiveGateway id="again" default="f_again_B" />
        ${svc('B', 'b')}${compensable('B', 'undo-b')}
        <bpmn:parallelGateway id="fork" />
        ${svc('C', 'c')}${compensable('C', 'undo-c')}
        ${throwEvent('compensate')}${svc('after', 'after')}
        <bpmn:parallelGateway id="join" /><bpmn:endEvent id="end" />
        ${chain('start', 'A', 'again')}
        <bpmn:sequenceFlow id="f_again_A" sourceRef="again" targetRef="A"><bpmn:conditionExpression>=loop = true</bpmn:conditionExpression></bpmn:sequenceFlow>
        <bpmn:sequenceFlow id="f_again_B" sourceRef="again" targetRef="B" />
        ${chain('B', 'fork', 'C', 'join', 'end')}${chain('fork', 'compensate', 'after', 'join')}
      </bpmn:process>`,
    )
    const ref = await engine.createProcessInstance({ bpmnProcessId: 'comp-all' })
    await complete(engine, 'a', { loop: true })
    await complete(engine, 'a', { loop: false })
    await complete(engine, 'b')
    // A completed twice, B once, C is active: three handlers, all active together, none for C.
    const handlers = await engine.activateJobs({
      type: 'undo-a',
      worker: 'test',
      maxJobsToActivate: 5,
      timeoutMs: 30_000,
    })
    const undoB = await activateOne(engine, 'undo-b')
    t.equal(handlers.length, 2, "A's handler runs once per completion of A")
    t.ok(await noJob(engine, 'undo-c'), 'C did not complete: no handler')
    t.same(activeIds(await instanceState(engine, ref.processInstanceKey)), [
      'A_undo',
      'A_undo',
      'B_undo',
      'C',
      'compensate',
    ])
    // The embedded engine enters them latest-completed first (Zeebe names no order).
    await eventually('the handler events', () => entered(events, 'A_undo').length === 2)
    const order = events
      .filter((e) => e.type === 'element.entered' && 'elementId' in e && /_undo$/.test(e.elementId))
      .map((e) => ('elementId' in e ? e.elementId : ''))
    t.same(order, ['B_undo', 'A_undo', 'A_undo'])
    await engine.completeJob(handlers[0]!.key)
    await engine.completeJob(undoB.key)
    t.ok(await noJob(engine, 'after'), 'the throw event waits for the last handler')
    await engine.completeJob(handlers[1]!.key)
    await complete(engine, 'after')
    await complete(engine, 'c')
    await waitForState(engine, ref.processInstanceKey, 'COMPLETED')
    t.ok(await noJob(engine, 'undo-c'), 'C completed after the compensation: its handler is never invoked')
  },
)

t.test(`activityRef compensates one activity, so handlers run in a chosen order (${EVENTS})`, async (t) => {
  const engine = await createContractEngine(t)
  await deploy(
    engine,
    'comp-ref',
    `<bpmn:process id="comp-ref" isExecutable="true">
      <bpmn:startEvent id="start" />${svc('A', 'a')}${compensable('A', 'undo-a')}${svc('B', 'b')}${compensable('B', 'undo-b')}
      ${throwEvent('compensateB', 'B')}${throwEvent('compensateA', 'A')}<bpmn:endEvent id="end" />
      ${chain('start', 'A', 'B', 'compensateB', 'compensateA', 'end')}
    </bpmn:process>`,
  )
  const ref = await engine.createProcessInstance({ bpmnProcessId: 'comp-ref' })
  await complete(engine, 'a')
  await complete(engine, 'b')
  const undoB = await activateOne(engine, 'undo-b')
  t.ok(await noJob(engine, 'undo-a'), 'only B is compensated by the first throw event')
  t.same(activeIds(await instanceState(engine, ref.processInstanceKey)), ['B_undo', 'compensateB'])
  await engine.completeJob(undoB.key)
  await complete(engine, 'undo-a')
  await waitForState(engine, ref.processInstanceKey, 'COMPLETED')
})

t.test(
  `a completed sub-process compensates its inner activities; a throw inside one compensates only inside (${EVENTS})`,
  async (t) => {
    const engine = await createContractEngine(t)
    await deploy(
      engine,
      'comp-sub',
      `<bpmn:process id="comp-sub" isExecutable="true">
        <bpmn:startEvent id="start" />${svc('Z', 'z')}${compensable('Z', 'undo-z')}
        <bpmn:subProcess id="inner">
          <bpmn:startEvent id="s1" />${svc('Y', 'y')}${compensable('Y', 'undo-y')}${throwEvent('compensateInside')}
          ${svc('X', 'x')}${compensable('X', 'undo-x')}<bpmn:endEvent id="e1" />
          ${chain('s1', 'Y', 'compensateInside', 'X', 'e1')}
        </bpmn:subProcess>
        ${throwEvent('compensateAll')}<bpmn:endEvent id="end" />
        ${chain('start', 'Z', 'inner', 'compensateAll', 'end')}
      </bpmn:process>`,
    )
    const ref = await engine.createProcessInstance({ bpmnProcessId: 'comp-sub' })
    await complete(engine, 'z')
    await complete(engine, 'y')
    // Inside the sub-process: Y only, not Z outside it.
    await complete(engine, 'undo-y')
    t.ok(await noJob(engine, 'undo-z'))
    await complete(engine, 'x')
    // The sub-process completed: the outer throw invokes Z's handler and X's inside it, not Y's again.
    const undoX = await activateOne(engine, 'undo-x')
    const undoZ = await activateOne(engine, 'undo-z')
    t.ok(await noJob(engine, 'undo-y'), 'a compensated activity is compensated once')
    t.same(activeIds(await instanceState(engine, ref.processInstanceKey)), ['X_undo', 'Z_undo', 'compensateAll'])
    await engine.completeJob(undoX.key)
    await engine.completeJob(undoZ.key)
    await waitForState(engine, ref.processInstanceKey, 'COMPLETED')
  },
)

t.test(`an active sub-process is not compensated from outside (${EVENTS})`, async (t) => {
  const engine = await createContractEngine(t)
  await deploy(
    engine,
    'comp-active-sub',
    `<bpmn:process id="comp-active-sub" isExecutable="true">
      <bpmn:startEvent id="start" /><bpmn:parallelGateway id="fork" />
      <bpmn:subProcess id="inner">
        <bpmn:startEvent id="s1" />${svc('Y', 'y')}${compensable('Y', 'undo-y')}${svc('wait', 'wait')}<bpmn:endEvent id="e1" />
        ${chain('s1', 'Y', 'wait', 'e1')}
      </bpmn:subProcess>
      ${svc('go', 'go')}${throwEvent('compensate')}<bpmn:parallelGateway id="join" /><bpmn:endEvent id="end" />
      ${chain('start', 'fork', 'inner', 'join', 'end')}${chain('fork', 'go', 'compensate', 'join')}
    </bpmn:process>`,
  )
  const ref = await engine.createProcessInstance({ bpmnProcessId: 'comp-active-sub' })
  await complete(engine, 'y')
  await complete(engine, 'go')
  t.ok(await noJob(engine, 'undo-y'), 'Y completed, but inside a sub-process that is still active')
  await complete(engine, 'wait')
  await waitForState(engine, ref.processInstanceKey, 'COMPLETED')
})

t.test(`a compensation end event in an error event sub-process compensates the outer scope (${EVENTS})`, async (t) => {
  const engine = await createContractEngine(t)
  await deploy(
    engine,
    'comp-esp',
    `<bpmn:process id="comp-esp" isExecutable="true">
      <bpmn:startEvent id="start" />${svc('A', 'a')}${compensable('A', 'undo-a')}${svc('B', 'b')}<bpmn:endEvent id="end" />
      ${chain('start', 'A', 'B', 'end')}
      <bpmn:subProcess id="onError" triggeredByEvent="true">
        <bpmn:startEvent id="errorStart"><bpmn:errorEventDefinition errorRef="err" /></bpmn:startEvent>
        <bpmn:endEvent id="compensateEnd"><bpmn:compensateEventDefinition /></bpmn:endEvent>
        ${chain('errorStart', 'compensateEnd')}
      </bpmn:subProcess>
    </bpmn:process>
    <bpmn:error id="err" errorCode="FAILED" />`,
  )
  const ref = await engine.createProcessInstance({ bpmnProcessId: 'comp-esp' })
  await complete(engine, 'a')
  await engine.throwJobError((await activateOne(engine, 'b')).key, { errorCode: 'FAILED' })
  const undo = await activateOne(engine, 'undo-a')
  t.same(activeIds(await instanceState(engine, ref.processInstanceKey)), ['A_undo', 'compensateEnd', 'onError'])
  await engine.completeJob(undo.key)
  await waitForState(engine, ref.processInstanceKey, 'COMPLETED')
})

t.test(
  `a multi-instance activity's handler runs once, after every instance completed; a multi-instance sub-process compensates each completed instance (${EVENTS})`,
  async (t) => {
    const engine = await createContractEngine(t)
    const mi = (inner = ''): string =>
      `<bpmn:multiInstanceLoopCharacteristics><bpmn:extensionElements><zeebe:loopCharacteristics inputCollection="=items" inputElement="item" /></bpmn:extensionElements>${inner}</bpmn:multiInstanceLoopCharacteristics>`
    await deploy(
      engine,
      'comp-mi',
      `<bpmn:process id="comp-mi" isExecutable="true">
        <bpmn:startEvent id="start" />${svc('A', 'a', mi())}${compensable('A', 'undo-a')}
        <bpmn:subProcess id="each">${mi()}
          <bpmn:startEvent id="s1" />${svc('X', 'x')}${compensable('X', 'undo-x')}<bpmn:endEvent id="e1" />
          ${chain('s1', 'X', 'e1')}
        </bpmn:subProcess>
        ${throwEvent('compensate')}<bpmn:endEvent id="end" />
        ${chain('start', 'A', 'each', 'compensate', 'end')}
      </bpmn:process>`,
    )
    const ref = await engine.createProcessInstance({ bpmnProcessId: 'comp-mi', variables: { items: [1, 2, 3] } })
    for (let i = 0; i < 3; i++) await complete(engine, 'a')
    for (let i = 0; i < 3; i++) await complete(engine, 'x')
    const undoA = await engine.activateJobs({ type: 'undo-a', worker: 'test', maxJobsToActivate: 5, timeoutMs: 30_000 })
    const undoX = await engine.activateJobs({ type: 'undo-x', worker: 'test', maxJobsToActivate: 5, timeoutMs: 30_000 })
    t.equal(undoA.length, 1, 'the multi-instance activity: one handler')
    t.equal(undoX.length, 3, 'the multi-instance sub-process: one per completed instance')
    for (const j of [...undoA, ...undoX]) await engine.completeJob(j.key)
    await waitForState(engine, ref.processInstanceKey, 'COMPLETED')
  },
)

t.test(`a multi-instance activity not completed is not compensated (${EVENTS})`, async (t) => {
  const engine = await createContractEngine(t)
  await deploy(
    engine,
    'comp-mi-active',
    `<bpmn:process id="comp-mi-active" isExecutable="true">
      <bpmn:startEvent id="start" /><bpmn:parallelGateway id="fork" />
      ${svc('A', 'a', '<bpmn:multiInstanceLoopCharacteristics><bpmn:extensionElements><zeebe:loopCharacteristics inputCollection="=[1, 2]" /></bpmn:extensionElements></bpmn:multiInstanceLoopCharacteristics>')}
      ${compensable('A', 'undo-a')}${svc('go', 'go')}${throwEvent('compensate')}
      <bpmn:parallelGateway id="join" /><bpmn:endEvent id="end" />
      ${chain('start', 'fork', 'A', 'join', 'end')}${chain('fork', 'go', 'compensate', 'join')}
    </bpmn:process>`,
  )
  const ref = await engine.createProcessInstance({ bpmnProcessId: 'comp-mi-active' })
  await complete(engine, 'a')
  await complete(engine, 'go')
  t.ok(await noJob(engine, 'undo-a'), 'one of two instances completed: no handler')
  await complete(engine, 'a')
  await waitForState(engine, ref.processInstanceKey, 'COMPLETED')
})

t.test(`handlers are terminated when the instance is canceled (${HANDLER})`, async (t) => {
  const engine = await createContractEngine(t)
  await deploy(
    engine,
    'comp-cancel',
    `<bpmn:process id="comp-cancel" isExecutable="true">
      <bpmn:startEvent id="start" />${svc('A', 'a')}${compensable('A', 'undo-a')}
      <bpmn:endEvent id="compensateEnd"><bpmn:compensateEventDefinition /></bpmn:endEvent>
      ${chain('start', 'A', 'compensateEnd')}
    </bpmn:process>`,
  )
  const ref = await engine.createProcessInstance({ bpmnProcessId: 'comp-cancel' })
  await complete(engine, 'a')
  t.same(activeIds(await instanceState(engine, ref.processInstanceKey)), ['A_undo', 'compensateEnd'])
  await engine.cancelProcessInstance(ref.processInstanceKey)
  const view = await waitForState(engine, ref.processInstanceKey, 'TERMINATED')
  t.same(view.activeElements, [])
  t.ok(await noJob(engine, 'undo-a'), "the handler's job is gone")
})

t.test(
  `a call activity is compensated by its own handler; compensation does not enter the child (${EVENTS})`,
  async (t) => {
    const engine = await createContractEngine(t)
    await deploy(
      engine,
      'comp-child',
      `<bpmn:process id="comp-child" isExecutable="true">
      <bpmn:startEvent id="cs" />${svc('C', 'c')}${compensable('C', 'undo-c')}<bpmn:endEvent id="ce" />
      ${chain('cs', 'C', 'ce')}
    </bpmn:process>`,
    )
    await deploy(
      engine,
      'comp-parent',
      `<bpmn:process id="comp-parent" isExecutable="true">
      <bpmn:startEvent id="start" />
      <bpmn:callActivity id="call"><bpmn:extensionElements><zeebe:calledElement processId="comp-child" /></bpmn:extensionElements></bpmn:callActivity>
      ${compensable('call', 'undo-call')}${throwEvent('compensate')}<bpmn:endEvent id="end" />
      ${chain('start', 'call', 'compensate', 'end')}
    </bpmn:process>`,
    )
    const ref = await engine.createProcessInstance({ bpmnProcessId: 'comp-parent' })
    await complete(engine, 'c')
    await complete(engine, 'undo-call')
    await waitForState(engine, ref.processInstanceKey, 'COMPLETED')
    t.ok(await noJob(engine, 'undo-c'), "the child's handlers are not invoked")
  },
)

t.test(`a terminate end event terminates the handlers and their throw event (${HANDLER})`, async (t) => {
  const engine = await createContractEngine(t)
  await deploy(
    engine,
    'comp-terminate',
    `<bpmn:process id="comp-terminate" isExecutable="true">
      <bpmn:startEvent id="start" />${svc('A', 'a')}${compensable('A', 'undo-a')}<bpmn:parallelGateway id="fork" />
      ${throwEvent('compensate')}<bpmn:endEvent id="end" />${svc('stop', 'stop')}
      <bpmn:endEvent id="terminate"><bpmn:terminateEventDefinition /></bpmn:endEvent>
      ${chain('start', 'A', 'fork', 'compensate', 'end')}${chain('fork', 'stop', 'terminate')}
    </bpmn:process>`,
  )
  const ref = await engine.createProcessInstance({ bpmnProcessId: 'comp-terminate' })
  await complete(engine, 'a')
  t.same(activeIds(await instanceState(engine, ref.processInstanceKey)), ['A_undo', 'compensate', 'stop'])
  await complete(engine, 'stop')
  const view = await waitForState(engine, ref.processInstanceKey, 'COMPLETED')
  t.same(view.activeElements, [])
  t.ok(await noJob(engine, 'undo-a'), "the interrupted handler's job is gone")
})

t.test(`a sub-process handler runs its steps; input mappings make its local variables (${HANDLER})`, async (t) => {
  const engine = await createContractEngine(t)
  await deploy(
    engine,
    'comp-sub-handler',
    `<bpmn:process id="comp-sub-handler" isExecutable="true">
      <bpmn:startEvent id="start" />${svc('A', 'a')}
      <bpmn:boundaryEvent id="A_comp" attachedToRef="A"><bpmn:compensateEventDefinition /></bpmn:boundaryEvent>
      <bpmn:subProcess id="undoA" isForCompensation="true">
        <bpmn:extensionElements><zeebe:ioMapping><zeebe:input source="=booking" target="toCancel" /></zeebe:ioMapping></bpmn:extensionElements>
        <bpmn:startEvent id="u1" />${svc('cancel', 'cancel')}${svc('notify', 'notify')}<bpmn:endEvent id="u2" />
        ${chain('u1', 'cancel', 'notify', 'u2')}
      </bpmn:subProcess>
      <bpmn:association id="assoc" sourceRef="A_comp" targetRef="undoA" />
      ${throwEvent('compensate')}<bpmn:endEvent id="end" />${chain('start', 'A', 'compensate', 'end')}
    </bpmn:process>`,
  )
  const ref = await engine.createProcessInstance({ bpmnProcessId: 'comp-sub-handler' })
  await complete(engine, 'a', { booking: 'B-1' })
  const cancel = await activateOne(engine, 'cancel')
  t.equal(cancel.variables['toCancel'], 'B-1')
  await engine.completeJob(cancel.key)
  t.same(activeIds(await instanceState(engine, ref.processInstanceKey)), ['compensate', 'notify', 'undoA'])
  await complete(engine, 'notify')
  const done = await waitForState(engine, ref.processInstanceKey, 'COMPLETED')
  t.notOk('toCancel' in done.variables, 'the input mapping stayed local to the handler')
})

t.test(`a sub-process handler's own compensable activities are not kept once it completed (${HANDLER})`, async (t) => {
  const db = await freshEngineDatabase()
  const engine = new EmbeddedEngine(db, { timerPollMs: 50, workerPollMs: 100 })
  await engine.start()
  t.teardown(() => engine.stop())
  await deploy(
    engine,
    'comp-nested-handler',
    `<bpmn:process id="comp-nested-handler" isExecutable="true">
      <bpmn:startEvent id="start" />${svc('A', 'a')}
      <bpmn:boundaryEvent id="A_comp" attachedToRef="A"><bpmn:compensateEventDefinition /></bpmn:boundaryEvent>
      <bpmn:subProcess id="undoA" isForCompensation="true">
        <bpmn:startEvent id="u1" />${svc('cancel', 'cancel')}${compensable('cancel', 'uncancel')}<bpmn:endEvent id="u2" />
        ${chain('u1', 'cancel', 'u2')}
      </bpmn:subProcess>
      <bpmn:association id="assoc" sourceRef="A_comp" targetRef="undoA" />
      ${throwEvent('compensate')}${svc('hold', 'hold')}<bpmn:endEvent id="end" />
      ${chain('start', 'A', 'compensate', 'hold', 'end')}
    </bpmn:process>`,
  )
  const ref = await engine.createProcessInstance({ bpmnProcessId: 'comp-nested-handler' })
  await complete(engine, 'a')
  await complete(engine, 'cancel')
  await activateOne(engine, 'hold')
  // The subscriptions are the instance's durable state (its data column): none is left, not the inner cancel's.
  const { rows } = await db.knex.raw('SELECT data FROM engine_process_instances WHERE key = ?', [
    Number(ref.processInstanceKey),
  ])
  t.same((rows[0] as { data: { compensation?: unknown[] } }).data.compensation ?? [], [])
})

t.test(
  `subscriptions and waiting throw events are stored: another engine on the database goes on (${EVENTS})`,
  async (t) => {
    const db = await freshEngineDatabase()
    const first = new EmbeddedEngine(db, { timerPollMs: 50, workerPollMs: 100 })
    await first.start()
    await deploy(
      first,
      'comp-restart',
      `<bpmn:process id="comp-restart" isExecutable="true">
      <bpmn:startEvent id="start" />${svc('A', 'a')}${compensable('A', 'undo-a')}${svc('B', 'b')}${compensable('B', 'undo-b')}
      ${throwEvent('compensate')}<bpmn:endEvent id="end" />${chain('start', 'A', 'B', 'compensate', 'end')}
    </bpmn:process>`,
    )
    const ref = await first.createProcessInstance({ bpmnProcessId: 'comp-restart' })
    await complete(first, 'a')
    await first.stop()
    const second = new EmbeddedEngine(db, { timerPollMs: 50, workerPollMs: 100 })
    await second.start()
    t.teardown(() => second.stop())
    await complete(second, 'b')
    await complete(second, 'undo-a')
    t.same(activeIds(await instanceState(second, ref.processInstanceKey)), ['B_undo', 'compensate'])
    await complete(second, 'undo-b')
    await waitForState(second, ref.processInstanceKey, 'COMPLETED')
  },
)

t.test('deploy refuses compensation it cannot run, naming the element', async (t) => {
  const engine = await createContractEngine(t)
  const xml = definitions(`<bpmn:process id="comp-bad" isExecutable="true">
      <bpmn:startEvent id="start" />${svc('A', 'a')}${svc('B', 'b')}${compensable('B', 'undo-b')}${svc('C', 'c')}
      <bpmn:boundaryEvent id="lonely" attachedToRef="A"><bpmn:compensateEventDefinition /></bpmn:boundaryEvent>
      <bpmn:intermediateThrowEvent id="refA"><bpmn:compensateEventDefinition activityRef="C" /></bpmn:intermediateThrowEvent>
      <bpmn:intermediateThrowEvent id="noWait"><bpmn:compensateEventDefinition waitForCompletion="false" /></bpmn:intermediateThrowEvent>
      <bpmn:endEvent id="end" />
      ${chain('start', 'A', 'B', 'C', 'refA', 'noWait', 'end')}
      <bpmn:sequenceFlow id="intoHandler" sourceRef="B_undo" targetRef="end" />
    </bpmn:process>`)
  const err = await engine.deploy([{ name: 'comp-bad.bpmn', content: xml }]).catch((e) => e)
  t.type(err, DeployValidationError)
  const byId = new Map((err as DeployValidationError).problems.map((p) => [p.elementId, p.message]))
  t.same([...byId.keys()].sort(), ['B_undo', 'lonely', 'noWait', 'refA'])
  t.match(byId.get('lonely'), /needs an association with one compensation handler/)
  t.match(byId.get('refA'), /names activity "C", which is not an activity of its scope with a compensation boundary/)
  t.match(
    byId.get('noWait'),
    /^Element "noWait": a compensation throw event that does not wait for completion is not supported/,
  )
  t.match(byId.get('B_undo'), /cannot have incoming or outgoing sequence flows/)
})
