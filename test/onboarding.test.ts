// Specification: citizens and businesses onboard themselves — sign up behind the ALTCHA bot check (CCCD, or a passport
// for a foreigner, or a tax code), verify the e-mail by the link the real SMTP peer receives, recover a forgotten
// password by e-mail (every session ends), change password, e-mail (re-verified) and phone; a new draft carries the
// applicant block from the profile; "Hồ sơ của tôi" lists open drafts and deletes them; the public lookup also finds a
// dossier by passport number and by old 9-digit CMND.
import t from 'tap'
import type { LightMyRequestResponse } from 'fastify'
import { seedProcedures } from '../src/catalogue/service.js'
import { seedCalendar } from '../src/db/calendar-repository.js'
import { EMAIL_CHANNEL, smtpTransport } from '../src/notifications/email.js'
import { OutboxSender } from '../src/outbox/sender.js'
import { solvedAltcha } from './helpers/altcha.js'
import { apiClient } from './helpers/api.js'
import { buildTestApp } from './helpers/app.js'
import { birthForm } from './helpers/dossiers.js'
import { eventually } from './helpers/eventually.js'
import { startSmtpServer } from './helpers/smtp.js'

const built = await buildTestApp(t, { RATE_LIMIT_ALLOW: '127.0.0.1', PUBLIC_BASE_URL: 'http://portal.test' })
const { app } = built
const knex = built.db.knex
await seedCalendar(knex)
const seeded = await seedProcedures(knex, app.engine)
if (seeded.failed.length) throw new Error(JSON.stringify(seeded.failed))
const api = apiClient(built)
const smtp = await startSmtpServer(t)
const quiet = { info() {}, warn() {}, error() {} }
const sender = new OutboxSender({
  knex,
  transports: { [EMAIL_CHANNEL]: smtpTransport({ url: smtp.url, from: 'Một cửa <no-reply@motcua.test>' }) },
  logger: quiet,
  pollIntervalMs: 20,
})

/** Delivers the outbox to the SMTP peer and answers the newest mail to `to` whose subject matches. */
async function mailTo(to: string, subject: RegExp) {
  await sender.runOnce()
  const found = [...smtp.received]
    .reverse()
    .find((m) => m.to && JSON.stringify(m.to).includes(to) && subject.test(m.subject ?? ''))
  if (!found) throw new Error(`no mail to ${to} about ${subject}`)
  return found
}
const tokenIn = (mail: { text?: string }, path: string) =>
  new RegExp(`http://portal\\.test/${path}\\?token=([A-Za-z0-9_-]+)`).exec(mail.text ?? '')![1]!

const post = (url: string, payload: unknown, headers: Record<string, string> = {}) =>
  app.inject({ method: 'POST', url, payload: payload as object, headers })
const login = (username: string, password: string) => post('/api/auth/login', { username, password })
const bearer = (res: LightMyRequestResponse) => ({ authorization: `Bearer ${res.json().accessToken}` })

const password = 'Sông-Hồng-chảy-2026'
const newPassword = 'Đồng-Nai-mùa-lúa-2027'

t.test(
  'a foreigner signs up with a passport number, verifies the e-mail from the mail, and sees it in the profile',
  async (t) => {
    const noCheck = await post('/api/auth/register', {
      kind: 'citizen',
      username: 'john.smith',
      fullName: 'John Smith',
      email: 'john@example.invalid',
      password,
      passportNumber: 'c1234567',
    })
    t.equal(noCheck.statusCode, 400, 'no bot check, no account')
    const res = await post('/api/auth/register', {
      kind: 'citizen',
      username: 'john.smith',
      fullName: 'John Smith',
      email: 'john@example.invalid',
      password,
      passportNumber: 'c1234567',
      altcha: await solvedAltcha(app),
    })
    t.equal(res.statusCode, 202, res.body)
    const mail = await mailTo('john@example.invalid', /Xác nhận địa chỉ thư điện tử/)
    t.match(mail.text, /Kính gửi John Smith/)
    const verified = await post('/api/auth/verify-email', { token: tokenIn(mail, 'xac-thuc-email') })
    t.equal(verified.statusCode, 200)
    const session = await login('john.smith', password)
    t.equal(session.statusCode, 200)
    const profile = await app.inject({ method: 'GET', url: '/api/account/profile', headers: bearer(session) })
    t.match(profile.json(), {
      username: 'john.smith',
      fullName: 'John Smith',
      email: 'john@example.invalid',
      emailVerified: true,
      idNumber: null,
      passportNumber: 'C1234567',
      identityAssurance: 'self_declared',
    })
    const both = await post('/api/auth/register', {
      kind: 'citizen',
      username: 'both.numbers',
      fullName: 'Người Hai Số',
      email: 'both@example.invalid',
      password,
      idNumber: '001190000555',
      passportNumber: 'B7654321',
      altcha: await solvedAltcha(app),
    })
    t.equal(both.statusCode, 400, 'a CCCD or a passport, not both')
  },
)

