// Shared machinery of the hostile-input suites: the route table read from the app itself, a fingerprint of every
// table, the problem+json assertions, hostile values, and a generator of requests that must be refused.
import { createRequire } from 'node:module'
import fc from 'fast-check'
import type { FastifyInstance, LightMyRequestResponse } from 'fastify'
import type { Knex } from 'knex'
import type { Test } from 'tap'
import { problems } from '../../src/errors.js'
import { unsafeInputAt } from '../../src/plugins/problems.js'

const require = createRequire(import.meta.url)
const Ajv = require('ajv').default as typeof import('ajv').default
const addFormats = require('ajv-formats').default as typeof import('ajv-formats').default

/** One fixed seed for every property, printed on failure; HOSTILE_SEED overrides it to explore further. */
export const seed = Number(process.env['HOSTILE_SEED'] ?? 20_261_123)
/** Runs per property and route: the suite runs twice in CI, so each route gets a modest share. */
export const numRuns = Number(process.env['HOSTILE_RUNS'] ?? 12)

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'

export interface RouteParam {
  name: string
  in: 'path' | 'query' | 'header'
  required: boolean
  schema: Record<string, unknown>
}

export interface Route {
  method: Method
  /** In Fastify's form: /api/dossiers/:dossierId */
  path: string
  key: string
  params: RouteParam[]
  body?: { contentType: string; schema: Record<string, unknown> }
}

// ------------------------------------------------------------------ the route table

/**
 * Every route the app answers, from its own router (`printRoutes`), with the schemas @fastify/swagger collected.
 * HEAD is left out: Fastify adds it to each GET and runs the GET handler.
 */
export async function routesOf(app: FastifyInstance): Promise<Route[]> {
  await app.ready()
  const doc = (app as unknown as { swagger(): { paths: Record<string, Record<string, OpenApiOperation>> } }).swagger()
  const fromSwagger = new Map<string, Route>()
  for (const [openApiPath, operations] of Object.entries(doc.paths)) {
    const path = openApiPath.replace(/\{([^}]+)\}/g, ':$1')
    for (const [m, op] of Object.entries(operations)) {
      const method = m.toUpperCase() as Method
      const content = op.requestBody?.content ?? {}
      const contentType = Object.keys(content)[0]
      fromSwagger.set(`${method} ${path}`, {
        method,
        path,
        key: `${method} ${path}`,
        params: (op.parameters ?? []).map((p) => ({
          name: p.name,
          in: p.in,
          required: Boolean(p.required),
          schema: p.schema ?? {},
        })),
        ...(contentType ? { body: { contentType, schema: content[contentType]!.schema ?? {} } } : {}),
      })
    }
  }
  const routes: Route[] = []
  for (const alternatives of routerKeys(app)) {
    // Where one router node stands for routes with different parameter names, the documented ones are the real ones.
    const documented = alternatives.filter((key) => fromSwagger.has(key))
    for (const key of documented.length ? documented : alternatives) {
      routes.push(
        fromSwagger.get(key) ?? {
          method: key.split(' ')[0] as Method,
          path: key.slice(key.indexOf(' ') + 1),
          key,
          params: [],
        },
      )
    }
  }
  return routes.sort((a, b) => a.key.localeCompare(b.key))
}

interface OpenApiOperation {
  parameters?: Array<{
    name: string
    in: 'path' | 'query' | 'header'
    required?: boolean
    schema?: Record<string, unknown>
  }>
  requestBody?: { content: Record<string, { schema?: Record<string, unknown> }> }
}

/**
 * "METHOD /path" of every route in the router tree, rebuilt from printRoutes' indented lines (grouped when one node
 * stands for several).
 */
function routerKeys(app: FastifyInstance): string[][] {
  const keys: string[][] = []
  const stack: Array<{ depth: number; prefix: string }> = []
  for (const line of app.printRoutes({ commonPrefix: false }).split('\n')) {
    const m = /^([│ ]*)(?:[├└]── )(.+?)(?: \(([A-Z, ]+)\))?$/.exec(line)
    if (!m) continue
    const depth = m[1]!.length
    while (stack.length && stack.at(-1)!.depth >= depth) stack.pop()
    const parent = stack.at(-1)?.prefix ?? ''
    const segment = m[2]!
    const prefix = parent.endsWith('/') && segment.startsWith('/') ? parent + segment.slice(1) : parent + segment
    stack.push({ depth, prefix })
    // One node may stand for two routes whose parameter names differ ("/:fileId|:componentId").
    const paths = prefix.includes('|') ? expandAlternatives(prefix) : [prefix]
    for (const method of (m[3] ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s && s !== 'HEAD')) {
      keys.push(paths.map((path) => `${method} ${path}`))
    }
  }
  return keys
}

