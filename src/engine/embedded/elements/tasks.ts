// Tasks: service-like tasks become jobs, user tasks become user-task rows, script tasks are evaluated
// in the engine, receive tasks wait for a message, undefined/manual tasks pass through.
import { evalInteger, evalList, evalString, evalValue, toDateOrUndefined } from '../feel.js'
import type { Element } from '../model.js'
import { toUserTask, type EiRow, type JobRow, type UtRow } from '../rows.js'
import type { Inst, Step } from '../step.js'
import type { ElementBehaviours } from './behaviour.js'
import { evaluateCalledDecision } from '../dmn/called-decision.js'
import { openBoundaries, openMessage } from './events.js'

async function createJob(step: Step, inst: Inst, ei: EiRow, el: Element): Promise<void> {
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
}

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
  }
  step.userTasks.insert(ut)
  inst.userTasks.set(ut.key, ut)
  step.emit(inst, {
    type: 'userTask.created',
    at: step.now,
    processInstanceKey: String(inst.pi.key),
    userTask: toUserTask(ut),
  })
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
