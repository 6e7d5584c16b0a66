// Rules for an administrator's change to the calendar: what may be added or removed, and why not.
import { problems } from '../../problem-catalogue.js'
import { DomainError } from '../domain-error.js'
import { formatDate, isWeekend, parseDate } from './civil-time.js'
import type { CalendarDayKind } from './calendar.js'

/** The codes a calendar change is refused with; their messages and statuses are in src/errors.ts. */
export type CalendarChangeErrorCode = 'MC_ERR_CALENDAR_CHANGE_INVALID' | 'MC_ERR_CALENDAR_DAY_NOT_FOUND'

export class CalendarChangeError extends DomainError<CalendarChangeErrorCode> {
  constructor(code: CalendarChangeErrorCode, reason: string, detail: { vi: string; en: string }) {
    super(code, reason, problems[code], detail)
    this.name = 'CalendarChangeError'
  }
}

export interface CalendarDayChange {
  date: string
  kind: CalendarDayKind
  name: string
}

/** Who changes the calendar and why: both are recorded in the audit log. */
export interface ChangeContext {
  /** The administrator's user id; undefined for the system (seeding). */
  actorId?: string
  reason: string
}

function invalid(reason: string, vi: string, en: string): CalendarChangeError {
  return new CalendarChangeError('MC_ERR_CALENDAR_CHANGE_INVALID', reason, { vi, en })
}

/** A holiday must be a weekday and a make-up working day a weekend day, or the entry would change nothing. */
export function validateCalendarDayChange(change: CalendarDayChange, context: ChangeContext): void {
  validateReason(context)
  let day: number
  try {
    day = parseDate(change.date)
  } catch {
    throw invalid(
      'invalid_date',
      `"${change.date}" không phải ngày (YYYY-MM-DD)`,
      `"${change.date}" is not a date (YYYY-MM-DD)`,
    )
  }
  if (change.kind !== 'holiday' && change.kind !== 'makeup_workday') {
    throw invalid(
      'invalid_kind',
      'loại ngày phải là holiday hoặc makeup_workday',
      'the kind must be holiday or makeup_workday',
    )
  }
  if (typeof change.name !== 'string' || change.name.trim() === '')
    throw invalid('name_required', 'phải có tên ngày', 'a name is required')
  if (change.kind === 'holiday' && isWeekend(day)) {
    throw invalid(
      'holiday_on_weekend',
      `${formatDate(day)} là ngày nghỉ hằng tuần`,
      `${formatDate(day)} is a weekend day already`,
    )
  }
  if (change.kind === 'makeup_workday' && !isWeekend(day)) {
    throw invalid(
      'makeup_on_weekday',
      `${formatDate(day)} không phải thứ Bảy hoặc Chủ nhật`,
      `${formatDate(day)} is not a weekend day`,
    )
  }
}

export function validateReason(context: ChangeContext): void {
  if (typeof context.reason !== 'string' || context.reason.trim() === '') {
    throw invalid('reason_required', 'phải ghi rõ lý do thay đổi', 'the reason for the change is required')
  }
}
