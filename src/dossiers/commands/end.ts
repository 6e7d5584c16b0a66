// What withdrawal and stopping share: the open tasks cancelled, the final status with its reason, the applicant told,
// and the process cancelled after commit.
import type { Principal } from '../../auth/principal.js'
import { notifyApplicant } from '../notify.js'
import { dossierTaskRepository } from '../task-repository.js'
import { advance, type CommandRuntime } from './runner.js'
import type { CommandResult } from './types.js'

export function end(
  rt: CommandRuntime,
  command: 'withdraw' | 'stop',
  caller: Principal,
  dossierId: string,
  reason: string | undefined,
): Promise<CommandResult> {
  return rt.onDossier(command, dossierId, async ({ trx, dossier, repo, now, engineCommand }) => {
    const status = advance(command, dossier)
    await dossierTaskRepository(trx).cancelOpen(dossier.id, now)
    await repo.update(dossier.id, {
      status,
      close_reason: reason ?? null,
      finished_at: now,
      paused: false,
      current_assignee: null,
    })
    await repo.timeline(dossier.id, {
      kind: command === 'withdraw' ? 'withdrawn' : 'stopped',
      at: now,
      actor_id: caller.userId,
      data: { reason: reason ?? null },
    })
    await repo.audit(caller.userId, `dossier.${command}`, dossier.id, {
      reason: reason ?? null,
      from: dossier.status,
    })
    await notifyApplicant(
      trx,
      dossier,
      command === 'withdraw' ? 'withdrawn' : 'stopped',
      (base) =>
        command === 'withdraw'
          ? { name: 'withdrawal-confirmed', data: { ...base, withdrawnAt: now, ...(reason ? { reason } : {}) } }
          : { name: 'dossier-stopped', data: { ...base, stoppedAt: now, reason: reason ?? '' } },
      rt.portalUrl,
    )
    await engineCommand({
      kind: 'cancelInstance',
      payload: dossier.process_instance_key ? { processInstanceKey: dossier.process_instance_key } : {},
    })
  })
}
