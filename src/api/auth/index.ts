// Login, token refresh, logout and "who am I" for every kind of account.
import { AppError } from '../../errors.js'
import { login, logout, refresh, authSettings, type LoginResult } from '../../auth/service.js'
import { addOidcRoutes } from './oidc.js'
import type { RoutePlugin } from '../route-plugin.js'

const problem = { $ref: 'Problem#' }

const sessionSchema = {
  type: 'object',
  properties: {
    accessToken: { type: 'string' },
    tokenType: { type: 'string', enum: ['Bearer'] },
    expiresIn: { type: 'integer', description: 'access token lifetime in seconds' },
    refreshToken: { type: 'string' },
    refreshExpiresAt: { type: 'string', format: 'date-time' },
    user: { $ref: 'Principal#' },
  },
  required: ['accessToken', 'tokenType', 'expiresIn', 'refreshToken', 'refreshExpiresAt', 'user'],
} as const

const principalSchema = {
  $id: 'Principal',
  type: 'object',
  properties: {
    userId: { type: 'string' },
    username: { type: 'string' },
    fullName: { type: 'string' },
    kind: { type: 'string' },
    unitId: { type: 'string' },
    groups: { type: 'array', items: { type: 'string' } },
  },
  required: ['userId', 'username', 'kind', 'groups'],
} as const

const refreshBody = {
  type: 'object',
  properties: { refreshToken: { type: 'string', minLength: 20, maxLength: 200 } },
  required: ['refreshToken'],
  additionalProperties: false,
} as const

const authRoutes: RoutePlugin = async (app) => {
  app.addSchema(principalSchema)
  const session = (r: LoginResult) => ({
    accessToken: app.signAccessToken(r.principal),
    tokenType: 'Bearer' as const,
    expiresIn: authSettings.accessTokenSeconds,
    refreshToken: r.refreshToken,
    refreshExpiresAt: r.expiresAt.toISOString(),
    user: { ...r.principal, fullName: r.fullName },
  })

  app.post(
    '/api/auth/login',
    {
      config: { rateLimit: { max: 10, timeWindow: '1 minute' } },
      schema: {
        tags: ['auth'],
        summary: 'Đăng nhập / Log in with username and password',
        body: {
          type: 'object',
          properties: {
            username: { type: 'string', minLength: 1, maxLength: 100 },
            password: { type: 'string', minLength: 1, maxLength: 200 },
          },
          required: ['username', 'password'],
          additionalProperties: false,
        },
        response: { 200: sessionSchema, 400: problem, 401: problem, 429: problem },
      },
    },
    async (request, reply) => {
      const { username, password } = request.body
      try {
        return session(await login(app.db.knex, username, password, request.ip))
      } catch (err) {
        if (err instanceof AppError && err.code === 'MC_ERR_LOGIN_LOCKED')
          reply.header('retry-after', String(err.extensions['retryAfterSeconds']))
        throw err
      }
    },
  )

  app.post(
    '/api/auth/refresh',
    {
      config: { rateLimit: { max: 30, timeWindow: '1 minute' } },
      schema: {
        tags: ['auth'],
        summary: 'Làm mới phiên / Rotate the refresh token',
        body: refreshBody,
        response: { 200: sessionSchema, 400: problem, 401: problem },
      },
    },
    async (request) => session(await refresh(app.db.knex, request.body.refreshToken)),
  )

  app.post(
    '/api/auth/logout',
    {
      schema: {
        tags: ['auth'],
        summary: 'Đăng xuất / Revoke the session',
        body: refreshBody,
        response: { 204: { type: 'null' }, 400: problem },
      },
    },
    async (request, reply) => {
      await logout(app.db.knex, request.body.refreshToken)
      return reply.code(204).send()
    },
  )

  app.get(
    '/api/auth/me',
    {
      schema: {
        tags: ['auth'],
        summary: 'Tài khoản hiện tại / The current account',
        security: [{ bearerAuth: [] }],
        response: { 200: principalSchema, 401: problem },
      },
    },
    async (request) => {
      if (!request.principal) throw new AppError('MC_ERR_UNAUTHENTICATED')
      return request.principal
    },
  )

  addOidcRoutes(app, session, sessionSchema)
}

export default authRoutes
