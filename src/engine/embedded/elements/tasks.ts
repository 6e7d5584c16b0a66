// Tasks: service-like tasks become jobs, user tasks become user-task rows, script tasks are evaluated
// in the engine, receive tasks wait for a message, undefined/manual tasks pass through.
import { evalInteger, evalList, evalString, evalValue, toDateOrUndefined } from '../feel.js'
import type { Element } from '../model.js'
import { type EiRow, type JobRow, type UtRow } from '../rows.js'
import type { Inst, Step } from '../step.js'
import type { ElementBehaviours } from './behaviour.js'
import { evaluateCalledDecision } from '../dmn/called-decision.js'
import { openBoundaries, openMessage } from './events.js'
import { userTaskCreated } from '../user-tasks.js'

/** Creates the job of a job-based element; answers its key. */
export async function createJob(step: Step, inst: Inst, ei: EiRow, el: Element): Promise<number> {
  const ctx = step.visible(inst, ei.key)
  const type = evalString(el.jobType!, ctx, 'job type')
  const retries = el.jobRetries ? evalInteger(el.jobRetries, ctx, 'job retries') : 3
  const now = step.now.toISOString()
  const job: JobRow = {
    key: await step.key(),
    type,
    state: 'ACTIVATABLE',
    due_at: now,
    retries,
    worker: null,
    process_instance_key: inst.pi.key,
    element_instance_key: ei.key,
    element_id: el.id,
    bpmn_process_id: inst.pi.bpmn_process_id,
    definition_key: inst.pi.definition_key,
    version: inst.pi.version,
    custom_headers: el.headers,
    error_message: null,
    created_at: now,
  }
  step.jobs.insert(job)
  step.wakeJobTypes.add(type)
  return job.key
}

/** Zeebe's job type for a job-based user task, and the headers it writes the task's properties to. */
export const USER_TASK_JOB_TYPE = 'io.camunda.zeebe:userTask'
const header = (name: string): string => `io.camunda.zeebe:${name}`

async function createUserTask(step: Step, inst: Inst, ei: EiRow, el: Element): Promise<void> {
  const ctx = step.visible(inst, ei.key)
  const u = el.userTask ?? {}
  const assignee = u.assignee ? evalValue(u.assignee, ctx) : null
  const priority = u.priority ? Number(evalValue(u.priority, ctx)) : 50
  const ut: UtRow = {
    key: await step.key(),
    name: el.name ?? el.id,
    element_id: el.id,
    element_instance_key: ei.key,
    process_instance_key: inst.pi.key,
    definition_key: inst.pi.definition_key,
    bpmn_process_id: inst.pi.bpmn_process_id,
    state: 'CREATED',
    assignee: assignee == null || assignee === '' ? null : String(assignee),
    candidate_groups: evalList(u.candidateGroups, ctx),
    candidate_users: evalList(u.candidateUsers, ctx),
    due_date: toDateOrUndefined(u.dueDate, ctx, 'due date')?.toISOString() ?? null,
    follow_up_date: toDateOrUndefined(u.followUpDate, ctx, 'follow-up date')?.toISOString() ?? null,
    form_key: u.formKey ?? null,
    custom_headers: el.headers,
    priority: Number.isFinite(priority) ? priority : 50,
    created_at: step.now.toISOString(),
    completed_at: null,
    job_key: null,
  }
  if (u.jobBased) ut.job_key = await createUserTaskJob(step, inst, ei, el, ut)
  step.userTasks.insert(ut)
  inst.userTasks.set(ut.key, ut)
  // Its creating listeners (task-listeners.ts) run before it is created.
  await userTaskCreated(step, inst, ei, el, ut)
}

/**
 * A user task without <zeebe:userTask/> is, in Zeebe, a job of type io.camunda.zeebe:userTask with one retry, its
 * assignment, schedule and form key written to custom headers (candidate lists as JSON arrays), next to the task's own
 * headers (https://docs.camunda.io/docs/components/modeler/bpmn/user-tasks/#job-worker-implementation). The embedded
 * engine creates that job, so a job worker can take it as on Zeebe, and also lists the task (linked by job_key) so
 * motcua's worklist shows it like any user task.
 */
async function createUserTaskJob(step: Step, inst: Inst, ei: EiRow, el: Element, ut: UtRow): Promise<number> {
  const headers: Record<string, string> = { ...el.headers }
  if (ut.assignee != null) headers[header('assignee')] = ut.assignee
  if (el.userTask?.candidateGroups) headers[header('candidateGroups')] = JSON.stringify(ut.candidate_groups)
  if (el.userTask?.candidateUsers) headers[header('candidateUsers')] = JSON.stringify(ut.candidate_users)
  if (ut.due_date != null) headers[header('dueDate')] = String(ut.due_date)
  if (ut.follow_up_date != null) headers[header('followUpDate')] = String(ut.follow_up_date)
  if (ut.form_key != null) headers[header('formKey')] = ut.form_key
  const now = step.now.toISOString()
  const job: JobRow = {
    key: await step.key(),
    type: USER_TASK_JOB_TYPE,
    state: 'ACTIVATABLE',
    due_at: now,
    retries: 1,
    worker: null,
    process_instance_key: inst.pi.key,
    element_instance_key: ei.key,
    element_id: el.id,
    bpmn_process_id: inst.pi.bpmn_process_id,
    definition_key: inst.pi.definition_key,
    version: inst.pi.version,
    custom_headers: headers,
    error_message: null,
    created_at: now,
  }
  step.jobs.insert(job)
  step.wakeJobTypes.add(USER_TASK_JOB_TYPE)
  return job.key
}

export const taskBehaviours: ElementBehaviours<'jobTask' | 'userTask' | 'scriptTask' | 'receiveTask' | 'passTask'> = {
  jobTask: {
    async activate(step, inst, ei, el, isActivity) {
      // A business rule task calling a DMN decision is evaluated in the engine, like a script task.
      if (el.calledDecision) return step.completeActivity(inst, ei, await evaluateCalledDecision(step, inst, ei, el))
      await createJob(step, inst, ei, el)
      if (isActivity) await openBoundaries(step, inst, ei, el)
    },
  },
  userTask: {
    async activate(step, inst, ei, el, isActivity) {
      await createUserTask(step, inst, ei, el)
      if (isActivity) await openBoundaries(step, inst, ei, el)
    },
  },
  scriptTask: {
    async activate(step, inst, ei, el) {
      const result = evalValue(el.script!.expression, step.visible(inst, ei.key))
      await step.completeActivity(inst, ei, { [el.script!.resultVariable]: result })
    },
  },
  receiveTask: {
    async activate(step, inst, ei, el, isActivity) {
      await openMessage(step, inst, ei, el, step.visible(inst, ei.key))
      if (isActivity) await openBoundaries(step, inst, ei, el)
    },
  },
  passTask: {
    activate: (step, inst, ei) => step.completeActivity(inst, ei),
  },
}
