// Quyết định 766/QĐ-TTg indicators for a unit and period as the national portal's formula description computes them
// ("Mô tả công thức tính chỉ số 766", docs/reports.md), each with the dossiers behind its numerator and denominator.
import { type Instant, type WorkingCalendar, localDay, ymdOfDay } from '../calendar/index.js'
import { type DossierFacts, carriedOver, isResolvedStatus, judge, standingIn } from './facts.js'
import { type Period, periodEnd } from './period.js'

export interface IndicatorFacts extends DossierFacts {
  /** A fee or charge was asked of the applicant (a payment row, or an amount at suspension). */
  feeDue: boolean
  /** A payment was confirmed through an online provider. */
  paidOnline: boolean
  /** At least one component reused a document already submitted (dossier_attachments.reused_from_dossier_code). */
  reusedDocuments: boolean
  /** At least one component has a file: scanned at the counter, submitted online or reused (migration 1150). */
  digitised: boolean
  /** The dossier's procedure declares a result document (its result is a paper, now electronic, document). */
  resultDocument: boolean
  /** A signed electronic result file was issued for the dossier (dossier_results). */
  electronicResult: boolean
  /** Supplements asked during processing (dossiers.supplement_count). */
  supplementRequests: number
  /** While the dossier waits for the applicant (supplement or payment): when its clock stopped. */
  pausedSince: Instant | null
  /** Supplements asked during processing and handed in: from the request to the applicant's answer. */
  supplementWaits: { from: Instant; to: Instant }[]
  /** The applicant's rating, 1–5, if any. */
  rating: number | null
}

export interface DossierRef {
  id: string
  code: string | null
}

export interface Ratio {
  /** numerator ÷ denominator, 4 decimals; null when the denominator is 0 ('no data'). */
  value: number | null
  numerator: number
  denominator: number
  dossiers: { numerator: DossierRef[]; denominator: DossierRef[] }
}

/** A ratio the description converts into points: the full points from `threshold` up, proportionally below. */
export interface ScoredRatio extends Ratio {
  /** The rate from which the indicator earns its full points. */
  threshold: number
  /** Share of the indicator's maximum points, min(1, value ÷ threshold), 4 decimals; null without data. */
  scoreShare: number | null
}

export interface Indicators766 {
  period: Period
  /**
   * 2.1 Tỷ lệ hồ sơ xử lý trước hạn, đúng hạn: dossiers finished (with a result, refused, stopped or withdrawn) by
   * their due date, or still within it at the period's end, ÷ every dossier received or handled in the period.
   */
  onTimeRate: Ratio
  /** Biểu II.06a's figure, kept beside 2.1: (early + on time) ÷ resolved with a result in the period. */
  resolvedOnTimeRate: Ratio
  /**
   * 2.2 Thời gian giải quyết trung bình: working days from receipt to result less the applicant's supplement time, over
   * the dossiers received in the period and resolved.
   */
  averageResolutionDays: { value: number | null; count: number; dossiers: DossierRef[] }
  /**
   * 3.3 Tỷ lệ hồ sơ nộp trực tuyến: online ÷ all dossiers received in the period; full points from 50%. An online
   * dossier of a procedure whose result is a document, once resolved, counts only with its electronic result.
   */
  onlineShare: ScoredRatio
  /**
   * 4.1 Tỷ lệ hồ sơ có cấp kết quả giải quyết điện tử: resolved in the period with a signed result file ÷ resolved in
   * the period, of procedures whose result is a document.
   */
  electronicResultShare: Ratio
  /** 3.6 Tỷ lệ hồ sơ thanh toán trực tuyến: paid online ÷ dossiers received in the period that owed a fee. */
  onlinePaymentShare: Ratio
  /**
   * 4.2 Tỷ lệ hồ sơ thực hiện số hoá: received in the period with a file in a component ÷ received; full from 80%. A
   * dossier of a procedure whose result is a document, once resolved, counts only with its electronic result.
   */
  digitisedShare: ScoredRatio
  /** 4.3 Tỷ lệ khai thác, sử dụng lại dữ liệu số hoá: reusing a document ÷ received in the period; full from 80%. */
  reuseShare: ScoredRatio
  /** motcua's own rating (not 766's 5.4): ratings of 4–5 ÷ ratings of dossiers resolved in the period. */
  satisfaction: (Ratio & { averageScore: number | null }) | { value: 'no data' }
}

const ref = (d: DossierFacts): DossierRef => ({ id: d.id, code: d.code })
const round4 = (x: number) => Math.round(x * 10_000) / 10_000

function ratio(numerator: DossierFacts[], denominator: DossierFacts[]): Ratio {
  return {
    value: denominator.length === 0 ? null : round4(numerator.length / denominator.length),
    numerator: numerator.length,
    denominator: denominator.length,
    dossiers: { numerator: numerator.map(ref), denominator: denominator.map(ref) },
  }
}

function scored(r: Ratio, threshold: number): ScoredRatio {
  return { ...r, threshold, scoreShare: r.value === null ? null : round4(Math.min(1, r.value / threshold)) }
}

/**
 * 2.1: is the dossier finished by its due date, or still within it? The finish is the result, refusal, stop or
 * withdrawal; a dossier waiting for the applicant is judged at the moment its clock stopped (the description takes the
 * supplement request as the end, and subtracts the applicant's time from a later end); one still running is judged at
 * the period's end (or now, if earlier). A second supplement request makes it late whatever the dates.
 */
