// The calendar in the database: seeding, loading with provisional years, audited versioned changes.
import t from 'tap'
import { createTestDatabase, dbKind } from './helpers/db.js'
import {
  seedCalendar,
  loadCalendarData,
  loadWorkingCalendar,
  addCalendarDay,
  removeCalendarDay,
  confirmCalendarYear,
  listCalendarVersions,
  currentCalendarVersion,
} from '../src/db/calendar-repository.js'
import { parseDate, formatDate } from '../src/domain/calendar/index.js'
import { computeDeadline } from '../src/domain/deadlines/index.js'

const admin = '5b0c1d6e-1111-4a4a-8a8a-000000000001'

t.test(`seeding the published calendar on ${dbKind} is idempotent and audited; bad changes are refused`, async (t) => {
  const { knex } = await createTestDatabase(t)
  const first = await seedCalendar(knex)
  t.same(first, { version: 1, years: [2025, 2026] })
  t.equal(await seedCalendar(knex), undefined, 'a second seed changes nothing')
  const data = await loadCalendarData(knex, 2025, 2027)
  t.equal(data.version, 1)
  t.same(data.provisionalYears, [2027], '2027 is generated')
  t.equal(
    data.days.filter((d) => d.date.startsWith('2026-')).length,
    13 + 2,
    '2026: 13 holidays and 2 make-up Saturdays',
  )
  const audit = await knex('audit_events').where({ subject_type: 'calendar' })
  t.equal(audit.length, 1)
  t.equal(audit[0].action, 'calendar.seed')

  const calendar = await loadWorkingCalendar(knex, 2025, 2027)
  const r = computeDeadline(calendar, {
    acceptedAt: '2026-02-12T10:00:00+07:00',
    duration: '5WD',
    now: '2026-02-12T10:00:00+07:00',
  })
  t.equal(r.due.date, '2026-02-26', 'worked example 3 from the database calendar')

  // Bad changes are refused and leave the calendar as it was.
  const ctx = { actorId: admin, reason: 'thử' }
  await t.rejects(addCalendarDay(knex, { date: '2026-05-16', kind: 'holiday', name: 'x' }, ctx), {
    code: 'MC_ERR_CALENDAR_CHANGE_INVALID',
    reason: 'holiday_on_weekend',
  })
  await t.rejects(addCalendarDay(knex, { date: '2026-05-15', kind: 'makeup_workday', name: 'x' }, ctx), {
    name: 'CalendarChangeError',
    reason: 'makeup_on_weekday',
  })
  await t.rejects(
    addCalendarDay(knex, { date: '2026-05-15', kind: 'holiday', name: 'x' }, { actorId: admin, reason: ' ' }),
    { name: 'CalendarChangeError', reason: 'reason_required' },
  )
  await t.rejects(addCalendarDay(knex, { date: '2026-02-30', kind: 'holiday', name: 'x' }, ctx), {
    name: 'CalendarChangeError',
    reason: 'invalid_date',
  })
  await t.rejects(removeCalendarDay(knex, '2026-05-14', ctx), { code: 'MC_ERR_CALENDAR_DAY_NOT_FOUND' })
  t.equal(await currentCalendarVersion(knex), 1, 'no version was written')
  t.equal((await knex('audit_events').where({ subject_type: 'calendar' })).length, 1, 'no audit event was written')
})

