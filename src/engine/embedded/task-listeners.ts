// User task listeners (zeebe:taskListeners) on Camunda user tasks, as Zeebe 8.8 runs them
// (https://docs.camunda.io/docs/components/concepts/user-task-listeners/): a lifecycle transition of the task
// (creating, assigning, updating, completing, canceling) is blocked while its listeners run, one job each, in model
// order. Each listener job carries the task's data in its headers; its completion may correct the task (assignee,
// dates, candidates, priority: later listeners see the corrected task) or deny the transition (assigning, updating,
// completing): the task then goes back to what it was before the transition, corrections dropped, and the caller's
// request is rejected with Zeebe's message. A listener job without retries is an incident on the user task.
import { EngineError, type JobResult, type UserTaskCorrections, type Variables } from '../port.js'
import { evalString, evalValue } from './feel.js'
import type { Element } from './model.js'
import { toUserTask, type EiRow, type JobRow, type UtRow } from './rows.js'
import type { Inst, Step } from './step.js'

export type TaskListenerEventType = 'creating' | 'assigning' | 'updating' | 'completing' | 'canceling'
export const taskListenerEventTypes: readonly TaskListenerEventType[] = [
  'creating',
  'assigning',
  'updating',
  'completing',
  'canceling',
]

/** A zeebe:taskListener: a job of `type` (static value or expression) with `retries` (default 3). */
export interface TaskListener {
  type: string
  retries?: string
}

export type TaskListeners = Partial<Record<TaskListenerEventType, TaskListener[]>>

/** The element's zeebe:taskListeners by event type, in model order; undefined when it has none. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function taskListenersOf(fe: any): TaskListeners | undefined {
  const values = (fe.extensionElements?.values ?? []) as Array<{ $type: string; listeners?: unknown[] }>
  const all = (values.find((v) => v.$type === 'zeebe:TaskListeners')?.listeners ?? []) as Array<{
    eventType?: string
    type?: string
    retries?: string
  }>
  if (all.length === 0) return undefined
  const out: TaskListeners = {}
  for (const l of all) {
    const eventType = String(l.eventType ?? '') as TaskListenerEventType
    if (!taskListenerEventTypes.includes(eventType)) continue
    ;(out[eventType] ??= []).push({ type: String(l.type ?? ''), ...(l.retries ? { retries: String(l.retries) } : {}) })
  }
  return out
}

/** The task's correctable data, kept to roll a denied transition back. */
type Snapshot = Pick<
  UtRow,
  'assignee' | 'candidate_groups' | 'candidate_users' | 'due_date' | 'follow_up_date' | 'priority' | 'state'
>

/** Where a user task is in the listeners of one transition (EiData.taskListener). */
export interface TaskListenerProgress {
  eventType: TaskListenerEventType
  /** The listener whose job is open. */
  index: number
  jobKey: number
  userTaskKey: number
  /** Identifies the request that started the transition: its caller waits for this transition's outcome. */
  request: number
  /** The task before the transition (a denial restores it). */
  before: Snapshot
  /** Completing: the variables the task is completed with. */
  variables?: Variables
  /** Assigning: the assignee the task gets (listeners may correct it). */
  assignee?: string | null
  /** Zeebe's `action` header: assign, unassign, update, complete, or empty. */
  action: string
  /** Attributes the listeners corrected so far. */
  corrected: string[]
}

/** How a blocked transition ended, for the request that started it. */
export interface TaskListenerOutcome {
  request: number
  eventType: TaskListenerEventType
  denied: boolean
  deniedReason?: string
}

const transitionState: Record<TaskListenerEventType, UtRow['state']> = {
  creating: 'CREATING',
  assigning: 'ASSIGNING',
  updating: 'UPDATING',
  completing: 'COMPLETING',
  canceling: 'CANCELING',
}

/** Zeebe's `action` header per transition. */
const defaultAction: Record<TaskListenerEventType, string> = {
  creating: '',
  assigning: 'assign',
  updating: 'update',
  completing: 'complete',
  canceling: '',
}

export function taskListenersFor(el: Element, eventType: TaskListenerEventType): TaskListener[] {
  return el.taskListeners?.[eventType] ?? []
}

export function isTaskListenerJob(ei: EiRow, jobKey: number): boolean {
  return ei.data.taskListener != null && Number(ei.data.taskListener.jobKey) === Number(jobKey)
}

const header = (name: string): string => `io.camunda.zeebe:${name}`
const iso = (v: string | Date | null): string | undefined =>
  v == null ? undefined : v instanceof Date ? v.toISOString() : new Date(v).toISOString()

