// dossier.handoff: records the hand-off to the step's handling unit (its user task's `unit` rule, handling-unit.ts);
// the step deadline is the time received + the step's share (R11), whichever agency handles the step.
import { nextStatus } from '../domain/dossier/status.js'
import { dossierDeadline } from '../dossiers/deadlines.js'
import { resolveHandlingUnit, stepHeaders } from '../dossiers/handling-unit.js'
import { handleDossierJob, type JobTypeWorker, type WorkerDeps } from './support.js'

export function handoffWorker(deps: WorkerDeps): JobTypeWorker {
  return {
    handler: (job) =>
      handleDossierJob(deps, job, async ({ trx, dossier, repo, now }) => {
        const stepId = job.customHeaders['step'] ?? ''
        const def = await repo.definitionOf(dossier)
        const step = def.steps.find((s) => s.id === stepId)
        const events = step
          ? [...dossier.deadline_events, { type: 'stepHandedOff' as const, at: now.toISOString(), toStep: stepId }]
          : dossier.deadline_events
        const report = await dossierDeadline(
          trx,
          { accepted_at: dossier.accepted_at, deadline_events: events },
          def,
          now,
        )
        // A step outside the approved internal procedure, or with no share, is due with the dossier.
        const stepDueAt = step ? report.steps[report.steps.length - 1]!.deadline : report.due.at
        await repo.update(dossier.id, {
          status: nextStatus('startStep', dossier.status),
          deadline_events: events,
          step_due_at: new Date(stepDueAt),
          step_overdue: false,
        })
        // The unit the dossier goes to; a rule that cannot be followed is reported when the task is created.
        const handling = await resolveHandlingUnit(trx, await stepHeaders(trx, dossier.procedure_version_id, stepId), {
          receivingUnitPath: dossier.unit_path,
          formData: dossier.form_data ?? {},
          variables: () => Promise.resolve(job.variables),
        })
        await repo.timeline(dossier.id, {
          kind: 'handoff',
          at: now,
          step_id: stepId,
          step_name: step?.name ?? null,
          receiver_role: step?.unitRole ?? null,
          receiver_unit_path: handling.unitPath,
          step_due_at: new Date(stepDueAt),
          data: {},
        })
        return { stepDueAt }
      }),
  }
}
