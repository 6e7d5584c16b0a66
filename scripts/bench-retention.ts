// Retention benchmark: the engine event log under steady load stays bounded by the retention period.
// Simulates DAYS days of EVENTS_PER_DAY engine event records (the read model keeping up: its cursor at the newest),
// runs the retention sweep at the end of each day as the runtime would, and prints the table's rows and size per week
// and the sweep's time per day, vacuuming by autovacuum's default rule. Fails when the log holds more than
// (RETENTION_DAYS + 1) days of records afterwards.
// Run: npm run bench:retention   (PostgreSQL server; BENCH_DATABASE_URL, default a database motcua_bench_retention on
// 127.0.0.1, created when missing). DAYS (60), EVENTS_PER_DAY (20000), RETENTION_DAYS (30).
import { openServerDatabase } from '../src/db/database.js'
import { migrateLatest } from '../src/db/migrate.js'
import { pruneOperationalTables } from '../src/housekeeping/retention.js'

const url = process.env['BENCH_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/motcua_bench_retention'
const days = Number(process.env['DAYS'] ?? 60)
const perDay = Number(process.env['EVENTS_PER_DAY'] ?? 20_000)
const retentionDays = Number(process.env['RETENTION_DAYS'] ?? 30)
const DAY = 86_400_000

async function ensureDatabase(): Promise<void> {
  const name = new URL(url).pathname.slice(1)
  const admin = await openServerDatabase(url.replace(/\/[^/]*$/, '/postgres'), 1)
  try {
    const exists = await admin.knex.raw('SELECT 1 FROM pg_database WHERE datname = ?', [name])
    if (!exists.rows.length) await admin.knex.raw(`CREATE DATABASE "${name}"`)
  } finally {
    await admin.close()
  }
}

await ensureDatabase()
const db = await openServerDatabase(url, 2)
const { knex } = db
try {
  await migrateLatest(knex)
  await knex.raw('TRUNCATE engine_events RESTART IDENTITY')
  await knex('read_model_cursors').delete()
  await knex('read_model_cursors').insert({ name: 'bench', last_event_id: 0 })
  const start = new Date('2027-01-01T00:00:00Z').getTime()
  const sweepMs: number[] = []
  let deadRows = 0
  console.log(`engine_events, ${perDay} records a day, retention ${retentionDays} days, ${days} days`)
  console.log('day | rows after the sweep | table size | sweep ms')
  for (let day = 0; day < days; day++) {
    // The day's records, spread over the day, each carrying a small event as the engine writes them.
    await knex.raw(
      `INSERT INTO engine_events (process_instance_key, events, created_at)
       SELECT g, '[{"type":"job.completed","processInstanceKey":"1","at":"2027-01-01T00:00:00Z"}]'::jsonb,
              to_timestamp(? / 1000.0) + (g * (86400.0 / ?)) * interval '1 second'
         FROM generate_series(1, ?) g`,
      [start + day * DAY, perDay, perDay],
    )
    await knex.raw('UPDATE read_model_cursors SET last_event_id = (SELECT max(id) FROM engine_events)')
    const t0 = performance.now()
    const pruned = await pruneOperationalTables(knex, new Date(start + (day + 1) * DAY), { retentionDays })
    sweepMs.push(performance.now() - t0)
    // Autovacuum makes deleted rows' space reusable once they pass its threshold (by default 20 % of the table plus
    // 50 rows); simulated days pass faster than its naptime, so the script vacuums by the same rule.
    deadRows += pruned.engine_events
    const live = Number((await knex('engine_events').count({ n: '*' }).first())?.n)
    if (deadRows > 0.2 * live + 50) {
      await knex.raw('VACUUM engine_events')
      deadRows = 0
    }
    if ((day + 1) % 7 === 0 || day === days - 1) {
      const rows = Number((await knex('engine_events').count({ n: '*' }).first())?.n)
      const size = (await knex.raw(`SELECT pg_size_pretty(pg_total_relation_size('engine_events')) AS s`)).rows[0].s
      console.log(`${day + 1} | ${rows} | ${size} | ${sweepMs.at(-1)!.toFixed(0)}`)
    }
  }
  const rows = Number((await knex('engine_events').count({ n: '*' }).first())?.n)
  const bound = (retentionDays + 1) * perDay
  const sorted = [...sweepMs].sort((a, b) => a - b)
  console.log(
    `sweep per day: median ${sorted[Math.floor(sorted.length / 2)]!.toFixed(0)} ms, max ${sorted.at(-1)!.toFixed(0)} ms`,
  )
  console.log(
    `rows at the end: ${rows}; bound (${retentionDays} + 1 days): ${bound}; without the sweep: ${days * perDay}`,
  )
  if (rows > bound) {
    console.error('FAIL: the event log is not bounded by the retention period')
    process.exitCode = 1
  }
} finally {
  await db.close()
}
