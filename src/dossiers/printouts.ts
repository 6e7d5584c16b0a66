// The printable forms of a dossier, for whoever may read it: the receipt with the appointment date (Mẫu 01), the
// supplement request (Mẫu 02), the refusal (Mẫu 03), the apology with the new date (Mẫu 04) and the process control
// sheet (Mẫu 05), and the fee receipt (biên lai thu phí, lệ phí) once a fee is paid — each once the dossier has reached
// the point it records.
import type { Knex } from 'knex'
import type { Principal } from '../auth/principal.js'
import { Status } from '../domain/dossier/status.js'
import { parseDuration } from '../domain/deadlines/index.js'
import { AppError } from '../errors.js'
import { issuerOf, renderPrintable, type PrintableData, type PrintableForm, type PrintAgency } from '../print/index.js'
import { amountInWords } from '../domain/fees/words.js'
import { paymentRepository } from './payment-repository.js'
import { dossierRepository } from './repository.js'
import { printoutRepository } from './printout-repository.js'
import { addressLine, atPointer, receivedDocuments } from './received-documents.js'
import type { DossierQueries } from './queries.js'

/** "05 ngày làm việc", as the receipt states the legal duration. */
function durationText(text: string): string {
  const d = parseDuration(text)
  const two = (n: number) => String(n).padStart(2, '0')
  switch (d.unit) {
    case 'WD':
      return `${two(d.days)} ngày làm việc`
    case 'WH':
      return `${two(d.hours)} giờ làm việc`
    case 'CD':
      return `${two(d.days)} ngày`
    case 'SAME_DAY':
      return 'Trong ngày'
  }
}

const deliveryText = {
  online: 'Trực tuyến (qua tài khoản trên Cổng dịch vụ công)',
  counter: 'Bộ phận Tiếp nhận và Trả kết quả',
  post: 'Qua dịch vụ bưu chính công ích',
} as const

/** How a fee was paid, as the receipt says it. */
const paymentMethodText: Record<string, string> = {
  vnpay: 'Thanh toán trực tuyến qua cổng VNPAY',
  vietqr: 'Chuyển khoản ngân hàng (VietQR)',
  sandbox: 'Thanh toán thử nghiệm (không thu tiền thật)',
}

export class DossierPrintouts {
  constructor(
    private readonly knex: Knex,
    private readonly queries: DossierQueries,
  ) {}

