// SQL of the officers' task desk: a task by its key, and the state its dossier stands in.
import type { Knex } from 'knex'
import type { TaskRow } from '../dossiers/commands.js'
import type { DossierStatus } from '../domain/dossier/status.js'

/** A task as read here: the row, with the outcome a completed task recorded. */
export type StoredTask = TaskRow & { outcome?: { decision?: string; by?: string } | null }

export function taskRepository(db: Knex) {
  return {
    byKey: (taskKey: string) =>
      db('tasks').where({ user_task_key: taskKey }).first() as Promise<StoredTask | undefined>,

    dossierState: (dossierId: string) =>
      db('dossiers').where({ id: dossierId }).first('id', 'status', 'code') as Promise<{
        id: string
        status: DossierStatus
        code: string | null
      }>,
  }
}
