// Coded errors (the catalogue is src/problem-catalogue.ts) and the one mapping of thrown values onto it.
import type { FastifyError } from 'fastify'
import { DomainError } from './domain/domain-error.js'
import { CalendarRangeError } from './domain/calendar/calendar.js'
import { formErrorMessage } from './catalogue/form-rules.js'
import { problems, type ProblemCode, type ProblemDefinition } from './problem-catalogue.js'

export { problems, type ProblemCode, type ProblemDefinition } from './problem-catalogue.js'

/** An error that becomes an RFC 9457 problem+json response. */
export class AppError extends Error {
  readonly status: number
  constructor(
    readonly code: ProblemCode,
    /** Extra, non-sensitive detail: e.g. which field, which element. */
    readonly detail?: string,
    readonly extensions: Record<string, unknown> = {},
    /** Messages of this occurrence instead of the catalogue's; `cause` keeps the original error for the log. */
    overrides: { vi?: string; en?: string; cause?: unknown } = {},
  ) {
    const def: ProblemDefinition = problems[code]
    super(overrides.en ?? def.en, overrides.cause === undefined ? undefined : { cause: overrides.cause })
    this.name = 'AppError'
    this.status = def.status
    this.messages = { vi: overrides.vi ?? def.vi, en: overrides.en ?? def.en }
  }
  readonly messages: { vi: string; en: string }
}

// Fastify's own error codes and statuses, as the catalogue's codes.
const byFastifyCode: Record<string, ProblemCode> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'MC_ERR_UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_CTP_BODY_TOO_LARGE: 'MC_ERR_PAYLOAD_TOO_LARGE',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'MC_ERR_BAD_JSON',
  FST_ERR_CTP_INVALID_JSON_BODY: 'MC_ERR_BAD_JSON',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'MC_ERR_VALIDATION',
  FST_ERR_BAD_URL: 'MC_ERR_VALIDATION',
  FST_ERR_MAX_PARAM_LENGTH: 'MC_ERR_VALIDATION',
  FST_ERR_ASYNC_CONSTRAINT: 'MC_ERR_VALIDATION',
}

const byStatus: Record<number, ProblemCode> = {
  400: 'MC_ERR_VALIDATION',
  401: 'MC_ERR_UNAUTHENTICATED',
  403: 'MC_ERR_FORBIDDEN',
  404: 'MC_ERR_NOT_FOUND',
  405: 'MC_ERR_METHOD_NOT_ALLOWED',
  409: 'MC_ERR_CONFLICT',
  413: 'MC_ERR_PAYLOAD_TOO_LARGE',
  415: 'MC_ERR_UNSUPPORTED_MEDIA_TYPE',
  429: 'MC_ERR_RATE_LIMITED',
}

/**
 * Any thrown value as an AppError. Domain rules keep their code, reason and bilingual messages (the catalogue gives
 * the status); Fastify's errors map by code or status; anything else is MC_ERR_INTERNAL, the original kept as `cause`.
 */
export function asAppError(err: unknown): AppError {
  if (err instanceof AppError) return err
  if (err instanceof DomainError && err.code in problems) {
    return new AppError(err.code as ProblemCode, err.messages.en, { reason: err.reason }, err.messages)
  }
  if (err instanceof CalendarRangeError) {
    return new AppError('MC_ERR_CALENDAR_RANGE', err.message, { fromYear: err.fromYear, toYear: err.toYear })
  }
  const fe = (err ?? {}) as Partial<FastifyError>
  if (fe.validation) {
    // Each field's message in Vietnamese and English, worded as the dossier forms word them; a missing property is
    // named itself, not its parent.
    const errors = fe.validation.map((v) => {
      const params = (v.params ?? {}) as Record<string, unknown>
      const path = v.keyword === 'required' ? `${v.instancePath}/${String(params['missingProperty'])}` : v.instancePath
      return {
        field: `${fe.validationContext ?? 'body'}${path || ''}`.replace(/\//g, '.'),
        keyword: v.keyword,
        message: formErrorMessage(v.keyword, params, v.message),
        params: v.params,
      }
    })
    return new AppError('MC_ERR_VALIDATION', fe.message, { errors })
  }
  const code =
    (fe.code && byFastifyCode[fe.code]) || (fe.statusCode && fe.statusCode < 500 ? byStatus[fe.statusCode] : undefined)
  if (code) return new AppError(code, fe.statusCode && fe.statusCode < 500 ? fe.message : undefined)
  if (err instanceof SyntaxError && fe.statusCode === 400) return new AppError('MC_ERR_BAD_JSON')
  return new AppError('MC_ERR_INTERNAL', undefined, {}, { cause: err })
}

export interface Problem {
  type: string
  title: string
  status: number
  code: ProblemCode
  detail?: string
  instance?: string
  message: { vi: string; en: string }
  [extension: string]: unknown
}

export function toProblem(err: AppError, instance?: string): Problem {
  const def: ProblemDefinition = problems[err.code]
  return {
    type: `https://motcua.dev/problems/${err.code}`,
    title: def.title,
    status: err.status,
    code: err.code,
    ...(err.detail ? { detail: err.detail } : {}),
    ...(instance ? { instance } : {}),
    message: err.messages,
    ...err.extensions,
  }
}

/** JSON schema of a problem response, for route schemas and OpenAPI. */
export const problemSchema = {
  $id: 'Problem',
  type: 'object',
  description: 'RFC 9457 problem details with a stable code and Vietnamese and English messages',
  properties: {
    type: { type: 'string' },
    title: { type: 'string' },
    status: { type: 'integer' },
    code: { type: 'string', enum: Object.keys(problems) },
    detail: { type: 'string' },
    instance: { type: 'string' },
    message: { type: 'object', properties: { vi: { type: 'string' }, en: { type: 'string' } }, required: ['vi', 'en'] },
    errors: { type: 'array', items: { type: 'object', additionalProperties: true } },
  },
  required: ['type', 'title', 'status', 'code', 'message'],
  additionalProperties: true,
} as const
