// Chaos run: the load of scripts/load.ts against a motcua child process that is killed with SIGKILL at random moments
// and restarted, on a throw-away PostgreSQL cluster (fsync on) that is restarted once during the run; then the same
// check: nothing lost, nothing stuck, nothing done twice, no e-mail twice at the SMTP peer, every due date right. Run
// as root (PostgreSQL runs as the postgres OS user through runuser):
//   npx tsx scripts/chaos.ts --dossiers 5000 --concurrency 24 --kills 6   (npm run chaos -- …) Options: --citizens 20,
//   --port 3941, --pg-port 55432, --pg-bin /usr/lib/postgresql/15/bin, --kill-min-s 45, --kill-max-s 150,
//   --settle-seconds 480 (longer than the outbox lease of 5 min: a mail claimed by a killed process waits for it),
//   --keep, --max-minutes M (after M minutes, or on SIGUSR2, no new dossier is started; those under way finish and are
//   checked), --pg-restart-mode fast|immediate (immediate: as a crash, recovered from the WAL).
import { execFileSync } from 'node:child_process'
import { chmodSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { knexFor } from '../src/db/database.js'
import { checkLoad } from './load/check.js'
import { runLoad } from './load/driver.js'
import { startSmtpPeer } from './load/peer.js'
import { freshDatabase, printCheck, printLoad, settle } from './load/report.js'
import { ServerProcess } from './load/server.js'

const { values } = parseArgs({
  options: {
    dossiers: { type: 'string', default: '5000' },
    concurrency: { type: 'string', default: '24' },
    citizens: { type: 'string', default: '20' },
    kills: { type: 'string', default: '6' },
    'kill-min-s': { type: 'string', default: '45' },
    'kill-max-s': { type: 'string', default: '150' },
    port: { type: 'string', default: '3941' },
    'pg-port': { type: 'string', default: '55432' },
    'pg-bin': { type: 'string', default: '/usr/lib/postgresql/15/bin' },
    'settle-seconds': { type: 'string', default: '480' },
    keep: { type: 'boolean', default: false },
    'max-minutes': { type: 'string', default: '0' },
    'pg-restart-mode': { type: 'string', default: 'fast' },
  },
})
const t0 = Date.now()
const at = () => `${((Date.now() - t0) / 1000).toFixed(0)} s`
const log = (m: string) => console.log(`[${new Date().toISOString().slice(11, 19)} +${at()}] ${m}`)
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))
const runId = `chaos${Date.now().toString(36)}`
// fast: a clean restart; immediate: PostgreSQL stops as if it crashed and recovers from its WAL on start.
const mode = values['pg-restart-mode'] === 'immediate' ? 'immediate' : 'fast'

// A throw-away cluster owned by the postgres OS user (PostgreSQL refuses to run as root); fsync stays on.
const root = mkdtempSync(join(tmpdir(), 'motcua-chaos-'))
chmodSync(root, 0o755)
const pgData = join(root, 'pg')
mkdirSync(pgData)
execFileSync('chown', ['postgres:postgres', pgData])
const pgPort = Number(values['pg-port'])
const asPostgres = (cmd: string, args: string[]) =>
  execFileSync('runuser', ['-u', 'postgres', '--', join(values['pg-bin']!, cmd), ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  }).toString()
const pgCtl = (...args: string[]) =>
  asPostgres('pg_ctl', ['-D', pgData, '-l', join(pgData, 'server.log'), '-w', '-t', '120', ...args])
asPostgres('initdb', ['-D', pgData, '-A', 'trust', '-U', 'postgres', '--no-instructions'])
const pgOptions = `-p ${pgPort} -k ${pgData} -c listen_addresses=127.0.0.1 -c max_connections=200 -c fsync=on -c synchronous_commit=on`
pgCtl('-o', pgOptions, 'start')
log(`PostgreSQL cluster ${pgData} on 127.0.0.1:${pgPort} (fsync on)`)

