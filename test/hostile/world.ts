// The world the hostile suites attack: the app with the reference procedures, a draft and a submitted dossier of a
// citizen, another applicant's draft, an open reception task; and who may call each route, with which parameters.
import { randomUUID } from 'node:crypto'
import type { Test } from 'tap'
import { seedProcedures } from '../../src/catalogue/service.js'
import { seedCalendar } from '../../src/db/calendar-repository.js'
import { buildTestApp, type TestApp } from '../helpers/app.js'
import { apiClient, type ApiClient } from '../helpers/api.js'
import { birthForm } from '../helpers/dossiers.js'
import { makePdf } from '../helpers/files.js'
import { eventually } from '../helpers/eventually.js'
import type { LightMyRequestResponse } from 'fastify'
import {
  acceptedHostileQueries,
  assertAllRefused,
  ignoredInput,
  missingSecurityHeaders,
  problemShape,
  refusedRequests,
  routesOf,
  settled,
  type Route,
  type RouteContext,
} from './support.js'

/** The id of the refund the payments suite records on the world's dossier (a route parameter). */
export const worldRefundId = '5e1f0c2a-9b7d-4c3e-8a6f-0d2b4e6a8c10'

/**
 * Every route and the account that may call it (null: no login). A route missing here fails coverage.test.ts, so a new
 * route cannot go unattacked; the hostile suites take their routes from here by area.
 */