/** The task's data as Zeebe writes it to a task listener job's headers (Protocol.USER_TASK_*_HEADER_NAME). */
function userTaskHeaders(ut: UtRow, progress: TaskListenerProgress): Record<string, string> {
  const h: Record<string, string> = {}
  const assignee = progress.eventType === 'assigning' ? progress.assignee : ut.assignee
  h[header('userTaskKey')] = String(ut.key)
  h[header('action')] = progress.action
  if (assignee) h[header('assignee')] = assignee
  h[header('candidateGroups')] = JSON.stringify(ut.candidate_groups ?? [])
  h[header('candidateUsers')] = JSON.stringify(ut.candidate_users ?? [])
  const due = iso(ut.due_date)
  if (due) h[header('dueDate')] = due
  const followUp = iso(ut.follow_up_date)
  if (followUp) h[header('followUpDate')] = followUp
  if (ut.form_key) h[header('formKey')] = ut.form_key
  h[header('priority')] = String(ut.priority)
  h[header('changedAttributes')] = JSON.stringify(progress.corrected)
  return h
}

async function openJob(step: Step, inst: Inst, ei: EiRow, el: Element, ut: UtRow, p: TaskListenerProgress) {
  const listener = taskListenersFor(el, p.eventType)[p.index]!
  const ctx = step.visible(inst, ei.key)
  const type = evalString(listener.type, ctx, 'task listener job type')
  const retries = listener.retries ? Number(evalValue(listener.retries, ctx)) : 3
  const now = step.now.toISOString()
  const job: JobRow = {
    key: await step.key(),
    type,
    state: 'ACTIVATABLE',
    due_at: now,
    retries: Number.isFinite(retries) ? retries : 3,
    worker: null,
    process_instance_key: inst.pi.key,
    element_instance_key: ei.key,
    element_id: el.id,
    bpmn_process_id: inst.pi.bpmn_process_id,
    definition_key: inst.pi.definition_key,
    version: inst.pi.version,
    custom_headers: { ...ut.custom_headers, ...userTaskHeaders(ut, p) },
    error_message: null,
    created_at: now,
  }
  step.jobs.insert(job)
  step.wakeJobTypes.add(type)
  const { taskOutcome: _o, ...rest } = ei.data
  ei.data = { ...rest, taskListener: { ...p, jobKey: job.key } }
  step.dirty(inst, ei)
}

function snapshot(ut: UtRow): Snapshot {
  return {
    assignee: ut.assignee,
    candidate_groups: ut.candidate_groups,
    candidate_users: ut.candidate_users,
    due_date: ut.due_date,
    follow_up_date: ut.follow_up_date,
    priority: ut.priority,
    state: ut.state,
  }
}

/**
 * Starts a transition of the task: with listeners for it, the task enters the transition's state and the first
 * listener's job opens; returns the request key to wait on. Without listeners, returns undefined (the caller finishes
 * the transition at once).
 */
export async function startTransition(
  step: Step,
  inst: Inst,
  ei: EiRow,
  el: Element,
  ut: UtRow,
  eventType: TaskListenerEventType,
  payload: { variables?: Variables; assignee?: string | null; action?: string; changes?: UserTaskCorrections } = {},
): Promise<number | undefined> {
  if (taskListenersFor(el, eventType).length === 0) return undefined
  const progress: TaskListenerProgress = {
    eventType,
    index: 0,
    jobKey: 0,
    userTaskKey: ut.key,
    request: await step.key(),
    before: snapshot(ut),
    action: payload.action ?? defaultAction[eventType],
    corrected: [],
    ...(payload.variables ? { variables: payload.variables } : {}),
    ...('assignee' in payload ? { assignee: payload.assignee ?? null } : {}),
  }
  // Updating: the listeners see the task as updated and which attributes the update changed (a denial restores it).
  if (payload.changes) progress.corrected = applyCorrections(ut, payload.changes, progress)
  ut.state = transitionState[eventType]
  step.userTasks.update(ut as UtRow & { key: number })
  await openJob(step, inst, ei, el, ut, progress)
  return progress.request
}

const dateOrNull = (v: string): string | null => {
  if (v === '') return null
  const d = new Date(v)
  if (Number.isNaN(d.getTime())) throw new EngineError('INVALID_ARGUMENT', `Date '${v}' is not a date`)
  return d.toISOString()
}

/**
 * Applies a listener's corrections, or an update's changeset, to the task (assigning: to the assignee it gets); returns
 * what changed. A bad date or priority is rejected (INVALID_ARGUMENT).
 */
