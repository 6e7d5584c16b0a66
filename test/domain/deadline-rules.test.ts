// Deadline rules beyond the worked examples: durations, R6–R10, extension refusals, reminders.
import t from 'tap'
import { WorkingCalendar, bundledCalendarData } from '../../src/domain/calendar/index.js'
import {
  computeDeadline,
  parseDuration,
  reminderAt,
  resolveDeadlineSettings,
  DeadlineError,
  dueDisplay,
  timelinessLabels,
  openStatusLabels,
  countsAsOnTime,
  type DeadlineInput,
  type DossierEvent,
} from '../../src/domain/deadlines/index.js'

const calendar = new WorkingCalendar(bundledCalendarData(2025, 2027))
const base = { acceptedAt: '2026-03-02T09:00:00+07:00', duration: '10WD', now: '2026-03-04T10:00:00+07:00' } // due Mon 03-16
const deadline = (input: Partial<DeadlineInput>) => computeDeadline(calendar, { ...base, ...input })

t.test('durations', async (t) => {
  t.same(parseDuration('5WD'), { unit: 'WD', days: 5 })
  t.same(parseDuration('0.5 wd'), { unit: 'WD', days: 0.5 })
  t.same(parseDuration('4WH'), { unit: 'WH', hours: 4 })
  t.same(parseDuration('30CD'), { unit: 'CD', days: 30 })
  t.same(parseDuration('SAME_DAY'), { unit: 'SAME_DAY' })
  for (const bad of ['5', '0WD', '-1WD', '1.5CD', 'five WD', '']) {
    t.throws(() => parseDuration(bad), { code: 'MC_ERR_DURATION_INVALID' }, bad)
  }
})

t.test('each duration unit gives a due of its precision', async (t) => {
  const at = '2026-03-02T16:00:00+07:00'
  t.equal(
    dueDisplay(deadline({ acceptedAt: at, duration: '4WH' }).due),
    '2026-03-03T11:00:00+07:00',
    'R3: 1 h Monday, 3 h Tuesday',
  )
  t.equal(
    dueDisplay(deadline({ acceptedAt: at, duration: '1.5WD' }).due),
    '2026-03-04T11:00:00+07:00',
    'R3: 12 working hours',
  )
  t.equal(dueDisplay(deadline({ acceptedAt: at, duration: '5CD' }).due), '2026-03-09', 'R4: Sat 03-07 → Mon 03-09')
  t.equal(
    dueDisplay(deadline({ acceptedAt: at, duration: 'SAME_DAY' }).due),
    '2026-03-03',
    'R5: after 15:00 → next working day',
  )
  t.equal(dueDisplay(deadline({ acceptedAt: '2026-03-02T10:00:00+07:00', duration: 'SAME_DAY' }).due), '2026-03-02')
  const late = deadline({ acceptedAt: '2026-03-02T17:30:00+07:00', duration: '1WD' })
  t.equal(late.receiptDate, '2026-03-03', 'R1: after the cut-off the receipt day is the next working day')
  t.equal(late.due.date, '2026-03-04')
  const cutoff15 = deadline({
    acceptedAt: '2026-03-02T15:30:00+07:00',
    duration: '1WD',
    settings: { receiptCutoff: 15 * 60 },
  })
  t.equal(cutoff15.receiptDate, '2026-03-03', 'the cut-off is a setting')
})

t.test('make-up Saturdays count unless the setting says otherwise', async (t) => {
  const input = { acceptedAt: '2026-01-09T09:00:00+07:00', duration: '1WD' }
  t.equal(deadline(input).due.date, '2026-01-10', 'Sat 10/01 is a make-up working day')
  t.equal(deadline({ ...input, settings: { countMakeupWorkdays: false } }).due.date, '2026-01-12')
})

t.test(
  'R6: a supplement requested at reception is no event of this computation (no clock, no appointment)',
  async (t) => {
    // The clock starts only when the complete dossier is accepted, so the caller passes that acceptance.
    t.equal(deadline({ acceptedAt: '2026-03-09T10:00:00+07:00', duration: '5WD' }).due.date, '2026-03-16')
  },
)

t.test('R7 PAUSE on working hours moves the due by the working time paused', async (t) => {
  const r = deadline({
    acceptedAt: '2026-03-02T09:00:00+07:00',
    duration: '8WH', // due Tue 03-03 09:00
    settings: { supplementPolicy: 'PAUSE' },
    events: [
      { type: 'supplementRequested', at: '2026-03-02T16:00:00+07:00' },
      { type: 'supplementReceived', at: '2026-03-04T10:00:00+07:00' }, // 1 + 8 + 2 = 11 working hours paused
    ],
  })
  t.equal(r.due.at, '2026-03-04T12:00:00+07:00')
  const restart = deadline({
    acceptedAt: '2026-03-02T09:00:00+07:00',
    duration: '8WH',
    events: [
      { type: 'supplementRequested', at: '2026-03-02T16:00:00+07:00' },
      { type: 'supplementReceived', at: '2026-03-04T10:00:00+07:00' },
    ],
  })
  t.equal(restart.due.at, '2026-03-05T10:00:00+07:00', 'RESTART: 8 working hours from the re-receipt')
})

