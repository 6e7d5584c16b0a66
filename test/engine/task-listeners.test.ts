// Contract: user task listeners (zeebe:taskListeners) on Camunda user tasks, as Zeebe 8.8 documents them
// (https://docs.camunda.io/docs/components/concepts/user-task-listeners/): each listener is a job that blocks the
// task's lifecycle transition until it completes, listeners of one event type run in model order, the job's headers
// carry the task's data, the job's result may correct the task or deny the transition (the task stays as it was and the
// request is rejected with Zeebe's message), and a listener job out of retries is an incident on the user task.
import t from 'tap'
import {
  activateOne,
  activeIds,
  createContractEngine,
  deployFixtures,
  fixture,
  freshEngineDatabase,
  instanceState,
  recordEvents,
  waitForState,
} from './contract-engine.js'
import { EmbeddedEngine } from '../../src/engine/embedded/index.js'
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

// The update operation is Zeebe 8.8's PATCH /v2/user-tasks/{userTaskKey}
// (https://docs.camunda.io/docs/apis-tools/orchestration-cluster-api-rest/specifications/update-user-task/): null or
// absent keeps a value, '' clears a date, [] clears a list; priority 0–100.
t.test(`updating listeners see the update, may correct it, or deny it (${doc})`, async (t) => {
  const engine = await createContractEngine(t)
  const events = recordEvents(engine)
  await deployFixtures(engine, 'task-listeners.bpmn')
  const { task } = await createdTask(engine)
  const due = '2026-12-31T10:00:00.000Z'
  const updating = engine.updateUserTask(task.userTaskKey, { dueDate: due, priority: 80 }, { action: 'escalate' })
  const update = await activateOne(engine, 'tl.update')
  t.equal((await engine.getUserTask(task.userTaskKey))?.state, 'UPDATING', 'the task waits in UPDATING')
  t.match(update.customHeaders, {
    'io.camunda.zeebe:action': 'escalate',
    'io.camunda.zeebe:dueDate': due,
    'io.camunda.zeebe:priority': '80',
    'io.camunda.zeebe:changedAttributes': '["dueDate","priority"]',
  })
  await engine.completeJob(update.key, undefined, { corrections: { candidateGroups: ['lanh-dao'] } })
  await updating
  const updated = await engine.getUserTask(task.userTaskKey)
  t.match(updated, { state: 'CREATED', dueDate: new Date(due), priority: 80, candidateGroups: ['lanh-dao'] })
  t.ok(
    events.some((e) => e.type === 'userTask.updated'),
    'an updated event once the listeners are done',
  )

  // A denial: the task goes back to what it was, the request is rejected with Zeebe's message.
  const denied = engine.updateUserTask(task.userTaskKey, { dueDate: '', priority: 10, candidateUsers: ['an'] })
  const second = await activateOne(engine, 'tl.update')
  t.equal(second.customHeaders['io.camunda.zeebe:action'], 'update', 'the default action')
  t.notOk('io.camunda.zeebe:dueDate' in second.customHeaders, "'' clears the due date")
  await engine.completeJob(second.key, undefined, { denied: true, deniedReason: 'Hạn do lãnh đạo quyết định' })
  const err = (await denied.catch((e: unknown) => e)) as EngineError
  t.equal(err.code, 'DENIED')
  t.equal(
    err.message,
    `Update of the User Task with key '${task.userTaskKey}' was denied by Task Listener. Reason to deny: 'Hạn do lãnh đạo quyết định'`,
  )
  t.match(await engine.getUserTask(task.userTaskKey), {
    state: 'CREATED',
    dueDate: new Date(due),
    priority: 80,
    candidateUsers: [],
  })

  // Refused as Zeebe refuses them: a priority out of range, an update of a task that is not open.
  await t.rejects(engine.updateUserTask(task.userTaskKey, { priority: 101 }), { code: 'INVALID_ARGUMENT' })
  t.equal((await engine.getUserTask(task.userTaskKey))?.priority, 80, 'the refused update changed nothing')
  t.ok(await none(engine, 'tl.update'), 'and opened no listener job')
  await t.rejects(engine.updateUserTask('999999', { priority: 1 }), { code: 'NOT_FOUND' })
})

