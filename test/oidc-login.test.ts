// Specification (issue #19, sign-in with an identity provider): against a real OpenID Connect provider (oidc-provider
// on loopback), a citizen signs in through the provider; the CCCD it vouches for links the sign-in to the account whose
// identity the system established, or makes one, and marks it verified by the provider; motcua then opens its own
// session. Every answer that fails a check (issuer, state, browser, code replay, nonce, signature, missing claim) is
// refused with a problem and writes nothing.
import t, { type Test } from 'tap'
import type { LightMyRequestResponse } from 'fastify'
import { OidcLogin } from '../src/auth/oidc.js'
import { accountRepository } from '../src/auth/repository.js'
import { buildTestApp } from './helpers/app.js'
import { providerEnv, startTestProvider } from './helpers/oidc-provider.js'
import { assertAllRefused, diff, fingerprint, problemShape, refusedRequests, routesOf } from './hostile/support.js'

const redirectUrl = 'http://127.0.0.1:5173/dang-nhap/dinh-danh'
const op = await startTestProvider(t, redirectUrl)
const built = await buildTestApp(t, { ...providerEnv(op), RATE_LIMIT_ALLOW: '127.0.0.1' })
const { app } = built
const knex = built.db.knex

op.accounts.set('an', { so_dinh_danh: '001090012345', name: 'Nguyễn Văn An', birthdate: '1990-04-30' })
op.accounts.set('binh', {
  so_dinh_danh: '001085000222',
  name: 'Trần Thị Bình',
  email: 'binh@example.vn',
  email_verified: true,
})
op.accounts.set('cuong', { so_dinh_danh: '001199000333', name: 'Lê Văn Cường' })
op.accounts.set('khong-so', { name: 'Không Có Số' })

interface Started {
  authorizationUrl: string
  cookie: string
}
interface Answer {
  code: string
  state: string
  iss?: string
}

async function start(): Promise<Started> {
  const res = await app.inject({ method: 'POST', url: '/api/auth/oidc/authorizations' })
  if (res.statusCode !== 201) throw new Error(`start: ${res.statusCode} ${res.body}`)
  const setCookie = String(res.headers['set-cookie'])
  return { authorizationUrl: res.json().authorizationUrl, cookie: setCookie.split(';')[0]! }
}

function answerOf(url: URL): Answer {
  const iss = url.searchParams.get('iss')
  return {
    code: url.searchParams.get('code')!,
    state: url.searchParams.get('state')!,
    ...(iss ? { iss } : {}),
  }
}

async function signInAt(login: string, rewrite?: (authorizationUrl: string) => string) {
  const started = await start()
  const url = rewrite ? rewrite(started.authorizationUrl) : started.authorizationUrl
  return { ...started, answer: answerOf(await op.signIn(url, login)) }
}

const callback = (answer: unknown, cookie?: string) =>
  app.inject({
    method: 'POST',
    url: '/api/auth/oidc/callback',
    payload: answer as object,
    ...(cookie ? { headers: { cookie } } : {}),
  })

/** The request is refused with this status and code, and the database is exactly as before. */
async function refusedUnchanged(
  t: Test,
  send: () => Promise<LightMyRequestResponse>,
  status: number,
  code: string,
): Promise<LightMyRequestResponse> {
  const before = await fingerprint(knex)
  const res = await send()
  t.equal(res.statusCode, status, `${status} (${res.body.slice(0, 200)})`)
  t.equal(res.json().code, code, code)
  t.equal(problemShape(res), undefined, 'a problem with vi and en messages')
  t.same(diff(before, await fingerprint(knex)), [], 'nothing written')
  return res
}

const account = (id: string) =>
  knex('users')
    .where({ id })
    .first(
      'username',
      'kind',
      'full_name',
      'email',
      'email_verified_at',
      'id_number',
      knex.raw('birth_date::text AS birth_date'),
      'identity_assurance',
      'identity_verified_by',
    )

t.test('the login page learns that sign-in with the provider is on', async (t) => {
  const res = await app.inject({ method: 'GET', url: '/api/auth/oidc' })
  t.same(res.json(), { enabled: true })
})

