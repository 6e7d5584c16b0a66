// Contract: an ad-hoc sub-process with a job worker implementation, as Camunda 8.8 documents it:
// https://docs.camunda.io/docs/components/modeler/bpmn/ad-hoc-subprocesses/#job-worker-implementation (a job on
// activation; the worker completes it with a job result of type adHocSubProcess; a new job whenever a flow inside
// completes; one job at a time) and the job result of `POST /v2/jobs/{jobKey}/completion`
// (https://docs.camunda.io/docs/apis-tools/orchestration-cluster-api-rest/specifications/complete-job/:
// activateElements, isCompletionConditionFulfilled, isCancelRemainingInstances).
import t, { type Test } from 'tap'
import { EngineError, type Engine } from '../../src/engine/port.js'
import { activateOne, activeIds, createContractEngine, instanceState, waitForState } from './contract-engine.js'
import { eventually } from '../helpers/eventually.js'

const head = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="d" targetNamespace="http://motcua.test">`

const job = (id: string, type: string): string =>
  `<bpmn:serviceTask id="${id}"><bpmn:extensionElements><zeebe:taskDefinition type="${type}" /></bpmn:extensionElements></bpmn:serviceTask>`

/** start → ad-hoc sub-process "agent" (job type "agent") with the tasks fraud, income → report → after → end. */
function model(id: string, adHocExt = '', extraInner = ''): string {
  return `${head}
  <bpmn:process id="${id}" isExecutable="true">
    <bpmn:startEvent id="start" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="agent" />
    <bpmn:adHocSubProcess id="agent">
      <bpmn:extensionElements><zeebe:taskDefinition type="agent" retries="2" />${adHocExt}</bpmn:extensionElements>
      ${job('fraud', 'fraud')}${job('income', 'income')}
      <bpmn:sequenceFlow id="fi" sourceRef="income" targetRef="report" />
      ${job('report', 'report')}${extraInner}
    </bpmn:adHocSubProcess>
    <bpmn:sequenceFlow id="f2" sourceRef="agent" targetRef="after" />
    ${job('after', 'after')}
    <bpmn:sequenceFlow id="f3" sourceRef="after" targetRef="end" />
    <bpmn:endEvent id="end" />
  </bpmn:process>