/**
 * Condition (2) of 3.3 and 4.2: where the procedure's result is a document, the dossier must also have had it issued
 * electronically. Only a dossier with its result (status 9/10) can be judged on it; one still being handled, or
 * closed without a result, is judged on the condition (1) alone.
 */
const resultConditionMet = (d: IndicatorFacts): boolean =>
  !d.resultDocument || !isResolvedStatus(d.status) || d.electronicResult

function withinTime(d: IndicatorFacts, period: Period, now: Instant): boolean {
  if (d.supplementRequests > 1) return false
  if (d.due === null) return true
  if (d.finishedAt !== null && localDay(d.finishedAt) <= period.to) return judge(d.finishedAt, d.due) !== 'late'
  const seenAt = Math.min(periodEnd(period) - 1, now)
  // A pause is known only as it is now: it counts while the dossier is still open, and only from when it began.
  const pausedAt = d.paused && d.finishedAt === null && d.pausedSince !== null ? d.pausedSince : seenAt
  return judge(Math.min(seenAt, pausedAt), d.due) !== 'late'
}

/**
 * The calendar years compute766 counts working days in: from the period's or an earlier receipt's (a dossier carried
 * over) to the period's end or a later result or supplement answer (2.2 counts the dossiers received in the period
 * resolved whenever, seen now). Loops, not Math.min(...): a province-year has hundreds of thousands of dossiers, more
 * arguments than the call stack holds.
 */
export function calendarYears(
  period: Period,
  dossiers: Iterable<Pick<IndicatorFacts, 'receiptDay' | 'finishedAt' | 'supplementWaits'>>,
): [number, number] {
  let [first, last] = [period.from, period.to]
  for (const d of dossiers) {
    if (d.receiptDay < first) first = d.receiptDay
    if (d.finishedAt !== null) last = Math.max(last, localDay(d.finishedAt))
    for (const w of d.supplementWaits) last = Math.max(last, localDay(w.to))
  }
  return [ymdOfDay(first).year, ymdOfDay(last).year]
}

export function compute766(
  dossiers: Iterable<IndicatorFacts>,
  period: Period,
  now: Instant,
  calendar: WorkingCalendar,
): Indicators766 {
  const handled: IndicatorFacts[] = []
  const resolved: IndicatorFacts[] = []
  const resolvedOnTime: IndicatorFacts[] = []
  const received: IndicatorFacts[] = []
  for (const d of dossiers) {
    const s = standingIn(d, period, now)
    if (s.kind === 'outside') continue
    handled.push(d)
    // The channel, payment, digitisation and reuse shares are about what was received in the period (its receipt
    // day), not carried over.
    if (!carriedOver(d, period)) received.push(d)
    if (s.kind === 'resolved') {
      resolved.push(d)
      if (s.result !== 'late') resolvedOnTime.push(d)
    }
  }
  // 2.2 counts the dossiers received in the period that have their result, whenever it came (seen at `now`).
  const completed = received.filter((d) => d.finishedAt !== null && d.finishedAt <= now && isResolvedStatus(d.status))
  // Working days in (receipt day, result day], less the applicant's supplement time (working days in (request day,
  // answer day]): a dossier resolved on its receipt day took 0.
  const days = completed.map(
    (d) =>
      calendar.countWorkingDays(d.receiptDay, localDay(d.finishedAt!)) -
      d.supplementWaits.reduce((sum, w) => sum + calendar.countWorkingDays(localDay(w.from), localDay(w.to)), 0),
  )
  const feeDue = received.filter((d) => d.feeDue)
  // 4.1: the dossiers given their result in the period (resolved, 06a's column 7) whose procedure issues a document.
  const withResultDocument = resolved.filter((d) => d.resultDocument)
  const rated = resolved.filter((d) => d.rating !== null)
  const satisfaction =
    rated.length === 0
      ? { value: 'no data' as const }
      : {
          ...ratio(
            rated.filter((d) => d.rating! >= 4),
            rated,
          ),
          averageScore: Math.round((rated.reduce((a, d) => a + d.rating!, 0) / rated.length) * 100) / 100,
        }
  return {
    period,
    onTimeRate: ratio(
      handled.filter((d) => withinTime(d, period, now)),
      handled,
    ),
    resolvedOnTimeRate: ratio(resolvedOnTime, resolved),
    averageResolutionDays: {
      value: days.length === 0 ? null : Math.round((days.reduce((a, b) => a + b, 0) / days.length) * 100) / 100,
      count: days.length,
      dossiers: completed.map(ref),
    },
    onlineShare: scored(
      ratio(
        received.filter((d) => d.channel === 'online' && resultConditionMet(d)),
        received,
      ),
      0.5,
    ),
    electronicResultShare: ratio(
      withResultDocument.filter((d) => d.electronicResult),
      withResultDocument,
    ),
    onlinePaymentShare: ratio(
      feeDue.filter((d) => d.paidOnline),
      feeDue,
    ),
    digitisedShare: scored(
      ratio(
        received.filter((d) => d.digitised && resultConditionMet(d)),
        received,
      ),
      0.8,
    ),
    reuseShare: scored(
      ratio(
        received.filter((d) => d.reusedDocuments),
        received,
      ),
      0.8,
    ),
    satisfaction,
  }
}
