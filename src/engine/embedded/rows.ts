// Row shapes of the engine tables and their conversion to the port's types.
import type { Incident, UserTask, UserTaskState, Variables } from '../port.js'
import type { ListenerProgress, ProcessListenerProgress } from './listeners.js'
import type { TaskListenerOutcome, TaskListenerProgress } from './task-listeners.js'
import type { CompensationSubscription } from './elements/compensation.js'

export interface PiRow {
  key: number
  definition_key: number
  bpmn_process_id: string
  version: number
  state: 'ACTIVE' | 'COMPLETED' | 'TERMINATED'
  variables: Variables
  data: ScopeData
  parent_process_instance_key: number | null
  parent_element_instance_key: number | null
  created_at: string | Date
  ended_at: string | Date | null
}

export interface ScopeData {
  /** Tokens waiting at joining gateways of this scope: gateway id → flow id → count. */
  joins?: Record<string, Record<string, number>>
  /** An interrupting event sub-process took over the scope. */
  interrupted?: boolean
  /** An ad-hoc sub-process with a job worker implementation: its current job, if any (elements/ad-hoc.ts). */
  adHocJobKey?: number
  /** Its worker fulfilled the completion condition: it completes once nothing inside it runs. */
  adHocFulfilled?: boolean
  /** Waiting for an execution listener's job (listeners.ts); on the process instance, of the process's own. */
  listener?: ProcessListenerProgress
  /** The process instance only: a start listener's expression failed (an incident); the start event it goes on to. */
  pendingStart?: string
  /** The process instance only: its compensation subscriptions (elements/compensation.ts). */
  compensation?: CompensationSubscription[]
  /** The process instance only: canceled, it waits for canceling user task listeners inside it (step.terminate). */
  terminating?: boolean
  /** What the scope does once the children it terminated are gone, when canceling user task listeners held them. */
  afterChildrenTerminated?: AfterChildrenTerminated
}

/**
 * The continuation of a termination that waits for canceling user task listeners (Zeebe writes it as follow-up
 * records): an interrupting event sub-process starts, or a multi-instance body or ad-hoc sub-process whose completion
 * condition was met completes.
 */
export type AfterChildrenTerminated =
  { eventSubProcess: string; variables: Variables } | { complete: 'multiInstance' | 'adHoc' }

export interface EiData extends ScopeData {
  /** Inner instance of a multi-instance body. */
  inner?: boolean
  mi?: { items: unknown[]; completed: number; next: number }
  childKey?: number
  /** What to retry when the incident on this element is resolved. */
  failedPhase?: 'activate' | 'complete' | 'cancel'
  entered?: boolean
  /** Event sub-process: the variables of the event that started it. */
  trigger?: Variables
  /** Waiting for an execution listener's job (listeners.ts). */
  listener?: ListenerProgress
  /** Its user task's transition waits for a user task listener's job (task-listeners.ts). */
  taskListener?: TaskListenerProgress
  /** How the last transition blocked by user task listeners ended (read by the caller that asked for it). */
  taskOutcome?: TaskListenerOutcome
  /** A compensation handler invoked by a compensation throw event (elements/compensation.ts). */
  compensationHandler?: boolean
  /** TERMINATING because its interrupting boundary event fired: the boundary event it activates once terminated. */
  boundaryAfterTermination?: { boundaryId: string; variables: Variables | null }
}

export interface EiRow {
  key: number
  process_instance_key: number
  scope_key: number
  element_id: string
  element_type: string
  /** TERMINATING: its termination waits for canceling user task listeners (its own task's or inside it). */
  state: 'ACTIVATING' | 'ACTIVATED' | 'COMPLETING' | 'TERMINATING'
  variables: Variables
  data: EiData
  created_at: string | Date
}

export interface JobRow {
  key: number
  type: string
  state: 'ACTIVATABLE' | 'ACTIVATED' | 'FAILED'
  due_at: string | Date
  retries: number
  worker: string | null
  process_instance_key: number
  element_instance_key: number
  element_id: string
  bpmn_process_id: string
  definition_key: number
  version: number
  custom_headers: Record<string, string>
  error_message: string | null
  created_at: string | Date
}

export interface TimerRow {
  key: number
  due_at: string | Date
  process_instance_key: number | null
  element_instance_key: number | null
  element_id: string
  definition_key: number
  repetitions: number
  interval: string | null
}

export interface SubRow {
  key: number
  message_name: string
  correlation_key: string
  process_instance_key: number
  element_instance_key: number
  element_id: string
  created_at: string | Date
}

export interface UtRow {
  key: number
  name: string
  element_id: string
  element_instance_key: number
  process_instance_key: number
  definition_key: number
  bpmn_process_id: string
  state: UserTaskState
  assignee: string | null
  candidate_groups: string[]
  candidate_users: string[]
  due_date: string | Date | null
  follow_up_date: string | Date | null
  form_key: string | null
  custom_headers: Record<string, string>
  priority: number
  created_at: string | Date
  completed_at: string | Date | null
  /** The io.camunda.zeebe:userTask job of a job-based user task; null for a Zeebe user task. */
  job_key: number | null
}

export interface IncidentRow {
  key: number
  process_instance_key: number
  element_id: string
  element_instance_key: number
  job_key: number | null
  error_type: string
  error_message: string
  state: 'ACTIVE' | 'RESOLVED'
  created_at: string | Date
}

const date = (v: string | Date): Date => (v instanceof Date ? v : new Date(v))
const optDate = (v: string | Date | null | undefined): Date | undefined => (v == null ? undefined : date(v))

export function toUserTask(r: UtRow): UserTask {
  const t: UserTask = {
    userTaskKey: String(r.key),
    name: r.name,
    elementId: r.element_id,
    elementInstanceKey: String(r.element_instance_key),
    processInstanceKey: String(r.process_instance_key),
    processDefinitionKey: String(r.definition_key),
    bpmnProcessId: r.bpmn_process_id,
    state: r.state,
    candidateGroups: r.candidate_groups ?? [],
    candidateUsers: r.candidate_users ?? [],
    customHeaders: r.custom_headers ?? {},
    priority: r.priority,
    creationDate: date(r.created_at),
  }
  if (r.assignee != null) t.assignee = r.assignee
  if (r.due_date != null) t.dueDate = date(r.due_date)
  if (r.follow_up_date != null) t.followUpDate = date(r.follow_up_date)
  if (r.form_key != null) t.formKey = r.form_key
  const done = optDate(r.completed_at)
  if (done) t.completionDate = done
  if (r.job_key != null) t.jobKey = String(r.job_key)
  return t
}

export function toIncident(r: IncidentRow): Incident {
  const i: Incident = {
    incidentKey: String(r.key),
    processInstanceKey: String(r.process_instance_key),
    elementId: r.element_id,
    elementInstanceKey: String(r.element_instance_key),
    errorType: r.error_type,
    errorMessage: r.error_message,
    createdAt: date(r.created_at),
  }
  if (r.job_key != null) i.jobKey = String(r.job_key)
  return i
}
