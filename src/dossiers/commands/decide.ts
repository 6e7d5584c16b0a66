// What every officer's decision on a user task shares: the open task the caller may work on, a decision its workflow
// routes, a status that allows the command; the task completed, the timeline and audit written, and the engine told.
import type { Principal } from '../../auth/principal.js'
import type { DossierCommand } from '../../domain/dossier/status.js'
import { AppError } from '../../errors.js'
import { decisionsOf, type Decision } from '../decision-forms.js'
import type { DossierRow } from '../repository.js'
import { dossierTaskRepository } from '../task-repository.js'
import { requireUnit } from './access.js'
import { advance, type CommandRuntime, type TxContext } from './runner.js'
import { openTaskFor } from './tasks.js'
import type { CommandResult, DecisionInput, TaskRow } from './types.js'

/** More of a decision's writes; what it returns replaces the timeline entry's kind and adds to it. */
export type MoreWrites = (
  ctx: TxContext & { caller: Principal; task: TaskRow },
) => Promise<{ kind: string; columns: Record<string, unknown>; data: Record<string, unknown> }>

export async function decide(
  rt: CommandRuntime,
  principal: Principal | undefined,
  dossierId: string,
  command: DossierCommand,
  decision: string,
  input: DecisionInput,
  variables: Record<string, unknown> = {},
  more?: MoreWrites,
): Promise<CommandResult> {
  const caller = await requireUnit(rt.knex, principal, dossierId, 'task.work', 'task')
  return rt.onDossier(command, dossierId, async (ctx) => {
    const { trx, dossier, repo, now, engineCommand } = ctx
    const task = await openTaskFor(trx, dossier.id, caller, input.taskKey)
    const reception = task.element_id === 'Task_Receive'
    // The task's workflow says which decisions it routes (the user task's `decisions` header).
    if (!decisionsOf(task.element_id, task.decisions).includes(decision as Decision))
      throw new AppError('MC_ERR_DECISION_INVALID', `${decision} at ${task.element_id}`)
    // A refusal during processing ("từ chối giải quyết") follows its own rule of the status machine.
    advance(command === 'refuse' && !reception ? 'refuseDuringProcessing' : command, dossier, { as: command })
    if (decision === 'supplement' && !reception && dossier.supplement_count >= 1)
      throw new AppError('MC_ERR_SUPPLEMENT_ALREADY_REQUESTED')
    await dossierTaskRepository(trx).complete(task.user_task_key, now, {
      decision,
      by: caller.userId,
      note: input.note ?? null,
    })
    const patch: Partial<Record<keyof DossierRow, unknown>> = { current_assignee: null }
    if (command === 'refuse') patch.close_reason = input.note ?? variables['refusalReason']
    if (decision === 'supplement')
      patch.supplement_request = {
        missing: (variables['supplementMissing'] as string[]) ?? [],
        ...(input.note ? { note: input.note } : {}),
      }
    await repo.update(dossier.id, patch)
    const extra = await more?.({ ...ctx, caller, task })
    await repo.timeline(dossier.id, {
      kind: extra?.kind ?? 'decision',
      at: now,
      actor_id: caller.userId,
      step_id: task.element_id,
      step_name: task.name,
      user_task_key: null,
      ...extra?.columns,
      data: { decision, note: input.note ?? null, ...variables, ...extra?.data },
    })
    await repo.audit(caller.userId, `dossier.${command}`, dossier.id, {
      task: task.user_task_key,
      step: task.element_id,
      decision,
      ...variables,
    })
    await engineCommand({
      kind: 'completeTask',
      payload: {
        userTaskKey: task.user_task_key,
        variables: {
          decision,
          decidedBy: caller.userId,
          ...(input.note ? { decisionNote: input.note } : {}),
          ...variables,
        },
      },
    })
  })
}
