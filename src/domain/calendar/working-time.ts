// Office hours on top of the working-day calendar: the receipt day (R1), the same-day rule (R5),
// and working-time arithmetic inside the office windows (R3).
import { type Day, type Instant, MS_PER_MINUTE, instantAt, localDay, localTimeOfDay, parseClock } from './civil-time.js'
import type { WorkingCalendar } from './calendar.js'

/** An office window in minutes since local midnight, [start, end). */
export interface OfficeWindow {
  start: number
  end: number
}

export interface OfficeHours {
  /** R1 [A]: accepted at or after this time (minutes since midnight) → received the next working day. */
  receiptCutoff: number
  /** R5 [C]: SAME_DAY dossiers accepted before this time are due the same day. */
  sameDayCutoff: number
  /** R3 [A]: the minutes that count as working time on a working day, ascending, not overlapping. */
  officeWindows: readonly OfficeWindow[]
}

export const defaultOfficeHours: OfficeHours = Object.freeze({
  receiptCutoff: 17 * 60,
  sameDayCutoff: 15 * 60,
  officeWindows: Object.freeze([
    { start: 8 * 60, end: 12 * 60 },
    { start: 13 * 60, end: 17 * 60 },
  ]),
})

/** Parses '08:00-12:00,13:00-17:00'; throws RangeError when windows are empty, reversed or overlap. */
export function parseOfficeWindows(text: string): OfficeWindow[] {
  const windows = text.split(',').map((part) => {
    const [from, to, extra] = part.trim().split('-')
    if (from === undefined || to === undefined || extra !== undefined) {
      throw new RangeError(`Not an office window (HH:MM-HH:MM): ${JSON.stringify(part)}`)
    }
    return { start: parseClock(from), end: parseClock(to) }
  })
  validateOfficeWindows(windows)
  return windows
}

export function validateOfficeWindows(windows: readonly OfficeWindow[]): void {
  if (windows.length === 0) throw new RangeError('At least one office window is needed')
  let previousEnd = 0
  for (const w of windows) {
    if (!(w.start < w.end) || w.start < previousEnd || w.end > 24 * 60) {
      throw new RangeError('Office windows must be ascending, non-empty and must not overlap')
    }
    previousEnd = w.end
  }
}

/** Working milliseconds in one working day (8 hours with the default windows). */
export function workingDayLength(hours: OfficeHours): number {
  let total = 0
  for (const w of hours.officeWindows) total += (w.end - w.start) * MS_PER_MINUTE
  return total
}

/** R1: the receipt day of a dossier accepted at `acceptedAt`. */
export function receiptDay(
  calendar: WorkingCalendar,
  acceptedAt: Instant,
  hours: OfficeHours = defaultOfficeHours,
): Day {
  const day = localDay(acceptedAt)
  if (calendar.isWorkingDay(day) && localTimeOfDay(acceptedAt) < hours.receiptCutoff * MS_PER_MINUTE) return day
  return calendar.nextWorkingDay(day)
}

/** R5: a SAME_DAY dossier accepted before the same-day cut-off is due that day, otherwise the next working day. */
export function sameDayDueDate(
  calendar: WorkingCalendar,
  acceptedAt: Instant,
  hours: OfficeHours = defaultOfficeHours,
): Day {
  const day = localDay(acceptedAt)
  if (calendar.isWorkingDay(day) && localTimeOfDay(acceptedAt) < hours.sameDayCutoff * MS_PER_MINUTE) return day
  return calendar.nextWorkingDay(day)
}

/**
 * The position of an instant on the working-time axis: working milliseconds elapsed since the
 * start of the calendar. Outside office windows the position stands still, so the difference of two
 * positions is the working time between them, and adding working time is one inverse look-up.
 */
export function workingTimePosition(
  calendar: WorkingCalendar,
  at: Instant,
  hours: OfficeHours = defaultOfficeHours,
): number {
  const day = localDay(at)
  const perDay = workingDayLength(hours)
  const daysThrough = calendar.workingDaysThrough(day)
  if (!calendar.isWorkingDay(day)) return daysThrough * perDay
  const time = localTimeOfDay(at)
  let elapsed = 0
  for (const w of hours.officeWindows) {
    const start = w.start * MS_PER_MINUTE
    const end = w.end * MS_PER_MINUTE
    if (time <= start) break
    elapsed += Math.min(time, end) - start
    if (time < end) break
  }
  return (daysThrough - 1) * perDay + elapsed
}

/**
 * The earliest instant at a working-time position. A position that ends a window maps to the window's
 * end (12:00, not 13:00; 17:00, not 08:00 the next day): the time is used up then.
 */
export function instantAtWorkingPosition(
  calendar: WorkingCalendar,
  position: number,
  hours: OfficeHours = defaultOfficeHours,
): Instant {
  const perDay = workingDayLength(hours)
  const first = hours.officeWindows[0]!
  if (position <= 0) return instantAt(calendar.workingDayAt(0), first.start * MS_PER_MINUTE)
  const k = Math.ceil(position / perDay) - 1
  let remaining = position - k * perDay
  const day = calendar.workingDayAt(k)
  for (const w of hours.officeWindows) {
    const length = (w.end - w.start) * MS_PER_MINUTE
    if (remaining <= length) return instantAt(day, w.start * MS_PER_MINUTE + remaining)
    remaining -= length
  }
  /* c8 ignore next */
  throw new Error('unreachable: remaining working time exceeds a working day')
}

/** R3: the instant at which `minutes` of working time have elapsed from `from` (minutes may be fractional). */
export function addWorkingMinutes(
  calendar: WorkingCalendar,
  from: Instant,
  minutes: number,
  hours: OfficeHours = defaultOfficeHours,
): Instant {
  if (!(minutes >= 0) || !Number.isFinite(minutes)) throw new RangeError(`Working minutes must be ≥ 0, got ${minutes}`)
  return addWorkingTime(calendar, from, Math.round(minutes * MS_PER_MINUTE), hours)
}

/** R3 in milliseconds; negative amounts go back in working time. */
export function addWorkingTime(
  calendar: WorkingCalendar,
  from: Instant,
  ms: number,
  hours: OfficeHours = defaultOfficeHours,
): Instant {
  return instantAtWorkingPosition(calendar, workingTimePosition(calendar, from, hours) + ms, hours)
}

export function addWorkingHours(
  calendar: WorkingCalendar,
  from: Instant,
  workingHours: number,
  hours: OfficeHours = defaultOfficeHours,
): Instant {
  return addWorkingMinutes(calendar, from, workingHours * 60, hours)
}

/** Working milliseconds between two instants (negative when `to` is earlier). */
export function workingTimeBetween(
  calendar: WorkingCalendar,
  from: Instant,
  to: Instant,
  hours: OfficeHours = defaultOfficeHours,
): number {
  return workingTimePosition(calendar, to, hours) - workingTimePosition(calendar, from, hours)
}