</bpmn:definitions>`
}

async function start(t: Test, ext = '', extraInner = ''): Promise<{ engine: Engine; key: string }> {
  const engine = await createContractEngine(t)
  const content = model('agent-process', ext, extraInner).replace(
    '</bpmn:definitions>',
    '<bpmn:signal id="note" name="note" /><bpmn:signal id="stop" name="stop" /></bpmn:definitions>',
  )
  await engine.deploy([{ name: 'agent.bpmn', content }])
  const ref = await engine.createProcessInstance({ bpmnProcessId: 'agent-process', variables: { dossier: 'HS-1' } })
  return { engine, key: ref.processInstanceKey }
}

t.test(
  'a job on activation; its result activates elements with local variables; a new job after each flow',
  async (t) => {
    const { engine, key } = await start(t, '<zeebe:adHoc outputCollection="results" outputElement="=result" />')
    // "Zeebe creates a corresponding job and waits for its completion"; adHocSubProcessElements tells the worker what
    // it can activate.
    const first = await activateOne(engine, 'agent')
    t.equal(first.elementId, 'agent')
    t.equal(first.retries, 2)
    const meta = first.variables['adHocSubProcessElements'] as Array<{ elementId: string }>
    t.same(meta.map((m) => m.elementId).sort(), ['fraud', 'income'])
    t.notOk(
      activeIds(await instanceState(engine, key)).some((id) => ['fraud', 'income', 'report'].includes(id)),
      'nothing inside runs before the worker decides',
    )

    await engine.completeJob(
      first.key,
      { plan: 'both' },
      {
        type: 'adHocSubProcess',
        activateElements: [{ elementId: 'fraud', variables: { threshold: 5 } }, { elementId: 'income' }],
      },
    )
    const fraud = await activateOne(engine, 'fraud')
    t.equal(fraud.variables['threshold'], 5, 'the activation variables are visible to the element')
    t.equal(fraud.variables['plan'], 'both', 'the job variables went to the process')
    const income = await activateOne(engine, 'income')
    t.notOk('threshold' in income.variables, 'local to the activation that carried them')
    t.same((await activateOneOrNone(engine, 'agent')).length, 0, 'no job while nothing inside completed')

    // "When any of the flows inside the ad-hoc sub-process completes, Zeebe creates a new job".
    await engine.completeJob(fraud.key, { result: 'fraud ok' })
    const second = await activateOne(engine, 'agent')
    t.same(second.variables['results'], ['fraud ok'], 'the output collection before the worker decides')
    // income → report is one flow: income completing does not end it. When report completes, the flow has ended
    // while the second job is still open: the job is created again and the old one is gone.
    await engine.completeJob(income.key, { result: 'income ok' })
    const report = await activateOne(engine, 'report')
    await engine.completeJob(report.key, { result: 'report ok' })
    const third = await activateOne(engine, 'agent')
    t.not(third.key, second.key)
    const stale = await engine.completeJob(second.key).catch((e: unknown) => e)
    t.ok(stale instanceof EngineError && stale.code === 'NOT_FOUND', 'completing the replaced job: NOT_FOUND')

    // Fulfilling the completion condition with nothing running completes the sub-process; the output collection
    // goes to the parent scope.
    await engine.completeJob(third.key, {}, { type: 'adHocSubProcess', isCompletionConditionFulfilled: true })
    const after = await activateOne(engine, 'after')
    t.same(after.variables['results'], ['fraud ok', 'report ok'])
    await engine.completeJob(after.key)
    await waitForState(engine, key, 'COMPLETED')
  },
)

async function activateOneOrNone(engine: Engine, type: string) {
  return engine.activateJobs({ type, worker: 't', maxJobsToActivate: 1, timeoutMs: 30_000 })
}

t.test(
  'fulfilled with isCancelRemainingInstances: what still runs is canceled and the sub-process completes',
  async (t) => {
    const { engine, key } = await start(t)
    const first = await activateOne(engine, 'agent')
    await engine.completeJob(
      first.key,
      {},
      {
        type: 'adHocSubProcess',
        activateElements: [{ elementId: 'fraud' }, { elementId: 'income' }],
      },
    )
    const fraud = await activateOne(engine, 'fraud')
    await activateOne(engine, 'income')
    await engine.completeJob(fraud.key)
    const second = await activateOne(engine, 'agent')
    await engine.completeJob(
      second.key,
      {},
      {
        type: 'adHocSubProcess',
        isCompletionConditionFulfilled: true,
        isCancelRemainingInstances: true,
      },
    )
    await activateOne(engine, 'after')
    t.same(activeIds(await instanceState(engine, key)), ['after'], 'income was canceled')
  },
)

t.test('fulfilled without canceling: the sub-process waits for what still runs, with no new job', async (t) => {
  const { engine, key } = await start(t)
  const first = await activateOne(engine, 'agent')
  await engine.completeJob(first.key, {}, { type: 'adHocSubProcess', activateElements: [{ elementId: 'fraud' }] })
  await engine.completeJob((await activateOne(engine, 'fraud')).key)
  const second = await activateOne(engine, 'agent')
  // An element may be activated again.
  await engine.completeJob(
    second.key,
    {},
    {
      type: 'adHocSubProcess',
      activateElements: [{ elementId: 'income' }, { elementId: 'fraud' }],
    },
  )
  const fraud2 = await activateOne(engine, 'fraud')
  await engine.completeJob((await activateOne(engine, 'income')).key)
  await engine.completeJob((await activateOne(engine, 'report')).key)
  const third = await activateOne(engine, 'agent')
  await engine.completeJob(third.key, {}, { type: 'adHocSubProcess', isCompletionConditionFulfilled: true })
  const waiting = activeIds(await instanceState(engine, key))
  t.ok(waiting.includes('fraud') && waiting.includes('agent'), 'fraud still runs; the sub-process waits for it')
  await engine.completeJob(fraud2.key)
  await activateOne(engine, 'after')
  t.same((await activateOneOrNone(engine, 'agent')).length, 0, 'no job once the condition is fulfilled')
})

t.test('a result naming an unknown element, or activating while fulfilling, is refused; nothing changes', async (t) => {
  const { engine, key } = await start(t)
  const first = await activateOne(engine, 'agent')
  const unknown = await engine
    .completeJob(first.key, {}, { type: 'adHocSubProcess', activateElements: [{ elementId: 'nope' }] })
    .catch((e: unknown) => e)
  t.ok(unknown instanceof EngineError && unknown.code === 'INVALID_ARGUMENT')
  t.match((unknown as Error).message, /the given elements \[nope\] do not exist/)
  const both = await engine
    .completeJob(
      first.key,
      {},
      {
        type: 'adHocSubProcess',
        activateElements: [{ elementId: 'fraud' }],
        isCompletionConditionFulfilled: true,
      },
    )
    .catch((e: unknown) => e)
  t.ok(both instanceof EngineError && both.code === 'INVALID_ARGUMENT')
  t.notOk(activeIds(await instanceState(engine, key)).includes('fraud'), 'nothing was activated')
  // The job is still there and can be completed properly.
  await engine.completeJob(first.key, {}, { type: 'adHocSubProcess', isCompletionConditionFulfilled: true })
  await activateOne(engine, 'after')
  t.equal((await instanceState(engine, key)).state, 'ACTIVE')
})

t.test('failing the job without retries raises an incident on the sub-process', async (t) => {
  const { engine, key } = await start(t)
  const first = await activateOne(engine, 'agent')
  await engine.failJob(first.key, { retries: 0, errorMessage: 'model unavailable' })
  const inc = await eventually('an incident', async () => (await engine.getProcessInstance(key))?.incidents[0])
  t.equal(inc.elementId, 'agent')
})

t.test(
  'event sub-processes: a non-interrupting one hands control back (a new job); an interrupting one completes',
  async (t) => {
    // "When an event sub-process finishes, it triggers the job worker again"; "An interrupting event sub-process …
    // cancels all active elements and completes the ad-hoc sub-process without waiting for the job worker".
    const esp = (id: string, signal: string, interrupting: boolean, type: string): string =>
      `<bpmn:subProcess id="${id}" triggeredByEvent="true">
      <bpmn:startEvent id="${id}Start" isInterrupting="${interrupting}"><bpmn:signalEventDefinition signalRef="${signal}" /></bpmn:startEvent>
      <bpmn:sequenceFlow id="${id}F" sourceRef="${id}Start" targetRef="${id}Task" />
      ${job(`${id}Task`, type)}
    </bpmn:subProcess>`
    const { engine, key } = await start(
      t,
      '',
      esp('onNote', 'note', false, 'note') + esp('onStop', 'stop', true, 'stop'),
    )
    const first = await activateOne(engine, 'agent')
    await engine.completeJob(first.key, {}, { type: 'adHocSubProcess', activateElements: [{ elementId: 'fraud' }] })
    const fraud = await activateOne(engine, 'fraud')
    await engine.broadcastSignal({ signalName: 'note' })
    await engine.completeJob((await activateOne(engine, 'note')).key)
    const second = await activateOne(engine, 'agent')
    t.not(second.key, first.key, 'the non-interrupting event sub-process ended: a new job')
    await engine.broadcastSignal({ signalName: 'stop' })
    await engine.completeJob((await activateOne(engine, 'stop')).key)
    await activateOne(engine, 'after')
    t.same(activeIds(await instanceState(engine, key)), ['after'], 'completed without the worker; fraud canceled')
    const gone = await engine.completeJob(fraud.key).catch((e: unknown) => e)
    t.ok(gone instanceof EngineError && gone.code === 'NOT_FOUND')
    const stale = await engine.completeJob(second.key).catch((e: unknown) => e)
    t.ok(stale instanceof EngineError && stale.code === 'NOT_FOUND', 'the open job went with the sub-process')
  },
)
