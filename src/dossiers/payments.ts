// Paying a dossier's fee: the PaymentProvider port a real gateway implements (create → redirect; signed callback),
// the sandbox provider that takes no real money, and the service that records the payment and lets the process go on.
import { Status } from '../domain/dossier/status.js'
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto'
import type { Knex } from 'knex'
import { coversUnit, requireAccess } from '../auth/access.js'
import type { Principal } from '../auth/principal.js'
import { AppError } from '../errors.js'
import { requireSafeReturnUrl } from '../lib/safe-return-url.js'
import { resumeDossier } from './commands.js'
import { requireUnit } from './commands/access.js'
import { paymentRepository, type ListPosition, type PaymentRow, type RefundRow } from './payment-repository.js'
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
  /** The payer's IP address, which VNPAY asks for (vnp_IpAddr). */
  payerAddress?: string
  /** When the gateway stops taking this payment (its payment window). */
  expiresAt?: Date
}

/** A bank transfer to make: the account, the amount, the content that names the payment, and its VietQR payload. */
export interface TransferInstructions {
  bankBin: string
  bankName: string
  accountNumber: string
  accountName: string
  amountVnd: number
  content: string
  /** The NAPAS VietQR (EMVCo) payload; the QR image encodes exactly this text. */
  qrPayload: string
  /** The QR code of the payload, a PNG data URL, for a banking app to scan. */
  qrImage: string
}

/** The parameters of a gateway's callback or notification, as received (query or form fields). */
export type PaymentCallback = Record<string, string>

/** What an authentic callback says: the payment it names, its outcome and, when the gateway tells it, the amount. */
export interface GatewayNotification {
  reference: string
  status: 'paid' | 'failed'
  amountVnd?: number
  gatewayTransaction?: string
}

/**
 * What a payment gateway must offer: a redirect to pay (or transfer instructions), and a callback whose signature
 * proves it came from the gateway.
 */
export interface PaymentProvider {
  readonly name: string
  /** Shown to payers; a sandbox says plainly that no real money moves. */
  readonly label: string
  readonly sandbox: boolean
  /** Minutes the payer has to pay; unset: no window. */
  readonly expireMinutes?: number
  createPayment(input: CreatePaymentInput): Promise<{ redirectUrl?: string; transfer?: TransferInstructions }>
  /** Throws MC_ERR_PAYMENT_SIGNATURE unless the callback is authentic. */
  verifyCallback(callback: PaymentCallback): GatewayNotification
}

/** How long a sandbox checkout page may confirm its payment. */
export const checkoutTokenSeconds = 30 * 60

/** The sandbox gateway: the redirect leads to a confirmation step; callbacks are HMAC-signed with its own secret. */
export class SandboxPaymentProvider implements PaymentProvider {
  readonly name = 'sandbox'
  readonly label = 'SANDBOX — không thu tiền thật / no real money'
  readonly sandbox = true
  constructor(private readonly secret: string) {}

