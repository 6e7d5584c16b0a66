// What every dossier job worker shares: its dependencies, and running a job exactly once per job key on a locked dossier.
import type { Knex } from 'knex'
import type { Engine, Job, JobAcknowledgement, Variables } from '../engine/port.js'
import { AppError } from '../errors.js'
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

export interface JobTypeWorker {
  type: string
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
      const dossier = await repo.lock(dossierId)
      const done = (await trx('dossier_jobs').where({ job_key: job.key }).first('output')) as
        { output: Variables } | undefined
      if (done) return done.output
      const output = await fn({ trx, dossier, repo, now: nowOf(deps) })
      await trx('dossier_jobs').insert({
        job_key: job.key,
        job_type: job.type,
        dossier_id: dossier.id,
        output: JSON.stringify(output),
      })
      return output
    })
    return await job.complete(output)
  } catch (err) {
    deps.log?.(`job ${job.key} (${job.type}) on dossier ${dossierId} failed`, err)
    const notFound = err instanceof AppError && err.code === 'MC_ERR_DOSSIER_NOT_FOUND'
    return job.fail({
      retries: notFound ? 0 : Math.max(0, job.retries - 1),
      retryBackOffMs: 2000,
      errorMessage: String((err as Error)?.message ?? err),
    })
  }
}

/** Officers of the dossier's agency in a group, and the supervisors above it: who hears about a late dossier. */
export async function escalationRecipients(
  db: Knex | Knex.Transaction,
  dossier: DossierRow,
  group: string | null,
): Promise<{ officers: Recipient[]; supervisors: Recipient[] }> {
  const base = () =>
    db('users as u')
      .join('units as n', 'n.id', 'u.unit_id')
      .whereNotNull('u.email')
      .select('u.id', 'u.full_name', 'u.email', 'n.path', 'n.name as unit_name')
  const officers = dossier.current_assignee
    ? ((await base().where('u.id', dossier.current_assignee)) as Recipient[])
    : group
      ? ((await base()
          .where('u.kind', 'officer')
          .andWhereRaw("? LIKE n.path || '%'", [dossier.unit_path])
          .andWhereRaw('? = ANY(u.groups)', [group])) as Recipient[])
      : []
  // Supervisors whose unit is the agency or above it.
  const supervisors = (await base()
    .where('u.kind', 'supervisor')
    .andWhereRaw("? LIKE n.path || '%'", [dossier.unit_path])) as Recipient[]
  return { officers, supervisors }
}

export interface Recipient {
  id: string
  full_name: string
  email: string
  path: string
  unit_name: string
}
