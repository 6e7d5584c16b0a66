// dossier.resume: after a supplement during processing, hands the process the due recomputed by the procedure's policy
// (RESTART or PAUSE, R7).
import { handleDossierJob, type JobTypeWorker, type WorkerDeps } from './support.js'

export function resumeWorker(deps: WorkerDeps): JobTypeWorker {
  return {
    handler: (job) =>
      handleDossierJob(deps, job, async ({ dossier }) => {
        // submitSupplement recomputed the due in the transaction that recorded the re-receipt.
        return dossier.due_at ? { dueAt: dossier.due_at.toISOString() } : {}
      }),
  }
}
