// Liveness and readiness probes: ready means the database answers, the engine can take work and the reference
// procedures of a start are published.
import { AppError } from '../../errors.js'
import { readiness } from '../../health/readiness.js'
import { sendProblem } from '../../plugins/problems.js'
import type { RoutePlugin } from '../route-plugin.js'

const checksSchema = {
  type: 'object',
  properties: {
    status: { type: 'string', enum: ['ok'] },
    checks: {
      type: 'object',
      properties: { database: { type: 'string' }, engine: { type: 'string' }, procedures: { type: 'string' } },
    },
  },
  required: ['status'],
} as const

const healthRoutes: RoutePlugin = async (app) => {
  app.get(
    '/health/live',
    {
      schema: { tags: ['health'], summary: 'Liveness: the process is up', response: { 200: checksSchema } },
      logLevel: 'warn',
    },
    async () => ({ status: 'ok' as const }),
  )

  app.get(
    '/health/ready',
    {
      schema: {
        tags: ['health'],
        summary: 'Readiness: the database and the workflow engine answer, the reference procedures are published',
        response: { 200: checksSchema, 503: { $ref: 'Problem#' } },
      },
      logLevel: 'warn',
    },
    async (request, reply) => {
      const checks = await readiness(app.db, app.engine, app.proceduresPublished)
      if (Object.values(checks).some((c) => c !== 'ok')) {
        // An answer, not a failure: a probe asks every few seconds while the procedures are published at start, and
        // each "not yet" logged as an error with its stack buried the real errors in the log.
        return sendProblem(
          reply,
          request,
          new AppError(
            'MC_ERR_NOT_READY',
            Object.entries(checks)
              .map(([k, v]) => `${k}: ${v}`)
              .join(', '),
            { checks },
          ),
        )
      }
      return { status: 'ok' as const, checks }
    },
  )
}

export default healthRoutes
