// Execution listeners (zeebe:executionListeners): each one a job a worker completes before the element goes on.
// Start listeners run after the input mappings and before the element's behaviour (subscriptions, expressions, its
// job); the variables they complete with become the element's locals. End listeners run after the output mappings and
// before the element is left; their variables go to the enclosing scope. Listeners of one event type run one after
// the other in model order. https://docs.camunda.io/docs/components/concepts/execution-listeners/
import { ExpressionError, evalString, evalValue } from './feel.js'
import type { Element, ExecutionListener } from './model.js'
import type { Variables } from '../port.js'
import type { EiRow, JobRow } from './rows.js'
import type { Inst, Step } from './step.js'

export type ListenerEventType = 'start' | 'end'

/** Where an element instance is in its listeners (EiData.listener). */
export interface ListenerProgress {
  eventType: ListenerEventType
  /** The listener whose job is open. */
  index: number
  jobKey: number
  /** Start listeners of an element entered because its event fired: the event's variables, applied after them. */
  triggered?: Record<string, unknown>
}

export function listenersOf(el: Element, eventType: ListenerEventType): ExecutionListener[] {
  return el.executionListeners?.[eventType] ?? []
}

/**
 * Opens the job of listener `index` of the element instance and records it as the step the instance waits on.
 * The listener's type and retries are static values or expressions, evaluated now (a failure is an incident on the
 * element, and resolving it runs the element's listeners of that event type from the first again, as in Zeebe).
 */
export async function openListenerJob(
  step: Step,
  inst: Inst,
  ei: EiRow,
  el: Element,
  eventType: ListenerEventType,
  index: number,
  triggered?: Record<string, unknown>,
): Promise<void> {
  const job = await createListenerJob(step, inst, ei.key, el, eventType, index)
  const progress: ListenerProgress = { eventType, index, jobKey: job.key, ...(triggered ? { triggered } : {}) }
  ei.data = { ...ei.data, listener: progress }
  step.dirty(inst, ei)
}

async function createListenerJob(
  step: Step,
  inst: Inst,
  elementInstanceKey: number,
  el: Element,
  eventType: ListenerEventType,
  index: number,
): Promise<JobRow> {
  const listener = listenersOf(el, eventType)[index]!
  const ctx = step.visible(inst, elementInstanceKey)
  const type = evalString(listener.type, ctx, 'execution listener job type')
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
    element_instance_key: elementInstanceKey,
    element_id: el.id,
    bpmn_process_id: inst.pi.bpmn_process_id,
    definition_key: inst.pi.definition_key,
    version: inst.pi.version,
    // The element's headers and the listener's own; the listener's win on the same key.
    custom_headers: { ...el.headers, ...listener.headers },
    error_message: null,
    created_at: now,
  }
  step.jobs.insert(job)
  step.wakeJobTypes.add(type)
  return job
}

// ---------------------------------------------------------------- the process's own listeners
// Process start listeners run when the instance is activated, before its event subscriptions and its start event;
// process end listeners run once its last token ended, before it completes. Their variables are the process's.

/** Where a process instance is in its own listeners (ScopeData.listener of the instance). */
export interface ProcessListenerProgress extends ListenerProgress {
  /** Start listeners: the start event the instance starts at once they are done. */
  startElementId?: string
}

export function isProcessListenerJob(inst: Inst, jobKey: number): boolean {
  const progress = inst.pi.data.listener
  return progress != null && Number(progress.jobKey) === Number(jobKey)
}

/** The process as an element instance, for an incident on its listener job. */
export function processAsElement(inst: Inst): EiRow {
  const { pi } = inst
  return {
    key: pi.key,
    process_instance_key: pi.key,
    scope_key: pi.key,
    element_id: pi.bpmn_process_id,
    element_type: 'process',
    state: 'ACTIVATED',
    variables: {},
    data: {},
    created_at: pi.created_at,
  }
}

/**
 * Opens the process's listener `index` of an event type; a type or retries expression that fails is an incident on the
 * process, as in Zeebe (the instance exists and waits). Resolving it runs that event type's listeners from the first
 * again: a start (`pi.data.pendingStart`, the start event to go on with) through `retryProcessStart`, an end through
 * the instance's completion.
 */
export async function openProcessListener(
  step: Step,
  inst: Inst,
  eventType: ListenerEventType,
  index: number,
  startElementId?: string,
): Promise<void> {
  try {
    // The listener's element is the process: its element instance key is the instance key.
    const root = step.el(inst, inst.pi.bpmn_process_id)
    const job = await createListenerJob(step, inst, inst.pi.key, root, eventType, index)
    const progress: ProcessListenerProgress = {
      eventType,
      index,
      jobKey: job.key,
      ...(startElementId ? { startElementId } : {}),
    }
    inst.pi.data = { ...inst.pi.data, listener: progress }
    inst.piDirty = true
  } catch (err) {
    if (!(err instanceof ExpressionError)) throw err
    if (eventType === 'start') inst.pi.data = { ...inst.pi.data, pendingStart: startElementId! }
    inst.piDirty = true
    await step.raiseIncident(inst, processAsElement(inst), err.errorType, err.message)
  }
}

/** The incident on a process start listener was resolved: its start listeners run again from the first. */
export async function retryProcessStart(step: Step, inst: Inst): Promise<boolean> {
  const startElementId = inst.pi.data.pendingStart
  if (startElementId === undefined) return false
  const { pendingStart: _p, ...rest } = inst.pi.data
  inst.pi.data = rest
  inst.piDirty = true
  await openProcessListener(step, inst, 'start', 0, startElementId)
  return true
}

/** A process listener's job completed: its variables become the process's; the next listener or the process goes on. */
export async function processListenerDone(step: Step, inst: Inst, vars: Variables | undefined): Promise<void> {
  const progress = inst.pi.data.listener!
  if (vars && Object.keys(vars).length > 0) inst.pi.variables = { ...inst.pi.variables, ...vars }
  const { listener: _l, ...rest } = inst.pi.data
  inst.pi.data = rest
  inst.piDirty = true
  const root = step.el(inst, inst.pi.bpmn_process_id)
  if (progress.index + 1 < listenersOf(root, progress.eventType).length)
    return await openProcessListener(step, inst, progress.eventType, progress.index + 1, progress.startElementId)
  if (progress.eventType === 'start') return await step.beginProcess(inst, progress.startElementId!)
  await step.completeInstanceNow(inst)
}

/** True when the job is the open execution listener job of its element instance. */
export function isListenerJob(ei: EiRow, jobKey: number): boolean {
  return ei.data.listener != null && Number(ei.data.listener.jobKey) === Number(jobKey)
}
