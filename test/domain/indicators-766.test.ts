// Decision 766, indicator 2.1 (Tỷ lệ hồ sơ xử lý trước hạn, đúng hạn) on single dossiers: when each counts as finished
// in time or still within it, as the national formula description reads (docs/reports.md). The hand-counted fixture of
// every indicator over real tables is test/supervision.test.ts.
import t from 'tap'
import { WorkingCalendar, bundledCalendarData, parseDate } from '../../src/domain/calendar/index.js'
import { compute766, calendarYears, resolvePeriod, type IndicatorFacts } from '../../src/domain/statistics/index.js'

const calendar = new WorkingCalendar(bundledCalendarData(2025, 2027))
const march = resolvePeriod({ month: '2026-03' })
const now = Date.parse('2026-06-01T10:00:00+07:00')
const at = (iso: string) => Date.parse(iso)

function dossier(over: Partial<IndicatorFacts>): IndicatorFacts {
  return {
    id: over.code ?? 'x',
    code: 'x',
    field: 'Hộ tịch',
    channel: 'counter',
    status: 4,
    receiptDay: parseDate('2026-03-02'),
    finishedAt: null,
    due: { day: parseDate('2026-03-13'), at: null },
    paused: false,
    feeDue: false,
    paidOnline: false,
    reusedDocuments: false,
    digitised: false,
    resultDocument: false,
    electronicResult: false,
    supplementRequests: 0,
    pausedSince: null,
    supplementWaits: [],
    rating: null,
    ...over,
  }
}
const withinTime = (d: IndicatorFacts) => compute766([d], march, now, calendar).onTimeRate.numerator === 1

t.test('refused after acceptance, stopped or withdrawn: finished, judged by the date it ended', async (t) => {
  t.ok(withinTime(dossier({ status: 3, finishedAt: at('2026-03-13T16:00:00+07:00') })), 'refused on the due day')
  t.notOk(withinTime(dossier({ status: 8, finishedAt: at('2026-03-16T09:00:00+07:00') })), 'stopped after it')
  t.ok(withinTime(dossier({ status: 7, finishedAt: at('2026-03-05T09:00:00+07:00') })), 'withdrawn before it')
})

t.test('waiting for the applicant: the moment its clock stopped is its end', async (t) => {
  const waiting = { status: 5, paused: true }
  t.ok(withinTime(dossier({ ...waiting, pausedSince: at('2026-03-12T10:00:00+07:00') })), 'asked before the due')
  t.notOk(withinTime(dossier({ ...waiting, pausedSince: at('2026-03-20T10:00:00+07:00') })), 'asked after the due')
  // Paused in May: at the end of March it was still running, and past its due.
  t.notOk(withinTime(dossier({ ...waiting, pausedSince: at('2026-05-04T10:00:00+07:00') })), 'paused after March')
})

t.test('still running at the end of the period: judged at that end', async (t) => {
  t.ok(withinTime(dossier({ due: { day: parseDate('2026-03-31'), at: null } })), 'due on the last day')
  t.notOk(withinTime(dossier({})), 'due on 13 March')
  t.ok(withinTime(dossier({ due: null })), 'no due computed: not late')
})

t.test('a second supplement request is late whatever the dates', async (t) => {
  const early = { status: 10, finishedAt: at('2026-03-06T10:00:00+07:00') }
  t.ok(withinTime(dossier({ ...early, supplementRequests: 1 })), 'one request')
  t.notOk(withinTime(dossier({ ...early, supplementRequests: 2 })), 'two requests')
})

t.test('4.1 and condition (2) of 3.3 and 4.2: a procedure whose result is a document', async (t) => {
  const resolved = { status: 10, finishedAt: at('2026-03-10T09:00:00+07:00'), resultDocument: true }
  const withFile = dossier({ code: 'A', channel: 'online', digitised: true, electronicResult: true, ...resolved })
  const paperOnly = dossier({ code: 'B', channel: 'online', digitised: true, ...resolved })
  // Still being handled: no result to judge yet, so condition (1) alone.
  const open = dossier({ code: 'C', channel: 'online', digitised: true, resultDocument: true })
  // Its procedure issues no document: condition (2) does not apply.
  const noDocument = dossier({
    code: 'D',
    channel: 'online',
    digitised: true,
    status: 10,
    finishedAt: resolved.finishedAt,
  })
  const r = compute766([withFile, paperOnly, open, noDocument], march, now, calendar)
  // 4.1 over the resolved dossiers of procedures issuing a document (A, B): A has its signed file.
  t.match(r.electronicResultShare, { value: 0.5, numerator: 1, denominator: 2 })
  t.same(
    r.electronicResultShare.dossiers.numerator.map((d) => d.code),
    ['A'],
  )
  // 3.3 and 4.2: B was resolved without its electronic result, so it counts in neither numerator; A, C and D do.
  for (const share of [r.onlineShare, r.digitisedShare]) {
    t.match(share, { numerator: 3, denominator: 4 })
    t.same(share.dossiers.numerator.map((d) => d.code).sort(), ['A', 'C', 'D'])
  }
})

// A province-year holds hundreds of thousands of dossiers: the first year was Math.min(...years), which threw a
// RangeError (call stack) at 608,454 dossiers on the 1M benchmark volume; and a dossier received in the period but
// resolved after it (2.2 counts it) fell outside a calendar that ended with the period (docs/notes/reports3.md).
t.test('the calendar years: earliest receipt to latest result, at a province-year’s volume', async (t) => {
  const year = resolvePeriod({ year: 2026 })
  type Facts = Pick<IndicatorFacts, 'receiptDay' | 'finishedAt' | 'supplementWaits'>
  const plain = { finishedAt: null, supplementWaits: [] }
  const many: Facts[] = Array.from({ length: 700_000 }, (_, i) => ({ ...plain, receiptDay: year.from + (i % 300) }))
  t.same(calendarYears(year, many), [2026, 2026])
  many[123_456] = { ...plain, receiptDay: parseDate('2024-12-30') }
  t.same(calendarYears(year, many), [2024, 2026], 'a dossier carried over from an earlier year')
  many[7] = { ...plain, receiptDay: year.from, finishedAt: at('2027-01-07T09:00:00+07:00') }
  t.same(calendarYears(year, many), [2024, 2027], 'a dossier of the period resolved in the next year')
  many[8] = {
    receiptDay: year.from,
    finishedAt: null,
    supplementWaits: [{ from: at('2026-12-30T09:00:00+07:00'), to: at('2028-01-03T09:00:00+07:00') }],
  }
  t.same(calendarYears(year, many), [2024, 2028], 'a supplement answered later still')
  t.same(calendarYears(march, []), [2026, 2026])
})

t.test('2.2 counts a dossier of the period resolved after it, in working days of the next year', async (t) => {
  const december = resolvePeriod({ month: '2026-12' })
  const d = dossier({
    code: 'late-result',
    status: 10,
    receiptDay: parseDate('2026-12-30'),
    finishedAt: at('2027-01-05T10:00:00+07:00'),
    due: { day: parseDate('2027-01-08'), at: null },
  })
  const r = compute766([d], december, now + 365 * 86_400_000, calendar)
  t.equal(r.averageResolutionDays.count, 1)
  t.ok(r.averageResolutionDays.value! > 0)
})
