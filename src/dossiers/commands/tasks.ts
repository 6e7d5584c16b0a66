// The user tasks a dossier command acts on: the open one the caller may work on, or one by its key.
import type { Knex } from 'knex'
import { recordDenial, requireAccess, type Permission } from '../../auth/access.js'
import type { Principal } from '../../auth/principal.js'
import { AppError } from '../../errors.js'
import type { Db } from '../repository.js'
import { dossierTaskRepository, type TaskRow } from '../task-repository.js'
import type { Trx } from './runner.js'

/**
 * The open task of the dossier the caller may work on (locked): one of their groups, handled in their unit subtree (the
 * task's handling unit, not the dossier's receiving one); 404/409 otherwise.
 */
export async function openTaskFor(trx: Trx, dossierId: string, caller: Principal, taskKey?: string): Promise<TaskRow> {
  const task = await dossierTaskRepository(trx).openForGroups(
    dossierId,
    caller.groups,
    caller.unitPath ?? null,
    taskKey,
  )
  if (!task) throw new AppError('MC_ERR_TASK_NOT_FOUND')
  if (task.assignee && task.assignee !== caller.userId) throw new AppError('MC_ERR_TASK_CLAIMED')
  return task
}

/** The task with this key, open or not; 404 when there is none. */
export async function taskOrThrow(db: Db, taskKey: string): Promise<TaskRow> {
  const task = await dossierTaskRepository(db).byKey(taskKey)
  if (!task) throw new AppError('MC_ERR_TASK_NOT_FOUND')
  return task
}

/**
 * The task with this key if the caller works in its unit subtree. A task of another unit and a key that does not exist
 * cost the same (one statement that finds nothing, then the same audit write) and answer the same 404
 * MC_ERR_TASK_NOT_FOUND, so neither the answer nor its time tells which task keys (sequential numbers) exist.
 */
export async function visibleTask(knex: Knex, principal: Principal | undefined, taskKey: string): Promise<TaskRow> {
  return (await visibleTaskFor(knex, principal, taskKey, 'task.work')).task
}

/**
 * visibleTask for a permission (a supervisor's `task.assign`), with the caller it was checked for. `forbidOpenly`: an
 * account without the permission is told so (403) rather than "not found"; it is decided before any lookup, so it
 * says nothing about the key either.
 */
export async function visibleTaskFor(
  knex: Knex,
  principal: Principal | undefined,
  taskKey: string,
  permission: Permission,
  opts: { forbidOpenly?: boolean } = {},
): Promise<{ task: TaskRow; caller: Principal }> {
  const subject = { type: 'task', id: taskKey }
  const caller = await requireAccess(knex, { principal, permission, hideExistence: !opts.forbidOpenly, subject })
  const task = await dossierTaskRepository(knex).visibleByKey(taskKey, caller.unitPath ?? null)
  if (task) return { task, caller }
  await recordDenial(knex, caller, { permission, subject })
  throw new AppError('MC_ERR_TASK_NOT_FOUND')
}
