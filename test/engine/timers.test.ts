// Contract: timer catch events (duration, date, FEEL) and cycles on non-interrupting boundary events.
import t from 'tap'
import {
  activateOne,
  activeIds,
  createManualClockEngine,
  createContractEngine,
  deployFixtures,
  instanceState,
  waitForState,
} from './contract-engine.js'
import { eventually } from '../helpers/eventually.js'

t.test(
  'given a duration then a date timer from FEEL variables, the instance waits for both and completes',
  async (t) => {
    const engine = await createContractEngine(t)
    await deployFixtures(engine, 'timer-catch.bpmn')
    const started = Date.now()
    const until = new Date(Date.now() + 900).toISOString()
    const ref = await engine.createProcessInstance({
      bpmnProcessId: 'timer-catch',
      variables: { waitFor: 'PT0.3S', until },
    })
    await eventually('the instance at the timer', async () =>
      activeIds(await instanceState(engine, ref.processInstanceKey)).includes('wait'),
    )
    await waitForState(engine, ref.processInstanceKey, 'COMPLETED', 10_000)
    t.ok(Date.now() - started >= 850, 'not before the date')
  },
)

t.test('a timer expression that is not a duration raises an incident on the timer event', async (t) => {
  const engine = await createContractEngine(t)
  await deployFixtures(engine, 'timer-catch.bpmn')
  const ref = await engine.createProcessInstance({ bpmnProcessId: 'timer-catch', variables: { waitFor: 'tomorrow' } })
  const view = await eventually('an incident', async () => {
    const v = await instanceState(engine, ref.processInstanceKey)
    return v.incidents.length ? v : undefined
  })
  t.equal(view.incidents[0]!.elementId, 'wait')
})

t.test('a non-interrupting cycle R3/PT10M fires three times (manual clock), the task stays open', async (t) => {
  let now = new Date('2030-01-01T00:00:00Z')
  const engine = await createManualClockEngine(t, () => now)
  await deployFixtures(engine, 'timer-cycle.bpmn')
  const ref = await engine.createProcessInstance({ bpmnProcessId: 'timer-cycle' })
  for (let i = 1; i <= 4; i++) {
    now = new Date(now.getTime() + 10 * 60_000)
    const fired = await engine.runDueTimers()
    t.equal(fired, i <= 3 ? 1 : 0, `tick ${i}`)
  }
  for (let i = 0; i < 3; i++) await engine.completeJob((await activateOne(engine, 'remind')).key)
  const view = await instanceState(engine, ref.processInstanceKey)
  t.same(activeIds(view), ['review'])
  const [task] = await engine.searchUserTasks({ processInstanceKey: ref.processInstanceKey })
  await engine.completeUserTask(task!.userTaskKey)
  await waitForState(engine, ref.processInstanceKey, 'COMPLETED')
})
