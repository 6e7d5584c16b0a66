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

export default fp(
  async function auth(app: FastifyInstance) {
    await app.register(jwt, {
      secret: app.config.jwtSecret,
      sign: { expiresIn: authSettings.accessTokenSeconds, iss: 'motcua' },
      verify: { allowedIss: 'motcua', algorithms: ['HS256'] },
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
