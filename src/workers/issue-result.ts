// dossier.issue-result: numbers the signed result, which is now at the counter (status 9), and judges the dossier
// early/on time/late (R10).
import { nextStatus } from '../domain/dossier/status.js'
import { dossierDeadline } from '../dossiers/deadlines.js'
import { notifyApplicant } from '../dossiers/notify.js'
import { handleDossierJob, type JobTypeWorker, type WorkerDeps } from './support.js'

export function issueResultWorker(deps: WorkerDeps): JobTypeWorker {
  return {
    handler: (job) =>
      handleDossierJob(deps, job, async ({ trx, dossier, repo, now }) => {
        const def = await repo.definitionOf(dossier)
        const events = [...dossier.deadline_events, { type: 'resultAtCounter' as const, at: now.toISOString() }]
        const report = await dossierDeadline(
          trx,
          { accepted_at: dossier.accepted_at, deadline_events: events },
          def,
          now,
        )
        const resultNo = `${dossier.code}/KQ`
        await repo.update(dossier.id, {
          status: nextStatus('issueResult', dossier.status),
          deadline_events: events,
          result_no: resultNo,
          result_issued_at: now,
          finished_at: now,
          result: report.result ?? null,
          overdue: report.result === 'late',
        })
        await repo.timeline(dossier.id, {
          kind: 'result_issued',
          at: now,
          data: { resultNo, result: report.result ?? null },
        })
        await repo.audit(null, 'dossier.resolved', dossier.id, { resultNo, result: report.result ?? null })
        await notifyApplicant(
          trx,
          dossier,
          'result',
          (base) => ({ name: 'result-ready', data: { ...base, returnMethod: dossier.delivery_method } }),
          deps.portalUrl,
        )
        return { resultNo, resultIssuedAt: now.toISOString() }
      }),
  }
}
