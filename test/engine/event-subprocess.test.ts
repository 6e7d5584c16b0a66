// Contract: event sub-processes started by messages (non-interrupting, interrupting) and timers, and the
// terminate end event.
import t from 'tap'
import {
  activateOne,
  activeIds,
  createContractEngine,
  deployFixtures,
  instanceState,
  waitForState,
} from './contract-engine.js'
import { eventually } from '../helpers/eventually.js'

const later = () => new Date(Date.now() + 3_600_000).toISOString()

t.test(
  'a non-interrupting message event sub-process runs beside the main flow, as often as the message comes',
  async (t) => {
    const engine = await createContractEngine(t)
    await deployFixtures(engine, 'event-subprocess.bpmn')
    const ref = await engine.createProcessInstance({
      bpmnProcessId: 'event-subprocess',
      variables: { code: 'Q1', deadline: later() },
    })
    await engine.publishMessage({ name: 'citizen-asked', correlationKey: 'Q1', variables: { question: 'when?' } })
    await engine.completeJob((await activateOne(engine, 'reply')).key)
    await engine.publishMessage({ name: 'citizen-asked', correlationKey: 'Q1' })
    await engine.completeJob((await activateOne(engine, 'reply')).key)
    const view = await instanceState(engine, ref.processInstanceKey)
    t.same(activeIds(view), ['handle'], 'the main task is still open')
    t.equal(view.variables['question'], 'when?')
    const [task] = await engine.searchUserTasks({ processInstanceKey: ref.processInstanceKey, state: 'CREATED' })
    await engine.completeUserTask(task!.userTaskKey)
    await waitForState(engine, ref.processInstanceKey, 'COMPLETED')
  },
)

t.test('an interrupting message event sub-process cancels the main flow and ends the instance when done', async (t) => {
  const engine = await createContractEngine(t)
  await deployFixtures(engine, 'event-subprocess.bpmn')
  const ref = await engine.createProcessInstance({
    bpmnProcessId: 'event-subprocess',
    variables: { code: 'Q2', deadline: later() },
  })
  await eventually(
    'a user task',
    async () => (await engine.searchUserTasks({ processInstanceKey: ref.processInstanceKey })).length > 0,
  )
  await engine.publishMessage({ name: 'withdrawn', correlationKey: 'Q2' })
  const [task] = await engine.searchUserTasks({ processInstanceKey: ref.processInstanceKey })
  t.equal(task!.state, 'CANCELED')
  await engine.publishMessage({ name: 'citizen-asked', correlationKey: 'Q2' })
  t.same(
    await engine.activateJobs({ type: 'reply', worker: 't', maxJobsToActivate: 1, timeoutMs: 1000 }),
    [],
    'other event sub-processes are closed',
  )
  await engine.completeJob((await activateOne(engine, 'archive')).key)
  await waitForState(engine, ref.processInstanceKey, 'COMPLETED')
})

t.test(
  'a timer event sub-process at a FEEL date interrupts, and its terminate end event ends the instance',
  async (t) => {
    const engine = await createContractEngine(t)
    await deployFixtures(engine, 'event-subprocess.bpmn')
    const ref = await engine.createProcessInstance({
      bpmnProcessId: 'event-subprocess',
      variables: { code: 'Q3', deadline: new Date(Date.now() + 300).toISOString() },
    })
    await waitForState(engine, ref.processInstanceKey, 'COMPLETED')
    const [task] = await engine.searchUserTasks({ processInstanceKey: ref.processInstanceKey })
    t.equal(task!.state, 'CANCELED')
  },
)
