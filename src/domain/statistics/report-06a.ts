// Biểu II.06a/VPCP/KSTT: received, resolved and in-progress dossiers per field (lĩnh vực) for a period — the 13 columns
// and motcua's 14th.
import type { Instant } from '../calendar/index.js'
import { type DossierFacts, carriedOver, standingIn } from './facts.js'
import type { Period } from './period.js'

/**
 * Columns 3–13 of the form, plus `closed` (refused after acceptance, withdrawn, stopped), which the form has no column
 * for.
 */
export interface Counts06a {
  receivedTotal: number
  receivedOnline: number
  receivedCounterOrPost: number
  carriedOver: number
  resolvedTotal: number
  resolvedEarly: number
  resolvedOnTime: number
  resolvedLate: number
  inProgressTotal: number
  inProgressWithin: number
  inProgressOverdue: number
  closed: number
}

export interface Row06a extends Counts06a {
  /** STT, 1-based in field order. */
  no: number
  field: string
}

export interface Report06a {
  period: Period
  rows: Row06a[]
  total: Counts06a
}

export const countKeys = [
  'receivedTotal',
  'receivedOnline',
  'receivedCounterOrPost',
  'carriedOver',
  'resolvedTotal',
  'resolvedEarly',
  'resolvedOnTime',
  'resolvedLate',
  'inProgressTotal',
  'inProgressWithin',
  'inProgressOverdue',
  'closed',
] as const satisfies readonly (keyof Counts06a)[]

/** Every column at 0. */
export function zeroCounts(): Counts06a {
  return Object.fromEntries(countKeys.map((k) => [k, 0])) as unknown as Counts06a
}

/** Adds one dossier to a row. Returns false when the dossier is outside the period. */
function add(c: Counts06a, d: DossierFacts, period: Period, now: Instant): boolean {
  const s = standingIn(d, period, now)
  if (s.kind === 'outside') return false
  c.receivedTotal++
  // Online / counter count the period's new receipts; a carried-over dossier is counted once, as carried over.
  if (carriedOver(d, period)) c.carriedOver++
  else if (d.channel === 'online') c.receivedOnline++
  else c.receivedCounterOrPost++
  if (s.kind === 'closed') c.closed++
  else if (s.kind === 'resolved') {
    c.resolvedTotal++
    if (s.result === 'early') c.resolvedEarly++
    else if (s.result === 'on_time') c.resolvedOnTime++
    else c.resolvedLate++
  } else {
    c.inProgressTotal++
    if (s.overdue) c.inProgressOverdue++
    else c.inProgressWithin++
  }
  return true
}

/** Builds the report from every dossier that might touch the period (others are skipped). */
export function compute06a(dossiers: Iterable<DossierFacts>, period: Period, now: Instant): Report06a {
  const byField = new Map<string, Counts06a>()
  for (const d of dossiers) {
    const row = byField.get(d.field) ?? zeroCounts()
    if (add(row, d, period, now)) byField.set(d.field, row)
  }
  return report06aFromCounts(byField, period)
}

/**
 * The report from counts already made per field (by compute06a, or pre-aggregated): rows in Vietnamese field order, and
 * their total.
 */
export function report06aFromCounts(byField: ReadonlyMap<string, Counts06a>, period: Period): Report06a {
  const total = zeroCounts()
  for (const c of byField.values()) for (const k of countKeys) total[k] += c[k]
  const rows = [...byField.entries()]
    .sort(([a], [b]) => a.localeCompare(b, 'vi'))
    .map(([field, c], i) => ({ no: i + 1, field, ...c }))
  return { period, rows, total }
}

/** The identities every row must satisfy; returns the broken ones (empty when the numbers reconcile). */
export function reconciliationErrors(c: Counts06a): string[] {
  const errors: string[] = []
  if (c.receivedTotal !== c.receivedOnline + c.receivedCounterOrPost + c.carriedOver)
    errors.push('received ≠ online + counter + carried over')
  if (c.receivedTotal !== c.resolvedTotal + c.inProgressTotal + c.closed)
    errors.push('received ≠ resolved + in progress + closed')
  if (c.resolvedTotal !== c.resolvedEarly + c.resolvedOnTime + c.resolvedLate)
    errors.push('resolved ≠ early + on time + late')
  if (c.inProgressTotal !== c.inProgressWithin + c.inProgressOverdue) errors.push('in progress ≠ within + overdue')
  return errors
}
