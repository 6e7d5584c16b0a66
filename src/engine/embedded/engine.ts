// The embedded workflow engine: implements the engine port over PostgreSQL rows, one transaction per
// step, so any number of motcua processes can share one database and nothing waits in memory. This
// class only composes the parts, one module per concern (see docs/embedded-engine.md).
import type { Database } from '../../db/database.js'
import type {
  ActivateJobsRequest,
  ActivatedJob,
  BroadcastSignalRequest,
  CreateInstanceRequest,
  DeployResource,
  DeployResult,
  Engine,
  EngineEvent,
  EngineEventListener,
  JobHandler,
  JobWorker,
  ProcessInstanceRef,
  ProcessInstanceView,
  PublishMessageRequest,
  UserTask,
  UserTaskChangeset,
  UserTaskFilter,
  JobResult,
  Variables,
  WorkerOptions,
} from '../port.js'
import { EngineCore, type EmbeddedEngineOptions } from './core.js'
import { Deployments } from './deployment.js'
import { EventLog } from './events.js'
import { Incidents } from './incidents.js'
import { Instances } from './instances.js'
import { Jobs } from './jobs.js'
import { Messages } from './messages.js'
import { JobNotifications } from './notifications.js'
import { Signals } from './signals.js'
import { Timers } from './timers.js'
import { UserTasks } from './user-tasks.js'

export type { DeployValidator, EmbeddedEngineOptions } from './core.js'

export class EmbeddedEngine implements Engine {
  readonly kind = 'embedded' as const
  private readonly core: EngineCore
  private readonly notifications: JobNotifications
  private readonly timers: Timers
  private readonly events: EventLog
  private readonly deployments: Deployments
  private readonly instances: Instances
  private readonly jobs: Jobs
  private readonly incidents: Incidents
  private readonly messages: Messages
  private readonly signals: Signals
  private readonly userTasks: UserTasks
  private started = false

  constructor(db: Database, opts: EmbeddedEngineOptions = {}) {
    this.core = new EngineCore(db, opts)
    // Each part that reacts to a commit registers itself with the core: wake-ups, timers, events.
    this.notifications = new JobNotifications(this.core)
    this.messages = new Messages(this.core)
    this.signals = new Signals(this.core)
    this.timers = new Timers(this.core, this.messages)
    this.events = new EventLog(this.core)
    this.deployments = new Deployments(this.core, (at) => this.timers.scheduleTimerWake(at))
    this.instances = new Instances(this.core)
    this.jobs = new Jobs(this.core, this.notifications)
    this.incidents = new Incidents(this.core)
    this.userTasks = new UserTasks(this.core)
  }

  // ------------------------------------------------------------ lifecycle

  async start(): Promise<void> {
    if (this.started) return
    this.started = true
    this.core.stopped = false
    this.timers.start()
    if (this.core.notifies) await this.notifications.listen()
  }

  async stop(): Promise<void> {
    this.core.stopped = true
    this.started = false
    this.timers.halt()
    await Promise.all([...this.jobs.workers].map((w) => w.close()))
    await this.timers.idle()
    await this.notifications.unlisten()
    await this.events.drained()
  }

  async ready(): Promise<boolean> {
    try {
      await this.core.knex.raw('SELECT 1')
      return true
    } catch {
      return false
    }
  }

  // ------------------------------------------------------------ the port, by concern

  deploy(resources: DeployResource[]): Promise<DeployResult> {
    return this.deployments.deploy(resources)
  }

  createProcessInstance(req: CreateInstanceRequest): Promise<ProcessInstanceRef> {
    return this.instances.createProcessInstance(req)
  }

  cancelProcessInstance(processInstanceKey: string): Promise<void> {
    return this.instances.cancelProcessInstance(processInstanceKey)
  }

  getProcessInstance(processInstanceKey: string): Promise<ProcessInstanceView | undefined> {
    return this.instances.getProcessInstance(processInstanceKey)
  }

  createWorker(opts: WorkerOptions, handler: JobHandler): JobWorker {
    return this.jobs.createWorker(opts, handler)
  }

  activateJobs(req: ActivateJobsRequest): Promise<ActivatedJob[]> {
    return this.jobs.activateJobs(req)
  }

  completeJob(jobKey: string, variables?: Variables, result?: JobResult): Promise<void> {
    return this.jobs.completeJob(jobKey, variables, result)
  }

  failJob(
    jobKey: string,
    opts: { retries: number; retryBackOffMs?: number; errorMessage: string; variables?: Variables },
  ): Promise<void> {
    return this.jobs.failJob(jobKey, opts)
  }

  throwJobError(
    jobKey: string,
    opts: { errorCode: string; errorMessage?: string; variables?: Variables },
  ): Promise<void> {
    return this.jobs.throwJobError(jobKey, opts)
  }

  updateJobRetries(jobKey: string, retries: number): Promise<void> {
    return this.jobs.updateJobRetries(jobKey, retries)
  }

  resolveIncident(incidentKey: string): Promise<void> {
    return this.incidents.resolveIncident(incidentKey)
  }

  publishMessage(req: PublishMessageRequest): Promise<{ messageKey: string }> {
    return this.messages.publishMessage(req)
  }

  broadcastSignal(req: BroadcastSignalRequest): Promise<{ signalKey: string }> {
    return this.signals.broadcastSignal(req)
  }

  searchUserTasks(filter: UserTaskFilter): Promise<UserTask[]> {
    return this.userTasks.searchUserTasks(filter)
  }

  getUserTask(userTaskKey: string): Promise<UserTask | undefined> {
    return this.userTasks.getUserTask(userTaskKey)
  }

  assignUserTask(userTaskKey: string, assignee: string | undefined, opts?: { allowOverride?: boolean }): Promise<void> {
    return this.userTasks.assignUserTask(userTaskKey, assignee, opts)
  }

  completeUserTask(userTaskKey: string, variables?: Variables): Promise<void> {
    return this.userTasks.completeUserTask(userTaskKey, variables)
  }

  updateUserTask(userTaskKey: string, changeset: UserTaskChangeset, opts?: { action?: string }): Promise<void> {
    return this.userTasks.updateUserTask(userTaskKey, changeset, opts)
  }

  onEvent(listener: EngineEventListener): () => void {
    return this.events.onEvent(listener)
  }

  readEvents(afterId: number, limit?: number): Promise<Array<{ id: number; events: EngineEvent[] }>> {
    return this.events.readEvents(afterId, limit)
  }

  // ------------------------------------------------------------ for tests and operators

  /** Finishes message correlations a publisher recorded but did not deliver; returns how many. */
  recoverMessages(graceMs?: number): Promise<number> {
    return this.messages.recoverMessages(graceMs)
  }

  /** Fires the timers due now (by the engine clock); returns how many fired. */
  runDueTimers(limit?: number): Promise<number> {
    return this.timers.runDueTimers(limit)
  }
}