function expandAlternatives(path: string): string[] {
  const i = path.indexOf('|')
  const start = path.lastIndexOf(':', i)
  const end = path.indexOf('/', i) === -1 ? path.length : path.indexOf('/', i)
  const head = path.slice(0, start)
  return path
    .slice(start, end)
    .split('|')
    .map((alt) => `${head}${alt}${path.slice(end)}`)
}

export function urlOf(route: Route, params: Record<string, string>): string {
  return route.path.replace(/:([A-Za-z0-9_]+)/g, (_m, name: string) => encodeSegment(params[name] ?? ''))
}

/**
 * Percent-encodes a path segment; a lone surrogate (which UTF-8 cannot carry) goes as the bytes of one, which is not
 * UTF-8.
 */
function encodeSegment(value: string): string {
  try {
    return encodeURIComponent(value)
  } catch {
    return value.replace(/[\ud800-\udfff]/g, '%ED%A0%80').replace(/[^%A-Za-z0-9]/g, (c) => encodeURIComponent(c))
  }
}

// ------------------------------------------------------------------ database fingerprint

/**
 * Tables whose rows may change while a request is refused, and why:
 * - audit_events: a denied access is written to the audit log on purpose (src/auth/access.ts).
 * - login_throttle: a failed login is counted on purpose (src/auth/service.ts), for unknown names too.
 * Rate-limit counters live in memory (@fastify/rate-limit's default store), not in a table.
 */
export const fingerprintExclusions: Record<string, string> = {
  audit_events: 'denials are audited on purpose (requireAccess writes access.denied)',
  login_throttle: 'failed logins are counted on purpose, per (name, address) and per name (src/auth/service.ts)',
  payment_notifications:
    'every gateway notification is kept on purpose, refused ones included (src/dossiers/payments.ts)',
}

/** Columns left out of a table's fingerprint, and why. */
export const volatileColumns: Record<string, { columns: string[]; why: string }> = {
  read_model_cursors: {
    columns: ['locked_by', 'locked_until', 'updated_at'],
    why: 'the projector renews its lease on a timer, requests or not; its position (last_event_id) is compared',
  },
}

/** count(*) and an md5 of the ordered rows of every table in the public schema but the exclusions. */
export async function fingerprint(knex: Knex): Promise<Record<string, string>> {
  const tables = (await knex('pg_tables')
    .where({ schemaname: 'public' })
    .orderBy('tablename')
    .pluck('tablename')) as string[]
  const out: Record<string, string> = {}
  for (const table of tables) {
    if (table in fingerprintExclusions) continue
    const drop = (volatileColumns[table]?.columns ?? []).map((c) => ` - '${c}'`).join('')
    const row = (
      await knex.raw(
        `SELECT count(*)::int AS n, md5(coalesce(string_agg((to_jsonb(t)${drop})::text, '|' ORDER BY (to_jsonb(t)${drop})::text), '')) AS h FROM "${table}" t`,
      )
    ).rows[0] as { n: number; h: string }
    out[table] = `${row.n}:${row.h}`
  }
  return out
}

/** Waits until two fingerprints a moment apart agree: the workers, relay and projector have nothing left to do. */
export async function settled(knex: Knex, timeoutMs = 120_000): Promise<Record<string, string>> {
  const end = Date.now() + timeoutMs
  let last = await fingerprint(knex)
  for (;;) {
    await new Promise((r) => setTimeout(r, 700))
    const next = await fingerprint(knex)
    if (JSON.stringify(next) === JSON.stringify(last)) return next
    if (Date.now() > end) throw new Error(`the database kept changing: ${JSON.stringify(diff(last, next))}`)
    last = next
  }
}

export function diff(a: Record<string, string>, b: Record<string, string>): string[] {
  return [...new Set([...Object.keys(a), ...Object.keys(b)])].filter((k) => a[k] !== b[k])
}

// ------------------------------------------------------------------ what a refusal looks like

/**
 * Why the answer is not a well-formed refusal, or undefined when it is one: 4xx, problem+json, a catalogued code, vi
 * and en.
 */
