// Turns every error into RFC 9457 problem+json with a stable code; never leaks a 5xx message or stack.
import fp from 'fastify-plugin'
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { AppError, asAppError, problemSchema, toProblem } from '../errors.js'

/**
 * Deepest nesting accepted in a request's input: forms and definitions stay far below it; PostgreSQL ran out of stack
 * storing 5,000 levels of form data (a 500).
 */
export const MAX_INPUT_DEPTH = 64

/**
 * Where a parsed input is unsafe to pass on, and why: a number that is not finite (ajv coerces "1e309" to Infinity and
 * then skips minimum/maximum, assuming its type check refused it) or nesting deeper than MAX_INPUT_DEPTH.
 */
export function unsafeInputAt(value: unknown, path: string): { at: string; message: string } | undefined {
  const stack: Array<[unknown, string, number]> = [[value, path, 0]]
  while (stack.length) {
    const [v, at, depth] = stack.pop()!
    if (typeof v === 'number' && !Number.isFinite(v)) return { at, message: 'must be a finite number' }
    if (!v || typeof v !== 'object') continue
    if (depth >= MAX_INPUT_DEPTH) return { at, message: `must not nest deeper than ${MAX_INPUT_DEPTH} levels` }
    for (const [k, child] of Object.entries(v)) stack.push([child, `${at}.${k}`, depth + 1])
  }
  return undefined
}

export function sendProblem(reply: FastifyReply, request: FastifyRequest, err: AppError): FastifyReply {
  return reply
    .code(err.status)
    .type('application/problem+json; charset=utf-8')
    .send(toProblem(err, request.url.split('?')[0]))
}

export default fp(
  async function problems(app: FastifyInstance) {
    app.addSchema(problemSchema)
    app.setErrorHandler((err: FastifyError, request, reply) => {
      const appErr = asAppError(err)
      if (appErr.status >= 500) request.log.error({ err }, 'request failed')
      else request.log.info({ code: appErr.code, detail: appErr.detail }, 'request refused')
      if (err.statusCode === 429 && (err as unknown as { headers?: Record<string, string> }).headers) {
        reply.headers((err as unknown as { headers: Record<string, string> }).headers)
      }
      return sendProblem(reply, request, appErr)
    })
    app.addHook('preHandler', async (request) => {
      const unsafe =
        unsafeInputAt(request.params, 'params') ??
        unsafeInputAt(request.query, 'querystring') ??
        unsafeInputAt(request.body, 'body')
      if (unsafe) {
        const field = unsafe.at.length > 200 ? `${unsafe.at.slice(0, 200)}…` : unsafe.at
        throw new AppError('MC_ERR_VALIDATION', `${field} ${unsafe.message}`, {
          errors: [{ field, message: unsafe.message }],
        })
      }
    })
    app.setNotFoundHandler((request, reply) =>
      sendProblem(
        reply,
        request,
        new AppError('MC_ERR_ROUTE_NOT_FOUND', `${request.method} ${request.url.split('?')[0]}`),
      ),
    )
  },
  { name: 'motcua-problems' },
)
