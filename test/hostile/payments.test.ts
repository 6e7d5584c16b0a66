// Specification: the payment gateway routes refuse what is not theirs and change nothing. VNPAY's IPN and return URL
// take only VNPAY's parameters; a forged signature, a replayed notification, a wrong amount, an unknown reference or
// another gateway's are answered with VNPAY's refusal codes (97, 02, 04, 01) and change no payment or dossier (only the
// notification log, on purpose). The finance officer's confirmation and statement import refuse another agency's
// dossier, a wrong amount, oversized files and files that are not statements (binary, not UTF-8, no header,
// a broken quote, a zip that is not a workbook), each with a problem, and change nothing. The list of open transfers
// shows an agency's officers their own, and another agency's officers nothing.
import { createHmac, randomUUID } from 'node:crypto'
import fc from 'fast-check'
import t from 'tap'
import { assertAllRefused, refusalProblem, type HostileRequest } from './support.js'
import { attackArea, hostileWorld, worldRefundId } from './world.js'
import { hashData } from '../helpers/vnpay.js'
import { makeZip } from '../helpers/files.js'

const tmnCode = 'MOTCUA01'
const secret = 'HOSTILEVNPAYSECRET0123456789ABCDEF'
const w = await hostileWorld(t, {
  env: {
    VNPAY_TMN_CODE: tmnCode,
    VNPAY_HASH_SECRET: secret,
    VNPAY_PAY_URL: 'https://sandbox.vnpayment.vn/paymentv2/vpcpay.html',
    VIETQR_BANK_BIN: '970415',
    VIETQR_ACCOUNT_NUMBER: '113366668888',
    VIETQR_ACCOUNT_NAME: 'UBND XA AN BINH',
  },
})
const knex = w.db.knex

// The world's dossier with a pending VNPAY payment, a paid one, and a pending transfer.
await knex('payments').insert([
  { dossier_id: w.dossierId, provider: 'vnpay', reference: 'MCPENDING00000001', amount_vnd: 50000, status: 'pending' },
  { dossier_id: w.dossierId, provider: 'vnpay', reference: 'MCPAID0000000001', amount_vnd: 50000, status: 'paid' },
  { dossier_id: w.dossierId, provider: 'vietqr', reference: 'MCTRANSFER000001', amount_vnd: 50000, status: 'pending' },
])

// A refund owed on the paid one (as if the dossier had been refused), with the id the route table names.
const paidPayment = (await knex('payments').where({ reference: 'MCPAID0000000001' }).first('id')) as { id: string }
await knex('payment_refunds').insert({
  id: worldRefundId,
  payment_id: paidPayment.id,
  dossier_id: w.dossierId,
  amount_vnd: 50000,
  rule: 'refused-after-payment',
})

await attackArea(t, w, 'payments')

const signed = (params: Record<string, string>, key = secret) => {
  const data = hashData(params)
  return `${data}&vnp_SecureHash=${createHmac('sha512', key).update(data, 'utf8').digest('hex')}`
}
const ipn = (reference: string, overrides: Record<string, string> = {}) => ({
  vnp_Amount: '5000000',
  vnp_BankCode: 'NCB',
  vnp_OrderInfo: 'Phi ho so',
  vnp_PayDate: '20261205120000',
  vnp_ResponseCode: '00',
  vnp_TmnCode: tmnCode,
  vnp_TransactionNo: '14000001',
  vnp_TransactionStatus: '00',
  vnp_TxnRef: reference,
  ...overrides,
})
const route = (key: string) => w.routes.find((r) => r.key === key)!
const rspCode = (expected: string) => (res: { statusCode: number; body: string }) =>
  res.statusCode === 200 && JSON.parse(res.body).RspCode === expected
    ? undefined
    : `expected RspCode ${expected}, got ${res.statusCode} ${res.body.slice(0, 200)}`

t.test(
  'VNPAY IPN: forged, replayed, wrong-amount and foreign notifications are refused by code and change nothing',
  async (t) => {
    const cases: Array<[string, string, string]> = [
      ['a forged signature (another secret)', signed(ipn('MCPENDING00000001'), 'NOTTHESECRET0123456789'), '97'],
      [
        'a signature over other values',
        signed(ipn('MCPENDING00000001')).replace('vnp_Amount=5000000', 'vnp_Amount=9000000'),
        '97',
      ],
      ['another terminal', signed(ipn('MCPENDING00000001', { vnp_TmnCode: 'OTHER001' })), '97'],
      ['a replay of a confirmed payment', signed(ipn('MCPAID0000000001')), '02'],
      ['a wrong amount', signed(ipn('MCPENDING00000001', { vnp_Amount: '500000' })), '04'],
      ['a fraction of a đồng', signed(ipn('MCPENDING00000001', { vnp_Amount: '5000050' })), '04'],
      ['an unknown reference', signed(ipn('MCNOSUCHPAYMENT01')), '01'],
      ['another gateway’s reference (a transfer)', signed(ipn('MCTRANSFER000001')), '01'],
    ]
    for (const [why, query, code] of cases) {
      const req: HostileRequest = { why, method: 'GET', url: `/api/payments/vnpay/ipn?${query}`, headers: {} }
      await assertAllRefused(t, w.app, knex, route('GET /api/payments/vnpay/ipn'), fc.constant(req), {
        numRuns: 1,
        accept: rspCode(code),
      })
    }
    const audited = await knex('audit_events')
      .where({ action: 'payment.notificationRefused' })
      .count({ n: '*' })
      .first()
    t.ok(Number(audited!.n) >= 6, 'refused notifications are audited')
    const returned = await w.app.inject({
      method: 'GET',
      url: `/api/payments/vnpay/return?${signed(ipn('MCPENDING00000001'), 'NOTTHESECRET0123456789')}`,
    })
    t.equal(refusalProblem(returned), undefined, 'a forged return is a problem, not a redirect')
  },
)