export function refusalProblem(res: LightMyRequestResponse): string | undefined {
  if (res.statusCode < 400 || res.statusCode >= 500) return `status ${res.statusCode}: ${res.body.slice(0, 300)}`
  return problemShape(res)
}

/**
 * The headers every answer carries (helmet's, set for every route and for what Fastify refuses before routing), with
 * the value each must have when it matters.
 */
export const securityHeaders: Record<string, RegExp> = {
  'content-security-policy': /default-src 'self'/,
  'x-content-type-options': /^nosniff$/,
  'x-frame-options': /^SAMEORIGIN$/,
  'strict-transport-security': /max-age=\d+/,
  'referrer-policy': /^no-referrer$/,
  'cross-origin-opener-policy': /^same-origin$/,
  'x-request-id': /./,
}

/** Which security header an answer lacks (or carries wrong), or undefined. */
export function missingSecurityHeaders(res: LightMyRequestResponse): string | undefined {
  const wrong = Object.entries(securityHeaders)
    .filter(([name, pattern]) => !pattern.test(String(res.headers[name] ?? '')))
    .map(([name]) => name)
  return wrong.length ? `security headers missing or wrong (status ${res.statusCode}): ${wrong.join(', ')}` : undefined
}

/** Why a 4xx/5xx body is not our problem+json with the security headers, or undefined. */
export function problemShape(res: LightMyRequestResponse): string | undefined {
  const headers = missingSecurityHeaders(res)
  if (headers) return headers
  const type = String(res.headers['content-type'] ?? '')
  if (!type.startsWith('application/problem+json'))
    return `content-type ${type} (status ${res.statusCode}): ${res.body.slice(0, 200)}`
  let body: { code?: string; status?: number; message?: { vi?: unknown; en?: unknown }; stack?: unknown }
  try {
    body = JSON.parse(res.body)
  } catch {
    return `not JSON: ${res.body.slice(0, 200)}`
  }
  const def = body.code ? (problems as Record<string, { status: number }>)[body.code] : undefined
  if (!def) return `unknown code ${body.code}`
  if (def.status !== res.statusCode || body.status !== res.statusCode)
    return `${body.code} answered ${res.statusCode}, catalogue says ${def.status}`
  if (
    typeof body.message?.vi !== 'string' ||
    !body.message.vi ||
    typeof body.message?.en !== 'string' ||
    !body.message.en
  )
    return `messages missing: ${JSON.stringify(body.message)}`
  if ('stack' in body || /\n\s+at /.test(res.body)) return 'a stack trace leaked'
  if (
    /syntax error at or near|violates .* constraint|invalid input syntax for|relation "|column "|knex|pg-protocol/i.test(
      res.body,
    )
  )
    return `a database error leaked: ${res.body.slice(0, 200)}`
  return undefined
}

// ------------------------------------------------------------------ hostile values

export const MB = 1024 * 1024
const deep = (levels: number, leaf: string) => '['.repeat(levels) + leaf + ']'.repeat(levels)
/** A JSON text 10,000 levels deep (arrays or objects). */
export const deepJsonText = (levels = 10_000) => deep(levels, '1')
export const deepObjectText = (levels = 10_000) => '{"a":'.repeat(levels) + '1' + '}'.repeat(levels)

export const hostileStrings: string[] = [
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  '\ud800',
  'x\udfffy',
  '\u202egnp.exe',
  'e\u0301\u0301\u0301\u0301\u0301\u0301\u0301\u0301',
  'аdmin', // Cyrillic а
  'ＡＢＣ１２３',
  "' OR '1'='1",
  "'; DROP TABLE dossiers; --",
  '1 UNION SELECT password_hash FROM users--',
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(1)>',
  '../../../../etc/passwd',
  '..%2f..%2fetc%2fpasswd',
  '%00',
  '${jndi:ldap://x}',
  '{{7*7}}',
  '__proto__',
  'constructor',
  'prototype',
  '\r\nSet-Cookie: x=1',
  '0x7fffffff',
  '-1',
  '99999999999999999999999999',
  'NaN',
  '1e309',
  'null',
  'true',
  '[]',
  '{}',
  'Đăng ký khai sinh',
  'x'.repeat(10_000),
  // Control characters (all refused in paths and queries; in a body only tab and line breaks are free text).
  '\u0001',
  'a\u0007b',
  '\u001b[31mred',
  'a\u007fb',
  'line\nbreak',
  'tab\there',
  '\r',
  // Lone surrogates, high and low, alone, leading and trailing.
  '\udbff',
  'a\udc00',
  '\ud83d x',
  // Very long strings.
  'đ'.repeat(100_000),
  'a'.repeat(1_000) + '\u0000',
  // Nested quantifiers: exponential backtracking for a backtracking regex engine (as a pattern a field or a search
  // might carry).
  '^(a+)+$',
  '(a|aa)+$',
  '([a-zA-Z]+)*$',
  '(.*a){25}',
  '^(\\w+\\s?)*$',
  'a'.repeat(40) + '!',
]

