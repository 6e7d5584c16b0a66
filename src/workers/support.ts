// What every dossier job worker shares: its dependencies, and running a job exactly once per job key on a locked
// dossier.
import type { Knex } from 'knex'
import type { Engine, Job, JobAcknowledgement, Variables } from '../engine/port.js'
import { AppError } from '../errors.js'
import { IllegalTransition } from '../domain/dossier/status.js'
import { dossierJobRepository } from '../dossiers/job-repository.js'
import { dossierRepository, type DossierRow } from '../dossiers/repository.js'

export interface WorkerDeps {
  knex: Knex
  engine: Engine
  /** The business clock (acceptance, due dates, escalation); tests inject one. Defaults to the system clock. */
  clock?: () => Date
  /** Working days the applicant has to hand in a supplement [A]. Default 10. */
  supplementWorkingDays?: number
  /** Working days the applicant has to pay the fee [A]. Default 5. */
  paymentWorkingDays?: number
  /** The portal's address (`http://host:port`), for links in mails. */
  portalUrl?: string
  log?: (message: string, err?: unknown) => void
}

export interface DossierJobContext {
  trx: Knex.Transaction
  dossier: DossierRow
  repo: ReturnType<typeof dossierRepository>
  now: Date
}

/** What a worker file provides: the handler of its job type (workers/index.ts registers it under the type). */
export interface JobTypeWorker {
  handler: (job: Job) => Promise<JobAcknowledgement>
}

export const nowOf = (deps: WorkerDeps): Date => (deps.clock ?? (() => new Date()))()

/**
 * Runs `fn` in one transaction on the job's locked dossier and completes the job with its output.
 * The output is stored under the job key, so a job delivered again (the engine delivers at least once)
 * is answered with the same output and changes nothing a second time.
 */
export async function handleDossierJob(
  deps: WorkerDeps,
  job: Job,
  fn: (ctx: DossierJobContext) => Promise<Variables>,
): Promise<JobAcknowledgement> {
  const dossierId = String(job.variables['dossierId'] ?? '')
  try {
    const output = await deps.knex.transaction(async (trx) => {
      const repo = dossierRepository(trx)
      const jobs = dossierJobRepository(trx)
      const dossier = await repo.lock(dossierId)
      const done = await jobs.outputOf(job.key)
      if (done) return done
      const output = await fn({ trx, dossier, repo, now: nowOf(deps) })
      await jobs.recordDone(job, dossier.id, output)
      return output
    })
    return await job.complete(output)
  } catch (err) {
    deps.log?.(`job ${job.key} (${job.type}) on dossier ${dossierId} failed`, err)
    // No retry helps a dossier that is gone or a status the job may not move from: an incident at once.
    const hopeless =
      (err instanceof AppError && err.code === 'MC_ERR_DOSSIER_NOT_FOUND') || err instanceof IllegalTransition
    return job.fail({
      retries: hopeless ? 0 : Math.max(0, job.retries - 1),
      retryBackOffMs: 2000,
      errorMessage: String((err as Error)?.message ?? err),
    })
  }
}
