// dossier.resume: the payment is confirmed. A suspension during processing ends and the due moves (R8); a fee asked
// before acceptance (household business) lets the process go on to acceptance. resumeDossier is what any confirmation
// changes, an officer's or a gateway's signed callback.
import type { Knex } from 'knex'
import { nextStatus } from '../../domain/dossier/status.js'
import { dossierDeadline, dueColumns } from '../deadlines.js'
import { dossierRepository, type DossierRow, type EngineCommand } from '../repository.js'
import { requireUnit } from './access.js'
import { advance, MESSAGE_TTL_MS } from './runner.js'
import type { CommandHandler } from './registry.js'

export const resume: CommandHandler<'dossier.resume'> = {
  async execute({ principal, dossierId, input }, rt) {
    const caller = await requireUnit(rt.knex, principal, dossierId, 'task.work')
    return rt.onDossier('resume', dossierId, async ({ trx, dossier, repo, now, engineCommand }) => {
      advance('resume', dossier)
      await resumeDossier(trx, dossier, now, engineCommand)
      await repo.timeline(dossier.id, {
        kind: 'resumed',
        at: now,
        actor_id: caller.userId,
        data: { note: input.note ?? null },
      })
      await repo.audit(caller.userId, 'dossier.resume', dossier.id, {})
    })
  },
}

/**
 * What ending a payment wait changes, whoever confirms it (an officer, or a gateway's signed callback): once
 * accepted, the suspension ends and the due moves (R8); before acceptance, the process is told the fee is
 * paid so it can go on to acceptance.
 */
export async function resumeDossier(
  trx: Knex.Transaction,
  dossier: DossierRow,
  now: Date,
  engineCommand: (command: EngineCommand) => Promise<unknown>,
): Promise<void> {
  const repo = dossierRepository(trx)
  const status = nextStatus('resume', dossier.status, { accepted: Boolean(dossier.accepted_at) })
  const patch: Partial<Record<keyof DossierRow, unknown>> = {
    status,
    suspended: false,
    paused: false,
    paused_since: null,
  }
  if (dossier.accepted_at) {
    const def = await repo.definitionOf(dossier)
    const events = [...dossier.deadline_events, { type: 'resumed' as const, at: now.toISOString() }]
    const report = await dossierDeadline(trx, { accepted_at: dossier.accepted_at, deadline_events: events }, def, now)
    Object.assign(patch, { deadline_events: events, ...dueColumns(report) })
  } else {
    await engineCommand({
      kind: 'publishMessage',
      payload: {
        name: 'dossier.payment-received',
        correlationKey: dossier.id,
        messageId: `${dossier.id}:payment:${dossier.version}`,
        timeToLiveMs: MESSAGE_TTL_MS,
        variables: { paidAt: now.toISOString() },
      },
    })
  }
  await repo.update(dossier.id, patch)
}
