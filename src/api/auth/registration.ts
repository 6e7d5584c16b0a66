// Registration of citizens, organisations and enterprises, e-mail verification by the link mailed through the outbox,
// and the counter's identity check (an officer marks an account's CCCD verified).
import { verifyIdentityAtCounter } from '../../auth/identity.js'
import { register, verifyEmail } from '../../auth/registration.js'
import { BotCheck } from '../../auth/altcha.js'
import { altchaPayload } from './account.js'
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
      description:
        "≥ 10 characters, not all of one kind, not containing the username, and not guessable (a zxcvbn score of 3 or more against common passwords and the account's own data)",
    },
    phone: { type: 'string', pattern: '^[0-9+ ]{6,20}$' },
    idNumber: { type: 'string', pattern: '^\\d{12}$', description: 'CCCD, 12 digits (citizens)' },
    taxCode: { type: 'string', pattern: '^\\d{10}(-\\d{3})?$', description: 'mã số thuế (enterprises, organisations)' },
    passportNumber: {
      type: 'string',
      pattern: '^[A-Za-z0-9]{6,20}$',
      description: 'hộ chiếu: a foreigner without a CCCD gives a passport number instead of idNumber (citizens)',
    },
    altcha: altchaPayload,
  },
  required: ['kind', 'username', 'fullName', 'email', 'password', 'altcha'],
  additionalProperties: false,
} as const

/** The one answer of sign-up, whether or not the username, e-mail or ID number is taken: the truth goes by mail. */
const registered = {
  type: 'object',
  properties: {
    status: { type: 'string', enum: ['check-email'] },
    username: { type: 'string' },
    emailVerified: { type: 'boolean' },
    verificationExpiresAt: { type: 'string', format: 'date-time' },
    message: {
      type: 'object',
      properties: { vi: { type: 'string' }, en: { type: 'string' } },
      required: ['vi', 'en'],
    },
  },
  required: ['status', 'username', 'emailVerified', 'verificationExpiresAt', 'message'],
} as const

const checkEmail = {
  vi: 'Đã nhận yêu cầu đăng ký. Vui lòng kiểm tra hộp thư điện tử: thư gửi đến cho biết tài khoản đã được tạo (kèm liên kết xác nhận) hay cần làm gì thêm.',
  en: 'Your registration was received. Please check your e-mail: the message tells you whether the account was created (with a confirmation link) or what to do next.',
}

const counterVerificationBody = {
  type: 'object',
  properties: {
    username: { type: 'string', pattern: '^[a-zA-Z0-9._-]{3,50}$' },
    idNumber: { type: 'string', pattern: '^\\d{12}$', description: 'CCCD, 12 digits, as read from the card' },
  },
  required: ['username', 'idNumber'],
  additionalProperties: false,
} as const

const counterVerification = {
  type: 'object',
  properties: {
    userId: { type: 'string' },
    username: { type: 'string' },
    idNumber: { type: 'string' },
    identityAssurance: { type: 'string', enum: ['self_declared', 'identity_provider', 'counter'] },
    identityVerifiedAt: { type: 'string', format: 'date-time' },
    numberReclaimed: { type: 'boolean' },
  },
  required: ['userId', 'username', 'idNumber', 'identityAssurance', 'identityVerifiedAt', 'numberReclaimed'],
} as const

const registrationRoutes: RoutePlugin = async (app) => {
  // The link opens the portal's page, which posts the token back; the token is never logged or stored in clear.
  const linkBase = `${app.config.publicBaseUrl}/xac-thuc-email`
  const botCheck = new BotCheck(app.config.jwtSecret)

  app.post(
    '/api/auth/register',
    {
      config: { rateLimit: { max: 5, timeWindow: '1 minute' } },
      schema: {
        tags: ['auth'],
        summary:
          'Đăng ký tài khoản / Register a citizen, organisation or enterprise account (verify the e-mail before submitting)',
        body: registerBody,
        response: { 202: registered, 400: problem, 422: problem, 429: problem },
      },
    },
    async (request, reply) => {
      const r = await register(app.db.knex, botCheck, request.body, linkBase)
      return reply.code(202).send({
        status: 'check-email',
        username: r.username,
        emailVerified: false,
        verificationExpiresAt: r.verificationExpiresAt.toISOString(),
        message: checkEmail,
      })
    },
  )

  app.post(
    '/api/auth/identity/counter-verifications',
    {
      schema: {
        tags: ['auth'],
        security: [{ bearerAuth: [] }],
        summary:
          'Xác minh danh tính tại quầy / An officer who has checked the CCCD card marks the citizen account verified (the number moves from a self-declared account)',
        body: counterVerificationBody,
        response: {
          200: counterVerification,
          400: problem,
          401: problem,
          403: problem,
          404: problem,
          409: problem,
        },
      },
    },
    async (request) => {
      const r = await verifyIdentityAtCounter(app.db.knex, request.principal, request.body)
      return { ...r, identityVerifiedAt: r.identityVerifiedAt.toISOString() }
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
