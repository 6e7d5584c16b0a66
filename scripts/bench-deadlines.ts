// Benchmark of the deadline domain: addWorkingDays/s, countWorkingDays/s and computeDeadline/s.
// Run: npx tsx scripts/bench-deadlines.ts
import {
  WorkingCalendar,
  bundledCalendarData,
  parseDate,
  instantAt,
  MS_PER_MINUTE,
} from '../src/domain/calendar/index.js'
import { computeDeadline } from '../src/domain/deadlines/index.js'

const buildStart = performance.now()
const calendar = new WorkingCalendar(bundledCalendarData(2025, 2040))
const buildMs = performance.now() - buildStart

const first = parseDate('2025-01-01')
const span = parseDate('2037-12-31') - first
// Inputs drawn up front so the loop measures the calendar, not the random number generator.
const N = 4096
const days = Int32Array.from({ length: N }, () => first + Math.floor(Math.random() * span))
const counts = Int32Array.from({ length: N }, () => 1 + Math.floor(Math.random() * 60))

function rate(name: string, iterations: number, run: (i: number) => number): number {
  let sink = 0
  for (let i = 0; i < 100_000; i++) sink += run(i & (N - 1)) // warm up the JIT
  const start = process.hrtime.bigint()
  for (let i = 0; i < iterations; i++) sink += run(i & (N - 1))
  const seconds = Number(process.hrtime.bigint() - start) / 1e9
  const perSecond = iterations / seconds
  console.log(
    `${name.padEnd(34)} ${Math.round(perSecond).toLocaleString('en-US').padStart(14)} /s   (${iterations.toLocaleString('en-US')} in ${seconds.toFixed(3)} s; checksum ${sink % 1000})`,
  )
  return perSecond
}

console.log(`calendar 2025–2040 built in ${buildMs.toFixed(1)} ms`)
const addRate = rate('addWorkingDays', 20_000_000, (i) => calendar.addWorkingDays(days[i]!, counts[i]!))
rate('countWorkingDays', 20_000_000, (i) => calendar.countWorkingDays(days[i]!, days[(i + 1) & (N - 1)]!))
rate('computeDeadline (5WD, one event)', 200_000, (i) => {
  const acceptedAt = instantAt(days[i]!, 9 * 60 * MS_PER_MINUTE)
  const r = computeDeadline(calendar, {
    acceptedAt,
    duration: '5WD',
    now: acceptedAt,
    events: [{ type: 'resultAtCounter', at: acceptedAt + 3 * 86_400_000 }],
  })
  return r.workingDaysLate
})
console.log(addRate >= 1_000_000 ? `OK: addWorkingDays ≥ 1,000,000/s` : `TOO SLOW: addWorkingDays < 1,000,000/s`)
process.exitCode = addRate >= 1_000_000 ? 0 : 1
