// The Fastify application factory: external plugins, then ours, then routes. The process entry is cli.ts.
import { randomUUID } from 'node:crypto'
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify'
import helmet from '@fastify/helmet'
import swagger from '@fastify/swagger'
import swaggerUi from '@fastify/swagger-ui'
import type { Config } from './config.js'
import type { Database } from './db/database.js'
import type { Engine } from './engine/port.js'
import problems, { sendProblem } from './plugins/problems.js'
import { asAppError } from './errors.js'
import healthRoutes from './api/health/index.js'
import authPlugin from './auth/plugin.js'
import authRoutes from './api/auth/index.js'
import catalogueRoutes from './api/catalogue/index.js'
import calendarRoutes from './api/calendar/index.js'
import rateLimit from '@fastify/rate-limit'
import registrationRoutes from './api/auth/registration.js'
import dossierRoutes from './api/dossiers/index.js'
import taskRoutes from './api/tasks/index.js'
import publicRoutes from './api/public/index.js'
import supervisionRoutes from './api/supervision/index.js'
import web from './plugins/web.js'

declare module 'fastify' {
  interface FastifyInstance {
    config: Config
    db: Database
    engine: Engine
  }
}

export interface AppDeps {
  db: Database
  engine: Engine
  /** The built web app to serve (default web/dist). */
  webRoot?: string
}

const requestIdPattern = /^[A-Za-z0-9._-]{8,128}$/

export function loggerOptions(config: Pick<Config, 'logLevel' | 'logPretty'>): FastifyServerOptions['logger'] {
  return {
    level: config.logLevel,
    redact: ['req.headers.authorization', 'req.headers.cookie', '*.password', '*.refreshToken'],
    ...(config.logPretty
      ? { transport: { target: 'pino-pretty', options: { translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' } } }
      : {}),
  }
}

/**
 * Builds the app around an open database and engine. The caller owns their lifecycle: closing the
 * app drains in-flight requests but does not close the database or stop the engine.
 */
export async function buildApp(config: Config, deps: AppDeps): Promise<FastifyInstance> {
  const app = Fastify({
    logger: loggerOptions(config),
    // A caller's request id is kept so logs correlate across services; otherwise we mint one.
    genReqId: (req) => {
      const given = req.headers['x-request-id']
      return typeof given === 'string' && requestIdPattern.test(given) ? given : randomUUID()
    },
    bodyLimit: 1024 * 1024,
    forceCloseConnections: 'idle',
    return503OnClosing: true,
    // What Fastify refuses before routing (an undecodable path, a parameter over maxParamLength) is a problem too.
    frameworkErrors: (err, request, reply) => sendProblem(reply, request, asAppError(err)),
    ajv: { customOptions: { allErrors: true, removeAdditional: false, coerceTypes: 'array' } },
  })
  app.decorate('config', config)
  app.decorate('db', deps.db)
  app.decorate('engine', deps.engine)
  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id)
  })

  // helmet's default policy, plus blob: images and frames: the officer previews a dossier's attachment (fetched with
  // the bearer token) in the page from a blob URL. Scripts stay 'self' only.
  await app.register(helmet, {
    global: true,
    contentSecurityPolicy: {
      directives: { 'img-src': ["'self'", 'data:', 'blob:'], 'frame-src': ["'self'", 'blob:'] },
    },
  })
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
  await app.register(healthRoutes)
  await app.register(authRoutes)
  await app.register(catalogueRoutes)
  await app.register(calendarRoutes)
  await app.register(supervisionRoutes)
  await app.register(registrationRoutes)
  await app.register(dossierRoutes)
  await app.register(taskRoutes)
  await app.register(publicRoutes)
  await app.register(web, deps.webRoot ? { root: deps.webRoot } : {})
  return app
}
