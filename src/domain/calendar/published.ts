// The published calendar shipped with motcua (decisions for 2025–2026) and the assembly of
// calendar data over a year range from published years plus generated provisional ones.
import bundled from './holidays-vn.json' with { type: 'json' }
import { parseDate } from './civil-time.js'
import type { CalendarData, CalendarDay } from './calendar.js'
import { generateProvisionalYear } from './provisional.js'

export interface PublishedCalendar {
  /** Years fully covered by the data. */
  years: number[]
  days: CalendarDay[]
}

interface HolidayFile {
  holidays: { date: string; name: string }[]
  makeupWorkdays: { date: string; name: string }[]
}

/** Reads a holidays file in the format of holidays-vn.json; the years are those its dates mention. */
export function readHolidayFile(file: HolidayFile): PublishedCalendar {
  const days: CalendarDay[] = [
    ...file.holidays.map((h) => ({ date: h.date, kind: 'holiday' as const, name: h.name, provisional: false })),
    ...file.makeupWorkdays.map((h) => ({
      date: h.date,
      kind: 'makeup_workday' as const,
      name: h.name,
      provisional: false,
    })),
  ]
  for (const d of days) parseDate(d.date)
  days.sort((a, b) => a.date.localeCompare(b.date))
  const years = [...new Set(days.map((d) => Number(d.date.slice(0, 4))))].sort((a, b) => a - b)
  return { years, days }
}

/** The calendar decided by the Government for 2025 and 2026, bundled with the code. */
export function bundledCalendar(): PublishedCalendar {
  return readHolidayFile(bundled)
}

/**
 * Calendar data for [fromYear, toYear]: the known years as given, every other year generated and
 * marked provisional. `known` maps a year to its days and whether it is still provisional.
 */
export function assembleCalendarData(
  fromYear: number,
  toYear: number,
  known: ReadonlyMap<number, { days: readonly CalendarDay[]; provisional: boolean }>,
  version?: number,
): CalendarData {
  const days: CalendarDay[] = []
  const provisionalYears: number[] = []
  for (let year = fromYear; year <= toYear; year++) {
    const stored = known.get(year)
    if (stored) {
      days.push(...stored.days)
      if (stored.provisional) provisionalYears.push(year)
    } else {
      days.push(...generateProvisionalYear(year))
      provisionalYears.push(year)
    }
  }
  return { fromYear, toYear, days, provisionalYears, ...(version === undefined ? {} : { version }) }
}

/** Calendar data for a range from the bundled published years, generating the others. */
export function bundledCalendarData(fromYear: number, toYear: number): CalendarData {
  const published = bundledCalendar()
  const known = new Map<number, { days: CalendarDay[]; provisional: boolean }>()
  for (const year of published.years) {
    known.set(year, { days: published.days.filter((d) => d.date.startsWith(`${year}-`)), provisional: false })
  }
  return assembleCalendarData(fromYear, toYear, known)
}
