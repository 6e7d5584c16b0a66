// Execution listeners (zeebe:executionListeners): each one a job a worker completes before the element goes on.
// Start listeners run after the input mappings and before the element's behaviour (subscriptions, expressions, its
// job); the variables they complete with become the element's locals. End listeners run after the output mappings and
// before the element is left; their variables go to the enclosing scope. Listeners of one event type run one after
// the other in model order. https://docs.camunda.io/docs/components/concepts/execution-listeners/
import { evalString, evalValue } from './feel.js'
import type { Element, ExecutionListener } from './model.js'
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
  const listener = listenersOf(el, eventType)[index]!
  const ctx = step.visible(inst, ei.key)
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
    element_instance_key: ei.key,
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
  const progress: ListenerProgress = { eventType, index, jobKey: job.key, ...(triggered ? { triggered } : {}) }
  ei.data = { ...ei.data, listener: progress }
  step.dirty(inst, ei)
}

/** True when the job is the open execution listener job of its element instance. */
export function isListenerJob(ei: EiRow, jobKey: number): boolean {
  return ei.data.listener != null && Number(ei.data.listener.jobKey) === Number(jobKey)
}
