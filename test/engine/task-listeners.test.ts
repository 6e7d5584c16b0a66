// Contract: user task listeners (zeebe:taskListeners) on Camunda user tasks, as Zeebe 8.8 documents them
// (https://docs.camunda.io/docs/components/concepts/user-task-listeners/): each listener is a job that blocks the
// task's lifecycle transition until it completes, listeners of one event type run in model order, the job's headers
// carry the task's data, the job's result may correct the task or deny the transition (the task stays as it was and the
// request is rejected with Zeebe's message), and a listener job out of retries is an incident on the user task.
import t from 'tap'
import { activateOne, createContractEngine, deployFixtures, fixture, recordEvents } from './contract-engine.js'
import { eventually } from '../helpers/eventually.js'
import { DeployValidationError, EngineError, type Engine, type UserTask } from '../../src/engine/port.js'

const doc = 'https://docs.camunda.io/docs/components/concepts/user-task-listeners/'

const none = async (engine: Engine, type: string) =>
  (await engine.activateJobs({ type, worker: 'test', maxJobsToActivate: 5, timeoutMs: 1000 })).length === 0

async function taskOf(engine: Engine, pik: string, state?: UserTask['state']): Promise<UserTask> {
  return eventually(`the user task of ${pik}${state ? ` in ${state}` : ''}`, async () => {
    const [task] = await engine.searchUserTasks({ processInstanceKey: pik })
    return task && (!state || task.state === state) ? task : undefined
  })
}

/** Starts an instance of task-listeners.bpmn and lets its creating listener through; returns the created task. */
async function createdTask(engine: Engine, variables: Record<string, unknown> = {}) {
  const ref = await engine.createProcessInstance({
    bpmnProcessId: 'task-listeners',
    variables: { groups: ['mot-cua'], auditKind: 'audit', ...variables },
  })
  const create = await activateOne(engine, 'tl.create')
  await engine.completeJob(create.key)
  return { ref, task: await taskOf(engine, ref.processInstanceKey, 'CREATED') }
}

t.test(`creating listeners run before the task is created; their corrections shape it (${doc})`, async (t) => {
  const engine = await createContractEngine(t)
  const events = recordEvents(engine)
  await deployFixtures(engine, 'task-listeners.bpmn')
  const ref = await engine.createProcessInstance({
    bpmnProcessId: 'task-listeners',
    variables: { groups: ['mot-cua'], auditKind: 'audit' },
  })
  const create = await activateOne(engine, 'tl.create')
  t.equal(create.elementId, 'review')
  t.equal(create.retries, 1)
  const creating = await taskOf(engine, ref.processInstanceKey)
  t.equal(creating.state, 'CREATING', 'the task waits in CREATING')
  t.match(create.customHeaders, {
    step: 'review',
    'io.camunda.zeebe:userTaskKey': creating.userTaskKey,
    'io.camunda.zeebe:candidateGroups': '["mot-cua"]',
    'io.camunda.zeebe:priority': '40',
    'io.camunda.zeebe:action': '',
  })
  t.notOk(
    events.some((e) => e.type === 'userTask.created'),
    'no created event while the creating listener runs',
  )
  await t.rejects(
    engine.completeJob(create.key, undefined, { denied: true, deniedReason: 'no' }),
    { code: 'INVALID_ARGUMENT' },
    'a creating listener cannot deny',
  )
  await engine.completeJob(create.key, undefined, {
    corrections: { priority: 80, candidateGroups: ['phong-tu-phap'], dueDate: '2030-01-05T00:00:00Z' },
  })
  const task = await taskOf(engine, ref.processInstanceKey, 'CREATED')
  t.equal(task.priority, 80)
  t.same(task.candidateGroups, ['phong-tu-phap'])
  t.same(task.dueDate, new Date('2030-01-05T00:00:00Z'))
  const created = await eventually('the created event', async () => events.find((e) => e.type === 'userTask.created'))
  t.match(created, { userTask: { priority: 80, candidateGroups: ['phong-tu-phap'] } })
})

