// Specification: forged access tokens (another secret, alg "none", another algorithm, expired, tampered claims, another
// issuer, garbage) are refused on every route with 401 MC_ERR_TOKEN_INVALID; a citizen's token on officers' routes, an
// officer of another unit on this unit's dossier and tasks, and another applicant on a citizen's draft and dossier are
// refused with a 4xx problem, even with a well-formed body; and none of it changes the database.
import { createHmac } from 'node:crypto'
import t from 'tap'
import fc from 'fast-check'
import { assertAllRefused, urlOf, type HostileRequest } from './support.js'
import { hostileWorld, routeCallers } from './world.js'

const w = await hostileWorld(t)
const secret = w.config.jwtSecret

const b64 = (v: unknown) => Buffer.from(typeof v === 'string' ? v : JSON.stringify(v)).toString('base64url')
const sign = (header: object, claims: object, key = secret, alg: 'sha256' | 'sha512' = 'sha256') => {
  const body = `${b64(header)}.${b64(claims)}`
  return `${body}.${createHmac(alg, key).update(body).digest('base64url')}`
}

/** The claims of a real token of the officer of the dossier's unit, to forge from. */
const realOfficer = (await w.api.as('motcua-xa')).authorization.slice('Bearer '.length)
const officerClaims = JSON.parse(Buffer.from(realOfficer.split('.')[1]!, 'base64url').toString()) as Record<
  string,
  unknown
>
const citizen = (await w.api.as('congdan')).authorization.slice('Bearer '.length)
const now = Math.floor(Date.now() / 1000)
const [h, p, s] = realOfficer.split('.') as [string, string, string]

const forged: Record<string, string> = {
  'signed with another secret': sign(
    { alg: 'HS256', typ: 'JWT' },
    officerClaims,
    'not-the-secret-of-this-server-0123456789',
  ),
  'alg none, no signature': `${b64({ alg: 'none', typ: 'JWT' })}.${b64(officerClaims)}.`,
  'alg none with the real signature': `${b64({ alg: 'none', typ: 'JWT' })}.${p}.${s}`,
  'HS512 with the right secret': sign({ alg: 'HS512', typ: 'JWT' }, officerClaims, secret, 'sha512'),
  expired: sign({ alg: 'HS256', typ: 'JWT' }, { ...officerClaims, iat: now - 7200, exp: now - 3600 }),
  'another issuer': sign({ alg: 'HS256', typ: 'JWT' }, { ...officerClaims, iss: 'evil' }),
  'citizen claims turned into a supervisor (payload tampered, signature kept)': `${citizen.split('.')[0]}.${b64({ ...JSON.parse(Buffer.from(citizen.split('.')[1]!, 'base64url').toString()), kind: 'supervisor', upath: '/' })}.${citizen.split('.')[2]}`,
  'officer token with a widened unit path (signature kept)': `${h}.${b64({ ...officerClaims, upath: '/' })}.${s}`,
  'header only': h,
  'two parts': `${h}.${p}`,
  garbage: 'a.b.c',
  'a 10 kB token': `${h}.${'A'.repeat(10_000)}.${s}`,
}
const badHeaders: string[] = [
  ...Object.values(forged).map((token) => `Bearer ${token}`),
  'Bearer',
  'Bearer ',
  'Basic Y29uZ2RhbjpwYXNzd29yZA==',
  `bearer ${realOfficer}`,
  `Bearer ${realOfficer} extra`,
  `Bearer ${realOfficer}\u0000`,
  'Bearer ' + 'é'.repeat(10),
]

