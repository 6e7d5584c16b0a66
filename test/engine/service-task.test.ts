// Contract: a service task creates a job; workers activate it with variables and complete it.
import t from 'tap'
import {
  activateOne,
  createContractEngine,
  deployFixtures,
  instanceState,
  recordEvents,
  waitForState,
} from './contract-engine.js'

t.test(
  'given a one-task process, when the job is completed, then the instance completes with the merged variables',
  async (t) => {
    const engine = await createContractEngine(t)
    await deployFixtures(engine, 'one-task.bpmn')
    const events = recordEvents(engine)
    const ref = await engine.createProcessInstance({ bpmnProcessId: 'one-task', variables: { dossier: 'H21.1', n: 1 } })
    t.equal(ref.version, 1)
    t.match(ref.processInstanceKey, /^\d+$/)

    const job = await activateOne(engine, 'work')
    t.equal(job.elementId, 'work')
    t.equal(job.processInstanceKey, ref.processInstanceKey)
    t.same(job.variables, { dossier: 'H21.1', n: 1 })
    t.same(job.customHeaders, { kind: 'test' })
    t.equal(job.retries, 3)
    t.ok(job.deadline.getTime() > Date.now())
    t.same(
      (await instanceState(engine, ref.processInstanceKey)).activeElements.map((e) => e.elementId),
      ['work'],
    )

    await engine.completeJob(job.key, { n: 2, result: 'ok' })
    const done = await waitForState(engine, ref.processInstanceKey, 'COMPLETED')
    t.same(done.variables, { dossier: 'H21.1', n: 2, result: 'ok' })
    t.same(done.activeElements, [])
    await new Promise((r) => setTimeout(r, 50))
    const types = events
      .filter((e) => e.processInstanceKey === ref.processInstanceKey)
      .map((e) => `${e.type}:${'elementId' in e ? e.elementId : ''}`)
    t.same(types, [
      'element.entered:one-task',
      'element.entered:start',
      'element.completed:start',
      'element.entered:work',
      'element.completed:work',
      'element.entered:end',
      'element.completed:end',
      'element.completed:one-task',
      'instance.completed:',
    ])
  },
)

t.test('given a worker, it receives only the fetched variables and its completion moves the instance on', async (t) => {
  const engine = await createContractEngine(t)
  await deployFixtures(engine, 'one-task.bpmn')
  const seen: unknown[] = []
  engine.createWorker({ type: 'work', fetchVariables: ['a'], maxJobsToActivate: 4 }, async (job) => {
    seen.push(job.variables)
    return job.complete({ handled: true })
  })
  const ref = await engine.createProcessInstance({ bpmnProcessId: 'one-task', variables: { a: 1, b: 2 } })
  const done = await waitForState(engine, ref.processInstanceKey, 'COMPLETED')
  t.same(seen, [{ a: 1 }])
  t.same(done.variables, { a: 1, b: 2, handled: true })
})

t.test('an unknown job key is NOT_FOUND; an unknown process is NOT_FOUND', async (t) => {
  const engine = await createContractEngine(t)
  await t.rejects(engine.completeJob('12345'), { code: 'NOT_FOUND' })
  await t.rejects(engine.createProcessInstance({ bpmnProcessId: 'nope' }), { code: 'NOT_FOUND' })
})
