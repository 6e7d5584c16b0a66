// Onboarding and the applicant's own account: the ALTCHA challenge, forgotten password by e-mail, and the profile,
// password and e-mail changes of a signed-in applicant.
import { BotCheck, altchaSettings } from '../../auth/altcha.js'
import {
  changePassword,
  profile,
  requestEmailChange,
  requestPasswordReset,
  resetPassword,
  updateProfile,
} from '../../auth/account.js'
import type { RoutePlugin } from '../route-plugin.js'

const problem = { $ref: 'Problem#' }

/** The ALTCHA widget's payload (base64 of the solved challenge). */
export const altchaPayload = {
  type: 'string',
  minLength: 1,
  maxLength: altchaSettings.maxPayloadChars,
  pattern: '^[A-Za-z0-9+/=]+$',
  description: 'the ALTCHA widget’s payload for a challenge from GET /api/auth/altcha-challenge (works once)',
} as const

const password = {
  type: 'string',
  minLength: 10,
  maxLength: 200,
  description: 'the new password: the same rules as at sign-up',
} as const

const bilingual = {
  type: 'object',
  properties: { vi: { type: 'string' }, en: { type: 'string' } },
  required: ['vi', 'en'],
} as const

const challengeSchema = {
  type: 'object',
  properties: {
    parameters: { type: 'object', additionalProperties: true },
    signature: { type: 'string' },
  },
  required: ['parameters', 'signature'],
} as const

const notifyBy = {
  type: 'string',
  enum: ['email', 'sms', 'both'],
  description: 'how notices about the applicant’s dossiers reach them; sms and both need a Vietnamese mobile phone',
} as const

const profileSchema = {
  type: 'object',
  properties: {
    username: { type: 'string' },
    kind: { type: 'string' },
    fullName: { type: 'string' },
    email: { type: ['string', 'null'] },
    emailVerified: { type: 'boolean' },
    phone: { type: ['string', 'null'] },
    idNumber: { type: ['string', 'null'] },
    passportNumber: { type: ['string', 'null'] },
    oldIdNumber: { type: ['string', 'null'] },
    taxCode: { type: ['string', 'null'] },
    identityAssurance: { type: 'string', enum: ['self_declared', 'identity_provider', 'counter'] },
    notifyBy: notifyBy,
  },
  required: [
    'username',
    'kind',
    'fullName',
    'email',
    'emailVerified',
    'phone',
    'idNumber',
    'identityAssurance',
    'notifyBy',
  ],
} as const

const resetRequested = {
  vi: 'Nếu địa chỉ thư điện tử này thuộc một tài khoản, thư hướng dẫn đặt lại mật khẩu đã được gửi đến. Vui lòng kiểm tra hộp thư.',
  en: 'If this e-mail address belongs to an account, a message with a link to reset the password is on its way. Please check your mailbox.',
}

