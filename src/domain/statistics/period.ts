// Reporting periods (month, quarter, year, or from–to) as inclusive ranges of civil dates in the business time zone.
import { type Day, dayFromYmd, formatDate, instantAt, MS_PER_DAY, parseDate, type Instant } from '../calendar/index.js'

export interface Period {
  /** First day, inclusive. */
  from: Day
  /** Last day, inclusive. */
  to: Day
  /** How the period reads in a title: "Tháng 03 năm 2026", "Quý I năm 2026", "Từ 01/03/2026 đến 15/03/2026". */
  label: string
}

export type PeriodInput =
  | { month: string } // YYYY-MM
  | { quarter: string } // YYYY-Q1..Q4
  | { year: number }
  | { from: string; to: string }

const roman = ['I', 'II', 'III', 'IV'] as const

function dmy(day: Day): string {
  const [y, m, d] = formatDate(day).split('-')
  return `${d}/${m}/${y}`
}

/** Reads a period; throws RangeError on a malformed or inverted one (the route turns that into 400). */
export function resolvePeriod(input: PeriodInput): Period {
  if ('month' in input) {
    const m = /^(\d{4})-(0[1-9]|1[0-2])$/.exec(input.month)
    if (!m) throw new RangeError(`bad month ${input.month}`)
    const [y, mo] = [Number(m[1]), Number(m[2])]
    return {
      from: dayFromYmd(y, mo, 1),
      to: dayFromYmd(mo === 12 ? y + 1 : y, mo === 12 ? 1 : mo + 1, 1) - 1,
      label: `Tháng ${m[2]} năm ${y}`,
    }
  }
  if ('quarter' in input) {
    const m = /^(\d{4})-Q([1-4])$/.exec(input.quarter)
    if (!m) throw new RangeError(`bad quarter ${input.quarter}`)
    const [y, q] = [Number(m[1]), Number(m[2])]
    const firstMonth = (q - 1) * 3 + 1
    return {
      from: dayFromYmd(y, firstMonth, 1),
      to: dayFromYmd(q === 4 ? y + 1 : y, q === 4 ? 1 : firstMonth + 3, 1) - 1,
      label: `Quý ${roman[q - 1]} năm ${y}`,
    }
  }
  if ('year' in input) {
    if (!Number.isInteger(input.year) || input.year < 2000 || input.year > 2100)
      throw new RangeError(`bad year ${input.year}`)
    return { from: dayFromYmd(input.year, 1, 1), to: dayFromYmd(input.year, 12, 31), label: `Năm ${input.year}` }
  }
  const from = parseDate(input.from)
  const to = parseDate(input.to)
  if (to < from) throw new RangeError('the period ends before it starts')
  return { from, to, label: `Từ ${dmy(from)} đến ${dmy(to)}` }
}

/** The first instant of the period (00:00 of `from`, business time). */
export function periodStart(period: Period): Instant {
  return instantAt(period.from, 0)
}

/** The instant just after the period (00:00 of the day after `to`). */
export function periodEnd(period: Period): Instant {
  return instantAt(period.to, MS_PER_DAY)
}
