// Officers' tasks over HTTP: the worklist of my units and groups, claim/unclaim, a supervisor's assignment, task detail
// with its decision form, and completing a task with a decision validated against that form.
import { dossierContext } from '../dossiers/context.js'
import { listFilter } from '../dossiers/list-filter.js'
import { commandResult, dossierDetail, dossierSummary, problem } from '../dossiers/schemas.js'
import type { RoutePlugin } from '../route-plugin.js'

const security = [{ bearerAuth: [] }]
const tags = ['tasks']

/** A task key in the path (shared with the result routes of src/api/results/). */
export const taskParams = {
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
    nextUnitChoices: {
      type: 'array',
      description:
        'Chuyển đến cơ quan / the agencies an approval may send the dossier to (its decision field nextUnit), when the ' +
        'next step’s handling unit is chosen; empty otherwise',
      items: {
        type: 'object',
        properties: { code: { type: 'string' }, name: { type: 'string' } },
        required: ['code', 'name'],
      },
    },
    dossier: dossierDetail,
  },
  required: ['taskKey', 'name', 'elementId', 'state', 'decisionForm', 'nextUnitChoices', 'dossier'],
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
  const desk = ctx.tasks

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
    async (request) => desk.detail(request.principal, request.params.taskKey),
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
    async (request) => desk.claim(request.principal, request.params.taskKey),
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
    async (request) => desk.unclaim(request.principal, request.params.taskKey),
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
    async (request) => desk.assign(request.principal, request.params.taskKey, request.body.assigneeId),
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
    async (request) => desk.complete(request.principal, request.params.taskKey, request.body),
  )
}

export default taskRoutes