t.test('an update without updating listeners applies at once', async (t) => {
  const engine = await createContractEngine(t)
  await deployFixtures(engine, 'task-listeners-assignee.bpmn')
  const ref = await engine.createProcessInstance({ bpmnProcessId: 'task-listeners-assignee' })
  await engine.completeJob((await activateOne(engine, 'tl.assign')).key)
  const task = await taskOf(engine, ref.processInstanceKey, 'CREATED')
  await engine.updateUserTask(task.userTaskKey, {
    followUpDate: '2026-12-24T00:00:00Z',
    candidateUsers: ['an', 'binh'],
  })
  t.match(await engine.getUserTask(task.userTaskKey), {
    followUpDate: new Date('2026-12-24T00:00:00Z'),
    candidateUsers: ['an', 'binh'],
  })
})

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

const cancelDoc = `${doc}#trigger-a-user-task-listener`

/** Starts an instance of task-listeners-canceling.bpmn: its task is CREATED, assigned, waiting. */
async function cancelableTask(engine: Engine, dossierId: string) {
  const ref = await engine.createProcessInstance({
    bpmnProcessId: 'task-listeners-canceling',
    variables: { dossierId, officer: 'can-bo-1', auditKind: 'audit' },
  })
  return { ref, task: await taskOf(engine, ref.processInstanceKey, 'CREATED') }
}

t.test(`canceling the process instance waits for the canceling listeners, in order (${cancelDoc})`, async (t) => {
  const engine = await createContractEngine(t)
  const events = recordEvents(engine)
  await deployFixtures(engine, 'task-listeners-canceling.bpmn')
  const { ref, task } = await cancelableTask(engine, 'C1')
  await engine.cancelProcessInstance(ref.processInstanceKey)
  const notify = await activateOne(engine, 'tl.notify')
  t.equal(notify.elementId, 'review')
  t.equal(notify.retries, 1)
  t.match(notify.customHeaders, {
    step: 'review',
    'io.camunda.zeebe:userTaskKey': task.userTaskKey,
    'io.camunda.zeebe:assignee': 'can-bo-1',
    'io.camunda.zeebe:priority': '40',
    'io.camunda.zeebe:action': '',
  })
  t.equal(notify.variables['dossierId'], 'C1', 'the listener job sees the process variables')
  t.equal((await engine.getUserTask(task.userTaskKey))?.state, 'CANCELING', 'the task waits in CANCELING')
  const waiting = await engine.getProcessInstance(ref.processInstanceKey)
  t.equal(waiting?.state, 'ACTIVE', 'the instance is not terminated while its canceling listeners run')
  t.same(activeIds(waiting!), ['review'])
  t.ok(await none(engine, 'tl.audit'), 'the second listener waits for the first')
  await t.rejects(
    engine.cancelProcessInstance(ref.processInstanceKey),
    { code: 'NOT_FOUND' },
    'an instance being canceled is not canceled twice',
  )
  // https://docs.camunda.io/docs/components/concepts/user-task-listeners/#denying-the-lifecycle-transition
  await t.rejects(
    engine.completeJob(notify.key, undefined, { denied: true, deniedReason: 'không' }),
    { code: 'INVALID_ARGUMENT' },
    'a canceling listener cannot deny',
  )
  await t.rejects(
    engine.completeJob(notify.key, undefined, { corrections: { priority: 90 } }),
    { code: 'INVALID_ARGUMENT' },
    'a canceling listener cannot correct the task',
  )
  await t.rejects(
    engine.completeJob(notify.key, { x: 1 }),
    { code: 'INVALID_ARGUMENT' },
    'a task listener job completes without variables',
  )
  await t.rejects(
    engine.completeUserTask(task.userTaskKey),
    { code: 'INVALID_STATE' },
    'a canceling task cannot be completed',
  )
  t.notOk(
    events.some((e) => e.type === 'userTask.canceled' || e.type === 'instance.terminated'),
    'neither canceled nor terminated yet',
  )
  await engine.completeJob(notify.key)
  const audit = await activateOne(engine, 'tl.audit')
  t.equal((await engine.getUserTask(task.userTaskKey))?.state, 'CANCELING')
  await engine.completeJob(audit.key)
  await waitForState(engine, ref.processInstanceKey, 'TERMINATED')
  t.equal((await engine.getUserTask(task.userTaskKey))?.state, 'CANCELED')
  const kinds = await eventually('the terminated event', async () => {
    const k = events.map((e) => e.type).filter((x) => x === 'userTask.canceled' || x === 'instance.terminated')
    return k.length === 2 ? k : undefined
  })
  t.same(kinds, ['userTask.canceled', 'instance.terminated'], 'the task is canceled, then the instance terminated')
})

