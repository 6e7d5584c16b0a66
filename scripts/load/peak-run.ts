// `npm run load -- --profile province-peak`: the processes, the citizens, the run (and the steps before it), the
// check and the verdict. See scripts/load/peak.ts for the mix.
import { mkdtempSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { knexFor } from '../../src/db/database.js'
import { postgresSeconds, processSeconds } from '../cpu-time.js'
import { ApiClient, citizenPassword, registerCitizens } from './driver.js'
import { checkPeak, provincePeak, readRoutes, runPeak, type PeakRates, type PeakResult } from './peak.js'
import { startSmtpPeer } from './peer.js'
import { freshDatabase, settle } from './report.js'
import { ServerProcess } from './server.js'

const targets = { readP95Ms: 100, writeP95Ms: 250 }

interface Values {
  'database-url'?: string
  port?: string
  keep?: boolean
  'settle-seconds'?: string
  processes?: string
  seconds?: string
  scale?: string
  steps?: string
  citizens?: string
}

const log = (m: string) => console.log(`[${new Date().toISOString().slice(11, 19)}] ${m}`)
const scaled = (scale: number): PeakRates =>
  Object.fromEntries(Object.entries(provincePeak).map(([k, v]) => [k, v * scale])) as unknown as PeakRates
const load = () =>
  loadavg()
    .map((x) => x.toFixed(1))
    .join(', ')

function percentile(sorted: number[], p: number): number {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]! : NaN
}

/** Prints the run's figures and returns what missed a target (empty: met). */
function report(result: PeakResult, cpu: { servers: number; postgres: number }, lost: number): string[] {
  const misses: string[] = []
  const requests = [...result.latencies.values()].reduce((n, xs) => n + xs.length, 0)
  console.log(`\n${result.seconds.toFixed(0)} s, ${requests} answered requests, load average now ${load()}`)
  console.log('class           due  started  turned away  idle  errors  achieved /s')
  for (const [name, c] of Object.entries(result.classes)) {
    console.log(
      `${name.padEnd(14)} ${String(c.due).padStart(5)} ${String(c.started).padStart(8)} ${String(c.turnedAway).padStart(12)} ${String(c.idle).padStart(5)} ${String(c.errors).padStart(7)} ${((c.started - c.idle) / result.seconds).toFixed(1).padStart(12)}`,
    )
    if (c.turnedAway > 0) misses.push(`${name}: ${c.turnedAway} turned away (the processes did not keep up)`)
  }
  console.log('\nroute                                                   n     p50     p95     p99  errors')
  const routes = new Set([...result.latencies.keys(), ...result.errors.keys()])
  for (const route of [...routes].sort()) {
    const xs = [...(result.latencies.get(route) ?? [])].sort((a, b) => a - b)
    const errors = result.errors.get(route)?.count ?? 0
    const p95 = percentile(xs, 0.95)
    console.log(
      `${route.padEnd(52)} ${String(xs.length).padStart(6)} ${percentile(xs, 0.5).toFixed(1).padStart(7)} ${p95.toFixed(1).padStart(7)} ${percentile(xs, 0.99).toFixed(1).padStart(7)} ${String(errors).padStart(7)}`,
    )
    if (route === 'POST /api/auth/login') continue
    const limit = readRoutes.includes(route) ? targets.readP95Ms : targets.writeP95Ms
    if (p95 >= limit) misses.push(`${route}: p95 ${p95.toFixed(0)} ms ≥ ${limit}`)
    if (errors) misses.push(`${route}: ${errors} errors (${result.errors.get(route)!.examples.join(' | ')})`)
  }
  console.log(
    `CPU per answered request: motcua processes ${((cpu.servers * 1000) / requests).toFixed(2)} ms, PostgreSQL ${((cpu.postgres * 1000) / requests).toFixed(2)} ms`,
  )
  if (lost) misses.push(`${lost} answered submissions or completions not found in the database`)
  return misses
}

export async function provincePeakRun(values: Values): Promise<number> {
  const runId = `peak${Date.now().toString(36)}`
  const dataDir = mkdtempSync(join(tmpdir(), 'motcua-peak-'))
  const peer = await startSmtpPeer()
  const db = await freshDatabase(values['database-url']!, `motcua_${runId}`)
  const port = Number(values.port ?? 3931)
  const servers = Array.from(
    { length: Number(values.processes ?? 2) },
    (_, k) =>
      new ServerProcess({
        databaseUrl: db.url,
        dataDir,
        port: port + k,
        smtpUrl: peer.url,
        logFile: join(dataDir, `server-${k}.log`),
      }),
  )
  const knex = knexFor(db.url, 4)
  try {
    // The first process migrates and seeds; the others start on the database it made.
    for (const s of servers) log(`motcua on ${s.baseUrl}: ready after ${await s.start()} ms`)
    const api = new ApiClient(servers[0]!.baseUrl, new Map(Object.entries(servers[0]!.passwords())), 120_000)
    const n = Number(values.citizens ?? 40)
    const names = await registerCitizens(api, {
      citizens: n,
      runId,
      verificationToken: (email) => peer.verificationToken(email),
    })
    const citizens = names.map((username, i) => ({ username, password: citizenPassword(runId, i) }))
    const common = {
      baseUrls: servers.map((s) => s.baseUrl),
      passwords: servers[0]!.passwords(),
      citizens,
      maxInFlight: 500,
      knex,
      log,
    }
    const measure = async (scale: number, seconds: number) => {
      const before = { servers: servers.map((s) => processSeconds(s.pid!)), postgres: postgresSeconds() }
      const result = await runPeak({ ...common, rates: scaled(scale), seconds })
      const cpu = {
        servers: servers.reduce((a, s, k) => a + processSeconds(s.pid!) - before.servers[k]!, 0),
        postgres: postgresSeconds() - before.postgres,
      }
      log(`settled after ${await settle(knex, peer, Number(values['settle-seconds'] ?? 120) * 1000, log)} ms`)
      const check = await checkPeak(knex, result)
      console.log(
        `check: ${result.submitted.length} submissions answered, ${check.missingDossiers.length} not in the database; ${result.completed.length} completions answered, ${check.stillOpen.length} still open`,
      )
      return report(result, cpu, check.missingDossiers.length + check.stillOpen.length)
    }

    let held: number | undefined
    for (const scale of (values.steps ?? '').split(',').filter(Boolean).map(Number)) {
      log(`step: ${scale} × the province peak for 60 s`)
      const misses = await measure(scale, 60)
      console.log(misses.length ? `step ${scale}: missed (${misses.join('; ')})` : `step ${scale}: met`)
      if (misses.length) break
      held = scale
    }
    if (values.steps) console.log(`highest step met: ${held === undefined ? 'none' : `${held} × the province peak`}`)
    const scale = Number(values.scale ?? 1)
    const seconds = Number(values.seconds ?? 300)
    log(
      `${scale} × the province peak (${JSON.stringify(scaled(scale))} per second) for ${seconds} s on ${servers.length} processes`,
    )
    const misses = await measure(scale, seconds)
    console.log(misses.length ? `below target:\n- ${misses.join('\n- ')}` : 'all targets met')
    return misses.length ? 1 : 0
  } finally {
    await knex.destroy()
    for (const s of servers) await s.stop()
    await peer.close()
    if (!values.keep) await db.drop()
  }
}