t.test('R7: a supplement during processing is allowed once', async (t) => {
  const events: DossierEvent[] = [
    { type: 'supplementRequested', at: '2026-03-03T09:00:00+07:00' },
    { type: 'supplementReceived', at: '2026-03-04T09:00:00+07:00' },
    { type: 'supplementRequested', at: '2026-03-05T09:00:00+07:00' },
  ]
  t.throws(() => deadline({ events, now: '2026-03-06T09:00:00+07:00' }), {
    code: 'MC_ERR_SUPPLEMENT_NOT_ALLOWED',
    reason: 'already_requested',
  })
  t.throws(() => deadline({ events: [{ type: 'supplementReceived', at: '2026-03-04T09:00:00+07:00' }] }), {
    code: 'MC_ERR_DOSSIER_EVENTS_INVALID',
    reason: 'no_open_supplement',
  })
})

t.test('R8: suspensions pause the clock like PAUSE, even under RESTART', async (t) => {
  const r = deadline({
    now: '2026-03-20T09:00:00+07:00',
    events: [
      { type: 'suspended', at: '2026-03-04T10:00:00+07:00', reason: 'chờ nộp thuế' },
      { type: 'resumed', at: '2026-03-06T15:00:00+07:00' }, // (03-04, 03-06] = 2 WD
      { type: 'suspended', at: '2026-03-10T10:00:00+07:00' },
      { type: 'resumed', at: '2026-03-11T10:00:00+07:00' }, // 1 WD
    ],
  })
  t.equal(r.due.date, '2026-03-19', 'Mon 03-16 + 3 WD')
  t.equal(r.status, 'overdue')
  t.equal(r.workingDaysLate, 1)
})

t.test('R10: status while open', async (t) => {
  t.equal(deadline({ now: '2026-03-16T23:00:00+07:00' }).status, 'within', 'trong hạn on the due date')
  const overdue = deadline({ now: '2026-03-18T08:00:00+07:00' })
  t.equal(overdue.status, 'overdue')
  t.equal(overdue.workingDaysLate, 2)
  const paused = deadline({
    now: '2026-03-25T08:00:00+07:00',
    events: [{ type: 'supplementRequested', at: '2026-03-05T10:00:00+07:00' }],
  })
  t.equal(paused.status, 'paused', 'waiting for the applicant counts as trong hạn')
  t.equal(paused.pausedSince, '2026-03-05T10:00:00+07:00')
  t.equal(paused.workingDaysLate, 0)
  t.equal(deadline({ duration: '4WH', now: '2026-03-02T13:59:00+07:00' }).status, 'within')
  t.equal(
    deadline({ duration: '4WH', now: '2026-03-02T14:01:00+07:00' }).status,
    'overdue',
    'an instant due is judged to the minute',
  )
  t.throws(
    () =>
      deadline({
        events: [
          { type: 'suspended', at: '2026-03-05T10:00:00+07:00' },
          { type: 'resultAtCounter', at: '2026-03-06T10:00:00+07:00' },
        ],
      }),
    { code: 'MC_ERR_DOSSIER_EVENTS_INVALID', reason: 'paused' },
  )
})

t.test('R10: early, on time, late', async (t) => {
  const finished = (at: string) =>
    deadline({ now: '2026-04-01T00:00:00+07:00', events: [{ type: 'resultAtCounter', at }] })
  t.equal(finished('2026-03-13T16:00:00+07:00').result, 'early')
  t.equal(finished('2026-03-16T16:30:00+07:00').result, 'on_time', 'any time on the due date is on time')
  const late = finished('2026-03-17T08:30:00+07:00')
  t.same([late.result, late.workingDaysLate], ['late', 1])
  t.ok(countsAsOnTime('early') && countsAsOnTime('on_time') && !countsAsOnTime('late'), 'Decision 766: early + on time')
  t.equal(timelinessLabels.on_time.vi, 'Đúng hạn')
  t.equal(openStatusLabels.within.vi, 'Trong hạn')
  t.throws(() => deadline({ events: [{ type: 'resultAtCounter', at: '2026-03-01T10:00:00+07:00' }] }), {
    name: 'DeadlineError',
    reason: 'before_acceptance',
  })
  t.throws(
    () =>
      deadline({
        events: [
          { type: 'resultAtCounter', at: '2026-03-10T10:00:00+07:00' },
          { type: 'suspended', at: '2026-03-11T10:00:00+07:00' },
        ],
      }),
    { name: 'DeadlineError', reason: 'after_result' },
  )
})