/** The control characters generated into strings: C0, DEL. */
const controlCharacter = fc.integer({ min: 0, max: 0x20 }).map((c) => String.fromCharCode(c === 0x20 ? 0x7f : c))
/** A lone surrogate, high or low. */
const loneSurrogate = fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c))
/** Text with a control character or a lone surrogate somewhere in it. */
const illFormedText: fc.Arbitrary<string> = fc
  .tuple(fc.string({ maxLength: 20 }), fc.oneof(controlCharacter, loneSurrogate), fc.string({ maxLength: 20 }))
  .map(([a, bad, b]) => a + bad + b)
/** A pattern with a nested quantifier (catastrophic backtracking), generated. */
const nestedQuantifier: fc.Arbitrary<string> = fc
  .tuple(
    fc.constantFrom('a', '\\w', '[a-z]', '.', '\\d'),
    fc.constantFrom('+', '*', '{1,}'),
    fc.constantFrom('+', '*', '{2,}'),
  )
  .map(([atom, inner, outer]) => `^(${atom}${inner})${outer}$`)

/** Strings, including the hostile ones, arbitrary Unicode (lone surrogates too) and a 1 MB one now and then. */
export const hostileString: fc.Arbitrary<string> = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...hostileStrings) },
  { weight: 3, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 2, arbitrary: illFormedText },
  { weight: 1, arbitrary: nestedQuantifier },
  { weight: 1, arbitrary: fc.constant('x'.repeat(MB)) },
)

/** Any JSON-ish value: wrong types for whatever the schema wants. */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: hostileString },
  { weight: 1, arbitrary: fc.constantFrom(0, -1, 1.5, 2 ** 53, -(2 ** 31), 1e308, true, false, null) },
  {
    weight: 1,
    arbitrary: fc.constantFrom([], [1, 'a'], {}, { $gt: '' }, { constructor: { prototype: { polluted: 1 } } }),
  },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
)

// ------------------------------------------------------------------ schema checks (the same ajv options as the app)

const ajv = new Ajv({
  allErrors: false,
  coerceTypes: 'array',
  useDefaults: true,
  removeAdditional: false,
  strict: false,
  validateFormats: true,
})
addFormats(ajv)
ajv.addKeyword({ keyword: 'example' })

export type Check = (value: unknown) => boolean

/**
 * A validator for the route part (`part`: 'params', 'querystring' or 'body', as the app names them); undefined when the
 * schema cannot be compiled here (then validity is unknown).
 */
export function checker(
  schema: Record<string, unknown>,
  part: 'params' | 'querystring' | 'body' = 'params',
): Check | undefined {
  try {
    const validate = ajv.compile(structuredClone(schema))
    // As the app does (src/plugins/problems.ts): a number coerced to Infinity, nesting too deep, a control character
    // or a lone surrogate is refused after validation.
    return (value) => {
      const data = structuredClone(value)
      return validate(data) && unsafeInputAt(data, part) === undefined
    }
  } catch {
    return undefined
  }
}

export function objectSchema(params: RouteParam[], where: RouteParam['in']): Record<string, unknown> {
  const own = params.filter((p) => p.in === where)
  return {
    type: 'object',
    properties: Object.fromEntries(own.map((p) => [p.name, p.schema])),
    required: own.filter((p) => p.required).map((p) => p.name),
  }
}

// ------------------------------------------------------------------ requests that must be refused

export interface RouteContext {
  /** Bearer header of the account that may call the route, or none for public routes. */
  authorization?: string
  /** Valid path parameters of the caller's own resources. */
  params: Record<string, string>
  /** Values of path parameters that are not the caller's: other users' resources, ids that do not exist. */
  foreign: Record<string, string[]>
  /** Headers a valid call needs (e.g. Idempotency-Key). */
  headers?: Record<string, string>
  /** A valid query string, when the route requires one. */
  query?: Record<string, unknown>
}

