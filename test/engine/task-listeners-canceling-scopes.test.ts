// Contract: canceling user task listeners inside scopes that terminate their tasks — a multi-instance activity whose
// completion condition is met or which is interrupted, an ad-hoc sub-process completed by its completion condition, a
// call activity interrupted by a boundary event — as Zeebe 8.8 documents them:
// https://docs.camunda.io/docs/components/concepts/user-task-listeners/#trigger-a-user-task-listener (a task whose
// element is terminated runs its canceling listeners, blocking, one job each, before it is canceled), and the
// cancellation endpoint https://docs.camunda.io/docs/apis-tools/orchestration-cluster-api-rest/specifications/cancel-process-instance/
// ("cancellation can wait on listener-related processing": the instance stays ACTIVE until its canceling listeners
// are done). What the terminated element was to do next (complete the multi-instance body or the ad-hoc sub-process,
// take the boundary flow, terminate the parent) happens once, after the last listener; a canceling listener job out of
// retries is an incident that holds it, and resolving the incident lets it finish.
import t, { type Test } from 'tap'
import type { Database } from '../../src/db/database.js'
import { EmbeddedEngine } from '../../src/engine/embedded/index.js'
import type { Engine, EngineEvent, UserTask } from '../../src/engine/port.js'
import { eventually } from '../helpers/eventually.js'
import {
  activateOne,
  activeIds,
  deployFixtures,
  freshEngineDatabase,
  instanceState,
  recordEvents,
  waitForState,
} from './contract-engine.js'

const doc = 'https://docs.camunda.io/docs/components/concepts/user-task-listeners/#trigger-a-user-task-listener'
const cancelDoc =
  'https://docs.camunda.io/docs/apis-tools/orchestration-cluster-api-rest/specifications/cancel-process-instance/'

/** The embedded engine on a fresh database, with the database to look for leftover rows. */
async function start(t: Test): Promise<{ engine: Engine; db: Database; events: EngineEvent[] }> {
  const db = await freshEngineDatabase()
  const engine = new EmbeddedEngine(db, { timerPollMs: 50, workerPollMs: 100 })
  await engine.start()
  t.teardown(() => engine.stop())
  return { engine, db, events: recordEvents(engine) }
}

const none = async (engine: Engine, type: string) =>
  (await engine.activateJobs({ type, worker: 'test', maxJobsToActivate: 5, timeoutMs: 1000 })).length === 0

async function tasksOf(engine: Engine, pik: string, state: UserTask['state'], count: number): Promise<UserTask[]> {
  return eventually(`${count} ${state} user tasks of ${pik}`, async () => {
    const tasks = await engine.searchUserTasks({ processInstanceKey: pik, state })
    return tasks.length === count ? tasks : undefined
  })
}

const entered = (events: EngineEvent[], elementId: string) =>
  events.filter((e) => e.type === 'element.entered' && e.elementId === elementId).length

/** Rows an ended instance must not leave behind: element instances, jobs, timers, subscriptions, open incidents. */
async function leftovers(db: Database, pik: string): Promise<Record<string, number>> {
  const key = Number(pik)
  const count = async (sql: string) => Number((await db.knex.raw(sql, [key])).rows[0].n)
  return {
    elements: await count('SELECT count(*) AS n FROM engine_element_instances WHERE process_instance_key = ?'),
    jobs: await count('SELECT count(*) AS n FROM engine_jobs WHERE process_instance_key = ?'),
    timers: await count('SELECT count(*) AS n FROM engine_timers WHERE process_instance_key = ?'),
    subscriptions: await count('SELECT count(*) AS n FROM engine_message_subscriptions WHERE process_instance_key = ?'),
    incidents: await count(
      "SELECT count(*) AS n FROM engine_incidents WHERE process_instance_key = ? AND state = 'ACTIVE'",
    ),
    openTasks: await count(
      "SELECT count(*) AS n FROM engine_user_tasks WHERE process_instance_key = ? AND state NOT IN ('COMPLETED', 'CANCELED')",
    ),
  }
}
const nothingLeft = { elements: 0, jobs: 0, timers: 0, subscriptions: 0, incidents: 0, openTasks: 0 }

