// User tasks: search and read (plain queries), assign and complete (steps on the task's instance). A transition
// blocked by user task listeners (task-listeners.ts) is answered once its last listener's job completed, or rejected
// when one denied it, as Zeebe's gateway answers the request.
import { EngineError, type UserTask, type UserTaskChangeset, type UserTaskFilter, type Variables } from '../port.js'
import { parseKey, type EngineCore } from './core.js'
import type { Element } from './model.js'
import { toUserTask, type EiRow, type UtRow } from './rows.js'
import type { Inst, Step } from './step.js'
import {
  applyCorrections,
  deniedError,
  emitCreated,
  startTransition,
  taskListenersFor,
  type TaskListenerOutcome,
  type TaskListenerProgress,
} from './task-listeners.js'

/** How long a request waits for the listeners of the transition it started (Zeebe's gateway times out too). */
const listenerWaitMs = 30_000

export class UserTasks {
  constructor(private readonly core: EngineCore) {}

  async searchUserTasks(filter: UserTaskFilter): Promise<UserTask[]> {
    const q = this.core
      .knex('engine_user_tasks')
      .select('*')
      .orderBy([{ column: 'created_at' }, { column: 'key' }])
    if (filter.state) q.where('state', filter.state)
    if (filter.processInstanceKey)
      q.where('process_instance_key', parseKey(filter.processInstanceKey, 'Process instance'))
    if (filter.assignee) q.where('assignee', filter.assignee)
    if (filter.elementId) q.where('element_id', filter.elementId)
    if (filter.candidateGroups?.length) q.whereRaw('candidate_groups && ?::text[]', [filter.candidateGroups])
    q.limit(filter.limit ?? 100)
    return ((await q) as UtRow[]).map(toUserTask)
  }

  async getUserTask(userTaskKey: string): Promise<UserTask | undefined> {
    if (!/^\d{1,16}$/.test(userTaskKey)) return undefined
    const row = (await this.core.knex('engine_user_tasks').where('key', Number(userTaskKey)).first()) as
      UtRow | undefined
    return row ? toUserTask(row) : undefined
  }

  private userTaskStep<T>(userTaskKey: string, fn: (step: Step, inst: Inst, ut: UtRow) => Promise<T>): Promise<T> {
    const key = parseKey(userTaskKey, 'User task')
    return this.core.runStep(async (step) => {
      const inst = await step.load({
        lock: 'SELECT pi.key FROM engine_process_instances pi JOIN engine_user_tasks u ON u.process_instance_key = pi.key WHERE u.key = ? FOR UPDATE OF pi',
        key: '(SELECT process_instance_key FROM engine_user_tasks WHERE key = ?)',
        bindings: [key],
      })
      if (!inst) throw new EngineError('NOT_FOUND', `User task ${userTaskKey} not found`)
      const ut = inst?.userTasks.get(key)
      if (!inst || !ut) throw new EngineError('INVALID_STATE', `User task ${userTaskKey} is no longer open`)
      return await fn(step, inst, ut)
    })
  }

  async assignUserTask(
    userTaskKey: string,
    assignee: string | undefined,
    opts: { allowOverride?: boolean } = {},
  ): Promise<void> {
    const request = await this.userTaskStep(userTaskKey, async (step, inst, ut) => {
      if (ut.state !== 'CREATED')
        throw new EngineError('INVALID_STATE', `User task ${userTaskKey} is ${ut.state}: it cannot be assigned now`)
      if (assignee !== undefined && ut.assignee && ut.assignee !== assignee && !opts.allowOverride)
        throw new EngineError('CONFLICT', `User task ${userTaskKey} is already assigned to ${ut.assignee}`)
      const ei = inst.els.get(ut.element_instance_key)
      if (ei) {
        const el = step.el(inst, ei.element_id)
        const action = assignee === undefined ? 'unassign' : 'assign'
        const req = await startTransition(step, inst, ei, el, ut, 'assigning', { assignee: assignee ?? null, action })
        if (req !== undefined) return { req, eik: ei.key }
      }
      ut.assignee = assignee ?? null
      step.userTasks.update(ut as UtRow & { key: number })
      step.emitUserTask(inst, 'userTask.assigned', ut)
      return undefined
    })
    if (request) await this.awaitTransition(userTaskKey, request.eik, request.req)
  }

