// Specification: Biểu II.06a from the pre-aggregated counts (migration 0801) equals compute06a over each dossier's
// facts, for every period and clock tried, on dossiers made to cover each case (day and minute dues, extensions,
// pauses, finishes before the receipt day, refusals after acceptance) and then changed and deleted so the trigger must
// follow.
import { randomUUID } from 'node:crypto'
import t from 'tap'
import { formatDate, localDay, MS_PER_DAY, MS_PER_MINUTE, parseDate, instantAt } from '../src/domain/calendar/index.js'
import { compute06a, periodStart, resolvePeriod, type PeriodInput } from '../src/domain/statistics/index.js'
import { SupervisionService } from '../src/supervision/service.js'
import { createTestDatabase } from './helpers/db.js'

const db = await createTestDatabase(t)
const knex = db.knex

// A deterministic generator, so a failure reproduces.
let seed = 20260323
const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!

const units = [
  { id: 'tinh', path: '/tinh/', level: 'province' },
  { id: 'xa-a', path: '/tinh/huyen/xa-a/', level: 'commune' },
  { id: 'xa-b', path: '/tinh/huyen/xa-b/', level: 'commune' },
  { id: 'so', path: '/tinh/so/', level: 'department' },
] as const
await knex('units').insert(units.map((u) => ({ ...u, name: `Đơn vị ${u.id}` })))
const procedures: { id: string; versionId: string; code: string }[] = []
for (const [code, field] of [
  ['HT', 'Hộ tịch'],
  ['XD', 'Xây dựng'],
  ['DD', 'Đất đai'],
] as const) {
  const [p] = await knex('procedures')
    .insert({
      code,
      slug: `p-${code}`,
      name: field,
      field,
      agency_level: 'xa',
      agency: 'UBND',
      online_level: 'toan-trinh',
      search_text: ' ',
    })
    .returning('id')
  const [v] = await knex('procedure_versions')
    .insert({
      procedure_id: p.id,
      version: 1,
      status: 'published',
      definition: {},
      bpmn_xml: '<x/>',
      checksum: code,
      bpmn_process_id: `P_${code}`,
    })
    .returning('id')
  procedures.push({ id: p.id, versionId: v.id, code })
}

// The clock the reports are seen at: 16 March 2026, 10:30:20 in Vietnam.
const now = Date.parse('2026-03-16T10:30:20+07:00')
const day = (offset: number) => formatDate(localDay(now) + offset)
/** A due: a day due (23:59:59), an instant around now (to the minute, on either side), or none. */
function due(): { date: string | null; at: Date | null } {
  const kind = random()
  if (kind < 0.1) return { date: null, at: null }
  if (kind < 0.5) {
    const d = day(Math.floor(random() * 60) - 40)
    return { date: d, at: new Date(`${d}T23:59:59+07:00`) }
  }
  const at = new Date(now + Math.floor((random() - 0.6) * 40 * 60) * 1000 * (random() < 0.5 ? 1 : 2000))
  return { date: random() < 0.2 ? null : formatDate(localDay(at.getTime())), at: random() < 0.1 ? null : at }
}

function dossier() {
  const proc = pick(procedures)
  const unit = pick(units)
  const accepted = random() < 0.9
  const receipt = localDay(now) + Math.floor(random() * 70) - 55
  const acceptedAt = new Date(instantAt(receipt, (8 + Math.floor(random() * 11)) * 3_600_000))
  const d = due()
  const extended = random() < 0.2 ? due() : undefined
  const status = pick([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 10, 10])
  const finishes = status === 3 || status >= 7 ? random() < 0.9 : random() < 0.1
  // Mostly after the receipt, sometimes before its day (accepted after the cut-off, withdrawn the next morning).
  const finishedAt = finishes ? new Date(acceptedAt.getTime() + Math.floor((random() - 0.1) * 30 * MS_PER_DAY)) : null
  return {
    id: randomUUID(),
    code: accepted ? `C-${randomUUID()}` : null,
    procedure_id: proc.id,
    procedure_version_id: proc.versionId,
    procedure_code: proc.code,
    procedure_slug: 'x',
    procedure_name: proc.code,
    agency_unit_id: unit.id,
    unit_path: unit.path,
    applicant_name: 'Người nộp',
    channel: pick(['online', 'counter'] as const),
    delivery_method: 'counter',
    status,
    submitted_at: acceptedAt,
    accepted_at: accepted ? acceptedAt : null,
    receipt_date: accepted && random() < 0.9 ? formatDate(receipt) : null,
    due_date: (extended ?? d).date,
    due_at: (extended ?? d).at,
    original_due_date: extended ? d.date : null,
    original_due_at: extended ? d.at : null,
    finished_at: finishedAt,
    paused: random() < 0.2,
  }
}

