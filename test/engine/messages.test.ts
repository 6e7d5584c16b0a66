// Contract: message catch events and receive tasks, buffering with TTL, once per instance, message start events.
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

const at = async (engine: Awaited<ReturnType<typeof createContractEngine>>, key: string, id: string) =>
  eventually(`instance at ${id}`, async () => activeIds(await instanceState(engine, key)).includes(id), 5000)

t.test(
  'given an instance waiting for a message, when it is published with its correlation key, then it moves on with the variables',
  async (t) => {
    const engine = await createContractEngine(t)
    await deployFixtures(engine, 'message-catch.bpmn')
    const ref = await engine.createProcessInstance({
      bpmnProcessId: 'message-catch',
      variables: { dossierCode: 'H21.2-001' },
    })
    const other = await engine.createProcessInstance({
      bpmnProcessId: 'message-catch',
      variables: { dossierCode: 'H21.2-002' },
    })
    await at(engine, ref.processInstanceKey, 'waitSupplement')
    await engine.publishMessage({ name: 'supplement-received', correlationKey: 'H21.2-001', variables: { files: 2 } })
    await at(engine, ref.processInstanceKey, 'waitFee')
    t.same(
      activeIds(await instanceState(engine, other.processInstanceKey)),
      ['waitSupplement'],
      'the other dossier still waits',
    )
    await engine.publishMessage({ name: 'fee-paid', correlationKey: 'H21.2-001', variables: { amount: 50000 } })
    const done = await waitForState(engine, ref.processInstanceKey, 'COMPLETED')
    t.same(
      done.variables,
      { dossierCode: 'H21.2-001', files: 2, feePaid: 50000 },
      'output mapping took amount as feePaid',
    )
  },
)

t.test('a message without a subscription and no TTL is dropped; with a TTL it waits for a subscription', async (t) => {
  const engine = await createContractEngine(t)
  await deployFixtures(engine, 'message-catch.bpmn')
  await engine.publishMessage({ name: 'supplement-received', correlationKey: 'A' })
  await engine.publishMessage({
    name: 'supplement-received',
    correlationKey: 'B',
    timeToLiveMs: 60_000,
    variables: { early: true },
  })
  const a = await engine.createProcessInstance({ bpmnProcessId: 'message-catch', variables: { dossierCode: 'A' } })
  const b = await engine.createProcessInstance({ bpmnProcessId: 'message-catch', variables: { dossierCode: 'B' } })
  await at(engine, b.processInstanceKey, 'waitFee')
  t.equal((await instanceState(engine, b.processInstanceKey)).variables['early'], true)
  t.same(activeIds(await instanceState(engine, a.processInstanceKey)), ['waitSupplement'])
})

t.test('a buffered message correlates to each instance at most once, and expires after its TTL', async (t) => {
  const engine = await createContractEngine(t)
  await deployFixtures(engine, 'message-catch.bpmn')
  await engine.publishMessage({ name: 'supplement-received', correlationKey: 'C', timeToLiveMs: 60_000 })
  await engine.publishMessage({ name: 'fee-paid', correlationKey: 'D', timeToLiveMs: 300 })
  const c1 = await engine.createProcessInstance({ bpmnProcessId: 'message-catch', variables: { dossierCode: 'C' } })
  const c2 = await engine.createProcessInstance({ bpmnProcessId: 'message-catch', variables: { dossierCode: 'C' } })
  await at(engine, c1.processInstanceKey, 'waitFee')
  await at(engine, c2.processInstanceKey, 'waitFee')
  await new Promise((r) => setTimeout(r, 400))
  const d = await engine.createProcessInstance({ bpmnProcessId: 'message-catch', variables: { dossierCode: 'D' } })
  await engine.publishMessage({ name: 'supplement-received', correlationKey: 'D' })
  await at(engine, d.processInstanceKey, 'waitFee')
  await new Promise((r) => setTimeout(r, 100))
  t.same(
    activeIds(await instanceState(engine, d.processInstanceKey)),
    ['waitFee'],
    'the expired fee message did not correlate',
  )
})

t.test('publishing twice with the same messageId while buffered is published once', async (t) => {
  const engine = await createContractEngine(t)
  await deployFixtures(engine, 'message-catch.bpmn')
  const m1 = await engine.publishMessage({
    name: 'supplement-received',
    correlationKey: 'E',
    timeToLiveMs: 60_000,
    messageId: 'x1',
    variables: { v: 1 },
  })
  const m2 = await engine.publishMessage({
    name: 'supplement-received',
    correlationKey: 'E',
    timeToLiveMs: 60_000,
    messageId: 'x1',
    variables: { v: 2 },
  })
  t.equal(m1.messageKey, m2.messageKey)
  const e = await engine.createProcessInstance({ bpmnProcessId: 'message-catch', variables: { dossierCode: 'E' } })
  await at(engine, e.processInstanceKey, 'waitFee')
  t.equal((await instanceState(engine, e.processInstanceKey)).variables['v'], 1)
})

t.test('a message start event creates an instance, one active instance per correlation key', async (t) => {
  const engine = await createContractEngine(t)
  await deployFixtures(engine, 'message-start.bpmn')
  await engine.publishMessage({ name: 'dossier-submitted', correlationKey: 'K1', variables: { code: 'K1' } })
  await engine.publishMessage({ name: 'dossier-submitted', correlationKey: 'K1', variables: { code: 'K1-again' } })
  await engine.publishMessage({ name: 'dossier-submitted', correlationKey: 'K2', variables: { code: 'K2' } })
  const jobs = await eventually('the intake jobs', async () => {
    const j = await engine.activateJobs({ type: 'intake', worker: 't', maxJobsToActivate: 10, timeoutMs: 10_000 })
    return j.length ? j : undefined
  })
  t.same(jobs.map((j) => j.variables['code']).sort(), ['K1', 'K2'])
  for (const j of jobs) await engine.completeJob(j.key)
  await waitForState(engine, jobs[0]!.processInstanceKey, 'COMPLETED')
  // The K1 instance ended, so K1 may start a new one.
  await engine.publishMessage({ name: 'dossier-submitted', correlationKey: 'K1', variables: { code: 'K1-later' } })
  t.equal((await activateOne(engine, 'intake')).variables['code'], 'K1-later')
})
