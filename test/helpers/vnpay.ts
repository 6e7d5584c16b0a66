// A fake VNPAY gateway on loopback, written from VNPAY's merchant integration guide, version 2.1.0
// (https://sandbox.vnpayment.vn/apis/docs/thanh-toan-pay/pay.html): it checks the merchant's signed payment URL
// (HMAC-SHA512 over the sorted, URL-encoded vnp_ parameters), shows a payment page, and on payment signs the result
// the same way, calls the merchant's IPN URL (server to server, GET) and sends the payer to vnp_ReturnUrl. Its signing
// is its own (PHP urlencode, as VNPAY's PHP example), not the app's, so a mistake shared by both cannot pass unseen.
// Scenarios: the IPN before or after the payer returns, twice, never (a payer who never returns is the test not
// following the redirect); a forged signature, a wrong amount, a late IPN, an expired payment window.
import { createHmac, randomInt } from 'node:crypto'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Test } from 'tap'

/** PHP's urlencode: everything but letters, digits and -_. is %XX; a space is '+'. */
const urlencode = (v: string) =>
  encodeURIComponent(v)
    .replace(/[!'()*~]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
    .replace(/%20/g, '+')

export function hashData(params: Record<string, string>): string {
  return Object.keys(params)
    .filter((k) => k !== 'vnp_SecureHash' && k !== 'vnp_SecureHashType')
    .sort()
    .map((k) => `${urlencode(k)}=${urlencode(params[k]!)}`)
    .join('&')
}

export const gatewayDate = (at: Date) =>
  new Date(at.getTime() + 7 * 3600_000).toISOString().replace(/[-:T]/g, '').slice(0, 14)

export interface Order {
  txnRef: string
  amount: string
  orderInfo: string
  returnUrl: string
  expireDate: string
  createDate: string
  ipAddr: string
}

export interface IpnCall {
  params: Record<string, string>
  answer: { RspCode: string; Message: string } | undefined
}

export interface FakeVnpay {
  /** The payment page URL (VNPAY_PAY_URL). */
  payUrl: string
  tmnCode: string
  secret: string
  /** The merchant's IPN URL, as a merchant registers it with VNPAY. */
  ipnUrl: string
  orders: Map<string, Order>
  ipnCalls: IpnCall[]
  /** When the IPN is sent: before the payer is redirected back (default), after, or not at all. */
  ipnTiming: 'before-return' | 'after-return' | 'never'
  /** Send every IPN twice (VNPAY retries; a merchant must answer the second like the first). */
  duplicateIpn: boolean
  /** The gateway's clock (the payment window is checked against it). */
  now: () => Date
  sign(params: Record<string, string>): string
  /** The signed result of an order, as VNPAY builds it for the IPN and the return URL. */
  result(
    order: Order,
    outcome: { responseCode?: string; transactionStatus?: string; amount?: string },
  ): Record<string, string>
  /** Sends one IPN (GET) and returns the merchant's answer. */
  sendIpn(params: Record<string, string>): Promise<{ RspCode: string; Message: string } | undefined>
  /**
   * The payer pays (or cancels) on the gateway page: the IPN is sent as `ipnTiming` says, and the URL the payer's
   * browser is sent back to is returned (with the IPN after it, `afterReturn()` sends it).
   */
  pay(txnRef: string, outcome?: 'success' | 'cancel'): Promise<{ returnTo: string; afterReturn: () => Promise<void> }>
  close(): Promise<void>
}

const query = (params: Record<string, string>, secret: string) => {
  const data = hashData(params)
  return `${data}&vnp_SecureHash=${createHmac('sha512', secret).update(data, 'utf8').digest('hex')}`
}

export async function startFakeVnpay(t: Test, opts: { tmnCode?: string; secret?: string } = {}): Promise<FakeVnpay> {
  const tmnCode = opts.tmnCode ?? 'MOTCUA01'
  const secret = opts.secret ?? 'FAKEVNPAYSECRETFORTESTS0123456789'
  const page = (title: string, body: string) =>
    `<!doctype html><html lang="vi"><head><meta charset="utf-8"><title>${title}</title></head><body><h1>VNPAY (giả lập kiểm thử)</h1>${body}</body></html>`

  const fake: FakeVnpay = {
    payUrl: '',
    tmnCode,
    secret,
    ipnUrl: '',
    orders: new Map(),
    ipnCalls: [],
    ipnTiming: 'before-return',
    duplicateIpn: false,
    now: () => new Date(),
    sign: (params) => createHmac('sha512', secret).update(hashData(params), 'utf8').digest('hex'),
    result(order, outcome) {
      const responseCode = outcome.responseCode ?? '00'
      return {
        vnp_Amount: outcome.amount ?? order.amount,
        vnp_BankCode: 'NCB',
        vnp_BankTranNo: `VNP${randomInt(1e8, 1e9)}`,
        vnp_CardType: 'ATM',
        vnp_OrderInfo: order.orderInfo,
        vnp_PayDate: gatewayDate(fake.now()),
        vnp_ResponseCode: responseCode,
        vnp_TmnCode: tmnCode,
        vnp_TransactionNo: String(randomInt(1e7, 1e8)),
        vnp_TransactionStatus: outcome.transactionStatus ?? (responseCode === '00' ? '00' : '02'),
        vnp_TxnRef: order.txnRef,
      }
    },
    async sendIpn(params) {
      const signed = { ...params, vnp_SecureHash: params['vnp_SecureHash'] ?? fake.sign(params) }
      const url = `${fake.ipnUrl}?${hashData(signed)}&vnp_SecureHash=${signed.vnp_SecureHash}`
      const res = await fetch(url)
      const answer = res.headers.get('content-type')?.includes('json')
        ? ((await res.json()) as { RspCode: string; Message: string })
        : undefined
      fake.ipnCalls.push({ params: signed, answer: res.status === 200 ? answer : undefined })
      return res.status === 200 ? answer : undefined
    },
    async pay(txnRef, outcome = 'success') {
      const order = fake.orders.get(txnRef)
      if (!order) throw new Error(`no order ${txnRef} at the fake gateway`)
      // VNPAY: 24 = the payer cancelled; 11 = the payment window (vnp_ExpireDate) passed.
      const expired = gatewayDate(fake.now()) > order.expireDate
      const params = fake.result(order, { responseCode: expired ? '11' : outcome === 'cancel' ? '24' : '00' })
      const ipn = async () => {
        await fake.sendIpn(params)
        if (fake.duplicateIpn) await fake.sendIpn(params)
      }
      if (fake.ipnTiming === 'before-return') await ipn()
      return {
        returnTo: `${order.returnUrl}?${query(params, secret)}`,
        afterReturn: fake.ipnTiming === 'after-return' ? ipn : async () => undefined,
      }
    },
    close: async () => undefined,
  }

  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://fake.invalid')
    const params = Object.fromEntries(url.searchParams)
    const html = (status: number, text: string) => {
      res.writeHead(status, { 'content-type': 'text/html; charset=utf-8' })
      res.end(text)
    }
    if (url.pathname === '/paymentv2/vpcpay.html') {
      // The merchant's request: version, command, terminal and signature as the guide requires.
      const given = params['vnp_SecureHash'] ?? ''
      if (
        params['vnp_Version'] !== '2.1.0' ||
        params['vnp_Command'] !== 'pay' ||
        params['vnp_TmnCode'] !== tmnCode ||
        params['vnp_CurrCode'] !== 'VND' ||
        !/^\d+$/.test(params['vnp_Amount'] ?? '') ||
        !/^\d{14}$/.test(params['vnp_CreateDate'] ?? '') ||
        !/^\d{14}$/.test(params['vnp_ExpireDate'] ?? '') ||
        given.toLowerCase() !== fake.sign(params)
      )
        return html(400, page('Lỗi', '<p id="error">Sai chữ ký hoặc tham số (mã 70) / Invalid signature</p>'))
      const order: Order = {
        txnRef: params['vnp_TxnRef']!,
        amount: params['vnp_Amount']!,
        orderInfo: params['vnp_OrderInfo'] ?? '',
        returnUrl: params['vnp_ReturnUrl']!,
        expireDate: params['vnp_ExpireDate']!,
        createDate: params['vnp_CreateDate']!,
        ipAddr: params['vnp_IpAddr'] ?? '',
      }
      fake.orders.set(order.txnRef, order)
      const amount = new Intl.NumberFormat('vi-VN').format(Number(order.amount) / 100)
      return html(
        200,
        page(
          'Thanh toán',
          `<p>Đơn hàng: <b id="txn">${order.txnRef}</b></p><p>Số tiền: <b id="amount">${amount} VND</b></p>` +
            `<form method="get" action="/paymentv2/pay"><input type="hidden" name="txn" value="${order.txnRef}">` +
            `<button name="outcome" value="success" id="pay">Thanh toán</button>` +
            `<button name="outcome" value="cancel" id="cancel">Hủy thanh toán</button></form>`,
        ),
      )
    }
    if (url.pathname === '/paymentv2/pay') {
      fake
        .pay(params['txn'] ?? '', params['outcome'] === 'cancel' ? 'cancel' : 'success')
        .then(async ({ returnTo, afterReturn }) => {
          res.writeHead(302, { location: returnTo })
          res.end()
          await afterReturn()
        })
        .catch((err: Error) => html(404, page('Lỗi', `<p>${err.message}</p>`)))
      return
    }
    html(404, page('Không tìm thấy', ''))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  fake.payUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/paymentv2/vpcpay.html`
  fake.close = () => new Promise((resolve) => server.close(() => resolve()))
  t.teardown(() => fake.close())
  return fake
}

/** The environment that points the app at the fake gateway, with a VietQR collection account beside it. */
export function paymentEnv(fake: Pick<FakeVnpay, 'tmnCode' | 'secret' | 'payUrl'>): Record<string, string> {
  return {
    VNPAY_TMN_CODE: fake.tmnCode,
    VNPAY_HASH_SECRET: fake.secret,
    VNPAY_PAY_URL: fake.payUrl,
    VIETQR_BANK_BIN: '970415',
    VIETQR_ACCOUNT_NUMBER: '113366668888',
    VIETQR_ACCOUNT_NAME: 'UBND XA AN BINH',
  }
}
