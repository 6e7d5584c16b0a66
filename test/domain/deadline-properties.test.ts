// Properties of the calendar and deadlines over generated dossiers (fast-check), 2025–2035 incl. provisional years.
import t from 'tap'
import fc from 'fast-check'
import {
  WorkingCalendar,
  bundledCalendarData,
  parseDate,
  instantAt,
  localDay,
  addWorkingMinutes,
  workingTimeBetween,
  MS_PER_MINUTE,
} from '../../src/domain/calendar/index.js'
import { computeDeadline } from '../../src/domain/deadlines/index.js'

const calendar = new WorkingCalendar(bundledCalendarData(2025, 2035))
const anyDay = fc.integer({ min: parseDate('2025-01-01'), max: parseDate('2033-12-31') })
const anyWorkingDays = fc.integer({ min: 0, max: 400 })
const anyTimeBeforeCutoff = fc.integer({ min: 0, max: 17 * 60 - 1 }).map((m) => m * MS_PER_MINUTE)
const anyMakeupSetting = fc.boolean()

t.test('add-then-count working days round-trips', async (t) => {
  fc.assert(
    fc.property(anyDay, anyWorkingDays, anyMakeupSetting, (day, n, countMakeupWorkdays) => {
      const cal = calendar.withOptions({ countMakeupWorkdays })
      return cal.countWorkingDays(day, cal.addWorkingDays(day, n)) === n
    }),
  )
  t.pass()
})

t.test('a due date of N ≥ 1 working days is always a working day, after the start', async (t) => {
  fc.assert(
    fc.property(anyDay, fc.integer({ min: 1, max: 400 }), (day, n) => {
      const due = calendar.addWorkingDays(day, n)
      return calendar.isWorkingDay(due) && due > day
    }),
  )
  fc.assert(
    fc.property(
      anyDay,
      anyTimeBeforeCutoff,
      fc.constantFrom('5WD', '15CD', 'SAME_DAY', '30WD'),
      (day, time, duration) => {
        const r = computeDeadline(calendar, { acceptedAt: instantAt(day, time), duration, now: instantAt(day, time) })
        return calendar.isWorkingDay(parseDate(r.due.date)) && calendar.isWorkingDay(parseDate(r.receiptDate))
      },
    ),
  )
  t.pass()
})

t.test('adding N + 1 working days is never before adding N', async (t) => {
  fc.assert(
    fc.property(
      anyDay,
      anyWorkingDays,
      (day, n) => calendar.addWorkingDays(day, n + 1) > calendar.addWorkingDays(day, n),
    ),
  )
  fc.assert(
    fc.property(anyDay, anyTimeBeforeCutoff, fc.integer({ min: 0, max: 20_000 }), (day, time, minutes) => {
      const from = instantAt(day, time)
      return addWorkingMinutes(calendar, from, minutes + 1) > addWorkingMinutes(calendar, from, minutes)
    }),
  )
  t.pass()
})

t.test('the due date of day units does not depend on the time of acceptance before the cut-off', async (t) => {
  fc.assert(
    fc.property(
      anyDay,
      anyTimeBeforeCutoff,
      anyTimeBeforeCutoff,
      fc.integer({ min: 1, max: 60 }),
      fc.constantFrom('WD', 'CD'),
      (day, a, b, n, unit) => {
        const due = (time: number) =>
          computeDeadline(calendar, {
            acceptedAt: instantAt(day, time),
            duration: `${n}${unit}`,
            now: instantAt(day, time),
          }).due.date
        return due(a) === due(b)
      },
    ),
  )
  t.pass()
})

t.test('working time added is working time between', async (t) => {
  fc.assert(
    fc.property(
      anyDay,
      fc.integer({ min: 8 * 60, max: 17 * 60 - 1 }),
      fc.integer({ min: 1, max: 50_000 }),
      (day, minute, minutes) => {
        const from = calendar.workingDayOnOrAfter(day)
        const start = instantAt(from, minute * MS_PER_MINUTE)
        const end = addWorkingMinutes(calendar, start, minutes)
        return (
          workingTimeBetween(calendar, start, end) === minutes * MS_PER_MINUTE && calendar.isWorkingDay(localDay(end))
        )
      },
    ),
  )
  t.pass()
})

t.test('PAUSE never gives an earlier due than no supplement, RESTART never earlier than PAUSE', async (t) => {
  fc.assert(
    fc.property(anyDay, fc.integer({ min: 0, max: 9 }), fc.integer({ min: 1, max: 30 }), (day, requestAfter, gap) => {
      const acceptedAt = instantAt(calendar.workingDayOnOrAfter(day), 9 * 60 * MS_PER_MINUTE)
      const requestDay = calendar.addWorkingDays(localDay(acceptedAt), requestAfter)
      const events = [
        { type: 'supplementRequested' as const, at: instantAt(requestDay, 10 * 60 * MS_PER_MINUTE) },
        { type: 'supplementReceived' as const, at: instantAt(requestDay + gap, 10 * 60 * MS_PER_MINUTE) },
      ]
      const due = (settings: object, withEvents: boolean) =>
        computeDeadline(calendar, {
          acceptedAt,
          duration: '10WD',
          now: acceptedAt,
          settings,
          ...(withEvents ? { events } : {}),
        }).due.date
      const plain = due({}, false)
      const paused = due({ supplementPolicy: 'PAUSE' }, true)
      const restarted = due({ supplementPolicy: 'RESTART' }, true)
      return plain <= paused && paused <= restarted
    }),
  )
  t.pass()
})
