// dossier.extend (R9): once, with a reason, at least one working day before the due date, to a later working day; the
// applicant gets the apology letter (phiếu xin lỗi và hẹn lại ngày trả kết quả) through the outbox.
import { dossierDeadline } from '../deadlines.js'
import { notifyApplicant } from '../notify.js'
import { requireUnit } from './access.js'
import { advance } from './runner.js'
import type { CommandHandler } from './registry.js'

export const extend: CommandHandler<'dossier.extend'> = {
  async execute({ principal, dossierId, input }, rt) {
    const caller = await requireUnit(rt.knex, principal, dossierId, 'task.work')
    return rt.onDossier('extend', dossierId, async ({ trx, dossier, repo, now }) => {
      advance('extend', dossier)
      const def = await repo.definitionOf(dossier)
      const events = [
        ...dossier.deadline_events,
        {
          type: 'extensionGranted' as const,
          at: now.toISOString(),
          newDueDate: input.newDueDate,
          reason: input.reason ?? '',
        },
      ]
      const report = await dossierDeadline(trx, { accepted_at: dossier.accepted_at, deadline_events: events }, def, now)
      await repo.update(dossier.id, {
        deadline_events: events,
        due_date: report.due.date,
        due_at: new Date(report.due.at),
        extended_at: now,
        extension_reason: input.reason,
      })
      await repo.timeline(dossier.id, {
        kind: 'extended',
        at: now,
        actor_id: caller.userId,
        data: { newDueDate: input.newDueDate, originalDueDate: dossier.due_date, reason: input.reason },
      })
      await repo.audit(caller.userId, 'dossier.extend', dossier.id, {
        before: dossier.due_date,
        after: input.newDueDate,
        reason: input.reason,
      })
      await notifyApplicant(
        trx,
        dossier,
        'extend',
        (base) => ({
          name: 'dossier-late',
          data: { ...base, originalDueDate: dossier.due_date!, newDueDate: input.newDueDate, reason: input.reason },
        }),
        rt.portalUrl,
      )
    })
  },
}
