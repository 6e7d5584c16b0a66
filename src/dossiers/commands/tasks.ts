// The user tasks a dossier command acts on: the open one the caller may work on, or one by its key.
import type { Knex } from 'knex'
import type { Principal } from '../../auth/principal.js'
import { AppError } from '../../errors.js'
import type { Trx } from './runner.js'
import type { TaskRow } from './types.js'

/** The open task of the dossier the caller may work on (locked); 404/409 otherwise. */
export async function openTaskFor(trx: Trx, dossierId: string, caller: Principal, taskKey?: string): Promise<TaskRow> {
  const q = trx('tasks')
    .where({ dossier_id: dossierId, state: 'CREATED' })
    .whereRaw('candidate_groups && ?::text[]', [caller.groups])
    .orderBy('created_at')
    .forUpdate()
  if (taskKey) q.andWhere({ user_task_key: taskKey })
  const task = (await q.first()) as TaskRow | undefined
  if (!task) throw new AppError('MC_ERR_TASK_NOT_FOUND')
  if (task.assignee && task.assignee !== caller.userId) throw new AppError('MC_ERR_TASK_CLAIMED')
  return task
}

/** The task with this key, open or not; 404 when there is none. */
export async function taskOrThrow(knex: Knex, taskKey: string): Promise<TaskRow> {
  const task = (await knex('tasks').where({ user_task_key: taskKey }).first()) as TaskRow | undefined
  if (!task) throw new AppError('MC_ERR_TASK_NOT_FOUND')
  return task
}
