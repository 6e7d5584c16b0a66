// Specification: a procedure whose workflow has a job-based user task (no <zeebe:userTask/>, as Camunda 8 models
// written before 8.6 have) shows that task in the worklist like any other; claiming and deciding it through motcua's
// task commands completes the io.camunda.zeebe:userTask job, and the dossier moves on.
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { seedProcedures } from '../src/catalogue/service.js'
import t from 'tap'
import { birthForm, createDossierWorld, requiredUploads } from './helpers/dossiers.js'
import { eventually } from './helpers/eventually.js'

const w = await createDossierWorld(t)
const { service } = w.runtime
const citizen = await w.as('congdan')
const counter = await w.as('motcua-xa')

t.test('given the birth registration with a job-based reception task, the counter officer works it', async (t) => {
  // The same workflow with the reception task job-based, published as the procedure's next version.
  const workflows = mkdtempSync(join(tmpdir(), 'motcua-workflows-'))
  cpSync(fileURLToPath(new URL('../workflows/', import.meta.url)), workflows, { recursive: true })
  const file = join(workflows, 'dang-ky-khai-sinh.bpmn')
  const xml = readFileSync(file, 'utf8')
  const receive = xml.indexOf('<bpmn:userTask id="Task_Receive"')
  // A job-based user task names a custom form by `formKey` (Zeebe has `externalReference` for Camunda user tasks only).
  const jobBased = xml
    .slice(receive)
    .replace('<zeebe:userTask />', '')
    .replace('externalReference="motcua:task-decision"', 'formKey="motcua:task-decision"')
  writeFileSync(file, xml.slice(0, receive) + jobBased)
  const report = await seedProcedures(w.db.knex, w.engine, { workflowsDir: workflows })
  t.same(report.published, ['dang-ky-khai-sinh'], JSON.stringify(report.failed))

  const attachments = await Promise.all(
    requiredUploads['dang-ky-khai-sinh']!.map(async (componentId) => ({
      componentId,
      fileId: await w.file('congdan'),
    })),
  )
  const { dossierId } = await service.submit(citizen, {
    procedure: 'dang-ky-khai-sinh',
    agencyUnitId: 'xa-an-binh',
    formData: birthForm,
    deliveryMethod: 'counter',
    attachments,
    idempotencyKey: 'job-user-task-1',
  })
  const task = await eventually('the reception task in the worklist', async () =>
    w.db.knex('tasks').where({ dossier_id: dossierId, state: 'CREATED' }).first(),
  )
  t.equal(task.element_id, 'Task_Receive')
  const engineTask = await w.engine.getUserTask(task.user_task_key)
  t.ok(engineTask?.jobKey, 'the engine task is the job-based one')
  t.equal((await w.engine.getProcessInstance(engineTask!.processInstanceKey))?.version, 2)

  await service.claim(counter, task.user_task_key)
  await service.receive(counter, dossierId)
  await eventually(
    'the reception task completed',
    async () => (await w.db.knex('tasks').where({ user_task_key: task.user_task_key }).first()).state === 'COMPLETED',
  )
  t.equal((await w.engine.getUserTask(task.user_task_key))?.state, 'COMPLETED')
  t.same(
    await w.engine.activateJobs({
      type: 'io.camunda.zeebe:userTask',
      worker: 'test',
      maxJobsToActivate: 5,
      timeoutMs: 1000,
    }),
    [],
    'its job ended with it',
  )
  await eventually('the next step', async () =>
    w.db
      .knex('tasks')
      .where({ dossier_id: dossierId, state: 'CREATED' })
      .whereNot({ element_id: 'Task_Receive' })
      .first(),
  )
})
