// The Zeebe (Camunda 8.8) adapter of the engine port, over the Orchestration Cluster REST API (v2).
import {
  DeployValidationError,
  EngineError,
  type ActivateJobsRequest,
  type ActivatedJob,
  type CreateInstanceRequest,
  type DeployProblem,
  type DeployResource,
  type DeployResult,
  type Engine,
  type EngineEvent,
  type EngineEventListener,
  type JobAcknowledgement,
  type JobActions,
  type JobHandler,
  type JobResult,
  type JobWorker,
  type ProcessInstanceRef,
  type ProcessInstanceView,
  type BroadcastSignalRequest,
  type PublishMessageRequest,
  type UserTask,
  type UserTaskChangeset,
  type UserTaskFilter,
  type Variables,
  type WorkerOptions,
} from '../port.js'
import type { EngineEventLog } from '../event-log.js'
import { validateBpmn } from '../validation/index.js'
import { createZeebeClient, type ZeebeClient, type ZeebeConnectionOptions } from './client.js'
import { call, callOrUndefined, toEngineError } from './errors.js'
import { EventPoller, type EventPollerOptions } from './events.js'
import { parseVariableValue, toActivatedJob, toIncident, toUserTask } from './mapping.js'
import { startJobWorker, type WorkerTuning } from './worker.js'

export type { ZeebeClient, ZeebeConnectionOptions } from './client.js'

export interface ZeebeEngineOptions {
  /** The SDK client (tests inject a fake); see createZeebeEngine for building it from a connection. */
  client: ZeebeClient
  /** Releases the client's connections on stop(). */
  closeClient?: () => Promise<void>
  /** Run before every deployment; an error-severity problem rejects it. Default: validateBpmn with no job-type list. */
  validators?: Array<(resources: DeployResource[]) => Promise<DeployProblem[]>>
  /**
   * How long reads by key (instance, user task) wait for Camunda's secondary storage to catch up
   * with the broker. 0 answers at once, possibly "not found" for something just created.
   */
  readConsistencyMs?: number
  events?: EventPollerOptions
  /**
   * The durable event log (motcua's engine_events) that polled events are appended to, so readEvents
   * works as on the embedded engine. Without it readEvents refuses (UNAVAILABLE).
   */
  eventLog?: EngineEventLog
  worker?: WorkerTuning
  onError?: (err: unknown, context: Record<string, unknown>) => void
}

// The port's proof that a job was answered; only this adapter's job actions hand it out.
const ACK = Object.freeze({}) as JobAcknowledgement
const PAGE_LIMIT = 1000

export class ZeebeEngine implements Engine {
  readonly kind = 'zeebe' as const
  private readonly client: ZeebeClient
  private readonly workers = new Set<JobWorker>()
  private readonly events: EventPoller
  private readonly wait: { consistency: { waitUpToMs: number } }
  private readonly noWait = { consistency: { waitUpToMs: 0 } }

  constructor(private readonly opts: ZeebeEngineOptions) {
    this.client = opts.client
    this.wait = { consistency: { waitUpToMs: opts.readConsistencyMs ?? 0 } }
    this.events = new EventPoller(opts.client, {
      onError: (err) => opts.onError?.(err, { during: 'event poll' }),
      ...(opts.eventLog ? { log: opts.eventLog } : {}),
      ...opts.events,
    })
  }

  async start(): Promise<void> {
    await this.events.start()
  }

  async stop(): Promise<void> {
    await Promise.all([...this.workers].map((w) => w.close()))
    await this.events.stop()
    await this.opts.closeClient?.()
  }

  async ready(): Promise<boolean> {
    try {
      const topology = await this.client.getTopology()
      return (topology.brokers?.length ?? 0) > 0
    } catch {
      return false
    }
  }

