// The calendar in PostgreSQL: seeding, loading a year range, and administrators' audited changes.
//
// Years without stored data are generated (provisional) when loaded, and stored only when an
// administrator changes or confirms them. Every change is one transaction that writes a new
// calendar version, the day rows, and an audit event.
import type { Knex } from 'knex'
import {
  type CalendarData,
  type CalendarDay,
  type CalendarDayChange,
  type ChangeContext,
  type PublishedCalendar,
  CalendarChangeError,
  WorkingCalendar,
  assembleCalendarData,
  bundledCalendar,
  generateProvisionalYear,
  parseDate,
  validateCalendarDayChange,
  validateReason,
} from '../domain/calendar/index.js'

type Db = Knex | Knex.Transaction

export interface CalendarVersion {
  version: number
  createdAt: Date
  actorId: string | null
  action: string
  reason: string
}

interface DayRow {
  date: string
  kind: CalendarDay['kind']
  name: string
  provisional: boolean
}

/** Serialises calendar changes: versions are then gap-free in commit order. */
async function lockCalendar(trx: Knex.Transaction): Promise<void> {
  await trx.raw("SELECT pg_advisory_xact_lock(hashtext('motcua.calendar'))")
}

async function newVersion(trx: Knex.Transaction, action: string, context: ChangeContext): Promise<number> {
  const [row] = await trx('calendar_versions')
    .insert({ actor_id: context.actorId ?? null, action, reason: context.reason.trim() })
    .returning('version')
  return (row as { version: number }).version
}

async function audit(
  trx: Knex.Transaction,
  action: string,
  subjectId: string,
  context: ChangeContext,
  data: Record<string, unknown>,
): Promise<void> {
  await trx('audit_events').insert({
    actor_id: context.actorId ?? null,
    action,
    subject_type: 'calendar',
    subject_id: subjectId,
    data: JSON.stringify({ reason: context.reason.trim(), ...data }),
  })
}

function yearOf(date: string): number {
  return Number(date.slice(0, 4))
}

async function insertDays(trx: Knex.Transaction, days: readonly CalendarDay[], version: number): Promise<void> {
  if (days.length === 0) return
  await trx('calendar_days').insert(
    days.map((d) => ({ date: d.date, kind: d.kind, name: d.name, provisional: d.provisional, valid_from: version })),
  )
}

/** Stores a generated year the first time an administrator touches it. */
async function materialiseYear(trx: Knex.Transaction, year: number, version: number): Promise<void> {
  const stored = await trx('calendar_years').where({ year }).first()
  if (stored) return
  await trx('calendar_years').insert({ year, provisional: true, since_version: version })
  await insertDays(trx, generateProvisionalYear(year), version)
}

/**
 * Stores the published years not yet in the database (idempotent: years already stored, perhaps
 * edited since, are left alone). Returns the version written, or undefined when nothing was new.
 */
export async function seedCalendar(
  knex: Knex,
  published: PublishedCalendar = bundledCalendar(),
  context: ChangeContext = { reason: 'Lịch nghỉ lễ, Tết đã công bố / published public holidays' },
): Promise<{ version: number; years: number[] } | undefined> {
  return knex.transaction(async (trx) => {
    await lockCalendar(trx)
    const stored = new Set((await trx('calendar_years').select('year')).map((r: { year: number }) => r.year))
    const years = published.years.filter((y) => !stored.has(y))
    if (years.length === 0) return undefined
    const version = await newVersion(trx, 'calendar.seed', context)
    await trx('calendar_years').insert(
      years.map((year) => ({ year, provisional: false, since_version: version, confirmed_version: version })),
    )
    await insertDays(
      trx,
      published.days.filter((d) => years.includes(yearOf(d.date))),
      version,
    )
    await audit(trx, 'calendar.seed', years.join(','), context, { version, years })
    return { version, years }
  })
}

export async function currentCalendarVersion(db: Db): Promise<number> {
  const row = (await db('calendar_versions').max({ version: 'version' }).first()) as
    { version: number | null } | undefined
  return row?.version ?? 0
}

/**
 * The calendar data for [fromYear, toYear] as of a version (default: the latest). Years not stored
 * at that version are generated and flagged provisional.
 */
export async function loadCalendarData(
  db: Db,
  fromYear: number,
  toYear: number,
  options: { asOfVersion?: number } = {},
): Promise<CalendarData> {
  const version = options.asOfVersion ?? (await currentCalendarVersion(db))
  const years = (await db('calendar_years')
    .whereBetween('year', [fromYear, toYear])
    .andWhere('since_version', '<=', version)
    .select('year', 'provisional', 'confirmed_version')) as {
    year: number
    provisional: boolean
    confirmed_version: number | null
  }[]
  const rows = (await db('calendar_days')
    .select(db.raw('date::text AS date'), 'kind', 'name', 'provisional')
    .whereBetween('date', [`${fromYear}-01-01`, `${toYear}-12-31`])
    .andWhere('valid_from', '<=', version)
    .andWhere((q) => q.whereNull('valid_to').orWhere('valid_to', '>', version))
    .orderBy('date')) as DayRow[]
  const known = new Map<number, { days: CalendarDay[]; provisional: boolean }>()
  for (const y of years) {
    const confirmed = y.confirmed_version !== null && y.confirmed_version <= version
    known.set(y.year, { days: [], provisional: !confirmed })
  }
  for (const row of rows) known.get(yearOf(row.date))?.days.push({ ...row })
  return assembleCalendarData(fromYear, toYear, known, version)
}

