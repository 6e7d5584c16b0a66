// Specification: the applicant hears by e-mail when a fee is asked (before acceptance or during processing), when their
// withdrawal is recorded and when the agency or the process stops their dossier — each mail once, through the outbox,
// delivered to a real SMTP server (smtp-server on 127.0.0.1), Vietnamese first with English after.
import t, { type Test } from 'tap'
import { EMAIL_CHANNEL, smtpTransport } from '../src/notifications/email.js'
import { OutboxSender } from '../src/outbox/sender.js'
import { birthForm, createDossierWorld, householdForm, manualClock, requiredUploads } from './helpers/dossiers.js'
import { startSmtpServer } from './helpers/smtp.js'
import { eventually } from './helpers/eventually.js'

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

/** Delivers what the outbox holds to a fresh SMTP server, twice over (the second round must send nothing). */
async function deliver(t: Test) {
  const smtp = await startSmtpServer(t)
  const sender = new OutboxSender({
    knex: w.db.knex,
    transports: {
      [EMAIL_CHANNEL]: smtpTransport({ url: smtp.url, from: 'Một cửa <no-reply@motcua.test>', timeoutMs: 5_000 }),
    },
    logger: quiet,
    pollIntervalMs: 20,
  })
  await sender.runOnce()
  t.equal(await sender.runOnce(), 0, 'a second round sends nothing')
  return smtp.received
}

t.test('household business: the fee asked before acceptance, then the applicant withdraws', async (t) => {
  const attachments = [{ componentId: 'giay-de-nghi', fileId: await w.file('congdan') }]
  const { dossierId } = await service.submit(citizen, {
    procedure: 'dang-ky-thanh-lap-ho-kinh-doanh',
    agencyUnitId: 'xa-an-binh',
    formData: householdForm,
    deliveryMethod: 'online',
    attachments,
    idempotencyKey: 'mail-household',
  })
  await openTask(dossierId, 'Task_Receive')
  await service.receive(counter, dossierId)
  await inStatus(dossierId, 6)
  await eventually('the payment mail', () =>
    w.db.knex('outbox_messages').whereRaw(`payload->>'template' = 'payment-requested'`).first(),
  )
  await service.withdraw(citizen, dossierId, { reason: 'Đổi địa điểm kinh doanh' })
  await inStatus(dossierId, 7)

  const mails = await deliver(t)
  t.same(
    mails.map((m) => (m.to && 'text' in m.to ? m.to.text : '')),
    ['congdan@example.invalid', 'congdan@example.invalid'],
  )
  // Both were enqueued at the same (hand-set) instant, so they may arrive in either order.
  const payment = mails.find((m) => m.subject?.includes('nghĩa vụ tài chính'))
  const withdrawn = mails.find((m) => m.subject?.startsWith('Xác nhận rút'))
  t.equal(
    payment!.subject,
    'Hồ sơ Đăng ký thành lập hộ kinh doanh: đề nghị thực hiện nghĩa vụ tài chính (50.000 đồng)',
    'no code before acceptance: the procedure names it; the amount is the one its fee table gave (online)',
  )
  // Before a code the mails never show the internal id (#20).
  for (const m of mails) t.notMatch(`${m.subject}\n${m.text}\n${String(m.html)}`, dossierId, 'no internal id')
  t.match(payment!.text, 'tiếp tục giải quyết hồ sơ (thủ tục: Đăng ký thành lập hộ kinh doanh)')
  t.match(payment!.text, 'Số tiền: 50.000 đồng.\nNội dung: Lệ phí đăng ký hộ kinh doanh (nộp trực tuyến)\nHạn nộp: ')
  t.match(payment!.text, 'Cách nộp: trực tuyến trên cổng dịch vụ công')
  t.match(payment!.text, 'Nộp trực tuyến: http://motcua.test:3000/ho-so-cua-toi')
  t.match(String(payment!.html), '<a href="http://motcua.test:3000/ho-so-cua-toi">')
  t.match(payment!.text, 'English:')
  t.equal(withdrawn!.subject, 'Xác nhận rút hồ sơ Đăng ký thành lập hộ kinh doanh')
  t.match(withdrawn!.text, 'Kính gửi Nguyễn Văn An,')
  t.match(withdrawn!.text, 'Lý do: Đổi địa điểm kinh doanh')
  t.match(withdrawn!.text, 'Your dossier')
})

