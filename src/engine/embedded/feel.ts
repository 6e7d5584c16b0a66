// FEEL evaluation (feelin) and timer arithmetic for the embedded engine: expressions start with `=`,
// anything else is a static value; results are normalised to JSON values. Expressions that can loop over their input
// (for/some/every, filters, ranges, function definitions, regular expressions, sorting) run in a worker thread under a
// time and memory budget, so a hostile condition becomes an incident instead of stalling the event loop.
import { MessageChannel, Worker, receiveMessageOnPort, type MessagePort } from 'node:worker_threads'
import { evaluate, parseExpression } from 'feelin'
import type { Variables } from '../port.js'
import { camundaBuiltins, withCamundaBuiltins } from './feel-builtins.js'
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
  if (mayLoop(expr)) return evalBudgeted(expr, context)
  try {
    return toJson(evaluate(expr, withCamundaBuiltins(context, expr)).value)
  } catch (err) {
    throw new ExpressionError(`failed to evaluate expression '${expr}': ${(err as Error).message}`)
  }
}

// ---------------------------------------------------------------- the budget

/**
 * The budget of one FEEL evaluation that may loop: its time in milliseconds (`FEEL_BUDGET_MS`, default 200) and the
 * worker's heap (`FEEL_BUDGET_HEAP_MB`, default 128). Changed by tests; read at each evaluation.
 */
export const feelBudget = {
  timeMs: positive(process.env['FEEL_BUDGET_MS'], 200),
  heapMb: positive(process.env['FEEL_BUDGET_HEAP_MB'], 128),
  /** How long the first evaluation waits for a new worker to load feelin (not counted in timeMs). */
  startMs: 10_000,
}

function positive(text: string | undefined, fallback: number): number {
  const n = Number(text)
  return Number.isFinite(n) && n > 0 ? n : fallback
}

/** Nodes whose evaluation repeats over lists, ranges or recursion: their cost grows with the data, not the text. */
const LOOPING = new Set([
  'ForExpression',
  'QuantifiedExpression',
  'FilterExpression',
  'FunctionDefinition',
  'IterationContext',
  'Interval',
])

/**
 * Built-in functions whose cost is at most linear in their arguments. Anything else (`matches`, `replace` and `split`
 * take regular expressions that can backtrack; `sort`, `distinct values`, `union` … are superlinear; unknown names may
 * be context functions) runs under the budget.
 */
const LINEAR_FUNCTIONS = new Set(
  [
    'not',
    'is defined',
    'get or else',
    'number',
    'string',
    'date',
    'time',
    'date and time',
    'duration',
    'years and months duration',
    'now',
    'today',
    'substring',
    'string length',
    'upper case',
    'lower case',
    'substring before',
    'substring after',
    'contains',
    'starts with',
    'ends with',
    'string join',
    'list contains',
    'count',
    'min',
    'max',
    'sum',
    'mean',
    'all',
    'any',
    'sublist',
    'append',
    'concatenate',
    'insert before',
    'remove',
    'reverse',
    'index of',
    'flatten',
    'is empty',
    'decimal',
    'floor',
    'ceiling',
    'abs',
    'round up',
    'round down',
    'round half up',
    'round half down',
    'modulo',
    'odd',
    'even',
    'day of year',
    'day of week',
    'month of year',
    'week of year',
    'get value',
    'get entries',
    'context put',
    // Camunda's extensions (feel-builtins.js); `extract` takes a regular expression, so it is not here.
    'assert',
    'duplicate values',
    'partition',
    'random number',
    'trim',
    'uuid',
    'to base64',
    'is blank',
    'last day of month',
    'fromAi',
    'round up',
    'round down',
    'round half up',
    'round half down',
    'years and months duration',
  ].map((name) => name.replace(/\s+/g, ' ')),
)

const classified = new Map<string, boolean>()

/** Whether an expression may cost more than linear time in its input, so it must run under the budget. */
export function mayLoop(expr: string): boolean {
  let loops = classified.get(expr)
  if (loops === undefined) {
    loops = classify(expr)
    if (classified.size >= 10_000) classified.clear()
    classified.set(expr, loops)
  }
  return loops
}

function classify(expr: string): boolean {
  let loops = false
  try {
    // The built-ins' names, so that multi-word ones (`get or else`, `last day of month`) parse as names.
    parseExpression(expr, camundaBuiltins, undefined).iterate({
      enter(node) {
        if (loops) return false
        if (LOOPING.has(node.name)) loops = true
        else if (node.name === 'FunctionInvocation') {
          const callee = node.node.firstChild
          const name = callee?.name === 'VariableName' ? expr.slice(callee.from, callee.to).replace(/\s+/g, ' ') : ''
          if (!LINEAR_FUNCTIONS.has(name)) loops = true
        }
        return undefined
      },
    })
  } catch {
    // Not parsed without its context (names with spaces): evaluated under the budget, which parses it with one.
    return true
  }
  return loops
}