t.test(
  `multi-instance completion condition: the body completes after every canceling listener; a listener incident holds it until resolved (${doc})`,
  async (t) => {
    const { engine, db, events } = await start(t)
    await deployFixtures(engine, 'task-listeners-canceling-mi.bpmn')
    const ref = await engine.createProcessInstance({
      bpmnProcessId: 'task-listeners-canceling-mi',
      variables: { dossierId: 'M1', reviewers: ['phong-a', 'phong-b', 'phong-c'] },
    })
    const pik = ref.processInstanceKey
    const tasks = await tasksOf(engine, pik, 'CREATED', 3)
    const first = tasks.find((x) => x.assignee === 'phong-a')!
    await engine.completeUserTask(first.userTaskKey)
    const one = await activateOne(engine, 'tl.mi-notify')
    const two = await activateOne(engine, 'tl.mi-notify')
    t.equal(one.elementId, 'opinions')
    t.not(one.customHeaders['io.camunda.zeebe:userTaskKey'], two.customHeaders['io.camunda.zeebe:userTaskKey'])
    const canceling = await tasksOf(engine, pik, 'CANCELING', 2)
    t.same(canceling.map((x) => x.assignee).sort(), ['phong-b', 'phong-c'], 'the two other tasks wait in CANCELING')
    let view = await instanceState(engine, pik)
    t.equal(view.state, 'ACTIVE', `the instance reads ACTIVE while canceling listeners run (${cancelDoc})`)
    t.same(activeIds(view), ['opinions', 'opinions', 'opinions'], 'the body and its two terminating inner instances')

    await engine.completeJob(one.key)
    view = await instanceState(engine, pik)
    t.same(activeIds(view), ['opinions', 'opinions'], 'the body waits for the other listener')
    t.equal(entered(events, 'end'), 0, 'the body has not completed')

    await engine.failJob(two.key, { retries: 0, errorMessage: 'không gửi được thông báo' })
    const [incident] = (
      await eventually('the listener incident', async () => {
        const v = await instanceState(engine, pik)
        return v.incidents.length === 1 ? v : undefined
      })
    ).incidents
    t.match(incident, { elementId: 'opinions', errorType: 'TASK_LISTENER_NO_RETRIES' })
    t.ok(await none(engine, 'tl.mi-notify'), 'the failed listener job is not handed out')
    t.equal((await instanceState(engine, pik)).state, 'ACTIVE', 'the incident holds the body')
    t.equal(entered(events, 'end'), 0)

    await engine.updateJobRetries(two.key, 1)
    await engine.resolveIncident(incident!.incidentKey)
    const again = await activateOne(engine, 'tl.mi-notify')
    t.equal(again.key, two.key, 'resolving the incident hands the same listener job out again')
    await engine.completeJob(again.key)
    await waitForState(engine, pik, 'COMPLETED')
    t.equal(entered(events, 'end'), 1, 'the body completed and its outgoing flow was taken once')
    t.equal(entered(events, 'onWithdrawn'), 0)
    const all = await engine.searchUserTasks({ processInstanceKey: pik })
    t.same(all.map((x) => x.state).sort(), ['CANCELED', 'CANCELED', 'COMPLETED'])
    t.same(await leftovers(db, pik), nothingLeft, 'nothing is left behind')
  },
)

