// Contract: BPMN errors from jobs and error end events are caught by the nearest matching boundary or
// error event sub-process (exact code before catch-all); uncaught errors raise incidents.
import t from 'tap'
import {
  activateOne,
  activeIds,
  createContractEngine,
  deployFixtures,
  instanceState,
  waitForState,
} from './contract-engine.js'
import { eventually } from '../helpers/eventually.js'

t.test(
  'a job error with a code caught by the task boundary takes the boundary flow, with the error variables',
  async (t) => {
    const engine = await createContractEngine(t)
    await deployFixtures(engine, 'errors.bpmn')
    const ref = await engine.createProcessInstance({ bpmnProcessId: 'errors' })
    const job = await activateOne(engine, 'check')
    await engine.throwJobError(job.key, {
      errorCode: 'REJECT',
      errorMessage: 'thiếu giấy tờ',
      variables: { reason: 'missing ID' },
    })
    const done = await waitForState(engine, ref.processInstanceKey, 'COMPLETED')
    t.equal(done.variables['reason'], 'missing ID')
    await t.rejects(engine.completeJob(job.key), { code: 'NOT_FOUND' }, 'the job is gone')
  },
)

t.test('an error end event inside a sub-process is caught by the boundary on the sub-process', async (t) => {
  const engine = await createContractEngine(t)
  await deployFixtures(engine, 'errors.bpmn')
  const ref = await engine.createProcessInstance({ bpmnProcessId: 'errors', variables: { missing: true } })
  await engine.completeJob((await activateOne(engine, 'check')).key)
  await engine.completeJob((await activateOne(engine, 'verify')).key)
  const ask = await activateOne(engine, 'ask')
  t.same(activeIds(await instanceState(engine, ref.processInstanceKey)), ['askSupplement'])
  await engine.completeJob(ask.key)
  await waitForState(engine, ref.processInstanceKey, 'COMPLETED')
})

t.test('an error code no boundary knows is caught by the catch-all error event sub-process', async (t) => {
  const engine = await createContractEngine(t)
  await deployFixtures(engine, 'errors.bpmn')
  const ref = await engine.createProcessInstance({ bpmnProcessId: 'errors' })
  await engine.completeJob((await activateOne(engine, 'check')).key)
  await engine.throwJobError((await activateOne(engine, 'verify')).key, { errorCode: 'SOMETHING_ELSE' })
  await waitForState(engine, ref.processInstanceKey, 'COMPLETED')
})

t.test('an uncaught job error raises an incident; after resolving, the job can be worked again', async (t) => {
  const engine = await createContractEngine(t)
  await deployFixtures(engine, 'uncaught-error.bpmn')
  const ref = await engine.createProcessInstance({ bpmnProcessId: 'uncaught-error' })
  const job = await activateOne(engine, 'lonely')
  await engine.throwJobError(job.key, { errorCode: 'NOPE', errorMessage: 'x' })
  const view = await instanceState(engine, ref.processInstanceKey)
  t.equal(view.incidents.length, 1)
  t.equal(view.incidents[0]!.errorType, 'UNHANDLED_ERROR_EVENT')
  t.equal(view.incidents[0]!.jobKey, job.key)
  t.match(view.incidents[0]!.errorMessage, /NOPE/)
  t.same(await engine.activateJobs({ type: 'lonely', worker: 't', maxJobsToActivate: 1, timeoutMs: 1000 }), [])
  await engine.resolveIncident(view.incidents[0]!.incidentKey)
  const again = await activateOne(engine, 'lonely')
  t.equal(again.key, job.key)
  await engine.completeJob(again.key)
  await waitForState(engine, ref.processInstanceKey, 'COMPLETED')
})

// Zeebe's incident for an uncaught error lists the codes of the error catch events in scope, each hosting element's
// codes in descending order, innermost first (CatchEventAnalyzer; the text is Zeebe's, see
// https://docs.camunda.io/docs/components/modeler/bpmn/error-events/#unhandled-errors).
t.test('an uncaught job error: the incident lists the error codes of every catch event in scope', async (t) => {
  const engine = await createContractEngine(t)
  await deployFixtures(engine, 'uncaught-error-codes.bpmn')
  const ref = await engine.createProcessInstance({ bpmnProcessId: 'uncaught-error-codes' })
  const job = await activateOne(engine, 'uncaught-codes')
  await engine.throwJobError(job.key, { errorCode: 'NOPE', errorMessage: 'không có' })
  const view = await instanceState(engine, ref.processInstanceKey)
  t.equal(view.incidents.length, 1)
  t.equal(view.incidents[0]!.errorType, 'UNHANDLED_ERROR_EVENT')
  t.equal(
    view.incidents[0]!.errorMessage,
    "Expected to throw an error event with the code 'NOPE' with message 'không có', but it was not caught. " +
      'Available error events are [B2, B1, A_SUB, P_ERR]',
  )
})

t.test('an uncaught error end event: the incident lists the catch events of the enclosing scopes', async (t) => {
  const engine = await createContractEngine(t)
  await deployFixtures(engine, 'uncaught-error-codes.bpmn')
  const ref = await engine.createProcessInstance({
    bpmnProcessId: 'uncaught-error-codes',
    variables: { throwFromEnd: true },
  })
  const view = await eventually('the incident', async () => {
    const state = await instanceState(engine, ref.processInstanceKey)
    return state.incidents.length > 0 ? state : undefined
  })
  t.equal(view.incidents.length, 1)
  t.equal(view.incidents[0]!.errorType, 'UNHANDLED_ERROR_EVENT')
  t.equal(
    view.incidents[0]!.errorMessage,
    "Expected to throw an error event with the code 'END_X', but it was not caught. " +
      'Available error events are [A_SUB, P_ERR]',
  )
})

t.test('an uncaught error with no catch event in scope says so, in Zeebe words', async (t) => {
  const engine = await createContractEngine(t)
  await deployFixtures(engine, 'uncaught-error.bpmn')
  const ref = await engine.createProcessInstance({ bpmnProcessId: 'uncaught-error' })
  await engine.throwJobError((await activateOne(engine, 'lonely')).key, { errorCode: 'NOPE' })
  const view = await instanceState(engine, ref.processInstanceKey)
  t.equal(
    view.incidents[0]!.errorMessage,
    "Expected to throw an error event with the code 'NOPE', but it was not caught. " +
      'No error events are available in the scope.',
  )
})