export const routeCallers: Record<string, { area: Area; as: string | null }> = {
  'GET /health/live': { area: 'auth-public', as: null },
  'GET /health/ready': { area: 'auth-public', as: null },
  'POST /api/auth/login': { area: 'auth-public', as: null },
  'POST /api/auth/refresh': { area: 'auth-public', as: null },
  'POST /api/auth/logout': { area: 'auth-public', as: null },
  'GET /api/auth/me': { area: 'auth-public', as: 'congdan' },
  'POST /api/auth/register': { area: 'auth-public', as: null },
  'POST /api/auth/verify-email': { area: 'auth-public', as: null },
  'GET /api/auth/altcha-challenge': { area: 'auth-public', as: null },
  'POST /api/auth/password-reset-requests': { area: 'auth-public', as: null },
  'POST /api/auth/password-resets': { area: 'auth-public', as: null },
  'GET /api/account/profile': { area: 'auth-public', as: 'congdan' },
  'PATCH /api/account/profile': { area: 'auth-public', as: 'congdan' },
  'POST /api/account/password': { area: 'auth-public', as: 'congdan' },
  'POST /api/account/email': { area: 'auth-public', as: 'congdan' },
  'POST /api/auth/identity/counter-verifications': { area: 'auth-public', as: 'motcua-xa' },
  // Off in the hostile world (no provider configured); attacked with a provider in test/oidc-login.test.ts.
  'GET /api/auth/oidc': { area: 'auth-public', as: null },
  'POST /api/auth/oidc/authorizations': { area: 'auth-public', as: null },
  'POST /api/auth/oidc/callback': { area: 'auth-public', as: null },
  'GET /api/public/dossiers/lookup': { area: 'auth-public', as: null },
  'GET /api/public/results/:code': { area: 'auth-public', as: null },
  'POST /api/public/results/verify': { area: 'auth-public', as: null },
  'GET /api/public/addresses/provinces': { area: 'auth-public', as: null },
  'GET /api/public/addresses/provinces/:provinceCode/communes': { area: 'auth-public', as: null },
  'GET /api/calendar/years/:year': { area: 'auth-public', as: null },
  'GET /api/calendar/versions': { area: 'auth-public', as: 'quantri' },
  'POST /api/calendar/days': { area: 'auth-public', as: 'quantri' },
  'DELETE /api/calendar/days/:date': { area: 'auth-public', as: 'quantri' },
  'POST /api/calendar/years/:year/confirm': { area: 'auth-public', as: 'quantri' },
  'GET /api/calendar/deadline': { area: 'auth-public', as: null },
  'GET /api/payments/sandbox/checkout': { area: 'auth-public', as: null },
  'POST /api/payments/sandbox/checkout': { area: 'auth-public', as: null },
  'POST /api/payments/:provider/callback': { area: 'auth-public', as: null },
  'GET /api/payments/providers': { area: 'payments', as: null },
  'GET /api/payments/vnpay/ipn': { area: 'payments', as: null },
  'GET /api/payments/vnpay/return': { area: 'payments', as: null },
  'GET /api/payments/vietqr/pending': { area: 'payments', as: 'motcua-xa' },
  'POST /api/payments/vietqr/:reference/confirm': { area: 'payments', as: 'motcua-xa' },
  'POST /api/payments/vietqr/statements': { area: 'payments', as: 'motcua-xa' },
  'GET /api/payments/refunds': { area: 'payments', as: 'motcua-xa' },
  'POST /api/payments/refunds/:refundId/paid': { area: 'payments', as: 'motcua-xa' },

  'GET /api/procedures': { area: 'catalogue', as: null },
  'POST /api/procedures': { area: 'catalogue', as: 'phantich' },
  'GET /api/procedures/:slug': { area: 'catalogue', as: null },
  'GET /api/procedures/:slug/agencies': { area: 'catalogue', as: null },
  'GET /api/procedures/:slug/versions': { area: 'catalogue', as: 'phantich' },
  'GET /api/procedures/:slug/versions/:version': { area: 'catalogue', as: 'phantich' },
  'PUT /api/procedures/:slug/versions/:version': { area: 'catalogue', as: 'phantich' },
  'DELETE /api/procedures/:slug/versions/:version': { area: 'catalogue', as: 'phantich' },
  'GET /api/procedures/:slug/versions/:version/bpmn': { area: 'catalogue', as: 'phantich' },
  'POST /api/procedures/:slug/versions/:version/validate': { area: 'catalogue', as: 'phantich' },
  'POST /api/procedures/:slug/versions/:version/publish': { area: 'catalogue', as: 'phantich' },
  'GET /api/procedures/:slug/versions/:version/changes': { area: 'catalogue', as: 'phantich' },
  'GET /api/catalogue/agencies': { area: 'catalogue', as: 'phantich' },

  'POST /api/dossiers/drafts': { area: 'dossiers', as: 'congdan' },
  'GET /api/dossiers/drafts': { area: 'dossiers', as: 'congdan' },
  'GET /api/dossiers/drafts/:draftId': { area: 'dossiers', as: 'congdan' },
  'DELETE /api/dossiers/drafts/:draftId': { area: 'dossiers', as: 'congdan' },
  'PATCH /api/dossiers/drafts/:draftId': { area: 'dossiers', as: 'congdan' },
  'POST /api/dossiers/drafts/:draftId/attachments/:componentId': { area: 'dossiers', as: 'congdan' },
  'POST /api/dossiers/drafts/:draftId/attachments/:componentId/reuse': { area: 'dossiers', as: 'congdan' },
  'POST /api/dossiers/drafts/:draftId/attachments/:componentId/store': { area: 'dossiers', as: 'congdan' },
  'GET /api/dossiers/store': { area: 'dossiers', as: 'congdan' },
  'GET /api/counter/store': { area: 'dossiers', as: 'motcua-xa' },
  'POST /api/dossiers/drafts/:draftId/submit': { area: 'dossiers', as: 'congdan' },
  'GET /api/dossiers/mine': { area: 'dossiers', as: 'congdan' },
  'GET /api/dossiers': { area: 'dossiers', as: 'motcua-xa' },
  'GET /api/dossiers/:dossierId': { area: 'dossiers', as: 'congdan' },
  'GET /api/dossiers/:dossierId/attachments/:fileId': { area: 'dossiers', as: 'congdan' },
  'POST /api/dossiers/:dossierId/attachments/:componentId': { area: 'dossiers', as: 'congdan' },
  'GET /api/dossiers/:dossierId/print/:form': { area: 'dossiers', as: 'congdan' },
  'POST /api/dossiers/:dossierId/supplement': { area: 'dossiers', as: 'congdan' },
  'POST /api/dossiers/:dossierId/withdraw': { area: 'dossiers', as: 'congdan' },
  'POST /api/dossiers/:dossierId/payments': { area: 'dossiers', as: 'congdan' },
  'POST /api/dossiers/:dossierId/rating': { area: 'dossiers', as: 'congdan' },
  'POST /api/dossiers/:dossierId/suspend-for-payment': { area: 'dossiers', as: 'motcua-xa' },
  'POST /api/dossiers/:dossierId/resume': { area: 'dossiers', as: 'motcua-xa' },
  'POST /api/dossiers/:dossierId/extend': { area: 'dossiers', as: 'motcua-xa' },
  'POST /api/dossiers/:dossierId/stop': { area: 'dossiers', as: 'motcua-xa' },
  'POST /api/counter/dossiers': { area: 'dossiers', as: 'motcua-xa' },
  'POST /api/counter/procedures/:slug/attachments/:componentId': { area: 'dossiers', as: 'motcua-xa' },
  'GET /api/dossiers/:dossierId/results': { area: 'dossiers', as: 'congdan' },
  'GET /api/dossiers/:dossierId/results/:resultId': { area: 'dossiers', as: 'congdan' },

  'GET /api/tasks': { area: 'tasks-supervision', as: 'motcua-xa' },
  'GET /api/tasks/:taskKey': { area: 'tasks-supervision', as: 'motcua-xa' },
  'POST /api/tasks/:taskKey/claim': { area: 'tasks-supervision', as: 'motcua-xa' },
  'POST /api/tasks/:taskKey/unclaim': { area: 'tasks-supervision', as: 'motcua-xa' },
  'POST /api/tasks/:taskKey/assign': { area: 'tasks-supervision', as: 'lanhdao-xa' },
  'POST /api/tasks/:taskKey/complete': { area: 'tasks-supervision', as: 'motcua-xa' },
  'GET /api/tasks/:taskKey/result': { area: 'tasks-supervision', as: 'lanhdao-xa' },
  'POST /api/tasks/:taskKey/result': { area: 'tasks-supervision', as: 'lanhdao-xa' },
  'GET /api/delivery/carriers': { area: 'delivery', as: 'motcua-xa' },
  'POST /api/tasks/:taskKey/shipment': { area: 'delivery', as: 'motcua-xa' },
  'POST /api/tasks/:taskKey/result/upload': { area: 'tasks-supervision', as: 'lanhdao-xa' },
  'GET /api/supervision/overdue': { area: 'tasks-supervision', as: 'lanhdao-xa' },
  'POST /api/supervision/tasks/:taskKey/assign': { area: 'tasks-supervision', as: 'lanhdao-xa' },
  'GET /api/supervision/bottlenecks': { area: 'tasks-supervision', as: 'lanhdao-xa' },
  'GET /api/supervision/handling-units': { area: 'tasks-supervision', as: 'lanhdao-xa' },
  'GET /api/supervision/reports/06a': { area: 'tasks-supervision', as: 'lanhdao-xa' },
  'GET /api/supervision/indicators': { area: 'tasks-supervision', as: 'lanhdao-xa' },
  'GET /api/supervision/heatmap': { area: 'tasks-supervision', as: 'lanhdao-xa' },
  'GET /api/supervision/public/daily': { area: 'tasks-supervision', as: null },
  'GET /api/supervision/units': { area: 'tasks-supervision', as: 'lanhdao-xa' },
  'GET /api/supervision/officers': { area: 'tasks-supervision', as: 'lanhdao-xa' },
  'GET /api/supervision/processes': { area: 'tasks-supervision', as: 'lanhdao-xa' },
  'GET /api/supervision/processes/:slug/versions/:version': { area: 'tasks-supervision', as: 'lanhdao-xa' },

  'GET /api/admin/units': { area: 'administration', as: 'quantri' },
  'POST /api/admin/units': { area: 'administration', as: 'quantri' },
  'PATCH /api/admin/units/:unitId': { area: 'administration', as: 'quantri' },
  'POST /api/admin/units/:unitId/move': { area: 'administration', as: 'quantri' },
  'POST /api/admin/units/:unitId/close': { area: 'administration', as: 'quantri' },
  'GET /api/admin/units/:unitId/history': { area: 'administration', as: 'quantri' },
  'GET /api/admin/accounts': { area: 'administration', as: 'quantri' },
  'POST /api/admin/accounts': { area: 'administration', as: 'quantri' },
  'GET /api/admin/accounts/:accountId': { area: 'administration', as: 'quantri' },
  'PATCH /api/admin/accounts/:accountId': { area: 'administration', as: 'quantri' },
  'POST /api/admin/accounts/:accountId/disable': { area: 'administration', as: 'quantri' },
  'POST /api/admin/accounts/:accountId/enable': { area: 'administration', as: 'quantri' },
  'POST /api/admin/accounts/:accountId/reset-password': { area: 'administration', as: 'quantri' },
  'POST /api/admin/accounts/import': { area: 'administration', as: 'quantri' },
  'GET /api/admin/groups': { area: 'administration', as: 'quantri' },
  'POST /api/admin/groups': { area: 'administration', as: 'quantri' },
  'PATCH /api/admin/groups/:groupCode': { area: 'administration', as: 'quantri' },
  'GET /api/admin/roles': { area: 'administration', as: 'quantri' },
  'GET /api/admin/audit': { area: 'administration', as: 'lanhdao-xa' },
}

