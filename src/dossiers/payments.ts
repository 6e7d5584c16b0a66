// Paying a dossier's fee: the PaymentProvider port a real gateway implements (create → redirect; signed callback),
// the sandbox provider that takes no real money, and the service that records the payment and lets the process go on.
import { Status } from '../domain/dossier/status.js'
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto'
import type { Knex } from 'knex'
import { requireAccess } from '../auth/access.js'
import type { Principal } from '../auth/principal.js'
import { AppError } from '../errors.js'
import { requireSafeReturnUrl } from '../lib/safe-return-url.js'
import { resumeDossier } from './commands.js'
import { paymentRepository } from './payment-repository.js'
import { EngineCommandRelay } from './relay.js'
import { dossierRepository, type DossierRow } from './repository.js'

export interface CreatePaymentInput {
  reference: string
  amountVnd: number
  description: string
  /** Where the gateway sends the payer back: a path on the portal's own origin (checked by `safeReturnUrl`). */
  returnUrl: string
  /** The account paying (the dossier's applicant); the sandbox binds its checkout to them. */
  payerId: string
}

export interface PaymentCallback {
  reference: string
  status: 'paid' | 'failed'
  signature: string
}

/**
 * What a payment gateway must offer: a redirect to pay, and a callback whose signature proves it came from the gateway.
 */
export interface PaymentProvider {
  readonly name: string
  /** Shown to payers; a sandbox says plainly that no real money moves. */
  readonly label: string
  readonly sandbox: boolean
  createPayment(input: CreatePaymentInput): Promise<{ redirectUrl: string; providerReference: string }>
  /** Throws MC_ERR_PAYMENT_SIGNATURE unless the callback is authentic. */
  verifyCallback(callback: PaymentCallback): { reference: string; status: 'paid' | 'failed' }
}

/** How long a sandbox checkout page may confirm its payment. */
export const checkoutTokenSeconds = 30 * 60

/** The sandbox gateway: the redirect leads to a confirmation step; callbacks are HMAC-signed with its own secret. */
export class SandboxPaymentProvider implements PaymentProvider {
  readonly name = 'sandbox'
  readonly label = 'SANDBOX — không thu tiền thật / no real money'
  readonly sandbox = true
  constructor(private readonly secret: string) {}

  async createPayment(input: CreatePaymentInput): Promise<{ redirectUrl: string; providerReference: string }> {
    const query = new URLSearchParams({
      reference: input.reference,
      amountVnd: String(input.amountVnd),
      returnUrl: input.returnUrl,
      checkoutToken: this.checkoutToken(input.reference, input.payerId, new Date()),
    })
    return { redirectUrl: `/api/payments/sandbox/checkout?${query}`, providerReference: input.reference }
  }

  /** What the sandbox "bank" signs; a test or the sandbox checkout page uses it to confirm. */
  sign(reference: string, status: 'paid' | 'failed'): string {
    return createHmac('sha256', this.secret).update(`${reference}|${status}`).digest('hex')
  }

  /**
   * A short-lived token that lets the checkout page confirm this payment for this payer only: the payer's id, when it
   * expires, and an HMAC of both with the reference. The page is reached by a plain browser navigation (no bearer
   * header), so the token is what proves the confirmation comes from the payer's own session.
   */
  checkoutToken(reference: string, payerId: string, now: Date): string {
    const expires = Math.floor(now.getTime() / 1000) + checkoutTokenSeconds
    return `${payerId}.${expires}.${this.checkoutMac(reference, payerId, expires)}`
  }

  /** The payer the token was issued to, or undefined when it is forged, for another payment, or expired. */
  verifyCheckoutToken(token: string, reference: string, now: Date): string | undefined {
    const m = /^([0-9a-f-]{36})\.(\d{1,12})\.([0-9a-f]{64})$/.exec(token)
    if (!m) return undefined
    const [, payerId, expires, mac] = m as unknown as [string, string, string, string]
    const expected = Buffer.from(this.checkoutMac(reference, payerId, Number(expires)), 'hex')
    if (!timingSafeEqual(expected, Buffer.from(mac, 'hex'))) return undefined
    if (Number(expires) * 1000 <= now.getTime()) return undefined
    return payerId
  }

  private checkoutMac(reference: string, payerId: string, expires: number): string {
    return createHmac('sha256', this.secret).update(`checkout|${reference}|${payerId}|${expires}`).digest('hex')
  }

  verifyCallback(callback: PaymentCallback): { reference: string; status: 'paid' | 'failed' } {
    const expected = Buffer.from(this.sign(callback.reference, callback.status), 'hex')
    const given = Buffer.from(/^[0-9a-f]{64}$/i.test(callback.signature) ? callback.signature : '00'.repeat(32), 'hex')
    if (!timingSafeEqual(expected, given)) throw new AppError('MC_ERR_PAYMENT_SIGNATURE')
    return { reference: callback.reference, status: callback.status }
  }
}

export interface PaymentView {
  paymentId: string
  reference: string
  provider: string
  providerLabel: string
  sandbox: boolean
  amountVnd: number
  status: 'pending' | 'paid' | 'failed'
  redirectUrl?: string
  /** True when a start answered the dossier's payment already open with this gateway. */
  reused?: boolean
}

export class PaymentService {
  private readonly relay: EngineCommandRelay

  constructor(
    private readonly knex: Knex,
    private readonly providers: Map<string, PaymentProvider>,
    relay: EngineCommandRelay,
    private readonly clock: () => Date = () => new Date(),
  ) {
    this.relay = relay
  }