  /**
   * Completing a job-based user task here ends its job too (completeActivity closes the element's jobs). With
   * completing listeners, resolves when they all completed; a second request while they run waits for the same end.
   */
  async completeUserTask(userTaskKey: string, variables?: Variables): Promise<void> {
    const request = await this.userTaskStep(userTaskKey, async (step, inst, ut) => {
      const ei = inst.els.get(ut.element_instance_key)
      const running = ei?.data.taskListener
      if (ut.state === 'COMPLETING' && ei && running?.eventType === 'completing')
        return { req: running.request, eik: ei.key }
      if (ut.state !== 'CREATED')
        throw new EngineError('INVALID_STATE', `User task ${userTaskKey} is ${ut.state}: it cannot be completed now`)
      if (ei) {
        const el = step.el(inst, ei.element_id)
        const req = await startTransition(step, inst, ei, el, ut, 'completing', variables ? { variables } : {})
        if (req !== undefined) return { req, eik: ei.key }
      }
      markCompleted(step, inst, ut)
      if (ei) await step.completeActivity(inst, ei, variables)
      return undefined
    })
    if (request) await this.awaitTransition(userTaskKey, request.eik, request.req)
  }

  /**
   * Zeebe 8.8 PATCH /v2/user-tasks/{key}: the changeset applies at once, or, with updating listeners, while they run
   * (they see it); they may correct it further or deny it (the task goes back to what it was, the request is rejected).
   */
  async updateUserTask(userTaskKey: string, changeset: UserTaskChangeset, opts: { action?: string } = {}) {
    const changes = { ...changeset, assignee: null }
    const request = await this.userTaskStep(userTaskKey, async (step, inst, ut) => {
      if (ut.state !== 'CREATED')
        throw new EngineError('INVALID_STATE', `User task ${userTaskKey} is ${ut.state}: it cannot be updated now`)
      const ei = inst.els.get(ut.element_instance_key)
      if (ei) {
        const el = step.el(inst, ei.element_id)
        const action = opts.action ?? 'update'
        const req = await startTransition(step, inst, ei, el, ut, 'updating', { action, changes })
        if (req !== undefined) return { req, eik: ei.key }
      }
      applyCorrections(ut, changes)
      step.userTasks.update(ut as UtRow & { key: number })
      step.emitUserTask(inst, 'userTask.updated', ut)
      return undefined
    })
    if (request) await this.awaitTransition(userTaskKey, request.eik, request.req)
  }

  /** Waits until the transition a request started ends: resolves when it went through, rejects when denied. */
  private async awaitTransition(userTaskKey: string, eik: number, request: number): Promise<void> {
    const deadline = Date.now() + listenerWaitMs
    for (let pause = 5; ; pause = Math.min(pause * 2, 100)) {
      const { rows } = (await this.core.knex.raw(
        `SELECT u.state, e.data->'taskOutcome' AS outcome, e.data->'taskListener'->'request' AS running
           FROM engine_user_tasks u LEFT JOIN engine_element_instances e ON e.key = ?
          WHERE u.key = ?`,
        [eik, Number(userTaskKey)],
      )) as { rows: Array<{ state: string; outcome: TaskListenerOutcome | null; running: number | null }> }
      const row = rows[0]
      if (!row) throw new EngineError('NOT_FOUND', `User task ${userTaskKey} not found`)
      const outcome = row.outcome
      if (outcome && Number(outcome.request) === request) {
        if (outcome.denied) throw deniedError(outcome, userTaskKey)
        return
      }
      // Its element was terminated meanwhile (the transition's listener job went with it): the request fails.
      if (row.state === 'CANCELED' || row.state === 'CANCELING')
        throw new EngineError('INVALID_STATE', `User task ${userTaskKey} was canceled while its listeners ran`)
      if (row.state === 'COMPLETED' || (row.running == null && row.state === 'CREATED')) return
      if (Date.now() > deadline)
        throw new EngineError(
          'UNAVAILABLE',
          `User task ${userTaskKey}: its listeners did not complete within ${listenerWaitMs / 1000} s; the transition goes on`,
        )
      await new Promise((resolve) => setTimeout(resolve, pause))
    }
  }
}

function markCompleted(step: Step, inst: Inst, ut: UtRow): void {
  ut.state = 'COMPLETED'
  ut.completed_at = step.now.toISOString()
  step.userTasks.update(ut as UtRow & { key: number })
  step.emitUserTask(inst, 'userTask.completed', ut)
}

/** A job-based user task's job was completed by a job worker: the task it backs is completed with it. */
export function completeUserTaskOfJob(step: Step, inst: Inst, jobKey: number): void {
  for (const ut of inst.userTasks.values())
    if (ut.job_key != null && Number(ut.job_key) === jobKey) markCompleted(step, inst, ut)
}

