// Contract: ad-hoc sub-processes, BPMN implementation, as Camunda 8.8 documents them:
// https://docs.camunda.io/docs/components/modeler/bpmn/ad-hoc-subprocesses/ (activate an element, completion,
// cancelRemainingInstances, collect output, special variables, variable mappings, constraints) and
// https://docs.camunda.io/docs/components/concepts/variables/#variable-propagation-by-bpmn-element.
// The job worker implementation is in ad-hoc-job.test.ts.
import t from 'tap'
import { DeployValidationError, type Engine } from '../../src/engine/port.js'
import { activateOne, activeIds, createContractEngine, instanceState, waitForState } from './contract-engine.js'
import { eventually } from '../helpers/eventually.js'

const head = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" id="d" targetNamespace="http://motcua.test">`

const job = (id: string, type: string, extra = ''): string =>
  `<bpmn:serviceTask id="${id}"><bpmn:extensionElements><zeebe:taskDefinition type="${type}" />${extra}</bpmn:extensionElements></bpmn:serviceTask>`

/** A process: start → ad-hoc sub-process (attributes, extension, inner XML) → after (a job) → end. */
function model(id: string, adHocAttrs: string, adHocExt: string, inner: string, condition = ''): string {
  return `${head}
  <bpmn:process id="${id}" isExecutable="true">
    <bpmn:startEvent id="start" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="checks" />
    <bpmn:adHocSubProcess id="checks" ${adHocAttrs}>
      <bpmn:extensionElements>${adHocExt}</bpmn:extensionElements>
      ${inner}
      ${condition ? `<bpmn:completionCondition xsi:type="bpmn:tFormalExpression">${condition}</bpmn:completionCondition>` : ''}
    </bpmn:adHocSubProcess>
    <bpmn:sequenceFlow id="f2" sourceRef="checks" targetRef="after" />
    ${job('after', 'after')}
    <bpmn:sequenceFlow id="f3" sourceRef="after" targetRef="end" />
    <bpmn:endEvent id="end" />
  </bpmn:process>
</bpmn:definitions>`
}

async function jobsOf(engine: Engine, type: string, count: number) {
  return eventually(`${count} ${type} job(s)`, async () => {
    const j = await engine.activateJobs({ type, worker: 't', maxJobsToActivate: 10, timeoutMs: 30_000 })
    return j.length === count ? j : undefined
  })
}

t.test(
  'activeElementsCollection activates the named elements; output is collected; activity variables stay local',
  async (t) => {
    const engine = await createContractEngine(t)
    const inner = `${job('fraud', 'fraud')}${job('income', 'income')}${job('archive', 'archive')}
      <bpmn:sequenceFlow id="fi" sourceRef="income" targetRef="report" />
      ${job('report', 'report')}`
    await engine.deploy([
      {
        name: 'adhoc.bpmn',
        content: model(
          'adhoc-activate',
          '',
          `<zeebe:adHoc activeElementsCollection="=toRun" outputCollection="results" outputElement="=result" />
         <zeebe:ioMapping><zeebe:output source="=results" target="checkResults" /></zeebe:ioMapping>`,
          inner,
        ),
      },
    ])
    const ref = await engine.createProcessInstance({
      bpmnProcessId: 'adhoc-activate',
      variables: { toRun: ['fraud', 'income'] },
    })
    // "activates all elements whose element IDs are in the list": one job each, none for archive.
    const [fraud] = await jobsOf(engine, 'fraud', 1)
    const [income] = await jobsOf(engine, 'income', 1)
    // "the adHocSubProcessElements variable is created in its scope": the elements that can be activated.
    const meta = fraud!.variables['adHocSubProcessElements'] as Array<{ elementId: string }>
    t.same(meta.map((m) => m.elementId).sort(), ['archive', 'fraud', 'income'])
    const running = await instanceState(engine, ref.processInstanceKey)
    t.ok(
      running.activeElements.some((e) => e.elementId === 'checks'),
      'the ad-hoc sub-process waits',
    )
    t.equal(
      running.activeElements.filter((e) => e.elementId === 'checks#innerInstance').length,
      2,
      'one per activation',
    )

    await engine.completeJob(fraud!.key, { result: 'fraud ok', fraudScore: 3 })
    t.equal((await instanceState(engine, ref.processInstanceKey)).state, 'ACTIVE', 'income is still running')
    // A sequence flow inside builds a structured sequence: report runs after income, in the same activation.
    await engine.completeJob(income!.key, { incomeChecked: true })
    const [report] = await jobsOf(engine, 'report', 1)
    t.equal(report!.variables['incomeChecked'], true, 'the activation sees what its earlier activity wrote')
    await engine.completeJob(report!.key, { result: 'income ok' })

    // "completed after all activated elements are completed" (no completionCondition); then the outgoing flow.
    const [after] = await jobsOf(engine, 'after', 1)
    t.same(after!.variables['results'], ['fraud ok', 'income ok'], 'outputCollection propagated, in completion order')
    t.same(after!.variables['checkResults'], ['fraud ok', 'income ok'], 'output mappings read it')
    // "Variables written by its activated activities stay local to each activation."
    for (const name of ['fraudScore', 'incomeChecked', 'result', 'adHocSubProcessElements'])
      t.notOk(name in after!.variables, `${name} is not propagated`)
    await engine.completeJob(after!.key)
    await waitForState(engine, ref.processInstanceKey, 'COMPLETED')
  },
)

