// The workflow-engine port: what the rest of motcua may ask of an engine. Two adapters implement it
// (embedded/ over PostgreSQL, zeebe/ over @camunda8/sdk) and both pass one contract test suite.
// Keys are strings (Zeebe keys are int64 and do not fit a JS number).

export type Variables = Record<string, unknown>

export interface DeployResource {
  /** File name, e.g. `dang-ky-khai-sinh.bpmn`. */
  name: string
  content: string | Buffer
}

export interface DeployedProcess {
  bpmnProcessId: string
  processDefinitionKey: string
  version: number
  resourceName: string
  /** True when the resource was identical to the latest version, so no new version was made. */
  duplicate: boolean
}

/** A DMN decision deployed from a .dmn resource (one decision requirements graph per resource). */
export interface DeployedDecision {
  decisionId: string
  decisionKey: string
  version: number
  versionTag?: string
  decisionRequirementsId: string
  decisionRequirementsKey: string
  resourceName: string
  /** True when the resource was identical to the latest version, so no new version was made. */
  duplicate: boolean
}

export interface DeployResult {
  deploymentKey: string
  processes: DeployedProcess[]
  /** Decisions of the .dmn resources deployed with the processes (none when there were none). */
  decisions?: DeployedDecision[]
}

/** One problem found while validating a resource for deployment. */
export interface DeployProblem {
  resourceName: string
  elementId?: string
  rule: string
  message: string
  severity: 'error' | 'warning'
}

/** Thrown by deploy() when a resource is invalid; nothing is deployed. */
export class DeployValidationError extends Error {
  constructor(readonly problems: DeployProblem[]) {
    super(`Deployment rejected: ${problems.filter((p) => p.severity === 'error').length} problem(s)`)
    this.name = 'DeployValidationError'
  }
}

export interface CreateInstanceRequest {
  bpmnProcessId: string
  /** Omitted: the latest version. */
  version?: number
  variables?: Variables
}

export interface ProcessInstanceRef {
  processInstanceKey: string
  processDefinitionKey: string
  bpmnProcessId: string
  version: number
}

export type ProcessInstanceState = 'ACTIVE' | 'COMPLETED' | 'TERMINATED'

export interface ActiveElement {
  elementId: string
  elementInstanceKey: string
  elementType: string
}

export interface Incident {
  incidentKey: string
  processInstanceKey: string
  elementId: string
  elementInstanceKey: string
  jobKey?: string
  errorType: string
  errorMessage: string
  createdAt: Date
}

export interface ProcessInstanceView extends ProcessInstanceRef {
  state: ProcessInstanceState
  variables: Variables
  activeElements: ActiveElement[]
  incidents: Incident[]
}

export interface ActivatedJob {
  key: string
  type: string
  processInstanceKey: string
  processDefinitionKey: string
  bpmnProcessId: string
  processDefinitionVersion: number
  elementId: string
  elementInstanceKey: string
  customHeaders: Record<string, string>
  worker: string
  retries: number
  /** When the lock expires and the job may be handed to another worker. */
  deadline: Date
  variables: Variables
}

declare const acknowledged: unique symbol
/** Only the job's own complete/fail/error calls produce this, so a handler cannot forget to answer. */
export interface JobAcknowledgement {
  readonly [acknowledged]: true
}

/**
 * Corrections a user task listener's job applies to its task (Zeebe 8.8 JobResultCorrections): an empty string clears
 * assignee/dueDate/followUpDate, an empty list clears a candidate list, null or absent keeps the value.
 */
export interface UserTaskCorrections {
  assignee?: string | null
  dueDate?: string | null
  followUpDate?: string | null
  candidateUsers?: string[] | null
  candidateGroups?: string[] | null
  priority?: number | null
}

/**
 * What updating a user task may change (Zeebe 8.8 `PATCH /v2/user-tasks/{userTaskKey}`, its `changeset`): null or
 * absent keeps a value, an empty string clears a date, an empty list clears a candidate list; priority 0–100. The
 * assignee is changed by assignUserTask only.
 */
export type UserTaskChangeset = Omit<UserTaskCorrections, 'assignee'>

