// Officers' tasks over HTTP: the worklist of my units and groups, claim/unclaim, a supervisor's assignment, task detail
// with its decision form, and completing a task with a decision validated against that form.
import { requireAccess } from '../../auth/access.js'
import type { Principal } from '../../auth/principal.js'
import { AppError } from '../../errors.js'
import type { TaskRow } from '../../dossiers/commands.js'
import { decisionFormFor, validateDecision } from '../../dossiers/decision-forms.js'
import type { DossierStatus } from '../../domain/dossier/status.js'
import { dossierContext } from '../dossiers/context.js'
import { listFilter } from '../dossiers/list-filter.js'
import { commandResult, dossierDetail, dossierSummary, problem } from '../dossiers/schemas.js'
import type { RoutePlugin } from '../route-plugin.js'

const security = [{ bearerAuth: [] }]
const tags = ['tasks']

const taskParams = {
  type: 'object',
  properties: { taskKey: { type: 'string', pattern: '^[A-Za-z0-9:_-]{1,100}$' } },
  required: ['taskKey'],
  additionalProperties: false,
} as const

const worklistQuery = {
  type: 'object',
  properties: {
    procedure: { type: 'string', maxLength: 120, description: 'procedure slug or national code' },
    status: { type: 'integer', minimum: 1, maximum: 10 },
    dueBefore: { type: 'string', format: 'date-time' },
    overdue: { type: 'boolean' },
    q: { type: 'string', maxLength: 200, description: 'dossier code or applicant name' },
    mine: { type: 'boolean', description: 'only tasks I have claimed' },
    limit: { type: 'integer', minimum: 1, maximum: 200, default: 50 },
    cursor: { type: 'string', maxLength: 300 },
  },
  additionalProperties: false,
} as const

const task = {
  type: 'object',
  properties: {
    taskKey: { type: 'string' },
    taskName: { type: 'string' },
    elementId: { type: 'string' },
    candidateGroups: { type: 'array', items: { type: 'string' } },
    assignee: { type: ['string', 'null'] },
    dueAt: { type: ['string', 'null'], format: 'date-time' },
    createdAt: { type: 'string', format: 'date-time' },
    dossier: dossierSummary,
  },
  required: ['taskKey', 'taskName', 'elementId', 'assignee', 'dueAt', 'dossier'],
} as const

const worklist = {
  type: 'object',
  properties: { items: { type: 'array', items: task }, nextCursor: { type: ['string', 'null'] } },
  required: ['items', 'nextCursor'],
} as const

const taskDetail = {
  type: 'object',
  properties: {
    taskKey: { type: 'string' },
    name: { type: 'string' },
    elementId: { type: 'string' },
    state: { type: 'string' },
    candidateGroups: { type: 'array', items: { type: 'string' } },
    assignee: { type: ['string', 'null'] },
    dueAt: { type: ['string', 'null'], format: 'date-time' },
    decisionForm: { type: 'object', additionalProperties: true, description: 'JSON schema of this task’s decision' },
    dossier: dossierDetail,
  },
  required: ['taskKey', 'name', 'elementId', 'state', 'decisionForm', 'dossier'],
} as const

const taskState = {
  type: 'object',
  properties: { taskKey: { type: 'string' }, assignee: { type: ['string', 'null'] } },
  required: ['taskKey', 'assignee'],
} as const
const assignBody = {
  type: 'object',
  properties: { assigneeId: { type: 'string', format: 'uuid' } },
  required: ['assigneeId'],
  additionalProperties: false,
} as const
const completeBody = {
  type: 'object',
  additionalProperties: true,
  description: 'the decision, validated against the task’s decisionForm',
} as const