t.test(
  'completionCondition true terminates the remaining activations (cancelRemainingInstances default)',
  async (t) => {
    const engine = await createContractEngine(t)
    await engine.deploy([
      {
        name: 'adhoc.bpmn',
        content: model(
          'adhoc-cancel',
          '',
          `<zeebe:adHoc activeElementsCollection="=[&quot;a&quot;, &quot;b&quot;]" outputCollection="results" outputElement="=result" />`,
          `${job('a', 'a')}${job('b', 'b')}`,
          '=some r in results satisfies r = "enough"',
        ),
      },
    ])
    const ref = await engine.createProcessInstance({ bpmnProcessId: 'adhoc-cancel', variables: {} })
    const [a] = await jobsOf(engine, 'a', 1)
    const [b] = await jobsOf(engine, 'b', 1)
    await engine.completeJob(a!.key, { result: 'enough' })
    await activateOne(engine, 'after')
    const view = await instanceState(engine, ref.processInstanceKey)
    t.same(activeIds(view), ['after'], 'b was terminated, the sub-process completed')
    const err = await engine.completeJob(b!.key, { result: 'late' }).catch((e) => e)
    t.equal((err as { code?: string }).code, 'NOT_FOUND', "the terminated activation's job is gone")
  },
)

t.test(
  'cancelRemainingInstances="false" waits for the running activations; the condition is evaluated on each',
  async (t) => {
    const engine = await createContractEngine(t)
    await engine.deploy([
      {
        name: 'adhoc.bpmn',
        content: model(
          'adhoc-wait',
          'cancelRemainingInstances="false"',
          `<zeebe:adHoc activeElementsCollection="=[&quot;a&quot;, &quot;b&quot;]" outputCollection="results" outputElement="=result" />`,
          `${job('a', 'a')}${job('b', 'b')}`,
          '=count(results) >= 1',
        ),
      },
    ])
    const ref = await engine.createProcessInstance({ bpmnProcessId: 'adhoc-wait', variables: {} })
    const [a] = await jobsOf(engine, 'a', 1)
    const [b] = await jobsOf(engine, 'b', 1)
    await engine.completeJob(a!.key, { result: 1 })
    const mid = await instanceState(engine, ref.processInstanceKey)
    t.ok(activeIds(mid).includes('b'), 'b still runs although the condition is met')
    t.notOk(activeIds(mid).includes('after'))
    await engine.completeJob(b!.key, { result: 2 })
    const [after] = await jobsOf(engine, 'after', 1)
    t.same(after!.variables['results'], [1, 2])
  },
)

t.test(
  'an empty list activates nothing and the sub-process stays active; a false condition keeps it active',
  async (t) => {
    const engine = await createContractEngine(t)
    await engine.deploy([
      {
        name: 'e.bpmn',
        content: model('adhoc-empty', '', `<zeebe:adHoc activeElementsCollection="=toRun" />`, job('a', 'a')),
      },
      {
        name: 'f.bpmn',
        content: model(
          'adhoc-false',
          '',
          `<zeebe:adHoc activeElementsCollection="=[&quot;a&quot;]" />`,
          job('a', 'a2'),
          '=false',
        ),
      },
    ])
    const empty = await engine.createProcessInstance({ bpmnProcessId: 'adhoc-empty', variables: { toRun: [] } })
    const view = await instanceState(engine, empty.processInstanceKey)
    t.equal(view.state, 'ACTIVE')
    t.same(activeIds(view), ['checks'])
    const falseCond = await engine.createProcessInstance({ bpmnProcessId: 'adhoc-false', variables: {} })
    const [a] = await jobsOf(engine, 'a2', 1)
    await engine.completeJob(a!.key)
    const after = await instanceState(engine, falseCond.processInstanceKey)
    t.same(activeIds(after), ['checks'], 'the condition is false: it stays active with nothing inside')
  },
)