export interface HostileRequest {
  why: string
  method: Method
  url: string
  headers: Record<string, string>
  payload?: string | Buffer
}

/**
 * A query string; a lone surrogate (which URLSearchParams would silently turn into U+FFFD) goes as the bytes of one,
 * which are not UTF-8, so the server sees what an attacker can send.
 */
export function queryString(query: Record<string, unknown>): string {
  const pairs: string[] = []
  const add = (k: string, v: unknown) =>
    pairs.push(`${encodeQueryPart(k)}=${encodeQueryPart(typeof v === 'string' ? v : (JSON.stringify(v) ?? ''))}`)
  for (const [k, v] of Object.entries(query)) {
    if (Array.isArray(v)) for (const item of v) add(k, item)
    else add(k, v)
  }
  return pairs.length ? `?${pairs.join('&')}` : ''
}

const loneSurrogates = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g
function encodeQueryPart(value: string): string {
  return value
    .split(loneSurrogates)
    .map((piece) => new URLSearchParams([['', piece]]).toString().slice(1))
    .join('%ED%A0%80')
}

/**
 * Requests to the route that are wrong in at least one way the route must refuse, so each must answer a 4xx
 * problem and change nothing: a path parameter its schema refuses or that names someone else's (or no) resource,
 * a query or body its schema refuses, malformed or oversized or deeply nested JSON, a wrong content type, a
 * missing or hostile Idempotency-Key.
 */
