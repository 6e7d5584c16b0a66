// Specification: registration and e-mail verification, the OpenAPI document of every route (each with a documented
// Problem for its 4xx answers), bad input on each new route (4xx problem+json, database unchanged), and rate limits.
import t from 'tap'
import { seedProcedures } from '../src/catalogue/service.js'
import { seedCalendar } from '../src/db/calendar-repository.js'
import { buildTestApp } from './helpers/app.js'
import { apiClient } from './helpers/api.js'
import { solvedAltcha } from './helpers/altcha.js'

const built = await buildTestApp(t, { PUBLIC_BASE_URL: 'https://dvc.example.gov.vn/motcua/' })
const { app, db } = built
const knex = db.knex
await seedCalendar(knex)
await seedProcedures(knex, app.engine)

const { as } = apiClient(built)

const tables = [
  'dossiers',
  'dossier_drafts',
  'files',
  'dossier_attachments',
  'payments',
  'dossier_ratings',
  'users',
  'email_verifications',
  'outbox_messages',
  'engine_commands',
  'tasks',
  'dossier_events',
] as const
async function counts(): Promise<Record<string, number>> {
  const out: Record<string, number> = {}
  for (const table of tables) out[table] = Number((await knex(table).count({ n: '*' }).first())!.n)
  return out
}

t.test(
  'registration: CCCD or tax code, password policy, a verification link by mail; unverified accounts log in but cannot submit',
  async (t) => {
    const base = {
      kind: 'citizen',
      username: 'nguyenthimai',
      fullName: 'Nguyễn Thị Mai',
      email: 'mai@example.invalid',
      idNumber: '001190000123',
    }
    const before = await counts()
    const weak = await app.inject({
      method: 'POST',
      url: '/api/auth/register',
      payload: { ...base, altcha: await solvedAltcha(app), password: 'aaaaaaaaaaaa' },
    })
    t.equal(weak.statusCode, 422)
    t.equal(weak.json().code, 'MC_ERR_PASSWORD_WEAK')
    const named = await app.inject({
      method: 'POST',
      url: '/api/auth/register',
      payload: { ...base, altcha: await solvedAltcha(app), password: 'Nguyenthimai-2026' },
    })
    t.equal(named.json().code, 'MC_ERR_PASSWORD_WEAK', 'the username inside the password')
    const badId = await app.inject({
      method: 'POST',
      url: '/api/auth/register',
      payload: { ...base, altcha: await solvedAltcha(app), idNumber: '12345', password: 'Hoa-sen-2026!' },
    })
    t.equal(badId.statusCode, 400, 'a CCCD has 12 digits')
    t.same(await counts(), before, 'no account, token or mail')

    const ok = await app.inject({
      method: 'POST',
      url: '/api/auth/register',
      payload: { ...base, altcha: await solvedAltcha(app), password: 'Hoa-sen-2026!' },
    })
    t.equal(ok.statusCode, 202, ok.body)
    t.equal(ok.json().emailVerified, false)
    t.equal(ok.json().status, 'check-email', 'the answer says: check your e-mail')
    const mail = await knex('outbox_messages')
      .whereRaw(`payload->>'template' = 'verify-email'`)
      .andWhereRaw(`payload->>'to' = ?`, ['mai@example.invalid'])
      .first()
    t.ok(mail, 'the verification mail goes through the outbox')
    const token = /token=([A-Za-z0-9_-]+)/.exec(mail.payload.text)![1]!
    t.match(
      mail.payload.text,
      `https://dvc.example.gov.vn/motcua/xac-thuc-email?token=${token}`,
      'the link leads to the portal named by PUBLIC_BASE_URL',
    )
    const stored = await knex('email_verifications').first('token_hash')
    t.not(stored.token_hash, token, 'the token is stored hashed')
    const dup = await app.inject({
      method: 'POST',
      url: '/api/auth/register',
      payload: {
        ...base,
        altcha: await solvedAltcha(app),
        username: 'mai2',
        email: 'mai2@example.invalid',
        password: 'Hoa-sen-2026!',
      },
    })
    // One account per CCCD, but the answer does not say the number is taken (that told anyone whether a CCCD has an
    // account): the same answer, an account without the number, and the truth by mail (test/hostile/identity.test.ts).
    t.equal(dup.statusCode, 202, 'the same answer whether or not the CCCD is taken')
    t.same(
      await knex('users').where({ username: 'mai2' }).first('id_number'),
      { id_number: null },
      'one account per CCCD: the number stays with its holder',
    )
    t.equal(
      (
        await app.inject({
          method: 'POST',
          url: '/api/auth/register',
          payload: {
            ...base,
            altcha: await solvedAltcha(app),
            username: 'mai3',
            email: 'mai3@example.invalid',
            idNumber: '001190000124',
            password: 'Hoa-sen-2026!',
          },
        })
      ).statusCode,
      429,
      'registration is rate-limited',
    )

    // Unverified: logs in, drafts, but may not submit.
    const login = await app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'nguyenthimai', password: 'Hoa-sen-2026!' },
    })
    t.equal(login.statusCode, 200)
    const authorization = `Bearer ${login.json().accessToken}`
    const draft = await app.inject({
      method: 'POST',
      url: '/api/dossiers/drafts',
      headers: { authorization },
      payload: { procedure: 'dang-ky-khai-sinh', agencyUnitId: 'xa-an-binh', formData: {}, deliveryMethod: 'counter' },
    })
    t.equal(draft.statusCode, 201)
    const submit = await app.inject({
      method: 'POST',
      url: `/api/dossiers/drafts/${draft.json().id}/submit`,
      headers: { authorization, 'idempotency-key': 'unverified-1' },
    })
    t.equal(submit.statusCode, 403)
    t.equal(submit.json().code, 'MC_ERR_EMAIL_NOT_VERIFIED')

    t.equal(
      (await app.inject({ method: 'POST', url: '/api/auth/verify-email', payload: { token: 'x'.repeat(43) } }))
        .statusCode,
      400,
      'a made-up token',
    )
    const verified = await app.inject({ method: 'POST', url: '/api/auth/verify-email', payload: { token } })
    t.equal(verified.statusCode, 200)
    t.ok((await knex('users').where({ username: 'nguyenthimai' }).first('email_verified_at')).email_verified_at)
    t.equal(
      (await app.inject({ method: 'POST', url: '/api/auth/verify-email', payload: { token } })).json().code,
      'MC_ERR_VERIFICATION_INVALID',
      'a link works once',
    )
    const incomplete = await app.inject({
      method: 'POST',
      url: `/api/dossiers/drafts/${draft.json().id}/submit`,
      headers: { authorization, 'idempotency-key': 'unverified-1' },
    })
    t.equal(incomplete.json().code, 'MC_ERR_DOSSIER_INCOMPLETE', 'verified: now only the missing documents stop it')
  },
)