t.test('a collection that is not a list of inner element ids raises an incident on the sub-process', async (t) => {
  const engine = await createContractEngine(t)
  await engine.deploy([
    {
      name: 'i.bpmn',
      content: model('adhoc-incident', '', `<zeebe:adHoc activeElementsCollection="=toRun" />`, job('a', 'a3')),
    },
  ])
  const notList = await engine.createProcessInstance({ bpmnProcessId: 'adhoc-incident', variables: { toRun: 'a' } })
  const v1 = await instanceState(engine, notList.processInstanceKey)
  t.equal(v1.incidents[0]?.elementId, 'checks')
  t.match(v1.incidents[0]?.errorMessage, /Failed to activate ad-hoc elements/)
  const unknown = await engine.createProcessInstance({
    bpmnProcessId: 'adhoc-incident',
    variables: { toRun: ['nope'] },
  })
  const v2 = await instanceState(engine, unknown.processInstanceKey)
  t.match(v2.incidents[0]?.errorMessage, /but the given elements \[nope\] do not exist/)
  // Resolved without new data, the activation is evaluated again and fails again (a new incident).
  await engine.resolveIncident(v2.incidents[0]!.incidentKey)
  const v3 = await eventually('a new incident', async () => {
    const v = await instanceState(engine, unknown.processInstanceKey)
    return v.incidents.length === 1 && v.incidents[0]!.incidentKey !== v2.incidents[0]!.incidentKey ? v : undefined
  })
  t.match(v3.incidents[0]?.errorMessage, /\[nope\] do not exist/)
})

t.test(
  'an interrupting event sub-process inside terminates the activations and completes the sub-process',
  async (t) => {
    const engine = await createContractEngine(t)
    const esp = `<bpmn:subProcess id="stopAll" triggeredByEvent="true">
      <bpmn:startEvent id="onStop"><bpmn:signalEventDefinition signalRef="stop" /></bpmn:startEvent>
      <bpmn:sequenceFlow id="fs" sourceRef="onStop" targetRef="cleanup" />
      ${job('cleanup', 'cleanup')}
    </bpmn:subProcess>`
    const xml = model(
      'adhoc-esp',
      '',
      `<zeebe:adHoc activeElementsCollection="=[&quot;a&quot;]" />`,
      job('a', 'a4') + esp,
    )
    await engine.deploy([
      {
        name: 'esp.bpmn',
        content: xml.replace('</bpmn:definitions>', '<bpmn:signal id="stop" name="stop-checks" /></bpmn:definitions>'),
      },
    ])
    const ref = await engine.createProcessInstance({ bpmnProcessId: 'adhoc-esp', variables: {} })
    const [a] = await jobsOf(engine, 'a4', 1)
    await engine.broadcastSignal({ signalName: 'stop-checks' })
    await engine.completeJob((await activateOne(engine, 'cleanup')).key)
    await activateOne(engine, 'after')
    t.same(activeIds(await instanceState(engine, ref.processInstanceKey)), ['after'])
    const err = await engine.completeJob(a!.key).catch((e) => e)
    t.equal((err as { code?: string }).code, 'NOT_FOUND', 'the activation was terminated')
  },
)

t.test('deploy: the constraints and the job-worker implementation are refused by name', async (t) => {
  const engine = await createContractEngine(t)
  const xml = `${head}
  <bpmn:process id="adhoc-bad" isExecutable="true">
    <bpmn:startEvent id="start" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="worker" />
    <bpmn:adHocSubProcess id="worker">
      <bpmn:extensionElements><zeebe:taskDefinition /></bpmn:extensionElements>
      ${job('tool', 'tool')}
    </bpmn:adHocSubProcess>
    <bpmn:sequenceFlow id="f2" sourceRef="worker" targetRef="withEvents" />
    <bpmn:adHocSubProcess id="withEvents">
      <bpmn:startEvent id="innerStart" />
      <bpmn:endEvent id="innerEnd" />
    </bpmn:adHocSubProcess>
    <bpmn:sequenceFlow id="f3" sourceRef="withEvents" targetRef="halfOutput" />
    <bpmn:adHocSubProcess id="halfOutput">
      <bpmn:extensionElements><zeebe:adHoc outputCollection="results" /></bpmn:extensionElements>
      ${job('t2', 't2')}
    </bpmn:adHocSubProcess>
    <bpmn:sequenceFlow id="f4" sourceRef="halfOutput" targetRef="empty" />
    <bpmn:adHocSubProcess id="empty" />
  </bpmn:process>
</bpmn:definitions>`
  const err = await engine.deploy([{ name: 'bad.bpmn', content: xml }]).catch((e) => e)
  t.type(err, DeployValidationError)
  const messages = (err as DeployValidationError).problems.map((p) => `${p.elementId}: ${p.message}`)
  t.match(messages, [
    /^worker: Ad-hoc sub-process "worker" needs a zeebe:taskDefinition with a type \(a job worker implementation\)\.$/,
    /^withEvents: Ad-hoc sub-process "withEvents": Must not contain a start event\.$/,
    /^withEvents: Ad-hoc sub-process "withEvents": Must not contain an end event\.$/,
    /^halfOutput: .*OutputElement and OutputCollection must both be set, or neither of them set/,
    /^empty: Ad-hoc sub-process "empty": Must have at least one activity\.$/,
  ])
  t.equal(messages.length, 5, messages.join('\n'))
})
