// SQL of the read model the projector writes: the tasks table, the dossier's current step/unit/holder, its step
// timeline (dossier_events), and the overdue flag.
import type { Knex } from 'knex'
import { overdueSql } from '../domain/dossier/overdue.js'

/** A user task as it opens: the worklist row and the step it starts on the dossier's timeline. */
export interface OpenedStep {
  userTaskKey: string
  dossierId: string
  processInstanceKey: string
  elementId: string
  name: string
  candidateGroups: string[]
  /** The handling unit's path (handling-unit.ts). */
  unitPath: string
  /** Why the step's rule could not be followed (the task went to the receiving unit); null when it was. */
  handlingProblem: { rule: string; reason: string } | null
  assignee: string | null
  dueAt: Date | null
  /** The decisions the workflow routes after this step (decision-forms.ts). */
  decisions: string[] | null
  createdAt: Date
  /** Who hands the dossier over: the officer who completed the previous task. */
  giver: string | null
}

export function readModelRepository(knex: Knex) {
  return {
    /** Stores the instance key on a dossier that has none yet (the relay may not have stored it). */
    async adoptInstance(dossierId: string, processInstanceKey: string): Promise<void> {
      await knex('dossiers')
        .where({ id: dossierId })
        .whereNull('process_instance_key')
        .update({ process_instance_key: processInstanceKey })
    },

    /** The dossier's most recently completed task other than `exceptTaskKey`: its outcome and assignee. */
    async lastCompletedTask(
      dossierId: string,
      exceptTaskKey: string,
    ): Promise<{ outcome: { by?: string } | null; assignee: string | null } | undefined> {
      return (await knex('tasks')
        .where({ dossier_id: dossierId })
        .whereNot({ user_task_key: exceptTaskKey })
        .whereNotNull('completed_at')
        .orderBy('completed_at', 'desc')
        .first('outcome', 'assignee')) as { outcome: { by?: string } | null; assignee: string | null } | undefined
    },

    /**
     * Adds the task to the worklist, its step to the timeline and makes it the dossier's current one, in one
     * transaction so the worklist and the dossier's holder change together. Nothing when the task is there already.
     */
    async openStep(step: OpenedStep): Promise<void> {
      await knex.transaction(async (trx) => {
        const inserted = await trx('tasks')
          .insert({
            user_task_key: step.userTaskKey,
            dossier_id: step.dossierId,
            process_instance_key: step.processInstanceKey,
            element_id: step.elementId,
            name: step.name,
            candidate_groups: step.candidateGroups,
            unit_path: step.unitPath,
            assignee: step.assignee,
            due_at: step.dueAt,
            decisions: step.decisions,
            state: 'CREATED',
            created_at: step.createdAt,
          })
          .onConflict('user_task_key')
          .ignore()
          .returning('user_task_key')
        if (inserted.length === 0) return
        await trx.raw(
          `INSERT INTO dossier_events (dossier_id, kind, at, step_id, step_name, user_task_key, giver, receiver_unit_path, receiver_role, step_due_at, data)
           VALUES (?, 'step', ?, ?, ?, ?, ?, ?, ?, ?, '{}') ON CONFLICT (user_task_key) WHERE kind = 'step' DO NOTHING`,
          [
            step.dossierId,
            step.createdAt,
            step.elementId,
            step.name,
            step.userTaskKey,
            step.giver,
            step.unitPath,
            step.candidateGroups[0] ?? null,
            step.dueAt,
          ],
        )
        if (step.handlingProblem)
          await trx('dossier_events').insert({
            dossier_id: step.dossierId,
            kind: 'handlingUnitProblem',
            at: step.createdAt,
            step_id: step.elementId,
            step_name: step.name,
            receiver_unit_path: step.unitPath,
            data: JSON.stringify({ userTaskKey: step.userTaskKey, ...step.handlingProblem }),
          })
        await trx('dossiers')
          .where({ id: step.dossierId })
          .update({
            current_step: step.elementId,
            current_step_name: step.name,
            current_unit_role: step.candidateGroups[0] ?? null,
            current_assignee: step.assignee,
            holder_since: step.createdAt,
            ...(step.dueAt ? { step_due_at: step.dueAt } : {}),
            updated_at: trx.fn.now(),
          })
      })
    },

    /** Closes a task still open, as completed or canceled at `at`. */
    async closeTask(userTaskKey: string, state: 'COMPLETED' | 'CANCELED', at: Date): Promise<void> {
      await knex('tasks').where({ user_task_key: userTaskKey, state: 'CREATED' }).update({ state, completed_at: at })
    },

    /** A task's outcome, assignee and due time. */
    async task(
      userTaskKey: string,
    ): Promise<{ outcome: { by?: string } | null; assignee: string | null; due_at: Date | null } | undefined> {
      return (await knex('tasks').where({ user_task_key: userTaskKey }).first('outcome', 'assignee', 'due_at')) as
        { outcome: { by?: string } | null; assignee: string | null; due_at: Date | null } | undefined
    },

    /** Ends the task's step on the timeline (once): when, who handled it, and whether early, on time or late. */
    async finishStep(
      userTaskKey: string,
      end: { at: Date; receiverUser: string | null; result: 'early' | 'on_time' | 'late' | null },
    ): Promise<void> {
      await knex('dossier_events')
        .where({ user_task_key: userTaskKey, kind: 'step' })
        .whereNull('finished_at')
        .update({ finished_at: end.at, receiver_user: end.receiverUser, step_result: end.result })
    },

    /** The instance has ended: its dossier has no current step, unit or holder any more. */
    async clearHolder(processInstanceKey: string): Promise<void> {
      await knex('dossiers').where({ process_instance_key: processInstanceKey }).update({
        current_step: null,
        current_step_name: null,
        current_unit_role: null,
        current_assignee: null,
        holder_since: null,
        updated_at: knex.fn.now(),
      })
    },

    /** R10: flags the dossiers that became overdue at `now` (src/domain/dossier/overdue.ts); returns how many. */
    flagOverdue(now: Date): Promise<number> {
      const overdue = overdueSql(undefined, now)
      return knex('dossiers')
        .whereRaw(overdue.sql, overdue.bindings)
        .andWhere('overdue', false)
        .update({ overdue: true, updated_at: knex.fn.now() })
    },
  }
}
