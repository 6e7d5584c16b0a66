// The working-day calendar over HTTP: anyone reads a year and previews a deadline; administrators
// add or remove holidays and make-up days and confirm provisional years, each change audited.
import { AppError } from '../../errors.js'
import { DomainError } from '../../domain/domain-error.js'
import { PreviewArgumentError, readPreviewArgs } from '../../calendar/deadline-preview.js'
import type { RoutePlugin } from '../route-plugin.js'

const problem = { $ref: 'Problem#' } as const
const security = [{ bearerAuth: [] }]
const tags = ['calendar']
const date = { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'YYYY-MM-DD' } as const
const reason = {
  type: 'string',
  minLength: 1,
  maxLength: 1000,
  description: 'lý do thay đổi (recorded in the audit log), e.g. the Government decision',
} as const
const kind = {
  type: 'string',
  enum: ['holiday', 'makeup_workday'],
  description: 'holiday: a weekday off; makeup_workday: a weekend day worked (ngày làm bù)',
} as const

const day = {
  type: 'object',
  properties: { date, kind, name: { type: 'string' }, provisional: { type: 'boolean' } },
  required: ['date', 'kind', 'name', 'provisional'],
} as const

const yearSchema = {
  type: 'object',
  properties: {
    year: { type: 'integer' },
    provisional: {
      type: 'boolean',
      description: 'generated from the Labour Code, not yet confirmed against the Government decision',
    },
    version: { type: ['integer', 'null'], description: 'the calendar version read' },
    days: { type: 'array', items: day },
  },
  required: ['year', 'provisional', 'version', 'days'],
} as const

const changed = { type: 'object', properties: { version: { type: 'integer' } }, required: ['version'] } as const
const yearParams = {
  type: 'object',
  properties: { year: { type: 'integer', minimum: 1900, maximum: 2199 } },
  required: ['year'],
  additionalProperties: false,
} as const

const previewQuery = {
  type: 'object',
  properties: {
    accepted: {
      type: 'string',
      maxLength: 40,
      description: 'when the complete dossier was accepted, e.g. 2026-03-02T09:15:00+07:00',
    },
    duration: { type: 'string', maxLength: 20, description: '5WD, 0.5WD, 4WH, 30CD or SAME_DAY' },
    cutoff: { type: 'string', maxLength: 5, description: 'receipt cut-off HH:MM (default 17:00)' },
    officeHours: { type: 'string', maxLength: 100, description: 'office windows (default 08:00-12:00,13:00-17:00)' },
    makeupSaturdays: { type: 'boolean', default: true, description: 'make-up Saturdays count as working days' },
    supplementPolicy: { type: 'string', enum: ['RESTART', 'PAUSE'] },
    supplement: {
      type: 'string',
      maxLength: 90,
      description: 'FROM/TO: supplement requested, re-received (TO may be left out)',
    },
    suspend: {
      type: 'array',
      items: { type: 'string', maxLength: 90 },
      maxItems: 20,
      description: 'FROM/TO suspensions (repeatable)',
    },
    resultAt: { type: 'string', maxLength: 40, description: 'when the result reached the one-stop counter' },
    now: { type: 'string', maxLength: 40, description: 'the time to judge the status at (default: now)' },
  },
  required: ['accepted', 'duration'],
  additionalProperties: false,
} as const

const previewSchema = {
  type: 'object',
  properties: {
    duration: { type: 'string' },
    receiptDate: date,
    reReceiptDate: date,
    due: { type: 'string', description: 'a date, or a date-time for working-hour dues' },
    dueDate: date,
    dueAt: { type: 'string' },
    precision: { type: 'string', enum: ['day', 'instant'] },
    status: { type: 'string', enum: ['within', 'overdue', 'paused', 'finished'] },
    result: { type: 'string', enum: ['early', 'on_time', 'late'] },
    workingDaysLate: { type: 'number' },
    pausedSince: { type: 'string' },
    provisional: { type: 'boolean' },
    calendarVersion: { type: ['integer', 'null'] },
  },
  required: [
    'duration',
    'receiptDate',
    'due',
    'dueDate',
    'dueAt',
    'precision',
    'status',
    'workingDaysLate',
    'provisional',
    'calendarVersion',
  ],
} as const

