// Contract: job-based user tasks (a bpmn:userTask without <zeebe:userTask/>). Zeebe 8.8 runs them as a job of type
// io.camunda.zeebe:userTask with one retry, the assignment, schedule and form key in custom headers
// (https://docs.camunda.io/docs/components/modeler/bpmn/user-tasks/#job-worker-implementation); a job worker completes
// the job and the process moves on. The embedded engine also lists the task (with its jobKey) and emits the user
// task events, so motcua's worklist shows it; completing it as a user task ends the job.
import t from 'tap'
import { activateOne, createContractEngine, deployFixtures, recordEvents, waitForState } from './contract-engine.js'
import { eventually } from '../helpers/eventually.js'
import type { Engine } from '../../src/engine/port.js'

const due = '2031-05-02T10:00:00+07:00'
const USER_TASK_JOB = 'io.camunda.zeebe:userTask'

async function started(engine: Engine) {
  const ref = await engine.createProcessInstance({
    bpmnProcessId: 'job-user-task',
    variables: { officer: 'chi', reviewDueDate: due },
  })
  const [task] = await eventually('the job-based user task', async () => {
    const l = await engine.searchUserTasks({ processInstanceKey: ref.processInstanceKey })
    return l.length ? l : undefined
  })
  return { ref, task: task! }
}

t.test(
  'given a job-based user task, then a job of type io.camunda.zeebe:userTask carries its properties in headers',
  async (t) => {
    const engine = await createContractEngine(t)
    await deployFixtures(engine, 'job-user-task.bpmn')
    const { ref, task } = await started(engine)
    const job = await activateOne(engine, USER_TASK_JOB)
    t.equal(job.processInstanceKey, ref.processInstanceKey)
    t.equal(job.elementId, 'review')
    t.equal(job.retries, 1, 'Zeebe gives the user task job one retry')
    t.same(job.customHeaders, {
      step: 'appraise',
      'io.camunda.zeebe:assignee': 'chi',
      'io.camunda.zeebe:candidateGroups': '["mot-cua","phong-tn"]',
      'io.camunda.zeebe:candidateUsers': '["an","binh"]',
      'io.camunda.zeebe:dueDate': new Date(due).toISOString(),
      'io.camunda.zeebe:followUpDate': '2030-01-01T01:00:00.000Z',
      'io.camunda.zeebe:formKey': 'camunda-forms:bpmn:review',
    })
    t.same(job.variables, { officer: 'chi', reviewDueDate: due })

    // … and the same task in the user task list, linked to its job, as motcua's worklist reads it.
    t.equal(task.jobKey, job.key)
    t.equal(task.name, 'Thẩm định hồ sơ')
    t.equal(task.state, 'CREATED')
    t.equal(task.assignee, 'chi')
    t.same(task.candidateGroups, ['mot-cua', 'phong-tn'])
    t.same(task.candidateUsers, ['an', 'binh'])
    t.equal(task.dueDate?.toISOString(), new Date(due).toISOString())
    t.equal(task.formKey, 'camunda-forms:bpmn:review')
    t.same(task.customHeaders, { step: 'appraise' }, 'the task keeps only the model’s own headers')
    t.equal((await engine.searchUserTasks({ candidateGroups: ['phong-tn'], state: 'CREATED' })).length, 1)
  },
)

t.test('when a job worker completes the job, the user task completes and the process moves on', async (t) => {
  const engine = await createContractEngine(t)
  await deployFixtures(engine, 'job-user-task.bpmn')
  const events = recordEvents(engine)
  const { ref, task } = await started(engine)
  const job = await activateOne(engine, USER_TASK_JOB)
  await engine.completeJob(job.key, { decision: 'approve' })
  const done = await waitForState(engine, ref.processInstanceKey, 'COMPLETED')
  t.equal(done.variables['decision'], 'approve')
  const after = await engine.getUserTask(task.userTaskKey)
  t.equal(after?.state, 'COMPLETED')
  t.ok(after?.completionDate)
  await t.rejects(engine.completeUserTask(task.userTaskKey), { code: 'INVALID_STATE' })
  await eventually('the userTask.completed event', async () => events.some((e) => e.type === 'userTask.completed'))
  const taskEvents = events.filter((e) => e.type.startsWith('userTask.'))
  t.same(
    taskEvents.map((e) => e.type),
    ['userTask.created', 'userTask.completed'],
  )
  t.same(
    taskEvents.map((e) => 'userTask' in e && e.userTask.jobKey),
    [job.key, job.key],
    'the events name the job',
  )
})

t.test('when the task is completed as a user task (the worklist), its job ends with it', async (t) => {
  const engine = await createContractEngine(t)
  await deployFixtures(engine, 'job-user-task.bpmn')
  const { ref, task } = await started(engine)
  const job = await activateOne(engine, USER_TASK_JOB)
  await engine.assignUserTask(task.userTaskKey, 'dung', { allowOverride: true })
  t.equal((await engine.getUserTask(task.userTaskKey))?.assignee, 'dung')
  await engine.completeUserTask(task.userTaskKey, { decision: 'approve' })
  const done = await waitForState(engine, ref.processInstanceKey, 'COMPLETED')
  t.equal(done.variables['decision'], 'approve')
  t.equal((await engine.getUserTask(task.userTaskKey))?.state, 'COMPLETED')
  await t.rejects(engine.completeJob(job.key), { code: 'NOT_FOUND' }, 'the worker that held the job is told it is gone')
  t.same(await engine.activateJobs({ type: USER_TASK_JOB, worker: 'test', maxJobsToActivate: 5, timeoutMs: 1000 }), [])
})

t.test('a BPMN error thrown by the job worker is caught by the boundary; the task is cancelled', async (t) => {
  const engine = await createContractEngine(t)
  await deployFixtures(engine, 'job-user-task.bpmn')
  const events = recordEvents(engine)
  const { ref, task } = await started(engine)
  const job = await activateOne(engine, USER_TASK_JOB)
  await engine.throwJobError(job.key, { errorCode: 'REJECTED' })
  await waitForState(engine, ref.processInstanceKey, 'COMPLETED')
  t.equal((await engine.getUserTask(task.userTaskKey))?.state, 'CANCELED')
  await eventually('the userTask.canceled event', async () => events.some((e) => e.type === 'userTask.canceled'))
})

t.test('a job worker failing the job (one retry) raises an incident on the task, which stays open', async (t) => {
  const engine = await createContractEngine(t)
  await deployFixtures(engine, 'job-user-task.bpmn')
  const { ref, task } = await started(engine)
  const job = await activateOne(engine, USER_TASK_JOB)
  await engine.failJob(job.key, { retries: 0, errorMessage: 'tasklist down' })
  const view = await eventually('the incident', async () => {
    const v = await engine.getProcessInstance(ref.processInstanceKey)
    return v?.incidents.length ? v : undefined
  })
  t.match(view.incidents, [{ elementId: 'review', errorType: 'JOB_NO_RETRIES', jobKey: job.key }])
  t.equal((await engine.getUserTask(task.userTaskKey))?.state, 'CREATED')
  await engine.cancelProcessInstance(ref.processInstanceKey)
  t.equal((await engine.getUserTask(task.userTaskKey))?.state, 'CANCELED', 'cancelling the instance cancels it')
})
