// dossier.close: the final status (10 returned, 3 refused, 8 stopped), its audit event and the applicant's
// notification.
import { notifyApplicant } from '../dossiers/notify.js'
import { recordRefunds, refundRule } from '../dossiers/payments.js'
import { isFinal, nextStatus, Status, type DossierJobStep } from '../domain/dossier/status.js'
import { handleDossierJob, type JobTypeWorker, type WorkerDeps } from './support.js'

/** The close job's `outcome` header → the step of the status machine; anything else stops the dossier. */
const closeStep: Record<string, DossierJobStep> = {
  returned: 'closeReturned',
  refused: 'closeRefused',
  'refused-at-reception': 'closeRefused',
  stopped: 'closeStopped',
}

export function closeWorker(deps: WorkerDeps): JobTypeWorker {
  return {
    handler: (job) =>
      handleDossierJob(deps, job, async ({ trx, dossier, repo, now }) => {
        const outcome = job.customHeaders['outcome'] ?? 'returned'
        // Withdrawn or stopped by a command meanwhile: that status stands.
        if (isFinal(dossier.status)) return { outcome, status: dossier.status }
        const status = nextStatus(closeStep[outcome] ?? 'closeStopped', dossier.status)
        const reason =
          outcome === 'stopped' && !dossier.close_reason
            ? 'Hết hạn bổ sung hoặc nộp phí / the supplement or payment period expired'
            : dossier.close_reason
        await repo.update(dossier.id, {
          status,
          finished_at: dossier.finished_at ?? now,
          paused: false,
          close_reason: reason,
          current_assignee: null,
        })
        await repo.timeline(dossier.id, { kind: 'closed', at: now, data: { outcome, status } })
        await repo.audit(null, 'dossier.closed', dossier.id, { outcome, status })
        // A fee paid for a dossier the agency refuses is owed back (docs/payments.md, "Refunds").
        if (status === Status.refused) await recordRefunds(trx, dossier.id, refundRule.refused, now)
        if (status === Status.refused)
          await notifyApplicant(
            trx,
            dossier,
            'refused',
            (base) => ({ name: 'dossier-refused', data: { ...base, reason: dossier.close_reason ?? '' } }),
            deps.portalUrl,
          )
        // Stopped by the process (a supplement or fee not handed in on time): the same mail as an officer's stop.
        if (status === Status.stopped)
          await notifyApplicant(
            trx,
            dossier,
            'stopped',
            (base) => ({ name: 'dossier-stopped', data: { ...base, stoppedAt: now, reason: reason ?? '' } }),
            deps.portalUrl,
          )
        return { outcome, status }
      }),
  }
}