const taskRoutes: RoutePlugin = async (app) => {
  const ctx = dossierContext(app)
  const knex = app.db.knex

  /** The task, if the caller works in its unit subtree; another unit's task answers like one that does not exist. */
  async function visibleTask(principal: Principal | undefined, taskKey: string): Promise<TaskRow> {
    const row = (await knex('tasks').where({ user_task_key: taskKey }).first()) as TaskRow | undefined
    await requireAccess(knex, {
      principal,
      permission: 'task.work',
      ...(row ? { unitPath: row.unit_path } : {}),
      hideExistence: true,
      subject: { type: 'task', id: taskKey },
    })
    if (!row) throw new AppError('MC_ERR_TASK_NOT_FOUND')
    return row
  }

  app.get(
    '/api/tasks',
    {
      schema: {
        tags,
        security,
        summary: 'Danh sách công việc / My worklist: tasks of my units and groups by due time (cursor pages)',
        querystring: worklistQuery,
        response: { 200: worklist, 400: problem, 401: problem, 403: problem },
      },
    },
    async (request) => ctx.queries.worklist(request.principal, listFilter(request.query)),
  )

  app.get(
    '/api/tasks/:taskKey',
    {
      schema: {
        tags,
        security,
        summary: 'Chi tiết công việc / A task with its dossier, form data, attachments, timeline and decision form',
        params: taskParams,
        response: { 200: taskDetail, 400: problem, 401: problem, 403: problem, 404: problem },
      },
    },
    async (request) => {
      const row = await visibleTask(request.principal, request.params.taskKey)
      const dossier = await ctx.queries.get(request.principal, row.dossier_id)
      return {
        taskKey: row.user_task_key,
        name: row.name,
        elementId: row.element_id,
        state: row.state,
        candidateGroups: row.candidate_groups,
        assignee: row.assignee,
        dueAt: row.due_at,
        decisionForm: decisionFormFor(row.element_id, row.decisions),
        dossier,
      }
    },
  )

  app.post(
    '/api/tasks/:taskKey/claim',
    {
      schema: {
        tags,
        security,
        summary: 'Nhận xử lý / Claim the task (409 if another officer holds it)',
        params: taskParams,
        response: { 200: taskState, 400: problem, 401: problem, 403: problem, 404: problem, 409: problem },
      },
    },
    async (request) => {
      const { taskKey } = request.params
      await visibleTask(request.principal, taskKey)
      await ctx.service.claim(request.principal, taskKey)
      return { taskKey, assignee: request.principal!.userId }
    },
  )

  app.post(
    '/api/tasks/:taskKey/unclaim',
    {
      schema: {
        tags,
        security,
        summary: 'Trả lại nhóm / Give the task back to the group',
        params: taskParams,
        response: { 200: taskState, 400: problem, 401: problem, 403: problem, 404: problem, 409: problem },
      },
    },
    async (request) => {
      const { taskKey } = request.params
      await visibleTask(request.principal, taskKey)
      await ctx.service.unclaim(request.principal, taskKey)
      return { taskKey, assignee: null }
    },
  )

  app.post(
    '/api/tasks/:taskKey/assign',
    {
      schema: {
        tags,
        security,
        summary: 'Phân công / A supervisor assigns or reassigns the task to an officer of the unit',
        params: taskParams,
        body: assignBody,
        response: { 200: taskState, 400: problem, 401: problem, 403: problem, 404: problem },
      },
    },
    async (request) => {
      const { taskKey } = request.params
      const { assigneeId } = request.body
      await visibleTask(request.principal, taskKey)
      await ctx.service.assign(request.principal, taskKey, assigneeId)
      return { taskKey, assignee: assigneeId }
    },
  )

  app.post(
    '/api/tasks/:taskKey/complete',
    {
      schema: {
        tags,
        security,
        summary: 'Hoàn thành / Complete the task with a decision that fits its decision form',
        params: taskParams,
        body: completeBody,
        response: {
          200: commandResult,
          400: problem,
          401: problem,
          403: problem,
          404: problem,
          409: problem,
          422: problem,
        },
      },
    },
    async (request) => {
      const { taskKey } = request.params
      const row = await visibleTask(request.principal, taskKey)
      if (row.state !== 'CREATED') {
        // The same officer retrying the same decision (the first answer was lost to a crash or a cut connection) is told
        // it is done, with the dossier as it stands; nothing is done twice. Anyone or anything else finds no open task.
        const taken =
          row.state === 'COMPLETED'
            ? (row as TaskRow & { outcome?: { decision?: string; by?: string } | null }).outcome
            : null
        if (taken && taken.by === request.principal?.userId && taken.decision === request.body?.decision) {
          const d = (await knex('dossiers').where({ id: row.dossier_id }).first('id', 'status', 'code')) as {
            id: string
            status: DossierStatus
            code: string | null
          }
          return { dossierId: d.id, status: d.status, code: d.code }
        }
        throw new AppError('MC_ERR_TASK_NOT_FOUND', 'The task is no longer open')
      }
      const d = validateDecision(row.element_id, request.body, row.decisions)
      const base = { taskKey, ...(d.note ? { note: d.note } : {}) }
      const p = request.principal
      switch (d.decision) {
        case 'accept':
          return ctx.service.receive(p, row.dossier_id, base)
        case 'supplement':
          return ctx.service.requestSupplement(p, row.dossier_id, { ...base, missing: d.missing! })
        case 'refuse':
          return ctx.service.refuse(p, row.dossier_id, { ...base, reason: d.reason! })
        case 'approve':
          return ctx.service.handOff(p, row.dossier_id, {
            ...base,
            ...(d.verificationNeeded !== undefined ? { verificationNeeded: d.verificationNeeded } : {}),
            ...(d.consultationNeeded !== undefined ? { consultationNeeded: d.consultationNeeded } : {}),
          })
        case 'returnToPrevious':
          return ctx.service.returnToPreviousStep(p, row.dossier_id, { ...base, reason: d.reason! })
        case 'returned':
          return ctx.service.returnResult(p, row.dossier_id, base)
      }
    },
  )
}

export default taskRoutes