/**
 * What a job answers besides completing (Zeebe 8.8 JobResult, `POST /v2/jobs/{jobKey}/completion`).
 * - Type `userTask` (the default), a user task listener's job: `denied` rejects the task's transition (assigning,
 *   updating, completing), the task staying as it was; `corrections` change the task.
 *   https://docs.camunda.io/docs/components/concepts/user-task-listeners/
 * - Type `adHocSubProcess`, the job of an ad-hoc sub-process with a job worker implementation: the elements to
 *   activate (each with variables local to its activation), whether the completion condition is fulfilled, and
 *   whether the elements still running are then canceled. It cannot both activate and fulfil.
 *   https://docs.camunda.io/docs/components/modeler/bpmn/ad-hoc-subprocesses/#job-worker-implementation
 */
export interface JobResult {
  type?: 'userTask' | 'adHocSubProcess'
  denied?: boolean
  deniedReason?: string
  corrections?: UserTaskCorrections
  activateElements?: Array<{ elementId: string; variables?: Variables }>
  isCompletionConditionFulfilled?: boolean
  isCancelRemainingInstances?: boolean
}

export interface JobActions {
  complete(variables?: Variables, result?: JobResult): Promise<JobAcknowledgement>
  /** retries = remaining retries; 0 raises an incident. */
  fail(opts: {
    retries: number
    retryBackOffMs?: number
    errorMessage: string
    variables?: Variables
  }): Promise<JobAcknowledgement>
  /** Throws a BPMN error, caught by an error boundary or error event sub-process; an incident if uncaught. */
  error(opts: { errorCode: string; errorMessage?: string; variables?: Variables }): Promise<JobAcknowledgement>
}

export type Job = ActivatedJob & JobActions
export type JobHandler = (job: Job) => Promise<JobAcknowledgement>

export interface WorkerOptions {
  type: string
  /** Worker name, recorded on the job. */
  worker?: string
  /** At most this many jobs in flight at once for this worker. */
  maxJobsToActivate?: number
  /** Lock timeout: after this the job may be activated again. */
  timeoutMs?: number
  /** Only these variables are fetched; all when omitted. */
  fetchVariables?: string[]
  /** Fallback poll interval when no notification arrives. */
  pollIntervalMs?: number
}

export interface JobWorker {
  /** Stops activating, waits for jobs in flight (drain), then resolves. */
  close(): Promise<void>
}

export interface ActivateJobsRequest {
  type: string
  worker: string
  maxJobsToActivate: number
  timeoutMs: number
  fetchVariables?: string[]
}

export interface PublishMessageRequest {
  name: string
  correlationKey: string
  variables?: Variables
  /** How long the message is buffered when no subscription takes it; 0 = not buffered. */
  timeToLiveMs?: number
  /** Messages with the same id are published once while the first is buffered. */
  messageId?: string
}

export interface BroadcastSignalRequest {
  /** The signal name: every signal catch event and signal start event with this name is triggered. */
  signalName: string
  variables?: Variables
}

/**
 * CREATED, COMPLETED, CANCELED; a task whose user task listeners run is in the transition they block (Zeebe 8.8:
 * CREATING, ASSIGNING, UPDATING, COMPLETING, CANCELING) until the last listener's job completes.
 */
export type UserTaskState =
  'CREATED' | 'COMPLETED' | 'CANCELED' | 'CREATING' | 'ASSIGNING' | 'UPDATING' | 'COMPLETING' | 'CANCELING'

export interface UserTask {
  userTaskKey: string
  name: string
  elementId: string
  elementInstanceKey: string
  processInstanceKey: string
  processDefinitionKey: string
  bpmnProcessId: string
  state: UserTaskState
  assignee?: string
  candidateGroups: string[]
  candidateUsers: string[]
  dueDate?: Date
  followUpDate?: Date
  formKey?: string
  customHeaders: Record<string, string>
  priority: number
  creationDate: Date
  completionDate?: Date
  /**
   * Set for a job-based user task (a bpmn:userTask without <zeebe:userTask/>): Zeebe runs it as a job of type
   * `io.camunda.zeebe:userTask`, and this is that job. The task completes when the job does, or when it is completed
   * through completeUserTask (which then ends the job). Absent for Camunda (Zeebe) user tasks.
   */
  jobKey?: string
}

export interface UserTaskFilter {
  state?: UserTaskState
  processInstanceKey?: string
  assignee?: string
  candidateGroups?: string[]
  elementId?: string
  limit?: number
}