// The worker: plain JavaScript (no TypeScript loader needed) importing feelin and Camunda's built-ins
// (feel-builtins.js) by their resolved URLs; it answers on a MessagePort and raises a shared flag that the engine's
// thread waits on with Atomics.wait, up to the budget.
const workerSource = (feelinUrl: string, builtinsUrl: string) => `
import { workerData } from 'node:worker_threads'
const { evaluate } = await import(${JSON.stringify(feelinUrl)})
const { withCamundaBuiltins } = await import(${JSON.stringify(builtinsUrl)})
const { port, state } = workerData
const flags = new Int32Array(state)
const toJson = (v) =>
  v === undefined || typeof v === 'function' ? null : v === null || typeof v !== 'object' ? v : JSON.parse(JSON.stringify(v))
port.on('message', ({ id, expr, context }) => {
  let reply
  try {
    reply = { id, ok: true, value: toJson(evaluate(expr, withCamundaBuiltins(context, expr)).value) }
  } catch (err) {
    reply = { id, ok: false, message: String(err && err.message) }
  }
  port.postMessage(reply)
  Atomics.store(flags, 0, 1)
  Atomics.notify(flags, 0)
})
Atomics.store(flags, 1, 1)
Atomics.notify(flags, 1)
`

interface FeelWorker {
  worker: Worker
  port: MessagePort
  flags: Int32Array
}

let current: FeelWorker | undefined
let nextId = 0

function startWorker(): FeelWorker {
  const state = new SharedArrayBuffer(8)
  const { port1, port2 } = new MessageChannel()
  const source = workerSource(import.meta.resolve('feelin'), new URL('./feel-builtins.js', import.meta.url).href)
  const worker = new Worker(new URL(`data:text/javascript,${encodeURIComponent(source)}`), {
    workerData: { port: port2, state },
    transferList: [port2],
    execArgv: [],
    env: {},
    resourceLimits: { maxOldGenerationSizeMb: feelBudget.heapMb, maxYoungGenerationSizeMb: 16, stackSizeMb: 4 },
  })
  worker.unref()
  port1.unref()
  // A worker that runs out of memory exits; the evaluation waiting on it then runs out of time.
  worker.on('error', () => undefined)
  return { worker, port: port1, flags: new Int32Array(state) }
}

function stopWorker(w: FeelWorker): void {
  if (current === w) current = undefined
  w.port.close()
  void w.worker.terminate()
}

/** Evaluates in the worker, blocking this thread at most the budget; over it the worker is stopped and replaced. */
export function evalBudgeted(expr: string, context: Variables): unknown {
  const w = (current ??= startWorker())
  if (Atomics.load(w.flags, 1) === 0 && Atomics.wait(w.flags, 1, 0, feelBudget.startMs) === 'timed-out') {
    stopWorker(w)
    throw new ExpressionError(`failed to evaluate expression '${expr}': the FEEL evaluator did not start`)
  }
  const id = ++nextId
  Atomics.store(w.flags, 0, 0)
  try {
    w.port.postMessage({ id, expr, context })
  } catch (err) {
    throw new ExpressionError(`failed to evaluate expression '${expr}': ${(err as Error).message}`)
  }
  const waited = Atomics.wait(w.flags, 0, 0, feelBudget.timeMs)
  const reply = waited === 'timed-out' ? undefined : receiveMessageOnPort(w.port)?.message
  const answer = reply as { id: number; ok: boolean; value?: unknown; message?: string } | undefined
  if (!answer || answer.id !== id) {
    stopWorker(w)
    // Started again at once, so the next evaluation finds it ready.
    current = startWorker()
    throw new ExpressionError(
      `failed to evaluate expression '${expr}': over its budget of ${feelBudget.timeMs} ms or ${feelBudget.heapMb} MB (stopped)`,
    )
  }
  if (!answer.ok) throw new ExpressionError(`failed to evaluate expression '${expr}': ${answer.message}`)
  return answer.value
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

/**
 * A whole number: a static value is read as one (job retries `3`), an expression must give one; anything else is an
 * incident, as in Zeebe, rather than a job with no retries.
 */
export function evalInteger(text: string, context: Variables, what: string): number {
  const v = evalValue(text, context)
  const n = typeof v === 'string' && !isExpression(text) ? Number(v.trim()) : v
  if (typeof n === 'number' && Number.isInteger(n)) return n
  throw new ExpressionError(
    `Expected result of the expression '${text.replace(/^\s*=/, '')}' for ${what} to be 'NUMBER', but was '${JSON.stringify(v)}'.`,
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
    // A source without `=` is a static value (Zeebe: https://docs.camunda.io/docs/components/concepts/expressions/);
    // Zeebe refuses it at deploy for an output mapping (feel-static.ts), so here it is an input's text.
    const value = evalValue(m.source, ctx)
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