t.test(
  `an interrupting boundary event activates once the canceling listeners completed; a pending completion is dropped (${cancelDoc})`,
  async (t) => {
    const engine = await createContractEngine(t)
    await deployFixtures(engine, 'task-listeners-canceling.bpmn')
    const { ref, task } = await cancelableTask(engine, 'C2')
    const completion = engine.completeUserTask(task.userTaskKey, { approved: true }).catch((e: unknown) => e)
    const validate = await activateOne(engine, 'tl.validate')
    t.equal((await engine.getUserTask(task.userTaskKey))?.state, 'COMPLETING')
    await engine.publishMessage({ name: 'withdrawn', correlationKey: 'C2', variables: { reason: 'rút hồ sơ' } })
    const notify = await activateOne(engine, 'tl.notify')
    await t.rejects(engine.completeJob(validate.key), { code: 'NOT_FOUND' }, "the completing listener's job is gone")
    t.match(await completion, { code: 'INVALID_STATE' }, 'the completion request is rejected: the task was canceled')
    let view = await instanceState(engine, ref.processInstanceKey)
    t.same(activeIds(view), ['review'], 'the boundary event is not activated yet')
    t.notOk('reason' in view.variables)
    await engine.completeJob(notify.key)
    await engine.completeJob((await activateOne(engine, 'tl.audit')).key)
    view = await waitForState(engine, ref.processInstanceKey, 'COMPLETED')
    t.equal(view.variables['reason'], 'rút hồ sơ', 'the boundary event took the message variables')
    t.notOk('approved' in view.variables, 'the dropped completion left no variables')
    t.equal((await engine.getUserTask(task.userTaskKey))?.state, 'CANCELED')
  },
)

t.test(
  `a canceling listener out of retries is an incident; the termination resumes after a restart between listener jobs (${cancelDoc})`,
  async (t) => {
    const db = await freshEngineDatabase()
    const start = async () => {
      const e = new EmbeddedEngine(db, { timerPollMs: 50, workerPollMs: 100 })
      await e.start()
      return e
    }
    let engine = await start()
    t.teardown(() => engine.stop())
    await deployFixtures(engine, 'task-listeners-canceling.bpmn')
    const { ref, task } = await cancelableTask(engine, 'C3')
    await engine.cancelProcessInstance(ref.processInstanceKey)
    const notify = await activateOne(engine, 'tl.notify')
    await engine.failJob(notify.key, { retries: 0, errorMessage: 'mail server down' })
    const [incident] = (await instanceState(engine, ref.processInstanceKey)).incidents
    t.match(incident, { elementId: 'review', errorType: 'TASK_LISTENER_NO_RETRIES', errorMessage: 'mail server down' })
    // The engine process stops between the listener jobs; a new one over the same database takes over.
    await engine.stop()
    engine = await start()
    await engine.updateJobRetries(notify.key, 1)
    await engine.resolveIncident(incident!.incidentKey)
    const again = await activateOne(engine, 'tl.notify')
    t.equal(again.key, notify.key, 'resolving the incident retries the same listener job')
    await engine.completeJob(again.key)
    const audit = await activateOne(engine, 'tl.audit')
    await engine.stop()
    engine = await start()
    t.equal((await engine.getUserTask(task.userTaskKey))?.state, 'CANCELING', 'still canceling after the restart')
    t.equal((await instanceState(engine, ref.processInstanceKey)).state, 'ACTIVE')
    await engine.completeJob(audit.key)
    await waitForState(engine, ref.processInstanceKey, 'TERMINATED')
    t.equal((await engine.getUserTask(task.userTaskKey))?.state, 'CANCELED')
  },
)