const rows = Array.from({ length: 600 }, dossier)
for (let i = 0; i < rows.length; i += 100) await knex('dossiers').insert(rows.slice(i, i + 100))
// Changes after the fact: finishing, pausing and resuming, extending, moving, accepting late, deleting.
for (const r of rows.slice(0, 200)) {
  const change = pick(['finish', 'pause', 'extend', 'move', 'accept', 'delete', 'status'] as const)
  const set: Record<string, unknown> =
    change === 'finish'
      ? { status: pick([9, 10, 7, 3]), finished_at: new Date(now - Math.floor(random() * 20 * MS_PER_DAY)) }
      : change === 'pause'
        ? { paused: !r.paused }
        : change === 'extend'
          ? {
              original_due_date: r.due_date,
              original_due_at: r.due_at,
              due_date: day(30),
              due_at: new Date(`${day(30)}T23:59:59+07:00`),
            }
          : change === 'move'
            ? { unit_path: '/tinh/huyen/xa-b/', agency_unit_id: 'xa-b', procedure_id: procedures[0]!.id }
            : change === 'accept'
              ? { accepted_at: r.accepted_at ? null : new Date(now - 3 * MS_PER_DAY) }
              : change === 'status'
                ? { status: pick([2, 4, 5, 6]) }
                : {}
  if (change === 'delete') await knex('dossiers').where({ id: r.id }).delete()
  else
    await knex('dossiers')
      .where({ id: r.id })
      .update({ ...set, current_step: 'unrelated change too' })
}

t.test('the counts kept by the trigger are the counts made afresh from the dossiers', async (t) => {
  const keys =
    'unit_path, agency_unit_id, procedure_id, channel, receipt_day, finish_day, outcome, paused_open, overdue_day, due_instant'
  const kept = await knex.raw(`SELECT ${keys}, n FROM report_day_counts WHERE n <> 0 ORDER BY ${keys}`)
  const k = keys
    .split(', ')
    .map((c) => `k.${c}`)
    .join(', ')
  const fresh = await knex.raw(
    `SELECT ${k}, count(*)::int AS n FROM dossiers d, LATERAL report_day_key(d) k GROUP BY ${k} ORDER BY ${k}`,
  )
  t.same(kept.rows, fresh.rows)
  t.ok(kept.rows.length > 50)
})

const periods: PeriodInput[] = [
  { month: '2026-03' },
  { month: '2026-02' },
  { month: '2026-01' },
  { quarter: '2026-Q1' },
  { year: 2026 },
  { year: 2025 },
  { from: day(0), to: day(0) },
  { from: day(-1), to: day(-1) },
  { from: day(-10), to: day(5) },
  { from: day(-3), to: day(0) },
  ...Array.from({ length: 12 }, () => {
    const a = Math.floor(random() * 80) - 60
    return { from: day(a), to: day(a + Math.floor(random() * 30)) }
  }),
]
// Seen now, a minute either side, at midnight, and long after.
const clocks = [
  now,
  now - MS_PER_MINUTE,
  now + MS_PER_MINUTE,
  instantAt(localDay(now), 0),
  now + 7 * MS_PER_DAY,
  now + 365 * MS_PER_DAY,
]

t.test(
  'Biểu II.06a from the counts equals compute06a over the facts, per field and per unit, for every period and clock',
  async (t) => {
    let compared = 0
    for (const clock of clocks) {
      const service = new SupervisionService(knex, () => new Date(clock))
      for (const input of periods) {
        const period = service.period(input)
        for (const scope of [
          { unitId: 'tinh', unitPath: '/tinh/' },
          { unitId: 'xa-a', unitPath: '/tinh/huyen/xa-a/' },
        ]) {
          for (const groupBy of ['field', 'unit'] as const) {
            const facts = await service.repo.facts({
              unitPath: scope.unitPath,
              to: formatDate(period.to),
              start: periodStart(period),
              groupBy,
            })
            const direct = compute06a(facts, period, clock)
            const counted = await service.report06a(scope, period, groupBy)
            t.same(
              counted,
              direct,
              `${JSON.stringify(input)} seen ${new Date(clock).toISOString()} ${scope.unitId} by ${groupBy}`,
            )
            compared++
          }
        }
      }
    }
    t.equal(compared, clocks.length * periods.length * 4)
  },
)

t.test('the cases the counts must settle are present in the data', async (t) => {
  const period = resolvePeriod({ month: '2026-03' })
  const facts = await new SupervisionService(knex).repo.facts({
    unitPath: '/',
    to: formatDate(period.to),
    start: periodStart(period),
    groupBy: 'field',
  })
  const seen = localDay(now)
  t.ok(
    facts.some((f) => f.due?.at !== null && f.due !== null && localDay(f.due.at!) === seen && f.finishedAt === null),
    'an open dossier with a minute due on the day it is seen',
  )
  t.ok(
    facts.some((f) => f.finishedAt !== null && localDay(f.finishedAt) < f.receiptDay),
    'finished before its receipt day',
  )
  t.ok(
    facts.some((f) => f.paused && f.finishedAt === null),
    'paused and open',
  )
  t.ok(
    facts.some((f) => f.due === null),
    'no due',
  )
  t.ok(parseDate(formatDate(seen)) === seen && instantAt(seen, MS_PER_DAY) > now)
})
