// Contract: Zeebe user tasks — created with assignment and schedule, listed, assigned, completed, cancelled.
import t from 'tap'
import { createContractEngine, deployFixtures, recordEvents, waitForState } from './contract-engine.js'
import { eventually } from '../helpers/eventually.js'

const due = '2031-05-02T10:00:00+07:00'

t.test('given a user task, then it is created with assignee, candidates, dates, form and headers', async (t) => {
  const engine = await createContractEngine(t)
  await deployFixtures(engine, 'user-task.bpmn')
  const ref = await engine.createProcessInstance({
    bpmnProcessId: 'user-task',
    variables: { officer: 'chi', reviewDueDate: due },
  })
  const [task] = await eventually('the user task', async () => {
    const l = await engine.searchUserTasks({ processInstanceKey: ref.processInstanceKey })
    return l.length ? l : undefined
  })
  t.equal(task!.name, 'Thẩm định hồ sơ')
  t.equal(task!.elementId, 'review')
  t.equal(task!.state, 'CREATED')
  t.equal(task!.assignee, 'chi')
  t.same(task!.candidateGroups, ['mot-cua', 'phong-tn'])
  t.same(task!.candidateUsers, ['an', 'binh'])
  t.equal(task!.dueDate?.toISOString(), new Date(due).toISOString())
  t.equal(task!.followUpDate?.toISOString(), '2030-01-01T01:00:00.000Z')
  t.equal(task!.formKey, 'camunda-forms:bpmn:review')
  t.same(task!.customHeaders, { step: 'appraise' })
  t.same((await engine.getUserTask(task!.userTaskKey))?.userTaskKey, task!.userTaskKey)
  t.equal((await engine.searchUserTasks({ candidateGroups: ['phong-tn'], state: 'CREATED' })).length, 1)
  t.equal((await engine.searchUserTasks({ candidateGroups: ['other'] })).length, 0)
  t.equal((await engine.searchUserTasks({ assignee: 'chi' })).length, 1)
})

t.test(
  'assigning over an assignee needs allowOverride; unassign clears it; completing moves on with variables',
  async (t) => {
    const engine = await createContractEngine(t)
    await deployFixtures(engine, 'user-task.bpmn')
    const events = recordEvents(engine)
    const ref = await engine.createProcessInstance({
      bpmnProcessId: 'user-task',
      variables: { officer: 'chi', reviewDueDate: due },
    })
    const [task] = await eventually('the user task', async () => {
      const l = await engine.searchUserTasks({ processInstanceKey: ref.processInstanceKey })
      return l.length ? l : undefined
    })
    const key = task!.userTaskKey
    await t.rejects(engine.assignUserTask(key, 'dung'), { name: 'EngineError', code: 'CONFLICT' })
    await engine.assignUserTask(key, 'dung', { allowOverride: true })
    t.equal((await engine.getUserTask(key))?.assignee, 'dung')
    await engine.assignUserTask(key, undefined)
    t.equal((await engine.getUserTask(key))?.assignee, undefined)
    await engine.assignUserTask(key, 'em')
    await engine.completeUserTask(key, { decision: 'approve' })
    const done = await waitForState(engine, ref.processInstanceKey, 'COMPLETED')
    t.equal(done.variables['decision'], 'approve')
    const after = await engine.getUserTask(key)
    t.equal(after?.state, 'COMPLETED')
    t.ok(after?.completionDate)
    await t.rejects(engine.completeUserTask(key), { code: 'INVALID_STATE' })
    await eventually('the userTask.completed event', async () => events.some((e) => e.type === 'userTask.completed'))
    t.same(
      events.filter((e) => e.type.startsWith('userTask.')).map((e) => e.type),
      ['userTask.created', 'userTask.assigned', 'userTask.assigned', 'userTask.assigned', 'userTask.completed'],
    )
  },
)

t.test(
  'given a user task with a boundary timer at its due date, when the date passes, then the task is cancelled',
  async (t) => {
    const engine = await createContractEngine(t)
    await deployFixtures(engine, 'user-task.bpmn')
    const soon = new Date(Date.now() + 400).toISOString()
    const ref = await engine.createProcessInstance({
      bpmnProcessId: 'user-task',
      variables: { officer: 'chi', reviewDueDate: soon },
    })
    const done = await waitForState(engine, ref.processInstanceKey, 'COMPLETED')
    t.ok(done)
    const [task] = await engine.searchUserTasks({ processInstanceKey: ref.processInstanceKey })
    t.equal(task!.state, 'CANCELED')
    await t.rejects(engine.completeUserTask(task!.userTaskKey), { code: 'INVALID_STATE' })
  },
)
