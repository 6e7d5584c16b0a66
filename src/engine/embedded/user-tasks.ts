// User tasks: search and read (plain queries), assign and complete (steps on the task's instance).
import { EngineError, type UserTask, type UserTaskFilter, type Variables } from '../port.js'
import { parseKey, type EngineCore } from './core.js'
import { toUserTask, type UtRow } from './rows.js'
import type { Inst, Step } from './step.js'

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

  private userTaskStep(userTaskKey: string, fn: (step: Step, inst: Inst, ut: UtRow) => Promise<void>): Promise<void> {
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
      await fn(step, inst, ut)
    })
  }

  async assignUserTask(
    userTaskKey: string,
    assignee: string | undefined,
    opts: { allowOverride?: boolean } = {},
  ): Promise<void> {
    await this.userTaskStep(userTaskKey, async (step, inst, ut) => {
      if (assignee !== undefined && ut.assignee && ut.assignee !== assignee && !opts.allowOverride)
        throw new EngineError('CONFLICT', `User task ${userTaskKey} is already assigned to ${ut.assignee}`)
      ut.assignee = assignee ?? null
      step.userTasks.update(ut as UtRow & { key: number })
      step.emitUserTask(inst, 'userTask.assigned', ut)
    })
  }

  /** Completing a job-based user task here ends its job too (completeActivity closes the element's jobs). */
  async completeUserTask(userTaskKey: string, variables?: Variables): Promise<void> {
    await this.userTaskStep(userTaskKey, async (step, inst, ut) => {
      markCompleted(step, inst, ut)
      const ei = inst.els.get(ut.element_instance_key)
      if (ei) await step.completeActivity(inst, ei, variables)
    })
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
