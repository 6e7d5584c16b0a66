// Camunda 8.8's FEEL built-in functions that feelin lacks or computes differently, as a FEEL context of functions.
// Plain JavaScript (typed by feel-builtins.d.ts) so that the budget worker thread, which runs without a TypeScript
// loader, imports the very same module as the engine's thread.
// Spec: https://docs.camunda.io/docs/components/modeler/feel/builtin-functions/feel-built-in-functions-introduction/
import { randomUUID } from 'node:crypto'
import { FeelDate, FeelDateTime, FeelDuration, duration, evaluate, isRange } from 'feelin'

const isNil = (value) => value === null || value === undefined
const isString = (value) => typeof value === 'string'

/** A FEEL function: feelin binds positional and named arguments by `$args`. */
function feelFunction(parameterNames, implementation) {
  implementation.$args = parameterNames
  return implementation
}

/** An evaluation failure (an incident in Zeebe), as opposed to a null result with a warning. */
class FeelFailure extends Error {}

/** feelin's own implementation of a built-in, called with FEEL values as its positional arguments. */
function feelinBuiltin(name) {
  const builtin = evaluate(name).value
  if (typeof builtin !== 'function') throw new Error(`feelin has no built-in '${name}'`)
  return builtin
}

/** FEEL `a < b` and `a = b` (numbers, strings, temporals); null when not comparable. */
function less(a, b) {
  if (isNil(a) || isNil(b)) return null
  if (typeof a === typeof b && (typeof a === 'number' || isString(a))) return a < b
  return evaluate('a < b', { a, b }).value
}
function same(a, b) {
  if (isNil(a) || isNil(b)) return null
  if (typeof a === typeof b && (typeof a === 'number' || isString(a))) return a === b
  return evaluate('a = b', { a, b }).value
}

/** A key under which FEEL-equal values meet (numbers, strings, temporals by their ISO text, lists and contexts). */
function equalityKey(value) {
  if (value instanceof FeelDate || value instanceof FeelDateTime || value instanceof FeelDuration)
    return `${value.constructor.name}:${value.iso}`
  return `${typeof value}:${JSON.stringify(value)}`
}

function plainDate(value) {
  if (value instanceof FeelDate) return value.value
  if (value instanceof FeelDateTime) return value.value.toPlainDate()
  return undefined
}

const roundings = Object.fromEntries(
  ['round up', 'round down', 'round half up', 'round half down'].map((name) => {
    const round = feelinBuiltin(name)
    // feelin 8.2 wants the scale; Camunda's defaults to 0 (round up(5.5) is 6).
    return [name, feelFunction(['n', 'scale'], (n, scale) => round(n, scale ?? 0))]
  }),
)

/** The DMN 1.3 range relations (10.3.4.9) that feelin 8.2 leaves unimplemented, between points and ranges. */
function startsRange(r1, r2) {
  return (
    same(r1.start, r2.start) === true &&
    r1['start included'] === r2['start included'] &&
    (less(r1.end, r2.end) === true || (same(r1.end, r2.end) === true && (!r1['end included'] || r2['end included'])))
  )
}
function finishesRange(r1, r2) {
  return (
    same(r1.end, r2.end) === true &&
    r1['end included'] === r2['end included'] &&
    (less(r2.start, r1.start) === true ||
      (same(r1.start, r2.start) === true && (!r1['start included'] || r2['start included'])))
  )
}
const relations = {
  'overlaps before': (r1, r2) =>
    isRange(r1) && isRange(r2)
      ? (less(r1.start, r2.start) === true ||
          (same(r1.start, r2.start) === true && r1['start included'] && !r2['start included'])) &&
        (less(r2.start, r1.end) === true ||
          (same(r1.end, r2.start) === true && r1['end included'] && r2['start included'])) &&
        (less(r1.end, r2.end) === true ||
          (same(r1.end, r2.end) === true && (!r1['end included'] || r2['end included'])))
      : null,
  finishes: (a, b) => {
    if (!isRange(b)) return null
    if (!isRange(a)) return b['end included'] && same(b.end, a) === true
    return finishesRange(a, b)
  },
  during: (a, b) => {
    if (!isRange(b)) return null
    if (!isRange(a))
      return (
        (less(b.start, a) === true && less(a, b.end) === true) ||
        (same(b.start, a) === true && b['start included']) ||
        (same(b.end, a) === true && b['end included'])
      )
    return (
      (less(b.start, a.start) === true ||
        (same(b.start, a.start) === true && (b['start included'] || !a['start included']))) &&
      (less(a.end, b.end) === true || (same(b.end, a.end) === true && (b['end included'] || !a['end included'])))
    )
  },
  starts: (a, b) => {
    if (!isRange(b)) return null
    if (!isRange(a)) return b['start included'] && same(b.start, a) === true
    return startsRange(a, b)
  },
  coincides: (a, b) => {
    if (isRange(a) !== isRange(b)) return null
    if (!isRange(a)) return same(a, b)
    return startsRange(a, b) && startsRange(b, a)
  },
}
const rangeFunctions = {
  'overlaps before': feelFunction(['range1', 'range2'], relations['overlaps before']),
  'overlaps after': feelFunction(['range1', 'range2'], (r1, r2) => relations['overlaps before'](r2, r1)),
  finishes: feelFunction(['point', 'range'], relations.finishes),
  'finished by': feelFunction(['range', 'point'], (a, b) => relations.finishes(b, a)),
  during: feelFunction(['point', 'range'], relations.during),
  starts: feelFunction(['point', 'range'], relations.starts),
  'started by': feelFunction(['range', 'point'], (a, b) => relations.starts(b, a)),
  coincides: feelFunction(['point1', 'point2'], relations.coincides),
}