t.test(
  'the authorization URL asks for a code with PKCE (S256), state and nonce, for the configured scopes',
  async (t) => {
    const { authorizationUrl, cookie } = await start()
    const url = new URL(authorizationUrl)
    t.equal(url.origin, op.issuer)
    const q = url.searchParams
    t.equal(q.get('response_type'), 'code')
    t.equal(q.get('client_id'), op.clientId)
    t.equal(q.get('redirect_uri'), redirectUrl)
    t.equal(q.get('scope'), 'openid profile cccd email')
    t.equal(q.get('code_challenge_method'), 'S256')
    t.match(q.get('code_challenge'), /^[A-Za-z0-9_-]{43}$/)
    t.match(q.get('state'), /^[A-Za-z0-9_-]{20,}$/)
    t.match(q.get('nonce'), /^[A-Za-z0-9_-]{20,}$/)
    t.match(cookie, /^motcua_oidc=[A-Za-z0-9_-]{43}$/, 'the browser keeps a key in an HttpOnly cookie')
  },
)

let anId = ''
t.test('a first sign-in makes a citizen account verified by the provider and opens a session', async (t) => {
  const { answer, cookie } = await signInAt('an')
  t.equal(answer.iss, op.issuer, 'the provider names itself in the answer (RFC 9207)')
  const res = await callback(answer, cookie)
  t.equal(res.statusCode, 200, res.body)
  const body = res.json()
  t.equal(body.created, true)
  t.equal(body.user.kind, 'citizen')
  t.equal(body.user.fullName, 'Nguyễn Văn An')
  anId = body.user.userId
  t.match(await account(anId), {
    kind: 'citizen',
    full_name: 'Nguyễn Văn An',
    id_number: '001090012345',
    birth_date: '1990-04-30',
    identity_assurance: 'identity_provider',
    identity_verified_by: op.issuer,
    email: null,
  })
  const link = await knex('identity_links').where({ user_id: anId }).first()
  t.match(link, { issuer: op.issuer, subject: 'an' })

  const me = await app.inject({
    method: 'GET',
    url: '/api/auth/me',
    headers: { authorization: `Bearer ${body.accessToken}` },
  })
  t.equal(me.json().userId, anId, 'the access token is motcua’s own, as after a password login')
  const refreshed = await app.inject({
    method: 'POST',
    url: '/api/auth/refresh',
    payload: { refreshToken: body.refreshToken },
  })
  t.equal(refreshed.statusCode, 200, 'the refresh token rotates as after a password login')
  const login = await knex('audit_events').where({ action: 'auth.login', actor_id: anId }).first('data')
  t.match(login?.data, { method: 'oidc', issuer: op.issuer })
  t.match(String(res.headers['set-cookie']), /motcua_oidc=;.*Max-Age=0/, 'the browser key is dropped')

  t.test('the same person signs in again to the same account', async (t) => {
    const again = await signInAt('an')
    const res = await callback(again.answer, again.cookie)
    t.equal(res.statusCode, 200, res.body)
    t.equal(res.json().created, false)
    t.equal(res.json().user.userId, anId)
    t.equal(
      await knex('users')
        .where({ id_number: '001090012345' })
        .count('* as n')
        .first()
        .then((r) => Number(r!.n)),
      1,
    )
  })

  t.test('password login can never open an account made by the provider', async (t) => {
    const { username } = (await account(anId))!
    for (const password of ['', '!', 'x'.repeat(20)]) {
      const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password } })
      t.ok([400, 401].includes(res.statusCode), `${JSON.stringify(password)}: ${res.statusCode}`)
    }
  })
})

t.test('an account whose CCCD a counter verified is the one the provider signs in to', async (t) => {
  const [{ id }] = await knex('users')
    .insert({
      username: 'binh.counter',
      password_hash: '!unused',
      kind: 'citizen',
      full_name: 'Trần Thị Bình',
      id_number: '001085000222',
      identity_assurance: 'counter',
      identity_verified_at: new Date(),
      identity_verified_by: 'officer',
    })
    .returning('id')
  const { answer, cookie } = await signInAt('binh')
  const res = await callback(answer, cookie)
  t.equal(res.statusCode, 200, res.body)
  t.equal(res.json().created, false)
  t.equal(res.json().user.userId, id, 'linked by the verified CCCD')
  t.match(await account(id), { identity_assurance: 'identity_provider', identity_verified_by: op.issuer })
  t.equal((await account(id))!.email, null, 'a linked account keeps its own contact details')
  const linked = await knex('audit_events').where({ action: 'identity.linkProvider', subject_id: id }).first('data')
  t.match(linked?.data, { issuer: op.issuer, previous: 'counter' }, 'the first link is audited')
})