export function refusedRequests(route: Route, ctx: RouteContext): fc.Arbitrary<HostileRequest> | undefined {
  const pathParams = route.params.filter((p) => p.in === 'path')
  for (const p of pathParams)
    if (ctx.params[p.name] === undefined) throw new Error(`${route.key}: no value for path parameter ${p.name}`)
  const headers = { ...(ctx.authorization ? { authorization: ctx.authorization } : {}), ...(ctx.headers ?? {}) }
  const jsonHeaders = { ...headers, 'content-type': 'application/json' }
  const baseUrl = urlOf(route, ctx.params)
  const baseQuery = ctx.query ? queryString(ctx.query) : ''
  const bodyType = route.body?.contentType
  const encode = (body: unknown) =>
    bodyType === 'application/x-www-form-urlencoded'
      ? queryString(body as Record<string, unknown>).slice(1)
      : JSON.stringify(body)
  const sendHeaders = bodyType ? { ...headers, 'content-type': bodyType } : jsonHeaders
  const sendsBody = route.method !== 'GET'
  const arbitraries: Array<fc.Arbitrary<HostileRequest>> = []

  // A path parameter the schema refuses, or a resource that is not the caller's.
  for (const p of pathParams) {
    const valid = checker(objectSchema(route.params, 'path'))
    const foreign = ctx.foreign[p.name] ?? []
    const refusedValue = hostileString
      .filter((v) => v.length > 0 && v.length < 20_000)
      .filter((v) => !valid || !valid({ ...ctx.params, [p.name]: v }))
    const value = foreign.length ? fc.oneof(refusedValue, fc.constantFrom(...foreign)) : refusedValue
    arbitraries.push(
      value.map((v) => ({
        why: `path ${p.name}=${JSON.stringify(v.slice(0, 80))}`,
        method: route.method,
        url: urlOf(route, { ...ctx.params, [p.name]: v }) + baseQuery,
        headers: jsonHeaders,
        ...(sendsBody ? { payload: '{}' } : {}),
      })),
    )
  }

  // A query string the schema refuses: a wrong value for a known key, or a key it does not know.
  const querySchema = objectSchema(route.params, 'query')
  const queryCheck = checker({ ...querySchema, additionalProperties: false }, 'querystring')
  const queryKeys = route.params.filter((p) => p.in === 'query').map((p) => p.name)
  const hostileQuery = fc
    .record({
      key: queryKeys.length
        ? fc.oneof(fc.constantFrom(...queryKeys), fc.constantFrom('__proto__', 'constructor', 'x', 'limit[$gt]'))
        : fc.constantFrom('__proto__', 'constructor', 'x', 'a[b]'),
      value: fc.oneof(
        hostileString.filter((s) => s.length < 20_000),
        fc.array(fc.constantFrom(...hostileStrings.slice(0, 20)), { minLength: 2, maxLength: 3 }),
      ),
    })
    .map(({ key, value }) => ({ ...(ctx.query ?? {}), [key]: value }))
    .filter((q) => !queryCheck || !queryCheck(q))
  // Only where the route validates its query: elsewhere the query is ignored, and ignoring it is no fault.
  if (queryKeys.length)
    arbitraries.push(
      hostileQuery.map((q) => ({
        why: `query ${JSON.stringify(q).slice(0, 120)}`,
        method: route.method,
        url: baseUrl + queryString(q),
        headers: jsonHeaders,
        ...(sendsBody ? { payload: '{}' } : {}),
      })),
    )

  // A missing or malformed Idempotency-Key where one is required.
  if (route.params.some((p) => p.in === 'header' && p.name === 'idempotency-key' && p.required)) {
    const refusedKey = fc.oneof(
      fc.constant(undefined),
      fc.constantFrom('', 'short', 'x'.repeat(201), 'a b c d e f g', "'; DROP TABLE dossiers;--", '%00%00%00%00'),
    )
    arbitraries.push(
      refusedKey.map((key) => {
        const { ['idempotency-key']: _drop, ...rest } = jsonHeaders as Record<string, string>
        return {
          why: `idempotency-key ${JSON.stringify(key)}`,
          method: route.method,
          url: baseUrl + baseQuery,
          headers: key === undefined ? rest : { ...rest, 'idempotency-key': key },
          payload: '{}',
        }
      }),
    )
  }

  if (sendsBody) {
    if (route.body) {
      // A body its schema refuses: wrong top-level types, a field of the wrong type, an unknown or prototype key.
      const bodyCheck = checker(route.body.schema, 'body')
      const props = Object.keys((route.body.schema['properties'] as Record<string, unknown> | undefined) ?? {})
      const keys = fc.oneof(
        props.length ? fc.constantFrom(...props) : fc.constant('x'),
        fc.constantFrom('__proto__', 'constructor', 'prototype', 'x', ''),
      )
      if (!bodyCheck) throw new Error(`${route.key}: its body schema does not compile here`)
      const badBody = fc
        .oneof(
          hostileValue.filter((v) => typeof v !== 'object' || v === null || Array.isArray(v)),
          fc.dictionary(keys, hostileValue, { minKeys: 1, maxKeys: 4 }),
        )
        .filter((b) => !bodyCheck(b))
      arbitraries.push(
        badBody.map((b) => ({
          why: `body ${JSON.stringify(b)?.slice(0, 120)}`,
          method: route.method,
          url: baseUrl + baseQuery,
          headers: sendHeaders,
          payload: encode(b) ?? '',
        })),
      )
    }
    // Bytes that are not the declared type, JSON nested 10,000 levels, over the 1 MB limit, or a type the route does
    // not read. A route without a body schema ignores a well-formed body of any shape, so it only gets the malformed
    // ones.
    const raw = fc
      .constantFrom(
        { why: 'malformed JSON', type: 'application/json', payload: '{"a":' },
        { why: 'NUL bytes', type: 'application/json', payload: '\u0000\u0000' },
        { why: '__proto__ key', type: 'application/json', payload: '{"__proto__":{"polluted":true}}' },
        {
          why: 'constructor.prototype key',
          type: 'application/json',
          payload: '{"constructor":{"prototype":{"polluted":true}}}',
        },
        { why: 'arrays 10,000 deep', type: 'application/json', payload: deepJsonText() },
        { why: 'objects 10,000 deep', type: 'application/json', payload: deepObjectText() },
        { why: 'a 1 MB string', type: 'application/json', payload: JSON.stringify({ x: 'x'.repeat(MB) }) },
        { why: 'XML', type: 'application/xml', payload: '<a/>' },
        { why: 'text/plain', type: 'text/plain', payload: 'hello' },
        { why: 'no content type', type: '', payload: 'hello' },
      )
      .filter(
        (r) =>
          route.body !== undefined ||
          ['malformed JSON', 'NUL bytes', '__proto__ key', 'a 1 MB string', 'XML'].includes(r.why),
      )
    arbitraries.push(
      raw.map((r) => {
        const { ['content-type']: _ct, ...rest } = jsonHeaders as Record<string, string>
        return {
          why: r.why,
          method: route.method,
          url: baseUrl + baseQuery,
          headers: r.type ? { ...rest, 'content-type': r.type } : rest,
          payload: r.payload,
        }
      }),
    )
  }
  return arbitraries.length ? fc.oneof(...arbitraries) : undefined
}

