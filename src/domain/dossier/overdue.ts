// R9, R10: when a dossier is overdue — its clock runs and its due before any extension has passed — written once, as
// a predicate on a dossier and as the SQL fragment asking the same of the dossiers table.
import { clockStatuses, isClockRunning, type DossierStatus } from './status.js'

/** What the overdue rule reads of a dossier (the dossiers table's columns). */
export interface OverdueFacts {
  status: DossierStatus | number
  paused: boolean
  due_at: Date | null
  original_due_at: Date | null
}

/** R9: a dossier is judged against its due before any extension. */
export function judgedDue(d: Pick<OverdueFacts, 'due_at' | 'original_due_at'>): Date | null {
  return d.original_due_at ?? d.due_at
}

/** A due has passed at `at` once `at` is later than it. */
export function hasPassed(due: Date | null, at: Date): due is Date {
  return due !== null && due.getTime() < at.getTime()
}

/** R10: the clock runs (accepted, processing, not waiting for the applicant) and the judged due has passed at `at`. */
export function isOverdue(d: OverdueFacts, at: Date): boolean {
  return isClockRunning(d) && hasPassed(judgedDue(d), at)
}

const column = (alias: string | undefined, name: string) => (alias ? `${alias}.${name}` : name)

/** `judgedDue` in SQL, on the dossiers row named `alias` (none: the bare table). */
export function judgedDueSql(alias?: string): string {
  return `coalesce(${column(alias, 'original_due_at')}, ${column(alias, 'due_at')})`
}

/** `isClockRunning` in SQL. */
export function clockRunningSql(alias?: string): string {
  return `${column(alias, 'status')} IN (${clockStatuses.join(', ')}) AND ${column(alias, 'paused')} = false`
}

/** `isOverdue(d, at)` in SQL, for `whereRaw(sql, bindings)`. */
export function overdueSql(alias: string | undefined, at: Date): { sql: string; bindings: [Date] } {
  return { sql: `${clockRunningSql(alias)} AND ${judgedDueSql(alias)} < ?`, bindings: [at] }
}
