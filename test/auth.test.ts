import t from 'tap'
import { buildTestApp } from './helpers/app.js'

// One app for the whole file: building one costs a database, migrations and an engine.
const { app, db, demo, loginAs } = await buildTestApp(t)

t.test('given a demo officer, login returns tokens and /me tells who it is', async (t) => {
  const { authorization } = await loginAs('canbo')
  const me = await app.inject({ url: '/api/auth/me', headers: { authorization } })
  t.equal(me.statusCode, 200)
  t.match(me.json(), { username: 'canbo', kind: 'officer', unitId: 'tinh-demo-hcc', groups: ['mot-cua'] })
})

t.test(
  'a wrong password is refused without saying whether the user exists; 5 failures throttle that address',
  async (t) => {
    const attempt = (username: string, remoteAddress = '10.9.0.1') =>
      app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { username, password: 'wrong-password' },
        remoteAddress,
      })
    const unknown = await attempt('nobody', '10.9.0.2')
    const known = await attempt('doanhnghiep')
    t.equal(unknown.statusCode, 401)
    t.equal(known.statusCode, 401)
    t.equal(unknown.json().code, known.json().code, 'same answer for an unknown user')
    for (let i = 0; i < 4; i++) await attempt('doanhnghiep')
    const locked = await attempt('doanhnghiep')
    t.equal(locked.statusCode, 429)
    t.equal(locked.json().code, 'MC_ERR_LOGIN_LOCKED')
    t.ok(Number(locked.headers['retry-after']) > 0)
    const audits = await db.knex('audit_events').where({ action: 'auth.loginFailed' }).count({ n: '*' })
    t.equal(Number(audits[0]?.['n']), 6, 'each failure is audited, for an unknown name too')
    const elsewhere = await app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'doanhnghiep', password: demo.find((d) => d.username === 'doanhnghiep')!.password },
      remoteAddress: '10.9.0.3',
    })
    t.equal(elsewhere.statusCode, 200, 'the owner logs in from another address')
  },
)

t.test('refresh tokens rotate; reusing an old one revokes the session; logout revokes', async (t) => {
  const { refreshToken: first } = await loginAs('congdan')
  const r1 = await app.inject({ method: 'POST', url: '/api/auth/refresh', payload: { refreshToken: first } })
  t.equal(r1.statusCode, 200)
  const second = r1.json().refreshToken as string
  t.not(second, first)
  const reuse = await app.inject({ method: 'POST', url: '/api/auth/refresh', payload: { refreshToken: first } })
  t.equal(reuse.statusCode, 401)
  t.equal(reuse.json().code, 'MC_ERR_TOKEN_INVALID')
  const afterReuse = await app.inject({ method: 'POST', url: '/api/auth/refresh', payload: { refreshToken: second } })
  t.equal(afterReuse.statusCode, 401, 'the whole family was revoked')

  const { refreshToken: other } = await loginAs('congdan')
  t.equal(
    (await app.inject({ method: 'POST', url: '/api/auth/logout', payload: { refreshToken: other } })).statusCode,
    204,
  )
  t.equal(
    (await app.inject({ method: 'POST', url: '/api/auth/refresh', payload: { refreshToken: other } })).statusCode,
    401,
  )
})

t.test('forged, expired and malformed access tokens are 401 problem+json', async (t) => {
  const forged = app.jwt.sign({ sub: 'x', usr: 'x', kind: 'administrator', groups: [] }, {
    key: 'another-secret-another-secret-another!',
  } as never)
  const expired = app.jwt.sign({ sub: 'x', usr: 'x', kind: 'administrator', groups: [] }, { expiresIn: -10 } as never)
  for (const authorization of [`Bearer ${forged}`, `Bearer ${expired}`, 'Bearer not.a.jwt', 'Basic abc']) {
    const res = await app.inject({ url: '/api/auth/me', headers: { authorization } })
    t.equal(res.statusCode, 401, authorization.slice(0, 20))
    t.equal(res.json().code, 'MC_ERR_TOKEN_INVALID')
  }
  const anonymous = await app.inject('/api/auth/me')
  t.equal(anonymous.json().code, 'MC_ERR_UNAUTHENTICATED')
})