t.test(
  `an interrupted multi-instance activity takes its boundary flow once, after every canceling listener (${doc})`,
  async (t) => {
    const { engine, db, events } = await start(t)
    await deployFixtures(engine, 'task-listeners-canceling-mi.bpmn')
    const ref = await engine.createProcessInstance({
      bpmnProcessId: 'task-listeners-canceling-mi',
      variables: { dossierId: 'M2', reviewers: ['phong-a', 'phong-b'] },
    })
    const pik = ref.processInstanceKey
    const [task] = await tasksOf(engine, pik, 'CREATED', 2)
    await engine.publishMessage({ name: 'withdrawn-mi', correlationKey: 'M2', variables: { reason: 'rút hồ sơ' } })
    const one = await activateOne(engine, 'tl.mi-notify')
    const two = await activateOne(engine, 'tl.mi-notify')
    await tasksOf(engine, pik, 'CANCELING', 2)
    await t.rejects(
      engine.completeUserTask(task!.userTaskKey),
      { code: 'INVALID_STATE' },
      'a canceling task cannot be completed',
    )
    // The body's message subscription closed with the interruption: a second message finds nothing to interrupt.
    await engine.publishMessage({ name: 'withdrawn-mi', correlationKey: 'M2', variables: { reason: 'lần hai' } })
    await engine.completeJob(one.key)
    let view = await instanceState(engine, pik)
    t.equal(view.state, 'ACTIVE', `ACTIVE while a canceling listener runs (${cancelDoc})`)
    t.same(activeIds(view), ['opinions', 'opinions'], 'the body waits for the other inner instance')
    t.equal(entered(events, 'onWithdrawn'), 0, 'the boundary event is not activated yet')
    await engine.completeJob(two.key)
    view = await waitForState(engine, pik, 'COMPLETED')
    t.equal(entered(events, 'onWithdrawn'), 1, 'the boundary flow is taken once')
    t.equal(entered(events, 'withdrawnEnd'), 1)
    t.equal(entered(events, 'end'), 0, 'the body did not complete')
    t.equal(view.variables['reason'], 'rút hồ sơ', 'with the first message')
    const all = await engine.searchUserTasks({ processInstanceKey: pik })
    t.same(
      all.map((x) => x.state),
      ['CANCELED', 'CANCELED'],
    )
    t.same(await leftovers(db, pik), nothingLeft, 'nothing is left behind')
  },
)

t.test(
  `a multi-instance body held by its completion condition, then interrupted: the boundary flow wins, once (${doc})`,
  async (t) => {
    const { engine, db, events } = await start(t)
    await deployFixtures(engine, 'task-listeners-canceling-mi.bpmn')
    const ref = await engine.createProcessInstance({
      bpmnProcessId: 'task-listeners-canceling-mi',
      variables: { dossierId: 'M3', reviewers: ['phong-a', 'phong-b', 'phong-c'] },
    })
    const pik = ref.processInstanceKey
    const tasks = await tasksOf(engine, pik, 'CREATED', 3)
    await engine.completeUserTask(tasks.find((x) => x.assignee === 'phong-a')!.userTaskKey)
    const one = await activateOne(engine, 'tl.mi-notify')
    const two = await activateOne(engine, 'tl.mi-notify')
    await engine.publishMessage({ name: 'withdrawn-mi', correlationKey: 'M3' })
    await eventually('the body to be interrupted', async () => {
      const { rows } = await db.knex.raw(
        "SELECT state FROM engine_element_instances WHERE process_instance_key = ? AND element_type = 'multiInstanceBody'",
        [Number(pik)],
      )
      return rows[0]?.state === 'TERMINATING'
    })
    t.ok(await none(engine, 'tl.mi-notify'), 'the terminating tasks do not run their listeners twice')
    await engine.completeJob(one.key)
    await engine.completeJob(two.key)
    await waitForState(engine, pik, 'COMPLETED')
    t.equal(entered(events, 'onWithdrawn'), 1, 'the boundary flow is taken once')
    t.equal(entered(events, 'end'), 0, 'the body did not complete as well')
    t.same(await leftovers(db, pik), nothingLeft, 'nothing is left behind')
  },
)

