// Job completions requested together (one event-loop turn) share one step; each caller still gets its
// own answer when some of them cannot complete.
import t from 'tap'
import { createEmbeddedEngine, deployFixtures, waitForState } from './contract-engine.js'
import { eventually } from '../helpers/eventually.js'

t.test(
  'given jobs completed in one turn, when some cannot complete, then the others complete and each caller gets its own answer',
  async (t) => {
    const engine = await createEmbeddedEngine(t)
    await deployFixtures(engine, 'one-task.bpmn')
    await Promise.all(
      [1, 2, 3, 4].map((i) => engine.createProcessInstance({ bpmnProcessId: 'one-task', variables: { i } })),
    )
    const jobs = await eventually('four work jobs', async () => {
      const got = await engine.activateJobs({ type: 'work', worker: 'test', maxJobsToActivate: 10, timeoutMs: 60_000 })
      return got.length === 4 ? got : undefined
    })
    const [ok1, incident, ok2, done] = jobs
    await engine.failJob(incident!.key, { retries: 0, errorMessage: 'broken' })
    await engine.completeJob(done!.key)
    const results = await Promise.allSettled([
      engine.completeJob(ok1!.key, { a: 1 }),
      engine.completeJob(incident!.key),
      engine.completeJob(ok2!.key, { b: 2 }),
      engine.completeJob(done!.key),
      engine.completeJob('999999999'),
    ])
    t.same(
      results.map((r) => (r.status === 'fulfilled' ? 'ok' : (r.reason as { code?: string }).code)),
      ['ok', 'INVALID_STATE', 'ok', 'NOT_FOUND', 'NOT_FOUND'],
    )
    t.equal((await waitForState(engine, ok1!.processInstanceKey, 'COMPLETED')).variables['a'], 1)
    t.equal((await waitForState(engine, ok2!.processInstanceKey, 'COMPLETED')).variables['b'], 2)
    t.equal(
      (await engine.getProcessInstance(incident!.processInstanceKey))!.state,
      'ACTIVE',
      'the job with an incident stays',
    )
  },
)

t.test('given many jobs completed in one turn, then all instances complete once', async (t) => {
  const engine = await createEmbeddedEngine(t)
  await deployFixtures(engine, 'one-task.bpmn')
  const n = 150
  const events: string[] = []
  engine.onEvent((e) => {
    if (e.type === 'instance.completed') events.push(e.processInstanceKey)
  })
  for (let i = 0; i < n; i++) await engine.createProcessInstance({ bpmnProcessId: 'one-task', variables: { i } })
  const jobs = await engine.activateJobs({ type: 'work', worker: 'test', maxJobsToActivate: n, timeoutMs: 60_000 })
  t.equal(jobs.length, n)
  await Promise.all(jobs.map((j) => engine.completeJob(j.key, { done: j.key })))
  await eventually('all completion events', async () => events.length >= n, 10_000)
  t.equal(new Set(events).size, n, 'each instance completed once')
  t.equal(events.length, n)
})