t.test(
  'forgotten password: a link by e-mail (the same answer for an unknown address), once, then every session ends',
  async (t) => {
    const first = await login('congdan', built.demo.find((d) => d.username === 'congdan')!.password)
    const refreshToken = first.json().refreshToken as string
    const asked = await post('/api/auth/password-reset-requests', {
      email: 'CongDan@example.invalid',
      altcha: await solvedAltcha(app),
    })
    const unknown = await post('/api/auth/password-reset-requests', {
      email: 'nobody@example.invalid',
      altcha: await solvedAltcha(app),
    })
    t.equal(asked.statusCode, 202)
    t.same(asked.json(), unknown.json(), 'the same answer whether or not the address has an account')
    t.match(asked.json().message.vi, /kiểm tra hộp thư/)
    const notice = await mailTo('nobody@example.invalid', /Yêu cầu đặt lại mật khẩu/)
    t.match(notice.text, /không có tài khoản/, 'the unknown address is told there is no account')
    t.notMatch(notice.text, /token=/, 'and gets no link')
    const mail = await mailTo('congdan@example.invalid', /Đặt lại mật khẩu/)
    t.match(mail.text, /"congdan"/, 'the mail names the account')
    const token = tokenIn(mail, 'dat-lai-mat-khau')
    const stored = await knex('password_resets').whereNotNull('user_id').first()
    t.not(stored.token_hash, token, 'the token is stored hashed')

    const weak = await post('/api/auth/password-resets', { token, password: 'aaaaaaaaaaaa' })
    t.equal(weak.statusCode, 422, 'the new password follows the sign-up rules')
    t.equal(weak.json().code, 'MC_ERR_PASSWORD_WEAK')
    const reset = await post('/api/auth/password-resets', { token, password: newPassword })
    t.equal(reset.statusCode, 204, reset.body)
    const replay = await post('/api/auth/password-resets', { token, password: 'Một-mật-khẩu-khác-2028' })
    t.equal(replay.statusCode, 400, 'the link works once')
    t.equal(replay.json().code, 'MC_ERR_RESET_TOKEN_INVALID')

    const refreshed = await post('/api/auth/refresh', { refreshToken })
    t.equal(refreshed.statusCode, 401, 'the session from before the reset has ended')
    t.equal((await login('congdan', built.demo.find((d) => d.username === 'congdan')!.password)).statusCode, 401)
    t.equal((await login('congdan', newPassword)).statusCode, 200, 'the new password logs in')
    const changed = await mailTo('congdan@example.invalid', /Mật khẩu đã được thay đổi/)
    t.match(changed.text, /mọi phiên đăng nhập đã kết thúc/, 'the owner is told')
    t.ok(await knex('audit_events').where({ action: 'auth.passwordReset' }).first(), 'the reset is in the audit log')
  },
)

t.test('signed in: change the password, the e-mail (after the new address is verified) and the phone', async (t) => {
  const session = await login('congdan', newPassword)
  const headers = bearer(session)
  const wrong = await post('/api/account/password', { currentPassword: 'not-it-at-all', password }, headers)
  t.equal(wrong.statusCode, 422)
  t.equal(wrong.json().code, 'MC_ERR_PASSWORD_WRONG')
  t.equal((await post('/api/account/password', { currentPassword: newPassword, password }, headers)).statusCode, 204)
  t.equal(
    (await post('/api/auth/refresh', { refreshToken: session.json().refreshToken })).statusCode,
    401,
    'every session ends, this one too',
  )
  const again = bearer(await login('congdan', password))

  const asked = await post(
    '/api/account/email',
    { currentPassword: password, email: 'CongDan.Moi@example.invalid' },
    again,
  )
  t.equal(asked.statusCode, 202, asked.body)
  t.equal(asked.json().pendingEmail, 'congdan.moi@example.invalid')
  const before = await app.inject({ method: 'GET', url: '/api/account/profile', headers: again })
  t.equal(before.json().email, 'congdan@example.invalid', 'the old address until the new one is verified')
  const mail = await mailTo('congdan.moi@example.invalid', /Xác nhận địa chỉ thư điện tử mới/)
  t.equal((await post('/api/auth/verify-email', { token: tokenIn(mail, 'xac-thuc-email') })).statusCode, 200)

  const phone = await app.inject({
    method: 'PATCH',
    url: '/api/account/profile',
    headers: again,
    payload: { phone: '0912345678', oldIdNumber: '012345678' },
  })
  t.equal(phone.statusCode, 200, phone.body)
  t.match(phone.json(), {
    email: 'congdan.moi@example.invalid',
    emailVerified: true,
    phone: '0912345678',
    oldIdNumber: '012345678',
  })
  const officer = await api.call('GET', '/api/account/profile', 'motcua-xa')
  t.equal(officer.statusCode, 403, 'staff accounts are managed by their administrators')
})

