// Measures the API under load with autocannon against a motcua server on 127.0.0.1: p50/p95/p99 of the worklist's
// first page (an officer of a commune holding tens of thousands of open tasks) and of the public lookup (right and
// wrong ID number, unknown code), whether the lookup's timing tells a wrong ID number from an unknown code, then
// EXPLAIN (ANALYZE, BUFFERS) of both queries. Seed the volume first with scripts/seed-volume.ts.
// Run: DATABASE_URL=postgres://postgres@127.0.0.1:5432/motcua_bench DATA_DIR=/tmp/motcua-bench npm run bench:api
//      (starts `motcua start` on BENCH_PORT, default 3917, with RATE_LIMIT_ALLOW=127.0.0.1; BENCH_SECONDS,
// BENCH_CONNECTIONS,      BENCH_TIMING_SAMPLES: lookups of each kind in the timing comparison, default 1000)
import { openServerDatabase } from '../src/db/database.js'
import { lookupStatement } from '../src/dossiers/queries.js'
import { DossierQueries } from '../src/dossiers/queries.js'
import { benchEnvironment, explain, startBenchServer } from './bench-server.js'

const { url, dataDir, ...opts } = benchEnvironment(3917)
const samples = Number(process.env['BENCH_TIMING_SAMPLES'] ?? 1000)
const bench = await startBenchServer(dataDir, opts)

try {
  const authorization = await bench.login('motcua-xa')
  const db = await openServerDatabase(url, 2)
  const sample = (await db
    .knex('dossiers')
    .whereNotNull('code')
    .whereRaw('random() < 0.002')
    .limit(2000)
    .select('code', 'applicant_id_number')) as Array<{ code: string; applicant_id_number: string }>
  const open = await db.knex.raw(
    `SELECT count(*) AS n FROM tasks t WHERE t.state = 'CREATED' AND t.unit_path LIKE '/tinh-demo/xa-an-binh/%' AND t.candidate_groups && ARRAY['mot-cua']`,
  )
  console.log(
    `volume: ${(await db.knex('dossiers').count({ n: '*' }).first())!.n} dossiers, ${(await db.knex('tasks').where({ state: 'CREATED' }).count({ n: '*' }).first())!.n} open tasks; motcua-xa's worklist holds ${open.rows[0].n}`,
  )

  let i = 0
  const next = () => sample[i++ % sample.length]!
  const lookup = (code: string, idNumber: string) => `/api/public/dossiers/lookup?code=${code}&idNumber=${idNumber}`
  const unknownCode = (k: number) => `X99.30-991231-${String(k).padStart(7, '0')}`
  await bench.measure(
    'worklist, first page (GET /api/tasks?limit=50)',
    () => ({ path: '/api/tasks?limit=50', headers: { authorization } }),
    200,
  )
  await bench.measure(
    'public lookup, right ID',
    () => {
      const s = next()
      return { path: lookup(s.code, s.applicant_id_number) }
    },
    200,
  )
  await bench.measure('public lookup, wrong ID', () => ({ path: lookup(next().code, '999999999999') }), 404)
  await bench.measure('public lookup, unknown code', () => ({ path: lookup(unknownCode(i++), '001090000001') }), 404)

  // Does the answer time tell a wrong ID from an unknown code? One request at a time, interleaved (the order
  // alternating), so load on the machine affects both alike.
  const timed = async (path: string) => {
    const t0 = performance.now()
    await (await fetch(bench.base + path)).arrayBuffer()
    return performance.now() - t0
  }
  const wrongMs: number[] = []
  const unknownMs: number[] = []
  for (let k = 0; k < samples; k++) {
    const s = next()
    const wrong = () => timed(lookup(s.code, '999999999999')).then((ms) => wrongMs.push(ms))
    const unknown = () => timed(lookup(unknownCode(k), s.applicant_id_number)).then((ms) => unknownMs.push(ms))
    if (k % 2 === 0) {
      await wrong()
      await unknown()
    } else {
      await unknown()
      await wrong()
    }
  }
  const at = (xs: number[], p: number) => xs[Math.min(xs.length - 1, Math.floor(xs.length * p))]!
  const stat = (xs: number[]) => {
    xs.sort((a, b) => a - b)
    return `p10 ${at(xs, 0.1).toFixed(3)} ms, median ${at(xs, 0.5).toFixed(3)} ms, p90 ${at(xs, 0.9).toFixed(3)} ms, p95 ${at(xs, 0.95).toFixed(3)} ms`
  }
  console.log(
    `lookup timing, sequential and interleaved (${samples} each):\n  wrong ID     ${stat(wrongMs)}\n  unknown code ${stat(unknownMs)}`,
  )
  // How large a difference of medians chance alone gives on these samples: the pooled times split at random, 1000
  // times.
  const pooled = [...wrongMs, ...unknownMs]
  const chance: number[] = []
  for (let r = 0; r < 1000; r++) {
    for (let j = pooled.length - 1; j > 0; j--) {
      const x = Math.floor(Math.random() * (j + 1))
      ;[pooled[j], pooled[x]] = [pooled[x]!, pooled[j]!]
    }
    const a = pooled.slice(0, wrongMs.length).sort((p, q) => p - q)
    const b = pooled.slice(wrongMs.length).sort((p, q) => p - q)
    chance.push(Math.abs(at(a, 0.5) - at(b, 0.5)))
  }
  chance.sort((a, b) => a - b)
  console.log(
    `  median difference (wrong − unknown): ${((at(wrongMs, 0.5) - at(unknownMs, 0.5)) * 1000).toFixed(0)} µs; by chance alone (random splits of the pooled samples) 95 % of differences are within ±${(at(chance, 0.95) * 1000).toFixed(0)} µs`,
  )

  // The plans, on the same data: the worklist query exactly as DossierQueries builds it, and the lookup's one query.
  let captured: { sql: string; bindings: unknown[] } | undefined
  db.knex.on('query', (q: { sql: string; bindings: unknown[] }) => {
    if (/from "tasks"/.test(q.sql)) captured = q
  })
  const officer = (await db
    .knex('users as u')
    .join('units as n', 'n.id', 'u.unit_id')
    .where('u.username', 'motcua-xa')
    .first('u.id', 'u.username', 'u.kind', 'u.unit_id', 'n.path', 'u.groups'))!
  await new DossierQueries(db.knex).worklist(
    {
      userId: officer.id,
      username: officer.username,
      kind: officer.kind,
      unitId: officer.unit_id,
      unitPath: officer.path,
      groups: officer.groups,
    },
    { limit: 50 },
  )
  await explain(db.knex, 'worklist first page', captured!)
  const [known, decoy] = [sample[0]!.code, sample[1]!.code]
  await explain(db.knex, 'public lookup, a code that exists', lookupStatement(db.knex, known, decoy).toSQL().toNative())
  await explain(
    db.knex,
    'public lookup, an unknown code (the decoy is read instead)',
    lookupStatement(db.knex, unknownCode(0), decoy).toSQL().toNative(),
  )
  await db.close()
} finally {
  await bench.stop()
}
