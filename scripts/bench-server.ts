// What the HTTP benchmarks share: start `motcua start` on 127.0.0.1 against a seeded database (rate limits waived for
// the loopback client), log in, and measure one kind of request with autocannon (p50/p95/p99 and req/s), then stop it.
import { spawn } from 'node:child_process'
import type { EventEmitter } from 'node:events'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { loadavg } from 'node:os'
import autocannon from 'autocannon'
import { serverCpuSnapshot } from './cpu-time.js'

/** One measurement: latencies in ms, the rate, the server's CPU per request (its Node process and local PostgreSQL). */
export interface Measured {
  name: string
  connections: number
  requests: number
  rps: number
  p50: number
  p95: number
  p99: number
  nodeCpuMs: number
  postgresCpuMs: number
  /** The 1-minute load average at the start and at the end. */
  load: [number, number]
}

export interface BenchServer {
  base: string
  /** A bearer authorization header for a demo or benchmark account of the data directory. */
  login(username: string): Promise<string>
  /** `connections` overrides the server's default for this measurement. */
  measure(
    name: string,
    pick: () => { path: string; headers?: Record<string, string> },
    expectStatus: number,
    connections?: number,
  ): Promise<Measured>
  stop(): Promise<void>
}

/**
 * The database and data directory seed-volume.ts filled (DATABASE_URL, DATA_DIR), and BENCH_PORT, BENCH_SECONDS,
 * BENCH_CONNECTIONS.
 */
export function benchEnvironment(defaultPort: number): {
  url: string
  dataDir: string
  port: number
  seconds: number
  connections: number
} {
  const url = process.env['DATABASE_URL']
  const dataDir = process.env['DATA_DIR']
  if (!url || !dataDir) throw new Error('DATABASE_URL and DATA_DIR (as given to seed-volume.ts) are required')
  const number = (name: string, fallback: number) => Number(process.env[name] ?? fallback)
  return {
    url,
    dataDir,
    port: number('BENCH_PORT', defaultPort),
    seconds: number('BENCH_SECONDS', 15),
    connections: number('BENCH_CONNECTIONS', 10),
  }
}

export async function startBenchServer(
  dataDir: string,
  opts: { port: number; seconds: number; connections: number },
): Promise<BenchServer> {
  const base = `http://127.0.0.1:${opts.port}`
  const server = spawn(process.execPath, ['bin/motcua.js', 'start'], {
    env: {
      ...process.env,
      HOST: '127.0.0.1',
      PORT: String(opts.port),
      DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
      NODE_ENV: 'production',
      JWT_SECRET: 'bench-'.padEnd(40, 'x'),
      RATE_LIMIT_ALLOW: '127.0.0.1,::ffff:127.0.0.1',
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  })
  const stop = () =>
    new Promise<void>((resolve) =>
      server.exitCode !== null ? resolve() : (server.once('exit', () => resolve()), server.kill('SIGTERM')),
    )
  try {
    for (let i = 0; ; i++) {
      const ok = await fetch(`${base}/health/ready`)
        .then((r) => r.ok)
        .catch(() => false)
      if (ok) break
      if (i > 300) throw new Error('the server did not become ready')
      await new Promise((r) => setTimeout(r, 200))
    }
  } catch (err) {
    await stop()
    throw err
  }
  const credentials = ['demo-credentials.json', 'bench-credentials.json'].flatMap((f) => {
    try {
      return JSON.parse(readFileSync(join(dataDir, f), 'utf8')) as Array<{ username: string; password: string }>
    } catch {
      return []
    }
  })
  console.log(`autocannon: ${opts.connections} connections, ${opts.seconds} s each`)
  return {
    base,
    stop,
    async login(username) {
      const password = credentials.find((c) => c.username === username)?.password
      if (!password) throw new Error(`no credentials for ${username} in ${dataDir}`)
      const res = await fetch(`${base}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username, password }),
      })
      return `Bearer ${((await res.json()) as { accessToken: string }).accessToken}`
    },
    async measure(name, pick, expectStatus, connections = opts.connections) {
      const times: number[] = []
      const statuses = new Map<number, number>()
      const load0 = loadavg()[0]!
      const cpu0 = serverCpuSnapshot(server.pid!)
      // Without a callback autocannon returns its tracker: an EventEmitter that is also a promise of the result.
      const instance = autocannon({
        url: base,
        connections,
        duration: opts.seconds,
        requests: [
          {
            setupRequest: (req: autocannon.Request) => {
              const p = pick()
              return { ...req, method: 'GET', path: p.path, headers: { ...req.headers, ...(p.headers ?? {}) } }
            },
          },
        ],
      }) as unknown as EventEmitter & Promise<autocannon.Result>
      instance.on('response', (_client: unknown, status: number, _bytes: number, ms: number) => {
        times.push(ms)
        statuses.set(status, (statuses.get(status) ?? 0) + 1)
      })
      const result = await instance
      const cpu1 = serverCpuSnapshot(server.pid!)
      const load: [number, number] = [load0, loadavg()[0]!]
      times.sort((a, b) => a - b)
      const q = (p: number) => times[Math.min(times.length - 1, Math.floor(p * times.length))] ?? NaN
      const unexpected = [...statuses].filter(([s]) => s !== expectStatus)
      const perRequest = (s: number) => (times.length ? (s * 1000) / times.length : NaN)
      const m: Measured = {
        name,
        connections,
        requests: times.length,
        rps: result.requests.average,
        p50: q(0.5),
        p95: q(0.95),
        p99: q(0.99),
        nodeCpuMs: perRequest(cpu1.node - cpu0.node),
        postgresCpuMs: perRequest(cpu1.postgres - cpu0.postgres),
        load,
      }
      console.log(
        `${name}${connections === opts.connections ? '' : ` [${connections} connection${connections === 1 ? '' : 's'}]`}: ${times.length} requests, ${result.requests.average.toFixed(0)} req/s, p50 ${m.p50.toFixed(1)} ms, p95 ${m.p95.toFixed(1)} ms, p99 ${m.p99.toFixed(1)} ms; CPU per request: node ${m.nodeCpuMs.toFixed(2)} ms, postgres ${m.postgresCpuMs.toFixed(2)} ms; load ${load[0].toFixed(1)} → ${load[1].toFixed(1)}${unexpected.length ? `, unexpected statuses ${JSON.stringify(unexpected)}` : ''}`,
      )
      return m
    },
  }
}

/** Prints EXPLAIN (ANALYZE, BUFFERS) of a query as knex reported it in its 'query' event (native $n placeholders). */
export async function explain(
  knex: import('knex').Knex,
  label: string,
  q: { sql: string; bindings: readonly unknown[] },
): Promise<void> {
  const rows = (await knex.raw(`EXPLAIN (ANALYZE, BUFFERS) ${q.sql.replace(/\$\d+/g, '?')}`, q.bindings as never))
    .rows as Array<{ 'QUERY PLAN': string }>
  console.log(`\n-- EXPLAIN (ANALYZE, BUFFERS): ${label}\n${rows.map((r) => r['QUERY PLAN']).join('\n')}`)
}
