// Quyết định 766/QĐ-TTg indicators for a unit and period, each with the dossiers behind its numerator and denominator.
import { type Instant, type WorkingCalendar, localDay } from '../calendar/index.js'
import { type DossierFacts, carriedOver, standingIn } from './facts.js'
import type { Period } from './period.js'

export interface IndicatorFacts extends DossierFacts {
  /** A fee or charge was asked of the applicant (a payment row, or an amount at suspension). */
  feeDue: boolean
  /** A payment was confirmed through an online provider. */
  paidOnline: boolean
  /** At least one component reused a document already submitted (dossier_attachments.reused_from_dossier_code). */
  reusedDocuments: boolean
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

export interface Indicators766 {
  period: Period
  /** Nhóm 20 (tiến độ): (early + on time) ÷ resolved in the period. */
  onTimeRate: Ratio
  /** Nhóm 20: mean working days from the receipt day to the result, over dossiers resolved in the period. */
  averageResolutionDays: { value: number | null; count: number; dossiers: DossierRef[] }
  /** Dịch vụ trực tuyến: online ÷ all dossiers received in the period. */
  onlineShare: Ratio
  /** Dịch vụ trực tuyến: paid online ÷ dossiers received in the period that owed a fee. */
  onlinePaymentShare: Ratio
  /** Số hoá: dossiers reusing a submitted document ÷ dossiers received in the period. */
  reuseShare: Ratio
  /** Mức độ hài lòng: ratings of 4–5 ÷ ratings of dossiers resolved in the period; 'no data' without ratings. */
  satisfaction: (Ratio & { averageScore: number | null }) | { value: 'no data' }
}

const ref = (d: DossierFacts): DossierRef => ({ id: d.id, code: d.code })

function ratio(numerator: DossierFacts[], denominator: DossierFacts[]): Ratio {
  const value = denominator.length === 0 ? null : Math.round((numerator.length / denominator.length) * 10_000) / 10_000
  return {
    value,
    numerator: numerator.length,
    denominator: denominator.length,
    dossiers: { numerator: numerator.map(ref), denominator: denominator.map(ref) },
  }
}

export function compute766(
  dossiers: Iterable<IndicatorFacts>,
  period: Period,
  now: Instant,
  calendar: WorkingCalendar,
): Indicators766 {
  const resolved: IndicatorFacts[] = []
  const onTime: IndicatorFacts[] = []
  const received: IndicatorFacts[] = []
  for (const d of dossiers) {
    const s = standingIn(d, period, now)
    if (s.kind === 'outside') continue
    // The channel, payment and reuse shares are about what was received in the period, not carried over.
    if (!carriedOver(d, period)) received.push(d)
    if (s.kind === 'resolved') {
      resolved.push(d)
      if (s.result !== 'late') onTime.push(d)
    }
  }
  // Working days in (receipt day, result day]: a dossier resolved on its receipt day took 0.
  const days = resolved.map((d) => calendar.countWorkingDays(d.receiptDay, localDay(d.finishedAt!)))
  const averageResolutionDays = {
    value: days.length === 0 ? null : Math.round((days.reduce((a, b) => a + b, 0) / days.length) * 100) / 100,
    count: days.length,
    dossiers: resolved.map(ref),
  }
  const feeDue = received.filter((d) => d.feeDue)
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
    onTimeRate: ratio(onTime, resolved),
    averageResolutionDays,
    onlineShare: ratio(
      received.filter((d) => d.channel === 'online'),
      received,
    ),
    onlinePaymentShare: ratio(
      feeDue.filter((d) => d.paidOnline),
      feeDue,
    ),
    reuseShare: ratio(
      received.filter((d) => d.reusedDocuments),
      received,
    ),
    satisfaction,
  }
}