  /** The form filled from the dossier, as HTML or PDF; 409 before the dossier reached it. */
  async render(
    principal: Principal | undefined,
    dossierId: string,
    form: PrintableForm,
    format: 'html' | 'pdf',
  ): Promise<{ body: string | Buffer; dossierCode: string | null }> {
    const d = await this.queries.get(principal, dossierId)
    const supplementAsked = d.timeline.filter((e) => e.kind === 'supplement_requested').at(-1)
    const extended = d.timeline.filter((e) => e.kind === 'extended').at(-1)
    const reached: Record<PrintableForm, boolean> = {
      receipt: Boolean(d.code && d.acceptedAt),
      'control-sheet': Boolean(d.code && d.acceptedAt),
      'supplement-request': Boolean(supplementAsked),
      refusal: d.status === Status.refused && Boolean(d.closeReason),
      apology: Boolean(extended && d.acceptedAt),
      'fee-receipt': false,
    }
    const paid = (await paymentRepository(this.knex).paidPayments(d.id)).at(-1)
    reached['fee-receipt'] = Boolean(paid)
    if (!reached[form]) throw new AppError('MC_ERR_DOSSIER_STATE', `The dossier has no ${form} to print (not reached)`)
    const repo = printoutRepository(this.knex)
    // The letterhead: the receiving unit that issues the form, under the units above it (src/print/issuer.ts).
    const chain = await repo.chain(d.agency.unitId)
    const unit = chain.at(-1) ?? { name: d.agency.name }
    const definition = await dossierRepository(this.knex).definitionById(d.id)
    const userIds = [
      ...new Set(
        [...d.steps.flatMap((s) => [s.giver, s.receiverUser]), ...d.timeline.map((e) => e.actorId)].filter(
          (x): x is string => Boolean(x),
        ),
      ),
    ]
    const names = await repo.names(userIds)
    const received = form === 'receipt' ? await repo.received(d.id) : []
    const agency: PrintAgency = issuerOf(
      chain.map((u) => ({ name: u.name, level: u.level, divisionName: u.division_name })),
    )
    // The applicant's address as the form holds it (the definition names where: form x-ui applicantAddress).
    const pointer = definition.form['x-ui']?.applicantAddress
    const address = pointer ? addressLine(atPointer(d.formData, pointer)) : undefined
    const common = {
      // A supplement asked or a refusal at the counter comes before the code: the form says it has none yet and
      // when it was submitted (the internal id means nothing to the applicant).
      dossierCode: d.code,
      submittedAt: d.submittedAt,
      agency,
      applicant: {
        name: d.applicant.name,
        ...(address ? { address } : {}),
        ...(d.applicant.phone ? { phone: d.applicant.phone } : {}),
        ...(d.applicant.email ? { email: d.applicant.email } : {}),
      },
      procedure: { code: d.procedure.code, name: d.procedure.name },
    }
    const receiver = d.steps.find((s) => s.stepId === 'Task_Receive')?.receiverUser
    // Who signs a decision form: the officer who held the step it was taken at.
    const handler = (s: (typeof d.steps)[number] | undefined) => ({
      name: (s?.receiverUser && names.get(s.receiverUser)) ?? '',
    })
    const lastStep = d.steps.at(-1)
    const data: { [F in PrintableForm]: () => PrintableData[F] } = {
      receipt: () => ({
        ...common,
        components: receivedDocuments(definition.components, received),
        durationText: durationText(definition.duration),
        acceptedAt: d.acceptedAt!,
        appointmentAt: d.dueAt ?? d.acceptedAt!,
        resultDelivery: deliveryText[d.deliveryMethod],
        // Received for another unit: the receipt names the competent agency, whose appointment date it gives.
        ...(d.competentAgency ? { competentAgency: d.competentAgency.name } : {}),
        officer: { name: (receiver && names.get(receiver)) ?? '' },
      }),
      'supplement-request': () => {
        const asked = (supplementAsked?.data ?? {}) as { missing?: string[]; note?: string | null }
        return {
          ...common,
          issuedAt: supplementAsked!.at,
          // The officer names components (by id) or writes free text: ids are printed as the components' names.
          requests: (asked.missing?.length ? asked.missing : d.supplement.missing).map(
            (m) => definition.components.find((c) => c.id === m)?.name ?? m,
          ),
          reason: asked.note ?? d.supplement.note ?? 'Hồ sơ chưa đầy đủ, hợp lệ theo quy định',
          contact: { name: `${unit.name} — Bộ phận Tiếp nhận và Trả kết quả` },
          officer: handler(d.steps.filter((s) => new Date(s.receivedAt) <= new Date(supplementAsked!.at)).at(-1)),
        }
      },
      refusal: () => ({ ...common, reasons: [d.closeReason!], officer: handler(lastStep) }),
      'fee-receipt': () => {
        // The lines the fee was asked with (src/workers/request-payment.ts); one line when an officer asked an amount.
        const asked = d.timeline.filter((e) => e.kind === 'payment_requested').at(-1)?.data as
          { lines?: Array<{ name: string; quantity: number; unitVnd: number; amountVnd: number }> } | undefined
        const totalVnd = Number(paid!.amount_vnd)
        const lines = asked?.lines?.length
          ? asked.lines
          : [{ name: 'Phí, lệ phí giải quyết thủ tục hành chính', quantity: 1, unitVnd: totalVnd, amountVnd: totalVnd }]
        return {
          ...common,
          lines,
          totalVnd,
          totalInWords: amountInWords(totalVnd),
          paidAt: paid!.paid_at!,
          method: paymentMethodText[paid!.provider] ?? paid!.provider,
          reference: paid!.reference,
          ...(paid!.gateway_transaction ? { transaction: paid!.gateway_transaction } : {}),
        }
      },
      apology: () => {
        const x = extended!.data as { originalDueDate?: string; newDueDate?: string; reason?: string }
        return {
          ...common,
          issuedAt: extended!.at,
          acceptedAt: d.acceptedAt!,
          originalAppointmentAt: x.originalDueDate ?? d.originalDueDate ?? d.dueDate!,
          newAppointmentAt: x.newDueDate ?? d.dueDate!,
          reason: x.reason ?? d.extension?.reason ?? '',
          signer: { name: (extended!.actorId && names.get(extended!.actorId)) ?? '' },
        }
      },
      'control-sheet': () => {
        // A liên thông dossier crosses agencies: each step names the agency that handled it (the route's, by step), and
        // the agencies other than the receiving one are the coordinating bodies.
        const agencyOf = (n: number) => d.route[n]?.agency?.name ?? unit.name
        const coordinating = [
          ...new Set(
            d.route
              .map((r) => r.agency)
              .filter((a): a is NonNullable<typeof a> => Boolean(a) && a!.unitId !== d.agency.unitId)
              .map((a) => a.name),
          ),
        ]
        const person = (n: number) => {
          const s = d.steps[n]!
          const who = (s.receiverUser && names.get(s.receiverUser)) ?? s.receiverRole ?? s.stepName
          return `${who} (${agencyOf(n)})`
        }
        return {
          ...common,
          resolvingUnit: unit.name,
          ...(coordinating.length ? { coordinatingUnits: coordinating } : {}),
          handoffs: d.steps.map((s, n) => ({
            from: `${(s.giver && names.get(s.giver)) ?? 'Bộ phận Tiếp nhận và Trả kết quả'} (${n === 0 ? unit.name : agencyOf(n - 1)})`,
            to: person(n),
            at: s.receivedAt,
            ...(s.result ? { result: s.result } : {}),
            note: s.outcome === 'returned' ? `${s.stepName} — trả lại bước trước: ${s.returnReason ?? ''}` : s.stepName,
          })),
        }
      },
    }
    const body = await renderPrintable(form, data[form]() as PrintableData[typeof form], format)
    return { body, dossierCode: d.code }
  }
}
