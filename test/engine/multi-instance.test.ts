// Contract: parallel and sequential multi-instance with input/output collections.
import t from 'tap'
import { createContractEngine, deployFixtures, waitForState } from './contract-engine.js'
import { eventually } from '../helpers/eventually.js'

t.test('a parallel multi-instance task makes one job per item and collects outputs in item order', async (t) => {
  const engine = await createContractEngine(t)
  await deployFixtures(engine, 'multi-instance.bpmn')
  const ref = await engine.createProcessInstance({
    bpmnProcessId: 'multi-instance',
    variables: { departments: ['tư pháp', 'tài chính', 'xây dựng'], reviewers: ['an', 'binh'] },
  })
  const jobs = await eventually('three notify jobs', async () => {
    const j = await engine.activateJobs({ type: 'notify', worker: 't', maxJobsToActivate: 10, timeoutMs: 10_000 })
    return j.length === 3 ? j : undefined
  })
  t.same(jobs.map((j) => [j.variables['dept'], j.variables['loopCounter']]).sort(), [
    ['tài chính', 2],
    ['tư pháp', 1],
    ['xây dựng', 3],
  ])
  for (const j of [...jobs].reverse()) await engine.completeJob(j.key, { receipt: `r-${j.variables['dept']}` })

  // Sequential sub-process: one reviewer at a time, in order.
  for (const reviewer of ['an', 'binh']) {
    const tasks = await eventually('an open user task', async () => {
      const l = await engine.searchUserTasks({ processInstanceKey: ref.processInstanceKey, state: 'CREATED' })
      return l.length ? l : undefined
    })
    t.equal(tasks.length, 1, 'one at a time')
    t.equal(tasks[0]!.assignee, reviewer)
    await engine.completeUserTask(tasks[0]!.userTaskKey, { opinion: `ok from ${reviewer}` })
  }
  const done = await waitForState(engine, ref.processInstanceKey, 'COMPLETED')
  t.same(done.variables['receipts'], ['r-tư pháp', 'r-tài chính', 'r-xây dựng'])
  t.same(done.variables['opinions'], ['ok from an', 'ok from binh'])
  t.notOk('dept' in done.variables, 'the input element stays local to each instance')
})

t.test('an empty input collection completes the multi-instance at once', async (t) => {
  const engine = await createContractEngine(t)
  await deployFixtures(engine, 'multi-instance.bpmn')
  const ref = await engine.createProcessInstance({
    bpmnProcessId: 'multi-instance',
    variables: { departments: [], reviewers: [] },
  })
  const done = await waitForState(engine, ref.processInstanceKey, 'COMPLETED')
  t.same(done.variables['receipts'], [])
})

t.test('an input collection that is not a list raises an incident', async (t) => {
  const engine = await createContractEngine(t)
  await deployFixtures(engine, 'multi-instance.bpmn')
  const ref = await engine.createProcessInstance({ bpmnProcessId: 'multi-instance', variables: { departments: 'all' } })
  const view = await engine.getProcessInstance(ref.processInstanceKey)
  t.equal(view?.incidents[0]?.elementId, 'notifyEach')
})