t.test(
  `an interrupting event sub-process starts once the canceling listeners of every terminated task completed (${cancelDoc})`,
  async (t) => {
    const engine = await createContractEngine(t)
    const events = recordEvents(engine)
    await deployFixtures(engine, 'task-listeners-canceling-esp.bpmn')
    const ref = await engine.createProcessInstance({
      bpmnProcessId: 'task-listeners-canceling-esp',
      variables: { dossierId: 'E1' },
    })
    await eventually('two tasks', async () => {
      const tasks = await engine.searchUserTasks({ processInstanceKey: ref.processInstanceKey, state: 'CREATED' })
      return tasks.length === 2 ? tasks : undefined
    })
    await engine.publishMessage({ name: 'withdrawn-esp', correlationKey: 'E1' })
    const first = await activateOne(engine, 'tl.notify')
    const second = await activateOne(engine, 'tl.notify')
    t.not(first.elementId, second.elementId, 'each terminated task runs its canceling listener')
    await engine.completeJob(first.key)
    const view = await instanceState(engine, ref.processInstanceKey)
    t.same(activeIds(view), [second.elementId], 'the event sub-process waits for the other task')
    t.notOk(
      events.some((e) => e.type === 'element.entered' && e.elementId === 'onWithdrawn'),
      'not entered yet',
    )
    await engine.completeJob(second.key)
    await waitForState(engine, ref.processInstanceKey, 'COMPLETED')
    t.ok(events.some((e) => e.type === 'element.completed' && e.elementId === 'withdrawnEnd'))
  },
)

t.test(
  `a terminate end event: the process completes once the canceling listeners of the task it ended completed (${cancelDoc})`,
  async (t) => {
    const engine = await createContractEngine(t)
    await deployFixtures(engine, 'task-listeners-canceling-esp.bpmn')
    const ref = await engine.createProcessInstance({
      bpmnProcessId: 'task-listeners-canceling-esp',
      variables: { dossierId: 'E2' },
    })
    const check = await eventually('the check task', async () => {
      const tasks = await engine.searchUserTasks({ processInstanceKey: ref.processInstanceKey, state: 'CREATED' })
      return tasks.length === 2 ? tasks.find((x) => x.elementId === 'check') : undefined
    })
    await engine.completeUserTask(check!.userTaskKey)
    const notify = await activateOne(engine, 'tl.notify')
    t.equal(notify.elementId, 'review')
    t.equal((await instanceState(engine, ref.processInstanceKey)).state, 'ACTIVE', 'waits for the listener')
    await engine.completeJob(notify.key)
    await waitForState(engine, ref.processInstanceKey, 'COMPLETED')
  },
)

t.test(
  `a canceled parent instance waits for the canceling listeners of its called process's task (${cancelDoc})`,
  async (t) => {
    const engine = await createContractEngine(t)
    await deployFixtures(engine, 'task-listeners-canceling.bpmn', 'task-listeners-canceling-parent.bpmn')
    const parent = await engine.createProcessInstance({
      bpmnProcessId: 'task-listeners-canceling-parent',
      variables: { dossierId: 'P1', officer: 'can-bo-2', auditKind: 'audit' },
    })
    const task = await eventually('the called process task', async () => {
      const [x] = await engine.searchUserTasks({ elementId: 'review', state: 'CREATED' })
      return x
    })
    await engine.cancelProcessInstance(parent.processInstanceKey)
    await engine.completeJob((await activateOne(engine, 'tl.notify')).key)
    const audit = await activateOne(engine, 'tl.audit')
    t.equal((await instanceState(engine, parent.processInstanceKey)).state, 'ACTIVE', 'the parent waits')
    t.equal((await instanceState(engine, task.processInstanceKey)).state, 'ACTIVE', 'so does the called instance')
    await engine.completeJob(audit.key)
    await waitForState(engine, task.processInstanceKey, 'TERMINATED')
    await waitForState(engine, parent.processInstanceKey, 'TERMINATED')
    t.equal((await engine.getUserTask(task.userTaskKey))?.state, 'CANCELED')
  },
)
