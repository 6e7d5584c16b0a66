import t from 'tap'
import { pino } from 'pino'
import { buildTestApp } from './helpers/app.js'

// One app for the whole file: building one costs a database, migrations and an engine.
const { app, config, runtime } = await buildTestApp(t)
import { buildApp } from '../src/app.js'
import { pooledKnex } from '../src/db/database.js'

t.test('health: live and ready answer 200 with the database, the engine and the procedures checked', async (t) => {
  const live = await app.inject('/health/live')
  t.equal(live.statusCode, 200)
  const ready = await app.inject('/health/ready')
  t.equal(ready.statusCode, 200)
  t.same(ready.json(), { status: 'ok', checks: { database: 'ok', engine: 'ok', procedures: 'ok' } })
})

t.test('readiness turns 503 problem+json when the database is gone', async (t) => {
  // A database nobody listens on: every query fails to connect.
  const { knex: gone, pool } = pooledKnex('postgres://postgres@127.0.0.1:1/none', 1)
  const broken = await buildApp(config, {
    ...runtime,
    db: { knex: gone, pool, embedded: false, url: '', close: () => gone.destroy() },
  })
  t.teardown(async () => {
    await broken.close()
    await gone.destroy()
  })
  const res = await broken.inject('/health/ready')
  t.equal(res.statusCode, 503)
  t.match(res.headers['content-type'], /application\/problem\+json/)
  t.match(res.json(), {
    code: 'MC_ERR_NOT_READY',
    checks: { database: 'unavailable' },
    message: { vi: String, en: String },
  })
})

t.test('readiness is 503 while the reference procedures of a start are being published', async (t) => {
  // Probes ask every few seconds during a start: each "not yet" is an answer, not an error in the log.
  const lines: string[] = []
  const logger = pino({ level: 'info' }, { write: (line: string) => void lines.push(line) })
  const starting = await buildApp(config, { ...runtime, logger, proceduresPublished: () => false })
  t.teardown(() => starting.close())
  const res = await starting.inject('/health/ready')
  t.equal(res.statusCode, 503)
  t.match(res.json(), {
    code: 'MC_ERR_NOT_READY',
    checks: { database: 'ok', engine: 'ok', procedures: 'publishing' },
  })
  t.same(
    lines.filter((l) => (JSON.parse(l) as { level: number }).level >= 50),
    [],
    'nothing logged as an error',
  )
})

t.test('unknown routes, bad JSON and schema violations are problem+json with stable codes', async (t) => {
  const notFound = await app.inject('/nope?x=1')
  t.equal(notFound.statusCode, 404)
  t.match(notFound.headers['content-type'], /application\/problem\+json/)
  t.match(notFound.json(), {
    status: 404,
    code: 'MC_ERR_ROUTE_NOT_FOUND',
    instance: '/nope',
    message: { vi: 'Không có địa chỉ này' },
  })

  const badJson = await app.inject({
    method: 'POST',
    url: '/api/auth/login',
    headers: { 'content-type': 'application/json' },
    payload: '{"username":',
  })
  t.equal(badJson.statusCode, 400)
  t.equal(badJson.json().code, 'MC_ERR_BAD_JSON')

  const invalid = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 42 } })
  t.equal(invalid.statusCode, 400)
  t.equal(invalid.json().code, 'MC_ERR_VALIDATION')
  t.ok(
    invalid.json().errors.some((e: { field: string }) => e.field === 'body.password'),
    'names the missing field itself',
  )
  // Each field's message in both languages, worded as the dossier forms word them (issue #20).
  t.match(
    invalid.json().errors.find((e: { field: string }) => e.field === 'body.password'),
    { keyword: 'required', message: { vi: 'Bắt buộc nhập', en: 'Required' } },
  )

  const wrongType = await app.inject({
    method: 'POST',
    url: '/api/auth/login',
    headers: { 'content-type': 'text/xml' },
    payload: '<a/>',
  })
  t.equal(wrongType.statusCode, 415)
  t.equal(wrongType.json().code, 'MC_ERR_UNSUPPORTED_MEDIA_TYPE')
  t.notMatch(wrongType.body, /at .*\.ts:\d+/, 'no stack trace')
})

t.test('request ids: a caller id is echoed, otherwise one is minted', async (t) => {
  const given = await app.inject({ url: '/health/live', headers: { 'x-request-id': 'abc-12345678' } })
  t.equal(given.headers['x-request-id'], 'abc-12345678')
  const minted = await app.inject('/health/live')
  t.match(minted.headers['x-request-id'], /^[0-9a-f-]{36}$/)
})

t.test('OpenAPI at /docs describes the routes with their error schema; security headers are set', async (t) => {
  const ui = await app.inject('/docs/')
  t.equal(ui.statusCode, 200)
  t.match(ui.headers['content-type'], /text\/html/)
  t.ok(ui.headers['x-content-type-options'], 'helmet headers')
  const doc = (await app.inject('/docs/json')).json()
  t.equal(doc.openapi, '3.1.0')
  for (const path of [
    '/health/live',
    '/health/ready',
    '/api/auth/login',
    '/api/auth/refresh',
    '/api/auth/logout',
    '/api/auth/me',
  ]) {
    t.ok(doc.paths[path], `documents ${path}`)
  }
  t.ok(doc.components.schemas.Problem, 'the Problem schema is a component')
})
