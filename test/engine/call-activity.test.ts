// Contract: call activities start the latest version of the called process with mapped variables,
// continue when it completes, catch its uncaught errors, and cancel it when interrupted.
import t from 'tap'
import { activateOne, createContractEngine, deployFixtures, waitForState } from './contract-engine.js'

t.test(
  'the child gets the input-mapped variables; only output mappings come back (propagateAllChildVariables=false)',
  async (t) => {
    const engine = await createContractEngine(t)
    await deployFixtures(engine, 'call-parent.bpmn', 'call-child.bpmn')
    const parent = await engine.createProcessInstance({
      bpmnProcessId: 'call-parent',
      variables: { childId: 'call-child', dossier: { code: 'X-1' } },
    })
    const job = await activateOne(engine, 'child-work')
    t.not(job.processInstanceKey, parent.processInstanceKey)
    t.equal(job.bpmnProcessId, 'call-child')
    t.equal(job.variables['code'], 'X-1')
    t.same(job.variables['dossier'], { code: 'X-1' }, 'parent variables are propagated by default')
    await engine.completeJob(job.key, { result: 'issued', noise: 1 })
    await waitForState(engine, job.processInstanceKey, 'COMPLETED')
    const done = await waitForState(engine, parent.processInstanceKey, 'COMPLETED')
    t.equal(done.variables['childResult'], 'issued')
    t.notOk('noise' in done.variables)
  },
)

t.test('an error thrown in the child and not caught there is caught by the call activity boundary', async (t) => {
  const engine = await createContractEngine(t)
  await deployFixtures(engine, 'call-parent.bpmn', 'call-child.bpmn')
  const parent = await engine.createProcessInstance({
    bpmnProcessId: 'call-parent',
    variables: { childId: 'call-child', dossier: { code: 'X-2' } },
  })
  const job = await activateOne(engine, 'child-work')
  await engine.throwJobError(job.key, { errorCode: 'CHILD_FAILED' })
  await waitForState(engine, job.processInstanceKey, 'TERMINATED')
  await waitForState(engine, parent.processInstanceKey, 'COMPLETED')
})

t.test('cancelling the parent terminates the child; the child cannot be cancelled on its own', async (t) => {
  const engine = await createContractEngine(t)
  await deployFixtures(engine, 'call-parent.bpmn', 'call-child.bpmn')
  const parent = await engine.createProcessInstance({
    bpmnProcessId: 'call-parent',
    variables: { childId: 'call-child', dossier: { code: 'X-3' } },
  })
  const job = await activateOne(engine, 'child-work')
  await t.rejects(engine.cancelProcessInstance(job.processInstanceKey), { code: 'INVALID_STATE' })
  await engine.cancelProcessInstance(parent.processInstanceKey)
  await waitForState(engine, parent.processInstanceKey, 'TERMINATED')
  await waitForState(engine, job.processInstanceKey, 'TERMINATED')
})

t.test('a call to a process that is not deployed raises an incident on the call activity', async (t) => {
  const engine = await createContractEngine(t)
  await deployFixtures(engine, 'call-parent.bpmn')
  const parent = await engine.createProcessInstance({
    bpmnProcessId: 'call-parent',
    variables: { childId: 'nowhere', dossier: { code: 'X' } },
  })
  const view = await engine.getProcessInstance(parent.processInstanceKey)
  t.equal(view?.incidents[0]?.elementId, 'call')
  t.equal(view?.incidents[0]?.errorType, 'CALLED_ELEMENT_ERROR')
})