t.test(
  `an administrator's changes create versions, keep history and write the audit in the same transaction (${dbKind})`,
  async (t) => {
    const { knex } = await createTestDatabase(t)
    await seedCalendar(knex)
    // The Government moves a working day: Fri 2026-05-15 off, worked on Sat 2026-05-23.
    const off = await addCalendarDay(
      knex,
      { date: '2026-05-15', kind: 'holiday', name: 'Nghỉ hoán đổi' },
      { actorId: admin, reason: 'Quyết định hoán đổi ngày làm việc' },
    )
    const makeUp = await addCalendarDay(
      knex,
      { date: '2026-05-23', kind: 'makeup_workday', name: 'Làm bù cho 15/05' },
      { actorId: admin, reason: 'Quyết định hoán đổi ngày làm việc' },
    )
    t.same([off.version, makeUp.version], [2, 3])

    let calendar = await loadWorkingCalendar(knex, 2026, 2026)
    t.notOk(calendar.isWorkingDay(parseDate('2026-05-15')))
    t.ok(calendar.isWorkingDay(parseDate('2026-05-23')))
    t.equal(calendar.version, 3)

    const removed = await removeCalendarDay(knex, '2026-05-15', { actorId: admin, reason: 'Quyết định bị thu hồi' })
    calendar = await loadWorkingCalendar(knex, 2026, 2026)
    t.ok(calendar.isWorkingDay(parseDate('2026-05-15')))
    t.equal(removed.version, 4)

    const atVersion2 = await loadCalendarData(knex, 2026, 2026, { asOfVersion: 2 })
    t.ok(
      atVersion2.days.some((d) => d.date === '2026-05-15'),
      'the calendar as it was at version 2',
    )
    t.notOk(atVersion2.days.some((d) => d.date === '2026-05-23'))

    const audit = await knex('audit_events').where({ subject_type: 'calendar' }).orderBy('id')
    t.same(
      audit.map((a) => [a.action, a.subject_id, a.actor_id]),
      [
        ['calendar.seed', '2025,2026', null],
        ['calendar.day.add', '2026-05-15', admin],
        ['calendar.day.add', '2026-05-23', admin],
        ['calendar.day.remove', '2026-05-15', admin],
      ],
    )
    t.equal(audit[3].data.reason, 'Quyết định bị thu hồi')
    t.same(audit[3].data.before, { date: '2026-05-15', kind: 'holiday', name: 'Nghỉ hoán đổi', provisional: false })
    t.same(
      (await listCalendarVersions(knex)).map((v) => v.action),
      ['calendar.day.remove', 'calendar.day.add', 'calendar.day.add', 'calendar.seed'],
    )
  },
)

t.test(`a provisional year: edited, then confirmed (${dbKind})`, async (t) => {
  const { knex } = await createTestDatabase(t)
  await seedCalendar(knex)
  t.same((await loadCalendarData(knex, 2027, 2027)).provisionalYears, [2027])
  // The Government decides Tết Đinh Mùi differently from the generated block: Thu 04/02 off instead of Thu 11/02.
  await addCalendarDay(
    knex,
    { date: '2027-02-04', kind: 'holiday', name: 'Tết Nguyên đán Đinh Mùi' },
    { actorId: admin, reason: 'Công văn về lịch nghỉ Tết 2027' },
  )
  await removeCalendarDay(knex, '2027-02-11', { actorId: admin, reason: 'Công văn về lịch nghỉ Tết 2027' })
  let data = await loadCalendarData(knex, 2027, 2027)
  t.same(data.provisionalYears, [2027], 'still provisional until confirmed')
  const tet = data.days.filter((d) => d.date.startsWith('2027-02')).map((d) => d.date)
  t.same(tet, ['2027-02-04', '2027-02-05', '2027-02-08', '2027-02-09', '2027-02-10'])

  await confirmCalendarYear(knex, 2027, { actorId: admin, reason: 'Đã đối chiếu với quyết định của Thủ tướng' })
  data = await loadCalendarData(knex, 2027, 2027)
  t.same(data.provisionalYears, [])
  t.ok(data.days.every((d) => !d.provisional))
  t.same(
    data.days.filter((d) => d.date.startsWith('2027-02')).map((d) => d.date),
    tet,
    'confirming keeps the days',
  )
  const calendar = await loadWorkingCalendar(knex, 2027, 2027)
  t.notOk(calendar.isProvisional(parseDate('2027-06-01')))
  t.equal(formatDate(calendar.nextWorkingDay(parseDate('2027-02-03'))), '2027-02-11')

  // Confirming a year nobody touched stores the generated days as confirmed.
  await confirmCalendarYear(knex, 2028, { actorId: admin, reason: 'Đã đối chiếu' })
  t.same((await loadCalendarData(knex, 2028, 2028)).provisionalYears, [])
  t.equal((await knex('audit_events').where({ action: 'calendar.year.confirm' })).length, 2)
})
