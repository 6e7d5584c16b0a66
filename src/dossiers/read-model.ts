// Keeps the read model in step with the engine: the tasks table, the dossier's current step/unit/holder and its step timeline; and the periodic overdue sweep (R10).
import type { Knex } from 'knex'
import { overdueSql } from '../domain/dossier/overdue.js'
import type { Engine, EngineEvent, UserTask } from '../engine/port.js'
import { Poller } from '../lib/poller.js'
import { dossierRepository, type DossierRow } from './repository.js'

async function dossierOf(knex: Knex, engine: Engine, processInstanceKey: string): Promise<DossierRow | undefined> {
  const repo = dossierRepository(knex)
  const found = await repo.byProcessInstance(processInstanceKey)
  if (found) return found
  // The relay may not have stored the key yet: the instance's own variables name the dossier.
  const view = await engine.getProcessInstance(processInstanceKey)
  const id = view?.variables['dossierId']
  if (typeof id !== 'string') return undefined
  const dossier = await repo.byId(id)
  if (dossier && !dossier.process_instance_key) {
    await knex('dossiers')
      .where({ id })
      .whereNull('process_instance_key')
      .update({ process_instance_key: processInstanceKey })
  }
  return dossier && (!dossier.process_instance_key || dossier.process_instance_key === processInstanceKey)
    ? dossier
    : undefined
}

/** Early, on time or late to the minute (step deadlines are instants, R11). */
function judge(finished: Date, deadline: Date | null): 'early' | 'on_time' | 'late' | null {
  if (!deadline) return null
  const a = Math.floor(finished.getTime() / 60_000)
  const b = Math.floor(deadline.getTime() / 60_000)
  return a < b ? 'early' : a === b ? 'on_time' : 'late'
}

