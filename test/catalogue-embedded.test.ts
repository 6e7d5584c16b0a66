// Specification: the reference procedures publish through the real embedded engine and a birth
// registration dossier starts on it, waiting for the automatic completeness check.
import t from 'tap'
import { CatalogueService, seedProcedures } from '../src/catalogue/service.js'
import { seedDemo } from '../src/db/seed.js'
import { EmbeddedEngine } from '../src/engine/embedded/index.js'
import { createTestDatabase } from './helpers/db.js'

t.test('seeding deploys every reference workflow on the embedded engine', async (t) => {
  const db = await createTestDatabase(t)
  const engine = new EmbeddedEngine(db, { timerPollMs: 50, workerPollMs: 100 })
  await engine.start()
  t.teardown(() => engine.stop())

  // The construction permit and the linked group hand steps to other agencies, which must exist to publish.
  await seedDemo(db.knex, t.testdir())
  const report = await seedProcedures(db.knex, engine)
  t.same(report.failed, [])
  t.equal(report.published.length, 6)

  const detail = await new CatalogueService(db.knex, engine).get('dang-ky-khai-sinh')
  t.match(detail, { status: 'published', processDefinitionKey: /^\d+$/ })

  const instance = await engine.createProcessInstance({
    bpmnProcessId: 'dang-ky-khai-sinh',
    variables: { dossierId: 'D-1', deliveryMethod: 'online' },
  })
  t.equal(instance.processDefinitionKey, detail.processDefinitionKey, 'the instance runs the published version')
  const jobs = await engine.activateJobs({
    type: 'dossier.completeness-check',
    worker: 'test',
    maxJobsToActivate: 1,
    timeoutMs: 10_000,
  })
  t.match(jobs, [{ elementId: 'Task_CompletenessCheck', variables: { dossierId: 'D-1' } }])
})
