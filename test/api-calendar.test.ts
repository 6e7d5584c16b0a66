// Specification of the calendar API: anyone reads a year and previews a deadline as `motcua deadline`
// does; only administrators change the calendar, every change versioned and audited with who, when and why.
import t from 'tap'
import { seedCalendar } from '../src/db/calendar-repository.js'
import { buildTestApp } from './helpers/app.js'

const { app, db, loginAs, demo } = await buildTestApp(t)
const admin = await loginAs('quantri')
await seedCalendar(db.knex)
const adminId = (await db.knex('users').where({ username: 'quantri' }).first()).id as string
t.ok(demo.length > 0)

const preview = (query: string) => app.inject({ url: `/api/calendar/deadline?${query}` })

t.test('anyone reads a year: days off, make-up days, provisional flag and version', async (t) => {
  const res = await app.inject({ url: '/api/calendar/years/2026' })
  t.equal(res.statusCode, 200)
  const year = res.json()
  t.match(year, { year: 2026, provisional: false, version: 1 })
  t.ok(
    year.days.some((d: { date: string; kind: string }) => d.date === '2026-02-17' && d.kind === 'holiday'),
    'Tết is off',
  )
  t.ok(year.days.every((d: { provisional: boolean }) => d.provisional === false))

  const later = (await app.inject({ url: '/api/calendar/years/2031' })).json()
  t.match(later, { year: 2031, provisional: true }, 'a year without published data is generated and flagged')
  t.ok(later.days.length > 0 && later.days.every((d: { provisional: boolean }) => d.provisional))
  t.equal((await app.inject({ url: '/api/calendar/years/1800' })).statusCode, 400)
})

t.test('a deadline preview answers like motcua deadline (worked examples of deadlines.md)', async (t) => {
  const ex1 = await preview('accepted=2026-03-02T09:15:00%2B07:00&duration=5WD')
  t.equal(ex1.statusCode, 200)
  t.match(ex1.json(), {
    duration: '5WD',
    receiptDate: '2026-03-02',
    due: '2026-03-09',
    dueAt: '2026-03-09T23:59:59+07:00',
    precision: 'day',
    provisional: false,
    calendarVersion: 1,
  })
  t.match(
    (await preview('accepted=2026-04-24T15:30:00%2B07:00&duration=5WD')).json(),
    { due: '2026-05-06' },
    'example 4: across Giỗ Tổ, 30/4 and 1/5',
  )
  t.match(
    (await preview('accepted=2026-04-29T15:00:00%2B07:00&duration=0.5WD')).json(),
    { due: '2026-05-04T10:00:00+07:00', precision: 'instant' },
    'example 5',
  )
  t.match(
    (await preview('accepted=2026-07-07T10:00:00%2B07:00&duration=5WD&resultAt=2026-07-16T10:00:00%2B07:00')).json(),
    { due: '2026-07-14', status: 'finished', result: 'late', workingDaysLate: 2 },
    'example 7',
  )
  t.match(
    (
      await preview(
        'accepted=2026-03-02T09:00:00%2B07:00&duration=10WD&supplementPolicy=PAUSE&supplement=2026-03-05T10:00:00%2B07:00/2026-03-11T10:00:00%2B07:00',
      )
    ).json(),
    { due: '2026-03-20' },
    'example 6, PAUSE',
  )

  const badDuration = await preview('accepted=2026-03-02T09:15:00%2B07:00&duration=5days')
  t.equal(badDuration.statusCode, 422)
  t.match(badDuration.json(), {
    code: 'MC_ERR_DURATION_INVALID',
    reason: 'unparsable',
    message: { vi: /không phải là thời hạn/ },
  })
  const badTime = await preview('accepted=2026-03-02%2009:15&duration=5WD')
  t.equal(badTime.statusCode, 400)
  t.match(badTime.json(), { code: 'MC_ERR_VALIDATION', errors: [{ field: 'querystring.accepted' }] })
  t.equal((await preview('duration=5WD')).statusCode, 400, 'accepted is required')
  const events = await preview('accepted=2026-03-02T09:00:00%2B07:00&duration=5WD&resultAt=2026-03-01T09:00:00%2B07:00')
  t.equal(events.statusCode, 422)
  t.equal(events.json().code, 'MC_ERR_DOSSIER_EVENTS_INVALID')
})

t.test('only administrators change the calendar', async (t) => {
  const body = { date: '2026-03-04', kind: 'holiday', name: 'Nghỉ thử', reason: 'thử' }
  t.equal((await app.inject({ method: 'POST', url: '/api/calendar/days', payload: body })).statusCode, 401)
  for (const who of ['congdan', 'canbo', 'lanhdao', 'phantich']) {
    const { authorization } = await loginAs(who)
    const res = await app.inject({
      method: 'POST',
      url: '/api/calendar/days',
      headers: { authorization },
      payload: body,
    })
    t.equal(res.statusCode, 403, `${who} may not add a day off`)
    t.equal(res.json().code, 'MC_ERR_FORBIDDEN')
    t.equal(
      (
        await app.inject({
          method: 'POST',
          url: '/api/calendar/years/2027/confirm',
          headers: { authorization },
          payload: { reason: 'x' },
        })
      ).statusCode,
      403,
    )
    t.equal((await app.inject({ url: '/api/calendar/versions', headers: { authorization } })).statusCode, 403)
  }
  t.equal(
    (await app.inject({ method: 'DELETE', url: '/api/calendar/days/2026-02-17', payload: { reason: 'x' } })).statusCode,
    401,
  )
  t.same((await app.inject({ url: '/api/calendar/years/2026' })).json().version, 1, 'nothing changed')
  const denied = await db
    .knex('audit_events')
    .where({ action: 'access.denied', subject_type: 'calendar' })
    .count({ n: '*' })
    .first()
  t.equal(Number(denied?.n), 12, 'each refusal is audited')
})