const calendarRoutes: RoutePlugin = async (app) => {
  const calendar = app.calendar

  app.get(
    '/api/calendar/years/:year',
    {
      schema: {
        tags,
        summary: "Lịch làm việc của một năm / A year's days off and make-up working days",
        params: yearParams,
        response: { 200: yearSchema, 400: problem },
      },
    },
    async (request) => calendar.year(request.params.year),
  )

  app.get(
    '/api/calendar/versions',
    {
      schema: {
        tags,
        summary: 'Lịch sử thay đổi lịch / Calendar versions: who changed what, when and why (newest first)',
        security,
        querystring: {
          type: 'object',
          properties: { limit: { type: 'integer', minimum: 1, maximum: 500, default: 50 } },
          additionalProperties: false,
        },
        response: {
          200: {
            type: 'array',
            items: {
              type: 'object',
              properties: {
                version: { type: 'integer' },
                createdAt: { type: 'string', format: 'date-time' },
                actorId: { type: ['string', 'null'] },
                action: { type: 'string' },
                reason: { type: 'string' },
              },
              required: ['version', 'createdAt', 'actorId', 'action', 'reason'],
            },
          },
          400: problem,
          401: problem,
          403: problem,
        },
      },
    },
    async (request) => calendar.versions(request.principal, request.query.limit),
  )

  app.post(
    '/api/calendar/days',
    {
      schema: {
        tags,
        summary:
          'Thêm ngày nghỉ / ngày làm bù / Add a holiday or make-up working day (replaces any entry on that date)',
        security,
        body: {
          type: 'object',
          properties: { date, kind, name: { type: 'string', minLength: 1, maxLength: 200 }, reason },
          required: ['date', 'kind', 'name', 'reason'],
          additionalProperties: false,
        },
        response: { 201: changed, 400: problem, 401: problem, 403: problem, 422: problem },
      },
    },
    async (request, reply) => reply.code(201).send(await calendar.addDay(request.principal, request.body)),
  )

  app.delete(
    '/api/calendar/days/:date',
    {
      schema: {
        tags,
        summary: 'Bỏ ngày nghỉ / ngày làm bù / Remove a holiday or make-up working day (it becomes an ordinary day)',
        security,
        params: { type: 'object', properties: { date }, required: ['date'], additionalProperties: false },
        body: { type: 'object', properties: { reason }, required: ['reason'], additionalProperties: false },
        response: { 200: changed, 400: problem, 401: problem, 403: problem, 404: problem, 422: problem },
      },
    },
    async (request) => calendar.removeDay(request.principal, request.params.date, request.body.reason),
  )

  app.post(
    '/api/calendar/years/:year/confirm',
    {
      schema: {
        tags,
        summary: 'Xác nhận lịch năm / Confirm a provisional year against the Government decision',
        security,
        params: yearParams,
        body: { type: 'object', properties: { reason }, required: ['reason'], additionalProperties: false },
        response: { 200: changed, 400: problem, 401: problem, 403: problem, 422: problem },
      },
    },
    async (request) => calendar.confirmYear(request.principal, request.params.year, request.body.reason),
  )

  app.get(
    '/api/calendar/deadline',
    {
      config: { rateLimit: { max: 60, timeWindow: '1 minute' } },
      schema: {
        tags,
        summary: 'Tính ngày hẹn trả kết quả / Preview a deadline (answers like `motcua deadline`)',
        querystring: previewQuery,
        response: { 200: previewSchema, 400: problem, 422: problem, 429: problem },
      },
    },
    async (request) => {
      const { makeupSaturdays, ...query } = request.query
      let input
      try {
        input = readPreviewArgs({ ...query, noMakeupSaturdays: !makeupSaturdays }, Date.now(), (argument) => argument)
      } catch (err) {
        if (!(err instanceof PreviewArgumentError)) throw err
        // A coded rule (an unreadable duration) keeps its own code; a malformed value is a 400.
        if (err.cause instanceof DomainError) throw err.cause
        throw new AppError('MC_ERR_VALIDATION', err.message, {
          errors: [{ field: `querystring.${err.argument}`, message: err.message }],
        })
      }
      return calendar.preview(input)
    },
  )
}

export default calendarRoutes
