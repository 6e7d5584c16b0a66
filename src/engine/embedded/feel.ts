// FEEL evaluation (feelin) and timer arithmetic for the embedded engine: expressions start with `=`,
// anything else is a static value; results are normalised to JSON values.
import { evaluate } from 'feelin'
import type { Variables } from '../port.js'
import type { Mapping, TimerDef } from './model.js'

/** An expression that cannot be evaluated: the element gets an incident of this type. */
export class ExpressionError extends Error {
  constructor(
    message: string,
    readonly errorType = 'EXTRACT_VALUE_ERROR',
  ) {
    super(message)
    this.name = 'ExpressionError'
  }
}

function toJson(value: unknown): unknown {
  if (value === undefined) return null
  if (value === null || typeof value !== 'object') return typeof value === 'function' ? null : value
  return JSON.parse(JSON.stringify(value))
}

export function isExpression(text: string | undefined): boolean {
  return typeof text === 'string' && text.trimStart().startsWith('=')
}

/** Evaluates `=expr` with FEEL, returns a static text as is. */
export function evalValue(text: string, context: Variables): unknown {
  if (!isExpression(text)) return text
  const expr = text.trimStart().slice(1)
  try {
    return toJson(evaluate(expr, context).value)
  } catch (err) {
    throw new ExpressionError(`failed to evaluate expression '${expr}': ${(err as Error).message}`)
  }
}

export function evalCondition(text: string, context: Variables): boolean {
  const v = evalValue(text, context)
  if (typeof v !== 'boolean')
    throw new ExpressionError(
      `Expected result of the expression '${text.replace(/^\s*=/, '')}' to be 'BOOLEAN', but was '${v === null ? 'NULL' : typeof v}'.`,
    )
  return v
}

export function evalString(text: string, context: Variables, what: string): string {
  const v = evalValue(text, context)
  if (typeof v === 'string') return v
  if (typeof v === 'number') return String(v)
  throw new ExpressionError(
    `Expected ${what} '${text}' to be a string or number, but was '${v === null ? 'NULL' : typeof v}'.`,
  )
}

/** A comma-separated list or a FEEL list of strings (candidate groups/users). */
export function evalList(text: string | undefined, context: Variables): string[] {
  if (!text) return []
  if (!isExpression(text))
    return text
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean)
  const v = evalValue(text, context)
  if (Array.isArray(v)) return v.map(String)
  if (typeof v === 'string')
    return (v as string)
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean)
  if (v === null) return []
  throw new ExpressionError(`Expected '${text}' to be a list of strings.`)
}

function setPath(target: Variables, path: string, value: unknown): void {
  const parts = path.split('.')
  let obj: Record<string, unknown> = target
  for (const p of parts.slice(0, -1)) {
    const next = obj[p]
    if (next === null || typeof next !== 'object' || Array.isArray(next)) obj[p] = {}
    else obj[p] = { ...(next as object) }
    obj = obj[p] as Record<string, unknown>
  }
  obj[parts[parts.length - 1]!] = value
}

/**
 * Applies input or output mappings: each source is evaluated against the context; targets may be
 * nested paths. `base` supplies the current value of a target's root variable when a path extends it.
 */
export function applyMappings(mappings: Mapping[], context: Variables, base: Variables = {}): Variables {
  const result: Variables = {}
  const ctx = { ...context }
  for (const m of mappings) {
    const value = isExpression(m.source) ? evalValue(m.source, ctx) : evalValue(`=${m.source}`, ctx)
    const root = m.target.split('.')[0]!
    if (m.target.includes('.') && !(root in result) && root in base) result[root] = base[root]
    setPath(result, m.target, value)
    ctx[root] = result[root]
  }
  return result
}

const durationRe =
  /^(-)?P(?:(\d+(?:[.,]\d+)?)Y)?(?:(\d+(?:[.,]\d+)?)M)?(?:(\d+(?:[.,]\d+)?)W)?(?:(\d+(?:[.,]\d+)?)D)?(?:T(?:(\d+(?:[.,]\d+)?)H)?(?:(\d+(?:[.,]\d+)?)M)?(?:(\d+(?:[.,]\d+)?)S)?)?$/

/** Adds an ISO-8601 duration to a date (calendar months/years as calendar units). */
export function addDuration(from: Date, iso: string): Date {
  const m = durationRe.exec(iso.trim())
  if (!m || iso.trim() === 'P' || iso.trim().endsWith('T'))
    throw new ExpressionError(`Invalid ISO-8601 duration '${iso}'.`)
  const n = (i: number): number => (m[i] ? Number(m[i]!.replace(',', '.')) : 0)
  const sign = m[1] ? -1 : 1
  const d = new Date(from.getTime())
  if (n(2) || n(3)) d.setUTCMonth(d.getUTCMonth() + sign * (n(2) * 12 + n(3)))
  const ms = ((n(4) * 7 + n(5)) * 86_400 + n(6) * 3600 + n(7) * 60 + n(8)) * 1000
  return new Date(d.getTime() + sign * ms)
}

function toDate(v: unknown, text: string): Date {
  if (typeof v === 'string') {
    // FEEL zoned date-times may carry an @zone suffix that Date cannot read; the offset decides.
    const d = new Date(v.replace(/@.*$/, ''))
    if (!Number.isNaN(d.getTime())) return d
  }
  throw new ExpressionError(`Expected timer date '${text}' to be a date and time, but was '${JSON.stringify(v)}'.`)
}

export interface TimerSchedule {
  dueAt: Date
  /** Remaining repetitions after this one; -1 = unbounded, 0 = none. */
  repetitions: number
  interval?: string
}

/** Evaluates a timer definition to its first due time (and repetition for cycles). */
export function scheduleTimer(timer: TimerDef, context: Variables, now: Date): TimerSchedule {
  const raw = evalValue(timer.expression, context)
  if (timer.kind === 'date') return { dueAt: toDate(raw, timer.expression), repetitions: 0 }
  if (typeof raw !== 'string')
    throw new ExpressionError(`Expected timer '${timer.expression}' to be a string, but was '${JSON.stringify(raw)}'.`)
  if (timer.kind === 'duration') return { dueAt: addDuration(now, raw), repetitions: 0 }
  const parts = raw.trim().split('/')
  const rm = /^R(\d*)$/.exec(parts[0] ?? '')
  if (!rm || parts.length < 2 || parts.length > 3)
    throw new ExpressionError(`Unsupported timer cycle '${raw}' (expected R[n]/[start/]duration).`)
  const total = rm[1] === '' ? -1 : Number(rm[1])
  const interval = parts[parts.length - 1]!
  const start = parts.length === 3 ? toDate(parts[1], raw) : undefined
  const dueAt = start ?? addDuration(now, interval)
  if (total === 0) throw new ExpressionError(`Timer cycle '${raw}' repeats zero times.`)
  return { dueAt, repetitions: total === -1 ? -1 : total - 1, interval }
}

export function toDateOrUndefined(text: string | undefined, context: Variables, what: string): Date | undefined {
  if (!text) return undefined
  const v = evalValue(text, context)
  if (v === null || v === '') return undefined
  if (typeof v !== 'string') throw new ExpressionError(`Expected ${what} '${text}' to be a date and time string.`)
  return toDate(v, text)
}