t.test('an administrator adds and removes a day off, audited with who, when and why; deadlines follow', async (t) => {
  const reason = 'Quyết định nghỉ đột xuất (thử nghiệm)'
  const added = await app.inject({
    method: 'POST',
    url: '/api/calendar/days',
    headers: admin,
    payload: { date: '2026-03-04', kind: 'holiday', name: 'Nghỉ đột xuất', reason },
  })
  t.equal(added.statusCode, 201)
  t.same(added.json(), { version: 2 })
  t.match(
    (await preview('accepted=2026-03-02T09:15:00%2B07:00&duration=5WD')).json(),
    { due: '2026-03-10', calendarVersion: 2 },
    'the day off pushes the due date',
  )
  t.ok(
    (await app.inject({ url: '/api/calendar/years/2026' }))
      .json()
      .days.some((d: { date: string }) => d.date === '2026-03-04'),
  )

  const removed = await app.inject({
    method: 'DELETE',
    url: '/api/calendar/days/2026-03-04',
    headers: admin,
    payload: { reason: 'Huỷ quyết định' },
  })
  t.equal(removed.statusCode, 200)
  t.same(removed.json(), { version: 3 })
  t.match((await preview('accepted=2026-03-02T09:15:00%2B07:00&duration=5WD')).json(), {
    due: '2026-03-09',
    calendarVersion: 3,
  })

  const audit = await db
    .knex('audit_events')
    .where({ subject_type: 'calendar', subject_id: '2026-03-04' })
    .whereLike('action', 'calendar.%')
    .orderBy('id')
  t.match(audit, [
    {
      action: 'calendar.day.add',
      actor_id: adminId,
      at: Date,
      data: { reason, version: 2, before: null, after: { date: '2026-03-04', kind: 'holiday', name: 'Nghỉ đột xuất' } },
    },
    {
      action: 'calendar.day.remove',
      actor_id: adminId,
      data: { reason: 'Huỷ quyết định', version: 3, before: { kind: 'holiday' } },
    },
  ])
  const versions = (await app.inject({ url: '/api/calendar/versions', headers: admin })).json()
  t.match(versions.slice(0, 2), [
    { version: 3, action: 'calendar.day.remove', actorId: adminId, reason: 'Huỷ quyết định', createdAt: String },
    { version: 2, action: 'calendar.day.add', actorId: adminId, reason },
  ])

  t.test('refusals carry the calendar codes', async (t) => {
    const weekdayMakeup = await app.inject({
      method: 'POST',
      url: '/api/calendar/days',
      headers: admin,
      payload: { date: '2026-03-04', kind: 'makeup_workday', name: 'Làm bù', reason: 'x' },
    })
    t.equal(weekdayMakeup.statusCode, 422)
    t.match(weekdayMakeup.json(), { code: 'MC_ERR_CALENDAR_CHANGE_INVALID', reason: 'makeup_on_weekday' })
    const blankReason = await app.inject({
      method: 'POST',
      url: '/api/calendar/days',
      headers: admin,
      payload: { date: '2026-03-05', kind: 'holiday', name: 'x', reason: '   ' },
    })
    t.equal(blankReason.statusCode, 422)
    t.match(blankReason.json(), { code: 'MC_ERR_CALENDAR_CHANGE_INVALID', reason: 'reason_required' })
    const nothing = await app.inject({
      method: 'DELETE',
      url: '/api/calendar/days/2026-03-11',
      headers: admin,
      payload: { reason: 'x' },
    })
    t.equal(nothing.statusCode, 404)
    t.equal(nothing.json().code, 'MC_ERR_CALENDAR_DAY_NOT_FOUND')
    const noReason = await app.inject({
      method: 'POST',
      url: '/api/calendar/days',
      headers: admin,
      payload: { date: '2026-03-05', kind: 'holiday', name: 'x' },
    })
    t.equal(noReason.statusCode, 400, 'the reason is required by the schema too')
  })
})

t.test('an administrator confirms a provisional year', async (t) => {
  t.equal((await app.inject({ url: '/api/calendar/years/2027' })).json().provisional, true)
  const res = await app.inject({
    method: 'POST',
    url: '/api/calendar/years/2027/confirm',
    headers: admin,
    payload: { reason: 'Thông báo nghỉ lễ 2027 của Bộ LĐ-TB&XH' },
  })
  t.equal(res.statusCode, 200)
  const year = (await app.inject({ url: '/api/calendar/years/2027' })).json()
  t.match(year, { year: 2027, provisional: false, version: res.json().version })
  t.ok(year.days.every((d: { provisional: boolean }) => !d.provisional))
  t.match(await db.knex('audit_events').where({ action: 'calendar.year.confirm', subject_id: '2027' }), [
    { actor_id: adminId, data: { reason: /2027/ } },
  ])
})

t.test('every calendar route is in the OpenAPI document', async (t) => {
  const doc = (await app.inject({ url: '/docs/json' })).json() as {
    paths: Record<string, Record<string, { tags: string[] }>>
  }
  for (const [path, method] of [
    ['/api/calendar/years/{year}', 'get'],
    ['/api/calendar/versions', 'get'],
    ['/api/calendar/days', 'post'],
    ['/api/calendar/days/{date}', 'delete'],
    ['/api/calendar/years/{year}/confirm', 'post'],
    ['/api/calendar/deadline', 'get'],
  ] as const) {
    t.same(doc.paths[path]?.[method]?.tags, ['calendar'], `${method.toUpperCase()} ${path}`)
  }
})
