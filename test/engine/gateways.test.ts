// Contract: exclusive (conditions, default, no match → incident), parallel fork/join, inclusive split/merge.
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

t.test('exclusive gateway: the first true condition wins, otherwise the default flow', async (t) => {
  const engine = await createContractEngine(t)
  await deployFixtures(engine, 'gateways.bpmn')
  const small = await engine.createProcessInstance({ bpmnProcessId: 'gateways', variables: { amount: 5 } })
  const job = await activateOne(engine, 'small')
  t.equal(job.processInstanceKey, small.processInstanceKey)
  await engine.completeJob(job.key)
  await waitForState(engine, small.processInstanceKey, 'COMPLETED')
})

t.test('parallel gateway: both branches run, the join waits for both, then the flow continues once', async (t) => {
  const engine = await createContractEngine(t)
  await deployFixtures(engine, 'gateways.bpmn')
  const big = await engine.createProcessInstance({ bpmnProcessId: 'gateways', variables: { amount: 500 } })
  const a = await activateOne(engine, 'a')
  const b = await activateOne(engine, 'b')
  t.same(activeIds(await instanceState(engine, big.processInstanceKey)), ['a', 'b'])
  await engine.completeJob(a.key, { fromA: 1 })
  t.same(activeIds(await instanceState(engine, big.processInstanceKey)), ['b'], 'the token of a waits at the join')
  t.same(await engine.activateJobs({ type: 'after', worker: 't', maxJobsToActivate: 5, timeoutMs: 1000 }), [])
  await engine.completeJob(b.key, { fromB: 2 })
  const after = await activateOne(engine, 'after')
  t.same(after.variables, { amount: 500, fromA: 1, fromB: 2 })
  t.same(
    await engine.activateJobs({ type: 'after', worker: 't', maxJobsToActivate: 5, timeoutMs: 1000 }),
    [],
    'only one token passed the join',
  )
  await engine.completeJob(after.key)
  await waitForState(engine, big.processInstanceKey, 'COMPLETED')
})

t.test(
  'exclusive gateway with no true condition and no default raises an incident; resolving retries it',
  async (t) => {
    const engine = await createContractEngine(t)
    await deployFixtures(engine, 'no-default.bpmn')
    const ref = await engine.createProcessInstance({ bpmnProcessId: 'no-default', variables: { ok: 'maybe' } })
    const view = await eventually('an incident', async () => {
      const v = await instanceState(engine, ref.processInstanceKey)
      return v.incidents.length ? v : undefined
    })
    t.equal(view.state, 'ACTIVE')
    t.equal(view.incidents[0]!.elementId, 'decide')
    t.equal(view.incidents[0]!.errorType, 'CONDITION_ERROR')
    t.same(activeIds(view), ['decide'])
    // A repaired variable cannot be set through the port, so resolving fails again with a fresh incident.
    await engine.resolveIncident(view.incidents[0]!.incidentKey)
    const again = await instanceState(engine, ref.processInstanceKey)
    t.equal(again.incidents.length, 1)
    t.not(again.incidents[0]!.incidentKey, view.incidents[0]!.incidentKey)
  },
)

t.test('inclusive gateway: takes every true flow and merges exactly the branches that were taken', async (t) => {
  const engine = await createContractEngine(t)
  await deployFixtures(engine, 'inclusive.bpmn')
  const ref = await engine.createProcessInstance({
    bpmnProcessId: 'inclusive',
    variables: { needA: true, needB: true },
  })
  const a = await activateOne(engine, 'a')
  const b = await activateOne(engine, 'b')
  t.same(
    await engine.activateJobs({ type: 'c', worker: 't', maxJobsToActivate: 5, timeoutMs: 1000 }),
    [],
    'default not taken',
  )
  await engine.completeJob(a.key)
  t.same(
    await engine.activateJobs({ type: 'done', worker: 't', maxJobsToActivate: 5, timeoutMs: 1000 }),
    [],
    'waits for b',
  )
  await engine.completeJob(b.key)
  await engine.completeJob((await activateOne(engine, 'done')).key)
  await waitForState(engine, ref.processInstanceKey, 'COMPLETED')

  const only = await engine.createProcessInstance({
    bpmnProcessId: 'inclusive',
    variables: { needA: false, needB: false },
  })
  await engine.completeJob((await activateOne(engine, 'c')).key)
  await engine.completeJob((await activateOne(engine, 'done')).key)
  await waitForState(engine, only.processInstanceKey, 'COMPLETED')
})