export type Area =
  'auth-public' | 'catalogue' | 'dossiers' | 'tasks-supervision' | 'administration' | 'payments' | 'delivery'

/** Routes no hostile suite attacks, each with the reason. */
export const excludedRoutes: Record<string, string> = {
  'GET /docs': 'swagger-ui: a redirect to the static OpenAPI browser, no input',
  'GET /docs/': 'swagger-ui: static page, no input',
  'GET /docs/static/index.html': 'swagger-ui: static page, no input',
  'GET /docs/static/swagger-initializer.js': 'swagger-ui: static script, no input',
  'GET /docs/*':
    "swagger-ui: @fastify/static serving its own files (its path handling is the library's; a hostile path is checked in coverage.test.ts)",
  'GET /docs/json': 'the OpenAPI document, no input',
  'GET /docs/yaml': 'the OpenAPI document, no input',
}

/**
 * The built web app's files (web/dist, when it is built): @fastify/static registers one GET per file, and '/' and
 * '/*' answer its index.html. They take no input; which exist depends on the build.
 */
export function isWebAppFile(key: string): boolean {
  return key === 'GET /' || key === 'GET /*' || /^GET \/(?!api\/|health\/|docs)[A-Za-z0-9._/-]+\.[a-z0-9]+$/.test(key)
}

