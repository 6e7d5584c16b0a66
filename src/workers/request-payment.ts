// dossier.request-payment: status 6 (financial obligation); asks the applicant to pay the fee by a date.
import { nextStatus } from '../domain/dossier/status.js'
import { feeBill, feeBillFromDecision, type FeeBill } from '../domain/fees/lines.js'
import { calendarAround } from '../dossiers/deadlines.js'
import { instantAt, localDay } from '../domain/calendar/index.js'
import { notifyApplicant, paymentUrl } from '../dossiers/notify.js'
import { handleDossierJob, type JobTypeWorker, type WorkerDeps } from './support.js'

export function requestPaymentWorker(deps: WorkerDeps): JobTypeWorker {
  return {
    handler: (job) =>
      handleDossierJob(deps, job, async ({ trx, dossier, repo, now }) => {
        // A procedure with a fee decision table computes the fee just before (the business rule task's result
        // variable `fee`); the others by the published static rules: fees set locally (amount unknown here) count as 0
        // until the agency configures them, online and per-copy amounts as the fee schedule sets them.
        // Postage (a fee tied to a result delivery) is the carrier's rate, not the fee schedule: it stays a static line
        // beside the decision's.
        const def = await repo.definitionOf(dossier)
        const facts = { channel: dossier.channel, formData: dossier.form_data, deliveryMethod: dossier.delivery_method }
        let bill: FeeBill
        if (job.variables['fee'] !== undefined) {
          const decided = feeBillFromDecision(job.variables['fee'])
          if (!decided.ok) throw new Error(decided.reason)
          const postage = feeBill(
            def.fees.filter((f) => f.delivery !== undefined),
            facts,
          )
          bill = {
            lines: [...decided.bill.lines, ...postage.lines],
            totalVnd: decided.bill.totalVnd + postage.totalVnd,
            known: postage.known,
          }
        } else bill = feeBill(def.fees, facts)
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
          data: {
            amountVnd,
            paymentDueAt: paymentDueAt.toISOString(),
            lines: bill.lines,
            ...(job.variables['fee'] !== undefined ? { source: 'decision' } : {}),
          },
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
