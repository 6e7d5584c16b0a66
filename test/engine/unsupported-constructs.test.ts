// Constructs Zeebe 8.8 executes that the embedded engine does not (compensation start events; ad-hoc sub-processes
// with a job worker implementation are in ad-hoc.test.ts):
// refused at deploy with the element id and a sentence naming the construct as unsupported.
import t from 'tap'
import { DeployValidationError } from '../../src/engine/port.js'
import { createContractEngine } from './contract-engine.js'

const head = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="d" targetNamespace="http://motcua.test">`

// Compensation runs since the compensation branch: its behaviour and refusals are in compensation.test.ts.
t.test('a compensation start event in an event sub-process stays refused by name', async (t) => {
  const engine = await createContractEngine(t)
  const xml = `${head}
  <bpmn:process id="comp-start" isExecutable="true">
    <bpmn:startEvent id="start" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="end" />
    <bpmn:endEvent id="end" />
    <bpmn:subProcess id="esp" triggeredByEvent="true">
      <bpmn:startEvent id="onCompensate"><bpmn:compensateEventDefinition /></bpmn:startEvent>
      <bpmn:sequenceFlow id="f2" sourceRef="onCompensate" targetRef="espEnd" />
      <bpmn:endEvent id="espEnd" />
    </bpmn:subProcess>
  </bpmn:process>
</bpmn:definitions>`
  const err = await engine.deploy([{ name: 'comp-start.bpmn', content: xml }]).catch((e) => e)
  t.type(err, DeployValidationError)
  const byId = new Map((err as DeployValidationError).problems.map((p) => [p.elementId, p.message]))
  t.same([...byId.keys()], ['onCompensate'])
  t.match(
    byId.get('onCompensate'),
    /^Element "onCompensate": a compensation start event in an event sub-process is not supported/,
  )
})