/** feelin's `date and time` overloads, called through FEEL since feelin does not expose that function. */
function feelinDateAndTime(value, time, from) {
  if (!isNil(from)) return evaluate('date and time(from: f)', { f: withZoneId(from) }).value
  if (time === undefined) return evaluate('date and time(v)', { v: withZoneId(value) }).value
  return evaluate('date and time(v, t)', { v: value, t: time }).value
}

/** `2018-04-29T09:30:00+02:00[Europe/Berlin]` as FEEL writes it, `2018-04-29T09:30:00@Europe/Berlin`. */
function withZoneId(text) {
  const zoned = isString(text) ? /^(.*T[^+\-Z]*)(?:Z|[+-]\d\d:\d\d)\[([^\]]+)\]$/.exec(text) : null
  return zoned ? `${zoned[1]}@${zoned[2]}` : text
}

function contextPath(keys) {
  if (isString(keys)) return [keys]
  return Array.isArray(keys) && keys.length > 0 && keys.every(isString) ? keys : null
}

function isContext(value) {
  return !isNil(value) && Object.getPrototypeOf(value) === Object.prototype
}

/**
 * The functions by their FEEL name. feelin parses a name with spaces (and with a keyword, as in `get or else`) only
 * when the evaluation context holds it, so these names are also given to the parser and the linter.
 */