export function applyCorrections(ut: UtRow, c: UserTaskCorrections, p?: TaskListenerProgress): string[] {
  const changed: string[] = []
  if (c.assignee != null) {
    const value = c.assignee === '' ? null : c.assignee
    if (p?.eventType === 'assigning') p.assignee = value
    else ut.assignee = value
    changed.push('assignee')
  }
  if (c.dueDate != null) {
    ut.due_date = dateOrNull(c.dueDate)
    changed.push('dueDate')
  }
  if (c.followUpDate != null) {
    ut.follow_up_date = dateOrNull(c.followUpDate)
    changed.push('followUpDate')
  }
  if (c.candidateGroups != null) {
    ut.candidate_groups = [...c.candidateGroups]
    changed.push('candidateGroupsList')
  }
  if (c.candidateUsers != null) {
    ut.candidate_users = [...c.candidateUsers]
    changed.push('candidateUsersList')
  }
  if (c.priority != null) {
    if (!Number.isInteger(c.priority) || c.priority < 0 || c.priority > 100)
      throw new EngineError('INVALID_ARGUMENT', `Priority ${c.priority} is not an integer from 0 to 100`)
    ut.priority = c.priority
    changed.push('priority')
  }
  return changed
}

/** What finishing a transition does besides leaving the task's state: given by the caller (user-tasks.ts). */
export type FinishTransition = (
  step: Step,
  inst: Inst,
  ei: EiRow,
  ut: UtRow,
  progress: TaskListenerProgress,
) => Promise<void>

/**
 * A task listener's job completed: checks the answer as Zeebe does, applies its corrections, then opens the next
 * listener's job, or finishes the transition, or (denied) rolls the task back.
 */
export async function taskListenerDone(
  step: Step,
  inst: Inst,
  ei: EiRow,
  job: JobRow,
  variables: Variables | undefined,
  result: JobResult | undefined,
  finish: FinishTransition,
): Promise<void> {
  const progress = ei.data.taskListener!
  const ut = inst.userTasks.get(Number(progress.userTaskKey))
  if (!ut) throw new EngineError('INVALID_STATE', `Job ${job.key}: its user task is no longer open`)
  const { eventType } = progress
  // Zeebe 8.8 rejects these answers to a task listener job (JobCompleteProcessor).
  if (variables && Object.keys(variables).length > 0)
    throw new EngineError(
      'INVALID_ARGUMENT',
      `Task listener job ${job.key}: completing a task listener job with variables is not supported`,
    )
  if (result?.denied && (eventType === 'creating' || eventType === 'canceling'))
    throw new EngineError(
      'INVALID_ARGUMENT',
      `Task listener job ${job.key}: denying result is not supported for '${eventType}' task listener jobs`,
    )
  const corrections = result?.corrections
  if (eventType === 'canceling' && corrections && Object.values(corrections).some((v) => v != null))
    throw new EngineError(
      'INVALID_ARGUMENT',
      `Task listener job ${job.key}: corrections are not supported for 'canceling' task listener jobs`,
    )
  step.jobs.delete(job.key)
  const { taskListener: _p, ...rest } = ei.data
  ei.data = rest
  step.dirty(inst, ei)

  if (result?.denied) {
    Object.assign(ut, progress.before)
    step.userTasks.update(ut as UtRow & { key: number })
    const outcome: TaskListenerOutcome = {
      request: progress.request,
      eventType,
      denied: true,
      deniedReason: result.deniedReason ?? '',
    }
    ei.data = { ...ei.data, taskOutcome: outcome }
    return
  }
  if (corrections) {
    for (const name of applyCorrections(ut, corrections, progress))
      if (!progress.corrected.includes(name)) progress.corrected.push(name)
    step.userTasks.update(ut as UtRow & { key: number })
  }
  const el = step.el(inst, ei.element_id)
  if (progress.index + 1 < taskListenersFor(el, eventType).length) {
    const next = { ...progress, index: progress.index + 1 }
    if (eventType !== 'canceling') return await openJob(step, inst, ei, el, ut, next)
    // The element is terminating: a failing expression is an incident on it (resolving it runs them from the first).
    try {
      return await openJob(step, inst, ei, el, ut, next)
    } catch (err) {
      return await step.failElement(inst, ei, 'cancel', err)
    }
  }
  ei.data = { ...ei.data, taskOutcome: { request: progress.request, eventType, denied: false } }
  await finish(step, inst, ei, ut, progress)
}

/** Zeebe's rejection of a request whose transition a listener denied. */
export function deniedError(outcome: TaskListenerOutcome, userTaskKey: string): EngineError {
  const what =
    outcome.eventType === 'assigning' ? 'Assignment' : outcome.eventType === 'updating' ? 'Update' : 'Completion'
  return new EngineError(
    'DENIED',
    `${what} of the User Task with key '${userTaskKey}' was denied by Task Listener. Reason to deny: '${outcome.deniedReason ?? ''}'`,
  )
}

/** The task's created event, once its creating listeners (if any) are done. */
export function emitCreated(step: Step, inst: Inst, ut: UtRow): void {
  step.emit(inst, {
    type: 'userTask.created',
    at: step.now,
    processInstanceKey: String(inst.pi.key),
    userTask: toUserTask(ut),
  })
}
