// Load run: starts motcua (on a fresh database of a PostgreSQL server) with a real SMTP peer, drives many dossiers
// through the HTTP API with simulated citizens and officers, then checks every dossier, its audit trail, its mails and
// its due date.
// Run: npx tsx scripts/load.ts --dossiers 500 --concurrency 16   (npm run load -- …)
// Options: --citizens N (20), --database-url postgres://…/postgres (an admin URL; default ADMIN_DATABASE_URL or the
// local server), --port 3931, --keep (leave the database), --settle-seconds 120.
// --profile province-peak: instead, an open-loop mix at a large province's peak rates (scripts/load/peak.ts) against
// --processes 2 motcua processes on one database for --seconds 300, at --scale 1 (× the rates); --steps 0.1,0.2,…
// runs 60-second steps at those scales first and reports the highest that met the targets. Exits 1 below target.
import { mkdtempSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { knexFor } from '../src/db/database.js'
import { checkLoad } from './load/check.js'
import { runLoad } from './load/driver.js'
import { startSmtpPeer } from './load/peer.js'
import { freshDatabase, printCheck, printLoad, settle } from './load/report.js'
import { provincePeakRun } from './load/peak-run.js'
import { ServerProcess } from './load/server.js'

const { values } = parseArgs({
  options: {
    dossiers: { type: 'string', default: '200' },
    concurrency: { type: 'string', default: '16' },
    citizens: { type: 'string', default: '20' },
    'database-url': {
      type: 'string',
      default: process.env['ADMIN_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres',
    },
    port: { type: 'string', default: '3931' },
    keep: { type: 'boolean', default: false },
    'settle-seconds': { type: 'string', default: '120' },
    profile: { type: 'string' },
    processes: { type: 'string', default: '2' },
    seconds: { type: 'string', default: '300' },
    scale: { type: 'string', default: '1' },
    steps: { type: 'string' },
  },
})
if (values.profile !== undefined) {
  if (values.profile !== 'province-peak') throw new Error(`unknown profile ${values.profile} (province-peak)`)
  process.exit(await provincePeakRun(values))
}
const runId = `load${Date.now().toString(36)}`
const log = (m: string) => console.log(`[${new Date().toISOString().slice(11, 19)}] ${m}`)
const dataDir = mkdtempSync(join(tmpdir(), 'motcua-load-'))
const peer = await startSmtpPeer()
const db = await freshDatabase(values['database-url']!, `motcua_${runId}`)
const server = new ServerProcess({
  databaseUrl: db.url,
  dataDir,
  port: Number(values.port),
  smtpUrl: peer.url,
  logFile: join(dataDir, 'server.log'),
})
let exitCode: number
try {
  log(`starting motcua on ${server.baseUrl} (database ${db.url}, log ${join(dataDir, 'server.log')})`)
  log(`ready after ${await server.start()} ms`)
  const result = await runLoad({
    baseUrl: server.baseUrl,
    passwords: server.passwords(),
    dossiers: Number(values.dossiers),
    concurrency: Number(values.concurrency),
    citizens: Number(values.citizens),
    runId,
    verificationToken: (email) => peer.verificationToken(email),
    log,
  })
  printLoad(result)
  console.log(
    `machine load average (1, 5, 15 min) at the end: ${loadavg()
      .map((x) => x.toFixed(1))
      .join(', ')}`,
  )
  const knex = knexFor(db.url, 2)
  log(`settled after ${await settle(knex, peer, Number(values['settle-seconds']) * 1000, log)} ms`)
  const report = await checkLoad(knex, result.runs, peer.received)
  printCheck(report)
  await knex.destroy()
  exitCode = report.ok ? 0 : 2
} finally {
  await server.stop()
  await peer.close()
  if (!values.keep) await db.drop()
}
process.exit(exitCode)
