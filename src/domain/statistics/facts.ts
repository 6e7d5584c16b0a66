// What the statistics need to know about one dossier, and how it stands in a period (R9, R10): the single place both
// reports judge from.
import { isResolved } from '../dossier/status.js'
import { type Day, type Instant, localDay, localTimeOfDay, MS_PER_MINUTE } from '../calendar/index.js'
import type { Timeliness } from '../deadlines/index.js'
import { type Period, periodEnd } from './period.js'

export interface DossierFacts {
  id: string
  code: string | null
  /** lĩnh vực of the procedure. */
  field: string
  channel: 'online' | 'counter'
  /** 1–10, as synchronised with the national portal. */
  status: number
  /** The receipt day (R1); only accepted dossiers are facts. */
  receiptDay: Day
  /** When the result reached the counter (status 9/10), or when it was refused, withdrawn or stopped (3/7/8). */
  finishedAt: Instant | null
  /** The due before any extension (R9); null when none was computed. */
  due: { day: Day; at: Instant | null } | null
  /** Waiting for the applicant now (supplement or financial obligation): counts as within time (R10). */
  paused: boolean
}

/** Where a dossier falls in a period's report. */
export type Standing =
  | { kind: 'outside' }
  | { kind: 'resolved'; result: Timeliness }
  /** Refused after acceptance, withdrawn or stopped within the period: received, never resolved. */
  | { kind: 'closed' }
  | { kind: 'inProgress'; overdue: boolean }

/**
 * A day due ends at the end of its date; deadlines store it as 23:59:59, which is how we tell it from an instant due.
 */
export function dueFromColumns(dueDay: Day | null, dueAt: Instant | null): DossierFacts['due'] {
  if (dueDay === null && dueAt === null) return null
  if (dueAt === null) return { day: dueDay!, at: null }
  const dayPrecision = localTimeOfDay(dueAt) >= (23 * 60 + 59) * MS_PER_MINUTE
  return { day: dueDay ?? localDay(dueAt), at: dayPrecision ? null : dueAt }
}

/** R10: day dues compare civil dates, instant dues compare to the minute. */
export function judge(at: Instant, due: NonNullable<DossierFacts['due']>): Timeliness {
  const [a, b] =
    due.at === null ? [localDay(at), due.day] : [Math.floor(at / MS_PER_MINUTE), Math.floor(due.at / MS_PER_MINUTE)]
  return a < b ? 'early' : a === b ? 'on_time' : 'late'
}

/** The result reached the counter (status machine: resolved or returned). */
export function isResolvedStatus(status: number): boolean {
  return isResolved(status)
}

/**
 * How a dossier stands in `period`, seen at `now`:
 * - outside: received after the period, or finished before it began;
 * - resolved / closed: finished inside the period (with a result / refused, withdrawn, stopped);
 * - inProgress: received by the end of the period and not finished by then; overdue when the
 *   period's end (or `now`, if earlier) is past the original due date and it is not paused.
 */
export function standingIn(d: DossierFacts, period: Period, now: Instant): Standing {
  if (d.receiptDay > period.to) return { kind: 'outside' }
  if (d.finishedAt !== null && localDay(d.finishedAt) < period.from) return { kind: 'outside' }
  if (d.finishedAt !== null && localDay(d.finishedAt) <= period.to) {
    if (!isResolvedStatus(d.status)) return { kind: 'closed' }
    return { kind: 'resolved', result: d.due ? judge(d.finishedAt, d.due) : 'on_time' }
  }
  // Open at the end of the period. A pause is known only as it is now, so it counts only while the dossier is still
  // open.
  const seenAt = Math.min(periodEnd(period) - 1, now)
  const paused = d.paused && d.finishedAt === null
  const overdue = !paused && d.due !== null && judge(seenAt, d.due) === 'late'
  return { kind: 'inProgress', overdue }
}

/** True when the dossier was received before the period began (and is still in it: carried over). */
export function carriedOver(d: DossierFacts, period: Period): boolean {
  return d.receiptDay < period.from
}