t.test(`completing listeners block the completion, one after the other (${doc})`, async (t) => {
  const engine = await createContractEngine(t)
  await deployFixtures(engine, 'task-listeners.bpmn')
  const { ref, task } = await createdTask(engine)
  let answered = false
  const completion = engine.completeUserTask(task.userTaskKey, { approved: true }).finally(() => {
    answered = true
  })
  const validate = await activateOne(engine, 'tl.validate')
  t.match(validate.customHeaders, { 'io.camunda.zeebe:action': 'complete' })
  t.equal((await taskOf(engine, ref.processInstanceKey)).state, 'COMPLETING')
  t.ok(await none(engine, 'tl.audit'), 'the second listener waits for the first')
  await t.rejects(
    engine.completeJob(validate.key, { x: 1 }),
    { code: 'INVALID_ARGUMENT' },
    'a task listener job completes without variables',
  )
  await engine.completeJob(validate.key, undefined, { corrections: { priority: 90 } })
  const audit = await activateOne(engine, 'tl.audit')
  t.match(
    audit.customHeaders,
    { 'io.camunda.zeebe:priority': '90', 'io.camunda.zeebe:changedAttributes': '["priority"]' },
    'the next listener sees the corrected task',
  )
  t.notOk(answered, 'the completion request is not answered while listeners run')
  t.notOk('approved' in (await engine.getProcessInstance(ref.processInstanceKey))!.variables)
  await engine.completeJob(audit.key)
  await completion
  const done = await engine.getProcessInstance(ref.processInstanceKey)
  t.equal(done?.state, 'COMPLETED')
  t.equal(done?.variables['approved'], true, 'the completion variables are applied once the listeners are done')
  const final = (await engine.getUserTask(task.userTaskKey))!
  t.equal(final.state, 'COMPLETED')
  t.equal(final.priority, 90)
})

t.test(
  `a completing listener that denies: the task stays as it was and the request is rejected (${doc})`,
  async (t) => {
    const engine = await createContractEngine(t)
    await deployFixtures(engine, 'task-listeners.bpmn')
    const { ref, task } = await createdTask(engine)
    const completion = engine.completeUserTask(task.userTaskKey, { approved: true }).catch((e: unknown) => e)
    const validate = await activateOne(engine, 'tl.validate')
    await engine.completeJob(validate.key, undefined, { corrections: { priority: 99 } })
    const audit = await activateOne(engine, 'tl.audit')
    await engine.completeJob(audit.key, undefined, { denied: true, deniedReason: 'Thiếu chữ ký' })
    const err = (await completion) as EngineError
    t.type(err, EngineError)
    t.equal(err.code, 'DENIED')
    t.equal(
      err.message,
      `Completion of the User Task with key '${task.userTaskKey}' was denied by Task Listener. Reason to deny: 'Thiếu chữ ký'`,
    )
    const after = (await engine.getUserTask(task.userTaskKey))!
    t.equal(after.state, 'CREATED')
    t.equal(after.priority, 40, 'the corrections of the denied transition are dropped')
    const view = (await engine.getProcessInstance(ref.processInstanceKey))!
    t.equal(view.state, 'ACTIVE')
    t.notOk('approved' in view.variables, 'the completion variables are discarded')

    // Completing again runs the listeners from the first.
    const again = engine.completeUserTask(task.userTaskKey, { approved: false })
    await engine.completeJob((await activateOne(engine, 'tl.validate')).key)
    await engine.completeJob((await activateOne(engine, 'tl.audit')).key)
    await again
    t.equal((await engine.getProcessInstance(ref.processInstanceKey))?.state, 'COMPLETED')
  },
)

t.test(`assigning listeners: corrections change the assignee, a denial keeps the old one (${doc})`, async (t) => {
  const engine = await createContractEngine(t)
  const events = recordEvents(engine)
  await deployFixtures(engine, 'task-listeners.bpmn')
  const { task } = await createdTask(engine)

  const assigning = engine.assignUserTask(task.userTaskKey, 'can-bo-a')
  const first = await activateOne(engine, 'tl.assign')
  t.match(first.customHeaders, { 'io.camunda.zeebe:assignee': 'can-bo-a', 'io.camunda.zeebe:action': 'assign' })
  t.equal((await engine.getUserTask(task.userTaskKey))?.state, 'ASSIGNING')
  t.notOk((await engine.getUserTask(task.userTaskKey))?.assignee, 'not assigned while the listener runs')
  await engine.completeJob(first.key, undefined, { corrections: { assignee: 'can-bo-b' } })
  await assigning
  t.equal((await engine.getUserTask(task.userTaskKey))?.assignee, 'can-bo-b', 'the corrected assignee')
  t.match(
    events.filter((e) => e.type === 'userTask.assigned'),
    [{ userTask: { assignee: 'can-bo-b' } }],
  )

  const denied = engine.assignUserTask(task.userTaskKey, 'can-bo-c', { allowOverride: true }).catch((e: unknown) => e)
  await engine.completeJob((await activateOne(engine, 'tl.assign')).key, undefined, {
    denied: true,
    deniedReason: 'không cùng đơn vị',
  })
  t.match(await denied, {
    code: 'DENIED',
    message: `Assignment of the User Task with key '${task.userTaskKey}' was denied by Task Listener. Reason to deny: 'không cùng đơn vị'`,
  })
  const after = (await engine.getUserTask(task.userTaskKey))!
  t.equal(after.assignee, 'can-bo-b', 'the assignee stays')
  t.equal(after.state, 'CREATED')
})

