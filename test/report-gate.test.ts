// Reports take turns (src/supervision/report-gate.ts): at most a few computations at once, the rest wait in line and
// are told "busy" (503, MC_ERR_REPORTS_BUSY) after a while, so that long reports cannot take every database connection
// the engine and the outbox need. Through the API, a report waits while the gate is full and is answered once a place
// frees.
import t from 'tap'
import { AppError } from '../src/errors.js'
import { ReportGate } from '../src/supervision/report-gate.js'
import { apiClient } from './helpers/api.js'
import { buildTestApp } from './helpers/app.js'
import { eventually } from './helpers/eventually.js'

function deferred() {
  let resolve!: () => void
  const promise = new Promise<void>((r) => (resolve = r))
  return { promise, resolve }
}

t.test('two at once; the third waits its turn and runs when one ends', async (t) => {
  const gate = new ReportGate({ maxConcurrent: 2, queueTimeoutMs: 60_000 })
  const a = deferred()
  const b = deferred()
  const ran: string[] = []
  const pa = gate.run(async () => (ran.push('a'), a.promise))
  const pb = gate.run(async () => (ran.push('b'), b.promise))
  const pc = gate.run(async () => (ran.push('c'), 'c'))
  await new Promise((r) => setImmediate(r))
  t.same(ran, ['a', 'b'], 'the third has not started')
  t.same(gate.load, { active: 2, waiting: 1 })
  b.resolve()
  t.equal(await pc, 'c', 'it runs once a place frees')
  t.same(ran, ['a', 'b', 'c'])
  a.resolve()
  await Promise.all([pa, pb])
  t.same(gate.load, { active: 0, waiting: 0 }, 'every place given back')
})

t.test('a report that fails gives its place back', async (t) => {
  const gate = new ReportGate({ maxConcurrent: 1, queueTimeoutMs: 60_000 })
  await t.rejects(
    gate.run(async () => {
      throw new Error('query failed')
    }),
    /query failed/,
  )
  t.equal(await gate.run(async () => 'next'), 'next')
  t.same(gate.load, { active: 0, waiting: 0 })
})

t.test('waiting too long is a 503 "busy" problem, and the line moves on', async (t) => {
  const gate = new ReportGate({ maxConcurrent: 1, queueTimeoutMs: 50 })
  const hold = deferred()
  const held = gate.run(() => hold.promise)
  const err = await gate.run(async () => 'never').catch((e: unknown) => e)
  t.ok(err instanceof AppError)
  t.match(err, { code: 'MC_ERR_REPORTS_BUSY', status: 503 })
  t.match((err as AppError).messages.vi, /thử lại sau/)
  t.same(gate.load, { active: 1, waiting: 0 }, 'the one that gave up left the line')
  hold.resolve()
  await held
  t.same(gate.load, { active: 0, waiting: 0 })
})

t.test('through the API: Biểu II.06a waits while the reports are full, then answers', async (t) => {
  const built = await buildTestApp(t, { REPORT_CONCURRENCY: '1' })
  const api = apiClient(built)
  const gate = built.runtime.supervision.gate
  t.equal(gate.opts.maxConcurrent, 1, 'REPORT_CONCURRENCY sets the places')
  const hold = deferred()
  const held = gate.run(() => hold.promise)
  const answer = api.call('GET', '/api/supervision/reports/06a?month=2026-03', 'lanhdao')
  await eventually('the report waits in line', async () => gate.load.waiting === 1)
  hold.resolve()
  await held
  const res = await answer
  t.equal(res.statusCode, 200, res.body)
  t.same(gate.load, { active: 0, waiting: 0 })
})
