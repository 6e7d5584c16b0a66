// Paying fees for real, end to end through the HTTP API, the embedded engine and a fake VNPAY gateway on loopback
// (test/helpers/vnpay.ts, written from VNPAY's 2.1.0 guide). The household-business procedure asks its fee when the
// counter accepts (status 6), at the online amount the fee schedule sets. Given such dossiers:
// - VNPAY: forged, wrong-amount and unknown notifications are refused and audited and change nothing; the IPN
//   arriving twice before the payer returns resumes the process exactly once; the payer's return shows it paid.
// - VNPAY: a payment window that closed (the gateway refuses, code 11) opens a new payment on the next start; an IPN
//   delivered late, after the window, for a payment made in it still confirms it, the payer never coming back.
// - VietQR: the transfer's QR payload decodes the same with vietnam-qr-pay and an independent EMVCo reader, and the
//   QR image back with jsQR; a bank statement import confirms it by reference and amount and reports the rest.
// - A paid dossier the agency refuses records its refund.
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import type { AddressInfo } from 'node:net'
import t, { type Test } from 'tap'
import QRCode from 'qrcode'
import { CatalogueService, seedProcedures } from '../src/catalogue/service.js'
import { seedCalendar } from '../src/db/calendar-repository.js'
import { buildTestApp } from './helpers/app.js'
import { apiClient } from './helpers/api.js'
import { householdForm } from './helpers/dossiers.js'
import { readQrImage, readVietQr } from './helpers/emvco.js'
import { eventually } from './helpers/eventually.js'
import { makePdf } from './helpers/files.js'
import { paymentEnv, startFakeVnpay } from './helpers/vnpay.js'

const require = createRequire(import.meta.url)
const { QRPay } = require('vietnam-qr-pay') as typeof import('vietnam-qr-pay')

