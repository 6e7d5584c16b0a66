// The working-day calendar: which civil dates are working days, precomputed per range so that
// adding, subtracting and counting working days are array look-ups, never day-by-day loops.
import { type Day, formatDate, isWeekend, dayFromYmd, parseDate } from './civil-time.js'

export type CalendarDayKind = 'holiday' | 'makeup_workday'

/** An exception to the weekday/weekend rule: a weekday off, or a weekend day worked (làm bù). */
export interface CalendarDay {
  date: string
  kind: CalendarDayKind
  name: string
  /** Generated from the rules of the Labour Code, not yet confirmed by an administrator. */
  provisional: boolean
}

/** The calendar data for whole years [fromYear, toYear], as loaded from the database or generated. */
export interface CalendarData {
  fromYear: number
  toYear: number
  days: readonly CalendarDay[]
  /** Years in the range whose data is provisional (generated, not published). */
  provisionalYears: readonly number[]
  /** The calendar version the data was read at, when it comes from the database. */
  version?: number
}

export interface CalendarOptions {
  /** Make-up Saturdays (ngày làm bù) count as working days [A]. Default true. */
  countMakeupWorkdays?: boolean
}

/** Thrown when a computation leaves the years the calendar was built for. */
export class CalendarRangeError extends RangeError {
  readonly code = 'MC_ERR_CALENDAR_RANGE'
  constructor(
    readonly day: Day,
    readonly fromYear: number,
    readonly toYear: number,
  ) {
    super(`The working-day calendar covers ${fromYear}–${toYear}; ${formatDate(day)} is outside it`)
    this.name = 'CalendarRangeError'
  }
}

/**
 * An immutable working-day calendar over whole years. Built once (O(days)); every query is O(1).
 *
 * `workingBefore[i]` is the number of working days in [firstDay, firstDay + i), and
 * `workingDays[k]` is the k-th working day (0-based), so "the n-th working day after d" is
 * `workingDays[workingBefore[d - firstDay + 1] + n - 1]`.
 */
export class WorkingCalendar {
  readonly firstDay: Day
  readonly lastDay: Day
  readonly fromYear: number
  readonly toYear: number
  readonly countMakeupWorkdays: boolean
  readonly provisionalYears: readonly number[]
  readonly version: number | undefined
  private readonly working: Uint8Array
  private readonly workingBefore: Int32Array
  private readonly workingDays: Int32Array
  private readonly names = new Map<Day, CalendarDay>()
  private variant: WorkingCalendar | undefined

  constructor(
    readonly data: CalendarData,
    options: CalendarOptions = {},
  ) {
    if (!(Number.isInteger(data.fromYear) && Number.isInteger(data.toYear) && data.fromYear <= data.toYear)) {
      throw new RangeError(`Bad calendar year range ${data.fromYear}–${data.toYear}`)
    }
    this.fromYear = data.fromYear
    this.toYear = data.toYear
    this.provisionalYears = data.provisionalYears
    this.version = data.version
    this.countMakeupWorkdays = options.countMakeupWorkdays ?? true
    this.firstDay = dayFromYmd(data.fromYear, 1, 1)
    this.lastDay = dayFromYmd(data.toYear, 12, 31)
    const size = this.lastDay - this.firstDay + 1
    this.working = new Uint8Array(size)
    for (let i = 0; i < size; i++) this.working[i] = isWeekend(this.firstDay + i) ? 0 : 1
    for (const entry of data.days) {
      const day = parseDate(entry.date)
      if (day < this.firstDay || day > this.lastDay) continue
      this.names.set(day, entry)
      if (entry.kind === 'holiday') this.working[day - this.firstDay] = 0
      else if (this.countMakeupWorkdays) this.working[day - this.firstDay] = 1
    }
    this.workingBefore = new Int32Array(size + 1)
    let count = 0
    for (let i = 0; i < size; i++) {
      this.workingBefore[i] = count
      count += this.working[i]!
    }
    this.workingBefore[size] = count
    this.workingDays = new Int32Array(count)
    for (let i = 0, k = 0; i < size; i++) if (this.working[i]) this.workingDays[k++] = this.firstDay + i
  }

  /** The same data with make-up Saturdays counted or not (built once, then reused). */
  withOptions(options: CalendarOptions): WorkingCalendar {
    if ((options.countMakeupWorkdays ?? true) === this.countMakeupWorkdays) return this
    this.variant ??= new WorkingCalendar(this.data, options)
    return this.variant
  }

  /** The holiday or make-up entry for a date, if any. */
  entryFor(day: Day): CalendarDay | undefined {
    return this.names.get(day)
  }

  /** True when the date lies in a year whose data was generated, not published. */
  isProvisional(day: Day): boolean {
    return this.provisionalYears.includes(new Date(day * 86_400_000).getUTCFullYear())
  }

  private index(day: Day): number {
    const i = day - this.firstDay
    if (i < 0 || day > this.lastDay || !Number.isInteger(day))
      throw new CalendarRangeError(day, this.fromYear, this.toYear)
    return i
  }

  private nthWorkingDay(k: number, outside: Day): Day {
    const day = this.workingDays[k]
    if (k < 0 || day === undefined) throw new CalendarRangeError(outside, this.fromYear, this.toYear)
    return day
  }

  isWorkingDay(day: Day): boolean {
    return this.working[this.index(day)] === 1
  }

  /** The first working day strictly after `day`. */
  nextWorkingDay(day: Day): Day {
    return this.addWorkingDays(day, 1)
  }

  /** `day` itself when it is a working day, otherwise the next one. */
  workingDayOnOrAfter(day: Day): Day {
    return this.isWorkingDay(day) ? day : this.nextWorkingDay(day)
  }

  /** The n-th working day after `day`, not counting `day` itself (Điều 147 BLDS); n = 0 gives `day`. */
  addWorkingDays(day: Day, n: number): Day {
    if (!Number.isInteger(n)) throw new RangeError(`addWorkingDays takes a whole number of days, got ${n}`)
    if (n <= 0) return n === 0 ? day : this.subtractWorkingDays(day, -n)
    return this.nthWorkingDay(this.workingBefore[this.index(day) + 1]! + n - 1, day + n)
  }

  /** The n-th working day before `day` (n ≥ 1), not counting `day` itself. */
  subtractWorkingDays(day: Day, n: number): Day {
    if (n === 0) return day
    if (!Number.isInteger(n) || n < 0)
      throw new RangeError(`subtractWorkingDays takes a whole number of days, got ${n}`)
    return this.nthWorkingDay(this.workingBefore[this.index(day)]! - n, day - n)
  }

  /** The number of working days in (from, to]; negative when `to` is before `from`. */
  countWorkingDays(from: Day, to: Day): number {
    return this.workingBefore[this.index(to) + 1]! - this.workingBefore[this.index(from) + 1]!
  }

  /** Working days in [firstDay, day]: a position on the working-day axis (used for working minutes). */
  workingDaysThrough(day: Day): number {
    return this.workingBefore[this.index(day) + 1]!
  }

  /** The k-th working day of the calendar, 0-based (inverse of workingDaysThrough − 1). */
  workingDayAt(k: number): Day {
    return this.nthWorkingDay(k, k < 0 ? this.firstDay - 1 : this.lastDay + 1)
  }

  /** R4: `day` + n calendar days; when that is not a working day, the next working day (Điều 148(5)). */
  addCalendarDays(day: Day, n: number): Day {
    return this.workingDayOnOrAfter(day + n)
  }
}