/**
 * Hostile text the route's query or path schema accepts (injection strings, Unicode tricks, prototype words in
 * free-text filters, cursors and keys, huge numbers): the route may answer or refuse, but never fail, and a read
 * changes nothing.
 */
export function acceptedHostileQueries(route: Route, ctx: RouteContext): fc.Arbitrary<HostileRequest> | undefined {
  const checkQuery = checker({ ...objectSchema(route.params, 'query'), additionalProperties: false }, 'querystring')
  const checkPath = checker(objectSchema(route.params, 'path'))
  if (!checkQuery || !checkPath || route.method !== 'GET') return undefined
  const candidates = route.params.flatMap((p) => {
    if (p.in === 'header') return []
    const valid = (v: string) =>
      p.in === 'query' ? checkQuery({ ...(ctx.query ?? {}), [p.name]: v }) : checkPath({ ...ctx.params, [p.name]: v })
    return hostileStrings.filter((v) => v.length > 0 && valid(v)).map((v) => [p, v] as const)
  })
  if (candidates.length === 0) return undefined
  return fc.constantFrom(...candidates).map(([p, value]): HostileRequest => {
    const query = { ...(ctx.query ?? {}), ...(p.in === 'query' ? { [p.name]: value } : {}) }
    const params = { ...ctx.params, ...(p.in === 'path' ? { [p.name]: value } : {}) }
    return {
      why: `accepted ${p.in} ${p.name}=${JSON.stringify(value.slice(0, 60))}`,
      method: route.method,
      url: urlOf(route, params) + queryString(query),
      headers: ctx.authorization ? { authorization: ctx.authorization } : {},
    }
  })
}

/** Query strings and headers a route without input ignores; it must still answer below 500 with nothing changed. */
export function ignoredInput(
  route: Route,
  ctx: RouteContext,
  withAuthorization: boolean,
): fc.Arbitrary<HostileRequest> {
  return fc
    .record({
      key: fc.constantFrom('__proto__', 'constructor', 'x', 'a[b]', ''),
      value: hostileString.filter((v) => v.length < 20_000),
      requestId: fc.constantFrom('x', 'y'.repeat(500), '../../etc', 'ok-request-id-1'),
    })
    .map(({ key, value, requestId }) => ({
      why: `ignored query ${key}=${JSON.stringify(value.slice(0, 60))}`,
      method: route.method,
      url: urlOf(route, ctx.params) + queryString({ [key]: value }),
      headers: {
        ...(withAuthorization && ctx.authorization ? { authorization: ctx.authorization } : {}),
        'x-request-id': requestId,
      },
    }))
}

/** Sends the requests of one property; every answer must be a well-formed refusal, and nothing may change. */
export async function assertAllRefused(
  t: Test,
  app: FastifyInstance,
  knex: Knex,
  route: Route,
  arbitrary: fc.Arbitrary<HostileRequest>,
  opts: { numRuns?: number; accept?: (res: LightMyRequestResponse, req: HostileRequest) => string | undefined } = {},
): Promise<void> {
  const before = await fingerprint(knex)
  let sent = 0
  const failure = await fc.check(
    fc.asyncProperty(arbitrary, async (req) => {
      sent++
      const res = await app.inject({
        method: req.method,
        url: req.url,
        headers: req.headers,
        ...(req.payload !== undefined ? { payload: req.payload } : {}),
      })
      const wrong = opts.accept ? opts.accept(res, req) : refusalProblem(res)
      if (wrong) throw new Error(`${req.method} ${req.url.slice(0, 200)} (${req.why}): ${wrong}`)
    }),
    { numRuns: opts.numRuns ?? numRuns, seed, endOnFailure: true },
  )
  if (failure.failed)
    t.fail(
      `${route.key}: ${(failure.errorInstance as Error | undefined)?.message ?? ''}\n${fc.defaultReportMessage(failure)}`,
    )
  else t.pass(`${route.key}: ${sent} hostile requests refused with a problem`)
  const after = await fingerprint(knex)
  t.same(diff(before, after), [], `${route.key}: no table changed`)
  t.equal(
    (Object.prototype as Record<string, unknown>)['polluted'],
    undefined,
    `${route.key}: Object.prototype is not polluted`,
  )
}
