// Measures the API under load with autocannon against a motcua server on 127.0.0.1: p50/p95/p99 of the worklist's
// first page (an officer of a commune holding tens of thousands of open tasks) and of the public lookup (right and
// wrong ID number), then prints EXPLAIN ANALYZE of both queries. Seed the volume first with scripts/seed-volume.ts.
// Run: DATABASE_URL=postgres://postgres@127.0.0.1:5432/motcua_bench DATA_DIR=/tmp/motcua-bench npx tsx scripts/bench-api.ts
//      (starts `motcua start` on BENCH_PORT, default 3917, with RATE_LIMIT_ALLOW=127.0.0.1; BENCH_SECONDS, BENCH_CONNECTIONS)
import { spawn } from 'node:child_process'
import type { EventEmitter } from 'node:events'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import autocannon from 'autocannon'
import { openServerDatabase } from '../src/db/database.js'
import { DossierQueries } from '../src/dossiers/queries.js'

const url = process.env['DATABASE_URL']
const dataDir = process.env['DATA_DIR']
if (!url || !dataDir) throw new Error('DATABASE_URL and DATA_DIR (as given to seed-volume.ts) are required')
const port = Number(process.env['BENCH_PORT'] ?? 3917)
const seconds = Number(process.env['BENCH_SECONDS'] ?? 15)
const connections = Number(process.env['BENCH_CONNECTIONS'] ?? 10)
const base = `http://127.0.0.1:${port}`

const server = spawn(process.execPath, ['bin/motcua.js', 'start'], {
  env: { ...process.env, HOST: '127.0.0.1', PORT: String(port), DATA_DIR: dataDir, LOG_LEVEL: 'warn', NODE_ENV: 'production', JWT_SECRET: 'bench-'.padEnd(40, 'x'), RATE_LIMIT_ALLOW: '127.0.0.1,::ffff:127.0.0.1' },
  stdio: ['ignore', 'inherit', 'inherit'],
})
const stopServer = () => new Promise<void>((resolve) => (server.exitCode !== null ? resolve() : (server.once('exit', () => resolve()), server.kill('SIGTERM'))))

