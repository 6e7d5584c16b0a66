// Paying by bank transfer to the agency's account: a NAPAS VietQR code (EMVCo merchant-presented QR) for the exact fee
// with the payment's reference as the transfer content, encoded by vietnam-qr-pay. No gateway tells us the money
// came: a finance officer confirms the transfer, one by one or by importing the bank statement.
import { createRequire } from 'node:module'
import type { VietQrConfig } from '../config.js'
import { AppError } from '../errors.js'
import type { CreatePaymentInput, GatewayNotification, PaymentProvider, TransferInstructions } from './payments.js'
import { qrcode } from '../lib/lazy-modules.js'

const require = createRequire(import.meta.url)
const { QRPay, BanksObject } = require('vietnam-qr-pay') as typeof import('vietnam-qr-pay')

/** The bank's short name for a NAPAS BIN, from vietnam-qr-pay's bank list. */
export function bankNameOf(bin: string): string | undefined {
  return Object.values(BanksObject).find((b) => b.bin === bin)?.shortName
}

/** The VietQR payload of a transfer of `amountVnd` to the account, with `content` as the transfer's content. */
export function vietQrPayload(config: VietQrConfig, amountVnd: number, content: string): string {
  return QRPay.initVietQR({
    bankBin: config.bankBin,
    bankNumber: config.accountNumber,
    amount: String(amountVnd),
    purpose: content,
  }).build()
}

export class VietQrPaymentProvider implements PaymentProvider {
  readonly name = 'vietqr'
  readonly label = 'Chuyển khoản VietQR / Bank transfer (VietQR)'
  readonly sandbox = false

  constructor(private readonly config: VietQrConfig) {}

  async createPayment(input: CreatePaymentInput): Promise<{ transfer: TransferInstructions }> {
    // The reference alone: bank apps keep letters and digits of the content, and the statement import finds it there.
    const content = input.reference
    const qrPayload = vietQrPayload(this.config, input.amountVnd, content)
    return {
      transfer: {
        bankBin: this.config.bankBin,
        bankName: bankNameOf(this.config.bankBin) ?? this.config.bankBin,
        accountNumber: this.config.accountNumber,
        accountName: this.config.accountName,
        amountVnd: input.amountVnd,
        content,
        qrPayload,
        qrImage: await (await qrcode()).toDataURL(qrPayload, { errorCorrectionLevel: 'M', margin: 4, scale: 6 }),
      },
    }
  }

  /** No gateway calls back for a transfer: only an officer's confirmation or a statement line settles it. */
  verifyCallback(): GatewayNotification {
    throw new AppError('MC_ERR_PAYMENT_SIGNATURE')
  }
}
