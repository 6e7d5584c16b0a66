// dossier.request-payment: status 6 (financial obligation); asks the applicant to pay the fee by a date.
import { nextStatus } from '../domain/dossier/status.js'
import { feeBill } from '../domain/fees/lines.js'
import { calendarAround } from '../dossiers/deadlines.js'
import { instantAt, localDay } from '../domain/calendar/index.js'
import { notifyApplicant, paymentUrl } from '../dossiers/notify.js'
import { handleDossierJob, type JobTypeWorker, type WorkerDeps } from './support.js'

export function requestPaymentWorker(deps: WorkerDeps): JobTypeWorker {
  return {
    handler: (job) =>
      handleDossierJob(deps, job, async ({ trx, dossier, repo, now }) => {
        const def = await repo.definitionOf(dossier)
        // Fees set locally (amount unknown here) count as 0 until the agency configures them; online and per-copy
        // amounts as the fee schedule sets them.
        const bill = feeBill(def.fees, {
          channel: dossier.channel,
          formData: dossier.form_data,
          deliveryMethod: dossier.delivery_method,
        })
        const amountVnd = bill.totalVnd
        const calendar = await calendarAround(trx, now)
        const paymentDueAt = new Date(
          instantAt(calendar.addWorkingDays(localDay(now.getTime()), deps.paymentWorkingDays ?? 5) + 1, 0) - 1000,
        )
        await repo.update(dossier.id, {
          status: nextStatus('askForPayment', dossier.status),
          paused: true,
          paused_since: now,
          payment_amount_vnd: amountVnd,
        })
        await repo.timeline(dossier.id, {
          kind: 'payment_requested',
          at: now,
          data: { amountVnd, paymentDueAt: paymentDueAt.toISOString(), lines: bill.lines },
        })
        await repo.audit(null, 'dossier.paymentRequested', dossier.id, { amountVnd })
        // The amount is told only when every fee is known (a fee set by the provincial council may not be yet).
        const known = bill.known
        const payUrl = paymentUrl(deps.portalUrl)
        await notifyApplicant(
          trx,
          dossier,
          `payment:${job.key}`,
          (base) => ({
            name: 'payment-requested',
            data: {
              ...base,
              payBy: paymentDueAt,
              reason: bill.lines.map((l) => l.name).join('; '),
              ...(known ? { amountVnd } : {}),
              ...(payUrl ? { payUrl } : {}),
            },
          }),
          deps.portalUrl,
        )
        return { paymentDueAt: paymentDueAt.toISOString(), amountVnd }
      }),
  }
}
