// Contract: signals. A broadcast triggers every signal event waiting for its name, in every instance: start
// events (one new instance per process), intermediate catch events, boundary events (interrupting or not) and
// event sub-process starts; throw and end events broadcast, with their input mappings as the signal's variables.
// https://docs.camunda.io/docs/components/modeler/bpmn/signal-events/
import t from 'tap'
import {
  activateOne,
  activeIds,
  createContractEngine,
  deployFixtures,
  instanceState,
  recordEvents,
  waitForState,
} from './contract-engine.js'
import { eventually } from '../helpers/eventually.js'
import type { Engine } from '../../src/engine/port.js'

async function startAtWait(engine: Engine, variables = {}): Promise<string> {
  const ref = await engine.createProcessInstance({ bpmnProcessId: 'signal-catch', variables })
  const job = await activateOne(engine, 'sig-work')
  await engine.completeJob(job.key)
  await eventually('the instance at the signal catch event', async () =>
    activeIds(await instanceState(engine, ref.processInstanceKey)).includes('wait'),
  )
  return ref.processInstanceKey
}

t.test('a broadcast starts one instance per process with a signal start event, with the variables', async (t) => {
  const engine = await createContractEngine(t)
  await deployFixtures(engine, 'signal-start.bpmn')
  const { signalKey } = await engine.broadcastSignal({ signalName: 'ban-hanh', variables: { vanBan: 'ND-01' } })
  t.ok(signalKey)
  const job = await activateOne(engine, 'on-signal')
  t.equal(job.bpmnProcessId, 'signal-start')
  t.equal(job.variables['vanBan'], 'ND-01')
  const again = await engine.activateJobs({ type: 'on-signal', worker: 't', maxJobsToActivate: 5, timeoutMs: 10_000 })
  t.equal(again.length, 0, 'one instance only')
  await engine.broadcastSignal({ signalName: 'khac' })
  t.equal(
    (await engine.activateJobs({ type: 'on-signal', worker: 't', maxJobsToActivate: 5, timeoutMs: 10_000 })).length,
    0,
    'another name starts nothing',
  )
})

t.test('a broadcast moves on every instance waiting at a signal catch event, merging its variables', async (t) => {
  const engine = await createContractEngine(t)
  await deployFixtures(engine, 'signal-catch.bpmn')
  const first = await startAtWait(engine)
  const second = await startAtWait(engine)
  await engine.broadcastSignal({ signalName: 'tiep-tuc', variables: { approved: true } })
  for (const key of [first, second]) {
    const done = await waitForState(engine, key, 'COMPLETED')
    t.equal(done.variables['approved'], true)
  }
})

t.test('a non-interrupting signal boundary fires on each broadcast; an interrupting one ends the task', async (t) => {
  const engine = await createContractEngine(t)
  await deployFixtures(engine, 'signal-catch.bpmn')
  const ref = await engine.createProcessInstance({ bpmnProcessId: 'signal-catch' })
  await activateOne(engine, 'sig-work')
  await engine.broadcastSignal({ signalName: 'nhac' })
  await engine.broadcastSignal({ signalName: 'nhac' })
  await engine.completeJob((await activateOne(engine, 'sig-remind')).key)
  await engine.completeJob((await activateOne(engine, 'sig-remind')).key)
  t.same(activeIds(await instanceState(engine, ref.processInstanceKey)), ['work'], 'the task is still open')
  await engine.broadcastSignal({ signalName: 'huy' })
  const done = await waitForState(engine, ref.processInstanceKey, 'COMPLETED')
  t.same(done.activeElements, [])
})

t.test('a non-interrupting signal event sub-process runs beside the main flow', async (t) => {
  const engine = await createContractEngine(t)
  await deployFixtures(engine, 'signal-catch.bpmn')
  const ref = await engine.createProcessInstance({ bpmnProcessId: 'signal-catch' })
  await activateOne(engine, 'sig-work')
  await engine.broadcastSignal({ signalName: 'cap-nhat', variables: { version: 2 } })
  const update = await activateOne(engine, 'sig-update')
  t.equal(update.variables['version'], 2)
  t.same(activeIds(await instanceState(engine, ref.processInstanceKey)), ['onUpdate', 'updateJob', 'work'])
})

t.test('a signal throw event broadcasts with its input mappings; a signal end event starts a process', async (t) => {
  const engine = await createContractEngine(t)
  await deployFixtures(engine, 'signal-catch.bpmn', 'signal-start.bpmn', 'signal-throw.bpmn')
  const waiting = await startAtWait(engine)
  const thrower = await engine.createProcessInstance({ bpmnProcessId: 'signal-throw', variables: { note: 'đã duyệt' } })
  await waitForState(engine, thrower.processInstanceKey, 'COMPLETED')
  const done = await waitForState(engine, waiting, 'COMPLETED')
  t.equal(done.variables['note'], 'đã duyệt', 'the throw event input mapping travelled with the signal')
  const started = await activateOne(engine, 'on-signal')
  t.equal(started.bpmnProcessId, 'signal-start')
})

t.test('after an event-based gateway, a signal catch event wins the race against a timer', async (t) => {
  const engine = await createContractEngine(t)
  await deployFixtures(engine, 'signal-gateway.bpmn')
  const events = recordEvents(engine)
  const ref = await engine.createProcessInstance({ bpmnProcessId: 'signal-gateway' })
  await eventually('the instance at the gateway', async () =>
    activeIds(await instanceState(engine, ref.processInstanceKey)).includes('gw'),
  )
  await engine.broadcastSignal({ signalName: 'xong' })
  await waitForState(engine, ref.processInstanceKey, 'COMPLETED')
  const completed = await eventually('the end event', () =>
    events.filter((e) => e.type === 'element.completed' && e.processInstanceKey === ref.processInstanceKey),
  )
  const ids = completed.map((e) => (e as { elementId: string }).elementId)
  t.ok(ids.includes('endSignal'))
  t.notOk(ids.includes('onTimeout'), 'the timer branch was not taken')
})