t.test('the open transfers are listed to the officers of the dossier’s agency only', async (t) => {
  const pending = async (headers: Record<string, string>) =>
    w.app.inject({ method: 'GET', url: '/api/payments/vietqr/pending', headers })
  const ours = await pending(await w.api.as('motcua-xa'))
  t.equal(ours.statusCode, 200, ours.body)
  t.same(
    ours.json().items.map((i: { reference: string }) => i.reference),
    ['MCTRANSFER000001'],
    'the agency’s officer sees its pending transfer, not the card payments nor the paid one',
  )
  t.match(ours.json().items[0], { amountVnd: 50000, dossierId: w.dossierId })
  const theirs = await pending(await w.api.as('canbo'))
  t.equal(theirs.statusCode, 200, theirs.body)
  t.same(theirs.json().items, [], 'another agency’s officer sees nothing of ours')
  t.equal((await pending(await w.api.as('congdan'))).statusCode, 403, 'an applicant may not list them')
  t.equal((await pending({})).statusCode, 401, 'nor may anyone without a login')
})

t.test('VietQR confirmation and statement import refuse another agency, wrong amounts and bad files', async (t) => {
  const officer = await w.api.as('motcua-xa')
  const otherAgency = await w.api.as('canbo')
  const confirm = route('POST /api/payments/vietqr/:reference/confirm')
  const confirmations: HostileRequest[] = [
    {
      why: 'another agency’s dossier',
      method: 'POST',
      url: '/api/payments/vietqr/MCTRANSFER000001/confirm',
      headers: { ...otherAgency, 'content-type': 'application/json' },
      payload: JSON.stringify({ amountVnd: 50000 }),
    },
    {
      why: 'a wrong amount',
      method: 'POST',
      url: '/api/payments/vietqr/MCTRANSFER000001/confirm',
      headers: { ...officer, 'content-type': 'application/json' },
      payload: JSON.stringify({ amountVnd: 5000 }),
    },
    {
      why: 'a card payment is not a transfer',
      method: 'POST',
      url: '/api/payments/vietqr/MCPENDING00000001/confirm',
      headers: { ...officer, 'content-type': 'application/json' },
      payload: JSON.stringify({ amountVnd: 50000 }),
    },
  ]
  await assertAllRefused(t, w.app, knex, confirm, fc.constantFrom(...confirmations), { numRuns: 6 })

  const statements = route('POST /api/payments/vietqr/statements')
  const xlsx = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'
  const file = (why: string, type: string, payload: Buffer, who = officer): HostileRequest => ({
    why,
    method: 'POST',
    url: '/api/payments/vietqr/statements',
    headers: { ...who, 'content-type': type },
    payload,
  })
  const header = 'Số tiền;Nội dung\n'
  const files = [
    file('3 MB', 'text/csv', Buffer.alloc(3 * 1024 * 1024, 'a')),
    file('binary as CSV', 'text/csv', Buffer.from([0xff, 0xfe, 0x00, 0x80, 0x81, 0x0a])),
    file('no header row', 'text/csv', Buffer.from('a;b\n1;2\n')),
    file('a broken quote', 'text/csv', Buffer.from(`${header}"50000;MCTRANSFER000001\n`)),
    file('random bytes as XLSX', xlsx, Buffer.from('PK\u0003\u0004 not really a zip')),
    file('a zip that is not a workbook', xlsx, makeZip([{ name: 'hello.txt', data: Buffer.from('hi') }])),
    file('a spreadsheet of another type', 'application/vnd.ms-excel', Buffer.from(header)),
    file('more lines than a statement', 'text/csv', Buffer.from(header + '1;x\n'.repeat(6000))),
    file('without a token', 'text/csv', Buffer.from(`${header}50000;MCTRANSFER000001\n`), {} as typeof officer),
  ]
  await assertAllRefused(t, w.app, knex, statements, fc.constantFrom(...files), { numRuns: 18 })

  // Another agency's officer importing a line that names this agency's transfer: reported, nothing paid.
  const before = await knex('payments').where({ reference: 'MCTRANSFER000001' }).first('status')
  const foreign = await w.app.inject({
    method: 'POST',
    url: '/api/payments/vietqr/statements',
    headers: { ...otherAgency, 'content-type': 'text/csv' },
    payload: `${header}50000;MCTRANSFER000001\n`,
  })
  t.equal(foreign.statusCode, 200, foreign.body)
  t.match(foreign.json(), { matched: [], unmatched: [{ line: 1, reason: 'unknown-reference' }] })
  t.same(await knex('payments').where({ reference: 'MCTRANSFER000001' }).first('status'), before, 'still pending')
})