t.test('a new draft carries the applicant block from the profile; my open drafts are listed and deleted', async (t) => {
  const headers = bearer(await login('congdan', password))
  const created = await post('/api/dossiers/drafts', { procedure: 'dang-ky-khai-sinh' }, headers)
  t.equal(created.statusCode, 201, created.body)
  t.same(created.json().formData, {
    nguoiYeuCau: {
      hoTen: 'Nguyễn Văn An',
      soDinhDanh: '001090000001',
      soDienThoai: '0912345678',
      email: 'congdan.moi@example.invalid',
    },
  })
  const kept = await post('/api/dossiers/drafts', { procedure: 'xac-nhan-tinh-trang-hon-nhan' }, headers)
  const list = await app.inject({ method: 'GET', url: '/api/dossiers/drafts', headers })
  t.equal(list.statusCode, 200)
  const items = list.json().items as Array<{ id: string; procedure: string; procedureName: string }>
  t.same(items.map((d) => d.id).slice(0, 2), [kept.json().id, created.json().id], 'last changed first')
  t.equal(items[0]!.procedureName, 'Cấp Giấy xác nhận tình trạng hôn nhân')
  const ofOne = await app.inject({ method: 'GET', url: '/api/dossiers/drafts?procedure=dang-ky-khai-sinh', headers })
  t.ok(
    ofOne.json().items.every((d: { procedure: string }) => d.procedure === 'dang-ky-khai-sinh'),
    'one procedure’s drafts, to offer the open one instead of a new one',
  )
  const other = await api.call('DELETE', `/api/dossiers/drafts/${created.json().id}`, 'doanhnghiep')
  t.equal(other.statusCode, 404, 'someone else’s draft answers like one that does not exist')
  const deleted = await app.inject({ method: 'DELETE', url: `/api/dossiers/drafts/${created.json().id}`, headers })
  t.equal(deleted.statusCode, 204)
  const after = await app.inject({ method: 'GET', url: '/api/dossiers/drafts', headers })
  t.notOk(
    after.json().items.some((d: { id: string }) => d.id === created.json().id),
    'the deleted draft is gone',
  )
  t.equal(
    (await app.inject({ method: 'GET', url: `/api/dossiers/drafts/${created.json().id}`, headers })).statusCode,
    404,
  )
})

t.test(
  'the public lookup finds a walk-in dossier by passport number and by old CMND, not by a wrong one',
  async (t) => {
    const entered = await api.call(
      'POST',
      '/api/counter/dossiers',
      'motcua-xa',
      {
        procedure: 'dang-ky-khai-sinh',
        agencyUnitId: 'xa-an-binh',
        formData: birthForm,
        deliveryMethod: 'counter',
        applicant: { name: 'Trần Thị Khách', passportNumber: 'N9876543', oldIdNumber: '023456789' },
      },
      { 'idempotency-key': 'onboarding-lookup-1' },
    )
    t.equal(entered.statusCode, 201, entered.body)
    const { dossierId } = entered.json()
    const task = await eventually('the reception task', () =>
      knex('tasks').where({ dossier_id: dossierId, state: 'CREATED' }).first('user_task_key'),
    )
    await api.call('POST', `/api/tasks/${task.user_task_key}/claim`, 'motcua-xa')
    const accepted = await api.call('POST', `/api/tasks/${task.user_task_key}/complete`, 'motcua-xa', {
      decision: 'accept',
    })
    t.equal(accepted.statusCode, 200, accepted.body)
    const code = await eventually(
      'the code',
      async () => (await knex('dossiers').where({ id: dossierId }).first('code')).code as string | null,
    )
    const lookup = (idNumber: string) =>
      app.inject({ method: 'GET', url: `/api/public/dossiers/lookup?code=${code}&idNumber=${idNumber}` })
    for (const number of ['N9876543', 'n9876543', '023456789']) {
      const res = await lookup(number)
      t.equal(res.statusCode, 200, `${number}: found`)
      t.equal(res.json().code, code)
    }
    const wrong = await lookup('N9876544')
    const unknownCode = await app.inject({
      method: 'GET',
      url: `/api/public/dossiers/lookup?code=X99.30-010101-0001&idNumber=N9876543`,
    })
    t.equal(wrong.statusCode, 404)
    const strip = (r: LightMyRequestResponse) => ({ ...r.json(), instance: undefined })
    t.same(strip(wrong), strip(unknownCode), 'a wrong passport number answers like an unknown code')
  },
)