/** A working calendar over [fromYear, toYear] from the database. */
export async function loadWorkingCalendar(db: Db, fromYear: number, toYear: number): Promise<WorkingCalendar> {
  return new WorkingCalendar(await loadCalendarData(db, fromYear, toYear))
}

/** Adds a holiday or make-up working day, replacing any entry for that date. */
export async function addCalendarDay(
  knex: Knex,
  change: CalendarDayChange,
  context: ChangeContext,
): Promise<{ version: number }> {
  validateCalendarDayChange(change, context)
  const date = change.date
  return knex.transaction(async (trx) => {
    await lockCalendar(trx)
    const version = await newVersion(trx, 'calendar.day.add', context)
    await materialiseYear(trx, yearOf(date), version)
    const [before] = await closeCurrent(trx, [date], version)
    const provisional = (
      await trx('calendar_years')
        .where({ year: yearOf(date) })
        .first()
    ).provisional as boolean
    const entry: CalendarDay = { date, kind: change.kind, name: change.name.trim(), provisional }
    await insertDays(trx, [entry], version)
    await audit(trx, 'calendar.day.add', date, context, { version, before: before ?? null, after: entry })
    return { version }
  })
}

/** Removes the holiday or make-up working day on a date (the date becomes an ordinary day). */
export async function removeCalendarDay(
  knex: Knex,
  date: string,
  context: ChangeContext,
): Promise<{ version: number }> {
  validateReason(context)
  parseDate(date)
  return knex.transaction(async (trx) => {
    await lockCalendar(trx)
    const version = await newVersion(trx, 'calendar.day.remove', context)
    await materialiseYear(trx, yearOf(date), version)
    const [before] = await closeCurrent(trx, [date], version)
    if (!before) {
      throw new CalendarChangeError('MC_ERR_CALENDAR_DAY_NOT_FOUND', 'not_found', {
        vi: `ngày ${date} không phải ngày nghỉ hay ngày làm bù`,
        en: `${date} is neither a holiday nor a make-up working day`,
      })
    }
    await audit(trx, 'calendar.day.remove', date, context, { version, before })
    return { version }
  })
}

/** Confirms a year against the Government's decision: its days stop being provisional. */
export async function confirmCalendarYear(
  knex: Knex,
  year: number,
  context: ChangeContext,
): Promise<{ version: number }> {
  validateReason(context)
  if (!Number.isInteger(year) || year < 1900 || year > 2199) throw new RangeError(`Not a calendar year: ${year}`)
  return knex.transaction(async (trx) => {
    await lockCalendar(trx)
    const version = await newVersion(trx, 'calendar.year.confirm', context)
    await materialiseYear(trx, year, version)
    // Provisional rows are replaced by confirmed copies, so the history still shows what was provisional when.
    const provisional = (await trx('calendar_days')
      .select(trx.raw('date::text AS date'), 'kind', 'name', 'provisional')
      .whereBetween('date', [`${year}-01-01`, `${year}-12-31`])
      .whereNull('valid_to')
      .andWhere({ provisional: true })) as DayRow[]
    await closeCurrent(
      trx,
      provisional.map((d) => d.date),
      version,
    )
    await insertDays(
      trx,
      provisional.map((d) => ({ ...d, provisional: false })),
      version,
    )
    await trx('calendar_years').where({ year }).update({ provisional: false, confirmed_version: version })
    await audit(trx, 'calendar.year.confirm', String(year), context, { version, confirmedDays: provisional.length })
    return { version }
  })
}

/**
 * Takes the entries in force on the dates out of force at `version`. A row written by this same
 * version (a year materialised a moment ago) is deleted instead: it was never in force.
 */
async function closeCurrent(trx: Knex.Transaction, dates: readonly string[], version: number): Promise<DayRow[]> {
  if (dates.length === 0) return []
  const current = (await trx('calendar_days')
    .select('id', trx.raw('date::text AS date'), 'kind', 'name', 'provisional', 'valid_from')
    .whereIn('date', dates)
    .whereNull('valid_to')) as (DayRow & { id: number; valid_from: number })[]
  const fresh = current.filter((r) => r.valid_from === version).map((r) => r.id)
  const old = current.filter((r) => r.valid_from !== version).map((r) => r.id)
  if (fresh.length) await trx('calendar_days').whereIn('id', fresh).del()
  if (old.length) await trx('calendar_days').whereIn('id', old).update({ valid_to: version })
  return current.map(({ date, kind, name, provisional }) => ({ date, kind, name, provisional }))
}

/** The history of calendar changes, newest first. */
export async function listCalendarVersions(db: Db, limit = 50): Promise<CalendarVersion[]> {
  const rows = await db('calendar_versions').orderBy('version', 'desc').limit(limit)
  return rows.map(
    (r: { version: number; created_at: Date; actor_id: string | null; action: string; reason: string }) => ({
      version: r.version,
      createdAt: r.created_at,
      actorId: r.actor_id,
      action: r.action,
      reason: r.reason,
    }),
  )
}
