// Where a start's CPU goes, phase by phase, as `motcua start` runs them (src/runtime.ts, src/server.ts): process CPU
// seconds (user + system), which hold on a busy machine where wall times do not. Usage:
//   npx tsx scripts/start-phases.ts            a fresh data directory (from the cached template); prints its path
//   npx tsx scripts/start-phases.ts <dir>      a restart on that directory
//   ... --dist                                 the modules compiled in dist/ (npm run build:server), not src/
//                                              (tsx's loader is still registered, for this script)
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

const args = process.argv.slice(2)
const fromDist = args.includes('--dist')
const tree = fromDist ? '../dist/' : '../src/'
const { loadConfig } = (await import(`${tree}config.js`)) as typeof import('../src/config.js')
const { buildRuntime } = (await import(`${tree}runtime.js`)) as typeof import('../src/runtime.js')
const { buildApp } = (await import(`${tree}app.js`)) as typeof import('../src/app.js')
const { openDatabase } = (await import(`${tree}db/database.js`)) as typeof import('../src/db/database.js')
const { migrateLatest } = (await import(`${tree}db/migrate.js`)) as typeof import('../src/db/migrate.js')
const { seedCalendar } = (await import(
  `${tree}db/calendar-repository.js`
)) as typeof import('../src/db/calendar-repository.js')
lap(fromDist ? 'imports (compiled, dist/)' : 'imports (TypeScript through tsx)')
const dataDir = args.find((a) => a !== '--dist') ?? mkdtempSync(join(tmpdir(), 'motcua-phases-'))
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