export const camundaBuiltins = {
  // https://docs.camunda.io/docs/components/modeler/feel/builtin-functions/feel-built-in-functions-boolean/
  // 8.8: `is defined(null)` is false, so a missing variable or path (null in feelin and in Zeebe) is not defined.
  'is defined': feelFunction(['value'], (...args) => {
    if (args.length === 0) throw new FeelFailure('is defined() expects one argument')
    return !isNil(args[0])
  }),
  'get or else': feelFunction(['value', 'default'], (value, fallback) => (isNil(value) ? (fallback ?? null) : value)),
  assert: feelFunction(['value', 'condition', 'cause'], (value, condition, cause) => {
    if (condition === true) return value ?? null
    throw new FeelFailure(isString(cause) ? cause : 'The condition of assert() is not met')
  }),

  // https://docs.camunda.io/docs/components/modeler/feel/builtin-functions/feel-built-in-functions-context/
  // feelin 8.2 returns null for a path of keys and does not create the missing contexts of a path.
  'get value': feelFunction(['context', 'key', 'keys'], (context, key, keys) => {
    const path = contextPath(key ?? keys)
    if (!isContext(context) || !path) return null
    let value = context
    for (const name of path) {
      if (!isContext(value) || !Object.hasOwn(value, name)) return null
      value = value[name]
    }
    return value ?? null
  }),
  'context put': feelFunction(['context', 'keys', 'value', 'key'], (context, keys, value, key) => {
    const path = contextPath(keys ?? key)
    if (!isContext(context) || !path) return null
    const put = (target, [name, ...rest]) => ({
      ...target,
      [name]: rest.length === 0 ? (value ?? null) : put(isContext(target[name]) ? target[name] : {}, rest),
    })
    return put(context, path)
  }),

  // https://docs.camunda.io/docs/components/modeler/feel/builtin-functions/feel-built-in-functions-list/
  'string join': feelFunction(['list', 'delimiter', 'prefix', 'suffix'], (...args) => {
    const [list, delimiter, prefix, suffix] = args
    if (!Array.isArray(list) || args.length === 3) return null
    if (![delimiter, prefix, suffix].every((part) => isNil(part) || isString(part))) return null
    if (!list.every((item) => isNil(item) || isString(item))) return null
    const joined = list.filter((item) => !isNil(item)).join(delimiter ?? '')
    return `${prefix ?? ''}${joined}${suffix ?? ''}`
  }),
  'is empty': feelFunction(['list'], (list) => (Array.isArray(list) ? list.length === 0 : null)),
  'duplicate values': feelFunction(['list'], (list) => {
    if (!Array.isArray(list)) return null
    // In the order of each value's first occurrence: duplicate values([1,2,3,2,1]) is [1,2].
    const firsts = new Map()
    const repeated = new Set()
    for (const item of list) {
      const key = equalityKey(item)
      if (firsts.has(key)) repeated.add(key)
      else firsts.set(key, item)
    }
    return [...firsts].filter(([key]) => repeated.has(key)).map(([, item]) => item)
  }),
  partition: feelFunction(['list', 'size'], (list, size) => {
    if (!Array.isArray(list) || typeof size !== 'number' || !Number.isInteger(size) || size <= 0) return null
    const parts = []
    for (let i = 0; i < list.length; i += size) parts.push(list.slice(i, i + size))
    return parts
  }),

  // https://docs.camunda.io/docs/components/modeler/feel/builtin-functions/feel-built-in-functions-numeric/
  'random number': feelFunction([], () => Math.random()),
  ...roundings,

  // https://docs.camunda.io/docs/components/modeler/feel/builtin-functions/feel-built-in-functions-range/
  ...rangeFunctions,

  // https://docs.camunda.io/docs/components/modeler/feel/builtin-functions/feel-built-in-functions-string/
  extract: feelFunction(['string', 'pattern'], (string, pattern) => {
    if (!isString(string) || !isString(pattern)) return null
    let regex
    try {
      regex = new RegExp(pattern, 'gu')
    } catch {
      return null
    }
    return [...string.matchAll(regex)].map((match) => match[0])
  }),
  trim: feelFunction(['string'], (string) => (isString(string) ? string.trim() : null)),
  uuid: feelFunction([], () => randomUUID()),
  'to base64': feelFunction(['value'], (value) => (isString(value) ? Buffer.from(value).toString('base64') : null)),
  'is blank': feelFunction(['string'], (string) => (isString(string) ? string.trim() === '' : null)),

  // https://docs.camunda.io/docs/components/modeler/feel/builtin-functions/feel-built-in-functions-temporal/
  'last day of month': feelFunction(['date'], (value) => {
    const day = plainDate(value)
    return day ? new FeelDate(day.with({ day: day.daysInMonth })) : null
  }),

  // https://docs.camunda.io/docs/components/modeler/feel/builtin-functions/feel-built-in-functions-conversion/
  // `date and time(date, timezone)` is Camunda's; the other overloads are feelin's. A date-time without a zone is
  // read as UTC, the zone Zeebe's clock runs in.
  'date and time': feelFunction(['date', 'time', 'from', 'timezone'], (...args) => {
    const [value, time, from, timezone] = args
    const zone = timezone ?? (isString(time) ? time : undefined)
    if (zone === undefined) return feelinDateAndTime(value, time, from)
    if (!(value instanceof FeelDateTime) || !isString(zone)) return null
    try {
      const instant = value.value.toZonedDateTime(value.zone ?? 'UTC')
      const target = zone === 'Z' ? 'UTC' : zone
      const local = instant.withTimeZone(target).toPlainDateTime()
      return new FeelDateTime(local, target)
    } catch {
      return null
    }
  }),
  // feelin 8.2 keeps the remaining days (P1Y8M2D); a years and months duration has none.
  'years and months duration': feelFunction(['from', 'to'], (from, to) => {
    const start = plainDate(from)
    const end = plainDate(to)
    if (!start || !end) return null
    const between = start.until(end, { largestUnit: 'month' })
    const months = between.years * 12 + between.months
    const sign = months < 0 ? '-' : ''
    const abs = Math.abs(months)
    return duration(`${sign}P${Math.floor(abs / 12)}Y${abs % 12}M`)
  }),

  // https://docs.camunda.io/docs/components/modeler/feel/builtin-functions/feel-built-in-functions-miscellaneous/
  // Only tags a value for an AI agent connector; the engine returns it unchanged.
  fromAi: feelFunction(['value', 'description', 'type', 'schema', 'options'], (value) => value ?? null),
}

/** The names, for the parser (multi-word names) and the linter. */
export const camundaBuiltinNames = Object.keys(camundaBuiltins)

// A name as the parser reads it: words separated by any whitespace.
const mentionsBuiltin = new RegExp(
  camundaBuiltinNames
    .map((name) =>
      name
        .split(' ')
        .map((word) => word.replace(/[^\w]/g, '\\$&'))
        .join('\\s+'),
    )
    .join('|'),
)

/**
 * The evaluation context: variables shadow the built-ins, as they shadow feelin's own. The built-ins join only when
 * the expression names one: a larger context makes feelin's parse and context copy measurably slower.
 */
export function withCamundaBuiltins(variables, expression) {
  if (expression !== undefined && !mentionsBuiltin.test(expression)) return variables
  return { ...camundaBuiltins, ...variables }
}
