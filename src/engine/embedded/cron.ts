// Timer cycles written as cron expressions, as Zeebe reads a timeCycle that is not an ISO-8601 repeating
// interval: Spring's CronExpression (six fields, seconds first, or a macro such as @daily), unbounded repetitions.
import { CronExpressionParser } from 'cron-parser'
import type { Variables } from '../port.js'
import { ExpressionError, addDuration, evalValue, scheduleTimer, type TimerSchedule } from './feel.js'
import type { TimerDef } from './model.js'

/** A timer row's interval that holds a cron expression rather than an ISO-8601 duration. */
const cronPrefix = 'cron:'

// Spring's macros (CronExpression.parse): each stands for a six-field expression.
const macros: Record<string, string> = {
  '@yearly': '0 0 0 1 1 *',
  '@annually': '0 0 0 1 1 *',
  '@monthly': '0 0 0 1 * *',
  '@weekly': '0 0 0 * * 0',
  '@daily': '0 0 0 * * *',
  '@midnight': '0 0 0 * * *',
  '@hourly': '0 0 * * * *',
}

/**
 * Zeebe computes cron due dates in the broker's default time zone (ZoneId.systemDefault(); UTC in Camunda's
 * images). motcua uses UTC, so a model behaves the same on both engines whatever the host's zone.
 */
export const cronTimeZone = 'UTC'

/** True when a time cycle is a cron expression (anything that is not `R[n]/…`, as Zeebe tries ISO first). */
export function isCronCycle(text: string): boolean {
  return !/^R\d*\//i.test(text.trim())
}

/** The six-field expression of a cron cycle; throws an ExpressionError naming the text when it is not one. */
export function cronFields(text: string): string {
  const trimmed = text.trim()
  const expanded = macros[trimmed.toLowerCase()] ?? trimmed
  const fields = expanded.split(/\s+/)
  if (fields.length !== 6)
    throw new ExpressionError(
      `Invalid timer cycle '${text}': expected an ISO-8601 repeating interval (R[n]/[start/]duration) or a cron ` +
        `expression with six fields (second minute hour day-of-month month day-of-week) or a macro (@daily …).`,
    )
  try {
    CronExpressionParser.parse(expanded, { tz: cronTimeZone, strict: false })
  } catch (err) {
    throw new ExpressionError(`Invalid cron expression '${text}': ${(err as Error).message}`)
  }
  return expanded
}

/** The first time after `from` that a cron expression matches (UTC). */
export function nextCronDue(text: string, from: Date): Date {
  const expr = CronExpressionParser.parse(cronFields(text), { currentDate: from, tz: cronTimeZone })
  return expr.next().toDate()
}

/** The next due time of a repeating timer row after it fired at `dueAt`: cron or ISO-8601 interval. */
export function nextCycleDue(dueAt: Date, interval: string): Date {
  if (interval.startsWith(cronPrefix)) return nextCronDue(interval.slice(cronPrefix.length), dueAt)
  return addDuration(dueAt, interval)
}

/** scheduleTimer (feel.ts) extended with cron cycles: the first due time and what repeats. */
export function scheduleTimerDef(timer: TimerDef, context: Variables, now: Date): TimerSchedule {
  if (timer.kind === 'cycle') {
    const raw = evalValue(timer.expression, context)
    if (typeof raw === 'string' && isCronCycle(raw))
      return { dueAt: nextCronDue(raw, now), repetitions: -1, interval: `${cronPrefix}${cronFields(raw)}` }
  }
  return scheduleTimer(timer, context, now)
}
