// task.unclaim: a claimed task goes back to its group (by its holder, or a supervisor of the unit).
import { AppError } from '../../errors.js'
import { dossierTaskRepository } from '../task-repository.js'
import { requireUnit } from './access.js'
import { taskOrThrow } from './tasks.js'
import type { CommandHandler } from './registry.js'

export const unclaim: CommandHandler<'task.unclaim'> = {
  async execute({ principal, taskKey }, rt) {
    const task = await taskOrThrow(rt.knex, taskKey)
    const caller = await requireUnit(rt.knex, principal, task.dossier_id, 'task.work', 'task')
    await rt.onDossier('unclaim', task.dossier_id, async ({ trx, repo, dossier, engineCommand }) => {
      const tasks = dossierTaskRepository(trx)
      const row = await tasks.openByKeyForUpdate(taskKey)
      // Another unit's task (the step is handled elsewhere) is not there for the caller.
      if (!row || !row.unit_path.startsWith(caller.unitPath ?? '\u0000')) throw new AppError('MC_ERR_TASK_NOT_FOUND')
      if (row.assignee && row.assignee !== caller.userId && caller.kind !== 'supervisor')
        throw new AppError('MC_ERR_TASK_CLAIMED')
      await tasks.setAssignee(taskKey, null)
      await repo.update(dossier.id, { current_assignee: null })
      await repo.audit(caller.userId, 'task.unclaim', dossier.id, { task: taskKey })
      await engineCommand({ kind: 'assignTask', payload: { userTaskKey: taskKey, assignee: null } })
    })
  },
}
