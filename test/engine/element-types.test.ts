// Contract: the remaining element types — script (FEEL and job), send and business-rule tasks as jobs,
// none throw and manual tasks pass through, multi-instance completion condition, timer start events.
import t from 'tap'
import { activateOne, createContractEngine, deployFixtures, instanceState, waitForState } from './contract-engine.js'
import { eventually } from '../helpers/eventually.js'

t.test('a process through every task kind completes; the completion condition ends the vote early', async (t) => {
  const engine = await createContractEngine(t)
  await deployFixtures(engine, 'element-types.bpmn')
  const ref = await engine.createProcessInstance({
    bpmnProcessId: 'element-types',
    variables: { pages: 3, voters: ['a', 'b', 'c'] },
  })
  const send = await activateOne(engine, 'send-mail')
  t.equal(send.variables['fee'], 6000, 'the FEEL script task ran in the engine')
  await engine.completeJob(send.key)
  await engine.completeJob((await activateOne(engine, 'decide-fee')).key)
  await engine.completeJob((await activateOne(engine, 'script-job')).key)
  const votes = await eventually('three vote jobs', async () => {
    const j = await engine.activateJobs({ type: 'vote', worker: 't', maxJobsToActivate: 5, timeoutMs: 10_000 })
    return j.length === 3 ? j : undefined
  })
  await engine.completeJob(votes[0]!.key)
  t.equal((await instanceState(engine, ref.processInstanceKey)).state, 'ACTIVE')
  await engine.completeJob(votes[1]!.key)
  await waitForState(engine, ref.processInstanceKey, 'COMPLETED')
  await t.rejects(engine.completeJob(votes[2]!.key), { code: 'NOT_FOUND' }, 'the third vote was cancelled')
})

t.test('a timer start event with cycle R2/PT0.3S starts two instances', async (t) => {
  const engine = await createContractEngine(t)
  await deployFixtures(engine, 'timer-start.bpmn')
  const jobs = await eventually('the nightly jobs', async () => {
    const j = await engine.activateJobs({ type: 'nightly', worker: 't', maxJobsToActivate: 5, timeoutMs: 10_000 })
    return j.length ? j : undefined
  })
  const second = jobs.length === 2 ? [] : [await activateOne(engine, 'nightly')]
  const all = [...jobs, ...second]
  t.equal(new Set(all.map((j) => j.processInstanceKey)).size, 2)
  await new Promise((r) => setTimeout(r, 700))
  t.same(
    await engine.activateJobs({ type: 'nightly', worker: 't', maxJobsToActivate: 5, timeoutMs: 10_000 }),
    [],
    'no third one',
  )
})