/** Applies one engine event; every write is an idempotent upsert, since events arrive at least once. */
export async function applyEngineEvent(knex: Knex, engine: Engine, event: EngineEvent): Promise<void> {
  if (event.type.startsWith('userTask.') && 'userTask' in event) {
    const ut: UserTask = event.userTask
    const dossier = await dossierOf(knex, engine, event.processInstanceKey)
    if (!dossier) return
    switch (event.type) {
      case 'userTask.created': {
        // The officer who completed the previous task hands the dossier over.
        const previous = (await knex('tasks')
          .where({ dossier_id: dossier.id })
          .whereNot({ user_task_key: ut.userTaskKey })
          .whereNotNull('completed_at')
          .orderBy('completed_at', 'desc')
          .first('outcome', 'assignee')) as { outcome: { by?: string } | null; assignee: string | null } | undefined
        // One transaction: the worklist and the dossier's current holder change together.
        await knex.transaction(async (trx) => {
          const inserted = await trx('tasks')
            .insert({
              user_task_key: ut.userTaskKey,
              dossier_id: dossier.id,
              process_instance_key: event.processInstanceKey,
              element_id: ut.elementId,
              name: ut.name,
              candidate_groups: ut.candidateGroups,
              unit_path: dossier.unit_path,
              assignee: ut.assignee ?? null,
              due_at: ut.dueDate ?? null,
              // The decisions the workflow routes after this step (decision-forms.ts).
              decisions: ut.customHeaders['decisions']
                ? ut.customHeaders['decisions']
                    .split(',')
                    .map((d) => d.trim())
                    .filter(Boolean)
                : null,
              state: 'CREATED',
              created_at: ut.creationDate,
            })
            .onConflict('user_task_key')
            .ignore()
            .returning('user_task_key')
          if (inserted.length === 0) return
          await trx.raw(
            `INSERT INTO dossier_events (dossier_id, kind, at, step_id, step_name, user_task_key, giver, receiver_unit_path, receiver_role, step_due_at, data)
           VALUES (?, 'step', ?, ?, ?, ?, ?, ?, ?, ?, '{}') ON CONFLICT (user_task_key) WHERE kind = 'step' DO NOTHING`,
            [
              dossier.id,
              ut.creationDate,
              ut.elementId,
              ut.name,
              ut.userTaskKey,
              previous?.outcome?.by ?? previous?.assignee ?? null,
              dossier.unit_path,
              ut.candidateGroups[0] ?? null,
              ut.dueDate ?? null,
            ],
          )
          await trx('dossiers')
            .where({ id: dossier.id })
            .update({
              current_step: ut.elementId,
              current_step_name: ut.name,
              current_unit_role: ut.candidateGroups[0] ?? null,
              current_assignee: ut.assignee ?? null,
              holder_since: ut.creationDate,
              ...(ut.dueDate ? { step_due_at: ut.dueDate } : {}),
              updated_at: trx.fn.now(),
            })
        })
        return
      }
      case 'userTask.assigned':
        // Assignment is owned by motcua's commands (claim, unclaim, assign), which write the read model in
        // their own transaction and then tell the engine. The engine's echo arrives later and may be older
        // than a newer command (claim → unclaim → claim), so applying it could undo the newer one.
        return
      case 'userTask.completed':
      case 'userTask.canceled': {
        const at = ut.completionDate ?? event.at
        const state = event.type === 'userTask.completed' ? 'COMPLETED' : 'CANCELED'
        await knex('tasks')
          .where({ user_task_key: ut.userTaskKey, state: 'CREATED' })
          .update({ state, completed_at: at })
        const task = (await knex('tasks')
          .where({ user_task_key: ut.userTaskKey })
          .first('outcome', 'assignee', 'due_at')) as
          { outcome: { by?: string } | null; assignee: string | null; due_at: Date | null } | undefined
        await knex('dossier_events')
          .where({ user_task_key: ut.userTaskKey, kind: 'step' })
          .whereNull('finished_at')
          .update({
            finished_at: at,
            receiver_user: task?.outcome?.by ?? task?.assignee ?? null,
            step_result: state === 'COMPLETED' ? judge(at, task?.due_at ?? null) : null,
          })
        return
      }
    }
    return
  }
  if (event.type === 'instance.completed' || event.type === 'instance.terminated') {
    await knex('dossiers').where({ process_instance_key: event.processInstanceKey }).update({
      current_step: null,
      current_step_name: null,
      current_unit_role: null,
      current_assignee: null,
      holder_since: null,
      updated_at: knex.fn.now(),
    })
  }
}

/** Subscribes the read model to the engine's events; returns the unsubscribe. */
export function subscribeReadModel(
  knex: Knex,
  engine: Engine,
  log?: (message: string, err?: unknown) => void,
): () => void {
  return engine.onEvent(async (event) => {
    try {
      await applyEngineEvent(knex, engine, event)
    } catch (err) {
      log?.(`read model: ${event.type} failed`, err)
    }
  })
}

/** R10: flags the dossiers that became overdue (src/domain/dossier/overdue.ts) as such. Returns how many were flagged. */
export async function sweepOverdue(knex: Knex, now: Date): Promise<number> {
  const overdue = overdueSql(undefined, now)
  return knex('dossiers')
    .whereRaw(overdue.sql, overdue.bindings)
    .andWhere('overdue', false)
    .update({ overdue: true, updated_at: knex.fn.now() })
}

/** Runs sweepOverdue every intervalMs (default one minute), one run at a time. */
export class OverdueSweep {
  private readonly poller: Poller
  constructor(
    knex: Knex,
    opts: {
      intervalMs?: number
      clock?: () => Date
      log?: (message: string, err?: unknown) => void
    } = {},
  ) {
    const clock = opts.clock ?? (() => new Date())
    this.poller = new Poller({
      round: async () => void (await sweepOverdue(knex, clock())),
      intervalMs: opts.intervalMs ?? 60_000,
      onError: (err) => opts.log?.('overdue sweep failed', err),
    })
  }
  start(): void {
    this.poller.start()
  }
  /** Stops the periodic runs; resolves when the one in flight has ended. */
  stop(): Promise<void> {
    return this.poller.stop()
  }
}