t.test('the OpenAPI document lists every route with its schemas, and a Problem for its 4xx answers', async (t) => {
  const res = await app.inject({ method: 'GET', url: '/docs/json' })
  t.equal(res.statusCode, 200)
  const doc = res.json() as {
    paths: Record<
      string,
      Record<string, { responses?: Record<string, { content?: Record<string, { schema?: unknown }> }> }>
    >
  }
  const expected = [
    'post /api/auth/register',
    'post /api/auth/verify-email',
    'post /api/dossiers/drafts',
    'get /api/dossiers/drafts/{draftId}',
    'patch /api/dossiers/drafts/{draftId}',
    'post /api/dossiers/drafts/{draftId}/attachments/{componentId}',
    'post /api/dossiers/drafts/{draftId}/attachments/{componentId}/reuse',
    'post /api/dossiers/drafts/{draftId}/submit',
    'get /api/dossiers/mine',
    'get /api/dossiers',
    'get /api/dossiers/{dossierId}',
    'get /api/dossiers/{dossierId}/attachments/{fileId}',
    'post /api/dossiers/{dossierId}/attachments/{componentId}',
    'post /api/dossiers/{dossierId}/supplement',
    'post /api/dossiers/{dossierId}/withdraw',
    'post /api/dossiers/{dossierId}/payments',
    'post /api/payments/{provider}/callback',
    'post /api/dossiers/{dossierId}/rating',
    'post /api/counter/dossiers',
    'get /api/tasks',
    'get /api/tasks/{taskKey}',
    'post /api/tasks/{taskKey}/claim',
    'post /api/tasks/{taskKey}/unclaim',
    'post /api/tasks/{taskKey}/assign',
    'post /api/tasks/{taskKey}/complete',
    'get /api/public/dossiers/lookup',
    'get /api/dossiers/{dossierId}/print/{form}',
    'get /api/payments/sandbox/checkout',
    'post /api/payments/sandbox/checkout',
    'post /api/dossiers/{dossierId}/suspend-for-payment',
    'post /api/dossiers/{dossierId}/resume',
    'post /api/dossiers/{dossierId}/extend',
    'post /api/dossiers/{dossierId}/stop',
  ]
  const listed = Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m} ${path}`))
  for (const route of expected) t.ok(listed.includes(route), `${route} is documented`)
  const problemCodes = JSON.stringify(
    await app.inject({ method: 'GET', url: '/docs/json' }).then((r) => r.json().components),
  )
  t.match(problemCodes, /MC_ERR_EMAIL_NOT_VERIFIED/, 'the problem codes are listed')
  for (const [path, ops] of Object.entries(doc.paths)) {
    if (!path.startsWith('/api/') || path.startsWith('/api/health')) continue
    for (const [method, op] of Object.entries(ops)) {
      const fourxx = Object.entries(op.responses ?? {}).filter(([status]) => /^4\d\d$/.test(status))
      t.ok(fourxx.length > 0, `${method} ${path} documents a 4xx answer`)
      for (const [status, r] of fourxx) {
        const schema = JSON.stringify(r.content ?? {})
        t.ok(/Problem|MC_ERR_/.test(schema), `${method} ${path} ${status} is a Problem`)
      }
    }
  }
})

t.test('bad input on each new route: 4xx problem+json, and the database is unchanged', async (t) => {
  const citizen = await as('congdan')
  const officer = await as('motcua-xa')
  const draftId = (
    await app.inject({
      method: 'POST',
      url: '/api/dossiers/drafts',
      headers: citizen,
      payload: { procedure: 'dang-ky-khai-sinh' },
    })
  ).json().id as string
  const someone = '00000000-0000-4000-8000-000000000000'
  const cases: Array<{
    name: string
    method: 'GET' | 'POST' | 'PATCH'
    url: string
    headers?: Record<string, string>
    payload?: unknown
    status: number
  }> = [
    {
      name: 'draft of an unknown procedure',
      method: 'POST',
      url: '/api/dossiers/drafts',
      headers: citizen,
      payload: { procedure: 'khong-co' },
      status: 404,
    },
    {
      name: 'draft with an extra field',
      method: 'POST',
      url: '/api/dossiers/drafts',
      headers: citizen,
      payload: { procedure: 'dang-ky-khai-sinh', admin: true },
      status: 400,
    },
    {
      name: 'draft without login',
      method: 'POST',
      url: '/api/dossiers/drafts',
      payload: { procedure: 'dang-ky-khai-sinh' },
      status: 401,
    },
    {
      name: 'draft by an officer',
      method: 'POST',
      url: '/api/dossiers/drafts',
      headers: officer,
      payload: { procedure: 'dang-ky-khai-sinh' },
      status: 403,
    },
    {
      name: 'draft read with a malformed id',
      method: 'GET',
      url: '/api/dossiers/drafts/abc',
      headers: citizen,
      status: 400,
    },
    {
      name: 'empty autosave',
      method: 'PATCH',
      url: `/api/dossiers/drafts/${draftId}`,
      headers: citizen,
      payload: {},
      status: 400,
    },
    {
      name: 'autosave to an unknown agency',
      method: 'PATCH',
      url: `/api/dossiers/drafts/${draftId}`,
      headers: citizen,
      payload: { agencyUnitId: 'khong-co' },
      status: 422,
    },
    {
      name: 'upload to an unknown component',
      method: 'POST',
      url: `/api/dossiers/drafts/${draftId}/attachments/khong-co`,
      headers: { ...citizen, 'content-type': 'multipart/form-data; boundary=x' },
      payload: '--x--\r\n',
      status: 422,
    },
    {
      name: 'reuse with a malformed code',
      method: 'POST',
      url: `/api/dossiers/drafts/${draftId}/attachments/giay-to-tuy-than/reuse`,
      headers: citizen,
      payload: { dossierCode: "'; drop table" },
      status: 400,
    },
    {
      name: 'submit an incomplete draft',
      method: 'POST',
      url: `/api/dossiers/drafts/${draftId}/submit`,
      headers: { ...citizen, 'idempotency-key': 'bad-input-1' },
      status: 422,
    },
    {
      name: 'my dossiers with a bad status',
      method: 'GET',
      url: '/api/dossiers/mine?status=11',
      headers: citizen,
      status: 400,
    },
    { name: 'unit dossiers for a citizen', method: 'GET', url: '/api/dossiers', headers: citizen, status: 403 },
    {
      name: 'a dossier that does not exist',
      method: 'GET',
      url: `/api/dossiers/${someone}`,
      headers: citizen,
      status: 404,
    },
    {
      name: 'download from a dossier that does not exist',
      method: 'GET',
      url: `/api/dossiers/${someone}/attachments/${someone}`,
      headers: citizen,
      status: 404,
    },
    {
      name: 'supplement with an unknown field',
      method: 'POST',
      url: `/api/dossiers/${someone}/supplement`,
      headers: citizen,
      payload: { extra: 1 },
      status: 400,
    },
    {
      name: 'supplement of a dossier that does not exist',
      method: 'POST',
      url: `/api/dossiers/${someone}/supplement`,
      headers: citizen,
      payload: {},
      status: 404,
    },
    {
      name: 'withdraw a dossier that does not exist',
      method: 'POST',
      url: `/api/dossiers/${someone}/withdraw`,
      headers: citizen,
      payload: {},
      status: 404,
    },
    {
      name: 'pay with an unknown provider',
      method: 'POST',
      url: `/api/dossiers/${someone}/payments`,
      headers: citizen,
      payload: { provider: 'bank' },
      status: 400,
    },
    {
      name: 'pay with an open redirect',
      method: 'POST',
      url: `/api/dossiers/${someone}/payments`,
      headers: citizen,
      payload: { returnUrl: 'https://evil.example' },
      status: 400,
    },
    {
      name: 'callback without signature',
      method: 'POST',
      url: '/api/payments/sandbox/callback',
      payload: { reference: 'x', status: 'paid' },
      status: 400,
    },
    {
      name: 'callback for an unknown payment',
      method: 'POST',
      url: '/api/payments/sandbox/callback',
      payload: { reference: 'x', status: 'paid', signature: 'ab' },
      status: 400,
    },
    {
      name: 'suspend without a reason',
      method: 'POST',
      url: `/api/dossiers/${someone}/suspend-for-payment`,
      headers: officer,
      payload: { amountVnd: 1 },
      status: 400,
    },
    {
      name: 'resume a dossier that does not exist',
      method: 'POST',
      url: `/api/dossiers/${someone}/resume`,
      headers: officer,
      payload: {},
      status: 404,
    },
    {
      name: 'extend to a malformed date',
      method: 'POST',
      url: `/api/dossiers/${someone}/extend`,
      headers: officer,
      payload: { newDueDate: '31/12/2026', reason: 'x' },
      status: 400,
    },
    {
      name: 'stop with a blank reason',
      method: 'POST',
      url: `/api/dossiers/${someone}/stop`,
      headers: officer,
      payload: { reason: '   ' },
      status: 400,
    },
    {
      name: 'stop by a citizen',
      method: 'POST',
      url: `/api/dossiers/${someone}/stop`,
      headers: citizen,
      payload: { reason: 'x' },
      status: 404,
    },
    {
      name: 'sandbox checkout back to another site',
      method: 'GET',
      url: '/api/payments/sandbox/checkout?reference=MC1&returnUrl=//evil.example',
      status: 400,
    },
    {
      name: 'sandbox confirm without the payer’s checkout token or login',
      method: 'POST',
      url: '/api/payments/sandbox/checkout',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'reference=MC1&returnUrl=%2Fho-so&status=paid',
      status: 401,
    },
    {
      name: 'sandbox confirm of an unknown payment',
      method: 'POST',
      url: '/api/payments/sandbox/checkout',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...citizen },
      payload: 'reference=MC1&returnUrl=%2Fho-so&status=paid',
      status: 404,
    },
    {
      name: 'rating of 0',
      method: 'POST',
      url: `/api/dossiers/${someone}/rating`,
      headers: citizen,
      payload: { score: 0 },
      status: 400,
    },
    {
      name: 'rating of a dossier that does not exist',
      method: 'POST',
      url: `/api/dossiers/${someone}/rating`,
      headers: citizen,
      payload: { score: 4 },
      status: 404,
    },
    {
      name: 'intake without an applicant',
      method: 'POST',
      url: '/api/counter/dossiers',
      headers: { ...officer, 'idempotency-key': 'bad-input-2' },
      payload: { procedure: 'dang-ky-khai-sinh', agencyUnitId: 'xa-an-binh', formData: {}, deliveryMethod: 'counter' },
      status: 400,
    },
    {
      name: 'intake with an invalid form',
      method: 'POST',
      url: '/api/counter/dossiers',
      headers: { ...officer, 'idempotency-key': 'bad-input-3' },
      payload: {
        procedure: 'dang-ky-khai-sinh',
        agencyUnitId: 'xa-an-binh',
        formData: {},
        deliveryMethod: 'counter',
        applicant: { name: 'A' },
      },
      status: 422,
    },
    {
      name: 'intake without a key',
      method: 'POST',
      url: '/api/counter/dossiers',
      headers: officer,
      payload: {},
      status: 400,
    },
    { name: 'worklist with a bad cursor', method: 'GET', url: '/api/tasks?cursor=zzz', headers: officer, status: 400 },
    {
      name: 'worklist with an unknown filter',
      method: 'GET',
      url: '/api/tasks?sort=name',
      headers: officer,
      status: 400,
    },
    { name: 'a task that does not exist', method: 'GET', url: '/api/tasks/123456789', headers: officer, status: 404 },
    {
      name: 'claim a task that does not exist',
      method: 'POST',
      url: '/api/tasks/123456789/claim',
      headers: officer,
      status: 404,
    },
    {
      name: 'unclaim a task that does not exist',
      method: 'POST',
      url: '/api/tasks/123456789/unclaim',
      headers: officer,
      status: 404,
    },
    {
      name: 'assign to a malformed id',
      method: 'POST',
      url: '/api/tasks/123456789/assign',
      headers: officer,
      payload: { assigneeId: 'x' },
      status: 400,
    },
    {
      name: 'complete a task that does not exist',
      method: 'POST',
      url: '/api/tasks/123456789/complete',
      headers: officer,
      payload: { decision: 'accept' },
      status: 404,
    },
    {
      name: 'lookup with a malformed ID number',
      method: 'GET',
      url: '/api/public/dossiers/lookup?code=X99.1&idNumber=abc',
      status: 400,
    },
    // (register's bad input is specified above, within its rate limit)
    { name: 'verify without a token', method: 'POST', url: '/api/auth/verify-email', payload: {}, status: 400 },
  ]
  const before = await counts()
  for (const c of cases) {
    const res = await app.inject({
      method: c.method,
      url: c.url,
      ...(c.headers ? { headers: c.headers } : {}),
      ...(c.payload !== undefined ? { payload: c.payload as string } : {}),
    })
    t.equal(res.statusCode, c.status, `${c.name}: ${res.statusCode} ${res.json().code}`)
    t.match(res.headers['content-type'], /^application\/problem\+json/, `${c.name}: problem+json`)
  }
  t.same(await counts(), before, 'nothing was written')
})

t.test('the public lookup is rate-limited', async (t) => {
  const statuses: number[] = []
  for (let i = 0; i < 31; i++)
    statuses.push(
      (
        await app.inject({
          method: 'GET',
          url: '/api/public/dossiers/lookup?code=X99.30-010101-0001&idNumber=001090000001',
        })
      ).statusCode,
    )
  t.equal(statuses.filter((s) => s === 404).length, 29, 'the first answers (one was used above)')
  t.equal(statuses.at(-1), 429)
})