const fake = await startFakeVnpay(t)
const built = await buildTestApp(t, {
  ...paymentEnv(fake),
})
const { app, db } = built
const knex = db.knex
const api = apiClient(built)
await seedCalendar(knex)
const seeded = await seedProcedures(knex, app.engine)
if (seeded.failed.length) throw new Error(JSON.stringify(seeded.failed))
// The province's fee schedule: 100,000 đ at the counter, half online.
const slug = 'dang-ky-thanh-lap-ho-kinh-doanh'
{
  const definition = JSON.parse(readFileSync(`forms/${slug}.json`, 'utf8'))
  definition.fees[0] = { ...definition.fees[0], amountVnd: 100000, onlineAmountVnd: 50000 }
  const catalogue = new CatalogueService(knex, app.engine)
  const draft = await catalogue.createDraft({
    definition,
    bpmnXml: readFileSync(`workflows/${definition.workflow.file}`, 'utf8'),
  })
  if (!draft.ok) throw new Error(JSON.stringify(draft.problems))
  const published = await catalogue.publish(slug)
  if (!published.ok) throw new Error(JSON.stringify(published.problems))
}
await app.listen({ host: '127.0.0.1', port: 0 })
fake.ipnUrl = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}/api/payments/vnpay/ipn`

const timeoutMs = 30_000
const detail = async (id: string) => (await api.call('GET', `/api/dossiers/${id}`, 'congdan')).json()
const statusOf = async (id: string) => (await knex('dossiers').where({ id }).first('status')).status as number

/** A household-business dossier submitted online and accepted at the counter: waiting for its fee (status 6). */
async function feeDue(t: Test, key: string): Promise<string> {
  const draft = await api.call('POST', '/api/dossiers/drafts', 'congdan', {
    procedure: slug,
    agencyUnitId: 'xa-an-binh',
  })
  const draftId = draft.json().id as string
  await api.call('PATCH', `/api/dossiers/drafts/${draftId}`, 'congdan', {
    formData: householdForm,
    deliveryMethod: 'counter',
  })
  for (const c of ['giay-de-nghi', 'giay-to-tuy-than'])
    await api.upload(
      'congdan',
      `/api/dossiers/drafts/${draftId}/attachments/${c}`,
      makePdf(),
      `${c}.pdf`,
      'application/pdf',
    )
  const submitted = await api.call('POST', `/api/dossiers/drafts/${draftId}/submit`, 'congdan', undefined, {
    'idempotency-key': key,
  })
  t.equal(submitted.statusCode, 201, `submitted: ${submitted.body}`)
  const id = submitted.json().dossierId as string
  const task = await eventually(
    'the reception task',
    () => knex('tasks').where({ dossier_id: id, element_id: 'Task_Receive', state: 'CREATED' }).first('user_task_key'),
    timeoutMs,
  )
  await api.call('POST', `/api/tasks/${task.user_task_key}/claim`, 'motcua-xa')
  const done = await api.call('POST', `/api/tasks/${task.user_task_key}/complete`, 'motcua-xa', { decision: 'accept' })
  t.equal(done.statusCode, 200, `accepted: ${done.body}`)
  await eventually('the fee asked (status 6)', async () => ((await statusOf(id)) === 6 ? true : undefined), timeoutMs)
  return id
}

/** The path and query of an absolute URL the fake gateway sends the payer's browser to (the app is injected). */
const pathOf = (url: string) => {
  const u = new URL(url)
  return `${u.pathname}${u.search}`
}

const paymentMessages = (id: string) =>
  knex('engine_commands')
    .where({ dossier_id: id, kind: 'publishMessage' })
    .whereRaw(`payload->>'name' = 'dossier.payment-received'`)
    .count({ n: '*' })
    .first()
    .then((r) => Number(r!.n))

let paidDossier = ''

t.test(
  'VNPAY: tampered notifications change nothing; the IPN twice before the payer returns resumes once',
  async (t) => {
    const id = await feeDue(t, 'pay-vnpay-1')
    const started = await api.call('POST', `/api/dossiers/${id}/payments`, 'congdan', {
      provider: 'vnpay',
      returnUrl: `/ho-so/${id}`,
    })
    t.equal(started.statusCode, 201, started.body)
    const pay = started.json()
    t.match(pay, { provider: 'vnpay', sandbox: false, amountVnd: 50000, status: 'pending' }, 'the online amount')
    t.ok(pay.redirectUrl.startsWith(fake.payUrl), 'the payer is sent to the gateway')
    t.ok(pay.expiresAt, 'the payment window is told')

    const page = await fetch(pay.redirectUrl)
    t.equal(page.status, 200, 'the gateway accepts the merchant’s signature')
    const order = fake.orders.get(pay.reference)!
    t.equal(order.amount, '5000000', 'vnp_Amount is the fee ×100')
    const tampered = await fetch(pay.redirectUrl.replace('vnp_Amount=5000000', 'vnp_Amount=500000'))
    t.equal(tampered.status, 400, 'a changed amount breaks the signature at the gateway')

    const before = await knex('payments').where({ reference: pay.reference }).first()
    const forged = fake.result(order, {})
    t.same(await fake.sendIpn({ ...forged, vnp_SecureHash: 'ab'.repeat(64) }), {
      RspCode: '97',
      Message: 'Invalid signature',
    })
    t.same(await fake.sendIpn(fake.result(order, { amount: '500000' })), { RspCode: '04', Message: 'Invalid amount' })
    t.same(await fake.sendIpn(fake.result({ ...order, txnRef: 'MCNOSUCHPAYMENT01' }, {})), {
      RspCode: '01',
      Message: 'Order not found',
    })
    t.same(await knex('payments').where({ reference: pay.reference }).first(), before, 'the payment is unchanged')
    t.equal(await statusOf(id), 6, 'the dossier still waits')
    const refused = await knex('audit_events')
      .where({ action: 'payment.notificationRefused' })
      .select('subject_id', 'data')
    t.equal(refused.length, 3, 'each refused notification is audited')

    const again = await api.call('POST', `/api/dossiers/${id}/payments`, 'congdan', {
      provider: 'vnpay',
      returnUrl: `/ho-so/${id}`,
    })
    t.match(again.json(), { reference: pay.reference, reused: true }, 'a retried start is the same payment')

    fake.duplicateIpn = true
    const { returnTo } = await fake.pay(pay.reference)
    fake.duplicateIpn = false
    t.same(
      fake.ipnCalls.slice(-2).map((c) => c.answer?.RspCode),
      ['00', '02'],
      'the first IPN is confirmed, the repeated one answered "already confirmed"',
    )
    const back = await app.inject({ method: 'GET', url: pathOf(returnTo) })
    t.equal(back.statusCode, 303, back.body)
    t.equal(back.headers.location, `/ho-so/${id}?payment=${pay.reference}&status=paid`, 'the payer sees it paid')

    const accepted = await eventually(
      'the code after payment',
      async () => (await detail(id)).code ?? undefined,
      timeoutMs,
    )
    t.match(accepted, /^X99\.30-/, 'the process went on to acceptance')
    t.equal(await paymentMessages(id), 1, 'the process was told once')
    const d = await detail(id)
    t.equal(d.timeline.filter((e: { kind: string }) => e.kind === 'paid').length, 1, 'one "paid" entry')
    const row = await knex('payments').where({ reference: pay.reference }).first()
    t.match(row, { status: 'paid', gateway_transaction: /^\d+$/ }, 'paid with the gateway’s transaction number')
    const again2 = await api.call('POST', `/api/dossiers/${id}/payments`, 'congdan', { provider: 'vnpay' })
    t.equal(again2.statusCode, 409, 'nothing more to pay')
    const receipt = await api.call('GET', `/api/dossiers/${id}/print/fee-receipt`, 'congdan')
    t.equal(receipt.statusCode, 200, 'the fee receipt prints')
    t.match(receipt.body, 'BIÊN LAI THU PHÍ, LỆ PHÍ')
    t.match(receipt.body, 'Năm mươi nghìn đồng', 'the amount in words')
    t.match(receipt.body, accepted as string, 'the dossier code')
    t.match(receipt.body, '<svg', 'its QR code')
    paidDossier = id
  },
)

t.test(
  'VNPAY: a closed window opens a new payment; a late IPN confirms it though the payer never returns',
  async (t) => {
    const id = await feeDue(t, 'pay-vnpay-2')
    const first = (await api.call('POST', `/api/dossiers/${id}/payments`, 'congdan', { provider: 'vnpay' })).json()
    await fetch(first.redirectUrl)
    // The payer comes to pay after the window: the gateway refuses (11), the IPN records it failed.
    fake.now = () => new Date(Date.now() + 60 * 60_000)
    await fake.pay(first.reference)
    fake.now = () => new Date()
    t.equal(fake.ipnCalls.at(-1)?.answer?.RspCode, '00', 'the failure is recorded (answered 00)')
    t.equal((await knex('payments').where({ reference: first.reference }).first()).status, 'failed')
    t.equal(await statusOf(id), 6, 'still waiting for the fee')

    const second = (await api.call('POST', `/api/dossiers/${id}/payments`, 'congdan', { provider: 'vnpay' })).json()
    t.not(second.reference, first.reference, 'a new payment')
    await fetch(second.redirectUrl)
    fake.ipnTiming = 'after-return'
    const { returnTo, afterReturn } = await fake.pay(second.reference)
    fake.ipnTiming = 'before-return'
    const early = await app.inject({ method: 'GET', url: pathOf(returnTo) })
    t.match(early.headers.location, /status=pending$/, 'back before the IPN: shown as waiting for the gateway')
    // The IPN is delayed past the payment window; the money was taken inside it, so it counts.
    await knex('payments')
      .where({ reference: second.reference })
      .update({ expires_at: new Date(Date.now() - 60_000) })
    await afterReturn()
    t.equal(fake.ipnCalls.at(-1)?.answer?.RspCode, '00', 'the late IPN is confirmed')
    await eventually('accepted after the late IPN', async () => (await detail(id)).code ?? undefined, timeoutMs)
    t.equal(await paymentMessages(id), 1, 'the process was told once')
  },
)

t.test(
  'VietQR: the code decodes three ways; a bank statement confirms the transfer and reports the rest',
  async (t) => {
    const id = await feeDue(t, 'pay-vietqr-1')
    const started = await api.call('POST', `/api/dossiers/${id}/payments`, 'congdan', { provider: 'vietqr' })
    t.equal(started.statusCode, 201, started.body)
    const { reference, transfer } = started.json()
    t.match(transfer, { bankBin: '970415', bankName: 'VietinBank', accountNumber: '113366668888', amountVnd: 50000 })
    t.equal(transfer.content, reference, 'the transfer content is the payment reference')

    const same = new QRPay(transfer.qrPayload)
    t.ok(same.isValid, 'vietnam-qr-pay reads its own payload back')
    t.match(same, { amount: '50000', consumer: { bankBin: '970415', bankNumber: '113366668888' } })
    t.equal(same.additionalData.purpose, reference)
    const own = readVietQr(transfer.qrPayload)
    t.match(
      own,
      {
        crcValid: true,
        initMethod: '12',
        guid: 'A000000727',
        bankBin: '970415',
        accountNumber: '113366668888',
        service: 'QRIBFTTA',
        currency: '704',
        amount: '50000',
        country: 'VN',
        purpose: reference,
      },
      'an independent EMVCo reader agrees (CRC-16 included)',
    )
    t.equal(
      readQrImage(await QRCode.toBuffer(transfer.qrPayload, { margin: 4, scale: 4 })),
      transfer.qrPayload,
      'jsQR reads the image',
    )

    const pending = async () =>
      (await api.call('GET', '/api/payments/vietqr/pending', 'motcua-xa'))
        .json()
        .items.map((i: { reference: string }) => i.reference)
    t.ok((await pending()).includes(reference), 'the transfer is listed as awaited')
    const codeBefore = ((await knex('dossiers').where({ id }).first('code')) as { code: string | null }).code

    const csv = [
      'SAO KÊ TÀI KHOẢN 113366668888',
      'Ngày giao dịch;Số tham chiếu;Số tiền ghi có;Nội dung chuyển khoản',
      `05/12/2026;FT1;50.000;NGUYEN VAN AN chuyen tien ${reference.toLowerCase()} FT1`,
      `05/12/2026;FT2;40.000;${reference}`,
      '05/12/2026;FT3;50.000;MCNOSUCHREFERENCE1',
      '05/12/2026;FT4;75.000;tien dien thang 11',
      '05/12/2026;FT5;năm mươi;MC123',
      '05/12/2026;FT6;;phi chuyen tien',
    ].join('\r\n')
    const imported = await app.inject({
      method: 'POST',
      url: '/api/payments/vietqr/statements',
      headers: { ...(await api.as('motcua-xa')), 'content-type': 'text/csv' },
      payload: csv,
    })
    t.equal(imported.statusCode, 200, imported.body)
    const report = imported.json()
    t.match(report.matched, [{ line: 1, reference, amountVnd: 50000, dossierId: id, transaction: 'FT1' }])
    t.same(
      report.unmatched.map((u: { line: number; reason: string }) => [u.line, u.reason]),
      [
        [2, 'wrong-amount'],
        [3, 'unknown-reference'],
        [4, 'no-reference'],
        [5, 'unreadable-amount'],
      ],
      'every other credit line is reported with why; a line without a credit amount is not one',
    )
    t.equal(report.matched[0].dossierCode, codeBefore, 'the matched line names the dossier by its code (if it has one)')
    t.notOk((await pending()).includes(reference), 'no longer awaited')
    await eventually('accepted after the transfer', async () => (await detail(id)).code ?? undefined, timeoutMs)
    const row = await knex('payments').where({ reference }).first()
    t.match(row, { status: 'paid', gateway_transaction: 'FT1' })
    t.ok(row.confirmed_by, 'who confirmed it is kept')
    const twice = await app.inject({
      method: 'POST',
      url: '/api/payments/vietqr/statements',
      headers: { ...(await api.as('motcua-xa')), 'content-type': 'text/csv' },
      payload: csv,
    })
    t.match(
      twice.json().unmatched[0],
      { line: 1, reason: 'already-paid' },
      'the same statement again pays nothing twice',
    )
    t.equal(await paymentMessages(id), 1, 'the process was told once')
  },
)

t.test('a paid dossier the agency refuses records its refund', async (t) => {
  const review = await eventually(
    'the review task',
    () =>
      knex('tasks')
        .where({ dossier_id: paidDossier, element_id: 'Task_Review', state: 'CREATED' })
        .first('user_task_key'),
    timeoutMs,
  )
  await api.call('POST', `/api/tasks/${review.user_task_key}/claim`, 'kinhte-xa')
  const refused = await api.call('POST', `/api/tasks/${review.user_task_key}/complete`, 'kinhte-xa', {
    decision: 'refuse',
    reason: 'Ngành nghề kinh doanh bị cấm',
  })
  t.equal(refused.statusCode, 200, refused.body)
  await eventually(
    'refused (status 3)',
    async () => ((await statusOf(paidDossier)) === 3 ? true : undefined),
    timeoutMs,
  )
  const refunds = await knex('payment_refunds').where({ dossier_id: paidDossier })
  t.match(refunds, [{ amount_vnd: '50000', rule: 'refused-after-payment', status: 'due' }], 'one refund owed')
  const d = await detail(paidDossier)
  t.ok(
    d.timeline.some((e: { kind: string }) => e.kind === 'refund_due'),
    'the timeline shows it',
  )
})