t.test(
  'birth registration: a fee asked during processing with its amount, then the agency stops the dossier with a reason',
  async (t) => {
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
      idempotencyKey: 'mail-birth',
    })
    await openTask(dossierId, 'Task_Receive')
    await service.receive(counter, dossierId)
    await openTask(dossierId, 'Task_Review')
    const { code } = await service.suspendForPayment(registrar, dossierId, {
      amountVnd: 8_000,
      reason: 'Lệ phí cấp bản sao trích lục',
    })
    await service.resume(registrar, dossierId, { note: 'Đã nộp tại quầy' })
    await service.stop(registrar, dossierId, { reason: 'Người yêu cầu không đến bổ sung bản chính giấy tờ' })
    await inStatus(dossierId, 8)
    await t.rejects(service.stop(registrar, dossierId, { reason: 'lần nữa' }), { code: 'MC_ERR_DOSSIER_STATE' })

    const mails = await deliver(t)
    t.same(
      mails.map((m) => m.subject).sort(),
      [
        `Hồ sơ ${code} bị dừng xử lý`,
        `Hồ sơ ${code} đã được tiếp nhận — hẹn trả kết quả ngày 02/03/2026`,
        `Hồ sơ ${code}: đề nghị thực hiện nghĩa vụ tài chính (8.000 đồng)`,
      ],
      'the receipt, the fee asked, the stop: one mail each',
    )
    const payment = mails.find((m) => m.subject?.includes('8.000 đồng'))
    const stopped = mails.find((m) => m.subject?.endsWith('bị dừng xử lý'))
    t.match(payment!.text, 'Số tiền: 8.000 đồng.\nNội dung: Lệ phí cấp bản sao trích lục')
    t.match(payment!.text, 'Thời hạn giải quyết tạm dừng cho đến khi nhận được khoản nộp.')
    t.match(payment!.text, 'Please pay 8.000 đồng')
    t.match(stopped!.text, 'Lý do: Người yêu cầu không đến bổ sung bản chính giấy tờ')
    t.match(stopped!.text, /Xã An Bình|UBND/i)
    t.match(String(stopped!.html), '<hr><p lang="en"><em>English</em></p>')
  },
)

t.test(
  'a supplement period that runs out stops the dossier through the process: the same stop mail, once',
  async (t) => {
    const attachments = requiredUploads['dang-ky-khai-sinh']!.filter((c) => c !== 'giay-chung-sinh').map(
      (componentId) => ({ componentId, fileId: '' }),
    )
    for (const a of attachments) a.fileId = await w.file('congdan')
    const { dossierId } = await service.submit(citizen, {
      procedure: 'dang-ky-khai-sinh',
      agencyUnitId: 'xa-an-binh',
      formData: birthForm,
      deliveryMethod: 'counter',
      attachments,
      idempotencyKey: 'mail-expired',
    })
    await openTask(dossierId, 'Task_Receive')
    await service.requestSupplement(counter, dossierId, { missing: ['giay-chung-sinh'] })
    await inStatus(dossierId, 5)
    // The applicant lets the 10 working days pass: the engine's timer fires and dossier.close stops the dossier.
    clock.set('2026-03-20T09:00:00+07:00')
    await inStatus(dossierId, 8)
    const mails = await deliver(t)
    const stops = mails.filter((m) => m.subject === 'Hồ sơ Đăng ký khai sinh bị dừng xử lý')
    t.equal(stops.length, 1)
    t.match(stops[0]!.text, 'Lý do: Hết hạn bổ sung')
    // The supplement asked at reception, before the dossier has a code: no empty code in the subject, the
    // component by its name (not its id), and never the internal id (#20).
    const asked = mails.filter((m) => m.subject === 'Hồ sơ Đăng ký khai sinh cần bổ sung giấy tờ')
    t.equal(asked.length, 1, 'the supplement mail names the procedure')
    t.match(asked[0]!.text, 'Hồ sơ của Ông/Bà (thủ tục: Đăng ký khai sinh) chưa đầy đủ')
    t.match(asked[0]!.text, 'Bản chính Giấy chứng sinh', 'the component by its name')
    for (const m of mails) {
      const all = `${m.subject}\n${m.text}\n${String(m.html)}`
      t.notMatch(all, 'giay-chung-sinh', 'no component id')
      t.notMatch(all, dossierId, 'no internal id')
      t.notMatch(m.subject ?? '', /Hồ sơ {2}/, 'no empty code')
    }
  },
)