t.test(
  `a task created with an assignee is created, then assigned through its assigning listeners (${doc})`,
  async (t) => {
    const engine = await createContractEngine(t)
    const events = recordEvents(engine)
    await deployFixtures(engine, 'task-listeners-assignee.bpmn')
    const ref = await engine.createProcessInstance({ bpmnProcessId: 'task-listeners-assignee' })
    const assign = await activateOne(engine, 'tl.assign')
    t.equal(assign.customHeaders['io.camunda.zeebe:assignee'], 'lanh-dao')
    const created = events.find((e) => e.type === 'userTask.created')
    t.ok(created, 'created before the assignment')
    t.notOk(created && 'userTask' in created && created.userTask.assignee)
    await engine.completeJob(assign.key)
    const task = await eventually('the assigned task', async () => {
      const [u] = await engine.searchUserTasks({ processInstanceKey: ref.processInstanceKey, assignee: 'lanh-dao' })
      return u
    })
    t.equal(task.state, 'CREATED')
  },
)

t.test(`a listener job out of retries is an incident on the user task (${doc})`, async (t) => {
  const engine = await createContractEngine(t)
  await deployFixtures(engine, 'task-listeners.bpmn')
  const { ref, task } = await createdTask(engine)
  const completion = engine.completeUserTask(task.userTaskKey)
  const validate = await activateOne(engine, 'tl.validate')
  await t.rejects(
    engine.throwJobError(validate.key, { errorCode: 'X' }),
    { code: 'INVALID_STATE' },
    'a BPMN error from a task listener job is not supported',
  )
  await engine.failJob(validate.key, { retries: 0, errorMessage: 'kho dữ liệu không phản hồi' })
  const view = await eventually('the incident', async () => {
    const v = await engine.getProcessInstance(ref.processInstanceKey)
    return v?.incidents.length ? v : undefined
  })
  t.match(view.incidents, [{ elementId: 'review', errorType: 'TASK_LISTENER_NO_RETRIES', jobKey: validate.key }])
  t.equal((await engine.getUserTask(task.userTaskKey))?.state, 'COMPLETING')
  await engine.updateJobRetries(validate.key, 1)
  await engine.resolveIncident(view.incidents[0]!.incidentKey)
  const again = await activateOne(engine, 'tl.validate')
  t.equal(again.key, validate.key, 'the same listener job')
  await engine.completeJob(again.key)
  await engine.completeJob((await activateOne(engine, 'tl.audit')).key)
  await completion
  t.equal((await engine.getProcessInstance(ref.processInstanceKey))?.state, 'COMPLETED')
})

t.test('task listeners need a Camunda user task: refused at deploy on a job-based one', async (t) => {
  const engine = await createContractEngine(t)
  const xml = fixture('task-listeners.bpmn').content.replace('<zeebe:userTask />', '')
  const err = (await engine
    .deploy([{ name: 'job-based.bpmn', content: xml }])
    .catch((e: unknown) => e)) as DeployValidationError
  t.type(err, DeployValidationError)
  t.match(
    err.problems.map((p) => `${p.elementId}: ${p.message}`),
    ['review: User task listeners on "review" need a Camunda user task (zeebe:userTask).'],
  )
})

t.test('canceling listeners are refused at deploy: the embedded termination cannot wait for them', async (t) => {
  const engine = await createContractEngine(t)
  const xml = fixture('task-listeners.bpmn').content.replace(
    '</zeebe:taskListeners>',
    '<zeebe:taskListener eventType="canceling" type="tl.cancel" /></zeebe:taskListeners>',
  )
  const err = (await engine
    .deploy([{ name: 'canceling.bpmn', content: xml }])
    .catch((e: unknown) => e)) as DeployValidationError
  t.type(err, DeployValidationError)
  t.match(
    err.problems.map((p) => `${p.elementId}: ${p.message}`),
    ['review: Element "review": a canceling user task listener is not supported by the embedded engine.'],
  )
})
