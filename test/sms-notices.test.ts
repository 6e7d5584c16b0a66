// Specification (issue #21, SMS): an applicant who chose "e-mail and SMS" in their profile gets every notice about
// their dossier once by e-mail (a real SMTP server) and once by SMS (a fake gateway on loopback speaking the generic
// JSON API), also when the gateway first fails with a 5xx and then does not answer; one who chose "SMS" only gets no
// e-mail (unless their number cannot take SMS); an applicant without a choice gets e-mail only, as before.
import t, { type Test } from 'tap'
import { updateProfile } from '../src/auth/account.js'
import { EMAIL_CHANNEL, smtpTransport } from '../src/notifications/email.js'
import { DEFAULT_SMS_BODY_TEMPLATE, httpJsonSmsProvider, SMS_CHANNEL, smsTransport } from '../src/notifications/sms.js'
import { OutboxSender } from '../src/outbox/sender.js'
import { birthForm, createDossierWorld, manualClock, requiredUploads } from './helpers/dossiers.js'
import { dbKind } from './helpers/db.js'
import { eventually } from './helpers/eventually.js'
import { startSmsGateway, type FakeSmsGateway } from './helpers/sms-gateway.js'
import { startSmtpServer, type TestSmtpServer } from './helpers/smtp.js'

const clock = manualClock('2026-03-02T09:00:00+07:00')
const w = await createDossierWorld(t, {
  portalUrl: 'http://motcua.test:3000',
  clock: clock.now,
  engineClock: clock.now,
})
const { service } = w.runtime
const citizen = await w.as('congdan')
const counter = await w.as('motcua-xa')
const registrar = await w.as('tuphap-xa')
const quiet = { info() {}, warn() {}, error() {} }

const openTask = (dossierId: string, elementId: string) =>
  eventually(`task ${elementId}`, () =>
    w.db.knex('tasks').where({ dossier_id: dossierId, element_id: elementId, state: 'CREATED' }).first(),
  )
const inStatus = (id: string, wanted: number) =>
  eventually(`status ${wanted}`, async () => (await w.db.knex('dossiers').where({ id }).first())?.status === wanted)

let keys = 0
/** A birth registration submitted by the citizen and accepted at the counter: the receipt notice is enqueued. */
async function acceptedDossier(): Promise<{ dossierId: string; code: string }> {
  const attachments = await Promise.all(
    requiredUploads['dang-ky-khai-sinh']!.map(async (componentId) => ({
      componentId,
      fileId: await w.file('congdan'),
    })),
  )
  const { dossierId } = await service.submit(citizen, {
    procedure: 'dang-ky-khai-sinh',
    agencyUnitId: 'xa-an-binh',
    formData: birthForm,
    deliveryMethod: 'counter',
    attachments,
    idempotencyKey: `sms-${++keys}`,
  })
  await openTask(dossierId, 'Task_Receive')
  await service.receive(counter, dossierId)
  await openTask(dossierId, 'Task_Review')
  const { code } = (await w.db.knex('dossiers').where({ id: dossierId }).first('code')) as { code: string }
  return { dossierId, code }
}

/** One sender for both channels, as the server runs it, with retries at once; runs until nothing is left to send. */
async function deliverAll(t: Test, smtp: TestSmtpServer, gw: FakeSmsGateway): Promise<void> {
  const sender = new OutboxSender({
    knex: w.db.knex,
    transports: {
      [EMAIL_CHANNEL]: smtpTransport({ url: smtp.url, from: 'Một cửa <no-reply@motcua.test>', timeoutMs: 5_000 }),
      [SMS_CHANNEL]: smsTransport(
        httpJsonSmsProvider({
          url: gw.url,
          auth: { kind: 'bearer', token: gw.token },
          bodyTemplate: DEFAULT_SMS_BODY_TEMPLATE,
          timeoutMs: 2_000,
        }),
        { diacritics: false },
      ),
    },
    logger: quiet,
    backoff: { baseMs: 1, maxMs: 1 },
  })
  await eventually('every notice sent', async () => {
    await sender.runOnce()
    const open = await w.db.knex('outbox_messages').whereNot({ status: 'sent' }).count('* as n').first()
    return Number(open!.n) === 0
  })
  t.equal(await sender.runOnce(), 0, 'a further round sends nothing')
}

