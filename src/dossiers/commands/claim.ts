// task.claim: an officer takes a task for themself; 409 MC_ERR_TASK_CLAIMED when another officer holds it.
import { dossierTaskRepository } from '../task-repository.js'
import { requireUnit } from './access.js'
import { openTaskFor, taskOrThrow } from './tasks.js'
import type { CommandHandler } from './registry.js'

export const claim: CommandHandler<'task.claim'> = {
  async execute({ principal, taskKey }, rt) {
    const task = await taskOrThrow(rt.knex, taskKey)
    const caller = await requireUnit(rt.knex, principal, task.dossier_id, 'task.work', 'task')
    await rt.onDossier('claim', task.dossier_id, async ({ trx, repo, dossier, now, engineCommand }) => {
      const open = await openTaskFor(trx, dossier.id, caller, taskKey)
      if (open.assignee === caller.userId) return
      await dossierTaskRepository(trx).setAssignee(taskKey, caller.userId)
      await repo.update(dossier.id, { current_assignee: caller.userId })
      await repo.audit(caller.userId, 'task.claim', dossier.id, { task: taskKey, at: now })
      await engineCommand({ kind: 'assignTask', payload: { userTaskKey: taskKey, assignee: caller.userId } })
    })
  },
}
