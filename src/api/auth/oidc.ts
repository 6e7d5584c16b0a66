// Sign-in with an OpenID Connect identity provider (VNeID, the national portal's SSO): whether it is on, the start (the
// provider's URL, and a key the browser keeps in a cookie) and the finish (the provider's answer posted back by the
// portal's page). Off (404) unless OIDC_ISSUER is configured.
import { AppError } from '../../errors.js'
import { OidcLogin, authorizationMinutes, type ProviderLogin } from '../../auth/oidc.js'
import type { RouteApp } from '../route-plugin.js'

const problem = { $ref: 'Problem#' }
const cookieName = 'motcua_oidc'
const cookiePath = '/api/auth/oidc'

const answerBody = {
  type: 'object',
  properties: {
    code: { type: 'string', pattern: '^[\\x21-\\x7e]{1,2048}$', description: 'the `code` the provider appended' },
    state: { type: 'string', pattern: '^[\\x21-\\x7e]{1,512}$', description: 'the `state` the provider appended' },
    iss: {
      type: 'string',
      pattern: '^https?://[\\x21-\\x7e]{1,2040}$',
      description: 'the `iss` the provider appended (RFC 9207), when it sends one',
    },
  },
  required: ['code', 'state'],
  additionalProperties: false,
} as const

/** The browser key from the request's cookies, if it sent one. */
function browserKeyOf(cookieHeader: string | undefined): string | undefined {
  for (const part of (cookieHeader ?? '').split(';')) {
    const [name, ...value] = part.trim().split('=')
    if (name === cookieName) return value.join('=') || undefined
  }
  return undefined
}

/** Adds the routes to the auth plugin, answering a finished sign-in with the same session body as password login. */
export function addOidcRoutes(
  app: RouteApp,
  session: (r: ProviderLogin) => Record<string, unknown>,
  sessionSchema: Record<string, unknown>,
): void {
  const settings = app.config.oidc
  const oidc = settings ? new OidcLogin(app.db.knex, settings) : undefined
  const secure = app.config.publicBaseUrl.startsWith('https:') ? '; Secure' : ''
  const enabled = (): OidcLogin => {
    if (!oidc) throw new AppError('MC_ERR_OIDC_DISABLED')
    return oidc
  }

  app.get(
    '/api/auth/oidc',
    {
      schema: {
        tags: ['auth'],
        summary: 'Đăng nhập bằng tài khoản định danh có bật không / Whether sign-in with an identity provider is on',
        response: {
          200: { type: 'object', properties: { enabled: { type: 'boolean' } }, required: ['enabled'] },
          400: problem,
          429: problem,
        },
      },
    },
    async () => ({ enabled: Boolean(oidc) }),
  )

  app.post(
    '/api/auth/oidc/authorizations',
    {
      config: { rateLimit: { max: 20, timeWindow: '1 minute' } },
      schema: {
        tags: ['auth'],
        summary:
          'Bắt đầu đăng nhập bằng tài khoản định danh / Start a sign-in at the identity provider (sets the browser-binding cookie)',
        response: {
          201: {
            type: 'object',
            properties: {
              authorizationUrl: { type: 'string', format: 'uri' },
              expiresAt: { type: 'string', format: 'date-time' },
            },
            required: ['authorizationUrl', 'expiresAt'],
          },
          404: problem,
          429: problem,
          503: problem,
        },
      },
    },
    async (_request, reply) => {
      const started = await enabled().start()
      reply.header(
        'set-cookie',
        `${cookieName}=${started.browserKey}; Path=${cookiePath}; Max-Age=${authorizationMinutes * 60}; HttpOnly; SameSite=Lax${secure}`,
      )
      return reply
        .code(201)
        .send({ authorizationUrl: started.authorizationUrl, expiresAt: started.expiresAt.toISOString() })
    },
  )

  app.post(
    '/api/auth/oidc/callback',
    {
      config: { rateLimit: { max: 20, timeWindow: '1 minute' } },
      schema: {
        tags: ['auth'],
        summary:
          'Hoàn tất đăng nhập bằng tài khoản định danh / Finish the sign-in with the answer the provider appended to the redirect URL',
        body: answerBody,
        response: {
          200: {
            ...sessionSchema,
            properties: {
              ...(sessionSchema['properties'] as Record<string, unknown>),
              created: { type: 'boolean', description: 'this sign-in made the account' },
            },
          },
          400: problem,
          401: problem,
          404: problem,
          409: problem,
          422: problem,
          429: problem,
          503: problem,
        },
      },
    },
    async (request, reply) => {
      const login = enabled()
      const { code, state, iss } = request.body
      const result = await login.finish(
        { code, state, ...(iss !== undefined ? { iss } : {}) },
        browserKeyOf(request.headers.cookie),
      )
      reply.header('set-cookie', `${cookieName}=; Path=${cookiePath}; Max-Age=0; HttpOnly; SameSite=Lax${secure}`)
      return { ...session(result), created: result.created }
    },
  )
}