t.test('a CCCD only typed at sign-up by another account moves to the person the provider vouches for', async (t) => {
  const [{ id: typist }] = await knex('users')
    .insert({
      username: 'cuong.typed',
      password_hash: '!unused',
      kind: 'citizen',
      full_name: 'Someone',
      email: 'typed@example.vn',
      id_number: '001199000333',
    })
    .returning('id')
  const { answer, cookie } = await signInAt('cuong')
  const res = await callback(answer, cookie)
  t.equal(res.statusCode, 200, res.body)
  t.equal(res.json().created, true, 'a typed number links nothing')
  t.not(res.json().user.userId, typist)
  t.equal((await account(typist))!.id_number, null, 'the self-declared account loses the number')
  t.match(await account(res.json().user.userId), { id_number: '001199000333', identity_assurance: 'identity_provider' })
  const accounts = accountRepository(knex)
  t.equal(
    await accounts.verifiedIdNumber(res.json().user.userId),
    '001199000333',
    'the number the provider vouched for reuses documents of dossiers filed under it',
  )
  t.equal(await accounts.verifiedIdNumber(typist), undefined, 'the typist reuses nothing by number')
  const mail = await knex('outbox_messages').whereRaw("payload->>'to' = ?", ['typed@example.vn']).first('payload')
  t.match(mail?.payload, { template: 'identity-notice' }, 'the account that lost the number is told by mail')
})

t.test('a verified e-mail from the provider is kept on a new account', async (t) => {
  await knex('users').where({ id_number: '001085000222' }).update({ id_number: null })
  await knex('identity_links').where({ subject: 'binh' }).delete()
  const { answer, cookie } = await signInAt('binh')
  const res = await callback(answer, cookie)
  t.equal(res.json().created, true, res.body)
  const made = (await account(res.json().user.userId))!
  t.equal(made.email, 'binh@example.vn')
  t.ok(made.email_verified_at, 'and counts as verified, so the citizen may submit')
})

