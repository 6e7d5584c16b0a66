// The worked examples of docs/legal-rules.md, one test each: the specification of the deadline rules.
import t from 'tap'
import { WorkingCalendar, bundledCalendarData, parseDate, formatDate } from '../../src/domain/calendar/index.js'
import { computeDeadline, type DeadlineInput, type ProcedureStep } from '../../src/domain/deadlines/index.js'

const calendar = new WorkingCalendar(bundledCalendarData(2025, 2027))
const now = '2026-12-31T12:00:00+07:00'
const deadline = (input: Omit<DeadlineInput, 'now'> & { now?: string }) => computeDeadline(calendar, { now, ...input })

t.test('1: accepted Mon 2026-03-02 09:15, 5 WD → due Mon 2026-03-09', async (t) => {
  const r = deadline({ acceptedAt: '2026-03-02T09:15:00+07:00', duration: '5WD' })
  t.equal(r.receiptDate, '2026-03-02')
  t.same(r.due, { date: '2026-03-09', precision: 'day', at: '2026-03-09T23:59:59+07:00' })
})

t.test(
  '2: submitted online Sat 03-07, accepted Mon 03-09 10:00, 5 WD → due Mon 03-16 (the clock starts at acceptance)',
  async (t) => {
    const r = deadline({ acceptedAt: '2026-03-09T10:00:00+07:00', duration: '5WD' })
    t.equal(r.due.date, '2026-03-16')
    t.equal(
      formatDate(calendar.addWorkingDays(parseDate('2026-03-07'), 5)),
      '2026-03-13',
      'counting from the submission day would wrongly give Fri 03-13',
    )
  },
)

t.test('3: accepted Thu 2026-02-12 10:00, 5 WD across Tết (16–20/02 off) → due Thu 02-26', async (t) => {
  t.equal(deadline({ acceptedAt: '2026-02-12T10:00:00+07:00', duration: '5WD' }).due.date, '2026-02-26')
})

t.test('4: accepted Fri 2026-04-24 15:30, 5 WD (27/04, 30/04, 01/05 off) → due Wed 05-06', async (t) => {
  const r = deadline({ acceptedAt: '2026-04-24T15:30:00+07:00', duration: '5WD' })
  t.equal(r.receiptDate, '2026-04-24')
  t.equal(r.due.date, '2026-05-06')
})

t.test('5: 0.5 WD from Wed 2026-04-29 15:00 → Mon 2026-05-04 10:00', async (t) => {
  const r = deadline({ acceptedAt: '2026-04-29T15:00:00+07:00', duration: '0.5WD' })
  t.same(r.due, { date: '2026-05-04', precision: 'instant', at: '2026-05-04T10:00:00+07:00' })
})

t.test(
  '6: 10 WD from Mon 03-02 09:00 (due 03-16); supplement requested Thu 03-05, re-received Wed 03-11 10:00',
  async (t) => {
    const input = {
      acceptedAt: '2026-03-02T09:00:00+07:00',
      duration: '10WD',
      events: [
        { type: 'supplementRequested' as const, at: '2026-03-05T14:00:00+07:00' },
        { type: 'supplementReceived' as const, at: '2026-03-11T10:00:00+07:00' },
      ],
    }
    t.equal(deadline({ acceptedAt: input.acceptedAt, duration: '10WD' }).due.date, '2026-03-16', 'without a supplement')
    const restart = deadline({ ...input, settings: { supplementPolicy: 'RESTART' } })
    t.equal(restart.due.date, '2026-03-25', 'RESTART: the full 10 WD run again from the re-receipt')
    t.equal(restart.reReceiptDate, '2026-03-11')
    t.equal(deadline(input).due.date, '2026-03-25', 'RESTART is the default policy')
    const pause = deadline({ ...input, settings: { supplementPolicy: 'PAUSE' } })
    t.equal(pause.due.date, '2026-03-20', 'PAUSE: moved by the 4 WD in (03-05, 03-11]')
    t.equal(calendar.countWorkingDays(parseDate('2026-03-05'), parseDate('2026-03-11')), 4)
  },
)

t.test(
  '7: accepted Tue 2026-07-07 10:00, 5 WD; result at the counter Thu 07-16 → due Tue 07-14, quá hạn',
  async (t) => {
    const r = deadline({
      acceptedAt: '2026-07-07T10:00:00+07:00',
      duration: '5WD',
      events: [{ type: 'resultAtCounter', at: '2026-07-16T10:00:00+07:00' }],
    })
    t.equal(r.due.date, '2026-07-14')
    t.equal(r.status, 'finished')
    t.equal(r.result, 'late')
    t.equal(r.workingDaysLate, 2)
  },
)

t.test('inter-agency: 15 WD from Mon 2026-06-01 09:00, four steps judged on their own shares', async (t) => {
  const steps: ProcedureStep[] = [
    { id: 'counter', name: 'Bộ phận một cửa', shareDays: 0.5 },
    { id: 'specialist', name: 'Phòng chuyên môn', shareDays: 8 },
    { id: 'tax', name: 'Chi cục Thuế', unit: 'tax-office', shareDays: 5 },
    { id: 'leader', name: 'Lãnh đạo ký', shareDays: 1 },
    { id: 'return', name: 'Trả kết quả', shareDays: 0 },
  ]
  const r = deadline({
    acceptedAt: '2026-06-01T09:00:00+07:00',
    duration: '15WD',
    steps,
    events: [
      { type: 'stepHandedOff', toStep: 'specialist', at: '2026-06-01T11:00:00+07:00' },
      { type: 'stepHandedOff', toStep: 'tax', at: '2026-06-11T16:00:00+07:00' },
      { type: 'stepHandedOff', toStep: 'leader', at: '2026-06-19T10:00:00+07:00' },
      { type: 'stepHandedOff', toStep: 'return', at: '2026-06-22T09:00:00+07:00' },
      { type: 'resultAtCounter', at: '2026-06-22T09:30:00+07:00' },
    ],
  })
  t.equal(r.due.date, '2026-06-22', 'overall due Mon 06-22')
  const table = r.steps.map((s) => [s.id, s.receivedAt, s.deadline, s.finishedAt, s.result])
  t.same(table, [
    ['counter', '2026-06-01T09:00:00+07:00', '2026-06-01T14:00:00+07:00', '2026-06-01T11:00:00+07:00', 'early'],
    ['specialist', '2026-06-01T11:00:00+07:00', '2026-06-11T11:00:00+07:00', '2026-06-11T16:00:00+07:00', 'late'],
    ['tax', '2026-06-11T16:00:00+07:00', '2026-06-18T16:00:00+07:00', '2026-06-19T10:00:00+07:00', 'late'],
    ['leader', '2026-06-19T10:00:00+07:00', '2026-06-22T10:00:00+07:00', '2026-06-22T09:00:00+07:00', 'early'],
    // A step with no share of its own is judged against the dossier's due.
    ['return', '2026-06-22T09:00:00+07:00', '2026-06-22T23:59:59+07:00', '2026-06-22T09:30:00+07:00', 'early'],
  ])
  t.equal(r.steps[2]!.workingDaysLate, 0.38, 'tax office: 3 working hours late')
  t.equal(r.result, 'on_time', 'the dossier is đúng hạn although two steps were late')
})
