// Where a start's CPU goes, phase by phase, as `motcua start` runs them (src/runtime.ts, src/server.ts): process CPU
// seconds (user + system), which hold on a busy machine where wall times do not. Usage:
//   npx tsx scripts/start-phases.ts            a fresh data directory (from the cached template); prints its path
//   npx tsx scripts/start-phases.ts <dir>      a restart on that directory
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

const c0 = process.cpuUsage()
let last = 0
const lap = (label: string): void => {
  const c = process.cpuUsage(c0)
  const total = (c.user + c.system) / 1e6
  console.log(`${label.padEnd(34)} ${(total - last).toFixed(2)} s CPU`)
  last = total
}

const { loadConfig } = await import('../src/config.js')
const { buildRuntime } = await import('../src/runtime.js')
const { buildApp } = await import('../src/app.js')
const { openDatabase } = await import('../src/db/database.js')
const { migrateLatest } = await import('../src/db/migrate.js')
const { seedCalendar } = await import('../src/db/calendar-repository.js')
lap('imports (TypeScript through tsx)')
const dataDir = process.argv[2] ?? mkdtempSync(join(tmpdir(), 'motcua-phases-'))
const config = loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'silent', PORT: '0' }, { isTTY: false })
const db = await openDatabase(config)
lap('open the database')
await migrateLatest(db.knex)
lap('migrations (none pending)')
await seedCalendar(db.knex)
lap('calendar')
const runtime = await buildRuntime(config, { db, seedDemo: true })
lap('demo data, engine, services')
await runtime.start()
const app = await buildApp(config, runtime)
await app.listen({ port: 0 })
lap('start the runtime, build the app, listen')
await runtime.publishProcedures()
lap('publish the reference procedures')
await app.close()
await runtime.stop()
await db.close()
console.log(`data directory: ${dataDir}`)
