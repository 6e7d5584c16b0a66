// Keeps the read model in step with the engine: the tasks table (each task in its handling unit, handling-unit.ts), the
// dossier's current step/unit/holder and its step timeline; and the periodic overdue sweep (R10).
import type { Knex } from 'knex'
import type { Engine, EngineEvent, UserTask } from '../engine/port.js'
import { Poller } from '../lib/poller.js'
import { resolveHandlingUnit } from './handling-unit.js'
import { receivingRulePath } from './reception-anywhere.js'
import { readModelRepository } from './read-model-repository.js'
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
  if (dossier && !dossier.process_instance_key) await readModelRepository(knex).adoptInstance(id, processInstanceKey)
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
    const readModel = readModelRepository(knex)
    switch (event.type) {
      case 'userTask.created': {
        // The officer who completed the previous task hands the dossier over.
        const previous = await readModel.lastCompletedTask(dossier.id, ut.userTaskKey)
        // The step's handling unit (its `unit` header); a rule that cannot be followed leaves the task with the
        // receiving unit and says so on the timeline. For a dossier received for another unit (reception regardless
        // of place), "the receiving unit" is the competent one between acceptance and the result
        // (reception-anywhere.ts).
        const handling = await resolveHandlingUnit(knex, ut.customHeaders, {
          receivingUnitPath: receivingRulePath(dossier),
          formData: dossier.form_data ?? {},
          variables: async () => (await engine.getProcessInstance(event.processInstanceKey))?.variables ?? {},
        })
        await readModel.openStep({
          userTaskKey: ut.userTaskKey,
          dossierId: dossier.id,
          processInstanceKey: event.processInstanceKey,
          elementId: ut.elementId,
          name: ut.name,
          candidateGroups: ut.candidateGroups,
          unitPath: handling.unitPath,
          handlingProblem: handling.problem ?? null,
          assignee: ut.assignee ?? null,
          dueAt: ut.dueDate ?? null,
          decisions: ut.customHeaders['decisions']
            ? ut.customHeaders['decisions']
                .split(',')
                .map((d) => d.trim())
                .filter(Boolean)
            : null,
          createdAt: ut.creationDate,
          giver: previous?.outcome?.by ?? previous?.assignee ?? null,
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
        await readModel.closeTask(ut.userTaskKey, state, at)
        const task = await readModel.task(ut.userTaskKey)
        await readModel.finishStep(ut.userTaskKey, {
          at,
          receiverUser: task?.outcome?.by ?? task?.assignee ?? null,
          result: state === 'COMPLETED' ? judge(at, task?.due_at ?? null) : null,
        })
        return
      }
    }
    return
  }
  if (event.type === 'instance.completed' || event.type === 'instance.terminated') {
    await readModelRepository(knex).clearHolder(event.processInstanceKey)
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

/**
 * R10: flags the dossiers that became overdue (src/domain/dossier/overdue.ts) as such. Returns how many were flagged.
 */
export async function sweepOverdue(knex: Knex, now: Date): Promise<number> {
  return readModelRepository(knex).flagOverdue(now)
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
