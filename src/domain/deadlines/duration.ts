// Processing durations of procedures: `N WD` (fractions allowed), `N WH`, `N CD`, `SAME_DAY`.
import { DeadlineError } from './errors.js'

export type Duration =
  { unit: 'WD'; days: number } | { unit: 'WH'; hours: number } | { unit: 'CD'; days: number } | { unit: 'SAME_DAY' }

/** Parses '5WD', '5 WD', '0.5WD', '4WH', '30CD', 'SAME_DAY' (case-insensitive). */
export function parseDuration(text: string): Duration {
  const trimmed = text.trim().toUpperCase()
  if (trimmed === 'SAME_DAY') return { unit: 'SAME_DAY' }
  const m = /^(\d+(?:\.\d+)?)\s*(WD|WH|CD)$/.exec(trimmed)
  const value = m ? Number(m[1]) : NaN
  if (!m || !(value > 0)) {
    throw new DeadlineError('MC_ERR_DURATION_INVALID', 'unparsable', {
      vi: `"${text}" không phải là thời hạn (ví dụ 5WD, 0.5WD, 4WH, 30CD, SAME_DAY)`,
      en: `"${text}" is not a duration (e.g. 5WD, 0.5WD, 4WH, 30CD, SAME_DAY)`,
    })
  }
  if (m[2] === 'CD' && !Number.isInteger(value)) {
    throw new DeadlineError('MC_ERR_DURATION_INVALID', 'fractional_calendar_days', {
      vi: 'số ngày theo lịch phải là số nguyên',
      en: 'calendar days must be a whole number',
    })
  }
  if (m[2] === 'WD') return { unit: 'WD', days: value }
  if (m[2] === 'WH') return { unit: 'WH', hours: value }
  return { unit: 'CD', days: value }
}

export function formatDuration(duration: Duration): string {
  switch (duration.unit) {
    case 'WD':
      return `${duration.days}WD`
    case 'WH':
      return `${duration.hours}WH`
    case 'CD':
      return `${duration.days}CD`
    case 'SAME_DAY':
      return 'SAME_DAY'
  }
}

/**
 * True when the due is a civil date (the period ends at the end of that day); false when it is an
 * instant inside office hours (working hours and fractional working days, R3).
 */
export function isDayDuration(duration: Duration): boolean {
  return (
    duration.unit === 'CD' ||
    duration.unit === 'SAME_DAY' ||
    (duration.unit === 'WD' && Number.isInteger(duration.days))
  )
}
