// dossier.suspendForPayment: waiting for the applicant's financial obligation ("waitingPayment"); the clock stops (R8).
import { dossierDeadline } from '../deadlines.js'
import { notifyApplicant, paymentUrl } from '../notify.js'
import { requireUnit } from './access.js'
import { advance } from './runner.js'
import type { CommandHandler } from './registry.js'

export const suspendForPayment: CommandHandler<'dossier.suspendForPayment'> = {
  async execute({ principal, dossierId, input }, rt) {
    const caller = await requireUnit(rt.knex, principal, dossierId, 'task.work')
    return rt.onDossier('suspendForPayment', dossierId, async ({ trx, dossier, repo, now }) => {
      const status = advance('suspendForPayment', dossier)
      const def = await repo.definitionOf(dossier)
      const events = [
        ...dossier.deadline_events,
        { type: 'suspended' as const, at: now.toISOString(), reason: input.reason },
      ]
      await dossierDeadline(repo.db, { accepted_at: dossier.accepted_at, deadline_events: events }, def, now)
      await repo.update(dossier.id, {
        status,
        suspended: true,
        paused: true,
        paused_since: now,
        deadline_events: events,
        payment_amount_vnd: input.amountVnd ?? null,
      })
      await repo.timeline(dossier.id, {
        kind: 'suspended',
        at: now,
        actor_id: caller.userId,
        data: { reason: input.reason, amountVnd: input.amountVnd ?? null },
      })
      await repo.audit(caller.userId, 'dossier.suspendForPayment', dossier.id, {
        reason: input.reason,
        amountVnd: input.amountVnd ?? null,
      })
      const payUrl = paymentUrl(rt.portalUrl)
      await notifyApplicant(
        trx,
        dossier,
        `payment:${dossier.version}`,
        (base) => ({
          name: 'payment-requested',
          data: {
            ...base,
            reason: input.reason,
            ...(input.amountVnd !== undefined ? { amountVnd: input.amountVnd } : {}),
            ...(payUrl ? { payUrl } : {}),
          },
        }),
        rt.portalUrl,
      )
    })
  },
}
