// Supervision over HTTP for leaders (lãnh đạo) of a unit subtree: overdue/due-soon lists with reassignment,
// bottlenecks, Biểu II.06a (JSON/CSV/XLSX), Decision 766 indicators, the process heatmap; and public daily on-time
// figures.
import type { FromSchema } from 'json-schema-to-ts'
import type { Principal } from '../../auth/principal.js'
import { formatDate, localDay } from '../../domain/calendar/index.js'
import type { Period, PeriodInput } from '../../domain/statistics/index.js'
import { AppError } from '../../errors.js'
import { directoryRoutes } from './directory.js'
import {
  assignBody,
  assignParams,
  bottleneckList,
  handlingUnitList,
  daily,
  dailyQuery,
  heatmap,
  heatmapQuery,
  indicators,
  overdueList,
  overdueQuery,
  periodQuery,
  problem,
  report06a,
} from './schemas.js'
import type { RoutePlugin } from '../route-plugin.js'

const security = [{ bearerAuth: [] }]
const tags = ['supervision']

type PeriodQuery = FromSchema<typeof periodQuery>

/** Exactly one way of naming the period. */
function periodInput(q: PeriodQuery): PeriodInput {
  const given = [
    q.month !== undefined,
    q.quarter !== undefined,
    q.year !== undefined,
    q.from !== undefined || q.to !== undefined,
  ].filter(Boolean).length
  if (given !== 1) throw new AppError('MC_ERR_VALIDATION', 'Give one of month, quarter, year, or from and to')
  if (q.month) return { month: q.month }
  if (q.quarter) return { quarter: q.quarter }
  if (q.year !== undefined) return { year: q.year }
  if (!q.from || !q.to) throw new AppError('MC_ERR_VALIDATION', 'Give both from and to')
  return { from: q.from, to: q.to }
}

const periodJson = (p: Period) => ({ from: formatDate(p.from), to: formatDate(p.to), label: p.label })

