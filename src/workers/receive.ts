// dossier.receive: records acceptance (status 2), assigns the dossier code, computes the appointment date and issues
// the receipt.
import { nextStatus } from '../domain/dossier/status.js'
import { dossierDeadline, dueColumns } from '../dossiers/deadlines.js'
import { dossierJobRepository } from '../dossiers/job-repository.js'
import { notifyApplicant } from '../dossiers/notify.js'
import { nextDossierCode } from '../dossiers/repository.js'
import { handleDossierJob, type JobTypeWorker, type WorkerDeps } from './support.js'

export function receiveWorker(deps: WorkerDeps): JobTypeWorker {
  return {
    handler: (job) =>
      handleDossierJob(deps, job, async ({ trx, dossier, repo, now }) => {
        const def = await repo.definitionOf(dossier)
        // The clock starts at acceptance (R6); earlier supplements at reception left no events.
        const report = await dossierDeadline(trx, { accepted_at: now, deadline_events: [] }, def, now)
        const unit = await dossierJobRepository(trx).agencyOf(dossier.agency_unit_id)
        // The code carries the receipt day (R1: after the cut-off or on a day off, the next working day).
        const code = dossier.code ?? (await nextDossierCode(trx, unit.agency_code, report.receiptDate))
        await repo.update(dossier.id, {
          code,
          status: nextStatus('recordAcceptance', dossier.status),
          accepted_at: now,
          receipt_date: report.receiptDate,
          deadline_events: [],
          ...dueColumns(report),
          paused: false,
          supplement_stage: null,
          supplement_request: null,
        })
        const receipt = {
          code,
          receiptDate: report.receiptDate,
          acceptedAt: now.toISOString(),
          appointmentDate: report.due.date,
          dueAt: report.due.at,
        }
        await repo.timeline(dossier.id, { kind: 'received', at: now, data: receipt })
        await repo.audit(null, 'dossier.received', dossier.id, receipt)
        await notifyApplicant(
          trx,
          { ...dossier, code },
          'received',
          (base) => ({
            name: 'dossier-received',
            data: { ...base, receivedAt: now, appointmentDate: report.due.date },
          }),
          deps.portalUrl,
        )
        return { acceptedAt: now.toISOString(), dueAt: report.due.at, receiptNo: code }
      }),
  }
}