t.test('hostile answers are refused with a problem and write nothing', async (t) => {
  t.test('a replayed answer (the same code and state again)', async (t) => {
    const { answer, cookie } = await signInAt('an')
    t.equal((await callback(answer, cookie)).statusCode, 200)
    await refusedUnchanged(t, () => callback(answer, cookie), 400, 'MC_ERR_OIDC_STATE_INVALID')
  })

  t.test('a used code with a fresh state of this browser', async (t) => {
    const first = await signInAt('an')
    t.equal((await callback(first.answer, first.cookie)).statusCode, 200)
    const second = await signInAt('an')
    await refusedUnchanged(
      t,
      () => callback({ ...second.answer, code: first.answer.code }, second.cookie),
      401,
      'MC_ERR_OIDC_REJECTED',
    )
  })

  t.test('an unknown, missing or foreign state, and a missing or foreign browser key', async (t) => {
    const { answer, cookie } = await signInAt('an')
    const other = await start()
    await refusedUnchanged(
      t,
      () => callback({ ...answer, state: 'x'.repeat(43) }, cookie),
      400,
      'MC_ERR_OIDC_STATE_INVALID',
    )
    await refusedUnchanged(t, () => callback({ code: answer.code }, cookie), 400, 'MC_ERR_VALIDATION')
    await refusedUnchanged(t, () => callback(answer), 400, 'MC_ERR_OIDC_STATE_INVALID')
    await refusedUnchanged(t, () => callback(answer, other.cookie), 400, 'MC_ERR_OIDC_STATE_INVALID')
    await refusedUnchanged(
      t,
      () => callback({ ...answer, state: new URL(other.authorizationUrl).searchParams.get('state')! }, cookie),
      400,
      'MC_ERR_OIDC_STATE_INVALID',
    )
    t.equal((await callback(answer, cookie)).statusCode, 200, 'the genuine answer still works afterwards')
  })

  t.test('an answer naming another issuer', async (t) => {
    const { answer, cookie } = await signInAt('an')
    await refusedUnchanged(
      t,
      () => callback({ ...answer, iss: 'https://sso.example.invalid' }, cookie),
      401,
      'MC_ERR_OIDC_REJECTED',
    )
  })

  t.test('an ID token from another issuer (signed with the provider’s key)', async (t) => {
    const { answer, cookie } = await signInAt('an')
    op.tamper = (payload) => ({ payload: { ...payload, iss: 'https://sso.example.invalid' } })
    t.teardown(() => void (op.tamper = undefined))
    await refusedUnchanged(t, () => callback(answer, cookie), 401, 'MC_ERR_OIDC_REJECTED')
  })

  t.test('an ID token signed by a key the provider does not publish', async (t) => {
    const { answer, cookie } = await signInAt('an')
    op.tamper = (payload) => ({ payload, foreignKey: true })
    t.teardown(() => void (op.tamper = undefined))
    await refusedUnchanged(t, () => callback(answer, cookie), 401, 'MC_ERR_OIDC_REJECTED')
  })

  t.test('a nonce other than the one motcua sent', async (t) => {
    const { answer, cookie } = await signInAt('an', (u) => {
      const url = new URL(u)
      url.searchParams.set('nonce', 'another-nonce-chosen-by-an-attacker')
      return url.href
    })
    await refusedUnchanged(t, () => callback(answer, cookie), 401, 'MC_ERR_OIDC_REJECTED')
  })

  t.test('an ID token whose nonce was rewritten (signed with the provider’s key)', async (t) => {
    const { answer, cookie } = await signInAt('an')
    op.tamper = (payload) => ({ payload: { ...payload, nonce: 'rewritten' } })
    t.teardown(() => void (op.tamper = undefined))
    await refusedUnchanged(t, () => callback(answer, cookie), 401, 'MC_ERR_OIDC_REJECTED')
  })

  t.test('a person the provider gives no CCCD for', async (t) => {
    const { answer, cookie } = await signInAt('khong-so')
    const res = await refusedUnchanged(t, () => callback(answer, cookie), 422, 'MC_ERR_OIDC_CLAIM_MISSING')
    t.match(res.json().detail, /so_dinh_danh/)
  })

  t.test('a CCCD the provider vouches for that another verified account holds under another link', async (t) => {
    op.accounts.set('an-2', { so_dinh_danh: '001090012345', name: 'Nguyễn Văn An' })
    await knex('identity_links').where({ subject: 'an' }).update({ subject: 'an-old' })
    t.teardown(() => knex('identity_links').where({ subject: 'an-old' }).update({ subject: 'an' }))
    // A second subject with the same number links to the verified holder: the number, not the subject, is the person.
    const { answer, cookie } = await signInAt('an-2')
    const res = await callback(answer, cookie)
    t.equal(res.json().user.userId, anId, res.body)
  })
})

t.test('malformed and hostile callback bodies are refused with a problem and change nothing', async (t) => {
  const route = (await routesOf(app)).find((r) => r.key === 'POST /api/auth/oidc/callback')!
  const { cookie } = await start()
  const refused = refusedRequests(route, { params: {}, foreign: {}, headers: { cookie } })
  t.ok(refused, 'the route has input to malform')
  await assertAllRefused(t, app, knex, route, refused!)
})

t.test('a provider that cannot be reached, or whose discovery names another issuer, is unavailable', async (t) => {
  const { port } = new URL(op.issuer)
  for (const issuer of ['http://127.0.0.1:9/', `http://localhost:${port}`]) {
    const login = new OidcLogin(knex, { ...built.config.oidc!, issuer })
    const before = await fingerprint(knex)
    await t.rejects(login.start(), { code: 'MC_ERR_OIDC_UNAVAILABLE' }, issuer)
    t.same(diff(before, await fingerprint(knex)), [], 'nothing written')
  }
})
