// Liveness and readiness probes: ready means the database answers and the engine can take work.
import { AppError } from '../../errors.js'
import { readiness } from '../../health/readiness.js'
import type { RoutePlugin } from '../route-plugin.js'

const checksSchema = {
  type: 'object',
  properties: {
    status: { type: 'string', enum: ['ok'] },
    checks: {
      type: 'object',
      properties: { database: { type: 'string' }, engine: { type: 'string' } },
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
        summary: 'Readiness: the database and the workflow engine answer',
        response: { 200: checksSchema, 503: { $ref: 'Problem#' } },
      },
      logLevel: 'warn',
    },
    async () => {
      const checks = await readiness(app.db, app.engine)
      if (Object.values(checks).some((c) => c !== 'ok')) {
        throw new AppError(
          'MC_ERR_NOT_READY',
          Object.entries(checks)
            .map(([k, v]) => `${k}: ${v}`)
            .join(', '),
          { checks },
        )
      }
      return { status: 'ok' as const, checks }
    },
  )
}

export default healthRoutes
