// Worker process for the engine durability test: works jobs and user tasks of the `durable` process with
// idempotent side effects (keyed by job key) until it is killed. Env: CHILD_DATABASE_URL.
import { openServerDatabase } from '../src/db/database.js'
import { EmbeddedEngine } from '../src/engine/embedded/index.js'

const url = process.env['CHILD_DATABASE_URL']
if (!url) throw new Error('CHILD_DATABASE_URL is required')
const db = await openServerDatabase(url, 8)
const engine = new EmbeddedEngine(db, { timerPollMs: 100, log: () => undefined })
await engine.start()

for (const type of ['d-a', 'd-b', 'd-c']) {
  engine.createWorker({ type, maxJobsToActivate: 32, timeoutMs: 1500, pollIntervalMs: 200 }, async (job) => {
    // The side effect is applied once per job key, however often the job is delivered.
    await db.knex.raw(
      'INSERT INTO durability_effects (job_key, process_instance_key, element_id) VALUES (?, ?, ?) ON CONFLICT (job_key) DO NOTHING',
      [job.key, job.processInstanceKey, job.elementId],
    )
    return job.complete({ [`${job.elementId}Done`]: true })
  })
}

// Officers: complete every open review task.
for (;;) {
  const tasks = await engine.searchUserTasks({ state: 'CREATED', elementId: 'review', limit: 50 }).catch(() => [])
  await Promise.all(tasks.map((t) => engine.completeUserTask(t.userTaskKey, { reviewed: true }).catch(() => undefined)))
  if (tasks.length === 0) await new Promise((r) => setTimeout(r, 100))
}
