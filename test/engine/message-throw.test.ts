// Contract: message intermediate throw events and message end events are job-based, like send tasks: the
// engine creates a job of their zeebe:taskDefinition type and moves on when a worker completes it.
// https://docs.camunda.io/docs/components/modeler/bpmn/message-events/ (message throw events)
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

t.test('a message throw event and a message end event each wait for their job, then the instance ends', async (t) => {
  const engine = await createContractEngine(t)
  await deployFixtures(engine, 'message-throw.bpmn')
  const ref = await engine.createProcessInstance({ bpmnProcessId: 'message-throw', variables: { hoSo: 'HS-1' } })
  const thrown = await activateOne(engine, 'send-reminder')
  t.equal(thrown.elementId, 'notify')
  t.equal(thrown.variables['hoSo'], 'HS-1')
  t.same(activeIds(await instanceState(engine, ref.processInstanceKey)), ['notify'])
  await engine.completeJob(thrown.key, { sent: true })
  const ended = await activateOne(engine, 'send-result')
  t.equal(ended.elementId, 'end')
  await engine.completeJob(ended.key, { resultSent: true })
  const done = await waitForState(engine, ref.processInstanceKey, 'COMPLETED')
  t.same([done.variables['sent'], done.variables['resultSent']], [true, true])
})

t.test('a message throw event without a job type is refused at deploy, naming the element', async (t) => {
  const engine = await createContractEngine(t)
  const xml = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d" targetNamespace="http://motcua.test">
  <bpmn:process id="no-job" isExecutable="true">
    <bpmn:startEvent id="start" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="notify" />
    <bpmn:intermediateThrowEvent id="notify"><bpmn:messageEventDefinition /></bpmn:intermediateThrowEvent>
  </bpmn:process>
</bpmn:definitions>`
  const err = await engine.deploy([{ name: 'no-job.bpmn', content: xml }]).catch((e) => e)
  t.type(err, DeployValidationError)
  t.same(
    (err as DeployValidationError).problems.map((p) => p.elementId),
    ['notify'],
  )
  t.match((err as DeployValidationError).problems[0]!.message, /taskDefinition/)
})
