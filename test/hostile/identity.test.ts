// Specification (issue #15, identity and document reuse): a CCCD typed at sign-up proves nothing. Documents of an
// earlier dossier are reused only by the account that submitted it, by an identity the system verified, or by the
// counter of the dossier's own unit subtree; sign-up answers the same whether or not a username, e-mail or CCCD is
// taken and tells the truth by mail; an owner verified at the counter takes their number back from an impostor.
import t from 'tap'
import type { LightMyRequestResponse } from 'fastify'
import { hashPassword } from '../../src/auth/passwords.js'
import { seedProcedures } from '../../src/catalogue/service.js'
import { seedCalendar } from '../../src/db/calendar-repository.js'
import { apiClient } from '../helpers/api.js'
import { solvedAltcha } from '../helpers/altcha.js'
import { buildTestApp } from '../helpers/app.js'
import { birthForm } from '../helpers/dossiers.js'
import { eventually } from '../helpers/eventually.js'
import { makePdf } from '../helpers/files.js'
import { diff, fingerprint, settled } from './support.js'

const built = await buildTestApp(t, { RATE_LIMIT_ALLOW: '127.0.0.1' })
const { app } = built
const knex = built.db.knex
await seedCalendar(knex)
const seeded = await seedProcedures(knex, app.engine)
if (seeded.failed.length) throw new Error(JSON.stringify(seeded.failed))
const api = apiClient(built)

const VICTIM_CCCD = '001199000777'
const password = 'Hoa-sen-2026!'
let keys = 0
const key = () => `identity-${++keys}`