  async deploy(resources: DeployResource[]): Promise<DeployResult> {
    const validators = this.opts.validators ?? [(r: DeployResource[]) => validateBpmn(r)]
    const problems = (await Promise.all(validators.map((v) => v(resources)))).flat()
    if (problems.some((p) => p.severity === 'error')) throw new DeployValidationError(problems)
    const files = resources.map(
      (r) =>
        new File([typeof r.content === 'string' ? r.content : new Uint8Array(r.content)], r.name, {
          type: 'application/octet-stream',
        }),
    )
    let result: Awaited<ReturnType<ZeebeClient['createDeployment']>>
    try {
      result = await this.client.createDeployment({ resources: files })
    } catch (err) {
      const engineError = toEngineError(err, 'deploy')
      // Zeebe's own parser/validator refused it (something our checks missed): same contract as ours.
      if (engineError.code === 'INVALID_ARGUMENT') {
        throw new DeployValidationError([
          {
            resourceName: resources.map((r) => r.name).join(', '),
            rule: 'zeebe/deploy-rejected',
            message: engineError.message,
            severity: 'error',
          },
        ])
      }
      throw engineError
    }
    const deploymentKey = result.deploymentKey
    return {
      deploymentKey,
      processes: result.deployments
        .flatMap((d) => (d.processDefinition ? [d.processDefinition] : []))
        .map((p) => ({
          bpmnProcessId: p.processDefinitionId,
          processDefinitionKey: p.processDefinitionKey,
          version: p.processDefinitionVersion,
          resourceName: p.resourceName,
          // Zeebe answers an unchanged resource with the existing definition instead of a new version.
          // Keys on the deployment partition grow monotonically and a new definition's key is made
          // after its deployment's key, so a definition older than this deployment is a duplicate.
          duplicate: BigInt(p.processDefinitionKey) < BigInt(deploymentKey),
        })),
      // Zeebe deploys .dmn resources natively; their decisions are reported like processes.
      decisions: result.deployments
        .flatMap((d) => (d.decisionDefinition ? [d.decisionDefinition] : []))
        .map((dd) => {
          const drg = result.deployments.find(
            (d) => d.decisionRequirements?.decisionRequirementsKey === dd.decisionRequirementsKey,
          )?.decisionRequirements
          return {
            decisionId: String(dd.decisionDefinitionId),
            decisionKey: String(dd.decisionDefinitionKey),
            version: Number(dd.version),
            decisionRequirementsId: String(dd.decisionRequirementsId),
            decisionRequirementsKey: String(dd.decisionRequirementsKey),
            resourceName: drg?.resourceName ?? '',
            duplicate: BigInt(String(dd.decisionDefinitionKey)) < BigInt(deploymentKey),
          }
        }),
    }
  }

  async createProcessInstance(req: CreateInstanceRequest): Promise<ProcessInstanceRef> {
    const created = await call('createProcessInstance', () =>
      this.client.createProcessInstance({
        processDefinitionId: req.bpmnProcessId,
        ...(req.version === undefined ? {} : { processDefinitionVersion: req.version }),
        variables: req.variables ?? {},
      }),
    )
    return {
      processInstanceKey: created.processInstanceKey,
      processDefinitionKey: created.processDefinitionKey,
      bpmnProcessId: created.processDefinitionId,
      version: created.processDefinitionVersion,
    }
  }

  async cancelProcessInstance(processInstanceKey: string): Promise<void> {
    await call('cancelProcessInstance', () => this.client.cancelProcessInstance({ processInstanceKey }))
  }

  async getProcessInstance(processInstanceKey: string): Promise<ProcessInstanceView | undefined> {
    const instance = await callOrUndefined('getProcessInstance', () =>
      this.client.getProcessInstance({ processInstanceKey }, this.wait),
    )
    if (!instance) return undefined
    const [elements, variables, incidents] = await Promise.all([
      call('searchElementInstances', () =>
        this.client.searchElementInstances(
          { filter: { processInstanceKey, state: 'ACTIVE' }, page: { limit: PAGE_LIMIT } },
          this.noWait,
        ),
      ),
      call('searchVariables', () =>
        this.client.searchVariables(
          {
            filter: { processInstanceKey, scopeKey: processInstanceKey },
            truncateValues: false,
            page: { limit: PAGE_LIMIT },
          },
          this.noWait,
        ),
      ),
      call('searchIncidents', () =>
        this.client.searchIncidents(
          { filter: { processInstanceKey, state: 'ACTIVE' }, page: { limit: PAGE_LIMIT } },
          this.noWait,
        ),
      ),
    ])
    return {
      processInstanceKey: instance.processInstanceKey,
      processDefinitionKey: instance.processDefinitionKey,
      bpmnProcessId: instance.processDefinitionId,
      version: instance.processDefinitionVersion,
      state: instance.state,
      variables: Object.fromEntries((variables.items ?? []).map((v) => [v.name, parseVariableValue(v.value)])),
      activeElements: (elements.items ?? [])
        .filter((e) => e.type !== 'PROCESS')
        .map((e) => ({ elementId: e.elementId, elementInstanceKey: e.elementInstanceKey, elementType: e.type })),
      incidents: (incidents.items ?? []).map(toIncident),
    }
  }

