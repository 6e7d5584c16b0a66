// Specification (issue #15, items 8–11):
// - a failed login answers the same whether the name exists or not, throttled or not; failures are throttled per
//   (name, address) pair with exponential back-off, kept in the database; an attacker's failures from one address do
//   not keep the owner out from another, and many failures on one name only slow its logins down;
// - a guessable password (common, a sequence, built from the account's own data) is refused at registration;
// - another unit's task and a task key that does not exist answer the same and run the same statements;
// - a return URL leads back to this portal only, and the sandbox checkout confirms a payment for its payer only.
import { randomUUID } from 'node:crypto'
import t from 'tap'
import type { LightMyRequestResponse } from 'fastify'
import { authSettings, login } from '../../src/auth/service.js'
import { passwordProblems } from '../../src/auth/registration.js'
import { safeReturnUrl } from '../../src/lib/safe-return-url.js'
import { dossierContext } from '../../src/api/dossiers/context.js'
import { AppError } from '../../src/errors.js'
import { fingerprint, settled } from './support.js'
import { hostileWorld } from './world.js'
import { solvedAltcha } from '../helpers/altcha.js'

const w = await hostileWorld(t)
const knex = w.db.knex
const passwordOf = (username: string) => w.demo.find((d) => d.username === username)!.password

// Each test logs in from its own addresses: the route's own rate limit (10 a minute per address) stays out of the way.
let nextAddress = 1
const newAddress = () => `10.20.${Math.floor(nextAddress / 250)}.${(nextAddress++ % 250) + 1}`
const attempt = (username: string, password: string, remoteAddress: string) =>
  w.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password }, remoteAddress })

/** What a client can see of an answer, but what changes with the clock (date, request id, rate-limit window). */
function visible(res: LightMyRequestResponse) {
  const {
    date: _date,
    'x-request-id': _id,
    'content-length': _len,
    'x-ratelimit-reset': _reset,
    ...headers
  } = res.headers
  const body = res.json() as Record<string, unknown>
  delete body['instance']
  delete body['requestId']
  return { status: res.statusCode, headers, body }
}

t.test('login: an unknown name and an existing one answer alike, failing and throttled', async (t) => {
  // Each from its own address, so the route's rate-limit headers count alike.
  const [fromU, fromK] = [newAddress(), newAddress()]
  const unknown: LightMyRequestResponse[] = []
  const known: LightMyRequestResponse[] = []
  for (let i = 0; i < authSettings.pairMaxFailures + 1; i++) {
    unknown.push(await attempt(`nobody-${fromU}`, 'wrong-password-1', fromU))
    known.push(await attempt('doanhnghiep', 'wrong-password-1', fromK))
  }
  for (let i = 0; i < authSettings.pairMaxFailures; i++) {
    t.equal(known[i]!.statusCode, 401, `failure ${i + 1}: 401`)
    t.same(visible(unknown[i]!), visible(known[i]!), `failure ${i + 1}: the same answer`)
  }
  const [u, k] = [unknown.at(-1)!, known.at(-1)!]
  t.equal(k.statusCode, 429, 'throttled after the pair failed enough')
  t.equal(k.json().code, 'MC_ERR_LOGIN_LOCKED')
  t.ok(Number(k.headers['retry-after']) > 0, 'Retry-After')
  // The block started a few milliseconds apart: Retry-After may differ by the second it rounds to.
  const { headers: uh, body: ub, ...us } = visible(u)
  const { headers: kh, body: kb, ...ks } = visible(k)
  t.same(us, ks, 'the same status for an unknown name')
  t.same(Object.keys(uh).sort(), Object.keys(kh).sort(), 'the same headers')
  t.ok(Math.abs(Number(uh['retry-after']) - Number(kh['retry-after'])) <= 1, 'the same Retry-After')
  t.same({ ...ub, retryAfterSeconds: 0 }, { ...kb, retryAfterSeconds: 0 }, 'the same body, Retry-After aside')
  t.equal(u.statusCode, 429, 'an unknown name is throttled too')

  const right = await attempt('doanhnghiep', passwordOf('doanhnghiep'), fromK)
  t.equal(right.statusCode, 429, 'while throttled, even the right password from that address waits')
})

t.test("login: an attacker's failures from one address do not keep the owner out", async (t) => {
  const attacker = newAddress()
  for (let i = 0; i < authSettings.pairMaxFailures + 2; i++) await attempt('congdan', `guess-${i}-xxxx`, attacker)
  t.equal((await attempt('congdan', 'guess-again-xx', attacker)).statusCode, 429, 'the attacker is throttled')
  const owner = await attempt('congdan', passwordOf('congdan'), newAddress())
  t.equal(owner.statusCode, 200, 'the owner logs in from another address')
})

