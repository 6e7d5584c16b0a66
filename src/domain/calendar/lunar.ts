// Vietnamese lunar calendar conversion (Hồ Ngọc Đức's algorithm, computed for UTC+7).
//
// Vietnam's lunar calendar is the Chinese one computed for the meridian of UTC+7, not UTC+8, so a
// new moon near midnight can start a month (and Tết) one day earlier than in China (1985, 2007).
// The astronomy is Jean Meeus' (Astronomical Algorithms, 1998), as in Hồ Ngọc Đức's published code.
import { type Day } from './civil-time.js'

const TIME_ZONE = 7
/** Julian Day Number of 1970-01-01. */
const JDN_EPOCH = 2440588
const SYNODIC_MONTH = 29.530588853
const { floor, sin, PI } = Math

export interface LunarDate {
  day: number
  month: number
  year: number
  /** True in the intercalary (nhuận) month. */
  leap: boolean
}

/** Julian day number of the day on which new moon number k (k = 0 at 1900-01-01) falls, in UTC+7. */
function newMoonDay(k: number): number {
  const T = k / 1236.85
  const T2 = T * T
  const T3 = T2 * T
  const dr = PI / 180
  let jd1 = 2415020.75933 + 29.53058868 * k + 0.0001178 * T2 - 0.000000155 * T3
  jd1 += 0.00033 * sin((166.56 + 132.87 * T - 0.009173 * T2) * dr)
  const M = 359.2242 + 29.10535608 * k - 0.0000333 * T2 - 0.00000347 * T3
  const Mpr = 306.0253 + 385.81691806 * k + 0.0107306 * T2 + 0.00001236 * T3
  const F = 21.2964 + 390.67050646 * k - 0.0016528 * T2 - 0.00000239 * T3
  let C1 = (0.1734 - 0.000393 * T) * sin(M * dr) + 0.0021 * sin(2 * dr * M)
  C1 = C1 - 0.4068 * sin(Mpr * dr) + 0.0161 * sin(dr * 2 * Mpr)
  C1 = C1 - 0.0004 * sin(dr * 3 * Mpr)
  C1 = C1 + 0.0104 * sin(dr * 2 * F) - 0.0051 * sin(dr * (M + Mpr))
  C1 = C1 - 0.0074 * sin(dr * (M - Mpr)) + 0.0004 * sin(dr * (2 * F + M))
  C1 = C1 - 0.0004 * sin(dr * (2 * F - M)) - 0.0006 * sin(dr * (2 * F + Mpr))
  C1 = C1 + 0.001 * sin(dr * (2 * F - Mpr)) + 0.0005 * sin(dr * (2 * Mpr + M))
  const deltaT =
    T < -11
      ? 0.001 + 0.000839 * T + 0.0002261 * T2 - 0.00000845 * T3 - 0.000000081 * T * T3
      : -0.000278 + 0.000265 * T + 0.000262 * T2
  return floor(jd1 + C1 - deltaT + 0.5 + TIME_ZONE / 24)
}

/** The sun's longitude sector (0..11, 30° each) at the start of a Julian day in UTC+7. */
function sunLongitudeSector(jdn: number): number {
  const T = (jdn - 0.5 - TIME_ZONE / 24 - 2451545.0) / 36525
  const T2 = T * T
  const dr = PI / 180
  const M = 357.5291 + 35999.0503 * T - 0.0001559 * T2 - 0.00000048 * T * T2
  const L0 = 280.46645 + 36000.76983 * T + 0.0003032 * T2
  let DL = (1.9146 - 0.004817 * T - 0.000014 * T2) * sin(dr * M)
  DL = DL + (0.019993 - 0.000101 * T) * sin(dr * 2 * M) + 0.00029 * sin(dr * 3 * M)
  let L = (L0 + DL) * dr
  L = L - PI * 2 * floor(L / (PI * 2))
  return floor((L / PI) * 6)
}

/** Start (JDN) of the 11th lunar month, the one containing the winter solstice, of a solar year. */
function lunarMonth11(year: number): number {
  const dec31 = JDN_EPOCH + floor(Date.UTC(year, 11, 31) / 86_400_000)
  const k = floor((dec31 - 2415021) / SYNODIC_MONTH)
  const nm = newMoonDay(k)
  return sunLongitudeSector(nm) >= 9 ? newMoonDay(k - 1) : nm
}

/** In a 13-month lunar year starting at month 11 (a11), the offset of the leap month. */
function leapMonthOffset(a11: number): number {
  const k = floor((a11 - 2415021.076998695) / SYNODIC_MONTH + 0.5)
  let i = 1
  let arc = sunLongitudeSector(newMoonDay(k + i))
  let last: number
  do {
    last = arc
    i++
    arc = sunLongitudeSector(newMoonDay(k + i))
  } while (arc !== last && i < 14)
  return i - 1
}

function jdnOfDay(day: Day): number {
  return day + JDN_EPOCH
}

function dayOfJdn(jdn: number): Day {
  return jdn - JDN_EPOCH
}

export function solarToLunar(day: Day): LunarDate {
  const jdn = jdnOfDay(day)
  const solarYear = new Date(day * 86_400_000).getUTCFullYear()
  const k = floor((jdn - 2415021.076998695) / SYNODIC_MONTH)
  let monthStart = newMoonDay(k + 1)
  if (monthStart > jdn) monthStart = newMoonDay(k)
  let a11 = lunarMonth11(solarYear)
  let b11 = a11
  let lunarYear: number
  if (a11 >= monthStart) {
    lunarYear = solarYear
    a11 = lunarMonth11(solarYear - 1)
  } else {
    lunarYear = solarYear + 1
    b11 = lunarMonth11(solarYear + 1)
  }
  const lunarDay = jdn - monthStart + 1
  const diff = floor((monthStart - a11) / 29)
  let leap = false
  let month = diff + 11
  if (b11 - a11 > 365) {
    const leapDiff = leapMonthOffset(a11)
    if (diff >= leapDiff) {
      month = diff + 10
      if (diff === leapDiff) leap = true
    }
  }
  if (month > 12) month -= 12
  if (month >= 11 && diff < 4) lunarYear -= 1
  return { day: lunarDay, month, year: lunarYear, leap }
}

/** The civil date of a lunar date; throws RangeError for a leap month that the year does not have. */
export function lunarToSolar(lunar: LunarDate): Day {
  const { day, month, year, leap } = lunar
  let a11: number
  let b11: number
  if (month < 11) {
    a11 = lunarMonth11(year - 1)
    b11 = lunarMonth11(year)
  } else {
    a11 = lunarMonth11(year)
    b11 = lunarMonth11(year + 1)
  }
  const k = floor(0.5 + (a11 - 2415021.076998695) / SYNODIC_MONTH)
  let off = month - 11
  if (off < 0) off += 12
  if (b11 - a11 > 365) {
    const leapOff = leapMonthOffset(a11)
    let leapMonth = leapOff - 2
    if (leapMonth < 0) leapMonth += 12
    if (leap && month !== leapMonth) throw new RangeError(`Lunar year ${year} has no leap month ${month}`)
    if (leap || off >= leapOff) off += 1
  } else if (leap) {
    throw new RangeError(`Lunar year ${year} has no leap month`)
  }
  return dayOfJdn(newMoonDay(k + off) + day - 1)
}

/** Mùng 1 Tết: the first day of the lunar year that starts in the given solar year. */
export function tetDay(solarYear: number): Day {
  return lunarToSolar({ day: 1, month: 1, year: solarYear, leap: false })
}