t.test(
  `an ad-hoc sub-process completed by its condition waits for the canceling listener of a task inside it (${doc})`,
  async (t) => {
    const { engine, db, events } = await start(t)
    await deployFixtures(engine, 'task-listeners-canceling-adhoc.bpmn')
    const ref = await engine.createProcessInstance({ bpmnProcessId: 'task-listeners-canceling-adhoc', variables: {} })
    const pik = ref.processInstanceKey
    const [task] = await tasksOf(engine, pik, 'CREATED', 1)
    const quick = await activateOne(engine, 'adhoc.quick')
    await engine.completeJob(quick.key, { result: 'enough' })
    const notify = await activateOne(engine, 'tl.adhoc-notify')
    t.equal(notify.elementId, 'review')
    t.equal((await engine.getUserTask(task!.userTaskKey))?.state, 'CANCELING')
    const view = await instanceState(engine, pik)
    t.equal(view.state, 'ACTIVE', `ACTIVE while the canceling listener runs (${cancelDoc})`)
    t.ok(activeIds(view).includes('checks'), 'the ad-hoc sub-process has not completed')
    t.ok(await none(engine, 'adhoc.after'), 'the flow after it waits')
    t.equal(entered(events, 'after'), 0)
    await engine.completeJob(notify.key)
    const after = await activateOne(engine, 'adhoc.after')
    t.equal((await engine.getUserTask(task!.userTaskKey))?.state, 'CANCELED')
    t.same((await instanceState(engine, pik)).variables['results'], ['enough'], 'its output collection is kept')
    await engine.completeJob(after.key)
    await waitForState(engine, pik, 'COMPLETED')
    t.equal(entered(events, 'after'), 1, 'the sub-process completed once')
    t.same(await leftovers(db, pik), nothingLeft, 'nothing is left behind')
  },
)

t.test(
  `a call activity interrupted while the called task's canceling listener has an incident: canceling the instance waits for it, resolving it terminates everything (${doc})`,
  async (t) => {
    const { engine, db, events } = await start(t)
    await deployFixtures(engine, 'task-listeners-canceling.bpmn', 'task-listeners-canceling-call.bpmn')
    const parent = await engine.createProcessInstance({
      bpmnProcessId: 'task-listeners-canceling-call',
      variables: { dossierId: 'K1', officer: 'can-bo-3', auditKind: 'audit' },
    })
    const task = await eventually('the called process task', async () => {
      const [x] = await engine.searchUserTasks({ elementId: 'review', state: 'CREATED' })
      return x
    })
    const child = task.processInstanceKey
    await engine.publishMessage({ name: 'withdrawn-call', correlationKey: 'K1' })
    const notify = await activateOne(engine, 'tl.notify')
    await engine.failJob(notify.key, { retries: 0, errorMessage: 'máy chủ thư không trả lời' })
    const [incident] = (
      await eventually('the listener incident', async () => {
        const v = await instanceState(engine, child)
        return v.incidents.length === 1 ? v : undefined
      })
    ).incidents
    t.match(incident, { elementId: 'review', errorType: 'TASK_LISTENER_NO_RETRIES' })
    t.equal((await instanceState(engine, parent.processInstanceKey)).state, 'ACTIVE', 'the parent waits')
    t.equal((await instanceState(engine, child)).state, 'ACTIVE', `so does the called instance (${cancelDoc})`)
    t.equal(entered(events, 'onWithdrawn'), 0, 'the boundary event waits for the called instance')

    await engine.cancelProcessInstance(parent.processInstanceKey)
    const view = await instanceState(engine, parent.processInstanceKey)
    t.equal(view.state, 'ACTIVE', 'canceled, the parent still waits for the canceling listener')
    t.same(activeIds(view), ['callReview'])
    const held = (await instanceState(engine, child)).incidents
    t.same(
      held.map((i) => i.incidentKey),
      [incident!.incidentKey],
      'the incident still holds the termination: it is not resolved by the cancellation',
    )
    await t.rejects(
      engine.cancelProcessInstance(parent.processInstanceKey),
      { code: 'NOT_FOUND' },
      'an instance being canceled is not canceled twice',
    )

    await engine.updateJobRetries(notify.key, 1)
    await engine.resolveIncident(incident!.incidentKey)
    const again = await activateOne(engine, 'tl.notify')
    t.equal(again.key, notify.key, 'the same listener job runs again')
    await engine.completeJob(again.key)
    await engine.completeJob((await activateOne(engine, 'tl.audit')).key)
    await waitForState(engine, child, 'TERMINATED')
    await waitForState(engine, parent.processInstanceKey, 'TERMINATED')
    t.equal(entered(events, 'onWithdrawn'), 0, 'the canceled parent does not take the boundary flow')
    t.equal(entered(events, 'withdrawnEnd'), 0)
    t.equal((await engine.getUserTask(task.userTaskKey))?.state, 'CANCELED')
    t.same(await leftovers(db, child), nothingLeft, 'nothing is left of the called instance')
    t.same(await leftovers(db, parent.processInstanceKey), nothingLeft, 'nor of the parent')
  },
)

