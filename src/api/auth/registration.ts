// Registration of citizens, organisations and enterprises, and e-mail verification by the link mailed through the
// outbox.
import { register, verifyEmail } from '../../auth/registration.js'
import type { RoutePlugin } from '../route-plugin.js'

const problem = { $ref: 'Problem#' }

const registerBody = {
  type: 'object',
  properties: {
    kind: { type: 'string', enum: ['citizen', 'organisation', 'enterprise'] },
    username: { type: 'string', pattern: '^[a-zA-Z0-9._-]{3,50}$' },
    fullName: { type: 'string', minLength: 1, maxLength: 200 },
    email: { type: 'string', format: 'email', maxLength: 200 },
    password: {
      type: 'string',
      minLength: 10,
      maxLength: 200,
      description: '≥ 10 characters, not all of one kind, not containing the username',
    },
    phone: { type: 'string', pattern: '^[0-9+ ]{6,20}$' },
    idNumber: { type: 'string', pattern: '^\\d{12}$', description: 'CCCD, 12 digits (citizens)' },
    taxCode: { type: 'string', pattern: '^\\d{10}(-\\d{3})?$', description: 'mã số thuế (enterprises, organisations)' },
  },
  required: ['kind', 'username', 'fullName', 'email', 'password'],
  additionalProperties: false,
} as const

const registered = {
  type: 'object',
  properties: {
    userId: { type: 'string' },
    username: { type: 'string' },
    emailVerified: { type: 'boolean' },
    verificationExpiresAt: { type: 'string', format: 'date-time' },
  },
  required: ['userId', 'username', 'emailVerified', 'verificationExpiresAt'],
} as const

const registrationRoutes: RoutePlugin = async (app) => {
  // The link opens the portal's page, which posts the token back; the token is never logged or stored in clear.
  const linkBase = `${app.config.publicBaseUrl}/xac-thuc-email`

  app.post(
    '/api/auth/register',
    {
      config: { rateLimit: { max: 5, timeWindow: '1 minute' } },
      schema: {
        tags: ['auth'],
        summary:
          'Đăng ký tài khoản / Register a citizen, organisation or enterprise account (verify the e-mail before submitting)',
        body: registerBody,
        response: { 201: registered, 400: problem, 409: problem, 422: problem, 429: problem },
      },
    },
    async (request, reply) => {
      const r = await register(app.db.knex, request.body, linkBase)
      return reply.code(201).send({
        userId: r.userId,
        username: r.username,
        emailVerified: false,
        verificationExpiresAt: r.verificationExpiresAt.toISOString(),
      })
    },
  )

  app.post(
    '/api/auth/verify-email',
    {
      config: { rateLimit: { max: 20, timeWindow: '1 minute' } },
      schema: {
        tags: ['auth'],
        summary: 'Xác thực e-mail / Confirm the e-mail address with the token from the link',
        body: {
          type: 'object',
          properties: { token: { type: 'string', minLength: 20, maxLength: 100 } },
          required: ['token'],
          additionalProperties: false,
        },
        response: {
          200: { type: 'object', properties: { emailVerified: { type: 'boolean' } }, required: ['emailVerified'] },
          400: problem,
          429: problem,
        },
      },
    },
    async (request) => {
      await verifyEmail(app.db.knex, request.body.token)
      return { emailVerified: true }
    },
  )
}

export default registrationRoutes