t.test(
  'forged or malformed tokens are refused on every route with 401 MC_ERR_TOKEN_INVALID, and nothing changes',
  async (t) => {
    for (const route of w.routes.filter((r) => r.key in routeCallers)) {
      const ctx = await w.context(route)
      const requests = fc.constantFrom(...badHeaders).map((authorization): HostileRequest => ({
        why: `authorization ${authorization.slice(0, 60)}`,
        method: route.method,
        url:
          urlOf(route, ctx.params) + (ctx.query ? `?${new URLSearchParams(ctx.query as Record<string, string>)}` : ''),
        headers: { ...(ctx.headers ?? {}), authorization, 'content-type': 'application/json' },
        ...(route.method === 'GET' ? {} : { payload: '{}' }),
      }))
      await assertAllRefused(t, w.app, w.db.knex, route, requests, {
        numRuns: badHeaders.length,
        accept: (res) =>
          res.statusCode !== 401
            ? `status ${res.statusCode}`
            : res.json().code !== 'MC_ERR_TOKEN_INVALID'
              ? `code ${res.json().code}`
              : undefined,
      })
    }
  },
)

// Well-formed bodies, so that only who is calling stands between the request and a change.
const assigneeId = (await w.db.knex('users').where({ username: 'motcua-xa' }).first('id')).id as string
const validBodies: Record<string, unknown> = {
  'PATCH /api/dossiers/drafts/:draftId': { deliveryMethod: 'post' },
  'POST /api/dossiers/drafts/:draftId/attachments/:componentId/reuse': { dossierCode: 'XA-2026-000001' },
  'POST /api/dossiers/:dossierId/supplement': { note: 'bổ sung' },
  'POST /api/dossiers/:dossierId/withdraw': { reason: 'rút' },
  'POST /api/dossiers/:dossierId/payments': {},
  'POST /api/dossiers/:dossierId/rating': { score: 1 },
  'POST /api/dossiers/:dossierId/suspend-for-payment': { amountVnd: 1000, reason: 'phí' },
  'POST /api/dossiers/:dossierId/resume': {},
  'POST /api/dossiers/:dossierId/extend': { newDueDate: '2026-12-31', reason: 'gia hạn' },
  'POST /api/dossiers/:dossierId/stop': { reason: 'dừng' },
  'POST /api/tasks/:taskKey/assign': { assigneeId },
  'POST /api/supervision/tasks/:taskKey/assign': { assignee: assigneeId },
  'POST /api/tasks/:taskKey/complete': { decision: 'accept' },
  'POST /api/calendar/days': { date: '2026-12-24', kind: 'holiday', name: 'Nghỉ', reason: 'thử' },
  'DELETE /api/calendar/days/:date': { reason: 'thử' },
  'POST /api/calendar/years/:year/confirm': { reason: 'thử' },
  'PUT /api/procedures/:slug/versions/:version': { bpmnXml: '<x/>' },
  'POST /api/admin/units': { id: 'van-phong-thu', parentId: 'xa-an-binh', name: 'Văn phòng', level: 'office' },
  'PATCH /api/admin/units/:unitId': { name: 'Đổi tên' },
  'POST /api/admin/units/:unitId/move': { parentId: 'tinh-demo', reason: 'thử' },
  'POST /api/admin/units/:unitId/close': { reason: 'thử' },
  'POST /api/admin/accounts': {
    username: 'thu-xam',
    fullName: 'Thử',
    kind: 'officer',
    unitId: 'xa-an-binh',
    groups: [],
  },
  'PATCH /api/admin/accounts/:accountId': { groups: ['mot-cua', 'lanh-dao'] },
  'POST /api/admin/accounts/:accountId/disable': { reason: 'thử' },
  'POST /api/admin/accounts/:accountId/enable': { reason: 'thử' },
  'POST /api/admin/accounts/import': {
    format: 'csv',
    content: 'username,full_name,unit\nthu-2,Thử,xa-an-binh\n',
    dryRun: false,
  },
  'POST /api/admin/groups': { code: 'nhom-thu', name: 'Thử' },
  'PATCH /api/admin/groups/:groupCode': { name: 'Đổi tên' },
}
const citizens = new Set(['congdan', 'doanhnghiep'])
/**
 * Who must be turned away from a route: another applicant from a citizen's own things; citizens, other units and other
 * roles from staff routes.
 */
