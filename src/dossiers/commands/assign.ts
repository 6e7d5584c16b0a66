// task.assign: a supervisor assigns (or reassigns) a task to an officer of their unit subtree who belongs to its group.
import { AppError } from '../../errors.js'
import { accountRepository } from '../../auth/repository.js'
import { dossierTaskRepository } from '../task-repository.js'
import { visibleTaskFor } from './tasks.js'
import type { CommandHandler } from './registry.js'

export const assign: CommandHandler<'task.assign'> = {
  async execute({ principal, taskKey, assigneeId }, rt) {
    // A task of a unit the caller may not see and a task key that does not exist run the same statements and answer
    // the same 404 (task keys are sequential).
    const { task, caller } = await visibleTaskFor(rt.knex, principal, taskKey, 'task.assign', {
      forbidOpenly: true,
    })
    const assignee = /^[0-9a-f-]{36}$/i.test(assigneeId)
      ? await accountRepository(rt.knex).assignable(assigneeId)
      : undefined
    if (
      !assignee ||
      !assignee.path.startsWith(caller.unitPath ?? '\u0000') ||
      !['officer', 'supervisor'].includes(assignee.kind)
    )
      throw new AppError('MC_ERR_VALIDATION', 'The assignee is not an officer of your unit')
    if (!task.candidate_groups.some((g) => assignee.groups.includes(g)))
      throw new AppError('MC_ERR_VALIDATION', 'The assignee is not in the task’s group')
    await rt.onDossier('assign', task.dossier_id, async ({ trx, repo, dossier, engineCommand }) => {
      const tasks = dossierTaskRepository(trx)
      const row = await tasks.openByKeyForUpdate(taskKey)
      if (!row) throw new AppError('MC_ERR_TASK_NOT_FOUND')
      await tasks.setAssignee(taskKey, assignee.id)
      await repo.update(dossier.id, { current_assignee: assignee.id })
      await repo.audit(caller.userId, 'task.assign', dossier.id, {
        task: taskKey,
        assignee: assignee.id,
        before: row.assignee,
      })
      await engineCommand({ kind: 'assignTask', payload: { userTaskKey: taskKey, assignee: assignee.id } })
    })
  },
}
