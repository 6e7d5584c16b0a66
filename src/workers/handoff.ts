// dossier.handoff: records the hand-off to the step's handling unit (its user task's `unit` rule, handling-unit.ts);
// the step deadline is the time received + the step's share (R11), whichever agency handles the step. A dossier
// received for another unit (reception regardless of place) is forwarded to it at its first hand-off: the forwarding
// is a step of its own on the timeline, with its own deadline (reception-anywhere.ts).
import { nextStatus } from '../domain/dossier/status.js'
import { calendarAround, dossierDeadline } from '../dossiers/deadlines.js'
import { resolveHandlingUnit, stepHeaders } from '../dossiers/handling-unit.js'
import { handlingUnitRepository } from '../dossiers/handling-unit-repository.js'
import { forwardingDueAt, forwardingStepName, receivingRulePath } from '../dossiers/reception-anywhere.js'
import { handleDossierJob, type JobTypeWorker, type WorkerDeps } from './support.js'

export function handoffWorker(deps: WorkerDeps): JobTypeWorker {
  return {
    handler: (job) =>
      handleDossierJob(deps, job, async ({ trx, dossier, repo, now }) => {
        const stepId = job.customHeaders['step'] ?? ''
        // The first hand-off after acceptance forwards a dossier received for another unit to that unit.
        const forwarding =
          dossier.competent_unit_path && dossier.accepted_at
            ? !dossier.deadline_events.some((e) => e.type === 'stepHandedOff')
            : false
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
          receivingUnitPath: receivingRulePath(dossier),
          formData: dossier.form_data ?? {},
          variables: () => Promise.resolve(job.variables),
        })
        if (forwarding && dossier.competent_unit_path && dossier.accepted_at) {
          const dueAt = forwardingDueAt(await calendarAround(trx, dossier.accepted_at), dossier.accepted_at)
          const units = handlingUnitRepository(trx)
          const [from, to] = await Promise.all([
            units.byPath(dossier.unit_path),
            units.byPath(dossier.competent_unit_path),
          ])
          await repo.timeline(dossier.id, {
            kind: 'forwarded',
            at: now,
            step_id: 'forward',
            step_name: forwardingStepName.vi,
            receiver_unit_path: dossier.competent_unit_path,
            step_due_at: dueAt,
            data: {
              stepName: forwardingStepName,
              from: from ? { unitId: from.id, name: from.name } : null,
              to: to ? { unitId: to.id, name: to.name, agencyCode: to.agency_code } : null,
              receivedAt: dossier.accepted_at.toISOString(),
              dueAt: dueAt.toISOString(),
              timeliness: now.getTime() <= dueAt.getTime() ? 'on_time' : 'late',
            },
          })
        }
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
