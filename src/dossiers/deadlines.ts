// A dossier's deadlines: replays its recorded deadline events through computeDeadline on the calendar in the database.
import type { Knex } from 'knex'
import { currentCalendarVersion, loadWorkingCalendar } from '../db/calendar-repository.js'
import type { WorkingCalendar } from '../domain/calendar/index.js'
import { CalendarRangeError } from '../domain/calendar/calendar.js'
import {
  computeDeadline,
  DeadlineError,
  type DeadlineReport,
  type DossierEvent,
  type ProcedureStep,
} from '../domain/deadlines/index.js'
import type { ProcedureDefinition } from '../catalogue/definition.js'
import { AppError, asAppError } from '../errors.js'

const calendars = new Map<string, WorkingCalendar>()

/**
 * The working calendar around `at` (the year before through two years after, so a long duration or a
 * late result stays inside it), cached per calendar version: an administrator's change makes a new version.
 */
export async function calendarAround(db: Knex | Knex.Transaction, at: Date): Promise<WorkingCalendar> {
  const year = Number(new Intl.DateTimeFormat('en', { timeZone: 'Asia/Ho_Chi_Minh', year: 'numeric' }).format(at))
  const version = await currentCalendarVersion(db)
  const key = `${version}:${year}`
  let calendar = calendars.get(key)
  if (!calendar) {
    calendar = await loadWorkingCalendar(db, year - 1, year + 2)
    if (calendars.size > 20) calendars.clear()
    calendars.set(key, calendar)
  }
  return calendar
}

/** R11 steps of the procedure, as computeDeadline takes them. */
export function procedureSteps(def: ProcedureDefinition): ProcedureStep[] {
  return (def.steps ?? []).map((s) => ({ id: s.id, name: s.name, unit: s.unitRole, shareDays: s.shareWorkingDays }))
}

export interface DeadlineSubject {
  accepted_at: Date | null
  deadline_events: DossierEvent[]
}

/** The deadline report of an accepted dossier at `now`, with `extra` events appended (not yet stored). */
export async function dossierDeadline(
  db: Knex | Knex.Transaction,
  dossier: DeadlineSubject,
  def: ProcedureDefinition,
  now: Date,
  extra: DossierEvent[] = [],
): Promise<DeadlineReport> {
  if (!dossier.accepted_at)
    throw new AppError('MC_ERR_DOSSIER_STATE', 'The dossier has not been accepted, so it has no deadline yet')
  const calendar = await calendarAround(db, dossier.accepted_at)
  try {
    return computeDeadline(calendar, {
      acceptedAt: dossier.accepted_at,
      duration: def.duration,
      steps: procedureSteps(def),
      events: [...dossier.deadline_events, ...extra],
      settings: { supplementPolicy: def.supplementPolicy },
      now,
    })
  } catch (err) {
    // A broken deadline rule reaches the command's caller as an AppError with its code and reason, like any refusal;
    // anything else is a fault and goes up as it is.
    throw err instanceof DeadlineError || err instanceof CalendarRangeError ? asAppError(err) : err
  }
}

/** The due date and instant columns of a report. */
export function dueColumns(report: DeadlineReport) {
  return {
    due_date: report.due.date,
    due_at: new Date(report.due.at),
    original_due_date: report.originalDue.date,
    original_due_at: new Date(report.originalDue.at),
  }
}