  createWorker(opts: WorkerOptions, handler: JobHandler): JobWorker {
    const worker = startJobWorker(
      {
        activate: (req) =>
          this.client
            .activateJobs(activationRequest(req, req.requestTimeoutMs))
            .then((r) => r.jobs.map(toActivatedJob)),
        actions: (job) => this.jobActions(job),
        onError: (err, context) => this.opts.onError?.(err, { during: 'job worker', ...context }),
      },
      opts,
      handler,
      this.opts.worker,
    )
    const tracked: JobWorker = {
      close: async () => {
        this.workers.delete(tracked)
        await worker.close()
      },
    }
    this.workers.add(tracked)
    return tracked
  }

  async activateJobs(req: ActivateJobsRequest): Promise<ActivatedJob[]> {
    // Negative requestTimeout: answer at once, no long polling (what a caller of this low-level call expects).
    const result = await call('activateJobs', () => this.client.activateJobs(activationRequest(req, -1)))
    return result.jobs.map(toActivatedJob)
  }

  private jobActions(job: ActivatedJob): JobActions {
    return {
      complete: async (variables, result) => (await this.completeJob(job.key, variables, result), ACK),
      fail: async (opts) => (await this.failJob(job.key, opts), ACK),
      error: async (opts) => (await this.throwJobError(job.key, opts), ACK),
    }
  }

  /** The job result goes as the 8.8 JobResult: of type userTask or adHocSubProcess (zeebeJobResult). */
  async completeJob(jobKey: string, variables?: Variables, result?: JobResult): Promise<void> {
    await call('completeJob', () =>
      this.client.completeJob({
        jobKey,
        variables: variables ?? {},
        ...(result ? { result: zeebeJobResult(result) } : {}),
      }),
    )
  }

  async failJob(
    jobKey: string,
    opts: { retries: number; retryBackOffMs?: number; errorMessage: string; variables?: Variables },
  ): Promise<void> {
    await call('failJob', () =>
      this.client.failJob({
        jobKey,
        retries: opts.retries,
        errorMessage: opts.errorMessage,
        ...(opts.retryBackOffMs === undefined ? {} : { retryBackOff: opts.retryBackOffMs }),
        ...(opts.variables ? { variables: opts.variables } : {}),
      }),
    )
  }

  async throwJobError(
    jobKey: string,
    opts: { errorCode: string; errorMessage?: string; variables?: Variables },
  ): Promise<void> {
    await call('throwJobError', () =>
      this.client.throwJobError({
        jobKey,
        errorCode: opts.errorCode,
        ...(opts.errorMessage ? { errorMessage: opts.errorMessage } : {}),
        ...(opts.variables ? { variables: opts.variables } : {}),
      }),
    )
  }

  async updateJobRetries(jobKey: string, retries: number): Promise<void> {
    await call('updateJob', () => this.client.updateJob({ jobKey, changeset: { retries } }))
  }

  async resolveIncident(incidentKey: string): Promise<void> {
    await call('resolveIncident', () => this.client.resolveIncident({ incidentKey }))
  }

  async publishMessage(req: PublishMessageRequest): Promise<{ messageKey: string }> {
    const published = await call('publishMessage', () =>
      this.client.publishMessage({
        name: req.name,
        correlationKey: req.correlationKey,
        ...(req.variables ? { variables: req.variables } : {}),
        ...(req.timeToLiveMs === undefined ? {} : { timeToLive: req.timeToLiveMs }),
        ...(req.messageId ? { messageId: req.messageId } : {}),
      }),
    )
    if (!published.messageKey) throw new EngineError('UNAVAILABLE', 'Zeebe publishMessage returned no message key')
    return { messageKey: published.messageKey }
  }

  async broadcastSignal(req: BroadcastSignalRequest): Promise<{ signalKey: string }> {
    const sent = await call('broadcastSignal', () =>
      this.client.broadcastSignal({
        signalName: req.signalName,
        ...(req.variables ? { variables: req.variables } : {}),
      }),
    )
    if (!sent.signalKey) throw new EngineError('UNAVAILABLE', 'Zeebe broadcastSignal returned no signal key')
    return { signalKey: sent.signalKey }
  }

  async searchUserTasks(filter: UserTaskFilter): Promise<UserTask[]> {
    const groups = filter.candidateGroups ?? []
    const result = await call('searchUserTasks', () =>
      this.client.searchUserTasks(
        {
          filter: {
            ...(filter.state ? { state: filter.state } : {}),
            ...(filter.processInstanceKey ? { processInstanceKey: filter.processInstanceKey } : {}),
            ...(filter.assignee ? { assignee: filter.assignee } : {}),
            ...(groups.length === 1
              ? { candidateGroup: groups[0]! }
              : groups.length > 1
                ? { candidateGroup: { $in: groups } }
                : {}),
            ...(filter.elementId ? { elementId: filter.elementId } : {}),
          },
          sort: [{ field: 'creationDate', order: 'ASC' }],
          page: { limit: filter.limit ?? 100 },
        },
        this.noWait,
      ),
    )
    return (result.items ?? []).map(toUserTask)
  }