t.test('login: failures on one name from many addresses only slow it down, never lock it', async (t) => {
  const saved = { ...authSettings }
  t.teardown(() => void Object.assign(authSettings, saved))
  Object.assign(authSettings, { accountSlowAfter: 3, accountDelayMs: 1, accountMaxDelayMs: 5 })
  for (let i = 0; i < 12; i++) {
    const res = await attempt('tuphap-xa', 'wrong-password-2', newAddress())
    t.equal(res.statusCode, 401, `failure ${i + 1} from a new address: 401, not locked`)
  }
  const owner = await attempt('tuphap-xa', passwordOf('tuphap-xa'), newAddress())
  t.equal(owner.statusCode, 200, 'the owner still logs in')
})

t.test('login: the back-off doubles for a pair that keeps failing, and is kept in the database', async (t) => {
  const address = newAddress()
  const name = `nobody-backoff-${randomUUID()}`
  const start = Date.parse('2026-12-01T00:00:00Z')
  const at = (s: number) => new Date(start + s * 1000)
  const fail = async (s: number): Promise<AppError> => {
    try {
      await login(knex, name, 'wrong-password-3', address, at(s))
    } catch (err) {
      return err as AppError
    }
    throw new Error('logged in')
  }
  for (let i = 0; i < authSettings.pairMaxFailures; i++) t.equal((await fail(i)).code, 'MC_ERR_LOGIN_FAILED')
  const first = await fail(10)
  t.equal(first.code, 'MC_ERR_LOGIN_LOCKED')
  const base = authSettings.pairBlockSeconds
  t.ok(Number(first.extensions['retryAfterSeconds']) <= base, `first block: at most ${base} s`)
  t.equal((await fail(base + 5)).code, 'MC_ERR_LOGIN_FAILED', 'after the block, one more try is checked')
  const second = await fail(base + 6)
  t.equal(second.code, 'MC_ERR_LOGIN_LOCKED')
  t.ok(Number(second.extensions['retryAfterSeconds']) > base, 'the second block is longer')
  const rows = await knex('login_throttle').where({ scope: 'pair' }).select('key', 'failures')
  t.ok(
    rows.some((r: { failures: number }) => r.failures === authSettings.pairMaxFailures + 1),
    'the count lives in the database (another process reads the same)',
  )
  const stored = JSON.stringify(await knex('login_throttle').select('key'))
  t.notOk(stored.includes(name), 'the names typed are not stored')
})

t.test('registration refuses guessable passwords, and the account’s own data', async (t) => {
  const base = {
    kind: 'citizen',
    username: 'ngbinh',
    fullName: 'Trần Văn Bình',
    email: 'binh.tran@example.invalid',
    idNumber: '001190000777',
    phone: '0912345678',
  }
  const before = await fingerprint(knex)
  for (const password of ['password12', '1234567890a', 'TranVanBinh-1990', '001190000777Aa', 'Qwertyuiop12']) {
    const res = await w.app.inject({
      method: 'POST',
      url: '/api/auth/register',
      payload: { ...base, password, altcha: await solvedAltcha(w.app) },
      remoteAddress: newAddress(),
    })
    t.equal(res.statusCode, 422, `${password}: refused`)
    t.equal(res.json().code, 'MC_ERR_PASSWORD_WEAK')
    const message = JSON.stringify(res.json().errors)
    t.match(message, /Mật khẩu quá dễ đoán/, `${password}: Vietnamese`)
    t.match(message, /too easy to guess/, `${password}: English`)
  }
  t.same(await fingerprint(knex), before, 'nothing stored')
  t.same(passwordProblems('Sông-Hồng-chảy-2026', 'ngbinh', [base.fullName, base.email]), [], 'a passphrase passes')
  const ok = await w.app.inject({
    method: 'POST',
    url: '/api/auth/register',
    payload: { ...base, password: 'Sông-Hồng-chảy-2026', altcha: await solvedAltcha(w.app) },
    remoteAddress: newAddress(),
  })
  t.equal(ok.statusCode, 202, ok.body)
  t.ok(await knex('users').where({ username: base.username }).first('id'), 'the account with a passphrase is created')
})

