// Pure mappings from Zeebe 8.8 REST results to the port's types.
import type { ActivatedJob, Incident, UserTask, UserTaskState } from '../port.js'
import type { ZeebeResult } from './client.js'

export type JobResult = ZeebeResult<'activateJobs'>['jobs'][number]
export type UserTaskResult = ZeebeResult<'getUserTask'>
export type IncidentResult = NonNullable<ZeebeResult<'searchIncidents'>['items']>[number]

export function toActivatedJob(job: JobResult): ActivatedJob {
  return {
    key: job.jobKey,
    type: job.type,
    processInstanceKey: job.processInstanceKey,
    processDefinitionKey: job.processDefinitionKey,
    bpmnProcessId: job.processDefinitionId,
    processDefinitionVersion: job.processDefinitionVersion,
    elementId: job.elementId,
    elementInstanceKey: job.elementInstanceKey,
    customHeaders: Object.fromEntries(
      Object.entries(job.customHeaders ?? {}).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]),
    ),
    worker: job.worker,
    retries: job.retries,
    deadline: new Date(job.deadline),
    variables: job.variables ?? {},
  }
}

/** Zeebe has transitional states (CREATING, ASSIGNING …) while listeners run; the port sees the stable side. */
export function toUserTaskState(state: string | undefined): UserTaskState {
  if (state === 'COMPLETED') return 'COMPLETED'
  if (state === 'CANCELED' || state === 'CANCELING') return 'CANCELED'
  return 'CREATED'
}

const date = (s: string | undefined) => (s ? new Date(s) : undefined)

export function toUserTask(task: UserTaskResult): UserTask {
  const dueDate = date(task.dueDate)
  const followUpDate = date(task.followUpDate)
  const completionDate = date(task.completionDate)
  const formKey = task.formKey ?? task.externalFormReference
  return {
    userTaskKey: task.userTaskKey,
    name: task.name ?? task.elementId ?? '',
    elementId: task.elementId ?? '',
    elementInstanceKey: task.elementInstanceKey ?? '',
    processInstanceKey: task.processInstanceKey ?? '',
    processDefinitionKey: task.processDefinitionKey ?? '',
    bpmnProcessId: task.processDefinitionId ?? '',
    state: toUserTaskState(task.state),
    ...(task.assignee ? { assignee: task.assignee } : {}),
    candidateGroups: task.candidateGroups ?? [],
    candidateUsers: task.candidateUsers ?? [],
    ...(dueDate ? { dueDate } : {}),
    ...(followUpDate ? { followUpDate } : {}),
    ...(formKey ? { formKey } : {}),
    customHeaders: task.customHeaders ?? {},
    priority: task.priority ?? 50,
    creationDate: date(task.creationDate) ?? new Date(0),
    ...(completionDate ? { completionDate } : {}),
  }
}

export function toIncident(incident: IncidentResult): Incident {
  return {
    incidentKey: incident.incidentKey ?? '',
    processInstanceKey: incident.processInstanceKey ?? '',
    elementId: incident.elementId ?? '',
    elementInstanceKey: incident.elementInstanceKey ?? '',
    ...(incident.jobKey ? { jobKey: incident.jobKey } : {}),
    errorType: incident.errorType ?? 'UNKNOWN',
    errorMessage: incident.errorMessage ?? '',
    createdAt: date(incident.creationTime) ?? new Date(0),
  }
}

/** Variable values come back as JSON text; a value Zeebe truncated is returned as that text. */
export function parseVariableValue(value: string): unknown {
  try {
    return JSON.parse(value)
  } catch {
    return value
  }
}