t.test(`e-mail and SMS (${dbKind}): each notice once by each, though the gateway fails first`, async (t) => {
  await updateProfile(w.db.knex, citizen, { phone: '0912 345 678', notifyBy: 'both' })
  const { dossierId, code } = await acceptedDossier()
  await service.suspendForPayment(registrar, dossierId, { amountVnd: 8_000, reason: 'Lệ phí cấp bản sao trích lục' })
  await service.resume(registrar, dossierId, { note: 'Đã nộp tại quầy' })
  await service.stop(registrar, dossierId, { reason: 'Người yêu cầu không đến bổ sung bản chính giấy tờ' })
  await inStatus(dossierId, 8)

  const rows = await w.db.knex('outbox_messages').orderBy('channel').select('channel', 'payload')
  t.same(
    rows.map((r: { channel: string }) => r.channel),
    ['email', 'email', 'email', 'sms', 'sms', 'sms'],
    'the receipt, the fee asked, the stop: one e-mail and one SMS each',
  )

  const smtp = await startSmtpServer(t)
  const gw = await startSmsGateway(t)
  // The first request meets a 503, the second no answer at all: both are retried.
  gw.script.push({ kind: 'fail', status: 503 }, { kind: 'hang' })
  await deliverAll(t, smtp, gw)

  t.equal(smtp.received.length, 3, 'three e-mails')
  t.same(smtp.received.map((m) => m.subject).sort(), [
    `Hồ sơ ${code} bị dừng xử lý`,
    `Hồ sơ ${code} đã được tiếp nhận — hẹn trả kết quả ngày 02/03/2026`,
    `Hồ sơ ${code}: đề nghị thực hiện nghĩa vụ tài chính (8.000 đồng)`,
  ])
  t.ok(gw.requests.length >= 5, 'at least five requests: two failed, three taken (more if the busy machine timed out)')
  t.equal(gw.sent.length, 3, 'three SMS reached the phone')
  t.same(new Set(gw.sent.map((s) => s.to)), new Set(['0912345678']))
  const texts = gw.sent.map((s) => s.text).sort()
  for (const text of texts) {
    t.match(text, code, 'each SMS names the dossier by its code')
    t.ok(text.length <= 160, `one segment: ${text}`)
    t.notMatch(text, /[^\x20-\x7e]/, 'no diacritics, as configured')
  }
  t.ok(texts.some((s) => s.startsWith(`Ho so ${code} bi dung xu ly. Ly do: Nguoi yeu cau khong den`)))
  t.ok(texts.some((s) => s.includes('da duoc tiep nhan') || s.includes('da tiep nhan')))
  t.ok(texts.some((s) => s.includes('de nghi nop 8.000 dong') && s.endsWith('http://motcua.test:3000/ho-so-cua-toi')))
  await w.db.knex('outbox_messages').delete()
})

t.test(
  `result ready (${dbKind}): once by e-mail and once by SMS, when the gateway answers too late first`,
  async (t) => {
    const leader = await w.as('lanhdao-xa')
    await updateProfile(w.db.knex, citizen, { phone: '+84 387 654 321', notifyBy: 'both' })
    const { dossierId, code } = await acceptedDossier()
    await service.claim(registrar, (await openTask(dossierId, 'Task_Review')).user_task_key)
    await service.handOff(registrar, dossierId, { note: 'Đủ điều kiện' })
    await openTask(dossierId, 'Task_Sign')
    await service.handOff(leader, dossierId)
    await inStatus(dossierId, 9)

    const smtp = await startSmtpServer(t)
    const gw = await startSmsGateway(t)
    // The gateway takes the first message but answers after the time-out: the retry must not reach the phone again.
    gw.script.push({ kind: 'slow', delayMs: 3_000 })
    await deliverAll(t, smtp, gw)
    t.same(smtp.received.map((m) => m.subject).sort(), [
      `Hồ sơ ${code} đã có kết quả`,
      `Hồ sơ ${code} đã được tiếp nhận — hẹn trả kết quả ngày 02/03/2026`,
    ])
    t.equal(gw.sent.length, 2, 'two SMS reached the phone, each once')
    t.ok(gw.requests.length >= 3, 'one of them was asked twice')
    t.same(new Set(gw.sent.map((s) => s.to)), new Set(['0387654321']))
    const result = gw.sent.find((s) => s.text.includes('da co ket qua'))
    t.ok(result, 'the result-ready SMS')
    t.match(result!.text, `Ho so ${code}`)
    t.match(result!.text, 'Moi Ong/Ba nhan ket qua tai Bo phan Mot cua.', 'where to collect it')
    t.ok(result!.text.length <= 160)
    await w.db.knex('outbox_messages').delete()
  },
)

t.test(`SMS only (${dbKind}): no e-mail; e-mail only: no SMS`, async (t) => {
  await updateProfile(w.db.knex, citizen, { notifyBy: 'sms' })
  const first = await acceptedDossier()
  await service.stop(registrar, first.dossierId, { reason: 'Thử nghiệm' })
  await inStatus(first.dossierId, 8)
  t.same(
    (await w.db.knex('outbox_messages').pluck('channel')).sort(),
    ['sms', 'sms'],
    'the receipt and the stop, by SMS only',
  )
  await w.db.knex('outbox_messages').delete()

  await updateProfile(w.db.knex, citizen, { notifyBy: 'email' })
  const second = await acceptedDossier()
  await service.stop(registrar, second.dossierId, { reason: 'Thử nghiệm' })
  await inStatus(second.dossierId, 8)
  t.same((await w.db.knex('outbox_messages').pluck('channel')).sort(), ['email', 'email'], 'by e-mail only')
  await w.db.knex('outbox_messages').delete()

  // SMS only with a landline saved before the profile checked numbers: the notice falls back to e-mail, not to nothing.
  await w.db.knex('users').where({ username: 'congdan' }).update({ notify_by: 'sms', phone: '024 3825 3535' })
  const third = await acceptedDossier()
  await service.stop(registrar, third.dossierId, { reason: 'Thử nghiệm' })
  await inStatus(third.dossierId, 8)
  t.same((await w.db.knex('outbox_messages').pluck('channel')).sort(), ['email', 'email'], 'e-mail rather than silence')
})
