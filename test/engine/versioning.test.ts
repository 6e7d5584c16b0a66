// Contract: deployment versions, duplicate detection, running instances stay on their version, and the
// supported-subset check rejects what the engine cannot run.
import t from 'tap'
import { DeployValidationError } from '../../src/engine/port.js'
import { activateOne, createContractEngine, fixture, waitForState } from './contract-engine.js'

t.test(
  'redeploying an unchanged file makes no new version; a changed one does; instances keep their version',
  async (t) => {
    const engine = await createContractEngine(t)
    const v1 = await engine.deploy([fixture('one-task.bpmn')])
    t.match(v1.processes, [{ bpmnProcessId: 'one-task', version: 1, duplicate: false }])
    const again = await engine.deploy([fixture('one-task.bpmn')])
    t.match(again.processes, [
      {
        bpmnProcessId: 'one-task',
        version: 1,
        duplicate: true,
        processDefinitionKey: v1.processes[0]!.processDefinitionKey,
      },
    ])
    const old = await engine.createProcessInstance({ bpmnProcessId: 'one-task' })

    const changed = fixture('one-task.bpmn')
    changed.content = changed.content.replace('type="work"', 'type="work-v2"')
    const v2 = await engine.deploy([changed])
    t.match(v2.processes, [{ version: 2, duplicate: false }])
    t.not(v2.processes[0]!.processDefinitionKey, v1.processes[0]!.processDefinitionKey)

    const fresh = await engine.createProcessInstance({ bpmnProcessId: 'one-task' })
    t.equal(fresh.version, 2)
    const pinned = await engine.createProcessInstance({ bpmnProcessId: 'one-task', version: 1 })
    t.equal(pinned.version, 1)

    const oldJob = await activateOne(engine, 'work')
    t.equal(oldJob.processDefinitionVersion, 1)
    t.equal(oldJob.processInstanceKey, old.processInstanceKey)
    await engine.completeJob(oldJob.key)
    await waitForState(engine, old.processInstanceKey, 'COMPLETED')
    t.equal((await activateOne(engine, 'work-v2')).processInstanceKey, fresh.processInstanceKey)
  },
)

t.test('a file outside the supported subset is rejected with each element id and nothing is deployed', async (t) => {
  const engine = await createContractEngine(t)
  const err = await engine.deploy([fixture('unsupported.bpmn'), fixture('one-task.bpmn')]).catch((e) => e)
  t.type(err, DeployValidationError)
  const ids = (err as DeployValidationError).problems.map((p) => p.elementId).sort()
  // oldUser, a job-based user task, is executed (test/engine/job-user-task.test.ts): it is not among the problems.
  t.same(ids, ['complex', 'noType', 'waitCondition'])
  for (const p of (err as DeployValidationError).problems) {
    t.equal(p.resourceName, 'unsupported.bpmn')
    t.equal(p.severity, 'error')
  }
  await t.rejects(engine.createProcessInstance({ bpmnProcessId: 'one-task' }), { code: 'NOT_FOUND' })
  const broken = await engine.deploy([{ name: 'broken.bpmn', content: '<nope' }]).catch((e) => e)
  t.type(broken, DeployValidationError)
})
