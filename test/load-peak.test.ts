// The province-peak profile's driver and check (scripts/load/peak.ts) at a few requests a second against a test app
// over HTTP: every class runs open loop without an error, every answered submission and completion is found in the
// database, and the check reports what is planted missing.
import t from 'tap'
import { ApiClient, citizenPassword, registerCitizens } from '../scripts/load/driver.js'
import { checkPeak, runPeak } from '../scripts/load/peak.js'
import { settle } from '../scripts/load/report.js'
import { eventually } from './helpers/eventually.js'
import { startLoadTestApp } from './helpers/load-app.js'

const { db, peer, baseUrl, passwords } = await startLoadTestApp(t)
const runId = `peaktest${Date.now().toString(36)}`
const names = await registerCitizens(new ApiClient(baseUrl, new Map(Object.entries(passwords)), 60_000), {
  citizens: 2,
  runId,
  verificationToken: (email) => peer.verificationToken(email, 30_000),
})

t.test('every class at a few a second: no error, nothing turned away, nothing lost', async (t) => {
  const result = await runPeak({
    baseUrls: [baseUrl, baseUrl],
    passwords,
    citizens: names.map((username, i) => ({ username, password: citizenPassword(runId, i) })),
    rates: { submissions: 2, worklistReads: 4, completions: 2, lookups: 2, reports: 1 },
    seconds: 4,
    maxInFlight: 50,
    knex: db.knex,
  })
  for (const [name, c] of Object.entries(result.classes)) {
    t.equal(c.errors, 0, `${name}: no error (${JSON.stringify([...result.errors])})`)
    t.equal(c.turnedAway, 0, `${name}: nothing turned away`)
    t.equal(c.started, c.due, `${name}: every operation due was started`)
  }
  t.equal(result.submitted.length, 8, 'every submission answered 201')
  t.ok(result.latencies.get('GET /api/tasks')?.length, 'worklist reads timed')
  t.ok(result.latencies.get('GET /api/supervision/reports/06a')?.length, 'report requests timed')

  await settle(db.knex, peer, 60_000, () => undefined)
  // The read model follows the engine: a completed task leaves the open tasks once projected.
  await eventually('completed tasks projected', async () => (await checkPeak(db.knex, result)).stillOpen.length === 0)
  t.same(await checkPeak(db.knex, result), { missingDossiers: [], stillOpen: [] }, 'nothing lost')

  const planted = {
    ...result,
    submitted: [...result.submitted, '00000000-0000-4000-8000-000000000000'],
  }
  t.same((await checkPeak(db.knex, planted)).missingDossiers, ['00000000-0000-4000-8000-000000000000'])
  const open = (await db.knex('tasks').where('state', 'CREATED').first('user_task_key', 'dossier_id')) as
    { user_task_key: string; dossier_id: string } | undefined
  if (open) {
    const claimed = {
      ...result,
      completed: [...result.completed, { taskKey: open.user_task_key, dossierId: open.dossier_id }],
    }
    t.same(
      (await checkPeak(db.knex, claimed)).stillOpen,
      [open.user_task_key],
      'a task said completed but open is caught',
    )
  }
})