type Auth = { authorization: string }
const as = async (who: string | Auth): Promise<Auth> => (typeof who === 'string' ? api.as(who) : who)
async function call(
  method: 'GET' | 'POST' | 'PATCH',
  url: string,
  who?: string | Auth,
  payload?: unknown,
  headers = {},
) {
  return app.inject({
    method,
    url,
    headers: { ...(who ? await as(who) : {}), ...headers },
    ...(payload !== undefined ? { payload: payload as object } : {}),
  })
}
async function upload(who: string | Auth, url: string): Promise<LightMyRequestResponse> {
  const boundary = `----identity${keys++}`
  const payload = Buffer.concat([
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="x.pdf"\r\nContent-Type: application/pdf\r\n\r\n`,
    ),
    makePdf(),
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ])
  return app.inject({
    method: 'POST',
    url,
    headers: { ...(await as(who)), 'content-type': `multipart/form-data; boundary=${boundary}` },
    payload,
  })
}
async function login(username: string): Promise<Auth> {
  const res = await call('POST', '/api/auth/login', undefined, { username, password })
  if (res.statusCode !== 200) throw new Error(`login ${username}: ${res.body}`)
  return { authorization: `Bearer ${res.json().accessToken}` }
}
const register = async (body: Record<string, string>) =>
  call('POST', '/api/auth/register', undefined, {
    kind: 'citizen',
    fullName: 'Người đăng ký',
    password,
    altcha: await solvedAltcha(app),
    ...body,
  })
const mailsTo = async (to: string) =>
  (await knex('outbox_messages').whereRaw(`payload->>'to' = ?`, [to]).orderBy('created_at')).map(
    (m: { payload: { template: string; text: string } }) => m.payload,
  )
async function verifyEmailOf(email: string): Promise<void> {
  const mail = (await mailsTo(email)).find((m) => m.template === 'verify-email')
  const token = /token=([A-Za-z0-9_-]+)/.exec(mail!.text)![1]!
  const res = await call('POST', '/api/auth/verify-email', undefined, { token })
  if (res.statusCode !== 200) throw new Error(res.body)
}
const openTask = (dossierId: string) =>
  eventually('the reception task', () =>
    knex('tasks').where({ dossier_id: dossierId, state: 'CREATED', element_id: 'Task_Receive' }).first(),
  )

/**
 * A walk-in applicant's dossier at An Bình with their ID-card scan, as the counter left it: entered by the commune's
 * officer, the scan linked to the reusable component, a code given.
 */
async function walkIn(idNumber: string, code: string): Promise<{ dossierId: string; code: string; fileId: string }> {
  const entered = await call(
    'POST',
    '/api/counter/dossiers',
    'motcua-xa',
    {
      procedure: 'dang-ky-khai-sinh',
      agencyUnitId: 'xa-an-binh',
      formData: birthForm,
      deliveryMethod: 'counter',
      applicant: { name: 'Lê Thị Nạn Nhân', idNumber },
    },
    { 'idempotency-key': key() },
  )
  if (entered.statusCode !== 201) throw new Error(entered.body)
  const dossierId = entered.json().dossierId as string
  // The scan: a stored file (uploaded through the API by someone, so its blob exists), linked as the counter would.
  const draft = (
    await call('POST', '/api/dossiers/drafts', 'doanhnghiep', {
      procedure: 'dang-ky-khai-sinh',
      agencyUnitId: 'xa-an-binh',
    })
  ).json().id as string
  const up = await upload('doanhnghiep', `/api/dossiers/drafts/${draft}/attachments/giay-to-tuy-than`)
  if (up.statusCode !== 201) throw new Error(up.body)
  const fileId = up.json().fileId as string
  await knex('dossier_attachments').insert({
    dossier_id: dossierId,
    component_id: 'giay-to-tuy-than',
    file_id: fileId,
    digitisation: 'submitted_online',
  })
  await knex('dossiers').where({ id: dossierId }).update({ code })
  return { dossierId, code, fileId }
}

/** Without the code the reply echoes, so answers about different codes compare. */
const answer = (res: LightMyRequestResponse, code: string) => {
  const body = res.json() as { code: string; detail?: string; message?: unknown }
  return { status: res.statusCode, code: body.code, detail: body.detail?.split(code).join('<code>') }
}

const victim = await walkIn(VICTIM_CCCD, 'X99.30-261204-0777')

t.test('item 1: an impostor registered with a walk-in applicant’s CCCD cannot take their documents', async (t) => {
  const signedUp = await register({ username: 'maodanh', email: 'maodanh@example.invalid', idNumber: VICTIM_CCCD })
  t.equal(signedUp.statusCode, 202, signedUp.body)
  await verifyEmailOf('maodanh@example.invalid')
  const impostor = await login('maodanh')

  // A dossier of their own, then a supplement asked at reception.
  const draft = (
    await call('POST', '/api/dossiers/drafts', impostor, { procedure: 'dang-ky-khai-sinh', agencyUnitId: 'xa-an-binh' })
  ).json().id as string
  await call('PATCH', `/api/dossiers/drafts/${draft}`, impostor, { formData: birthForm, deliveryMethod: 'counter' })
  for (const c of ['to-khai', 'giay-chung-sinh', 'giay-to-tuy-than'])
    t.equal((await upload(impostor, `/api/dossiers/drafts/${draft}/attachments/${c}`)).statusCode, 201)

  const stolenInDraft = await call(
    'POST',
    `/api/dossiers/drafts/${draft}/attachments/giay-to-tuy-than/reuse`,
    impostor,
    {
      dossierCode: victim.code,
    },
  )
  t.equal(stolenInDraft.statusCode, 422, 'not into a draft either')

  const submitted = await call('POST', `/api/dossiers/drafts/${draft}/submit`, impostor, undefined, {
    'idempotency-key': key(),
  })
  t.equal(submitted.statusCode, 201, submitted.body)
  const dossierId = submitted.json().dossierId as string
  const task = await openTask(dossierId)
  t.equal((await call('POST', `/api/tasks/${task.user_task_key}/claim`, 'motcua-xa')).statusCode, 200)
  const asked = await call('POST', `/api/tasks/${task.user_task_key}/complete`, 'motcua-xa', {
    decision: 'supplement',
    missing: ['giay-to-tuy-than'],
  })
  t.equal(asked.statusCode, 200, asked.body)
  await eventually(
    'status 5',
    async () => (await knex('dossiers').where({ id: dossierId }).first('status')).status === 5,
  )
  await settled(knex)

  const before = await fingerprint(knex)
  const stolen = await call('POST', `/api/dossiers/${dossierId}/supplement`, impostor, {
    attachments: [{ componentId: 'giay-to-tuy-than', reuseFromDossierCode: victim.code }],
  })
  t.equal(stolen.statusCode, 422, `the victim's scan is not reused: ${stolen.body}`)
  t.equal(stolen.json().code, 'MC_ERR_ATTACHMENT_INVALID')
  const unknown = await call('POST', `/api/dossiers/${dossierId}/supplement`, impostor, {
    attachments: [{ componentId: 'giay-to-tuy-than', reuseFromDossierCode: 'X99.30-010101-9999' }],
  })
  t.same(answer(stolen, victim.code), answer(unknown, 'X99.30-010101-9999'), 'answered like a code that does not exist')
  t.same(diff(before, await fingerprint(knex)), [], 'nothing changed')

  const detail = (await call('GET', `/api/dossiers/${dossierId}`, impostor)).json()
  t.notOk(
    detail.attachments.some((a: { fileId: string }) => a.fileId === victim.fileId),
    'the scan is not among the impostor’s attachments',
  )
  t.equal(
    (await call('GET', `/api/dossiers/${dossierId}/attachments/${victim.fileId}`, impostor)).statusCode,
    404,
    'and does not download',
  )
})

t.test(
  'item 2: a counter officer reuses documents of their own unit subtree only, and learns nothing else',
  async (t) => {
    // An officer of the sibling commune Bình Minh.
    const [officer] = (await knex('users')
      .insert({
        username: 'motcua-binhminh',
        password_hash: await hashPassword(password),
        kind: 'officer',
        full_name: 'Cán bộ Bình Minh',
        email: 'motcua-binhminh@example.invalid',
        unit_id: 'xa-binh-minh',
        groups: ['mot-cua'],
        email_verified_at: new Date(),
      })
      .returning('id')) as Array<{ id: string }>
    t.ok(officer)
    const sibling = await login('motcua-binhminh')
    await settled(knex)
    const intake = (unit: string, who: string | Auth, idNumber: string, code: string) =>
      call(
        'POST',
        '/api/counter/dossiers',
        who,
        {
          procedure: 'dang-ky-khai-sinh',
          agencyUnitId: unit,
          formData: birthForm,
          deliveryMethod: 'counter',
          applicant: { name: 'Người khác', idNumber },
          attachments: [{ componentId: 'giay-to-tuy-than', reuseFromDossierCode: code }],
        },
        { 'idempotency-key': key() },
      )

    const before = await fingerprint(knex)
    const otherUnit = await intake('xa-binh-minh', sibling, VICTIM_CCCD, victim.code)
    t.equal(otherUnit.statusCode, 422, `another unit's dossier gives nothing: ${otherUnit.body}`)
    const wrongId = await intake('xa-binh-minh', sibling, '001199000778', victim.code)
    const noSuch = await intake('xa-binh-minh', sibling, VICTIM_CCCD, 'X99.31-010101-9999')
    t.same(answer(otherUnit, victim.code), answer(wrongId, victim.code), 'the same as a wrong ID number')
    t.same(answer(otherUnit, victim.code), answer(noSuch, 'X99.31-010101-9999'), 'the same as no such dossier')
    t.match(answer(otherUnit, victim.code), { status: 422, code: 'MC_ERR_ATTACHMENT_INVALID' })
    t.same(diff(before, await fingerprint(knex)), [], 'no dossier, no attachment')

    // The dossier's own commune, with the applicant's card: reused.
    const own = await intake('xa-an-binh', 'motcua-xa', VICTIM_CCCD, victim.code)
    t.equal(own.statusCode, 201, own.body)
    const reused = await knex('dossier_attachments').where({ dossier_id: own.json().dossierId }).first('file_id')
    t.equal(reused.file_id, victim.fileId, 'within the unit, with the right ID number')
    const ownWrongId = await intake('xa-an-binh', 'motcua-xa', '001199000778', victim.code)
    t.same(answer(ownWrongId, victim.code), answer(otherUnit, victim.code), 'a wrong ID number answers the same there')
  },
)

t.test('item 4: sign-up answers the same whatever is taken, and says the truth by mail', async (t) => {
  const fresh = await register({ username: 'moihoan', email: 'moihoan@example.invalid', idNumber: '001199000801' })
  const sameName = await register({ username: 'moihoan', email: 'khac1@example.invalid', idNumber: '001199000802' })
  const sameEmail = await register({ username: 'khac2', email: 'MoiHoan@example.invalid', idNumber: '001199000803' })
  const sameNumber = await register({ username: 'khac3', email: 'khac3@example.invalid', idNumber: '001199000801' })
  const shape = (r: LightMyRequestResponse) => ({
    status: r.statusCode,
    type: r.headers['content-type'],
    body: { ...r.json(), username: undefined, verificationExpiresAt: undefined },
  })
  for (const [name, r] of Object.entries({ sameName, sameEmail, sameNumber })) {
    t.same(shape(r), shape(fresh), `${name}: the same answer as a fresh sign-up`)
    t.ok(
      Math.abs(Date.parse(r.json().verificationExpiresAt) - Date.parse(fresh.json().verificationExpiresAt)) < 600_000,
      `${name}: the same expiry`,
    )
  }
  t.equal(fresh.statusCode, 202)
  t.match(fresh.json(), { status: 'check-email', emailVerified: false, message: { vi: String, en: String } })
  t.equal(sameName.json().username, 'moihoan', 'the username asked for, echoed as given')

  t.same(
    (await mailsTo('khac1@example.invalid')).map((m) => m.template),
    ['identity-notice'],
    'a taken username: no account, the registrant is told by mail',
  )
  t.notOk(await knex('users').where({ email: 'khac1@example.invalid' }).first())
  t.same(
    (await mailsTo('moihoan@example.invalid')).map((m) => m.template),
    ['verify-email', 'identity-notice', 'identity-notice'],
    'a taken e-mail: its owner is told someone tried (and that someone registered with their number)',
  )
  t.notOk(await knex('users').where({ username: 'khac2' }).first(), 'no account for a taken e-mail')
  const third = await knex('users').where({ username: 'khac3' }).first('id_number', 'identity_assurance')
  t.same(third, { id_number: null, identity_assurance: 'self_declared' }, 'a held number is not given to a new account')
  t.same(
    (await mailsTo('khac3@example.invalid')).map((m) => m.template),
    ['verify-email', 'identity-notice'],
  )
})

t.test('item 4: the owner verified at the counter takes their CCCD back from the impostor', async (t) => {
  const owner = await register({ username: 'chuthat', email: 'chuthat@example.invalid', idNumber: VICTIM_CCCD })
  t.equal(owner.statusCode, 202)
  t.same(
    await knex('users').where({ username: 'chuthat' }).first('id_number'),
    { id_number: null },
    'the number stays with the impostor until proven',
  )
  t.ok(
    (await mailsTo('maodanh@example.invalid')).some((m) => m.template === 'identity-notice'),
    'the holder is told someone registered with the number',
  )
  await verifyEmailOf('chuthat@example.invalid')
  const ownerAuth = await login('chuthat')

  const body = { username: 'chuthat', idNumber: VICTIM_CCCD }
  t.equal((await call('POST', '/api/auth/identity/counter-verifications', 'congdan', body)).statusCode, 403)
  t.equal((await call('POST', '/api/auth/identity/counter-verifications', undefined, body)).statusCode, 401)
  const verified = await call('POST', '/api/auth/identity/counter-verifications', 'motcua-xa', body)
  t.equal(verified.statusCode, 200, verified.body)
  t.match(verified.json(), { username: 'chuthat', identityAssurance: 'counter', numberReclaimed: true })

  const officerId = (await knex('users').where({ username: 'motcua-xa' }).first('id')).id
  t.match(await knex('users').where({ username: 'chuthat' }).first(), {
    id_number: VICTIM_CCCD,
    identity_assurance: 'counter',
    identity_verified_by: officerId,
  })
  t.same(
    await knex('users').where({ username: 'maodanh' }).first('id_number'),
    { id_number: null },
    'impostor loses it',
  )
  const audits = await knex('audit_events').whereIn('action', ['identity.verifyAtCounter', 'identity.numberReclaimed'])
  t.same(audits.map((a: { action: string }) => a.action).sort(), [
    'identity.numberReclaimed',
    'identity.verifyAtCounter',
  ])
  t.ok(
    audits.every((a: { actor_id: string }) => a.actor_id === officerId),
    'audited as the officer',
  )
  t.ok(
    (await mailsTo('maodanh@example.invalid')).some((m) => m.text.includes('Bộ phận Một cửa')),
    'the impostor is told the number was removed',
  )

  // The verified owner now reaches their walk-in dossier's scan; the impostor still does not.
  const draft = (
    await call('POST', '/api/dossiers/drafts', ownerAuth, {
      procedure: 'dang-ky-khai-sinh',
      agencyUnitId: 'xa-an-binh',
    })
  ).json().id as string
  const mine = await call('POST', `/api/dossiers/drafts/${draft}/attachments/giay-to-tuy-than/reuse`, ownerAuth, {
    dossierCode: victim.code,
  })
  t.equal(mine.statusCode, 200, mine.body)
  const impostor = await login('maodanh')
  const impostorDraft = (
    await call('POST', '/api/dossiers/drafts', impostor, { procedure: 'dang-ky-khai-sinh', agencyUnitId: 'xa-an-binh' })
  ).json().id as string
  t.equal(
    (
      await call('POST', `/api/dossiers/drafts/${impostorDraft}/attachments/giay-to-tuy-than/reuse`, impostor, {
        dossierCode: victim.code,
      })
    ).statusCode,
    422,
  )

  // A number verified for someone else is not moved again at a counter.
  const another = await register({
    username: 'nguoithu3',
    email: 'nguoithu3@example.invalid',
    idNumber: '001199000999',
  })
  t.equal(another.statusCode, 202)
  const before = await fingerprint(knex)
  const conflict = await call('POST', '/api/auth/identity/counter-verifications', 'motcua-xa', {
    username: 'nguoithu3',
    idNumber: VICTIM_CCCD,
  })
  t.equal(conflict.statusCode, 409)
  t.equal(conflict.json().code, 'MC_ERR_IDENTITY_CONFLICT')
  t.same(diff(before, await fingerprint(knex)), [], 'a refused verification changes nothing')
})
