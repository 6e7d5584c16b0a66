// Does the answer time tell an officer which task keys exist? Builds the hostile suites' world (an open reception task
// of xa-an-binh), serves it on 127.0.0.1, and times GET /api/tasks/:taskKey for an officer of another unit (canbo):
// the real task of that other unit against a key that does not exist, one request at a time, interleaved with the
// order alternating, so load on the machine affects both alike. Prints p10/median/p90 of each and the ratio of the
// medians (1.00: no difference), and the same for a claim.
// Run: npx tsx scripts/bench-task-timing.ts            (embedded PGlite, in memory)
//      TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/test npx tsx scripts/bench-task-timing.ts
//      BENCH_TASK_SAMPLES: requests of each kind (default 1000)
import type { Test } from 'tap'
import { hostileWorld } from '../test/hostile/world.js'

const samples = Number(process.env['BENCH_TASK_SAMPLES'] ?? 1000)

// The world is built by the test helpers, which register their clean-up with a tap test: this stands in for one.
const teardowns: Array<() => unknown> = []
const fakeTest = { teardown: (fn: () => unknown) => void teardowns.push(fn) } as unknown as Test

const w = await hostileWorld(fakeTest)
try {
  const address = await w.app.listen({ host: '127.0.0.1', port: 0 })
  const { authorization } = await w.api.as('canbo')
  const foreign = w.taskKey
  const missing = String(Number(foreign) + 1_000_000)

  const timed = async (method: 'GET' | 'POST', path: string, expect: number): Promise<number> => {
    const t0 = performance.now()
    const res = await fetch(address + path, { method, headers: { authorization } })
    await res.arrayBuffer()
    const ms = performance.now() - t0
    if (res.status !== expect) throw new Error(`${method} ${path}: ${res.status}, expected ${expect}`)
    return ms
  }
  const at = (xs: number[], p: number) => xs[Math.min(xs.length - 1, Math.floor(xs.length * p))]!
  const stat = (xs: number[]) =>
    `p10 ${at(xs, 0.1).toFixed(3)} ms, median ${at(xs, 0.5).toFixed(3)} ms, p90 ${at(xs, 0.9).toFixed(3)} ms`

  for (const [method, suffix] of [
    ['GET', ''],
    ['POST', '/claim'],
  ] as const) {
    const foreignMs: number[] = []
    const missingMs: number[] = []
    // A few rounds to warm up (JIT, connection pool, the planner's caches) before measuring.
    for (let k = 0; k < 50; k++) {
      await timed(method, `/api/tasks/${foreign}${suffix}`, 404)
      await timed(method, `/api/tasks/${missing}${suffix}`, 404)
    }
    for (let k = 0; k < samples; k++) {
      const a = () => timed(method, `/api/tasks/${foreign}${suffix}`, 404).then((ms) => foreignMs.push(ms))
      const b = () => timed(method, `/api/tasks/${missing}${suffix}`, 404).then((ms) => missingMs.push(ms))
      if (k % 2 === 0) {
        await a()
        await b()
      } else {
        await b()
        await a()
      }
    }
    foreignMs.sort((x, y) => x - y)
    missingMs.sort((x, y) => x - y)
    const ratio = at(foreignMs, 0.5) / at(missingMs, 0.5)
    console.log(
      `${method} /api/tasks/:taskKey${suffix} as an officer of another unit, ${samples} each, interleaved:\n` +
        `  another unit's task  ${stat(foreignMs)}\n` +
        `  no such task         ${stat(missingMs)}\n` +
        `  ratio of medians (another unit's / none): ${ratio.toFixed(3)}`,
    )
  }
} finally {
  for (const fn of teardowns.reverse()) await fn()
}
