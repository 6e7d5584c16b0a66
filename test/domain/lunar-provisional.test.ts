// The Vietnamese lunar calendar and the provisional calendars generated for unpublished years.
import t from 'tap'
import {
  tetDay,
  solarToLunar,
  lunarToSolar,
  formatDate,
  parseDate,
  generateProvisionalYear,
  lunarYearName,
  bundledCalendar,
  bundledCalendarData,
  WorkingCalendar,
} from '../../src/domain/calendar/index.js'

t.test('mùng 1 Tết 2020–2030 in Vietnam (UTC+7)', async (t) => {
  const known: Record<number, string> = {
    2020: '2020-01-25',
    2021: '2021-02-12',
    2022: '2022-02-01',
    2023: '2023-01-22',
    2024: '2024-02-10',
    2025: '2025-01-29',
    2026: '2026-02-17',
    2027: '2027-02-06',
    2028: '2028-01-26',
    2029: '2029-02-13',
    // The new moon is at 23:07 on 02/02 in Vietnam but 00:07 on 03/02 in China: Vietnam's Tết Canh
    // Tuất is 2030-02-02, a day before China's Spring Festival (2030-02-03).
    2030: '2030-02-02',
  }
  for (const [year, date] of Object.entries(known)) t.equal(formatDate(tetDay(Number(year))), date, `Tết ${year}`)
})

t.test('years where Vietnam and China differ', async (t) => {
  t.equal(formatDate(tetDay(1985)), '1985-01-21', 'Tết Ất Sửu 1985: a month before China (leap month difference)')
  t.equal(formatDate(tetDay(2007)), '2007-02-17', 'Tết Đinh Hợi 2007: a day before China')
})

t.test('solar ↔ lunar round trip, leap months included', async (t) => {
  for (let day = parseDate('2019-01-01'); day <= parseDate('2031-12-31'); day += 7) {
    t.equal(lunarToSolar(solarToLunar(day)), day, formatDate(day))
  }
  t.same(
    solarToLunar(parseDate('2023-03-22')),
    { day: 1, month: 2, year: 2023, leap: true },
    '2023 had a leap 2nd month',
  )
  t.throws(() => lunarToSolar({ day: 1, month: 5, year: 2023, leap: true }), RangeError)
  t.equal(formatDate(lunarToSolar({ day: 10, month: 3, year: 2026, leap: false })), '2026-04-26', 'Giỗ Tổ 2026')
  t.equal(lunarYearName(2026), 'Bính Ngọ')
  t.equal(lunarYearName(2025), 'Ất Tỵ')
})

const dates = (year: number) => generateProvisionalYear(year).map((d) => d.date)

t.test('a provisional year reproduces the published 2026 holidays, except the Government swaps', async (t) => {
  const published = bundledCalendar().days.filter(
    (d) => d.date.startsWith('2026-') && d.kind === 'holiday' && !/hoán đổi/.test(d.name),
  )
  t.same(
    dates(2026),
    published.map((d) => d.date),
  )
  t.ok(generateProvisionalYear(2026).every((d) => d.provisional && d.kind === 'holiday'))
})

t.test('2027: the Tết block with mùng 1–2 on a weekend gets two compensatory days', async (t) => {
  const tet = generateProvisionalYear(2027)
    .filter((d) => /Tết Nguyên đán/.test(d.name))
    .map((d) => d.date)
  // 30 Tết Fri 05/02, mùng 1 Sat 06/02, mùng 2 Sun 07/02, mùng 3–4 Mon–Tue → nghỉ bù Wed 10/02, Thu 11/02.
  t.same(tet, ['2027-02-05', '2027-02-08', '2027-02-09', '2027-02-10', '2027-02-11'])
  t.match(generateProvisionalYear(2027).find((d) => d.date === '2027-02-10')?.name, /Nghỉ bù/)
})

t.test('compensatory days when 30/4, 1/5 or 2/9 falls on a weekend', async (t) => {
  // 2022: 30/4 Sat, 1/5 Sun → Mon 2/5 and Tue 3/5 (as decided that year).
  t.ok(dates(2022).includes('2022-05-02') && dates(2022).includes('2022-05-03'))
  // 2027: 1/5 Sat → Mon 3/5.
  t.ok(dates(2027).includes('2027-05-03'))
  // 2028: 30/4 Sun → after Mon 1/5 (a holiday) comes Tue 2/5.
  t.ok(dates(2028).includes('2028-05-01') && dates(2028).includes('2028-05-02'))
  // 2023: 2/9 Sat → the adjacent day Fri 1/9, and nghỉ bù Mon 4/9 (as decided that year).
  t.same(
    dates(2023).filter((d) => d.startsWith('2023-09')),
    ['2023-09-01', '2023-09-04'],
  )
  // 2029: 2/9 Sun → adjacent Mon 3/9 and nghỉ bù Tue 4/9.
  t.same(
    dates(2029).filter((d) => d.startsWith('2029-09')),
    ['2029-09-03', '2029-09-04'],
  )
  // 2028: 1/1 Sat → Mon 3/1.
  t.ok(dates(2028).includes('2028-01-03'))
})

t.test('calendar data for a range flags generated years as provisional', async (t) => {
  const data = bundledCalendarData(2025, 2028)
  t.same(data.provisionalYears, [2027, 2028])
  const calendar = new WorkingCalendar(data)
  t.notOk(calendar.isProvisional(parseDate('2026-06-01')))
  t.ok(calendar.isProvisional(parseDate('2027-06-01')))
  t.notOk(calendar.isWorkingDay(parseDate('2027-02-10')))
  t.equal(calendar.entryFor(parseDate('2027-02-10'))?.provisional, true)
})
