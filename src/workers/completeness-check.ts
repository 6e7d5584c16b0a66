// dossier.completeness-check: checks the form against its schema and the required components automatically; informs the
// counter officer, never decides.
import { validateForm } from '../catalogue/form-validation.js'
import { dossierJobRepository } from '../dossiers/job-repository.js'
import { handleDossierJob, type JobTypeWorker, type WorkerDeps } from './support.js'

export function completenessCheckWorker(deps: WorkerDeps): JobTypeWorker {
  return {
    async handler(job) {
      // The first job of an instance adopts it when the relay died between creating it and storing its
      // key; an instance that is not the dossier's (a duplicate) is cancelled.
      const dossierId = String(job.variables['dossierId'] ?? '')
      const owner = await dossierJobRepository(deps.knex).adoptInstance(dossierId, job.processInstanceKey)
      if (owner !== undefined && owner !== job.processInstanceKey) {
        await deps.engine.cancelProcessInstance(job.processInstanceKey).catch(() => undefined)
        throw new Error(`instance ${job.processInstanceKey} duplicates ${owner} of dossier ${dossierId}; cancelled`)
      }
      return handleDossierJob(deps, job, async ({ trx, dossier, repo, now }) => {
        const def = await repo.definitionOf(dossier)
        const jobs = dossierJobRepository(trx)
        const version = await jobs.procedureVersionNumber(dossier.procedure_version_id)
        const form = validateForm(
          `${def.slug}@${version}`,
          def.form as unknown as Record<string, unknown>,
          dossier.form_data,
        )
        const attached = await jobs.attachedComponents(dossier.id)
        // Originals to be shown at the counter are checked by the officer, not uploaded.
        const missingComponents = def.components
          .filter((c) => c.required && c.form !== 'present-original' && !attached.has(c.id))
          .map((c) => c.id)
        const complete = form.ok && missingComponents.length === 0
        await repo.timeline(dossier.id, {
          kind: 'completeness_checked',
          at: now,
          data: { complete, missingComponents, formErrors: form.ok ? [] : form.errors },
        })
        return { complete, missingComponents }
      })
    },
  }
}
