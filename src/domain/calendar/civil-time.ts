// Civil dates and instants in the business time zone Asia/Ho_Chi_Minh (fixed UTC+07:00, no DST).
//
// A civil date is a `Day`: whole days since 1970-01-01, so date arithmetic is integer arithmetic
// and a calendar can index arrays by it. An instant is milliseconds since the Unix epoch.
// 'YYYY-MM-DD' strings and ISO date-times with +07:00 are used only at the API boundary.

/** A civil date: days since 1970-01-01. */
export type Day = number
/** An instant: milliseconds since the Unix epoch (UTC). */
export type Instant = number

export const MS_PER_MINUTE = 60_000
export const MS_PER_HOUR = 3_600_000
export const MS_PER_DAY = 86_400_000
/** Vietnam has kept UTC+7 without daylight saving since 1975. */
export const BUSINESS_OFFSET_MS = 7 * MS_PER_HOUR
export const BUSINESS_TIME_ZONE = 'Asia/Ho_Chi_Minh'

const datePattern = /^(\d{4})-(\d{2})-(\d{2})$/
const instantPattern = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/

export function dayFromYmd(year: number, month: number, day: number): Day {
  return Math.floor(Date.UTC(year, month - 1, day) / MS_PER_DAY)
}

export function ymdOfDay(day: Day): { year: number; month: number; day: number } {
  const d = new Date(day * MS_PER_DAY)
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() }
}

/** Parses a strict 'YYYY-MM-DD' civil date; throws RangeError on anything else (incl. 2026-02-30). */
export function parseDate(text: string): Day {
  const m = datePattern.exec(text)
  if (!m) throw new RangeError(`Not a date (YYYY-MM-DD): ${JSON.stringify(text)}`)
  const [year, month, dayOfMonth] = [Number(m[1]), Number(m[2]), Number(m[3])]
  const day = dayFromYmd(year, month, dayOfMonth)
  const back = ymdOfDay(day)
  if (back.month !== month || back.day !== dayOfMonth) throw new RangeError(`No such date: ${text}`)
  return day
}

export function formatDate(day: Day): string {
  return new Date(day * MS_PER_DAY).toISOString().slice(0, 10)
}

/** 0 = Sunday … 6 = Saturday (1970-01-01 was a Thursday). */
export function weekday(day: Day): number {
  return (((day + 4) % 7) + 7) % 7
}

export function isWeekend(day: Day): boolean {
  const w = weekday(day)
  return w === 0 || w === 6
}

/** The civil date of an instant in Vietnam. */
export function localDay(at: Instant): Day {
  return Math.floor((at + BUSINESS_OFFSET_MS) / MS_PER_DAY)
}

/** Milliseconds since local midnight in Vietnam. */
export function localTimeOfDay(at: Instant): number {
  const shifted = at + BUSINESS_OFFSET_MS
  return shifted - Math.floor(shifted / MS_PER_DAY) * MS_PER_DAY
}

/** The instant at a local time of day (ms since midnight) on a civil date. */
export function instantAt(day: Day, timeOfDayMs: number): Instant {
  return day * MS_PER_DAY + timeOfDayMs - BUSINESS_OFFSET_MS
}

/**
 * Parses an ISO date-time that carries its offset (or Z), or a bare 'YYYY-MM-DD' meaning local
 * midnight in Vietnam. A date-time without an offset is refused: it would be read in the server's zone.
 */
export function parseInstant(text: string): Instant {
  if (datePattern.test(text)) return instantAt(parseDate(text), 0)
  if (!instantPattern.test(text)) {
    throw new RangeError(
      `Not an ISO date-time with an offset (e.g. 2026-03-02T09:15:00+07:00): ${JSON.stringify(text)}`,
    )
  }
  parseDate(text.slice(0, 10))
  const at = Date.parse(text)
  if (Number.isNaN(at)) throw new RangeError(`Not a valid date-time: ${text}`)
  return at
}

export function toInstant(value: string | Date | Instant): Instant {
  if (typeof value === 'number') return value
  if (value instanceof Date) return value.getTime()
  return parseInstant(value)
}

/** Formats an instant as 'YYYY-MM-DDTHH:MM:SS+07:00' (milliseconds dropped). */
export function formatInstant(at: Instant): string {
  const iso = new Date(at + BUSINESS_OFFSET_MS).toISOString()
  return `${iso.slice(0, 19)}+07:00`
}

/** Parses 'HH:MM' (00:00–24:00) into minutes since midnight. */
export function parseClock(text: string): number {
  const m = /^([01]\d|2[0-4]):([0-5]\d)$/.exec(text)
  const minutes = m ? Number(m[1]) * 60 + Number(m[2]) : NaN
  if (!m || minutes > 24 * 60) throw new RangeError(`Not a time of day (HH:MM): ${JSON.stringify(text)}`)
  return minutes
}

export function formatClock(minutes: number): string {
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`
}