/**
 * A Camunda user task was created (its row inserted): its creating listeners run first; then it is CREATED. A task
 * created with an assignee is then assigned, through its assigning listeners when it has some (as Zeebe does).
 */
export async function userTaskCreated(step: Step, inst: Inst, ei: EiRow, el: Element, ut: UtRow): Promise<void> {
  if ((await startTransition(step, inst, ei, el, ut, 'creating')) !== undefined) return
  await created(step, inst, ei, el, ut)
}

async function created(step: Step, inst: Inst, ei: EiRow, el: Element, ut: UtRow): Promise<void> {
  ut.state = 'CREATED'
  const assignee = ut.assignee
  const assignLater = assignee != null && taskListenersFor(el, 'assigning').length > 0
  if (assignLater) ut.assignee = null
  step.userTasks.update(ut as UtRow & { key: number })
  emitCreated(step, inst, ut)
  if (assignLater) await startTransition(step, inst, ei, el, ut, 'assigning', { assignee })
}

/** The last listener of a transition completed without denying it: the transition goes through. */
export async function finishTransition(
  step: Step,
  inst: Inst,
  ei: EiRow,
  ut: UtRow,
  progress: TaskListenerProgress,
): Promise<void> {
  switch (progress.eventType) {
    case 'creating':
      return await created(step, inst, ei, step.el(inst, ei.element_id), ut)
    case 'assigning':
      ut.assignee = progress.assignee ?? null
      ut.state = 'CREATED'
      step.userTasks.update(ut as UtRow & { key: number })
      step.emitUserTask(inst, 'userTask.assigned', ut)
      return
    case 'completing':
      markCompleted(step, inst, ut)
      return await step.completeActivity(inst, ei, progress.variables)
    case 'updating':
      ut.state = 'CREATED'
      step.userTasks.update(ut as UtRow & { key: number })
      step.emitUserTask(inst, 'userTask.updated', ut)
      return
    case 'canceling':
      markCanceled(step, inst, ut)
      return await step.finishTermination(inst, ei)
  }
}

function markCanceled(step: Step, inst: Inst, ut: UtRow): void {
  ut.state = 'CANCELED'
  ut.completed_at = step.now.toISOString()
  step.userTasks.update(ut as UtRow & { key: number })
  inst.userTasks.delete(ut.key)
  step.emit(inst, {
    type: 'userTask.canceled',
    at: step.now,
    processInstanceKey: String(inst.pi.key),
    userTask: toUserTask(ut),
  })
}

/**
 * The element of a user task is terminated (process instance canceled, interrupting event, terminate end event,
 * completion condition, …): its task is canceled. With canceling listeners the task is CANCELING while they run, and
 * the element's termination waits for them (true; finishTransition ends it), as Zeebe 8.8 does
 * (https://docs.camunda.io/docs/components/concepts/user-task-listeners/#trigger-a-user-task-listener). A pending
 * transition's listener job was closed with the element's other jobs.
 */
export async function cancelUserTasks(step: Step, inst: Inst, ei: EiRow): Promise<boolean> {
  let waits = false
  for (const ut of [...inst.userTasks.values()]) {
    if (ut.element_instance_key !== ei.key) continue
    const el = step.el(inst, ei.element_id)
    if (taskListenersFor(el, 'canceling').length === 0) {
      markCanceled(step, inst, ut)
      continue
    }
    waits = true
    await startCanceling(step, inst, ei, el, ut)
  }
  return waits
}

/** Opens the first canceling listener's job; a type or retries expression that fails is an incident on the element. */
async function startCanceling(step: Step, inst: Inst, ei: EiRow, el: Element, ut: UtRow): Promise<void> {
  const { taskListener: _p, ...rest } = ei.data
  ei.data = rest
  try {
    await startTransition(step, inst, ei, el, ut, 'canceling')
  } catch (err) {
    ut.state = 'CANCELING'
    step.userTasks.update(ut as UtRow & { key: number })
    await step.failElement(inst, ei, 'cancel', err)
  }
}

/** After the incident on a canceling listener's expression was resolved: the canceling listeners run from the first. */
export async function retryCanceling(step: Step, inst: Inst, ei: EiRow): Promise<void> {
  const { failedPhase: _f, ...rest } = ei.data
  ei.data = rest
  step.dirty(inst, ei)
  for (const ut of inst.userTasks.values())
    if (ut.element_instance_key === ei.key) await startCanceling(step, inst, ei, step.el(inst, ei.element_id), ut)
}