try {
  for (let i = 0; ; i++) {
    const ok = await fetch(`${base}/health/ready`).then((r) => r.ok).catch(() => false)
    if (ok) break
    if (i > 300) throw new Error('the server did not become ready')
    await new Promise((r) => setTimeout(r, 200))
  }
  const credentials = JSON.parse(readFileSync(join(dataDir, 'demo-credentials.json'), 'utf8')) as Array<{ username: string; password: string }>
  const password = credentials.find((c) => c.username === 'motcua-xa')!.password
  const login = (await (await fetch(`${base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'motcua-xa', password }) })).json()) as { accessToken: string }
  const authorization = `Bearer ${login.accessToken}`

  const db = await openServerDatabase(url, 2)
  const sample = (await db.knex('dossiers').whereNotNull('code').whereRaw('random() < 0.002').limit(2000).select('code', 'applicant_id_number')) as Array<{ code: string; applicant_id_number: string }>
  const open = await db.knex.raw(`SELECT count(*) AS n FROM tasks t WHERE t.state = 'CREATED' AND t.unit_path LIKE '/tinh-demo/huyen-demo/xa-an-binh/%' AND t.candidate_groups && ARRAY['mot-cua']`)
  console.log(`volume: ${(await db.knex('dossiers').count({ n: '*' }).first())!.n} dossiers, ${(await db.knex('tasks').where({ state: 'CREATED' }).count({ n: '*' }).first())!.n} open tasks; motcua-xa's worklist holds ${open.rows[0].n}`)

  async function measure(name: string, pick: () => { path: string; headers?: Record<string, string> }, expectStatus: number) {
    const times: number[] = []
    const statuses = new Map<number, number>()
    // Without a callback autocannon returns its tracker: an EventEmitter that is also a promise of the result.
    const instance = autocannon({
      url: base, connections, duration: seconds,
      requests: [{ setupRequest: (req: autocannon.Request) => { const p = pick(); return { ...req, method: 'GET', path: p.path, headers: { ...req.headers, ...(p.headers ?? {}) } } } }],
    }) as unknown as EventEmitter & Promise<autocannon.Result>
    instance.on('response', (_client: unknown, status: number, _bytes: number, ms: number) => {
      times.push(ms)
      statuses.set(status, (statuses.get(status) ?? 0) + 1)
    })
    const result = await instance
    times.sort((a, b) => a - b)
    const q = (p: number) => times[Math.min(times.length - 1, Math.floor(p * times.length))]!.toFixed(1)
    const unexpected = [...statuses].filter(([s]) => s !== expectStatus)
    console.log(`${name}: ${times.length} requests, ${result.requests.average.toFixed(0)} req/s, p50 ${q(0.5)} ms, p95 ${q(0.95)} ms, p99 ${q(0.99)} ms${unexpected.length ? `, unexpected statuses ${JSON.stringify(unexpected)}` : ''}`)
  }

  let i = 0
  const next = () => sample[i++ % sample.length]!
  console.log(`autocannon: ${connections} connections, ${seconds} s each`)
  await measure('worklist, first page (GET /api/tasks?limit=50)', () => ({ path: '/api/tasks?limit=50', headers: { authorization } }), 200)
  await measure('public lookup, right ID', () => { const s = next(); return { path: `/api/public/dossiers/lookup?code=${s.code}&idNumber=${s.applicant_id_number}` } }, 200)
  await measure('public lookup, wrong ID', () => { const s = next(); return { path: `/api/public/dossiers/lookup?code=${s.code}&idNumber=999999999999` } }, 404)
  await measure('public lookup, unknown code', () => ({ path: `/api/public/dossiers/lookup?code=X99.20.30-991231-${String(i++).padStart(7, '0')}&idNumber=001090000001` }), 404)

  // Does the answer time tell a wrong ID from an unknown code? Interleaved one by one, so load affects both alike.
  const timed = async (path: string) => { const t0 = performance.now(); await (await fetch(base + path)).arrayBuffer(); return performance.now() - t0 }
  const wrongMs: number[] = []
  const unknownMs: number[] = []
  for (let k = 0; k < 400; k++) {
    const s = next()
    wrongMs.push(await timed(`/api/public/dossiers/lookup?code=${s.code}&idNumber=999999999999`))
    unknownMs.push(await timed(`/api/public/dossiers/lookup?code=X99.20.30-991231-${String(k).padStart(7, '0')}&idNumber=${s.applicant_id_number}`))
  }
  const stat = (xs: number[]) => { xs.sort((a, b) => a - b); return `median ${xs[Math.floor(xs.length / 2)]!.toFixed(2)} ms, p95 ${xs[Math.floor(xs.length * 0.95)]!.toFixed(2)} ms` }
  console.log(`lookup timing, sequential and interleaved (400 each): wrong ID ${stat(wrongMs)}; unknown code ${stat(unknownMs)}`)

  // The plans, on the same data: the worklist query exactly as DossierQueries builds it, and the lookup's one query.
  let captured: { sql: string; bindings: unknown[] } | undefined
  db.knex.on('query', (q: { sql: string; bindings: unknown[] }) => { if (/from "tasks"/.test(q.sql)) captured = q })
  const officer = (await db.knex('users as u').join('units as n', 'n.id', 'u.unit_id').where('u.username', 'motcua-xa').first('u.id', 'u.username', 'u.kind', 'u.unit_id', 'n.path', 'u.groups'))!
  await new DossierQueries(db.knex).worklist({ userId: officer.id, username: officer.username, kind: officer.kind, unitId: officer.unit_id, unitPath: officer.path, groups: officer.groups }, { limit: 50 })
  const plan = async (label: string, sql: string, bindings: readonly unknown[]) => {
    // knex reports native placeholders ($1 …) in its query event; raw() wants ?.
    const rows = (await db.knex.raw(`EXPLAIN (ANALYZE, BUFFERS) ${sql.replace(/\$\d+/g, '?')}`, bindings as never)).rows as Array<{ 'QUERY PLAN': string }>
    console.log(`\n-- EXPLAIN ANALYZE: ${label}\n${rows.map((r) => r['QUERY PLAN']).join('\n')}`)
  }
  await plan('worklist first page', captured!.sql, captured!.bindings)
  const s = sample[0]!
  const lookup = db.knex('dossiers as d').join('units as u', 'u.id', 'd.agency_unit_id').where('d.code', s.code)
    .first('d.code', 'd.status', 'd.procedure_name', 'd.current_step_name', db.knex.raw('d.due_date::text AS due_date'), 'd.applicant_id_number', 'u.name as agency').toSQL()
  await plan('public lookup', lookup.sql, lookup.bindings)
  await db.close()
} finally {
  await stopServer()
}
