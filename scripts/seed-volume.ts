// Fills a PostgreSQL database with volume for the API and supervision benchmarks: 1,000,000 dossiers and 100,000 open
// tasks generated on the server with set-based INSERT … SELECT generate_series (no rows travel through Node). Finished
// dossiers carry what the reports read (finish instant, result against the due), waiting ones are paused; procedures,
// channels and statuses vary within each day.
// Run: DATABASE_URL=postgres://postgres@127.0.0.1:5432/motcua_bench npx tsx scripts/seed-volume.ts
//      (BENCH_DOSSIERS, BENCH_TASKS change the volume; the database must exist; it is migrated and seeded first.)
import { randomBytes } from 'node:crypto'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { hashPassword } from '../src/auth/passwords.js'
import { seedProcedures } from '../src/catalogue/service.js'
import { seedCalendar } from '../src/db/calendar-repository.js'
import { openServerDatabase } from '../src/db/database.js'
import { migrateLatest } from '../src/db/migrate.js'
import { seedDemo } from '../src/db/seed.js'
import { EmbeddedEngine } from '../src/engine/embedded/index.js'

const url = process.env['DATABASE_URL']
if (!url) throw new Error('DATABASE_URL (a PostgreSQL server database) is required')
const dossiers = Number(process.env['BENCH_DOSSIERS'] ?? 1_000_000)
const tasks = Number(process.env['BENCH_TASKS'] ?? 100_000)
const dataDir = process.env['DATA_DIR'] ?? mkdtempSync(join(tmpdir(), 'motcua-volume-'))

const db = await openServerDatabase(url, 4)
const knex = db.knex
const step = async (label: string, fn: () => Promise<unknown>) => {
  const t0 = performance.now()
  await fn()
  console.log(`${label}: ${((performance.now() - t0) / 1000).toFixed(1)} s`)
}

await step('migrate', () => migrateLatest(knex))
await step('calendar, demo units and accounts', async () => {
  await seedCalendar(knex)
  const credentials = await seedDemo(knex, dataDir)
  // A supervisor of the whole province with no groups (lanhdao heads it too, as lanh-dao), for bench-supervision.ts.
  const password = `Bench-${randomBytes(9).toString('base64url')}`
  await knex('users')
    .insert({
      username: 'lanhdao-tinh',
      password_hash: await hashPassword(password),
      kind: 'supervisor',
      full_name: 'Lãnh đạo tỉnh (benchmark)',
      email: 'lanhdao-tinh@motcua.local',
      unit_id: 'tinh-demo',
      groups: [],
      email_verified_at: new Date(),
    })
    .onConflict('username')
    .merge(['password_hash'])
  writeFileSync(
    join(dataDir, 'bench-credentials.json'),
    JSON.stringify([...credentials, { username: 'lanhdao-tinh', kind: 'supervisor', password }]),
  )
})
await step('reference procedures (published on the embedded engine)', async () => {
  const engine = new EmbeddedEngine(db, {})
  await engine.start()
  await seedProcedures(knex, engine)
  await engine.stop()
})

