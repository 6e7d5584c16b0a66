// dossier.escalate: marks the step or the dossier overdue and notifies its officer and the unit's supervisors (work
// goes on).
import { hasPassed, isOverdue, judgedDue } from '../domain/dossier/overdue.js'
import { isClockRunning } from '../domain/dossier/status.js'
import { enqueueEmail } from '../notifications/email.js'
import { dossierJobRepository } from '../dossiers/job-repository.js'
import { handleDossierJob, type JobTypeWorker, type WorkerDeps } from './support.js'

export function escalateWorker(deps: WorkerDeps): JobTypeWorker {
  return {
    handler: (job) =>
      handleDossierJob(deps, job, async ({ trx, dossier, repo, now }) => {
        const level = job.customHeaders['level'] === 'step' ? 'step' : 'dossier'
        const step = job.customHeaders['step'] ?? null
        // The timer fired on the date the process was given; the dossier may since have moved on (a pause
        // moved the due, the step was finished, the dossier closed): the overdue rule (R9, R10) decides again.
        const due = level === 'step' ? (dossier.current_step === step ? dossier.step_due_at : null) : judgedDue(dossier)
        const overdue = level === 'step' ? isClockRunning(dossier) && hasPassed(due, now) : isOverdue(dossier, now)
        if (!overdue || !due) return { escalated: false }
        await repo.update(dossier.id, level === 'step' ? { step_overdue: true } : { overdue: true })
        await repo.timeline(dossier.id, {
          kind: 'escalated',
          at: now,
          step_id: step,
          data: { level, due: due.toISOString() },
        })
        await repo.audit(null, 'dossier.escalated', dossier.id, { level, step })
        const { officers, supervisors } = await dossierJobRepository(trx).escalationRecipients(
          dossier,
          dossier.current_unit_role,
        )
        const item = {
          dossierCode: dossier.code ?? dossier.id,
          procedureName: dossier.procedure_name,
          dueDate: level === 'step' ? due : (dossier.original_due_date ?? due),
          ...(dossier.current_step_name ? { heldBy: dossier.current_step_name } : {}),
        }
        for (const o of officers) {
          await enqueueEmail(trx, {
            eventId: `job:${job.key}`,
            to: o.email,
            template: { name: 'overdue-officer', data: { recipientName: o.full_name, dossiers: [item] } },
          })
        }
        for (const s of supervisors) {
          await enqueueEmail(trx, {
            eventId: `job:${job.key}`,
            to: s.email,
            template: {
              name: 'overdue-supervisor',
              data: { recipientName: s.full_name, unitName: s.unit_name, dossiers: [item] },
            },
          })
        }
        return { escalated: true }
      }),
  }
}
