// Constructs Zeebe 8.8 executes that the embedded engine does not (compensation, ad-hoc sub-processes): refused at
// deploy with the element id and a sentence naming the construct as unsupported, never a made-up requirement.
import t from 'tap'
import { DeployValidationError } from '../../src/engine/port.js'
import { createContractEngine } from './contract-engine.js'

const head = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="d" targetNamespace="http://motcua.test">`

t.test('compensation events, compensation handlers and ad-hoc sub-processes are refused by name', async (t) => {
  const engine = await createContractEngine(t)
  const xml = `${head}
  <bpmn:process id="compensation" isExecutable="true">
    <bpmn:startEvent id="start" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="book" />
    <bpmn:serviceTask id="book"><bpmn:extensionElements><zeebe:taskDefinition type="book" /></bpmn:extensionElements></bpmn:serviceTask>
    <bpmn:boundaryEvent id="onCompensate" attachedToRef="book"><bpmn:compensateEventDefinition /></bpmn:boundaryEvent>
    <bpmn:serviceTask id="undo" isForCompensation="true"><bpmn:extensionElements><zeebe:taskDefinition type="undo" /></bpmn:extensionElements></bpmn:serviceTask>
    <bpmn:sequenceFlow id="f2" sourceRef="book" targetRef="adhoc" />
    <bpmn:adHocSubProcess id="adhoc"><bpmn:task id="a" /></bpmn:adHocSubProcess>
    <bpmn:sequenceFlow id="f3" sourceRef="adhoc" targetRef="compensate" />
    <bpmn:intermediateThrowEvent id="compensate"><bpmn:compensateEventDefinition /></bpmn:intermediateThrowEvent>
  </bpmn:process>
</bpmn:definitions>`
  const err = await engine.deploy([{ name: 'compensation.bpmn', content: xml }]).catch((e) => e)
  t.type(err, DeployValidationError)
  const byId = new Map((err as DeployValidationError).problems.map((p) => [p.elementId, p.message]))
  t.same([...byId.keys()].sort(), ['adhoc', 'compensate', 'onCompensate', 'undo'])
  t.match(
    byId.get('onCompensate'),
    /^Element "[^"]+": a compensation (boundary|intermediate throw|end) event is not supported/,
  )
  t.match(
    byId.get('compensate'),
    /^Element "[^"]+": a compensation (boundary|intermediate throw|end) event is not supported/,
  )
  t.match(byId.get('undo'), /^Element "undo": a compensation handler is not supported/)
  t.match(byId.get('adhoc'), /^Element "adhoc": an ad-hoc sub-process is not supported/)
})