// Idempotent: a second run adds nothing.
const existing = Number(
  (await knex('dossiers').where('idempotency_key', 'like', 'volume-%').count({ n: '*' }).first())!.n,
)
if (existing === 0) {
  await step(`${dossiers.toLocaleString('en')} dossiers`, () =>
    knex.raw(
      `WITH p AS (
         SELECT v.procedure_id, v.id AS version_id, v.definition->>'code' AS code, v.definition->>'slug' AS slug, v.definition->>'name' AS name,
                row_number() OVER (ORDER BY v.id) - 1 AS i, count(*) OVER () AS n
         FROM procedures pr JOIN procedure_versions v ON v.procedure_id = pr.id AND v.version = pr.published_version
       ), u AS (
         SELECT id, path, agency_code, row_number() OVER (ORDER BY id) - 1 AS i, count(*) OVER () AS n
         FROM units WHERE level IN ('commune', 'service_centre', 'department')
       ), g AS (
         -- s % 600 is the day; k = s / 600 varies procedure, channel, status and the finish within a day.
         SELECT s, (s + (s / 600) * 5) % 12 AS status_pick, (s + s / 600) AS mix,
                (ARRAY[-7, -4, -1, 0, 2])[(s / 600) % 5 + 1] AS finish_offset,
                timestamptz '2025-01-01' + (s % 600) * interval '1 day' + (s % 480) * interval '1 minute' AS submitted_at
         FROM generate_series(1, ?::int) s
       ), f AS (
         SELECT g.*, (ARRAY[10,10,10,10,10,10,4,4,2,1,5,3])[g.status_pick + 1] AS status FROM g
       )
       INSERT INTO dossiers (code, procedure_id, procedure_version_id, procedure_code, procedure_slug, procedure_name, agency_unit_id, unit_path,
                             applicant_name, applicant_id_number, channel, delivery_method, status, submitted_at, accepted_at, receipt_date, due_date, due_at,
                             overdue, paused, finished_at, result, idempotency_owner, idempotency_key)
       SELECT u.agency_code || '-' || to_char(g.submitted_at, 'YYMMDD') || '-' || lpad(g.s::text, 7, '0'),
              p.procedure_id, p.version_id, p.code, p.slug, p.name, u.id, u.path,
              'Công dân ' || g.s, lpad((1090000000 + g.s)::text, 12, '0'),
              CASE WHEN g.mix % 3 = 0 THEN 'counter' ELSE 'online' END, 'counter',
              -- mostly returned (10), a share open (1, 2, 4) or waiting for a supplement (5), some refused after acceptance (3)
              g.status,
              g.submitted_at, g.submitted_at + interval '1 hour', (g.submitted_at + interval '1 hour')::date,
              (g.submitted_at + interval '10 days')::date, g.submitted_at + interval '10 days',
              g.s % 17 = 0, g.status IN (5, 6),
              -- finished a week, four days or one day early, at the due minute, or two days late
              CASE WHEN g.status IN (3, 7, 8, 9, 10) THEN g.submitted_at + interval '10 days' + g.finish_offset * interval '1 day' END,
              CASE WHEN g.status IN (9, 10) THEN CASE WHEN g.finish_offset < 0 THEN 'early' WHEN g.finish_offset = 0 THEN 'on_time' ELSE 'late' END END,
              NULL, 'volume-' || g.s
       FROM f AS g
       JOIN p ON p.i = g.mix % p.n
       JOIN u ON u.i = (g.s / 7) % u.n`,
      [dossiers],
    ),
  )
  await step(`${tasks.toLocaleString('en')} open tasks`, () =>
    knex.raw(
      `INSERT INTO tasks (user_task_key, dossier_id, process_instance_key, element_id, name, candidate_groups, unit_path, assignee, due_at, state, created_at)
       SELECT 'volume-' || d.rn, d.id, 'volume-' || d.rn,
              CASE WHEN d.rn % 2 = 0 THEN 'Task_Receive' ELSE 'Task_Review' END,
              CASE WHEN d.rn % 2 = 0 THEN 'Tiếp nhận hồ sơ' ELSE 'Thẩm định hồ sơ' END,
              CASE WHEN d.rn % 2 = 0 THEN ARRAY['mot-cua'] ELSE ARRAY['tu-phap-ho-tich'] END,
              d.unit_path, NULL, CASE WHEN d.rn % 2 = 0 THEN NULL ELSE d.due_at END, 'CREATED', d.submitted_at
       FROM (SELECT id, unit_path, due_at, submitted_at, row_number() OVER (ORDER BY id) AS rn FROM dossiers WHERE status IN (1, 2, 4) AND idempotency_key LIKE 'volume-%') d
       WHERE d.rn <= ?`,
      [tasks],
    ),
  )
}
// What the bottlenecks and the heatmap read (issue #22): each dossier's steps in `dossier_events` (reception, finished
// at acceptance; review, from acceptance to the finish, open while the dossier is, judged against a step deadline two
// days before the dossier's due) and a completed review task per finished dossier. Its own check, so a database
// seeded before these existed gains them on a second run.
const steps = Number(
  (await knex('dossier_events').where({ kind: 'step', giver: 'volume' }).count({ n: '*' }).first())!.n,
)
if (steps === 0) {
  await step('two steps per dossier (dossier_events)', () =>
    knex.raw(
      `INSERT INTO dossier_events (dossier_id, kind, at, step_id, step_name, user_task_key, giver, receiver_unit_path, receiver_role,
                                   step_due_at, finished_at, step_result)
       SELECT d.id, 'step', s.at, s.step_id, s.step_name, s.step_id || '-' || d.idempotency_key, 'volume', d.unit_path, s.role,
              s.due_at, s.finished_at,
              CASE WHEN s.due_at IS NULL OR s.finished_at IS NULL THEN NULL
                   WHEN s.finished_at < s.due_at - interval '1 day' THEN 'early'
                   WHEN s.finished_at <= s.due_at THEN 'on_time' ELSE 'late' END
       FROM dossiers d, LATERAL (VALUES
              ('Task_Receive', 'Tiếp nhận hồ sơ', 'mot-cua', d.submitted_at, NULL::timestamptz, d.accepted_at),
              ('Task_Review', 'Thẩm định hồ sơ', 'chuyen-vien', d.accepted_at, d.due_at - interval '2 days', d.finished_at)
            ) AS s(step_id, step_name, role, at, due_at, finished_at)
       WHERE d.idempotency_key LIKE 'volume-%'`,
    ),
  )
  await step('a completed review task per finished dossier', () =>
    knex.raw(
      `INSERT INTO tasks (user_task_key, dossier_id, process_instance_key, element_id, name, candidate_groups, unit_path, assignee, due_at, state, created_at, completed_at)
       SELECT 'volume-done-' || d.idempotency_key, d.id, 'volume-done-' || d.idempotency_key, 'Task_Review', 'Thẩm định hồ sơ',
              ARRAY['tu-phap-ho-tich'], d.unit_path, NULL, d.due_at - interval '2 days', 'COMPLETED', d.accepted_at, d.finished_at
       FROM dossiers d WHERE d.finished_at IS NOT NULL AND d.idempotency_key LIKE 'volume-%'`,
    ),
  )
}
// A bulk load makes a million increments of a few thousand count rows in one transaction: compact what it left behind
// (in service the increments spread over time and autovacuum keeps the table at its size).
await step('vacuum and analyze', async () => {
  await knex.raw('VACUUM (FULL, ANALYZE) report_day_counts')
  await knex.raw('ANALYZE')
})
const counts =
  await knex.raw(`SELECT (SELECT count(*) FROM dossiers) AS dossiers, (SELECT count(*) FROM tasks WHERE state = 'CREATED') AS open_tasks,
  (SELECT pg_size_pretty(pg_total_relation_size('dossiers'))) AS dossiers_size, (SELECT pg_size_pretty(pg_total_relation_size('tasks'))) AS tasks_size,
  (SELECT count(*) FROM dossier_events WHERE kind = 'step') AS step_events, (SELECT pg_size_pretty(pg_total_relation_size('dossier_events'))) AS dossier_events_size,
  (SELECT count(*) FROM report_day_counts) AS report_day_counts, (SELECT pg_size_pretty(pg_total_relation_size('report_day_counts'))) AS report_day_counts_size`)
console.log(counts.rows[0])
console.log(`demo credentials: ${join(dataDir, 'bench-credentials.json')}`)
await db.close()
