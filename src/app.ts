// The Fastify application factory: external plugins, then ours, then routes. The process entry is cli.ts.
import { randomUUID } from 'node:crypto'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { createRequire } from 'node:module'
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyPluginAsync } from 'fastify'
import fp from 'fastify-plugin'
import helmet from '@fastify/helmet'
import swagger from '@fastify/swagger'
import swaggerUi from '@fastify/swagger-ui'
import type { Config } from './config.js'
import type { Runtime } from './runtime.js'
import runtimePlugin from './plugins/runtime.js'
import problems, { sendProblem } from './plugins/problems.js'
import { asAppError } from './errors.js'
import healthRoutes from './api/health/index.js'
import authPlugin from './auth/plugin.js'
import authRoutes from './api/auth/index.js'
import catalogueRoutes from './api/catalogue/index.js'
import calendarRoutes from './api/calendar/index.js'
import rateLimit from '@fastify/rate-limit'
import registrationRoutes from './api/auth/registration.js'
import accountRoutes from './api/auth/account.js'
import dossierRoutes from './api/dossiers/index.js'
import taskRoutes from './api/tasks/index.js'
import resultRoutes from './api/results/index.js'
import deliveryRoutes from './api/delivery/index.js'
import publicRoutes from './api/public/index.js'
import addressRoutes from './api/public/addresses.js'
import supervisionRoutes from './api/supervision/index.js'
import adminRoutes from './api/admin/index.js'
import web from './plugins/web.js'

export interface AppOptions {
  /** The built web app to serve (default web/dist). */
  webRoot?: string
}

const requestIdPattern = /^[A-Za-z0-9._-]{8,128}$/

/**
 * helmet's default policy, plus blob: images and frames: the officer previews a dossier's attachment (fetched with the
 * bearer token) in the page from a blob URL. Scripts stay 'self' only.
 */
const helmetOptions = {
  contentSecurityPolicy: {
    // blob: workers: the ALTCHA widget solves its proof of work in a worker it builds from its own bundled code.
    directives: {
      'img-src': ["'self'", 'data:', 'blob:'],
      'frame-src': ["'self'", 'blob:'],
      'worker-src': ["'self'", 'blob:'],
    },
  },
}

type Middleware = (req: IncomingMessage, res: ServerResponse, next: (err?: unknown) => void) => void
/**
 * The same headers for answers Fastify gives before routing (frameworkErrors), where no onRequest hook runs, so
 * @fastify/helmet's never does: the helmet @fastify/helmet itself uses, with the same options.
 */
const securityHeaders: Middleware = (
  createRequire(createRequire(import.meta.url).resolve('@fastify/helmet'))('helmet') as (o: object) => Middleware
)(helmetOptions)

/**
 * Each route plugin with the plugins it needs: Fastify refuses to boot when one is missing. Route plugins stay
 * encapsulated; the names are only for the dependency check.
 */
const routes: Array<[name: string, plugin: FastifyPluginAsync, dependencies: string[]]> = [
  ['motcua-health-routes', healthRoutes, ['motcua-runtime', 'motcua-problems']],
  ['motcua-auth-routes', authRoutes, ['motcua-runtime', 'motcua-auth']],
  ['motcua-catalogue-routes', catalogueRoutes, ['motcua-runtime', 'motcua-auth']],
  ['motcua-calendar-routes', calendarRoutes, ['motcua-runtime', 'motcua-auth']],
  ['motcua-supervision-routes', supervisionRoutes, ['motcua-runtime', 'motcua-auth']],
  ['motcua-registration-routes', registrationRoutes, ['motcua-runtime', 'motcua-auth']],
  ['motcua-account-routes', accountRoutes, ['motcua-runtime', 'motcua-auth']],
  ['motcua-dossier-routes', dossierRoutes, ['motcua-runtime', 'motcua-auth']],
  ['motcua-task-routes', taskRoutes, ['motcua-runtime', 'motcua-auth']],
  ['motcua-public-routes', publicRoutes, ['motcua-runtime', 'motcua-auth']],
  ['motcua-result-routes', resultRoutes, ['motcua-runtime', 'motcua-auth']],
  ['motcua-delivery-routes', deliveryRoutes, ['motcua-runtime', 'motcua-auth']],
  ['motcua-address-routes', addressRoutes, ['motcua-runtime', 'motcua-problems']],
  ['motcua-admin-routes', adminRoutes, ['motcua-runtime', 'motcua-auth']],
]

/**
 * Builds the app around a runtime (src/runtime.ts), logging through the runtime's logger. The caller owns the
 * runtime's lifecycle: closing the app drains in-flight requests but does not stop the runtime.
 */
export async function buildApp(config: Config, runtime: Runtime, opts: AppOptions = {}): Promise<FastifyInstance> {
  const logger: FastifyBaseLogger = runtime.logger
  const app = Fastify({
    loggerInstance: logger,
    // A caller's request id is kept so logs correlate across services; otherwise we mint one.
    genReqId: (req) => {
      const given = req.headers['x-request-id']
      return typeof given === 'string' && requestIdPattern.test(given) ? given : randomUUID()
    },
    bodyLimit: 1024 * 1024,
    forceCloseConnections: 'idle',
    return503OnClosing: true,
    // What Fastify refuses before routing (an undecodable path, a parameter over maxParamLength) is a problem too.
    // Helmet's headers and the request id are set here: no hook runs for these answers.
    frameworkErrors: (err, request, reply) => {
      securityHeaders(request.raw, reply.raw, () => undefined)
      reply.header('x-request-id', request.id)
      return sendProblem(reply, request, asAppError(err))
    },
    ajv: { customOptions: { allErrors: true, removeAdditional: false, coerceTypes: 'array' } },
  })
  await app.register(runtimePlugin, { config, runtime })
  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id)
  })

  await app.register(helmet, { global: true, ...helmetOptions })
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'motcua API',
        description:
          'Hệ thống thông tin một cửa điện tử — API. / The open electronic one-stop system for administrative procedures. ' +
          'Every error is application/problem+json (RFC 9457) with a stable `code` and Vietnamese and English messages.',
        version: '0.1.0',
      },
      components: { securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } } },
    },
    refResolver: { buildLocalReference: (json, _baseUri, _fragment, i) => String(json['$id'] ?? `def-${i}`) },
  })
  await app.register(swaggerUi, { routePrefix: '/docs', staticCSP: true, uiConfig: { deepLinking: true } })

  await app.register(rateLimit, {
    global: false,
    ...(config.rateLimitAllowList ? { allowList: config.rateLimitAllowList } : {}),
  })
  await app.register(problems)
  await app.register(authPlugin)
  for (const [name, plugin, dependencies] of routes)
    await app.register(fp(async (scope) => plugin(scope, {}), { name, dependencies, encapsulate: true }))
  await app.register(web, opts.webRoot ? { root: opts.webRoot } : {})
  return app
}