t.test("another unit's task and a task key that does not exist: the same answer, the same statements", async (t) => {
  const foreign = w.taskKey
  const missing = String(Number(foreign) + 1_000_000)
  const statements = async (run: () => Promise<LightMyRequestResponse>) => {
    const sql: string[] = []
    // The request's own statements (knex's builder quotes names); the pollers running meanwhile write raw SQL.
    const listen = (q: { sql: string }) => {
      if (/"(tasks|audit_events|dossiers|users)"/.test(q.sql)) sql.push(q.sql)
    }
    knex.on('query', listen)
    try {
      return { res: await run(), sql }
    } finally {
      knex.removeListener('query', listen)
    }
  }
  await w.api.as('canbo')
  const before = await settled(knex)
  for (const [method, path, payload] of [
    ['GET', '', undefined],
    ['POST', '/claim', undefined],
    ['POST', '/unclaim', undefined],
    ['POST', '/complete', { decision: 'accept' }],
  ] as const) {
    const a = await statements(() => w.api.call(method, `/api/tasks/${foreign}${path}`, 'canbo', payload))
    const b = await statements(() => w.api.call(method, `/api/tasks/${missing}${path}`, 'canbo', payload))
    t.equal(a.res.statusCode, 404, `${method} ${path || '/'}: 404`)
    t.same(visible(a.res), visible(b.res), `${method} ${path || '/'}: the same answer`)
    t.equal(a.res.json().code, 'MC_ERR_TASK_NOT_FOUND')
    t.ok(
      a.sql.some((q) => q.includes('"tasks"')),
      `${method} ${path || '/'}: the statements were seen (${a.sql.length})`,
    )
    t.same(a.sql, b.sql, `${method} ${path || '/'}: the same statements`)
  }
  t.same(await fingerprint(knex), before, 'nothing changed but the audit log')
  const audited = await knex('audit_events')
    .where({ action: 'access.denied', subject_type: 'task' })
    .whereIn('subject_id', [foreign, missing])
    .count({ n: '*' })
    .first()
  t.equal(Number(audited!.n), 8, 'both kinds of probe are audited')
  const own = await w.api.call('GET', `/api/tasks/${foreign}`, 'motcua-xa')
  t.equal(own.statusCode, 200, 'the officer of the unit still sees the task')
})

t.test("a supervisor's reassignment: another unit's task and a missing key run the same statements", async (t) => {
  const foreign = w.taskKey
  const missing = String(Number(foreign) + 1_000_000)
  // A supervisor of the sibling commune (the demo seats none there): the principal its token would carry.
  const sibling = await knex('units').where({ id: 'xa-binh-minh' }).first('id', 'path')
  const me = await knex('users').where({ username: 'lanhdao-xa' }).first('id')
  const principal = {
    userId: me.id as string,
    username: 'lanhdao-binh-minh',
    kind: 'supervisor' as const,
    unitId: sibling.id as string,
    unitPath: sibling.path as string,
    groups: ['lanh-dao'],
  }
  const service = dossierContext(w.app).service
  const probe = async (taskKey: string) => {
    const sql: string[] = []
    const listen = (q: { sql: string }) => {
      if (/"(tasks|audit_events|dossiers|users)"/.test(q.sql)) sql.push(q.sql)
    }
    knex.on('query', listen)
    try {
      const err = await service.assign(principal, taskKey, me.id as string).then(
        () => undefined,
        (e: unknown) => e as { code?: string },
      )
      return { code: err?.code, sql }
    } finally {
      knex.removeListener('query', listen)
    }
  }
  const a = await probe(foreign)
  const b = await probe(missing)
  t.equal(a.code, 'MC_ERR_TASK_NOT_FOUND', "another unit's task: not found")
  t.equal(b.code, 'MC_ERR_TASK_NOT_FOUND', 'a missing key: not found')
  t.ok(a.sql.length > 0, `the statements were seen (${a.sql.length})`)
  t.same(a.sql, b.sql, 'the same statements')
})

