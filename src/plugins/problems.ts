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
 * Control characters refused in path parameters and query strings (C0 and DEL), and in a JSON or form body (the same
 * but tab, line feed and carriage return, which free text such as a note or an address may carry). PostgreSQL cannot
 * store U+0000 in text or jsonb at all (22021, 22P05: a 500), and no field of the API means any of them.
 */
const controlStrict = /[\u0000-\u001f\u007f]/
const controlInText = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/
/** A UTF-16 surrogate without its pair: not a character, and not encodable as UTF-8 (PostgreSQL refuses it). */
const loneSurrogate = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/

/**
 * Body fields whose own validator refuses control characters with a more precise problem, so the edge leaves those (and
 * only those) to it: a procedure's BPMN is checked by src/engine/validation/xml.ts (422 MC_ERR_BPMN_INVALID naming
 * motcua/xml-encoding and the offset). Lone surrogates are still refused here.
 */
const controlsCheckedDownstream = new Set(['body.bpmnXml'])

/** Why a string (a value or a key) of the input is refused, or undefined. Linear in its length. */
function unsafeText(s: string, freeText: boolean, controls = true): string | undefined {
  if (controls && (freeText ? controlInText : controlStrict).test(s))
    return freeText
      ? 'must not contain control characters (other than tab and line breaks)'
      : 'must not contain control characters'
  if (loneSurrogate.test(s)) return 'must be well-formed Unicode (no lone surrogate)'
  return undefined
}

export interface UnsafeInput {
  at: string
  message: string
  code: 'MC_ERR_VALIDATION' | 'MC_ERR_INPUT_CHARACTERS'
}

/**
 * Where a parsed input is unsafe to pass on, and why: a number that is not finite (ajv coerces "1e309" to Infinity and
 * then skips minimum/maximum, assuming its type check refused it), nesting deeper than MAX_INPUT_DEPTH, or a string
 * (value or key) with a control character or a lone surrogate. The path's root says which part it is: under "body"
 * tab and line breaks are free text; in params and querystring nothing below U+0020 is.
 */
export function unsafeInputAt(value: unknown, path: string): UnsafeInput | undefined {
  const freeText = path === 'body' || path.startsWith('body.')
  const stack: Array<[unknown, string, number]> = [[value, path, 0]]
  while (stack.length) {
    const [v, at, depth] = stack.pop()!
    if (typeof v === 'number' && !Number.isFinite(v))
      return { at, message: 'must be a finite number', code: 'MC_ERR_VALIDATION' }
    if (typeof v === 'string') {
      const message = unsafeText(v, freeText, !controlsCheckedDownstream.has(at))
      if (message) return { at, message, code: 'MC_ERR_INPUT_CHARACTERS' }
      continue
    }
    if (!v || typeof v !== 'object') continue
    if (depth >= MAX_INPUT_DEPTH)
      return { at, message: `must not nest deeper than ${MAX_INPUT_DEPTH} levels`, code: 'MC_ERR_VALIDATION' }
    for (const [k, child] of Object.entries(v)) {
      const message = unsafeText(k, false)
      if (message)
        return { at: `${at}.${printable(k)}`, message: `its key ${message}`, code: 'MC_ERR_INPUT_CHARACTERS' }
      stack.push([child, `${at}.${k}`, depth + 1])
    }
  }
  return undefined
}

/**
 * A query string whose percent-encoding is not UTF-8 (`?q=%ED%A0%80`, the bytes of a lone surrogate; `?q=%FF`):
 * Fastify's parser keeps such a value as its literal text, so the route would search for "%ED%A0%80"; refused like a
 * path that does not decode (FST_ERR_BAD_URL).
 */
export function illFormedQueryAt(url: string): UnsafeInput | undefined {
  const start = url.indexOf('?')
  if (start < 0) return undefined
  for (const piece of url.slice(start + 1).split(/[&=]/)) {
    if (!piece.includes('%')) continue
    try {
      decodeURIComponent(piece)
    } catch {
      return {
        at: 'querystring',
        message: 'must be percent-encoded UTF-8',
        code: 'MC_ERR_INPUT_CHARACTERS',
      }
    }
  }
  return undefined
}

/** A key as it can be shown back in a problem: control characters and lone surrogates as \u escapes. */
const printable = (k: string): string =>
  k.replace(
    /[\u0000-\u001f\u007f]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  )

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
        illFormedQueryAt(request.url) ??
        unsafeInputAt(request.params, 'params') ??
        unsafeInputAt(request.query, 'querystring') ??
        unsafeInputAt(request.body, 'body')
      if (unsafe) {
        const at = printable(unsafe.at)
        const field = at.length > 200 ? `${at.slice(0, 200)}…` : at
        throw new AppError(unsafe.code, `${field} ${unsafe.message}`, {
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
