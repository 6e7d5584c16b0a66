// Provisional calendars for years the Government has not yet published, generated from the
// public holidays of Bộ luật Lao động 2019 Điều 112 and the Vietnamese lunar calendar.
//
// Điều 112(1): Tết Dương lịch 1 day (1/1); Tết Âm lịch 5 days; Chiến thắng 30/4; Quốc tế lao động
// 1/5; Quốc khánh 2 days (2/9 and one adjacent day before or after); Giỗ Tổ Hùng Vương (10/3 lunar).
// Điều 112(3): a holiday falling on a weekly rest day is compensated on the next working day(s).
// The Government picks the actual Tết days and adjacent Quốc khánh day each year, and often swaps
// days (nghỉ hoán đổi / làm bù); those decisions cannot be derived, so generated years are provisional
// until an administrator confirms or corrects them.
import { type Day, dayFromYmd, formatDate, isWeekend, weekday } from './civil-time.js'
import { lunarToSolar, tetDay } from './lunar.js'
import type { CalendarDay } from './calendar.js'

interface Holiday {
  day: Day
  name: string
}

/**
 * The adjacent Quốc khánh day, chosen as the Government has done (2021–2026): the one that joins
 * 2/9 to a weekend or to a Monday/Friday. 2/9 on Mon → 3/9; Thu → 3/9; Sun → 3/9; otherwise 1/9.
 */
function nationalDayPair(year: number): Day[] {
  const sep2 = dayFromYmd(year, 9, 2)
  const w = weekday(sep2)
  const adjacent = w === 1 || w === 4 || w === 0 ? sep2 + 1 : sep2 - 1
  return [Math.min(sep2, adjacent), Math.max(sep2, adjacent)]
}

/** The generated holidays of a year, compensatory days included, sorted by date. */
export function provisionalHolidays(year: number): Holiday[] {
  const tet = tetDay(year)
  const canChi = lunarYearName(year)
  const holidays: Holiday[] = [
    { day: dayFromYmd(year, 1, 1), name: 'Tết Dương lịch' },
    // The last day of the old lunar year through mùng 4, as decided for 2026 (five days).
    ...[-1, 0, 1, 2, 3].map((offset) => ({ day: tet + offset, name: `Tết Nguyên đán ${canChi}` })),
    { day: lunarToSolar({ day: 10, month: 3, year, leap: false }), name: 'Giỗ Tổ Hùng Vương' },
    { day: dayFromYmd(year, 4, 30), name: 'Ngày Giải phóng miền Nam' },
    { day: dayFromYmd(year, 5, 1), name: 'Ngày Quốc tế Lao động' },
    ...nationalDayPair(year).map((day) => ({ day, name: 'Quốc khánh' })),
  ].sort((a, b) => a.day - b.day)

  // Compensatory days go to the first weekday after the holiday that is not itself a holiday or
  // already taken as a compensatory day (so 30/4 + 1/5 on Sat + Sun give Mon 2/5 and Tue 3/5).
  const taken = new Set(holidays.map((h) => h.day))
  const compensatory: Holiday[] = []
  for (const h of holidays) {
    if (!isWeekend(h.day)) continue
    let day = h.day + 1
    while (isWeekend(day) || taken.has(day)) day++
    taken.add(day)
    compensatory.push({
      day,
      name: `Nghỉ bù ${h.name} (${formatDate(h.day).slice(8, 10)}/${formatDate(h.day).slice(5, 7)})`,
    })
  }
  return [...holidays, ...compensatory].sort((a, b) => a.day - b.day)
}

/**
 * The calendar exceptions of a generated year: the holidays that fall on weekdays. A holiday on a
 * weekend is off anyway; its compensatory day carries the effect.
 */
export function generateProvisionalYear(year: number): CalendarDay[] {
  return provisionalHolidays(year)
    .filter((h) => !isWeekend(h.day))
    .map((h) => ({ date: formatDate(h.day), kind: 'holiday' as const, name: h.name, provisional: true }))
}

const stems = ['Giáp', 'Ất', 'Bính', 'Đinh', 'Mậu', 'Kỷ', 'Canh', 'Tân', 'Nhâm', 'Quý']
const branches = ['Tý', 'Sửu', 'Dần', 'Mão', 'Thìn', 'Tỵ', 'Ngọ', 'Mùi', 'Thân', 'Dậu', 'Tuất', 'Hợi']

/** The can chi name of the lunar year that starts in a solar year (2026 → Bính Ngọ). */
export function lunarYearName(year: number): string {
  return `${stems[(((year + 6) % 10) + 10) % 10]} ${branches[(((year + 8) % 12) + 12) % 12]}`
}