export interface HostileWorld extends TestApp {
  api: ApiClient
  routes: Route[]
  draftId: string
  dossierId: string
  fileId: string
  taskKey: string
  otherDraftId: string
  /** Who calls the route and with which valid parameters, headers and query, to mutate one at a time. */
  context(route: Route): Promise<RouteContext>
}

export async function hostileWorld(
  t: Test,
  opts: { dossier?: boolean; env?: Record<string, string> } = {},
): Promise<HostileWorld> {
  // The fuzzers send hundreds of requests a minute from one address: exempt it from rate limits (checked separately).
  const built = await buildTestApp(t, { RATE_LIMIT_ALLOW: '127.0.0.1', ...opts.env })
  const knex = built.db.knex
  await seedCalendar(knex)
  const report = await seedProcedures(knex, built.app.engine)
  if (report.failed.length) throw new Error(JSON.stringify(report.failed))
  const api = apiClient(built)
  const routes = await routesOf(built.app)

  const newDraft = async (who: string) => {
    const created = await api.call('POST', '/api/dossiers/drafts', who, {
      procedure: 'dang-ky-khai-sinh',
      agencyUnitId: 'xa-an-binh',
    })
    if (created.statusCode !== 201) throw new Error(`draft: ${created.body}`)
    return created.json().id as string
  }
  const draftId = await newDraft('congdan')
  const otherDraftId = await newDraft('doanhnghiep')
  let dossierId = randomUUID()
  let fileId = randomUUID()
  let taskKey = 'no-task'
  if (opts.dossier !== false) {
    const ready = await newDraft('congdan')
    await api.call('PATCH', `/api/dossiers/drafts/${ready}`, 'congdan', {
      formData: birthForm,
      deliveryMethod: 'counter',
    })
    for (const component of ['to-khai', 'giay-chung-sinh', 'giay-to-tuy-than']) {
      const up = await api.upload(
        'congdan',
        `/api/dossiers/drafts/${ready}/attachments/${component}`,
        makePdf(),
        `${component}.pdf`,
      )
      if (up.statusCode !== 201) throw new Error(`upload: ${up.body}`)
      fileId = up.json().fileId
    }
    const submitted = await api.call('POST', `/api/dossiers/drafts/${ready}/submit`, 'congdan', undefined, {
      'idempotency-key': 'hostile-world-1',
    })
    if (submitted.statusCode !== 201) throw new Error(`submit: ${submitted.body}`)
    dossierId = submitted.json().dossierId
    const task = await eventually(
      'the reception task',
      () => knex('tasks').where({ dossier_id: dossierId, state: 'CREATED' }).first('user_task_key'),
      30_000,
    )
    taskKey = task.user_task_key
  }
  // Log in every caller before the fingerprints start: a login writes its refresh token.
  for (const who of new Set(
    Object.values(routeCallers)
      .map((c) => c.as)
      .filter((x): x is string => Boolean(x)),
  ))
    await api.as(who)
  await settled(knex)
  const officer = (await knex('users').where({ username: 'motcua-xa' }).first('id')) as { id: string }

  const params: Record<string, string> = {
    draftId,
    dossierId,
    fileId,
    taskKey,
    // No result exists in this world: a download or a QR code answers as for someone else's.
    resultId: randomUUID(),
    code: 'AAAAAAAAAAAAAAAAAAAAAAAA',
    componentId: 'to-khai',
    slug: 'dang-ky-khai-sinh',
    version: '1',
    year: '2026',
    date: '2026-09-02',
    form: 'receipt',
    provider: 'sandbox',
    provinceCode: '99',
    unitId: 'xa-an-binh',
    accountId: officer.id,
    groupCode: 'mot-cua',
    reference: 'MC0000000000000000',
    // The payments suite records a refund owed with this id on the world's dossier.
    refundId: worldRefundId,
  }
  // Someone else's, or nobody's: each must answer as if it did not exist (or is not the caller's to touch).
  const foreign: Record<string, string[]> = {
    draftId: [otherDraftId, randomUUID()],
    dossierId: [randomUUID(), otherDraftId, '00000000-0000-0000-0000-000000000000'],
    fileId: [randomUUID()],
    resultId: [randomUUID()],
    code: ['BBBBBBBBBBBBBBBBBBBBBBBB'],
    taskKey: ['999999999', 'no-such-task'],
    componentId: ['no-such-component'],
    slug: ['no-such-procedure'],
    version: ['999', '2147483647'],
    provider: ['paypal'],
    reference: ['MCNOSUCHPAYMENT0000'],
    refundId: [randomUUID()],
    provinceCode: ['00', '98'],
    unitId: ['xa-khong-co', 'huyen-demo'],
    accountId: [randomUUID(), '00000000-0000-0000-0000-000000000000'],
    groupCode: ['khong-co'],
  }
  const queries: Record<string, Record<string, unknown>> = {
    'GET /api/public/dossiers/lookup': { code: 'XA-2026-000001', idNumber: '001090000001' },
    'GET /api/calendar/deadline': { accepted: '2026-03-02T09:15:00+07:00', duration: '5WD' },
    'GET /api/payments/sandbox/checkout': { reference: 'ABC123', returnUrl: '/ho-so' },
    'GET /api/supervision/bottlenecks': { month: '2026-03' },
    'GET /api/supervision/reports/06a': { month: '2026-03' },
    'GET /api/supervision/indicators': { month: '2026-03' },
    'GET /api/supervision/officers': { taskKey },
    'GET /api/counter/store': { idNumber: '001090000001' },
  }
  return {
    ...built,
    api,
    routes,
    draftId,
    dossierId,
    fileId,
    taskKey,
    otherDraftId,
    async context(route) {
      const caller = routeCallers[route.key]
      if (!caller) throw new Error(`${route.key} has no caller in routeCallers`)
      return {
        ...(caller.as ? { authorization: (await api.as(caller.as)).authorization } : {}),
        params,
        foreign,
        ...(route.params.some((p) => p.in === 'header' && p.name === 'idempotency-key')
          ? { headers: { 'idempotency-key': `hostile-${randomUUID()}` } }
          : {}),
        ...(queries[route.key] ? { query: queries[route.key] } : {}),
      }
    },
  }
}

