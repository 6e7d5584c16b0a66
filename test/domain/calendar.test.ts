// The working-day calendar: working days, receipt day (R1), working time (R3), calendar days (R4), same day (R5).
import t from 'tap'
import {
  WorkingCalendar,
  bundledCalendarData,
  parseDate,
  formatDate,
  receiptDay,
  sameDayDueDate,
  addWorkingMinutes,
  addWorkingHours,
  workingTimeBetween,
  parseInstant,
  formatInstant,
  parseOfficeWindows,
  CalendarRangeError,
  type OfficeHours,
  defaultOfficeHours,
} from '../../src/domain/calendar/index.js'

const calendar = new WorkingCalendar(bundledCalendarData(2025, 2027))
const d = parseDate
const at = parseInstant

t.test('weekends, holidays and make-up Saturdays', async (t) => {
  t.ok(calendar.isWorkingDay(d('2026-03-02')), 'a Monday')
  t.notOk(calendar.isWorkingDay(d('2026-03-07')), 'a Saturday')
  t.notOk(calendar.isWorkingDay(d('2026-03-08')), 'a Sunday')
  t.notOk(calendar.isWorkingDay(d('2026-02-17')), 'mùng 1 Tết Bính Ngọ')
  t.notOk(calendar.isWorkingDay(d('2026-04-27')), 'Giỗ Tổ compensatory day')
  t.ok(calendar.isWorkingDay(d('2026-01-10')), 'make-up Saturday 10/01 counts by default')
  const withoutMakeup = calendar.withOptions({ countMakeupWorkdays: false })
  t.notOk(withoutMakeup.isWorkingDay(d('2026-01-10')), 'unless the setting says make-up Saturdays do not count')
  t.equal(calendar.withOptions({ countMakeupWorkdays: false }), withoutMakeup, 'the variant is built once')
  t.equal(calendar.entryFor(d('2026-04-30'))?.name, 'Ngày Giải phóng miền Nam')
})

t.test('adding, subtracting and counting working days', async (t) => {
  t.equal(formatDate(calendar.nextWorkingDay(d('2026-02-13'))), '2026-02-23', 'after Fri 13/02 comes Mon 23/02 (Tết)')
  t.equal(
    formatDate(calendar.addWorkingDays(d('2026-01-09'), 1)),
    '2026-01-10',
    'the make-up Saturday is a working day',
  )
  t.equal(
    formatDate(calendar.withOptions({ countMakeupWorkdays: false }).addWorkingDays(d('2026-01-09'), 1)),
    '2026-01-12',
  )
  t.equal(formatDate(calendar.subtractWorkingDays(d('2026-02-23'), 1)), '2026-02-13')
  t.equal(formatDate(calendar.addWorkingDays(d('2026-02-23'), -1)), '2026-02-13')
  t.equal(calendar.countWorkingDays(d('2026-02-13'), d('2026-02-23')), 1)
  t.equal(calendar.countWorkingDays(d('2026-02-23'), d('2026-02-13')), -1)
  t.equal(
    calendar.countWorkingDays(d('2026-01-01'), d('2026-12-31')),
    261 - 13 + 2,
    '2026: 261 weekdays, 13 of them off, 2 make-up Saturdays',
  )
  t.equal(formatDate(calendar.workingDayOnOrAfter(d('2026-03-07'))), '2026-03-09')
  t.throws(
    () => calendar.addWorkingDays(d('2027-12-20'), 30),
    CalendarRangeError,
    'leaving the calendar range is an error, not a guess',
  )
  t.throws(() => calendar.isWorkingDay(d('2024-12-31')), CalendarRangeError)
  t.throws(() => calendar.addWorkingDays(d('2026-03-02'), 1.5), RangeError)
})

t.test('R1: the receipt day', async (t) => {
  t.equal(
    formatDate(receiptDay(calendar, at('2026-03-02T16:59:00+07:00'))),
    '2026-03-02',
    'before the 17:00 cut-off: that day',
  )
  t.equal(
    formatDate(receiptDay(calendar, at('2026-03-02T17:00:00+07:00'))),
    '2026-03-03',
    'at the cut-off: the next working day',
  )
  t.equal(formatDate(receiptDay(calendar, at('2026-03-06T18:00:00+07:00'))), '2026-03-09', 'Friday evening: Monday')
  t.equal(formatDate(receiptDay(calendar, at('2026-03-07T09:00:00+07:00'))), '2026-03-09', 'a Saturday: Monday')
  t.equal(
    formatDate(receiptDay(calendar, at('2026-02-16T09:00:00+07:00'))),
    '2026-02-23',
    'a Tết holiday: the first day after Tết',
  )
  t.equal(
    formatDate(receiptDay(calendar, at('2026-03-02T02:30:00Z'))),
    '2026-03-02',
    'instants are read in Vietnam time',
  )
  const early: OfficeHours = { ...defaultOfficeHours, receiptCutoff: 15 * 60 }
  t.equal(
    formatDate(receiptDay(calendar, at('2026-03-02T15:30:00+07:00'), early)),
    '2026-03-03',
    'the cut-off is a setting',
  )
})