t.test(
  `a call activity interrupted by a boundary message takes its boundary flow once the called task's canceling listeners are done (${doc})`,
  async (t) => {
    const { engine, db, events } = await start(t)
    await deployFixtures(engine, 'task-listeners-canceling.bpmn', 'task-listeners-canceling-call.bpmn')
    const parent = await engine.createProcessInstance({
      bpmnProcessId: 'task-listeners-canceling-call',
      variables: { dossierId: 'K2', officer: 'can-bo-4', auditKind: 'audit' },
    })
    const task = await eventually('the called process task', async () => {
      const [x] = await engine.searchUserTasks({ elementId: 'review', state: 'CREATED' })
      return x
    })
    await engine.publishMessage({ name: 'withdrawn-call', correlationKey: 'K2' })
    await engine.completeJob((await activateOne(engine, 'tl.notify')).key)
    const audit = await activateOne(engine, 'tl.audit')
    t.equal((await instanceState(engine, parent.processInstanceKey)).state, 'ACTIVE')
    t.equal(entered(events, 'onWithdrawn'), 0)
    await engine.completeJob(audit.key)
    await waitForState(engine, task.processInstanceKey, 'TERMINATED')
    await waitForState(engine, parent.processInstanceKey, 'COMPLETED')
    t.equal(entered(events, 'onWithdrawn'), 1, 'the boundary flow is taken once')
    t.equal(entered(events, 'end'), 0)
    t.same(await leftovers(db, task.processInstanceKey), nothingLeft)
    t.same(await leftovers(db, parent.processInstanceKey), nothingLeft)
  },
)

t.test(
  `a task interrupted by its boundary event, its canceling listener out of retries: canceling the instance keeps the incident, resolving it terminates the instance (${doc})`,
  async (t) => {
    const { engine, db, events } = await start(t)
    await deployFixtures(engine, 'task-listeners-canceling.bpmn')
    const ref = await engine.createProcessInstance({
      bpmnProcessId: 'task-listeners-canceling',
      variables: { dossierId: 'K3', officer: 'can-bo-5', auditKind: 'audit' },
    })
    const pik = ref.processInstanceKey
    const [task] = await tasksOf(engine, pik, 'CREATED', 1)
    await engine.publishMessage({ name: 'withdrawn', correlationKey: 'K3' })
    const notify = await activateOne(engine, 'tl.notify')
    await engine.failJob(notify.key, { retries: 0, errorMessage: 'máy chủ thư không trả lời' })
    const [incident] = (
      await eventually('the listener incident', async () => {
        const v = await instanceState(engine, pik)
        return v.incidents.length === 1 ? v : undefined
      })
    ).incidents
    await engine.cancelProcessInstance(pik)
    const view = await instanceState(engine, pik)
    t.equal(view.state, 'ACTIVE', `canceled, the instance reads ACTIVE while the listener is held (${cancelDoc})`)
    t.same(
      view.incidents.map((i) => i.incidentKey),
      [incident!.incidentKey],
      'the incident is still there to resolve',
    )
    await engine.updateJobRetries(notify.key, 1)
    await engine.resolveIncident(incident!.incidentKey)
    await engine.completeJob((await activateOne(engine, 'tl.notify')).key)
    await engine.completeJob((await activateOne(engine, 'tl.audit')).key)
    await waitForState(engine, pik, 'TERMINATED')
    t.equal(entered(events, 'onWithdrawn'), 0, 'the canceled instance does not take the boundary flow')
    t.equal((await engine.getUserTask(task!.userTaskKey))?.state, 'CANCELED')
    t.same(await leftovers(db, pik), nothingLeft, 'nothing is left behind')
  },
)