const loads: number[] = []
const loadTimer = setInterval(() => loads.push(loadavg()[0]!), 15_000)
const peer = await startSmtpPeer()
const db = await freshDatabase(`postgres://postgres@127.0.0.1:${pgPort}/postgres`, 'motcua_chaos')
const server = new ServerProcess({
  databaseUrl: db.url,
  dataDir: join(root, 'data'),
  port: Number(values.port),
  smtpUrl: peer.url,
  logFile: join(root, 'server.log'),
})
let exitCode: number
const kills: Array<{ at: string; pid: number | undefined; readyAfterMs: number }> = []
let pgRestart: { at: string; tookMs: number } | undefined
try {
  log(`motcua ready after ${await server.start()} ms (log ${join(root, 'server.log')})`)
  let loadDone = false
  let stopStarting = false
  const maxMs = Number(values['max-minutes']) * 60_000
  process.on('SIGUSR2', () => ((stopStarting = true), log('SIGUSR2: no new dossiers; finishing those under way')))
  const load = runLoad({
    baseUrl: server.baseUrl,
    passwords: server.passwords(),
    dossiers: Number(values.dossiers),
    concurrency: Number(values.concurrency),
    citizens: Number(values.citizens),
    runId,
    verificationToken: (email) => peer.verificationToken(email, 600_000),
    log,
    waitTimeoutMs: 15 * 60_000,
    stopStarting: () => stopStarting || (maxMs > 0 && Date.now() - t0 > maxMs),
  }).finally(() => (loadDone = true))

  const chaos = (async () => {
    const target = Number(values.kills)
    const [min, max] = [Number(values['kill-min-s']) * 1000, Number(values['kill-max-s']) * 1000]
    for (let k = 0; k < target && !loadDone; k++) {
      const wait = min + Math.random() * (max - min)
      for (const end = Date.now() + wait; Date.now() < end && !loadDone;) await sleep(500)
      if (loadDone) break
      const pid = server.pid
      await server.stop('SIGKILL')
      log(`kill ${k + 1}/${target}: SIGKILL to motcua (pid ${pid})`)
      await sleep(Math.random() * 2000)
      const readyAfterMs = await server.start()
      kills.push({ at: at(), pid, readyAfterMs })
      log(`motcua restarted, ready after ${readyAfterMs} ms`)
      if (k === Math.floor(target / 2) - 1 && !pgRestart) {
        // Once, half-way: PostgreSQL itself goes down and comes back under the running server.
        await sleep(20_000)
        const t = Date.now()
        pgCtl('-o', pgOptions, '-m', mode, 'restart')
        pgRestart = { at: at(), tookMs: Date.now() - t }
        log(`PostgreSQL restarted (${mode} shutdown, ${pgRestart.tookMs} ms)`)
      }
    }
  })()
  const result = await load
  await chaos
  log(`load finished; ${kills.length} kills, PostgreSQL restarted ${pgRestart ? 'once' : 'never'}`)
  printLoad(result)
  const knex = knexFor(db.url, 2)
  log(`settled after ${await settle(knex, peer, Number(values['settle-seconds']) * 1000, log)} ms`)
  const report = await checkLoad(knex, result.runs, peer.received)
  await knex.destroy()
  console.log(
    `\nchaos: ${kills.length} SIGKILLs of motcua at ${kills.map((k) => k.at).join(', ')}; restarts ready after ${kills.map((k) => `${(k.readyAfterMs / 1000).toFixed(1)} s`).join(', ')}`,
  )
  console.log(
    `PostgreSQL: ${pgRestart ? `restarted once at ${pgRestart.at} (${mode} shutdown and start, ${pgRestart.tookMs} ms)` : 'not restarted (the load ended first)'}`,
  )
  if (loads.length)
    console.log(
      `machine load average (1 min) during the run: min ${Math.min(...loads).toFixed(1)}, mean ${(loads.reduce((a, b) => a + b, 0) / loads.length).toFixed(1)}, max ${Math.max(...loads).toFixed(1)} on 2 vCPU`,
    )
  printCheck(report)
  exitCode = report.ok ? 0 : 2
} finally {
  clearInterval(loadTimer)
  await server.stop()
  await peer.close()
  if (!values.keep) {
    try {
      pgCtl('-m', 'fast', 'stop')
    } catch (err) {
      console.error('stopping PostgreSQL failed', err)
    }
    rmSync(root, { recursive: true, force: true })
  } else console.log(`kept: ${root} (stop it with runuser -u postgres -- ${values['pg-bin']}/pg_ctl -D ${pgData} stop)`)
}
process.exit(exitCode)
