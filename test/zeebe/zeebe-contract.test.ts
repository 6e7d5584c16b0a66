// Core engine behaviours against a real Zeebe (Camunda 8.8) when ZEEBE_REST_ADDRESS is set; skipped with a clear
// message otherwise.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { EngineError, type Engine } from '../../src/engine/port.js'
import { ZEEBE_SKIP_MESSAGE, zeebeTargets } from './zeebe-target.js'
import { eventually } from '../helpers/eventually.js'

const targets = zeebeTargets()
if (targets.length === 0) {
  // Shown as skipped, not passed: a suite that never ran must not look green.
  t.test('core engine behaviours against a real Zeebe', { skip: ZEEBE_SKIP_MESSAGE }, async () => {})
}

const oneTask = {
  name: 'one-task.bpmn',
  content: readFileSync(join(import.meta.dirname, '../fixtures/bpmn/one-task.bpmn'), 'utf8'),
}

/** A real broker answers over the network: wait longer and poll less often than the embedded engine. */
const brokerTimeoutMs = 30_000

for (const target of targets) {
  t.test(target.name, async (t) => {
    const engine: Engine = await target.create(t)

    t.test('deploying the same resource twice makes no new version', async (t) => {
      const first = await engine.deploy([oneTask])
      const second = await engine.deploy([oneTask])
      t.equal(second.processes[0]!.version, first.processes[0]!.version)
      t.equal(second.processes[0]!.duplicate, true)
    })

    t.test('an instance waits at its service task until the job is completed, then completes', async (t) => {
      const ref = await engine.createProcessInstance({ bpmnProcessId: 'one-task', variables: { dossierId: 'HS-1' } })
      const job = await eventually(
        'a work job',
        async () =>
          (await engine.activateJobs({ type: 'work', worker: 'contract', maxJobsToActivate: 1, timeoutMs: 30_000 }))[0],
        brokerTimeoutMs,
        250,
      )
      t.equal(job.processInstanceKey, ref.processInstanceKey)
      t.same(job.customHeaders, { kind: 'test' })
      await engine.completeJob(job.key, { done: true })
      const view = await eventually(
        'the instance to complete',
        async () => {
          const v = await engine.getProcessInstance(ref.processInstanceKey)
          return v?.state === 'COMPLETED' ? v : undefined
        },
        brokerTimeoutMs,
        250,
      )
      t.same(view.variables, { dossierId: 'HS-1', done: true })
    })

    t.test('completing a job twice is NOT_FOUND (Zeebe forgets completed jobs)', async (t) => {
      await engine.createProcessInstance({ bpmnProcessId: 'one-task' })
      const job = await eventually(
        'a work job',
        async () =>
          (await engine.activateJobs({ type: 'work', worker: 'contract', maxJobsToActivate: 1, timeoutMs: 30_000 }))[0],
        brokerTimeoutMs,
        250,
      )
      await engine.completeJob(job.key)
      const error = await engine.completeJob(job.key).catch((e: unknown) => e)
      t.type(error, EngineError)
      t.equal((error as EngineError).code, 'NOT_FOUND')
    })

    t.test('a job failed with no retries left raises an incident that can be resolved after new retries', async (t) => {
      const ref = await engine.createProcessInstance({ bpmnProcessId: 'one-task' })
      const job = await eventually(
        'a work job',
        async () =>
          (await engine.activateJobs({ type: 'work', worker: 'contract', maxJobsToActivate: 1, timeoutMs: 30_000 }))[0],
        brokerTimeoutMs,
        250,
      )
      await engine.failJob(job.key, { retries: 0, errorMessage: 'smtp down' })
      const incident = await eventually(
        'an incident',
        async () => (await engine.getProcessInstance(ref.processInstanceKey))?.incidents[0],
        brokerTimeoutMs,
        250,
      )
      t.equal(incident.errorMessage, 'smtp down')
      await engine.updateJobRetries(job.key, 1)
      await engine.resolveIncident(incident.incidentKey)
      await engine.cancelProcessInstance(ref.processInstanceKey)
    })

    t.test('an unknown instance is undefined', async (t) => {
      t.equal(await engine.getProcessInstance('2251799813685249'), undefined)
    })
  })
}