export type EngineEvent =
  | {
      type: 'element.entered' | 'element.completed' | 'element.terminated'
      at: Date
      processInstanceKey: string
      bpmnProcessId: string
      elementId: string
      elementInstanceKey: string
      elementType: string
    }
  | { type: 'instance.completed' | 'instance.terminated'; at: Date; processInstanceKey: string; bpmnProcessId: string }
  | { type: 'incident.created' | 'incident.resolved'; at: Date; processInstanceKey: string; incident: Incident }
  | {
      type: 'userTask.created' | 'userTask.assigned' | 'userTask.updated' | 'userTask.completed' | 'userTask.canceled'
      at: Date
      processInstanceKey: string
      userTask: UserTask
    }

export type EngineEventListener = (event: EngineEvent) => void | Promise<void>

export interface Engine {
  readonly kind: 'embedded' | 'zeebe'
  /** Starts timers/notification listeners. Workers may be created before or after. */
  start(): Promise<void>
  /** Closes every worker (draining jobs in flight) and releases connections. */
  stop(): Promise<void>
  /** True when the engine can take work (broker/database reachable). */
  ready(): Promise<boolean>

  deploy(resources: DeployResource[]): Promise<DeployResult>
  createProcessInstance(req: CreateInstanceRequest): Promise<ProcessInstanceRef>
  cancelProcessInstance(processInstanceKey: string): Promise<void>
  getProcessInstance(processInstanceKey: string): Promise<ProcessInstanceView | undefined>

  createWorker(opts: WorkerOptions, handler: JobHandler): JobWorker
  /** Low-level activation, for tests and custom workers; jobs must then be answered with the methods below. */
  activateJobs(req: ActivateJobsRequest): Promise<ActivatedJob[]>
  /** `result`: a user task listener's denial or corrections (JobResult). */
  completeJob(jobKey: string, variables?: Variables, result?: JobResult): Promise<void>
  failJob(
    jobKey: string,
    opts: { retries: number; retryBackOffMs?: number; errorMessage: string; variables?: Variables },
  ): Promise<void>
  throwJobError(
    jobKey: string,
    opts: { errorCode: string; errorMessage?: string; variables?: Variables },
  ): Promise<void>
  updateJobRetries(jobKey: string, retries: number): Promise<void>
  resolveIncident(incidentKey: string): Promise<void>

  publishMessage(req: PublishMessageRequest): Promise<{ messageKey: string }>
  /** Broadcasts a signal to every waiting signal event and signal start event of its name (not buffered). */
  broadcastSignal(req: BroadcastSignalRequest): Promise<{ signalKey: string }>

  searchUserTasks(filter: UserTaskFilter): Promise<UserTask[]>
  getUserTask(userTaskKey: string): Promise<UserTask | undefined>
  /** assignee undefined = unassign. */
  assignUserTask(userTaskKey: string, assignee: string | undefined, opts?: { allowOverride?: boolean }): Promise<void>
  /**
   * Resolves once the task is completed, after its completing listeners (as Zeebe's gateway answers); a listener's
   * denial rejects with EngineError DENIED and leaves the task as it was.
   */
  completeUserTask(userTaskKey: string, variables?: Variables): Promise<void>
  /**
   * Changes a task's dates, candidates or priority (Zeebe 8.8 PATCH /v2/user-tasks/{key}); `action` is the custom
   * action its events and updating listeners see (default `update`). Resolves once its updating listeners are done;
   * a listener's denial rejects with EngineError DENIED and leaves the task as it was.
   */
  updateUserTask(userTaskKey: string, changeset: UserTaskChangeset, opts?: { action?: string }): Promise<void>

  /** Engine events, delivered at least once, in order per process instance. Returns an unsubscribe. */
  onEvent(listener: EngineEventListener): () => void
  /**
   * The durable event log: records after `afterId`, oldest first, at most `limit`. A read model stores
   * the last id it applied and reads on from it, so no event is lost to a crash. Ids increase but may
   * have gaps, and a record may become visible after one with a higher id (commit order).
   */
  readEvents(afterId: number, limit?: number): Promise<Array<{ id: number; events: EngineEvent[] }>>
}

/** DENIED: a user task listener denied the transition (Zeebe: INVALID_STATE "… was denied by Task Listener …"). */
export type EngineErrorCode = 'NOT_FOUND' | 'INVALID_STATE' | 'CONFLICT' | 'INVALID_ARGUMENT' | 'UNAVAILABLE' | 'DENIED'

/** A refused engine operation (unknown key, task already completed, already assigned …). */
export class EngineError extends Error {
  constructor(
    readonly code: EngineErrorCode,
    message: string,
  ) {
    super(message)
    this.name = 'EngineError'
  }
}