  async createPayment(input: CreatePaymentInput): Promise<{ redirectUrl: string }> {
    const query = new URLSearchParams({
      reference: input.reference,
      amountVnd: String(input.amountVnd),
      returnUrl: input.returnUrl,
      checkoutToken: this.checkoutToken(input.reference, input.payerId, new Date()),
    })
    return { redirectUrl: `/api/payments/sandbox/checkout?${query}` }
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

  verifyCallback(callback: PaymentCallback): GatewayNotification {
    const { reference = '', status, signature = '' } = callback
    if (status !== 'paid' && status !== 'failed') throw new AppError('MC_ERR_PAYMENT_SIGNATURE')
    const expected = Buffer.from(this.sign(reference, status), 'hex')
    const given = Buffer.from(/^[0-9a-f]{64}$/i.test(signature) ? signature : '00'.repeat(32), 'hex')
    if (!timingSafeEqual(expected, given)) throw new AppError('MC_ERR_PAYMENT_SIGNATURE')
    return { reference, status }
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
  /** A bank transfer to make (VietQR): the account, the content naming this payment, the QR payload. */
  transfer?: TransferInstructions
  /** When the gateway stops taking this payment. */
  expiresAt?: string
  /** True when a start answered the dossier's payment already open with this gateway. */
  reused?: boolean
}

/** What a gateway notification (IPN) was answered; the gateway's own codes are the provider's business. */
export type NotificationOutcome =
  'confirmed' | 'already-confirmed' | 'not-found' | 'wrong-amount' | 'bad-signature' | 'error'

/**
 * Which refund rule motcua applies: a fee paid for a dossier the agency refuses (or paid after the dossier was
 * closed) is owed back, the state providing no service for it. docs/payments.md ("Refunds") cites the rule.
 */
export const refundRule = {
  refused: 'refused-after-payment',
  closedBeforePayment: 'paid-after-close',
} as const

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

  /** The gateways offered to payers, by name. */
  offered(): Array<{ name: string; label: string; sandbox: boolean }> {
    return [...this.providers.values()].map((p) => ({ name: p.name, label: p.label, sandbox: p.sandbox }))
  }

  private provider(name: string, code: 'MC_ERR_VALIDATION' | 'MC_ERR_NOT_FOUND'): PaymentProvider {
    const provider = this.providers.get(name)
    if (!provider) throw new AppError(code, `No payment provider ${name}`)
    return provider
  }

  /** The applicant starts paying the fee of a dossier waiting for payment (status 6). */
  async start(
    principal: Principal | undefined,
    dossierId: string,
    providerName: string,
    returnUrl: string,
    options: { payerAddress?: string } = {},
  ): Promise<PaymentView> {
    const caller = await requireAccess(this.knex, { principal, permission: 'dossier.readOwn' })
    const backTo = requireSafeReturnUrl(returnUrl, () => returnUrlRefused('body.returnUrl'))
    const provider = this.provider(providerName, 'MC_ERR_VALIDATION')
    const dossiers = dossierRepository(this.knex)
    const dossier = await dossiers.byId(dossierId)
    if (!dossier || dossier.applicant_id !== caller.userId) {
      if (dossier) await dossiers.audit(caller.userId, 'access.denied', dossier.id, { pay: true })
      throw new AppError('MC_ERR_DOSSIER_NOT_FOUND')
    }
    if (dossier.status !== Status.waitingPayment) throw new AppError('MC_ERR_PAYMENT_NOT_DUE')
    const amountVnd = Number(dossier.payment_amount_vnd ?? 0)
    const now = this.clock()
    // One open payment per dossier and gateway: a retried start (its answer lost, a second tab, a double
    // click) is answered the same payment again, so the applicant can never be charged twice. The
    // dossier row is locked so two starts at once cannot both create one. A payment whose window closed is not
    // reused: the gateway would refuse it.
    const { row, reused } = await this.knex.transaction(async (trx) => {
      const locked = dossierRepository(trx)
      const payments = paymentRepository(trx)
      await locked.lock(dossier.id)
      const open = await payments.openPayment(dossier.id, provider.name, amountVnd, now)
      if (open) return { row: open, reused: true }
      const reference = `MC${now.getTime().toString(36).toUpperCase()}${randomBytes(4).toString('hex').toUpperCase()}`
      const created = await payments.insertPending({
        dossierId: dossier.id,
        provider: provider.name,
        reference,
        amountVnd,
        expiresAt: provider.expireMinutes ? new Date(now.getTime() + provider.expireMinutes * 60_000) : null,
        returnPath: backTo,
      })
      await locked.audit(caller.userId, 'payment.start', dossier.id, { reference, provider: provider.name, amountVnd })
      return { row: created, reused: false }
    })
    // Asked again for a reused payment: a gateway answers the same reference with the same payment.
    const { redirectUrl, transfer } = await provider.createPayment({
      reference: row.reference,
      amountVnd,
      description: `Phí hồ sơ ${dossier.code ?? dossier.id} ${row.reference}`,
      returnUrl: backTo,
      payerId: caller.userId,
      ...(options.payerAddress ? { payerAddress: options.payerAddress } : {}),
      ...(row.expires_at ? { expiresAt: row.expires_at } : {}),
    })
    return {
      paymentId: row.id,
      reference: row.reference,
      provider: provider.name,
      providerLabel: provider.label,
      sandbox: provider.sandbox,
      amountVnd,
      status: 'pending',
      ...(redirectUrl ? { redirectUrl } : {}),
      ...(transfer ? { transfer } : {}),
      ...(row.expires_at ? { expiresAt: row.expires_at.toISOString() } : {}),
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
    const provider = this.provider(providerName, 'MC_ERR_NOT_FOUND')
    const verified = provider.verifyCallback(callback)
    const { payment } = await this.settle(provider, verified, async (trx, p) => {
      // Confirmed by the payer's checkout (not the gateway's own callback): only the dossier's applicant may, and
      // anyone else finds no such payment.
      if (options.payerId !== undefined) {
        const owner = await dossierRepository(trx).byId(p.dossier_id)
        if (owner?.applicant_id !== options.payerId) throw new AppError('MC_ERR_NOT_FOUND', 'No such payment')
      }
    })
    return this.view(provider, payment)
  }

  /**
   * A gateway's server-to-server notification (VNPAY's IPN), the source of truth: checked for its signature, the
   * payment it names and its amount; a repeated one changes nothing. Every notification is recorded with its outcome,
   * and a refused one is audited. Never throws: the gateway is answered an outcome.
   */
  async notify(providerName: string, params: PaymentCallback): Promise<NotificationOutcome> {
    const provider = this.provider(providerName, 'MC_ERR_NOT_FOUND')
    let verified: GatewayNotification
    try {
      verified = provider.verifyCallback(params)
    } catch {
      await this.refuseNotification(provider.name, params, 'bad-signature')
      return 'bad-signature'
    }
    try {
      const { outcome } = await this.settle(provider, verified, async () => undefined, params)
      return outcome
    } catch (err) {
      if (err instanceof AppError && err.code === 'MC_ERR_NOT_FOUND') {
        await this.refuseNotification(provider.name, params, 'not-found')
        return 'not-found'
      }
      throw err
    }
  }

  /**
   * Where the payer lands back from a gateway: the signature is checked, nothing changes (the notification decides),
   * and the payer goes to the portal page they came from with the payment's status as recorded.
   */
  async returnFromGateway(providerName: string, params: PaymentCallback): Promise<string> {
    const provider = this.provider(providerName, 'MC_ERR_NOT_FOUND')
    const verified = provider.verifyCallback(params)
    const p = await paymentRepository(this.knex).byReference(verified.reference, provider.name)
    if (!p) throw new AppError('MC_ERR_NOT_FOUND', 'No such payment')
    const back = p.return_path ?? '/ho-so'
    return `${back}${back.includes('?') ? '&' : '?'}payment=${encodeURIComponent(p.reference)}&status=${p.status}`
  }

  /** A finance officer of the dossier's agency confirms a bank transfer they see on the account. */
  async confirmTransfer(
    principal: Principal | undefined,
    reference: string,
    input: { amountVnd: number; bankTransaction?: string },
  ): Promise<PaymentView> {
    const provider = this.provider('vietqr', 'MC_ERR_NOT_FOUND')
    const p = await paymentRepository(this.knex).byReference(reference, provider.name)
    if (!p) throw new AppError('MC_ERR_NOT_FOUND', 'No such payment')
    const caller = await requireUnit(this.knex, principal, p.dossier_id, 'task.work')
    if (Number(p.amount_vnd) !== input.amountVnd) throw new AppError('MC_ERR_PAYMENT_AMOUNT')
    const { payment } = await this.settle(
      provider,
      {
        reference,
        status: 'paid',
        amountVnd: input.amountVnd,
        ...(input.bankTransaction ? { gatewayTransaction: input.bankTransaction } : {}),
      },
      async () => undefined,
      undefined,
      caller.userId,
    )
    return this.view(provider, payment)
  }

  /**
   * The finance officer's bank statement: each credit line whose content names a pending VietQR payment of a dossier
   * of their agency, for exactly its amount, confirms it; every other line is reported, with why.
   */
  async importStatement(principal: Principal | undefined, lines: StatementLine[]): Promise<StatementReport> {
    const caller = await this.requireStatementImporter(principal)
    const provider = this.provider('vietqr', 'MC_ERR_NOT_FOUND')
    const byLine = lines.map((line) => ({ line, reference: referenceIn(line.content) }))
    const known = new Map(
      (
        await paymentRepository(this.knex).byReferences(
          [...new Set(byLine.flatMap((l) => (l.reference ? [l.reference] : [])))],
          provider.name,
        )
      ).map((p) => [p.reference, p]),
    )
    const units = new Map<string, string>()
    const codes = new Map<string, string | null>()
    for (const p of known.values()) {
      const d = await dossierRepository(this.knex).byId(p.dossier_id)
      if (d) units.set(p.dossier_id, d.unit_path)
      if (d) codes.set(p.dossier_id, d.code)
    }
    const report: StatementReport = { matched: [], unmatched: [] }
    const seen = new Set<string>()
    for (const { line, reference } of byLine) {
      const p = reference ? known.get(reference) : undefined
      const why: UnmatchedReason | undefined = !reference
        ? 'no-reference'
        : !p || !coversUnit(caller, units.get(p.dossier_id) ?? '')
          ? 'unknown-reference'
          : Number(p.amount_vnd) !== line.amountVnd
            ? 'wrong-amount'
            : p.status === 'paid' || seen.has(p.reference)
              ? 'already-paid'
              : undefined
      if (why || !p) {
        report.unmatched.push({ ...line, ...(reference ? { reference } : {}), reason: why ?? 'unknown-reference' })
        continue
      }
      seen.add(p.reference)
      const { outcome } = await this.settle(
        provider,
        {
          reference: p.reference,
          status: 'paid',
          amountVnd: line.amountVnd,
          ...(line.transaction ? { gatewayTransaction: line.transaction } : {}),
        },
        async () => undefined,
        undefined,
        caller.userId,
      )
      if (outcome === 'confirmed')
        report.matched.push({
          ...line,
          reference: p.reference,
          dossierId: p.dossier_id,
          dossierCode: codes.get(p.dossier_id) ?? null,
        })
      else report.unmatched.push({ ...line, reference: p.reference, reason: 'already-paid' })
    }
    return report
  }

  /**
   * The VietQR transfers still awaited on the dossiers of the officer's unit and the units below it, oldest first, a
   * page at a time (`cursor`: where the previous page ended): what a finance officer looks for on the account. Nothing
   * when VietQR is not offered.
   */
  async pendingTransfers(
    principal: Principal | undefined,
    page: { limit?: number; cursor?: string } = {},
  ): Promise<{ items: PendingTransfer[]; nextCursor: string | null }> {
    const caller = await this.requireStatementImporter(principal)
    const after = page.cursor ? decodeListCursor(page.cursor, referencePattern) : undefined
    const limit = page.limit ?? pendingTransfersShown
    if (!caller.unitPath || !this.providers.has('vietqr')) return { items: [], nextCursor: null }
    const rows = await paymentRepository(this.knex).pendingInSubtree('vietqr', caller.unitPath, limit + 1, after)
    const shown = rows.slice(0, limit)
    const last = shown.at(-1)
    return {
      items: shown.map((r) => ({
        reference: r.reference,
        amountVnd: Number(r.amount_vnd),
        since: new Date(r.created_at).toISOString(),
        ...(r.expires_at ? { expiresAt: new Date(r.expires_at).toISOString() } : {}),
        dossierId: r.dossier_id,
        dossierCode: r.code,
        applicantName: r.applicant_name,
        procedureName: r.procedure_name,
        dossierStatus: Number(r.status),
      })),
      nextCursor: rows.length > limit && last ? encodeListCursor(last.cursor_at, last.reference) : null,
    }
  }

  /**
   * The refunds owed (`due`) or paid back (`paid`) on the dossiers of the officer's unit subtree, oldest recorded
   * first, a page at a time.
   */
  async refunds(
    principal: Principal | undefined,
    query: { status: 'due' | 'paid'; limit?: number; cursor?: string },
  ): Promise<{ items: RefundView[]; nextCursor: string | null }> {
    const caller = await this.requireStatementImporter(principal)
    const after = query.cursor ? decodeListCursor(query.cursor, uuidPattern) : undefined
    const limit = query.limit ?? 50
    if (!caller.unitPath) return { items: [], nextCursor: null }
    const rows = await paymentRepository(this.knex).refundsInSubtree(caller.unitPath, query.status, limit + 1, after)
    const shown = rows.slice(0, limit)
    const last = shown.at(-1)
    return {
      items: shown.map((r) => ({
        ...refundView(r),
        paymentReference: r.payment_reference,
        provider: r.provider,
        dossierCode: r.code,
        applicantName: r.applicant_name,
        procedureName: r.procedure_name,
      })),
      nextCursor: rows.length > limit && last ? encodeListCursor(last.cursor_at, last.id) : null,
    }
  }

  /**
   * The finance officer records that a refund owed was paid back (by transfer or in cash, on a date, with the bank's
   * or the cash voucher's number): once, in one transaction with its timeline entry `refund_paid` and audit event.
   * Asked again with the same facts it answers the refund as recorded (a retried request); with other facts, 409.
   */
  async markRefundPaid(
    principal: Principal | undefined,
    refundId: string,
    input: { method: 'transfer' | 'cash'; reference?: string; paidOn: string },
  ): Promise<RefundView> {
    const found = await paymentRepository(this.knex).refundById(refundId)
    if (!found) {
      await requireAccess(this.knex, { principal, permission: 'task.work' })
      throw new AppError('MC_ERR_NOT_FOUND', 'No such refund')
    }
    const caller = await requireUnit(this.knex, principal, found.dossier_id, 'task.work')
    const now = this.clock()
    if (input.paidOn > localDate(now) || input.paidOn < localDate(new Date(found.recorded_at)))
      throw new AppError('MC_ERR_VALIDATION', 'paidOn must be between the day the refund was recorded and today', {
        errors: [{ path: '/paidOn', message: 'Ngày chi trả phải từ ngày ghi nhận khoản hoàn trả đến hôm nay' }],
      })
    return this.knex.transaction(async (trx) => {
      const payments = paymentRepository(trx)
      const refund = (await payments.refundForUpdate(refundId))!
      const reference = input.reference ?? null
      if (refund.status === 'paid') {
        const same =
          refund.paid_method === input.method &&
          refund.paid_reference === reference &&
          dateOnly(refund.paid_on) === input.paidOn
        if (!same) throw new AppError('MC_ERR_REFUND_ALREADY_PAID')
        return refundView(refund)
      }
      await payments.markRefundPaid(refund.id, {
        method: input.method,
        reference,
        paidOn: input.paidOn,
        by: caller.userId,
        at: now,
      })
      const repo = dossierRepository(trx)
      const payment = await trx('payments').where({ id: refund.payment_id }).first('reference')
      const data = {
        reference: (payment as { reference: string }).reference,
        amountVnd: Number(refund.amount_vnd),
        method: input.method,
        paidReference: reference,
        paidOn: input.paidOn,
      }
      await repo.timeline(refund.dossier_id, { kind: 'refund_paid', at: now, actor_id: caller.userId, data })
      await repo.audit(caller.userId, 'payment.refundPaid', refund.dossier_id, { refundId: refund.id, ...data })
      return refundView((await payments.refundById(refund.id))!)
    })
  }

  /** An officer who may confirm transfers (of the dossiers of their own units). */
  requireStatementImporter(principal: Principal | undefined): Promise<Principal> {
    return requireAccess(this.knex, { principal, permission: 'task.work' })
  }

  /**
   * Records a notification or confirmation on the payment it names, once: locked, checked for its amount, then paid
   * (the dossier resumes when it still waits) or failed. Runs the engine command after commit.
   */
  private async settle(
    provider: PaymentProvider,
    verified: GatewayNotification,
    check: (trx: Knex.Transaction, p: PaymentRow) => Promise<void>,
    notification?: PaymentCallback,
    confirmedBy?: string,
  ): Promise<{ payment: PaymentRow; outcome: NotificationOutcome }> {
    const commandIds: string[] = []
    const result = await this.knex.transaction(async (trx) => {
      const payments = paymentRepository(trx)
      const p = await payments.byReferenceForUpdate(verified.reference, provider.name)
      if (!p) throw new AppError('MC_ERR_NOT_FOUND', 'No such payment')
      await check(trx, p)
      const repo = dossierRepository(trx)
      const record = async (outcome: NotificationOutcome) => {
        if (notification)
          await payments.recordNotification({
            provider: provider.name,
            reference: p.reference,
            outcome,
            params: notification,
          })
        if (outcome === 'wrong-amount')
          await repo.audit(null, 'payment.notificationRefused', p.dossier_id, {
            reference: p.reference,
            provider: provider.name,
            outcome,
          })
        return { payment: p, outcome }
      }
      if (verified.amountVnd !== undefined && verified.amountVnd !== Number(p.amount_vnd)) return record('wrong-amount')
      if (p.status !== 'pending') return record('already-confirmed')
      const now = this.clock()
      const paid = verified.status === 'paid'
      await payments.settle(p.id, {
        status: verified.status,
        paidAt: paid ? now : null,
        gatewayTransaction: verified.gatewayTransaction,
        confirmedBy,
      })
      const dossier = await repo.lock(p.dossier_id)
      await repo.audit(confirmedBy ?? null, paid ? 'payment.paid' : 'payment.failed', dossier.id, {
        reference: p.reference,
        provider: provider.name,
        ...(verified.gatewayTransaction ? { transaction: verified.gatewayTransaction } : {}),
      })
      if (paid && dossier.status === Status.waitingPayment)
        commandIds.push(...(await this.resumeAfterPayment(trx, dossier, now, p.reference)))
      else if (paid) {
        // The money came after the dossier stopped waiting for it (closed when the payment period ran out): owed back.
        await recordRefunds(trx, dossier.id, refundRule.closedBeforePayment, now)
      }
      const settled = await record('confirmed')
      return { ...settled, payment: { ...p, status: verified.status } }
    })
    if (commandIds.length) await this.relay.runPending(commandIds).catch(() => undefined)
    return result
  }

  /** An unknown or tampered notification: recorded and audited, nothing else changes. */
  private async refuseNotification(
    provider: string,
    params: PaymentCallback,
    outcome: NotificationOutcome,
  ): Promise<void> {
    const reference = typeof params['vnp_TxnRef'] === 'string' ? params['vnp_TxnRef'].slice(0, 100) : null
    await this.knex.transaction(async (trx) => {
      await paymentRepository(trx).recordNotification({ provider, reference, outcome, params })
      await trx('audit_events').insert({
        action: 'payment.notificationRefused',
        subject_type: 'payment',
        subject_id: reference ?? '-',
        data: JSON.stringify({ provider, outcome }),
      })
    })
  }

  private view(provider: PaymentProvider, payment: PaymentRow): PaymentView {
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

/**
 * The refunds a closing dossier owes: one per paid payment not refunded yet, with its timeline entry and audit event.
 * Called in the transaction that refuses the dossier (src/workers/close.ts).
 */
export async function recordRefunds(trx: Knex.Transaction, dossierId: string, rule: string, now: Date): Promise<void> {
  const payments = paymentRepository(trx)
  const repo = dossierRepository(trx)
  for (const p of await payments.paidPayments(dossierId)) {
    const amountVnd = Number(p.amount_vnd)
    if (!(await payments.insertRefund({ paymentId: p.id, dossierId, amountVnd, rule }))) continue
    await repo.timeline(dossierId, { kind: 'refund_due', at: now, data: { reference: p.reference, amountVnd, rule } })
    await repo.audit(null, 'payment.refundDue', dossierId, { reference: p.reference, amountVnd, rule })
  }
}

/** The open transfers listed on one page when the caller does not say (oldest first; "show more" asks the next). */
export const pendingTransfersShown = 50

/** A refund owed on a paid fee, and how it was paid back once it was. */
export interface RefundView {
  id: string
  dossierId: string
  amountVnd: number
  rule: string
  status: 'due' | 'paid'
  recordedAt: string
  paid?: { method: 'transfer' | 'cash'; reference: string | null; paidOn: string; recordedAt: string }
  paymentReference?: string
  provider?: string
  dossierCode?: string | null
  applicantName?: string
  procedureName?: string
}

const dateOnly = (d: string | Date | null): string | null =>
  d === null ? null : typeof d === 'string' ? d.slice(0, 10) : localDate(d)

/** The calendar day (Asia/Ho_Chi_Minh) of an instant, as YYYY-MM-DD. */
function localDate(at: Date): string {
  return new Date(at.getTime() + 7 * 3_600_000).toISOString().slice(0, 10)
}

function refundView(r: RefundRow): RefundView {
  return {
    id: r.id,
    dossierId: r.dossier_id,
    amountVnd: Number(r.amount_vnd),
    rule: r.rule,
    status: r.status,
    recordedAt: new Date(r.recorded_at).toISOString(),
    ...(r.status === 'paid' && r.paid_method && r.paid_on
      ? {
          paid: {
            method: r.paid_method,
            reference: r.paid_reference,
            paidOn: dateOnly(r.paid_on)!,
            recordedAt: new Date(r.paid_recorded_at ?? r.recorded_at).toISOString(),
          },
        }
      : {}),
  }
}

const referencePattern = /^[A-Z0-9]{6,40}$/
const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/

/** A list cursor: where the previous page ended, (instant to the microsecond, id), opaque to the client. */
function encodeListCursor(at: string, id: string): string {
  return Buffer.from(JSON.stringify([at, id])).toString('base64url')
}

/** Only what encodeListCursor writes passes, so nothing a client made up reaches PostgreSQL. */
function decodeListCursor(cursor: string, idPattern: RegExp): ListPosition {
  try {
    const v = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown
    if (
      Array.isArray(v) &&
      v.length === 2 &&
      typeof v[0] === 'string' &&
      typeof v[1] === 'string' &&
      /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/.test(v[0]) &&
      v[0] >= '1970' &&
      Number.isFinite(Date.parse(v[0])) &&
      idPattern.test(v[1])
    )
      return { at: v[0], id: v[1] }
  } catch {
    // falls through
  }
  throw new AppError('MC_ERR_VALIDATION', 'bad cursor', { errors: [{ path: '/cursor', message: 'bad cursor' }] })
}

/** An open VietQR transfer awaiting the finance officer's confirmation. */
export interface PendingTransfer {
  /** The transfer content the applicant was asked to write (the payment reference). */
  reference: string
  amountVnd: number
  /** When the applicant chose to pay by transfer. */
  since: string
  expiresAt?: string
  dossierId: string
  dossierCode: string | null
  applicantName: string
  procedureName: string
  dossierStatus: number
}

/** One credit line of a bank statement. */
export interface StatementLine {
  /** The line's number in the file (1 = the first line after the header). */
  line: number
  amountVnd: number
  content: string
  transaction?: string
  date?: string
}

export type UnmatchedReason = 'no-reference' | 'unknown-reference' | 'wrong-amount' | 'already-paid'

export interface StatementReport {
  matched: Array<StatementLine & { reference: string; dossierId: string; dossierCode: string | null }>
  unmatched: Array<StatementLine & { reference?: string; reason: UnmatchedReason }>
}

/** The payment reference a transfer's content carries (banks may add text around it, or drop its case). */
export function referenceIn(content: string): string | undefined {
  return /\bMC[0-9A-Z]{10,24}\b/.exec(content.toUpperCase())?.[0]
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