  /** The applicant starts paying the fee of a dossier waiting for payment (status 6). */
  async start(
    principal: Principal | undefined,
    dossierId: string,
    providerName: string,
    returnUrl: string,
  ): Promise<PaymentView> {
    const caller = await requireAccess(this.knex, { principal, permission: 'dossier.readOwn' })
    const backTo = requireSafeReturnUrl(returnUrl, () => returnUrlRefused('body.returnUrl'))
    const provider = this.providers.get(providerName)
    if (!provider) throw new AppError('MC_ERR_VALIDATION', `No payment provider ${providerName}`)
    const dossiers = dossierRepository(this.knex)
    const dossier = await dossiers.byId(dossierId)
    if (!dossier || dossier.applicant_id !== caller.userId) {
      if (dossier) await dossiers.audit(caller.userId, 'access.denied', dossier.id, { pay: true })
      throw new AppError('MC_ERR_DOSSIER_NOT_FOUND')
    }
    if (dossier.status !== Status.waitingPayment) throw new AppError('MC_ERR_PAYMENT_NOT_DUE')
    const amountVnd = Number(dossier.payment_amount_vnd ?? 0)
    // One open payment per dossier and gateway: a retried start (its answer lost, a second tab, a double
    // click) is answered the same payment again, so the applicant can never be charged twice. The
    // dossier row is locked so two starts at once cannot both create one.
    const { row, reused } = await this.knex.transaction(async (trx) => {
      const locked = dossierRepository(trx)
      const payments = paymentRepository(trx)
      await locked.lock(dossier.id)
      const open = await payments.openPayment(dossier.id, provider.name, amountVnd)
      if (open) return { row: open, reused: true }
      const reference = `MC${Date.now().toString(36).toUpperCase()}${randomBytes(4).toString('hex').toUpperCase()}`
      const created = await payments.insertPending({
        dossierId: dossier.id,
        provider: provider.name,
        reference,
        amountVnd,
      })
      await locked.audit(caller.userId, 'payment.start', dossier.id, { reference, provider: provider.name, amountVnd })
      return { row: created, reused: false }
    })
    // Asked again for a reused payment: a gateway answers the same reference with the same payment.
    const { redirectUrl } = await provider.createPayment({
      reference: row.reference,
      amountVnd,
      description: `Phí hồ sơ ${dossier.code ?? dossier.id}`,
      returnUrl: backTo,
      payerId: caller.userId,
    })
    return {
      paymentId: row.id,
      reference: row.reference,
      provider: provider.name,
      providerLabel: provider.label,
      sandbox: provider.sandbox,
      amountVnd,
      status: 'pending',
      redirectUrl,
      ...(reused ? { reused } : {}),
    }
  }

  /**
   * The gateway's signed callback. A paid payment resumes the dossier in one transaction (timeline, audit,
   * the engine message through the relay); the same callback again changes nothing.
   */
  async confirm(
    providerName: string,
    callback: PaymentCallback,
    options: { payerId?: string } = {},
  ): Promise<PaymentView> {
    const provider = this.providers.get(providerName)
    if (!provider) throw new AppError('MC_ERR_NOT_FOUND', `No payment provider ${providerName}`)
    const verified = provider.verifyCallback(callback)
    const commandIds: string[] = []
    const payment = await this.knex.transaction(async (trx) => {
      const payments = paymentRepository(trx)
      const p = await payments.byReferenceForUpdate(verified.reference, provider.name)
      if (!p) throw new AppError('MC_ERR_NOT_FOUND', 'No such payment')
      // Confirmed by the payer's checkout (not the gateway's own callback): only the dossier's applicant may, and
      // anyone else finds no such payment.
      if (options.payerId !== undefined) {
        const owner = await dossierRepository(trx).byId(p.dossier_id)
        if (owner?.applicant_id !== options.payerId) throw new AppError('MC_ERR_NOT_FOUND', 'No such payment')
      }
      if (p.status !== 'pending') return p
      const now = this.clock()
      await payments.settle(p.id, verified.status, verified.status === 'paid' ? now : null)
      const repo = dossierRepository(trx)
      const dossier = await repo.lock(p.dossier_id)
      await repo.audit(null, verified.status === 'paid' ? 'payment.paid' : 'payment.failed', dossier.id, {
        reference: p.reference,
        provider: provider.name,
      })
      if (verified.status === 'paid' && dossier.status === Status.waitingPayment) {
        commandIds.push(...(await this.resumeAfterPayment(trx, dossier, now, p.reference)))
      }
      return { ...p, status: verified.status }
    })
    if (commandIds.length) await this.relay.runPending(commandIds).catch(() => undefined)
    return {
      paymentId: payment.id,
      reference: payment.reference,
      provider: provider.name,
      providerLabel: provider.label,
      sandbox: provider.sandbox,
      amountVnd: Number(payment.amount_vnd),
      status: payment.status,
    }
  }

  /** As DossierService.resume, but the proof is the gateway's signature rather than an officer. */
  private async resumeAfterPayment(
    trx: Knex.Transaction,
    dossier: DossierRow,
    now: Date,
    reference: string,
  ): Promise<string[]> {
    const repo = dossierRepository(trx)
    const ids: string[] = []
    await resumeDossier(trx, dossier, now, async (command) => ids.push(await repo.engineCommand(dossier.id, command)))
    await repo.timeline(dossier.id, { kind: 'paid', at: now, data: { reference } })
    return ids
  }
}

/** The 400 a return URL that could lead off the portal answers. */
export function returnUrlRefused(field: string): AppError {
  return new AppError('MC_ERR_VALIDATION', `${field}: must be a path on this portal`, {
    errors: [
      {
        field,
        message: 'phải là một trang của cổng này / must be a path on this portal (no other site, scheme or backslash)',
      },
    ],
  })
}
