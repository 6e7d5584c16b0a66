// dossier.request-supplement: status 5; at reception no clock runs (R6), during processing the clock stops (R7, once);
// the request goes out through the outbox.
import { nextStatus } from '../domain/dossier/status.js'
import { calendarAround, dossierDeadline } from '../dossiers/deadlines.js'
import { notifyApplicant } from '../dossiers/notify.js'
import { formatDate, localDay, instantAt } from '../domain/calendar/index.js'
import { handleDossierJob, type JobTypeWorker, type WorkerDeps } from './support.js'

export function requestSupplementWorker(deps: WorkerDeps): JobTypeWorker {
  return {
    handler: (job) =>
      handleDossierJob(deps, job, async ({ trx, dossier, repo, now }) => {
        const stage = job.customHeaders['stage'] === 'processing' ? 'processing' : 'reception'
        const def = await repo.definitionOf(dossier)
        let events = dossier.deadline_events
        let supplementCount = dossier.supplement_count
        if (stage === 'processing') {
          events = [...events, { type: 'supplementRequested' as const, at: now.toISOString() }]
          await dossierDeadline(trx, { accepted_at: dossier.accepted_at, deadline_events: events }, def, now)
          supplementCount++
        }
        // The applicant has N working days; the period ends at the end of the last one.
        const calendar = await calendarAround(trx, now)
        const lastDay = calendar.addWorkingDays(localDay(now.getTime()), deps.supplementWorkingDays ?? 10)
        const supplementDueAt = new Date(instantAt(lastDay + 1, 0) - 1000)
        await repo.update(dossier.id, {
          status: nextStatus('askForSupplement', dossier.status),
          paused: true,
          paused_since: now,
          supplement_stage: stage,
          supplement_due_at: supplementDueAt,
          supplement_count: supplementCount,
          deadline_events: events,
        })
        const missing = dossier.supplement_request?.missing ?? []
        await repo.timeline(dossier.id, {
          kind: 'supplement_requested',
          at: now,
          data: {
            stage,
            missing,
            note: dossier.supplement_request?.note ?? null,
            supplementDueAt: supplementDueAt.toISOString(),
          },
        })
        await repo.audit(null, 'dossier.supplementRequested', dossier.id, {
          stage,
          missing,
          until: formatDate(lastDay),
        })
        await notifyApplicant(
          trx,
          dossier,
          `supplement:${job.key}`,
          (base) => ({
            name: 'supplement-requested',
            data: {
              ...base,
              // The officer names components by id (or writes free text): the applicant reads their names.
              missing: missing.map((m) => def.components.find((c) => c.id === m)?.name ?? m),
              ...(dossier.supplement_request?.note ? { note: dossier.supplement_request.note } : {}),
            },
          }),
          deps.portalUrl,
        )
        return { supplementDueAt: supplementDueAt.toISOString(), supplementCount }
      }),
  }
}