const supervisionRoutes: RoutePlugin = async (app) => {
  const supervision = app.supervision
  // Reassignment is the lifecycle's own command (its checks, audit and engine call).
  const dossiers = app.dossiers.service
  directoryRoutes(app, supervision)

  async function scoped(request: { principal?: Principal | undefined; query: PeriodQuery }) {
    const q = request.query
    const scope = await supervision.scope(request.principal, q.unit)
    return { q, scope }
  }

  app.get(
    '/api/supervision/overdue',
    {
      schema: {
        tags,
        security,
        summary: 'Hồ sơ quá hạn và sắp đến hạn / Overdue and due-soon dossiers of my unit subtree, most late first',
        description:
          'Judged against the due date before any extension (R9); paused dossiers are within time. `workingDaysLate` counts working days in (due date, today].',
        querystring: overdueQuery,
        response: { 200: overdueList, 400: problem, 401: problem, 403: problem, 404: problem },
      },
    },
    async (request) => {
      const q = request.query
      const scope = await supervision.scope(request.principal, q.unit)
      return supervision.overdue(scope, {
        dueSoonDays: q.dueSoonDays,
        limit: q.limit,
        ...(q.cursor ? { cursor: q.cursor } : {}),
      })
    },
  )

  app.post(
    '/api/supervision/tasks/:taskKey/assign',
    {
      schema: {
        tags,
        security,
        summary: 'Giao lại công việc / Reassign an open task to an officer of my unit',
        params: assignParams,
        body: assignBody,
        response: { 204: { type: 'null' }, 400: problem, 401: problem, 403: problem, 404: problem, 409: problem },
      },
    },
    async (request, reply) => {
      const { taskKey } = request.params
      const { assignee } = request.body
      await dossiers.assign(request.principal, taskKey, assignee)
      return reply.code(204).send()
    },
  )

  app.get(
    '/api/supervision/bottlenecks',
    {
      schema: {
        tags,
        security,
        summary:
          'Điểm nghẽn / Bottlenecks per procedure, step and unit: waiting now, median and p90 hours, share of step deadlines missed (R11)',
        querystring: periodQuery,
        response: { 200: bottleneckList, 400: problem, 401: problem, 403: problem, 404: problem },
      },
    },
    async (request) => {
      const { q, scope } = await scoped(request)
      return { items: await supervision.bottlenecks(scope, supervision.period(periodInput(q)), q.procedure, q.by) }
    },
  )

  app.get(
    '/api/supervision/handling-units',
    {
      schema: {
        tags,
        security,
        summary:
          'Đúng hạn theo cơ quan xử lý / Per handling unit: steps handled, on time, late, open and open overdue (R11)',
        querystring: periodQuery,
        response: { 200: handlingUnitList, 400: problem, 401: problem, 403: problem, 404: problem },
      },
    },
    async (request) => {
      const { q, scope } = await scoped(request)
      const period = supervision.period(periodInput(q))
      return { period: periodJson(period), items: await supervision.handlingUnits(scope, period) }
    },
  )

  app.get(
    '/api/supervision/reports/06a',
    {
      schema: {
        tags,
        security,
        summary: 'Biểu II.06a/VPCP/KSTT / Report 06a per field for my unit subtree (JSON, CSV or XLSX)',
        description:
          'Column definitions: docs/reports.md. `format=csv` is UTF-8 with a BOM; `format=xlsx` keeps the form’s title and grouped header rows.',
        querystring: periodQuery,
        response: { 200: report06a, 400: problem, 401: problem, 403: problem, 404: problem },
      },
    },
    async (request, reply) => {
      const { q, scope } = await scoped(request)
      const period = supervision.period(periodInput(q))
      if (q.format === 'json') {
        const report = await supervision.report06a(scope, period)
        return { unit: scope.unitId, period: periodJson(period), rows: report.rows, total: report.total }
      }
      const file = await supervision.report06aFile(scope, period, q.format)
      const name = `bieu-II.06a-${scope.unitId}-${formatDate(period.from)}-${formatDate(period.to)}`
      reply.header('content-disposition', `attachment; filename="${name}.${q.format}"`)
      // A serialiser for JSON must not touch the file bodies.
      reply.serializer((payload: unknown) => payload as string)
      if (q.format === 'csv') return reply.type('text/csv; charset=utf-8').send(file)
      return reply.type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet').send(file)
    },
  )

  app.get(
    '/api/supervision/indicators',
    {
      schema: {
        tags,
        security,
        summary:
          'Chỉ số Quyết định 766/QĐ-TTg / Decision 766 indicators for my unit subtree, with the dossiers behind each number',
        querystring: periodQuery,
        response: { 200: indicators, 400: problem, 401: problem, 403: problem, 404: problem },
      },
    },
    async (request) => {
      const { q, scope } = await scoped(request)
      const result = await supervision.indicators766(scope, supervision.period(periodInput(q)))
      return { unit: scope.unitId, ...result, period: periodJson(result.period) }
    },
  )

  app.get(
    '/api/supervision/heatmap',
    {
      schema: {
        tags,
        security,
        summary:
          'Bản đồ nhiệt quy trình / Per BPMN element of a procedure version: open tasks now and mean dwell hours',
        querystring: heatmapQuery,
        response: { 200: heatmap, 400: problem, 401: problem, 403: problem, 404: problem },
      },
    },
    async (request) => {
      const q = request.query
      const scope = await supervision.scope(request.principal, q.unit)
      return {
        procedureVersionId: q.procedureVersionId,
        elements: await supervision.heatmap(scope, q.procedureVersionId, q.by),
      }
    },
  )

  app.get(
    '/api/supervision/public/daily',
    {
      config: { rateLimit: { max: 120, timeWindow: '1 minute' } },
      schema: {
        tags,
        summary: 'Số liệu công khai theo ngày / Public daily on-time and late figures per agency (no personal data)',
        querystring: dailyQuery,
        response: { 200: daily, 400: problem, 429: problem },
      },
    },
    async (request, reply) => {
      const { date } = request.query
      // A past day no longer changes much; today's figures do.
      const past = date < formatDate(localDay(Date.now()))
      reply.header('cache-control', `public, max-age=${past ? 3600 : 300}`)
      return supervision.publicDaily(date)
    },
  )
}

export default supervisionRoutes