t.test('return URLs lead back to this portal only', async (t) => {
  const refused = [
    '//evil.example/x',
    '/\\evil.example',
    '/\\/evil.example',
    '\\\\evil.example',
    '/%09/evil.example/x',
    '/%5Cevil.example',
    '/%5c/evil.example',
    '/%2F/evil.example',
    '/\t/evil.example',
    '/\n/evil.example',
    '/ho-so\r\nSet-Cookie: x=1',
    '/ /evil.example',
    '/.//evil.example',
    '/./%2F/evil.example',
    'https://evil.example/',
    'http:evil.example',
    'javascript:alert(1)',
    'JaVaScRiPt:alert(1)',
    ' /ho-so',
    'ho-so',
    '',
    '/%E0%A4%A',
  ]
  for (const url of refused) t.equal(safeReturnUrl(url), undefined, `refused: ${JSON.stringify(url)}`)
  t.equal(safeReturnUrl('/ho-so-cua-toi/abc?tab=1#pay'), '/ho-so-cua-toi/abc?tab=1#pay')
  t.equal(safeReturnUrl('/ho-so'), '/ho-so')

  const before = await fingerprint(knex)
  for (const url of refused.filter((u) => u.startsWith('/') && !u.startsWith('//'))) {
    const res = await w.app.inject({
      method: 'GET',
      url: `/api/payments/sandbox/checkout?reference=ABC123&returnUrl=${encodeURIComponent(url)}`,
    })
    t.equal(res.statusCode, 400, `checkout page refuses ${JSON.stringify(url)}`)
    // A control character is refused at the edge of every route, before the checkout's own check.
    const code = /[\u0000-\u001f\u007f]/.test(url) ? 'MC_ERR_INPUT_CHARACTERS' : 'MC_ERR_VALIDATION'
    t.equal(res.json().code, code, `${JSON.stringify(url)}: ${code}`)
  }
  // The pen-test's own URL, as sent: %09 in the query becomes a tab the browser would drop.
  const raw = await w.app.inject({
    method: 'GET',
    url: '/api/payments/sandbox/checkout?reference=ABC123&returnUrl=/%09/evil.example/x',
  })
  t.equal(raw.statusCode, 400, 'returnUrl=/%09/evil.example/x')
  const start = await w.api.call('POST', `/api/dossiers/${w.dossierId}/payments`, 'congdan', {
    provider: 'sandbox',
    returnUrl: '/\\evil.example',
  })
  t.equal(start.statusCode, 400, 'starting a payment refuses it too')
  t.same(await fingerprint(knex), before, 'nothing changed')
})

t.test('the sandbox checkout confirms a payment for its payer only', async (t) => {
  const sandbox = dossierContext(w.app).sandbox
  const owner = (await knex('users').where({ username: 'congdan' }).first('id')).id as string
  const other = (await knex('users').where({ username: 'doanhnghiep' }).first('id')).id as string
  const reference = `MCTEST${Date.now().toString(36).toUpperCase()}`
  await knex('payments').insert({
    dossier_id: w.dossierId,
    provider: 'sandbox',
    reference,
    amount_vnd: 8000,
    status: 'pending',
  })
  const confirm = (fields: Record<string, string>, headers: Record<string, string> = {}) =>
    w.app.inject({
      method: 'POST',
      url: '/api/payments/sandbox/checkout',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
      payload: new URLSearchParams({ reference, returnUrl: '/ho-so', status: 'paid', ...fields }).toString(),
    })
  const now = new Date()
  const before = await settled(knex)
  const refusals: Array<[string, Record<string, string>, Record<string, string>, number]> = [
    ['no token, no login', {}, {}, 401],
    ['a forged token', { checkoutToken: `${owner}.${Math.floor(Date.now() / 1000) + 600}.${'0'.repeat(64)}` }, {}, 401],
    ['a token of another payment', { checkoutToken: sandbox.checkoutToken('MCOTHER1', owner, now) }, {}, 401],
    [
      'an expired token',
      { checkoutToken: sandbox.checkoutToken(reference, owner, new Date(Date.now() - 3600_000)) },
      {},
      401,
    ],
    ['a token of another account', { checkoutToken: sandbox.checkoutToken(reference, other, now) }, {}, 404],
    ['another account logged in', {}, await w.api.as('doanhnghiep'), 404],
    [
      'a good token, but a way back to another site',
      { checkoutToken: sandbox.checkoutToken(reference, owner, now), returnUrl: '/\t/evil.example/x' },
      {},
      400,
    ],
  ]
  for (const [name, fields, headers, status] of refusals) {
    const res = await confirm(fields, headers)
    t.equal(res.statusCode, status, `${name}: ${status}`)
    t.notOk(res.headers.location, `${name}: no redirect`)
  }
  t.same(await fingerprint(knex), before, 'nothing confirmed')
  t.equal((await knex('payments').where({ reference }).first('status')).status, 'pending')

  // The page the payer reaches carries their token; its form confirms.
  const started = sandbox.checkoutToken(reference, owner, now)
  const page = await w.app.inject({
    method: 'GET',
    url: `/api/payments/sandbox/checkout?${new URLSearchParams({ reference, returnUrl: '/ho-so', checkoutToken: started })}`,
  })
  t.equal(page.statusCode, 200)
  t.match(page.body, `name="checkoutToken" value="${started}"`, 'the form carries the token')
  const paid = await confirm({ checkoutToken: started })
  t.equal(paid.statusCode, 303)
  t.match(paid.headers.location, new RegExp(`^/ho-so\\?payment=${reference}&status=paid$`))
  t.equal((await knex('payments').where({ reference }).first('status')).status, 'paid')
})