t.test(
  'a refund is marked paid by an officer of the dossier’s agency only, once, with a date that can be true',
  async (t) => {
    const officer = await w.api.as('motcua-xa')
    const otherAgency = await w.api.as('canbo')
    const applicant = await w.api.as('congdan')
    const url = `/api/payments/refunds/${worldRefundId}/paid`
    const mark = (headers: Record<string, string>, payload: unknown) =>
      w.app.inject({ method: 'POST', url, headers, payload: payload as Record<string, unknown> })
    const today = new Date(Date.now() + 7 * 3_600_000).toISOString().slice(0, 10)
    const refundRow = () => knex('payment_refunds').where({ id: worldRefundId }).first()
    const entries = async () =>
      Number(
        (await knex('dossier_events')
          .where({ dossier_id: w.dossierId, kind: 'refund_paid' })
          .count({ n: '*' })
          .first())!.n,
      )

    const listed = await w.app.inject({ method: 'GET', url: '/api/payments/refunds', headers: officer })
    t.equal(listed.statusCode, 200, listed.body)
    t.match(listed.json(), { items: [{ id: worldRefundId, amountVnd: 50000, paymentReference: 'MCPAID0000000001' }] })
    const theirs = await w.app.inject({ method: 'GET', url: '/api/payments/refunds', headers: otherAgency })
    t.same(theirs.json().items, [], 'another agency’s officer sees none of ours')
    const badCursor = await w.app.inject({
      method: 'GET',
      url: '/api/payments/refunds?cursor=WzEsMl0',
      headers: officer,
    })
    t.equal(badCursor.statusCode, 400, 'a cursor the server did not write is refused')

    const before = await refundRow()
    const refused: Array<[string, Record<string, string>, unknown, number, string]> = [
      ['another agency’s officer', otherAgency, { method: 'cash', paidOn: today }, 404, 'MC_ERR_DOSSIER_NOT_FOUND'],
      [
        'the applicant (the dossier is hidden)',
        applicant,
        { method: 'cash', paidOn: today },
        404,
        'MC_ERR_DOSSIER_NOT_FOUND',
      ],
      ['a day in the future', officer, { method: 'cash', paidOn: '2999-01-01' }, 400, 'MC_ERR_VALIDATION'],
      ['a day before the refund was owed', officer, { method: 'cash', paidOn: '2001-01-01' }, 400, 'MC_ERR_VALIDATION'],
      ['an unknown method', officer, { method: 'cheque', paidOn: today }, 400, 'MC_ERR_VALIDATION'],
      [
        'a voucher with spaces',
        officer,
        { method: 'cash', paidOn: today, reference: 'PC 01' },
        400,
        'MC_ERR_VALIDATION',
      ],
    ]
    for (const [why, headers, body, status, code] of refused) {
      const res = await mark(headers, body)
      t.equal(res.statusCode, status, `${why}: ${res.body}`)
      t.equal(res.json().code, code, why)
      t.match(res.headers['content-type'], /application\/problem\+json/)
    }
    t.same(await refundRow(), before, 'nothing changed')
    const none = await w.app.inject({
      method: 'POST',
      url: `/api/payments/refunds/${randomUUID()}/paid`,
      headers: officer,
      payload: { method: 'cash', paidOn: today },
    })
    t.equal(none.statusCode, 404)

    const paid = await mark(officer, { method: 'transfer', paidOn: today, reference: 'FT26340000009' })
    t.equal(paid.statusCode, 200, paid.body)
    t.match(paid.json(), { status: 'paid', paid: { method: 'transfer', reference: 'FT26340000009', paidOn: today } })
    const again = await mark(officer, { method: 'transfer', paidOn: today, reference: 'FT26340000009' })
    t.equal(again.statusCode, 200, 'the same request again answers the refund as recorded')
    t.same(again.json(), paid.json())
    t.equal(await entries(), 1, 'one timeline entry')
    const other = await mark(officer, { method: 'cash', paidOn: today })
    t.equal(other.statusCode, 409)
    t.equal(other.json().code, 'MC_ERR_REFUND_ALREADY_PAID')
    t.equal(await entries(), 1)
    t.ok(await knex('audit_events').where({ action: 'payment.refundPaid', subject_id: w.dossierId }).first(), 'audited')
    const paidList = await w.app.inject({ method: 'GET', url: '/api/payments/refunds?status=paid', headers: officer })
    t.match(paidList.json().items, [{ id: worldRefundId, status: 'paid' }])
    const dueList = await w.app.inject({ method: 'GET', url: '/api/payments/refunds', headers: officer })
    t.same(dueList.json().items, [], 'no longer owed')
  },
)
