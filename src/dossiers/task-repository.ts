// SQL of the user tasks dossier commands act on: the open task a caller may work on (locked), claiming and assigning,
// completing with the decision, cancelling what is open when a dossier ends, and the step handled before this one.
import type { Db } from './repository.js'

export interface TaskRow {
  user_task_key: string
  dossier_id: string
  process_instance_key: string
  element_id: string
  name: string
  candidate_groups: string[]
  /** The decisions the workflow routes after this task (its `decisions` header), when it names them. */
  decisions: string[] | null
  unit_path: string
  assignee: string | null
  due_at: Date | null
  state: 'CREATED' | 'COMPLETED' | 'CANCELED'
  created_at: Date
  completed_at: Date | null
}

/** A completed step as a return to it reads it: who handled it (its outcome's `by`) and for which group. */
export type PreviousStep = Pick<TaskRow, 'element_id' | 'name' | 'candidate_groups' | 'assignee'> & {
  outcome: { by?: string } | null
}

export function dossierTaskRepository(db: Db) {
  return {
    /**
     * The task with this key if it lies in the unit subtree at `unitPath` (null: none). A task of another unit and a
     * key that does not exist run the same statement and both return nothing, so the time does not tell them apart.
     */
    visibleByKey: async (taskKey: string, unitPath: string | null): Promise<TaskRow | undefined> =>
      (await db('tasks')
        .where({ user_task_key: taskKey })
        .whereRaw('starts_with(unit_path, ?::text)', [unitPath])
        .first()) as TaskRow | undefined,

    /** The task with this key, open or not. */
    byKey: async (taskKey: string): Promise<TaskRow | undefined> =>
      (await db('tasks').where({ user_task_key: taskKey }).first()) as TaskRow | undefined,

    /**
     * The unit path of a task of the dossier handled in the unit subtree at `unitPath` (open ones only when `open`):
     * the handling unit through which an officer of another agency than the receiving one reaches the dossier.
     */
    handledIn: async (dossierId: string, unitPath: string, opts: { open: boolean }): Promise<string | undefined> => {
      const q = db('tasks')
        .where({ dossier_id: dossierId })
        .whereRaw('starts_with(unit_path, ?::text)', [unitPath])
        .orderBy('created_at', 'desc')
      if (opts.open) q.andWhere({ state: 'CREATED' })
      return ((await q.first('unit_path')) as { unit_path: string } | undefined)?.unit_path
    },

    /**
     * The dossier's oldest open task for one of these groups in the unit subtree at `unitPath` (this one when a key
     * is given), locked for the rest of the transaction so two decisions on it queue. A task handled by another unit
     * is not the caller's, whatever their groups.
     */
    async openForGroups(
      dossierId: string,
      groups: string[],
      unitPath: string | null,
      taskKey?: string,
    ): Promise<TaskRow | undefined> {
      const q = db('tasks')
        .where({ dossier_id: dossierId, state: 'CREATED' })
        .whereRaw('candidate_groups && ?::text[]', [groups])
        .whereRaw('starts_with(unit_path, ?::text)', [unitPath])
        .orderBy('created_at')
        .forUpdate()
      if (taskKey) q.andWhere({ user_task_key: taskKey })
      return (await q.first()) as TaskRow | undefined
    },

    /** The open task with this key, locked for the rest of the transaction. */
    openByKeyForUpdate: async (taskKey: string): Promise<TaskRow | undefined> =>
      (await db('tasks').where({ user_task_key: taskKey, state: 'CREATED' }).forUpdate().first()) as
        TaskRow | undefined,

    /** Who holds the task; null gives it back to its group. */
    async setAssignee(taskKey: string, assignee: string | null): Promise<void> {
      await db('tasks').where({ user_task_key: taskKey }).update({ assignee })
    },

    /** Completes the task with the decision taken on it. */
    async complete(
      taskKey: string,
      at: Date,
      outcome: { decision: string; by: string; note: string | null },
    ): Promise<void> {
      await db('tasks')
        .where({ user_task_key: taskKey })
        .update({ state: 'COMPLETED', completed_at: at, outcome: JSON.stringify(outcome) })
    },

    /** Cancels every open task of the dossier (it has ended). */
    async cancelOpen(dossierId: string, at: Date): Promise<void> {
      await db('tasks')
        .where({ dossier_id: dossierId, state: 'CREATED' })
        .update({ state: 'CANCELED', completed_at: at })
    },

    /** The step completed last before `elementId` (the workflow routes back along the way it came). */
    previousStep: async (dossierId: string, elementId: string): Promise<PreviousStep | undefined> =>
      (await db('tasks')
        .where({ dossier_id: dossierId, state: 'COMPLETED' })
        .whereNot({ element_id: elementId })
        .orderBy('completed_at', 'desc')
        .first('element_id', 'name', 'candidate_groups', 'assignee', 'outcome')) as PreviousStep | undefined,
  }
}
