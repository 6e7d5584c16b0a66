// dossier.request-payment: status 6 (financial obligation); asks the applicant to pay the fee by a date.
import { nextStatus } from '../domain/dossier/status.js'
import { calendarAround } from '../dossiers/deadlines.js'
import { instantAt, localDay } from '../domain/calendar/index.js'
import { mailApplicant, paymentUrl } from '../dossiers/notify.js'
import { handleDossierJob, type JobTypeWorker, type WorkerDeps } from './support.js'

export function requestPaymentWorker(deps: WorkerDeps): JobTypeWorker {
  return {
    handler: (job) =>
      handleDossierJob(deps, job, async ({ trx, dossier, repo, now }) => {
        const def = await repo.definitionOf(dossier)
        // Fees set locally (amount unknown here) count as 0 until the agency configures them.
        const amountVnd = def.fees.reduce((sum, f) => sum + (f.amountVnd ?? 0), 0)
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
          data: { amountVnd, paymentDueAt: paymentDueAt.toISOString() },
        })
        await repo.audit(null, 'dossier.paymentRequested', dossier.id, { amountVnd })
        // The amount is told only when every fee is known (a fee set by the provincial council may not be yet).
        const known = def.fees.every((f) => typeof f.amountVnd === 'number')
        const payUrl = paymentUrl(deps.portalUrl)
        await mailApplicant(trx, dossier, `payment:${job.key}`, (base) => ({
          name: 'payment-requested',
          data: {
            ...base,
            payBy: paymentDueAt,
            reason: def.fees.map((f) => f.name).join('; '),
            ...(known ? { amountVnd } : {}),
            ...(payUrl ? { payUrl } : {}),
          },
        }))
        return { paymentDueAt: paymentDueAt.toISOString(), amountVnd }
      }),
  }
}
