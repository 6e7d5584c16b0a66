// Reads the bearer access token on every request into request.principal (undefined when absent).
import fp from 'fastify-plugin'
import jwt from '@fastify/jwt'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { AppError } from '../errors.js'
import { authSettings } from './service.js'
import type { Principal, UserKind } from './principal.js'

interface AccessClaims {
  sub: string
  usr: string
  kind: UserKind
  unit?: string
  upath?: string
  groups: string[]
}

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | undefined
  }
  interface FastifyInstance {
    signAccessToken(principal: Principal): string
  }
}

declare module '@fastify/jwt' {
  interface FastifyJWT {
    payload: AccessClaims
    user: AccessClaims
  }
}

/** Who issues access tokens, and for whom (the `iss` and `aud` claims every token must carry). */
export const ACCESS_TOKEN_ISSUER = 'motcua'
export const ACCESS_TOKEN_AUDIENCE = 'motcua-api'

export default fp(
  async function auth(app: FastifyInstance) {
    await app.register(jwt, {
      secret: app.config.jwtSecret,
      sign: { expiresIn: authSettings.accessTokenSeconds, iss: ACCESS_TOKEN_ISSUER, aud: ACCESS_TOKEN_AUDIENCE },
      // A token must say when it expires, when and by whom it was issued and for whom: one signed with the real secret
      // but without exp would otherwise be valid forever (fast-jwt checks exp only when it is present).
      verify: {
        allowedIss: ACCESS_TOKEN_ISSUER,
        allowedAud: ACCESS_TOKEN_AUDIENCE,
        requiredClaims: ['exp', 'iat', 'iss', 'aud'],
        algorithms: ['HS256'],
      },
    })
    app.decorateRequest('principal', undefined)
    app.decorate('signAccessToken', (p: Principal) =>
      app.jwt.sign({
        sub: p.userId,
        usr: p.username,
        kind: p.kind,
        unit: p.unitId,
        upath: p.unitPath,
        groups: p.groups,
      }),
    )
    app.addHook('onRequest', async (request: FastifyRequest) => {
      const header = request.headers.authorization
      if (!header) return
      if (!/^Bearer [A-Za-z0-9._-]+$/.test(header)) throw new AppError('MC_ERR_TOKEN_INVALID')
      let claims: AccessClaims
      try {
        claims = await request.jwtVerify<AccessClaims>()
      } catch {
        throw new AppError('MC_ERR_TOKEN_INVALID')
      }
      request.principal = {
        userId: claims.sub,
        username: claims.usr,
        kind: claims.kind,
        ...(claims.unit ? { unitId: claims.unit } : {}),
        ...(claims.upath ? { unitPath: claims.upath } : {}),
        groups: claims.groups ?? [],
      }
    })
  },
  { name: 'motcua-auth', dependencies: ['motcua-problems'] },
)
