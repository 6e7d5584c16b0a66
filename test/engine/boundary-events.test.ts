// Contract: message boundary events, interrupting and not; input mappings and FEEL job types.
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

t.test('a non-interrupting message boundary starts a side path and leaves the task running', async (t) => {
  const engine = await createContractEngine(t)
  await deployFixtures(engine, 'boundary-message.bpmn')
  const ref = await engine.createProcessInstance({
    bpmnProcessId: 'boundary-message',
    variables: { code: 'B1', kind: 'x' },
  })
  const job = await activateOne(engine, 'bm-x')
  t.equal(job.variables['localCode'], 'B1', 'input mapping visible to the job')
  await engine.publishMessage({ name: 'note', correlationKey: 'B1', variables: { note: 'hello' } })
  await engine.completeJob((await activateOne(engine, 'log')).key)
  t.same(activeIds(await instanceState(engine, ref.processInstanceKey)), ['work'])
  await engine.completeJob(job.key)
  const done = await waitForState(engine, ref.processInstanceKey, 'COMPLETED')
  t.notOk('localCode' in done.variables, 'input-mapped variables stay local to the task')
  t.equal(done.variables['note'], 'hello')
})

t.test('an interrupting message boundary cancels the job and takes the boundary flow', async (t) => {
  const engine = await createContractEngine(t)
  await deployFixtures(engine, 'boundary-message.bpmn')
  const ref = await engine.createProcessInstance({
    bpmnProcessId: 'boundary-message',
    variables: { code: 'B2', kind: 'y' },
  })
  const job = await activateOne(engine, 'bm-y')
  await engine.publishMessage({ name: 'cancel-request', correlationKey: 'B2' })
  await waitForState(engine, ref.processInstanceKey, 'COMPLETED')
  await t.rejects(engine.completeJob(job.key), { code: 'NOT_FOUND' })
})

t.test('an event-based gateway takes whichever event comes first and closes the other', async (t) => {
  const engine = await createContractEngine(t)
  await deployFixtures(engine, 'event-gateway.bpmn')
  const paid = await engine.createProcessInstance({
    bpmnProcessId: 'event-gateway',
    variables: { code: 'G1', wait: 'PT1H' },
  })
  await eventually('the instance at the gateway', async () =>
    activeIds(await instanceState(engine, paid.processInstanceKey)).includes('gw'),
  )
  await engine.publishMessage({ name: 'paid', correlationKey: 'G1', variables: { receipt: 7 } })
  const done = await waitForState(engine, paid.processInstanceKey, 'COMPLETED')
  t.equal(done.variables['receipt'], 7)

  const late = await engine.createProcessInstance({
    bpmnProcessId: 'event-gateway',
    variables: { code: 'G2', wait: 'PT0.3S' },
  })
  await waitForState(engine, late.processInstanceKey, 'COMPLETED')
  await engine.publishMessage({ name: 'paid', correlationKey: 'G2', timeToLiveMs: 0 })
})