/** Any answer but a failure: below 500, a problem when it refuses, and the security headers either way. */
const neverFails = (res: LightMyRequestResponse) =>
  res.statusCode >= 500
    ? `status ${res.statusCode}: ${res.body.slice(0, 300)}`
    : res.statusCode >= 400
      ? problemShape(res)
      : missingSecurityHeaders(res)

/** The routes of one area, each attacked with requests it must refuse. */
export async function attackArea(t: Test, w: HostileWorld, area: Area): Promise<void> {
  const mine = w.routes.filter((r) => routeCallers[r.key]?.area === area)
  if (mine.length === 0) throw new Error(`no routes in area ${area}`)
  for (const route of mine) {
    const ctx = await w.context(route)
    const refused = refusedRequests(route, ctx)
    if (refused) {
      await t.test(
        `${route.key}: malformed and hostile input is refused with a problem and changes nothing`,
        async (t) => {
          await assertAllRefused(t, w.app, w.db.knex, route, refused)
        },
      )
    } else if (ctx.authorization) {
      // Nothing to malform: without its token the route must refuse, whatever else is sent.
      await t.test(
        `${route.key}: takes no input; without a token it is refused with a problem and changes nothing`,
        async (t) => {
          await assertAllRefused(t, w.app, w.db.knex, route, ignoredInput(route, ctx, false))
        },
      )
    } else {
      await t.test(
        `${route.key}: takes no input; hostile query strings and request ids never make it fail`,
        async (t) => {
          await assertAllRefused(t, w.app, w.db.knex, route, ignoredInput(route, ctx, false), { accept: neverFails })
        },
      )
    }
    const accepted = acceptedHostileQueries(route, ctx)
    if (accepted) {
      await t.test(
        `${route.key}: hostile text its schema accepts (injection strings, Unicode tricks, huge numbers) never makes it fail`,
        async (t) => {
          await assertAllRefused(t, w.app, w.db.knex, route, accepted, { accept: neverFails })
        },
      )
    }
  }
}
