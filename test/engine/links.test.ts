// Contract: link events. A link throw event continues at the link catch event of the same name in the same
// scope; a throw without its catch is refused at deploy.
// https://docs.camunda.io/docs/components/modeler/bpmn/link-events/
import t from 'tap'
import { DeployValidationError } from '../../src/engine/port.js'
import { activateOne, createContractEngine, deployFixtures, waitForState } from './contract-engine.js'

t.test('a link throw event continues at the link catch event of its name', async (t) => {
  const engine = await createContractEngine(t)
  await deployFixtures(engine, 'link.bpmn')
  const ref = await engine.createProcessInstance({ bpmnProcessId: 'link' })
  const job = await activateOne(engine, 'after-link')
  t.equal(job.elementId, 'afterLink')
  await engine.completeJob(job.key)
  await waitForState(engine, ref.processInstanceKey, 'COMPLETED')
})

t.test('a link throw event without a catch event of its name in its scope is refused at deploy', async (t) => {
  const engine = await createContractEngine(t)
  const xml = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d" targetNamespace="http://motcua.test">
  <bpmn:process id="bad-link" isExecutable="true">
    <bpmn:startEvent id="start" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="goB" />
    <bpmn:intermediateThrowEvent id="goB"><bpmn:linkEventDefinition name="B" /></bpmn:intermediateThrowEvent>
    <bpmn:intermediateCatchEvent id="atA"><bpmn:linkEventDefinition name="A" /></bpmn:intermediateCatchEvent>
    <bpmn:sequenceFlow id="f2" sourceRef="atA" targetRef="end" />
    <bpmn:endEvent id="end" />
  </bpmn:process>
</bpmn:definitions>`
  const err = await engine.deploy([{ name: 'bad-link.bpmn', content: xml }]).catch((e) => e)
  t.type(err, DeployValidationError)
  const problems = (err as DeployValidationError).problems
  t.same(
    problems.map((p) => p.elementId),
    ['goB'],
  )
  t.match(problems[0]!.message, /no link catch event named "B"/)
})
