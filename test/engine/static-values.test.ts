// Contract: a property Zeebe documents as "static value or expression" takes text without a leading `=` literally
// (https://docs.camunda.io/docs/components/concepts/expressions/#expressions-vs-static-values: "A static value is used
// either as a string (e.g. job type) or as a number (e.g. job retries)"), and a static value where Zeebe needs an
// expression is refused at deploy with Zeebe's message (its ZeebeRuntimeValidators: output mapping source,
// correlation key, input collection, output element, sequence flow condition, script expression; candidate lists,
// due dates and priorities must be well-formed when static).
import t from 'tap'
import { DeployValidationError, type Engine } from '../../src/engine/port.js'
import { validateBpmn } from '../../src/engine/validation/index.js'
import { activateOne, createContractEngine, waitForState } from './contract-engine.js'
import { eventually } from '../helpers/eventually.js'

function definitions(body: string, roots = ''): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
  xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="d" targetNamespace="http://motcua.test">
  ${roots}
  ${body}
</bpmn:definitions>`
}

/** start → the given element(s) with id `x` → end. */
function around(processId: string, element: string, roots = ''): string {
  return definitions(
    `<bpmn:process id="${processId}" isExecutable="true">
    <bpmn:startEvent id="start" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="x" />
    ${element}
    <bpmn:sequenceFlow id="f2" sourceRef="x" targetRef="end" />
    <bpmn:endEvent id="end" />
  </bpmn:process>`,
    roots,
  )
}

async function deploy(engine: Engine, name: string, content: string): Promise<void> {
  await engine.deploy([{ name, content }])
}

t.test('job type, retries, task headers and input mappings: static text is taken literally', async (t) => {
  // https://docs.camunda.io/docs/components/modeler/bpmn/service-tasks/ (job type and retries: static or expression;
  // task headers are always static) and .../concepts/variables/#inputoutput-variable-mappings (input source).
  const engine = await createContractEngine(t)
  await deploy(
    engine,
    'static-job.bpmn',
    around(
      'static-job',
      `<bpmn:serviceTask id="x">
      <bpmn:extensionElements>
        <zeebe:taskDefinition type="dossier.check" retries="5" />
        <zeebe:taskHeaders>
          <zeebe:header key="method" value="GET" />
          <zeebe:header key="token" value="{{secrets.TOKEN}}" />
          <zeebe:header key="looksLikeFeel" value="=not.evaluated" />
        </zeebe:taskHeaders>
        <zeebe:ioMapping>
          <zeebe:input source="GET" target="method" />
          <zeebe:input source="20" target="limit" />
          <zeebe:input source="{{secrets.TOKEN}}" target="token" />
          <zeebe:input source="Audi" target="car.brand" />
          <zeebe:input source="=limitValue + 1" target="computed" />
        </zeebe:ioMapping>
      </bpmn:extensionElements>
    </bpmn:serviceTask>`,
    ),
  )
  const ref = await engine.createProcessInstance({ bpmnProcessId: 'static-job', variables: { limitValue: 1 } })
  const job = await activateOne(engine, 'dossier.check')
  t.equal(job.type, 'dossier.check')
  t.equal(job.retries, 5, 'retries "5" is the number 5')
  t.same(job.customHeaders, { method: 'GET', token: '{{secrets.TOKEN}}', looksLikeFeel: '=not.evaluated' })
  t.equal(job.variables['method'], 'GET')
  t.equal(job.variables['limit'], '20', 'a static input is text')
  t.equal(job.variables['token'], '{{secrets.TOKEN}}')
  t.same(job.variables['car'], { brand: 'Audi' })
  t.equal(job.variables['computed'], 2)
  await engine.completeJob(job.key, {})
  await waitForState(engine, ref.processInstanceKey, 'COMPLETED')
})

t.test('static retries that are not a number: an incident on the task, as Zeebe evaluates them', async (t) => {
  const engine = await createContractEngine(t)
  await deploy(
    engine,
    'bad-retries.bpmn',
    around(
      'bad-retries',
      `<bpmn:serviceTask id="x"><bpmn:extensionElements>
        <zeebe:taskDefinition type="dossier.check" retries="ba" />
      </bpmn:extensionElements></bpmn:serviceTask>`,
    ),
  )
  const ref = await engine.createProcessInstance({ bpmnProcessId: 'bad-retries', variables: {} })
  const view = await eventually('an incident', async () => {
    const v = await engine.getProcessInstance(ref.processInstanceKey)
    return v?.incidents.length ? v : undefined
  })
  t.match(view.incidents[0], { elementId: 'x', errorMessage: /job retries/ })
})

t.test('user task: static assignee, candidate groups and users as comma lists, dates and priority', async (t) => {
  // https://docs.camunda.io/docs/components/modeler/bpmn/user-tasks/ (assignments and scheduling: static or expression)
  const engine = await createContractEngine(t)
  await deploy(
    engine,
    'static-user-task.bpmn',
    around(
      'static-user-task',
      `<bpmn:userTask id="x" name="Thẩm định">
      <bpmn:extensionElements>
        <zeebe:userTask />
        <zeebe:assignmentDefinition assignee="chi" candidateGroups="mot-cua, phong-tn" candidateUsers="an,binh" />
        <zeebe:taskSchedule dueDate="2031-05-02T10:00:00+07:00" followUpDate="2030-01-01T08:00:00+07:00" />
        <zeebe:priorityDefinition priority="80" />
      </bpmn:extensionElements>
    </bpmn:userTask>`,
    ),
  )
  const ref = await engine.createProcessInstance({ bpmnProcessId: 'static-user-task', variables: {} })
  const [task] = await eventually('the user task', async () => {
    const l = await engine.searchUserTasks({ processInstanceKey: ref.processInstanceKey })
    return l.length ? l : undefined
  })
  t.equal(task!.assignee, 'chi')
  t.same(task!.candidateGroups, ['mot-cua', 'phong-tn'])
  t.same(task!.candidateUsers, ['an', 'binh'])
  t.equal(task!.dueDate?.toISOString(), '2031-05-02T03:00:00.000Z')
  t.equal(task!.followUpDate?.toISOString(), '2030-01-01T01:00:00.000Z')
  t.equal(task!.priority, 80)
})

t.test('message catch: a static message name correlates; the correlation key is an expression', async (t) => {
  // https://docs.camunda.io/docs/components/modeler/bpmn/message-events/ (message name: static or expression)
  const engine = await createContractEngine(t)
  await deploy(
    engine,
    'static-message.bpmn',
    around(
      'static-message',
      `<bpmn:intermediateCatchEvent id="x"><bpmn:messageEventDefinition messageRef="m" /></bpmn:intermediateCatchEvent>`,
      `<bpmn:message id="m" name="fee-paid">
        <bpmn:extensionElements><zeebe:subscription correlationKey="=dossierCode" /></bpmn:extensionElements>
      </bpmn:message>`,
    ),
  )
  const ref = await engine.createProcessInstance({ bpmnProcessId: 'static-message', variables: { dossierCode: 'H-1' } })
  await eventually('the subscription', async () =>
    (await engine.getProcessInstance(ref.processInstanceKey))?.activeElements.some((e) => e.elementId === 'x'),
  )
  await engine.publishMessage({ name: 'fee-paid', correlationKey: 'H-1', variables: { paid: true } })
  const done = await waitForState(engine, ref.processInstanceKey, 'COMPLETED')
  t.equal(done.variables['paid'], true)
})

t.test('timers: a static duration and a static date fire', async (t) => {
  // https://docs.camunda.io/docs/components/modeler/bpmn/timer-events/ (timer value: static or expression)
  const engine = await createContractEngine(t)
  const timer = (definition: string) =>
    `<bpmn:intermediateCatchEvent id="x"><bpmn:timerEventDefinition>${definition}</bpmn:timerEventDefinition>
    </bpmn:intermediateCatchEvent>`
  await deploy(
    engine,
    'static-duration.bpmn',
    around('static-duration', timer('<bpmn:timeDuration>PT0.2S</bpmn:timeDuration>')),
  )
  await deploy(
    engine,
    'static-date.bpmn',
    around('static-date', timer('<bpmn:timeDate>2020-01-01T00:00:00Z</bpmn:timeDate>')),
  )
  const a = await engine.createProcessInstance({ bpmnProcessId: 'static-duration', variables: {} })
  const b = await engine.createProcessInstance({ bpmnProcessId: 'static-date', variables: {} })
  await waitForState(engine, a.processInstanceKey, 'COMPLETED')
  await waitForState(engine, b.processInstanceKey, 'COMPLETED')
  t.pass('both timers fired')
})

t.test('call activity: a static process id calls that process', async (t) => {
  // https://docs.camunda.io/docs/components/modeler/bpmn/call-activities/ (process id: static or expression)
  const engine = await createContractEngine(t)
  await deploy(
    engine,
    'static-child.bpmn',
    definitions(`<bpmn:process id="static-child" isExecutable="true">
      <bpmn:startEvent id="s" />
      <bpmn:sequenceFlow id="c1" sourceRef="s" targetRef="e" />
      <bpmn:endEvent id="e"><bpmn:extensionElements><zeebe:ioMapping>
        <zeebe:output source="=&quot;from child&quot;" target="result" />
      </zeebe:ioMapping></bpmn:extensionElements></bpmn:endEvent>
    </bpmn:process>`),
  )
  await deploy(
    engine,
    'static-parent.bpmn',
    around(
      'static-parent',
      `<bpmn:callActivity id="x"><bpmn:extensionElements>
        <zeebe:calledElement processId="static-child" />
      </bpmn:extensionElements></bpmn:callActivity>`,
    ),
  )
  const ref = await engine.createProcessInstance({ bpmnProcessId: 'static-parent', variables: {} })
  const done = await waitForState(engine, ref.processInstanceKey, 'COMPLETED')
  t.equal(done.variables['result'], 'from child')
})

t.test(
  'error end event: an error code given as an expression is evaluated, and caught by its static code',
  async (t) => {
    // https://docs.camunda.io/docs/components/modeler/bpmn/error-events/ (error code: static or expression on throw)
    const engine = await createContractEngine(t)
    await deploy(
      engine,
      'error-code.bpmn',
      definitions(
        `<bpmn:process id="error-code" isExecutable="true">
      <bpmn:startEvent id="start" />
      <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="sub" />
      <bpmn:subProcess id="sub">
        <bpmn:startEvent id="s2" />
        <bpmn:sequenceFlow id="g1" sourceRef="s2" targetRef="throw" />
        <bpmn:endEvent id="throw"><bpmn:errorEventDefinition errorRef="thrown" /></bpmn:endEvent>
      </bpmn:subProcess>
      <bpmn:boundaryEvent id="caught" attachedToRef="sub"><bpmn:errorEventDefinition errorRef="expected" /></bpmn:boundaryEvent>
      <bpmn:sequenceFlow id="f2" sourceRef="caught" targetRef="handled" />
      <bpmn:endEvent id="handled"><bpmn:extensionElements><zeebe:ioMapping>
        <zeebe:output source="=&quot;caught&quot;" target="handledBy" />
      </zeebe:ioMapping></bpmn:extensionElements></bpmn:endEvent>
      <bpmn:sequenceFlow id="f3" sourceRef="sub" targetRef="end" />
      <bpmn:endEvent id="end" />
    </bpmn:process>`,
        `<bpmn:error id="thrown" name="Thrown" errorCode="=&quot;E-&quot; + string(code)" />
      <bpmn:error id="expected" name="Expected" errorCode="E-42" />`,
      ),
    )
    const ref = await engine.createProcessInstance({ bpmnProcessId: 'error-code', variables: { code: 42 } })
    const done = await waitForState(engine, ref.processInstanceKey, 'COMPLETED')
    t.equal(done.variables['handledBy'], 'caught', 'the boundary event with code E-42 caught it')
  },
)

/** A static value where Zeebe needs an expression, or a malformed static value, with Zeebe's message. */
const refused: Array<{ what: string; element: string; roots?: string; message: RegExp }> = [
  {
    what: 'an output mapping source',
    element: `<bpmn:serviceTask id="x"><bpmn:extensionElements><zeebe:taskDefinition type="a" />
      <zeebe:ioMapping><zeebe:output source="Audi" target="car" /></zeebe:ioMapping>
    </bpmn:extensionElements></bpmn:serviceTask>`,
    message: /Expected expression but found static value 'Audi'\. An expression must start with '=' \(e\.g\. '=Audi'\)/,
  },
  {
    what: 'a correlation key',
    element: `<bpmn:receiveTask id="x" messageRef="m" />`,
    roots: `<bpmn:message id="m" name="fee-paid">
      <bpmn:extensionElements><zeebe:subscription correlationKey="H-1" /></bpmn:extensionElements></bpmn:message>`,
    message: /Expected expression but found static value 'H-1'/,
  },
  {
    what: 'a multi-instance input collection',
    element: `<bpmn:serviceTask id="x"><bpmn:extensionElements><zeebe:taskDefinition type="a" /></bpmn:extensionElements>
      <bpmn:multiInstanceLoopCharacteristics><bpmn:extensionElements>
        <zeebe:loopCharacteristics inputCollection="a,b" inputElement="item" />
      </bpmn:extensionElements></bpmn:multiInstanceLoopCharacteristics></bpmn:serviceTask>`,
    message: /input collection.*Expected expression but found static value 'a,b'/,
  },
  {
    what: 'a multi-instance output element',
    element: `<bpmn:serviceTask id="x"><bpmn:extensionElements><zeebe:taskDefinition type="a" /></bpmn:extensionElements>
      <bpmn:multiInstanceLoopCharacteristics><bpmn:extensionElements>
        <zeebe:loopCharacteristics inputCollection="=items" inputElement="item" outputCollection="out"
          outputElement="result" />
      </bpmn:extensionElements></bpmn:multiInstanceLoopCharacteristics></bpmn:serviceTask>`,
    message: /output element.*Expected expression but found static value 'result'/,
  },
  {
    what: 'a script expression',
    element: `<bpmn:scriptTask id="x"><bpmn:extensionElements>
      <zeebe:script expression="1 + 1" resultVariable="sum" /></bpmn:extensionElements></bpmn:scriptTask>`,
    message: /script expression.*Expected expression but found static value '1 \+ 1'/,
  },
  {
    what: 'candidate groups that are not a comma list',
    element: `<bpmn:userTask id="x"><bpmn:extensionElements><zeebe:userTask />
      <zeebe:assignmentDefinition candidateGroups="1,," /></bpmn:extensionElements></bpmn:userTask>`,
    message: /Expected static value to be a list of comma-separated values, e\.g\. 'a,b,c', but found '1,,'/,
  },
  {
    what: 'a due date that is not a date-time',
    element: `<bpmn:userTask id="x"><bpmn:extensionElements><zeebe:userTask />
      <zeebe:taskSchedule dueDate="12345" /></bpmn:extensionElements></bpmn:userTask>`,
    message: /Expected static value to be a valid DateTime String, e\.g\. '2023-03-02T15:35\+02:00', but found '12345'/,
  },
  {
    what: 'a priority over 100',
    element: `<bpmn:userTask id="x"><bpmn:extensionElements><zeebe:userTask />
      <zeebe:priorityDefinition priority="120" /></bpmn:extensionElements></bpmn:userTask>`,
    message: /Priority must be a number between 0 and 100, but was '120'/,
  },
]

for (const { what, element, roots, message } of refused) {
  t.test(`a static value as ${what} is refused at deploy with Zeebe's message`, async (t) => {
    const content = around('refused', element, roots)
    const engine = await createContractEngine(t)
    const err = await engine.deploy([{ name: 'refused.bpmn', content }]).then(
      () => undefined,
      (e: unknown) => e,
    )
    t.ok(err instanceof DeployValidationError, 'the engine refuses it')
    t.match((err as DeployValidationError).problems, [{ rule: 'zeebe-static-value', message, severity: 'error' }])
    const problems = await validateBpmn([{ name: 'refused.bpmn', content }])
    t.ok(
      problems.some((p) => p.rule === 'zeebe-static-value' && message.test(p.message)),
      'deploy validation says the same',
    )
  })
}

t.test('a sequence flow condition without = is refused at deploy', async (t) => {
  const content = definitions(`<bpmn:process id="cond" isExecutable="true">
    <bpmn:startEvent id="start" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="gw" />
    <bpmn:exclusiveGateway id="gw" default="f3" />
    <bpmn:sequenceFlow id="f2" sourceRef="gw" targetRef="a">
      <bpmn:conditionExpression xsi:type="bpmn:tFormalExpression"
        xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">approved</bpmn:conditionExpression>
    </bpmn:sequenceFlow>
    <bpmn:sequenceFlow id="f3" sourceRef="gw" targetRef="a" />
    <bpmn:endEvent id="a" />
  </bpmn:process>`)
  const engine = await createContractEngine(t)
  const err = await engine.deploy([{ name: 'cond.bpmn', content }]).then(
    () => undefined,
    (e: unknown) => e,
  )
  t.match((err as DeployValidationError).problems, [
    { elementId: 'f2', message: /Expected expression but found static value 'approved'/ },
  ])
})