function intrudersOf(key: string, as: string, route: { path: string }): string[] {
  const ownsResource = /:(draftId|dossierId|fileId|taskKey)/.test(route.path)
  if (citizens.has(as)) return ownsResource ? ['doanhnghiep', 'canbo'] : []
  if (as === 'phantich')
    return key.startsWith('GET /api/procedures') && !key.includes('versions') ? [] : ['congdan', 'canbo']
  if (as === 'quantri') return ['congdan', 'canbo', 'phantich']
  if (as === 'lanhdao-xa') return ['congdan', 'canbo', 'phantich']
  // Officers: citizens and analysts everywhere; the officer of another unit on this unit's dossier or task.
  return ['congdan', 'phantich', ...(ownsResource ? ['canbo'] : [])]
}

t.test(
  'a caller without the right (role, unit or ownership) is refused with a problem even with a well-formed body, and nothing changes',
  async (t) => {
    for (const route of w.routes) {
      const caller = routeCallers[route.key]
      if (!caller?.as) continue
      const ctx = await w.context(route)
      const intruders = intrudersOf(route.key, caller.as, route)
      if (!intruders.length) continue
      const body = validBodies[route.key] ?? (route.method === 'GET' ? undefined : {})
      const requests: HostileRequest[] = []
      for (const who of intruders) {
        requests.push({
          why: `as ${who}`,
          method: route.method,
          url:
            urlOf(route, ctx.params) +
            (ctx.query ? `?${new URLSearchParams(ctx.query as Record<string, string>)}` : ''),
          headers: {
            ...(ctx.headers ?? {}),
            authorization: (await w.api.as(who)).authorization,
            ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
          },
          ...(body !== undefined ? { payload: JSON.stringify(body) } : {}),
        })
      }
      await assertAllRefused(t, w.app, w.db.knex, route, fc.constantFrom(...requests), { numRuns: requests.length * 2 })
    }
  },
)

t.test(
  'someone else’s draft, dossier or task answers exactly like one that does not exist: the same status, code and detail',
  async (t) => {
    const nobody: Record<string, string> = {
      draftId: '7d0a3a4e-0000-4000-8000-000000000001',
      dossierId: '7d0a3a4e-0000-4000-8000-000000000002',
      taskKey: '2251799813999999',
    }
    // Another applicant on a citizen's draft or dossier; an officer of a sibling unit and a citizen on this unit's
    // dossier and task.
    const intrudersFor = (caller: string) => (citizens.has(caller) ? ['doanhnghiep'] : ['canbo', 'doanhnghiep'])
    for (const route of w.routes) {
      const caller = routeCallers[route.key]?.as
      const param = /:(draftId|dossierId|taskKey)\b/.exec(route.path)?.[1]
      if (!caller || !param || caller === 'quantri' || caller === 'phantich') continue
      const ctx = await w.context(route)
      const body = validBodies[route.key] ?? (route.method === 'GET' ? undefined : {})
      for (const who of intrudersFor(caller)) {
        const answer = async (params: Record<string, string>) => {
          const res = await w.app.inject({
            method: route.method,
            url: urlOf(route, params),
            ...(body !== undefined ? { payload: JSON.stringify(body) } : {}),
            headers: {
              ...(ctx.headers ?? {}),
              authorization: (await w.api.as(who)).authorization,
              ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
            },
          })
          const json = res.json() as { code?: string; detail?: string }
          return { status: res.statusCode, code: json.code, detail: json.detail }
        }
        const theirs = await answer(ctx.params)
        const missing = await answer({ ...ctx.params, [param]: nobody[param]! })
        t.same(theirs, missing, `${route.key} as ${who}: ${JSON.stringify(theirs)}`)
        t.ok(theirs.status >= 400 && theirs.status < 500, `${route.key} as ${who}: refused`)
      }
    }
  },
)
