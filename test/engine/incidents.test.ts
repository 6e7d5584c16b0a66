// Contract: job retries, back-off, incidents when retries run out, operator retry, lock timeout (at-least-once).
import t from 'tap'
import {
  activateOne,
  createContractEngine,
  deployFixtures,
  instanceState,
  recordEvents,
  waitForState,
} from './contract-engine.js'
import { eventually } from '../helpers/eventually.js'

t.test('a failed job with retries left is activatable again after its back-off', async (t) => {
  const engine = await createContractEngine(t)
  await deployFixtures(engine, 'one-task.bpmn')
  await engine.createProcessInstance({ bpmnProcessId: 'one-task' })
  const job = await activateOne(engine, 'work')
  await engine.failJob(job.key, { retries: 2, retryBackOffMs: 400, errorMessage: 'registry down' })
  t.same(
    await engine.activateJobs({ type: 'work', worker: 't', maxJobsToActivate: 1, timeoutMs: 1000 }),
    [],
    'not during the back-off',
  )
  const again = await activateOne(engine, 'work')
  t.equal(again.key, job.key)
  t.equal(again.retries, 2)
})

t.test(
  'a job failed with no retries left raises an incident; updating retries and resolving lets a worker finish it',
  async (t) => {
    const engine = await createContractEngine(t)
    await deployFixtures(engine, 'one-task.bpmn')
    const events = recordEvents(engine)
    const ref = await engine.createProcessInstance({ bpmnProcessId: 'one-task' })
    const job = await activateOne(engine, 'work')
    await engine.failJob(job.key, { retries: 0, errorMessage: 'bad data' })
    const view = await instanceState(engine, ref.processInstanceKey)
    t.equal(view.state, 'ACTIVE')
    t.equal(view.incidents.length, 1)
    t.match(view.incidents[0], {
      errorType: 'JOB_NO_RETRIES',
      errorMessage: 'bad data',
      elementId: 'work',
      jobKey: job.key,
    })
    t.same(await engine.activateJobs({ type: 'work', worker: 't', maxJobsToActivate: 1, timeoutMs: 1000 }), [])
    await t.rejects(engine.completeJob(job.key), { code: 'INVALID_STATE' })

    await engine.updateJobRetries(job.key, 1)
    await engine.resolveIncident(view.incidents[0]!.incidentKey)
    t.same((await instanceState(engine, ref.processInstanceKey)).incidents, [])
    const again = await activateOne(engine, 'work')
    t.equal(again.retries, 1)
    await engine.completeJob(again.key)
    await waitForState(engine, ref.processInstanceKey, 'COMPLETED')
    await eventually('the incident.resolved event', async () => events.some((e) => e.type === 'incident.resolved'))
    t.ok(events.some((e) => e.type === 'incident.created'))
    await t.rejects(engine.resolveIncident(view.incidents[0]!.incidentKey), { code: 'NOT_FOUND' })
  },
)

t.test('when the lock of an activated job expires, another worker gets it (at-least-once)', async (t) => {
  const engine = await createContractEngine(t)
  await deployFixtures(engine, 'one-task.bpmn')
  const ref = await engine.createProcessInstance({ bpmnProcessId: 'one-task' })
  const first = (await engine.activateJobs({ type: 'work', worker: 'slow', maxJobsToActivate: 1, timeoutMs: 300 }))[0]!
  t.same(
    await engine.activateJobs({ type: 'work', worker: 'other', maxJobsToActivate: 1, timeoutMs: 300 }),
    [],
    'locked',
  )
  const second = await activateOne(engine, 'work')
  t.equal(second.key, first.key)
  t.equal(second.worker, 'test')
  await engine.completeJob(second.key)
  await waitForState(engine, ref.processInstanceKey, 'COMPLETED')
  await t.rejects(engine.completeJob(first.key), { code: 'NOT_FOUND' }, 'the late worker finds it done')
})

t.test('a handler that throws fails the job with one retry less', async (t) => {
  const engine = await createContractEngine(t)
  await deployFixtures(engine, 'one-task.bpmn')
  const ref = await engine.createProcessInstance({ bpmnProcessId: 'one-task' })
  let calls = 0
  const worker = engine.createWorker({ type: 'work', pollIntervalMs: 50 }, async (job) => {
    calls++
    if (calls < 3) throw new Error(`attempt ${calls}`)
    return job.complete()
  })
  await waitForState(engine, ref.processInstanceKey, 'COMPLETED')
  await worker.close()
  t.equal(calls, 3)
})
