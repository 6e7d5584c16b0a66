// Contract: escalations. Thrown by intermediate throw and end events (code static or an expression), caught by
// at most one catch event of the nearest enclosing scope (exact code before catch-all): boundary events on
// sub-processes and call activities, interrupting or not, and escalation event sub-processes. An escalation is
// non-critical: the throw event's flow goes on, and one nothing catches raises no incident.
// https://docs.camunda.io/docs/components/modeler/bpmn/escalation-events/
import t from 'tap'
import { DeployValidationError } from '../../src/engine/port.js'
import {
  activateOne,
  activeIds,
  createContractEngine,
  deployFixtures,
  instanceState,
  waitForState,
} from './contract-engine.js'

t.test('a non-interrupting boundary catches the code; both the throw and the catch flows go on', async (t) => {
  const engine = await createContractEngine(t)
  await deployFixtures(engine, 'escalation.bpmn')
  const ref = await engine.createProcessInstance({ bpmnProcessId: 'escalation', variables: { code: 'X' } })
  const handled = await activateOne(engine, 'handle-late')
  const after = await activateOne(engine, 'after-throw')
  t.equal(handled.elementId, 'handleLate')
  t.same(activeIds(await instanceState(engine, ref.processInstanceKey)), ['afterThrow', 'handleLate', 'sub'])
  await engine.completeJob(handled.key)
  // The end event throws the code of its expression (X): only the catch-all boundary takes it, and interrupts.
  await engine.completeJob(after.key)
  const any = await activateOne(engine, 'handle-any')
  t.same(activeIds(await instanceState(engine, ref.processInstanceKey)), ['handleAny'], 'the sub-process ended')
  await engine.completeJob(any.key)
  await waitForState(engine, ref.processInstanceKey, 'COMPLETED')
})

t.test('an escalation event sub-process catches a throw of its scope; an uncaught one is no incident', async (t) => {
  const engine = await createContractEngine(t)
  await deployFixtures(engine, 'escalation-esp.bpmn')
  const ref = await engine.createProcessInstance({ bpmnProcessId: 'escalation-esp' })
  const handle = await activateOne(engine, 'esp-handle')
  const next = await activateOne(engine, 'main-next')
  const view = await instanceState(engine, ref.processInstanceKey)
  t.same(view.incidents, [], 'NOBODY caught nothing and raised no incident')
  t.same(activeIds(view), ['espHandle', 'mainNext', 'onNhac'])
  await engine.completeJob(handle.key)
  await engine.completeJob(next.key)
  await waitForState(engine, ref.processInstanceKey, 'COMPLETED')
})

t.test('an escalation end event of a called process is caught by the boundary on the call activity', async (t) => {
  const engine = await createContractEngine(t)
  await deployFixtures(engine, 'escalation-call.bpmn')
  const ref = await engine.createProcessInstance({ bpmnProcessId: 'escalation-parent' })
  await engine.completeJob((await activateOne(engine, 'child-work')).key)
  const handle = await activateOne(engine, 'parent-handle')
  // Non-interrupting: the child ended normally, so the call activity completed too.
  const after = await activateOne(engine, 'after-call')
  await engine.completeJob(handle.key)
  await engine.completeJob(after.key)
  await waitForState(engine, ref.processInstanceKey, 'COMPLETED')
})

t.test('an escalation boundary on a task is refused at deploy (sub-processes and call activities only)', async (t) => {
  const engine = await createContractEngine(t)
  const xml = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="d" targetNamespace="http://motcua.test">
  <bpmn:process id="esc-task" isExecutable="true">
    <bpmn:startEvent id="start" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="work" />
    <bpmn:serviceTask id="work"><bpmn:extensionElements><zeebe:taskDefinition type="w" /></bpmn:extensionElements></bpmn:serviceTask>
    <bpmn:boundaryEvent id="onEsc" attachedToRef="work"><bpmn:escalationEventDefinition /></bpmn:boundaryEvent>
  </bpmn:process>
</bpmn:definitions>`
  const err = await engine.deploy([{ name: 'esc-task.bpmn', content: xml }]).catch((e) => e)
  t.type(err, DeployValidationError)
  t.same(
    (err as DeployValidationError).problems.map((p) => p.elementId),
    ['onEsc'],
  )
})

t.test(
  'two escalation catch events with one code on an activity, or a catch code expression, are refused',
  async (t) => {
    const engine = await createContractEngine(t)
    const xml = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d" targetNamespace="http://motcua.test">
  <bpmn:escalation id="eA" escalationCode="A" />
  <bpmn:escalation id="eExpr" escalationCode="=code" />
  <bpmn:process id="esc-dup" isExecutable="true">
    <bpmn:startEvent id="start" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="sub" />
    <bpmn:subProcess id="sub"><bpmn:startEvent id="s" /></bpmn:subProcess>
    <bpmn:boundaryEvent id="first" attachedToRef="sub"><bpmn:escalationEventDefinition escalationRef="eA" /></bpmn:boundaryEvent>
    <bpmn:boundaryEvent id="second" attachedToRef="sub" cancelActivity="false"><bpmn:escalationEventDefinition escalationRef="eA" /></bpmn:boundaryEvent>
    <bpmn:boundaryEvent id="byExpr" attachedToRef="sub"><bpmn:escalationEventDefinition escalationRef="eExpr" /></bpmn:boundaryEvent>
  </bpmn:process>
</bpmn:definitions>`
    const err = await engine.deploy([{ name: 'esc-dup.bpmn', content: xml }]).catch((e) => e)
    t.type(err, DeployValidationError)
    const problems = (err as DeployValidationError).problems
    t.same(problems.map((p) => p.elementId).sort(), ['byExpr', 'second'])
    t.match(problems.find((p) => p.elementId === 'second')!.message, /code "A"/)
  },
)