t.test('R9: an extension moves the due date once; statistics judge against the original date', async (t) => {
  const extension = (at: string, newDueDate = '2026-03-20', reason = 'Chờ ý kiến cơ quan thuế'): DossierEvent => ({
    type: 'extensionGranted',
    at,
    newDueDate,
    reason,
  })
  const r = deadline({ now: '2026-03-18T09:00:00+07:00', events: [extension('2026-03-13T10:00:00+07:00')] })
  t.equal(r.due.date, '2026-03-20', 'the appointment in force')
  t.equal(r.originalDue.date, '2026-03-16')
  t.same(r.extension, {
    grantedAt: '2026-03-13T10:00:00+07:00',
    newDueDate: '2026-03-20',
    reason: 'Chờ ý kiến cơ quan thuế',
  })
  t.equal(r.status, 'overdue', 'judged against the original due date by default [A]')
  const judgedOnExtension = deadline({
    now: '2026-03-18T09:00:00+07:00',
    events: [extension('2026-03-13T10:00:00+07:00')],
    settings: { judgeAgainstOriginalDueDate: false },
  })
  t.equal(judgedOnExtension.status, 'within')

  const refused = (events: DossierEvent[], reason: string, message: string) =>
    t.throws(
      () => deadline({ now: '2026-03-18T09:00:00+07:00', events }),
      { name: 'DeadlineError', code: 'MC_ERR_EXTENSION_NOT_ALLOWED', reason },
      message,
    )
  refused([extension('2026-03-16T08:00:00+07:00')], 'too_late', 'on the due date itself')
  refused(
    [extension('2026-03-14T10:00:00+07:00')],
    'too_late',
    'on the Saturday before a Monday due date: no working day left in between',
  )
  refused(
    [extension('2026-03-12T10:00:00+07:00'), extension('2026-03-13T10:00:00+07:00', '2026-03-25')],
    'already_extended',
    'twice',
  )
  refused([extension('2026-03-12T10:00:00+07:00', '2026-03-16')], 'not_later', 'to the same date')
  refused([extension('2026-03-12T10:00:00+07:00', '2026-03-21')], 'not_a_working_day', 'to a Saturday')
  refused([extension('2026-03-12T10:00:00+07:00', '2026-03-20', '  ')], 'reason_required', 'without a reason')
  refused([extension('2026-03-12T10:00:00+07:00', '20/03/2026')], 'invalid_new_date', 'with a malformed date')

  try {
    deadline({ events: [extension('2026-03-16T08:00:00+07:00')] })
  } catch (err) {
    t.ok(err instanceof DeadlineError)
    const e = err as DeadlineError
    t.match(
      e.messages.vi,
      /Không được gia hạn hồ sơ: phiếu gia hạn phải được lập chậm nhất 01 ngày làm việc trước ngày hẹn 2026-03-16/,
    )
    t.match(e.messages.en, /at least 1 working day before the due date 2026-03-16/)
    t.equal(e.status, 422)
  }
})

t.test('R11: a pause moves the open step deadline too; unknown steps are refused', async (t) => {
  const r = deadline({
    steps: [{ id: 'specialist', shareDays: 2 }],
    settings: { supplementPolicy: 'PAUSE' },
    now: '2026-03-06T09:00:00+07:00',
    events: [
      { type: 'supplementRequested', at: '2026-03-03T09:00:00+07:00' },
      { type: 'supplementReceived', at: '2026-03-03T11:00:00+07:00' },
    ],
  })
  t.equal(r.steps[0]!.deadline, '2026-03-04T11:00:00+07:00', 'Wed 09:00 + the 2 working hours paused')
  t.equal(r.steps[0]!.status, 'overdue')
  t.throws(
    () =>
      deadline({
        steps: [{ id: 'a', shareDays: 1 }],
        events: [{ type: 'stepHandedOff', toStep: 'b', at: '2026-03-03T09:00:00+07:00' }],
      }),
    {
      name: 'DeadlineError',
      reason: 'unknown_step',
    },
  )
})

t.test('reminders N working days before the due', async (t) => {
  const r = deadline({})
  t.equal(
    reminderAt(calendar, r.due, 1),
    '2026-03-13T08:00:00+07:00',
    'a day due: office opening of the working day before',
  )
  t.equal(reminderAt(calendar, r.due, 2), '2026-03-12T08:00:00+07:00')
  const hours = deadline({ acceptedAt: '2026-03-06T09:00:00+07:00', duration: '1.5WD' })
  t.equal(hours.due.at, '2026-03-09T14:00:00+07:00')
  t.equal(
    reminderAt(calendar, hours.due, 0.5),
    '2026-03-09T09:00:00+07:00',
    'an instant due: the same working time earlier',
  )
})

t.test('settings: global defaults, then per-procedure overrides', async (t) => {
  const s = resolveDeadlineSettings(
    { supplementPolicy: 'PAUSE', receiptCutoff: 16 * 60 },
    { receiptCutoff: 15 * 60, countMakeupWorkdays: undefined },
  )
  t.equal(s.supplementPolicy, 'PAUSE')
  t.equal(s.receiptCutoff, 900)
  t.equal(s.countMakeupWorkdays, true)
  t.equal(s.sameDayCutoff, 900)
  t.same(resolveDeadlineSettings().officeWindows, [
    { start: 480, end: 720 },
    { start: 780, end: 1020 },
  ])
})
