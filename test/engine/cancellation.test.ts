// Contract: cancelling an instance terminates every element, job, timer, subscription and user task.
import t from 'tap'
import { activateOne, createContractEngine, deployFixtures, recordEvents, waitForState } from './contract-engine.js'
import { eventually } from '../helpers/eventually.js'

t.test('given a waiting instance, when it is cancelled, then all its work is gone and events say so', async (t) => {
  const engine = await createContractEngine(t)
  await deployFixtures(engine, 'gateways.bpmn', 'user-task.bpmn')
  const events = recordEvents(engine)
  const ref = await engine.createProcessInstance({ bpmnProcessId: 'gateways', variables: { amount: 500 } })
  const a = await activateOne(engine, 'a')
  await engine.cancelProcessInstance(ref.processInstanceKey)
  const view = await waitForState(engine, ref.processInstanceKey, 'TERMINATED')
  t.same(view.activeElements, [])
  await t.rejects(engine.completeJob(a.key), { code: 'NOT_FOUND' })
  t.same(await engine.activateJobs({ type: 'b', worker: 't', maxJobsToActivate: 5, timeoutMs: 1000 }), [])
  await t.rejects(engine.cancelProcessInstance(ref.processInstanceKey), { code: 'NOT_FOUND' })

  const ut = await engine.createProcessInstance({
    bpmnProcessId: 'user-task',
    variables: { officer: 'x', reviewDueDate: '2040-01-01T00:00:00Z' },
  })
  await engine.cancelProcessInstance(ut.processInstanceKey)
  const [task] = await engine.searchUserTasks({ processInstanceKey: ut.processInstanceKey })
  t.equal(task!.state, 'CANCELED')
  await eventually('the instance.terminated event', async () =>
    events.some((e) => e.type === 'instance.terminated' && e.processInstanceKey === ut.processInstanceKey),
  )
  t.ok(events.some((e) => e.type === 'userTask.canceled'))
  t.ok(events.some((e) => e.type === 'element.terminated' && e.elementId === 'a'))
})
