// Specification (issue #15, the edge of the API): a multipart file name of any length is refused or shortened without
// blocking the server; NUL bytes, other control characters and lone surrogates in a path, a query or a JSON body are
// refused at the edge with 400 MC_ERR_INPUT_CHARACTERS on every route (never a database error); a worklist cursor
// decodes strictly; an access token must carry exp, iat, iss and aud; and every answer, including what Fastify refuses
// before routing, carries the security headers. None of the refusals changes the database.
import { createHmac } from 'node:crypto'
import t, { type Test } from 'tap'
import type { LightMyRequestResponse } from 'fastify'
import { multipartFile } from '../helpers/api.js'
import { makePdf, filesUnder } from '../helpers/files.js'
import { diff, fingerprint, missingSecurityHeaders, problemShape, queryString } from './support.js'
import { hostileWorld } from './world.js'

const w = await hostileWorld(t)
const { app } = w
const knex = w.db.knex

const blobs = (): string[] => filesUnder(w.config.filesDir)

/** A problem with this status and code, well formed, with the security headers. */
function isProblem(t: Test, res: LightMyRequestResponse, status: number, code: string, what: string): void {
  t.equal(res.statusCode, status, `${what}: status (${res.body.slice(0, 200)})`)
  t.equal(res.json().code, code, `${what}: code`)
  t.equal(problemShape(res), undefined, `${what}: a catalogued problem with the security headers`)
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!

t.test(
  'a huge multipart file name is refused at once, another request is served meanwhile, nothing is stored',
  async (t) => {
    const citizen = await w.api.as('congdan')
    const url = `/api/dossiers/drafts/${w.draftId}/attachments/to-khai`
    const upload = (name: string) => {
      const body = multipartFile(makePdf(), name, 'application/pdf')
      return app.inject({ method: 'POST', url, headers: { ...citizen, ...body.headers }, payload: body.payload })
    }
    const timed = async <T>(f: () => Promise<T>): Promise<[T, number]> => {
      const start = performance.now()
      const value = await f()
      return [value, performance.now() - start]
    }
    // Baselines: /health/live alone, and an upload refused for another reason (a file name of normal length, the
    // wrong bytes) — the same route, the same body size, no name to clean.
    const healthAlone: number[] = []
    for (let i = 0; i < 5; i++) healthAlone.push((await timed(() => app.inject('/health/live')))[1])
    const wrongType: number[] = []
    for (let i = 0; i < 3; i++) {
      const body = multipartFile(Buffer.from('<html></html>'), 'to-khai.pdf', 'application/pdf')
      const [res, ms] = await timed(() =>
        app.inject({ method: 'POST', url, headers: { ...citizen, ...body.headers }, payload: body.payload }),
      )
      t.equal(res.statusCode, 415)
      wrongType.push(ms)
    }
    const before = await fingerprint(knex)
    const blobsBefore = blobs()

    for (const length of [30_000, 100 * 1024, 1024 * 1024]) {
      const name = 'a'.repeat(length) + '.pdf'
      const order: string[] = []
      const start = performance.now()
      let healthMs = 0
      const uploading = upload(name).then((res) => {
        order.push('upload')
        return res
      })
      const health = app.inject('/health/live').then((res) => {
        healthMs = performance.now() - start
        order.push('health')
        return res
      })
      const [res, live] = await Promise.all([uploading, health])
      const uploadMs = performance.now() - start
      isProblem(t, res, 400, 'MC_ERR_FILE_NAME_TOO_LONG', `a name of ${length} characters`)
      t.equal(live.statusCode, 200, 'the other request is answered')
      // Before the fix a 30,000-character name took 28 s of CPU, blocking everything; the bounds are generous.
      const healthBound = 50 * median(healthAlone) + 2_000
      t.ok(
        order[0] === 'health' || healthMs <= healthBound,
        `/health/live answered first or within ${Math.round(healthBound)} ms (took ${Math.round(healthMs)} ms)`,
      )
      const uploadBound = 20 * median(wrongType) + 3_000
      t.ok(uploadMs <= uploadBound, `refused within ${Math.round(uploadBound)} ms (took ${Math.round(uploadMs)} ms)`)
    }
    t.same(diff(before, await fingerprint(knex)), [], 'no table changed')
    t.same(blobs(), blobsBefore, 'no file stored')
  },
)

t.test(
  'a file name under the limit is stored shortened to 200 bytes, extension kept, control characters gone',
  async (t) => {
    const citizen = await w.api.as('congdan')
    const name = 'Giấy\u0000tờ\u202e '.repeat(80) + '.pdf' // 960 characters
    const body = multipartFile(makePdf(), name, 'application/pdf')
    const res = await app.inject({
      method: 'POST',
      url: `/api/dossiers/drafts/${w.draftId}/attachments/to-khai`,
      headers: { ...citizen, ...body.headers },
      payload: body.payload,
    })
    t.equal(res.statusCode, 201, res.body.slice(0, 200))
    const row = await knex('files').where({ id: res.json().fileId }).first('original_name')
    t.ok(Buffer.byteLength(row.original_name) <= 200, 'at most 200 bytes')
    t.ok(row.original_name.endsWith('.pdf'), 'the extension survives')
    t.notMatch(row.original_name, /[\u0000\u202e]/, 'no NUL, no bidi override')
  },
)

t.test('NUL bytes, control characters and lone surrogates are refused at the edge with a problem', async (t) => {
  const officer = await w.api.as('motcua-xa')
  const leader = await w.api.as('lanhdao-xa')
  const citizen = await w.api.as('congdan')
  const before = await fingerprint(knex)
  const gets: Array<[string, Record<string, string> | undefined]> = [
    ['/api/procedures?field=a%00b', undefined],
    ['/api/procedures?agency=a%00b', undefined],
    ['/api/procedures?field=a%ED%A0%80b', undefined],
    ['/api/procedures?field=%01', undefined],
    ['/api/tasks?q=a%00b', officer],
    ['/api/tasks?procedure=a%00b', officer],
    ['/api/tasks?q=%ED%B0%80', officer],
    ['/api/supervision/overdue?unit=a%00b', leader],
    ['/api/supervision/units?unit=a%00b', leader],
    ['/api/supervision/heatmap?unit=a%00b', leader],
    ['/api/supervision/reports/06a?month=2026-03&unit=a%00b', leader],
    ['/api/supervision/indicators?month=2026-03&unit=a%00b', leader],
    ['/api/supervision/bottlenecks?month=2026-03&unit=a%00b', leader],
    ['/api/dossiers/mine?q=a%00b', citizen],
    [`/api/dossiers/${w.dossierId}%00`, citizen],
    [`/api/procedures/dang-ky-khai-sinh%00`, undefined],
  ]
  for (const [url, headers] of gets) {
    const res = await app.inject({ url, ...(headers ? { headers } : {}) })
    // A route whose schema refuses the parameter first answers its own 400; a NUL never reaches PostgreSQL.
    t.equal(res.statusCode, 400, `${url}: 400 (${res.body.slice(0, 200)})`)
    t.match(res.json().code, /^MC_ERR_(INPUT_CHARACTERS|VALIDATION)$/, `${url}: ${res.json().code}`)
    t.equal(problemShape(res), undefined, `${url}: a well-formed problem`)
  }
  for (const url of ['/api/procedures?field=a%00b', '/api/tasks?q=a%00b', '/api/supervision/overdue?unit=a%00b']) {
    const res = await app.inject({ url, headers: url.includes('tasks') ? officer : leader })
    t.equal(res.json().code, 'MC_ERR_INPUT_CHARACTERS', `${url}: refused for its characters`)
  }

  // Draft form data: NUL, another control character, a lone surrogate, in a value or in a key.
  const patch = (payload: string) =>
    app.inject({
      method: 'PATCH',
      url: `/api/dossiers/drafts/${w.draftId}`,
      headers: { ...citizen, 'content-type': 'application/json' },
      payload,
    })
  for (const [what, payload] of [
    ['a NUL in a value', '{"formData":{"hoTen":"a\\u0000b"}}'],
    ['a lone high surrogate', '{"formData":{"hoTen":"\\ud800"}}'],
    ['a lone low surrogate', '{"formData":{"ghiChu":"x\\udfffy"}}'],
    ['an escape character', '{"formData":{"hoTen":"\\u001b[31m"}}'],
    ['a NUL in a key', '{"formData":{"a\\u0000":"b"}}'],
    ['a lone surrogate in a key deep down', '{"formData":{"a":[{"\\udc00":1}]}}'],
  ] as const) {
    isProblem(t, await patch(payload), 400, 'MC_ERR_INPUT_CHARACTERS', what)
  }
  t.same(diff(before, await fingerprint(knex)), [], 'no table changed')

  // Tab and line breaks are free text in a body; a well-formed pair (an emoji) is a character.
  const fine = await patch(JSON.stringify({ formData: { ghiChu: 'dòng 1\r\ndòng 2\tcột 😀' } }))
  t.equal(fine.statusCode, 200, `line breaks, tab and an emoji are accepted: ${fine.body.slice(0, 200)}`)
})

t.test('a worklist cursor decodes strictly: a date that is not a date, a key with a NUL → 400', async (t) => {
  const officer = await w.api.as('motcua-xa')
  const cursor = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url')
  const before = await fingerprint(knex)
  for (const [what, value] of [
    ['not a date', cursor(['not-a-date', '1'])],
    ['a date PostgreSQL refuses', cursor(['2026-02-30T00:00:00Z', '1'])],
    ['year zero', cursor(['0000-01-01T00:00:00Z', '1'])],
    ['a key with a NUL', cursor(['2026-01-01T00:00:00.000Z', 'a\u0000b'])],
    ['a number for a key', cursor(['2026-01-01T00:00:00.000Z', 1])],
    ['three parts', cursor(['2026-01-01T00:00:00.000Z', '1', 'x'])],
    ['not base64 JSON', '!!!'],
  ] as const) {
    const res = await app.inject({ url: `/api/tasks${queryString({ cursor: value })}`, headers: officer })
    isProblem(t, res, 400, 'MC_ERR_VALIDATION', what)
  }
  t.same(diff(before, await fingerprint(knex)), [], 'no table changed')
  // The cursor the server writes still pages.
  const first = await app.inject({ url: '/api/tasks?limit=1', headers: officer })
  t.equal(first.statusCode, 200)
  const next = first.json().nextCursor as string | null
  if (next) {
    const second = await app.inject({ url: `/api/tasks${queryString({ limit: 1, cursor: next })}`, headers: officer })
    t.equal(second.statusCode, 200, `the server's own cursor pages: ${second.body.slice(0, 200)}`)
  }
})

t.test('an access token must carry exp, iat, iss and aud (signed with the real secret or not)', async (t) => {
  const real = (await w.api.as('motcua-xa')).authorization.slice('Bearer '.length)
  const claims = JSON.parse(Buffer.from(real.split('.')[1]!, 'base64url').toString()) as Record<string, unknown>
  t.equal(claims['aud'], 'motcua-api', 'tokens are issued for the API')
  t.equal(claims['iss'], 'motcua')
  t.type(claims['exp'], 'number')
  t.type(claims['iat'], 'number')
  const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url')
  const sign = (payload: Record<string, unknown>) => {
    const body = `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64(payload)}`
    return `${body}.${createHmac('sha256', w.config.jwtSecret).update(body).digest('base64url')}`
  }
  const without = (k: string) => Object.fromEntries(Object.entries(claims).filter(([key]) => key !== k))
  const ok = await app.inject({ url: '/api/auth/me', headers: { authorization: `Bearer ${sign(claims)}` } })
  t.equal(ok.statusCode, 200, 'the same claims re-signed are accepted (the forgeries below differ in one claim)')
  const before = await fingerprint(knex)
  for (const [what, payload] of [
    ['no exp', without('exp')],
    ['no iat', without('iat')],
    ['no iss', without('iss')],
    ['no aud', without('aud')],
    ['another audience', { ...claims, aud: 'another-api' }],
    [
      'no exp, no iat, no aud',
      Object.fromEntries(Object.entries(claims).filter(([k]) => !['exp', 'iat', 'aud'].includes(k))),
    ],
  ] as const) {
    for (const url of ['/api/auth/me', '/api/tasks']) {
      const res = await app.inject({ url, headers: { authorization: `Bearer ${sign(payload)}` } })
      isProblem(t, res, 401, 'MC_ERR_TOKEN_INVALID', `${what} on ${url}`)
    }
  }
  t.same(diff(before, await fingerprint(knex)), [], 'no table changed')
})

t.test('what Fastify refuses before routing carries the security headers and a request id', async (t) => {
  for (const url of ['/api/%ED%A0%80', '/api/procedures/%ED%A0%80', `/api/dossiers/${'x'.repeat(1_000)}`, '/%FF']) {
    const res = await app.inject({ url })
    t.ok(res.statusCode >= 400 && res.statusCode < 500, `${url.slice(0, 40)}: 4xx`)
    t.equal(missingSecurityHeaders(res), undefined, `${url.slice(0, 40)}: the security headers`)
    t.equal(problemShape(res), undefined, `${url.slice(0, 40)}: a problem`)
  }
  const res = await app.inject({ url: '/api/%ED%A0%80', headers: { 'x-request-id': 'edge-test-request-1' } })
  t.equal(res.headers['x-request-id'], 'edge-test-request-1', "the caller's request id is echoed")
})