const accountRoutes: RoutePlugin = async (app) => {
  const botCheck = new BotCheck(app.config.jwtSecret)
  const portal = app.config.publicBaseUrl

  app.get(
    '/api/auth/altcha-challenge',
    {
      config: { rateLimit: { max: 30, timeWindow: '1 minute' } },
      schema: {
        tags: ['auth'],
        summary:
          'Kiểm tra chống máy tự động / A proof-of-work challenge for the ALTCHA widget (sign-up, password reset)',
        response: { 200: challengeSchema, 429: problem },
      },
    },
    async (_request, reply) => {
      reply.header('cache-control', 'no-store')
      return botCheck.challenge()
    },
  )

  app.post(
    '/api/auth/password-reset-requests',
    {
      config: { rateLimit: { max: 5, timeWindow: '1 minute' } },
      schema: {
        tags: ['auth'],
        summary:
          'Quên mật khẩu / Ask for a password reset link by e-mail (the same answer whether or not the address has an account)',
        body: {
          type: 'object',
          properties: { email: { type: 'string', format: 'email', maxLength: 200 }, altcha: altchaPayload },
          required: ['email', 'altcha'],
          additionalProperties: false,
        },
        response: {
          202: {
            type: 'object',
            properties: { status: { type: 'string', enum: ['check-email'] }, message: bilingual },
            required: ['status', 'message'],
          },
          400: problem,
          429: problem,
        },
      },
    },
    async (request, reply) => {
      await requestPasswordReset(app.db.knex, botCheck, request.body, `${portal}/dat-lai-mat-khau`)
      return reply.code(202).send({ status: 'check-email', message: resetRequested })
    },
  )

  app.post(
    '/api/auth/password-resets',
    {
      config: { rateLimit: { max: 20, timeWindow: '1 minute' } },
      schema: {
        tags: ['auth'],
        summary: 'Đặt lại mật khẩu / Set a new password with the token from the reset link; every session ends',
        body: {
          type: 'object',
          properties: { token: { type: 'string', minLength: 20, maxLength: 100 }, password },
          required: ['token', 'password'],
          additionalProperties: false,
        },
        response: { 204: { type: 'null' }, 400: problem, 422: problem, 429: problem },
      },
    },
    async (request, reply) => {
      await resetPassword(app.db.knex, request.body)
      return reply.code(204).send()
    },
  )

  app.get(
    '/api/account/profile',
    {
      schema: {
        tags: ['auth'],
        security: [{ bearerAuth: [] }],
        summary: 'Hồ sơ cá nhân / The applicant’s own profile (it pre-fills the applicant block of dossier forms)',
        response: { 200: profileSchema, 401: problem, 403: problem },
      },
    },
    async (request) => profile(app.db.knex, request.principal),
  )

  app.patch(
    '/api/account/profile',
    {
      schema: {
        tags: ['auth'],
        security: [{ bearerAuth: [] }],
        summary:
          'Sửa hồ sơ cá nhân / Change the phone number, the old 9-digit CMND number or how notices arrive (e-mail, SMS, both)',
        body: {
          type: 'object',
          properties: {
            phone: { type: ['string', 'null'], pattern: '^[0-9+ ]{6,20}$' },
            oldIdNumber: { type: ['string', 'null'], pattern: '^\\d{9}$', description: 'CMND cũ, 9 digits' },
            notifyBy,
          },
          minProperties: 1,
          additionalProperties: false,
        },
        response: { 200: profileSchema, 400: problem, 401: problem, 403: problem, 422: problem },
      },
    },
    async (request) => updateProfile(app.db.knex, request.principal, request.body),
  )

  app.post(
    '/api/account/password',
    {
      config: { rateLimit: { max: 10, timeWindow: '1 minute' } },
      schema: {
        tags: ['auth'],
        security: [{ bearerAuth: [] }],
        summary: 'Đổi mật khẩu / Change the password (the current one required); every session ends',
        body: {
          type: 'object',
          properties: { currentPassword: { type: 'string', minLength: 1, maxLength: 200 }, password },
          required: ['currentPassword', 'password'],
          additionalProperties: false,
        },
        response: { 204: { type: 'null' }, 400: problem, 401: problem, 403: problem, 422: problem, 429: problem },
      },
    },
    async (request, reply) => {
      await changePassword(app.db.knex, request.principal, request.body)
      return reply.code(204).send()
    },
  )

  app.post(
    '/api/account/email',
    {
      config: { rateLimit: { max: 5, timeWindow: '1 minute' } },
      schema: {
        tags: ['auth'],
        security: [{ bearerAuth: [] }],
        summary:
          'Đổi địa chỉ thư điện tử / Ask to use another e-mail address; the account changes when the link mailed to it is opened',
        body: {
          type: 'object',
          properties: {
            currentPassword: { type: 'string', minLength: 1, maxLength: 200 },
            email: { type: 'string', format: 'email', maxLength: 200 },
          },
          required: ['currentPassword', 'email'],
          additionalProperties: false,
        },
        response: {
          202: {
            type: 'object',
            properties: {
              pendingEmail: { type: 'string' },
              verificationExpiresAt: { type: 'string', format: 'date-time' },
            },
            required: ['pendingEmail', 'verificationExpiresAt'],
          },
          400: problem,
          401: problem,
          403: problem,
          422: problem,
          429: problem,
        },
      },
    },
    async (request, reply) => {
      const r = await requestEmailChange(app.db.knex, request.principal, request.body, `${portal}/xac-thuc-email`)
      return reply
        .code(202)
        .send({ pendingEmail: r.pendingEmail, verificationExpiresAt: r.verificationExpiresAt.toISOString() })
    },
  )
}

export default accountRoutes