  async getUserTask(userTaskKey: string): Promise<UserTask | undefined> {
    const task = await callOrUndefined('getUserTask', () => this.client.getUserTask({ userTaskKey }, this.wait))
    return task ? toUserTask(task) : undefined
  }

  async assignUserTask(
    userTaskKey: string,
    assignee: string | undefined,
    opts?: { allowOverride?: boolean },
  ): Promise<void> {
    if (assignee === undefined) {
      await call('unassignUserTask', () => this.client.unassignUserTask({ userTaskKey }))
      return
    }
    await call('assignUserTask', () =>
      this.client.assignUserTask({
        userTaskKey,
        assignee,
        ...(opts?.allowOverride === undefined ? {} : { allowOverride: opts.allowOverride }),
      }),
    )
  }

  async completeUserTask(userTaskKey: string, variables?: Variables): Promise<void> {
    await call('completeUserTask', () => this.client.completeUserTask({ userTaskKey, variables: variables ?? {} }))
  }

  /** PATCH /v2/user-tasks/{key}: only the attributes given are sent (Zeebe keeps a null or absent one). */
  async updateUserTask(userTaskKey: string, changeset: UserTaskChangeset, opts?: { action?: string }): Promise<void> {
    const given = Object.fromEntries(Object.entries(changeset).filter(([, v]) => v != null))
    await call('updateUserTask', () =>
      this.client.updateUserTask({ userTaskKey, changeset: given, ...(opts?.action ? { action: opts.action } : {}) }),
    )
  }

  /** Polled, not pushed: see events.ts for which events Zeebe's search API can show and which it cannot. */
  onEvent(listener: EngineEventListener): () => void {
    return this.events.subscribe(listener)
  }

  /** The polled events as appended to the durable log (see events.ts: what polling can see). */
  async readEvents(afterId: number, limit?: number): Promise<Array<{ id: number; events: EngineEvent[] }>> {
    if (!this.opts.eventLog) throw new EngineError('UNAVAILABLE', 'This Zeebe engine keeps no event log')
    return this.opts.eventLog.read(afterId, limit)
  }
}

/**
 * The port's job result as Camunda 8.8's `POST /v2/jobs/{jobKey}/completion` takes it: a user task listener's
 * (denied, deniedReason, corrections; the default type) or an ad-hoc sub-process's (activateElements,
 * isCompletionConditionFulfilled, isCancelRemainingInstances); only the fields of that type are sent.
 */
export function zeebeJobResult(result: JobResult) {
  if (result.type === 'adHocSubProcess')
    return {
      type: 'adHocSubProcess' as const,
      ...(result.activateElements
        ? {
            activateElements: result.activateElements.map((a) => ({
              elementId: a.elementId,
              ...(a.variables ? { variables: a.variables } : {}),
            })),
          }
        : {}),
      ...(result.isCompletionConditionFulfilled === undefined
        ? {}
        : { isCompletionConditionFulfilled: result.isCompletionConditionFulfilled }),
      ...(result.isCancelRemainingInstances === undefined
        ? {}
        : { isCancelRemainingInstances: result.isCancelRemainingInstances }),
    }
  return {
    type: 'userTask' as const,
    ...(result.denied === undefined ? {} : { denied: result.denied }),
    ...(result.deniedReason === undefined ? {} : { deniedReason: result.deniedReason }),
    ...(result.corrections === undefined ? {} : { corrections: result.corrections }),
  }
}

function activationRequest(req: ActivateJobsRequest, requestTimeout: number) {
  return {
    type: req.type,
    worker: req.worker,
    maxJobsToActivate: req.maxJobsToActivate,
    timeout: req.timeoutMs,
    ...(req.fetchVariables ? { fetchVariable: req.fetchVariables } : {}),
    requestTimeout,
  }
}

/** A Zeebe engine from connection settings (what the app's config module read from the environment). */
export function createZeebeEngine(
  connection: ZeebeConnectionOptions,
  opts: Omit<ZeebeEngineOptions, 'client' | 'closeClient'> = {},
): ZeebeEngine {
  const { client, close } = createZeebeClient(connection)
  return new ZeebeEngine({ ...opts, client, closeClient: close })
}
