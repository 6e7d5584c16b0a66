// Measures what the report-count trigger (migration 0801: each dossier change updates its row of report_day_counts in
// the same transaction) costs writers that land on ONE count row (same unit, procedure, channel and day: the busiest
// commune's counter in the morning) against writers spread over many rows, and both against the same inserts with the
// trigger disabled. Each write is one transaction inserting one received dossier and committing (fsync on), as
// reception does; C of them run at once. Prints transactions per second per case and the ratios, on the PostgreSQL
// server named by DATABASE_URL, in a fresh database it creates and drops.
// Run: DATABASE_URL=postgres://postgres@127.0.0.1:5432/test npx tsx scripts/bench-report-counts.ts
//      (BENCH_N transactions per case, default 3000; BENCH_CONCURRENCY, default 16)
import { performance } from 'node:perf_hooks'
import { loadavg, tmpdir } from 'node:os'
import { mkdtempSync } from 'node:fs'
import { join } from 'node:path'
import type { Knex } from 'knex'
import { seedProcedures } from '../src/catalogue/service.js'
import { seedCalendar } from '../src/db/calendar-repository.js'
import { knexFor, openServerDatabase } from '../src/db/database.js'
import { migrateLatest } from '../src/db/migrate.js'
import { seedDemo } from '../src/db/seed.js'
import { EmbeddedEngine } from '../src/engine/embedded/index.js'

const base = process.env['DATABASE_URL']
if (!base) throw new Error('Set DATABASE_URL to a PostgreSQL server, e.g. postgres://postgres@127.0.0.1:5432/test')
const n = Number(process.env['BENCH_N'] ?? 3000)
const concurrency = Number(process.env['BENCH_CONCURRENCY'] ?? 16)

/** One received dossier of procedure `p` at unit `u`, received on day `day` (0 = 2026-01-01), in a transaction. */
async function receive(knex: Knex, key: string, p: number, u: number, day: number): Promise<void> {
  await knex.raw(
    `WITH p AS (
       SELECT v.procedure_id, v.id AS version_id, v.definition->>'code' AS code, v.definition->>'slug' AS slug,
              v.definition->>'name' AS name
       FROM procedures pr JOIN procedure_versions v ON v.procedure_id = pr.id AND v.version = pr.published_version
       ORDER BY v.id OFFSET ? LIMIT 1
     ), u AS (
       SELECT id, path FROM units WHERE level IN ('commune', 'service_centre', 'department') ORDER BY id OFFSET ? LIMIT 1
     ), t AS (SELECT timestamptz '2026-01-01 08:00+07' + ? * interval '1 day' AS at)
     INSERT INTO dossiers (procedure_id, procedure_version_id, procedure_code, procedure_slug, procedure_name,
                           agency_unit_id, unit_path, applicant_name, applicant_id_number, channel, delivery_method,
                           status, submitted_at, accepted_at, receipt_date, due_date, due_at, overdue, paused,
                           idempotency_key)
     SELECT p.procedure_id, p.version_id, p.code, p.slug, p.name, u.id, u.path, 'Công dân thử', '001090000001',
            'counter', 'counter', 2, t.at, t.at, t.at::date, (t.at + interval '10 days')::date,
            t.at + interval '10 days', false, false, ?
     FROM p, u, t`,
    [p, u, day, key],
  )
}

async function run(knex: Knex, label: string, keyOf: (i: number) => [number, number, number]): Promise<number> {
  let next = 0
  const t0 = performance.now()
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let i = next++; i < n; i = next++) {
        const [p, u, day] = keyOf(i)
        await receive(knex, `${label}-${i}`, p, u, day)
      }
    }),
  )
  return n / ((performance.now() - t0) / 1000)
}

const name = `motcua_bench_counts_${Date.now().toString(36)}`
const admin = knexFor(base, 1)
await admin.raw(`CREATE DATABASE ${name}`)
const url = new URL(base)
url.pathname = `/${name}`
const db = await openServerDatabase(url.toString(), concurrency + 2)
try {
  const knex = db.knex
  await migrateLatest(knex)
  await seedCalendar(knex)
  await seedDemo(knex, mkdtempSync(join(tmpdir(), 'motcua-bench-counts-')))
  const engine = new EmbeddedEngine(db, {})
  await engine.start()
  await seedProcedures(knex, engine)
  await engine.stop()
  const units = Number(
    (await knex('units').whereIn('level', ['commune', 'service_centre', 'department']).count({ n: '*' }).first())!.n,
  )
  console.log(
    `PostgreSQL ${(await knex.raw('SHOW server_version')).rows[0].server_version}, fsync=${(await knex.raw('SHOW fsync')).rows[0].fsync}, ${n} transactions per case, ${concurrency} at once; load average ${loadavg()[0]!.toFixed(1)}`,
  )
  const oneRow = () => [0, 0, 0] as [number, number, number]
  // Every transaction on a row of its own: another day for each (and procedures and units turning).
  const spread = (i: number) => [i % 5, i % units, 1 + i] as [number, number, number]
  await run(knex, 'warm', spread) // warm-up
  const cases: Array<[string, (i: number) => [number, number, number], boolean]> = [
    ['one count row, trigger on', oneRow, true],
    ['spread over rows, trigger on', spread, true],
    ['one count row, trigger off', oneRow, false],
    ['spread over rows, trigger off', spread, false],
  ]
  const rates = new Map<string, number>()
  for (const round of [1, 2]) {
    for (const [label, keyOf, trigger] of cases) {
      await knex.raw(`ALTER TABLE dossiers ${trigger ? 'ENABLE' : 'DISABLE'} TRIGGER dossiers_report_day_counts`)
      const rate = await run(knex, `${label}-${round}`.replace(/\W+/g, '-'), keyOf)
      rates.set(label, Math.max(rates.get(label) ?? 0, rate))
      console.log(`round ${round}: ${label}: ${rate.toFixed(0)} transactions/s`)
    }
  }
  await knex.raw('ALTER TABLE dossiers ENABLE TRIGGER dossiers_report_day_counts')
  const r = (a: string, b: string) => (rates.get(a)! / rates.get(b)!).toFixed(2)
  console.log(
    `best of two: one row ÷ spread, trigger on = ${r('one count row, trigger on', 'spread over rows, trigger on')}; ` +
      `trigger on ÷ off, one row = ${r('one count row, trigger on', 'one count row, trigger off')}, ` +
      `spread = ${r('spread over rows, trigger on', 'spread over rows, trigger off')}; load average now ${loadavg()[0]!.toFixed(1)}`,
  )
} finally {
  await db.close()
  await admin.raw(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
  await admin.destroy()
}