t.test('R3: working time counts only office windows of working days', async (t) => {
  const plus = (from: string, minutes: number, hours?: OfficeHours) =>
    formatInstant(addWorkingMinutes(calendar, at(from), minutes, hours))
  t.equal(plus('2026-03-02T09:00:00+07:00', 240), '2026-03-02T14:00:00+07:00', 'lunch does not count')
  t.equal(
    plus('2026-03-02T08:00:00+07:00', 240),
    '2026-03-02T12:00:00+07:00',
    'time used up at the end of a window ends there',
  )
  t.equal(
    plus('2026-03-02T07:00:00+07:00', 60),
    '2026-03-02T09:00:00+07:00',
    'before opening: counting starts at 08:00',
  )
  t.equal(plus('2026-03-02T12:30:00+07:00', 30), '2026-03-02T13:30:00+07:00', 'during lunch: counting starts at 13:00')
  t.equal(plus('2026-03-06T16:00:00+07:00', 120), '2026-03-09T09:00:00+07:00', 'Friday 16:00 + 2 h: Monday 09:00')
  t.equal(plus('2026-03-07T10:00:00+07:00', 60), '2026-03-09T09:00:00+07:00', 'a Saturday: from Monday 08:00')
  t.equal(
    formatInstant(addWorkingHours(calendar, at('2026-02-13T15:00:00+07:00'), 4)),
    '2026-02-23T10:00:00+07:00',
    'across Tết',
  )
  t.equal(workingTimeBetween(calendar, at('2026-03-06T16:00:00+07:00'), at('2026-03-09T09:00:00+07:00')), 2 * 3_600_000)
  const longDay: OfficeHours = { ...defaultOfficeHours, officeWindows: parseOfficeWindows('07:30-11:30,13:30-17:30') }
  t.equal(plus('2026-03-02T11:00:00+07:00', 60, longDay), '2026-03-02T14:00:00+07:00', 'office windows are a setting')
  t.throws(() => parseOfficeWindows('13:00-17:00,08:00-12:00'), RangeError)
  t.throws(() => addWorkingMinutes(calendar, at('2026-03-02T09:00:00+07:00'), -5), RangeError)
})

t.test('R4: calendar days end on a working day (Điều 148(5))', async (t) => {
  t.equal(formatDate(calendar.addCalendarDays(d('2026-03-02'), 5)), '2026-03-09', 'Sat 03-07 → Mon 03-09')
  t.equal(formatDate(calendar.addCalendarDays(d('2026-03-02'), 3)), '2026-03-05')
  t.equal(
    formatDate(calendar.addCalendarDays(d('2026-04-15'), 15)),
    '2026-05-04',
    '30/04 → Thu off, then 1/5, weekend: Mon 04/05',
  )
})

t.test('R5: same day before 15:00, otherwise the next working day', async (t) => {
  t.equal(formatDate(sameDayDueDate(calendar, at('2026-03-02T14:59:00+07:00'))), '2026-03-02')
  t.equal(formatDate(sameDayDueDate(calendar, at('2026-03-02T15:00:00+07:00'))), '2026-03-03')
  t.equal(
    formatDate(sameDayDueDate(calendar, at('2026-03-06T16:00:00+07:00'))),
    '2026-03-09',
    'Friday afternoon: Monday',
  )
  t.equal(formatDate(sameDayDueDate(calendar, at('2026-03-07T09:00:00+07:00'))), '2026-03-09', 'a Saturday: Monday')
})

t.test('civil dates and instants at the boundary', async (t) => {
  t.throws(() => parseDate('2026-02-30'), RangeError)
  t.throws(() => parseDate('2026-3-2'), RangeError)
  t.throws(() => parseInstant('2026-03-02T09:00:00'), RangeError, 'a time without an offset is ambiguous')
  t.equal(formatInstant(parseInstant('2026-03-02')), '2026-03-02T00:00:00+07:00', 'a bare date is local midnight')
  t.equal(formatInstant(parseInstant('2026-03-02T02:15:00Z')), '2026-03-02T09:15:00+07:00')
})
