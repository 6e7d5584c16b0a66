// The VNPAY payment gateway, protocol version 2.1.0 as VNPAY's merchant integration guide publishes it
// (https://sandbox.vnpayment.vn/apis/docs/thanh-toan-pay/pay.html): a redirect URL signed with vnp_SecureHash
// (HMAC-SHA512 over the parameters sorted by name and URL-encoded), the payer's return URL (display only), and the
// server-to-server IPN that is the source of truth, answered with {RspCode, Message}.
import { createHmac, timingSafeEqual } from 'node:crypto'
import type { VnpayConfig } from '../config.js'
import { AppError } from '../errors.js'
import type { CreatePaymentInput, GatewayNotification, PaymentProvider } from './payments.js'

/** vnp_ResponseCode / vnp_TransactionStatus of a successful payment. */
const success = '00'

/**
 * The IPN answers of the protocol: 00 recorded, 01 no such order, 02 already confirmed, 04 wrong amount, 97 bad
 * signature, 99 anything else. VNPAY retries an IPN until it is answered 00 or 02.
 */
export const ipnAnswers = {
  confirmed: { RspCode: '00', Message: 'Confirm Success' },
  'not-found': { RspCode: '01', Message: 'Order not found' },
  'already-confirmed': { RspCode: '02', Message: 'Order already confirmed' },
  'wrong-amount': { RspCode: '04', Message: 'Invalid amount' },
  'bad-signature': { RspCode: '97', Message: 'Invalid signature' },
  error: { RspCode: '99', Message: 'Unknown error' },
} as const
export type IpnOutcome = keyof typeof ipnAnswers

/** The way VNPAY's own examples encode a value before signing: encodeURIComponent, with a space as '+'. */
const encode = (value: string) => encodeURIComponent(value).replace(/%20/g, '+')

/** The signed text: every vnp_ parameter but the hash itself, sorted by name, `name=value` joined by '&'. */
export function signedText(params: Record<string, string>): string {
  return Object.keys(params)
    .filter((k) => k.startsWith('vnp_') && k !== 'vnp_SecureHash' && k !== 'vnp_SecureHashType')
    .sort()
    .map((k) => `${encode(k)}=${encode(params[k]!)}`)
    .join('&')
}

export function vnpaySign(params: Record<string, string>, secret: string): string {
  return createHmac('sha512', secret).update(signedText(params), 'utf8').digest('hex')
}

/** True when vnp_SecureHash is the HMAC-SHA512 of the other parameters (compared in constant time). */
export function vnpayVerify(params: Record<string, string>, secret: string): boolean {
  const given = params['vnp_SecureHash'] ?? ''
  if (!/^[0-9a-fA-F]{128}$/.test(given)) return false
  return timingSafeEqual(Buffer.from(vnpaySign(params, secret), 'hex'), Buffer.from(given, 'hex'))
}

/** yyyyMMddHHmmss in Vietnam's time (GMT+7), the protocol's date format. */
export function vnpayDate(at: Date): string {
  return new Date(at.getTime() + 7 * 3600_000).toISOString().replace(/[-:T]/g, '').slice(0, 14)
}

/** The instant of a protocol date (GMT+7), or undefined when it is not one. */
export function parseVnpayDate(text: string | undefined): Date | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/.exec(text ?? '')
  if (!m) return undefined
  const [, y, mo, d, h, mi, s] = m.map(Number) as number[]
  const at = new Date(Date.UTC(y!, mo! - 1, d!, h! - 7, mi!, s!))
  return Number.isNaN(at.getTime()) ? undefined : at
}

/** Vietnamese without diacritics, as VNPAY asks of vnp_OrderInfo. */
export function withoutDiacritics(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D')
    .replace(/[^A-Za-z0-9 .,:_/-]/g, ' ')
}

export class VnpayPaymentProvider implements PaymentProvider {
  readonly name = 'vnpay'
  readonly label = 'VNPAY — thẻ ATM, tài khoản ngân hàng, thẻ quốc tế, VNPAY-QR / bank card and account'
  readonly sandbox = false
  readonly notifiedByGateway = true

  constructor(
    private readonly config: VnpayConfig,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  get expireMinutes(): number {
    return this.config.expireMinutes
  }

  async createPayment(input: CreatePaymentInput): Promise<{ redirectUrl: string }> {
    const now = this.clock()
    const params: Record<string, string> = {
      vnp_Version: '2.1.0',
      vnp_Command: 'pay',
      vnp_TmnCode: this.config.tmnCode,
      vnp_Amount: String(input.amountVnd * 100),
      vnp_CreateDate: vnpayDate(now),
      vnp_CurrCode: 'VND',
      vnp_IpAddr: input.payerAddress ?? '127.0.0.1',
      vnp_Locale: 'vn',
      vnp_OrderInfo: withoutDiacritics(input.description).slice(0, 255),
      vnp_OrderType: 'other',
      vnp_ReturnUrl: this.config.returnUrl,
      vnp_TxnRef: input.reference,
      vnp_ExpireDate: vnpayDate(input.expiresAt ?? new Date(now.getTime() + this.config.expireMinutes * 60_000)),
    }
    const hash = vnpaySign(params, this.config.hashSecret)
    return { redirectUrl: `${this.config.payUrl}?${signedText(params)}&vnp_SecureHash=${hash}` }
  }

  /** An IPN or return URL's parameters: authentic, for this terminal, with an amount in whole đồng. */
  verifyCallback(params: Record<string, string>): GatewayNotification {
    if (!vnpayVerify(params, this.config.hashSecret) || params['vnp_TmnCode'] !== this.config.tmnCode)
      throw new AppError('MC_ERR_PAYMENT_SIGNATURE')
    const amount = Number(params['vnp_Amount'])
    const paid = params['vnp_ResponseCode'] === success && params['vnp_TransactionStatus'] === success
    return {
      reference: params['vnp_TxnRef'] ?? '',
      status: paid ? 'paid' : 'failed',
      // ×100 in the protocol; a fraction of a đồng cannot match any payment.
      amountVnd: Number.isSafeInteger(amount) && amount % 100 === 0 ? amount / 100 : -1,
      ...(params['vnp_TransactionNo'] ? { gatewayTransaction: params['vnp_TransactionNo'] } : {}),
    }
  }
}
