// Computes a dossier's due date, step deadlines, status and result from its procedure's duration,
// the settings and the dossier's events (rules R1–R11 of docs/legal-rules.md).
//
// Due dates have two precisions. Whole working days, calendar days and SAME_DAY give a civil date:
// the period ends at the end of that day, and `due.at` is that day's last second
// (YYYY-MM-DDT23:59:59+07:00) for process timers. Working hours and fractional working days give an
// instant inside office hours (R3), and `due.at` is that instant. A dossier is judged on the civil
// date in the first case and on the instant (to the minute) in the second.
import {
  type Day,
  type Instant,
  type OfficeHours,
  type WorkingCalendar,
  MS_PER_MINUTE,
  addWorkingTime,
  defaultOfficeHours,
  formatDate,
  formatInstant,
  instantAt,
  localDay,
  parseDate,
  receiptDay,
  sameDayDueDate,
  toInstant,
  workingDayLength,
  workingTimeBetween,
} from '../calendar/index.js'
import { type Duration, parseDuration } from './duration.js'
import { DeadlineError } from './errors.js'
import type { OpenStatus, Timeliness } from './labels.js'

export type SupplementPolicy = 'RESTART' | 'PAUSE'

export interface DeadlineSettings extends OfficeHours {
  /** Make-up Saturdays count as working days [A]. Default true. */
  countMakeupWorkdays: boolean
  /** R7 [A]: what a supplement requested during processing does to the clock. Default RESTART. */
  supplementPolicy: SupplementPolicy
  /** R9 [A]: status and result are judged against the due date before any extension. Default true. */
  judgeAgainstOriginalDueDate: boolean
}

export const defaultDeadlineSettings: DeadlineSettings = Object.freeze({
  ...defaultOfficeHours,
  countMakeupWorkdays: true,
  supplementPolicy: 'RESTART' as const,
  judgeAgainstOriginalDueDate: true,
})

/** Global settings, then a procedure's overrides: later layers win, undefined keeps the earlier value. */
export function resolveDeadlineSettings(...layers: (Partial<DeadlineSettings> | undefined)[]): DeadlineSettings {
  const settings: DeadlineSettings = { ...defaultDeadlineSettings }
  for (const layer of layers) {
    for (const [key, value] of Object.entries(layer ?? {})) {
      if (value !== undefined) (settings as unknown as Record<string, unknown>)[key] = value
    }
  }
  return settings
}

/** R11: a step of the approved internal procedure and its share of the total, in working days. */
export interface ProcedureStep {
  id: string
  name?: string
  /** The unit (department, agency) responsible. */
  unit?: string
  /** Working days (fractions allowed). 0 for a step with no time of its own (e.g. returning the result). */
  shareDays: number
}

export type TimeInput = string | Date | Instant

export type DossierEvent =
  | { type: 'supplementRequested'; at: TimeInput }
  | { type: 'supplementReceived'; at: TimeInput }
  | { type: 'suspended'; at: TimeInput; reason?: string }
  | { type: 'resumed'; at: TimeInput }
  | { type: 'extensionGranted'; at: TimeInput; newDueDate: string; reason: string }
  | { type: 'stepHandedOff'; at: TimeInput; toStep: string }
  | { type: 'resultAtCounter'; at: TimeInput }

export interface DeadlineInput {
  /** When an officer accepted the complete dossier (not the online submission time). */
  acceptedAt: TimeInput
  duration: Duration | string
  /** R11: the internal procedure's steps; the first starts at acceptance. */
  steps?: readonly ProcedureStep[]
  /** What has happened to the dossier, in any order (sorted by time here). */
  events?: readonly DossierEvent[]
  settings?: Partial<DeadlineSettings>
  now: TimeInput
}

export interface Due {
  /** The civil date of the due (YYYY-MM-DD). */
  date: string
  /** 'day': the period ends at the end of `date`; 'instant': it ends at `at`. */
  precision: 'day' | 'instant'
  /** The instant the period ends (for day precision, 23:59:59 of `date`), ISO with +07:00. */
  at: string
}

export interface StepReport {
  id: string
  name?: string
  unit?: string
  shareDays: number
  receivedAt: string
  deadline: string
  finishedAt?: string
  /** Set when the step is finished. */
  result?: Timeliness
  /** Set while the step is open. */
  status?: OpenStatus
  /** Working days past the step deadline (fractional: step deadlines are instants). */
  workingDaysLate: number
}

export interface DeadlineReport {
  receiptDate: string
  /** Set when a supplement under RESTART started the clock again. */
  reReceiptDate?: string
  /** The due in force: the extended date when an extension was granted. */
  due: Due
  /** The due before any extension (R9: statistics judge against it by default). */
  originalDue: Due
  extension?: { grantedAt: string; newDueDate: string; reason: string }
  steps: StepReport[]
  finishedAt?: string
  /** 'finished' once the result is at the counter, otherwise the open status at `now`. */
  status: OpenStatus | 'finished'
  /** R10, for a finished dossier. */
  result?: Timeliness
  /** Working days past the judged due date: at the finish, or at `now` while open and overdue. */
  workingDaysLate: number
  /** When the current pause (supplement or suspension) began. */
  pausedSince?: string
  /** True when a date involved lies in a provisional (generated, unconfirmed) calendar year. */
  provisional: boolean
}

/** A due inside the computation: a civil date, and the instant when its precision is 'instant'. */
interface DueValue {
  day: Day
  at: Instant | null
}

interface OpenStep {
  step: ProcedureStep
  receivedAt: Instant
  deadline: Instant | null
  finishedAt?: Instant
}

interface Pause {
  kind: 'supplement' | 'suspension'
  from: Instant
}

function eventsError(reason: string, vi: string, en: string): DeadlineError {
  return new DeadlineError('MC_ERR_DOSSIER_EVENTS_INVALID', reason, { vi, en })
}

function extensionRefused(reason: string, vi: string, en: string): DeadlineError {
  return new DeadlineError('MC_ERR_EXTENSION_NOT_ALLOWED', reason, { vi, en })
}

/** The end instant of a due: the instant itself, or 23:59:59 of its date. */
function endOf(due: DueValue): Instant {
  return due.at ?? instantAt(due.day + 1, 0) - 1000
}

function toDue(due: DueValue): Due {
  return { date: formatDate(due.day), precision: due.at === null ? 'day' : 'instant', at: formatInstant(endOf(due)) }
}

function dueValue(due: Due): DueValue {
  return { day: parseDate(due.date), at: due.precision === 'day' ? null : toInstant(due.at) }
}

/** The due of a duration whose clock starts at `start` (acceptance, or re-receipt under RESTART). */
export function computeDue(
  calendar: WorkingCalendar,
  start: Instant,
  duration: Duration,
  settings: DeadlineSettings = defaultDeadlineSettings,
): { receiptDay: Day; due: DueValue } {
  const cal = calendar.withOptions(settings)
  const receipt = receiptDay(cal, start, settings)
  switch (duration.unit) {
    case 'WD':
      if (Number.isInteger(duration.days))
        return { receiptDay: receipt, due: { day: cal.addWorkingDays(receipt, duration.days), at: null } }
      return instantDue(
        receipt,
        addWorkingTime(cal, start, Math.round(duration.days * workingDayLength(settings)), settings),
      )
    case 'WH':
      return instantDue(receipt, addWorkingTime(cal, start, Math.round(duration.hours * 60 * MS_PER_MINUTE), settings))
    case 'CD':
      return { receiptDay: receipt, due: { day: cal.addCalendarDays(receipt, duration.days), at: null } }
    case 'SAME_DAY':
      return { receiptDay: receipt, due: { day: sameDayDueDate(cal, start, settings), at: null } }
  }
}

function instantDue(receipt: Day, at: Instant): { receiptDay: Day; due: DueValue } {
  return { receiptDay: receipt, due: { day: localDay(at), at } }
}

/** R10: early / on time / late. Day dues compare civil dates; instant dues compare to the minute. */
function judge(finishedAt: Instant, due: DueValue): Timeliness {
  const [a, b] =
    due.at === null
      ? [localDay(finishedAt), due.day]
      : [Math.floor(finishedAt / MS_PER_MINUTE), Math.floor(due.at / MS_PER_MINUTE)]
  return a < b ? 'early' : a === b ? 'on_time' : 'late'
}

function isWithin(now: Instant, due: DueValue): boolean {
  return judge(now, due) !== 'late'
}

function workingDaysLate(cal: WorkingCalendar, at: Instant, due: DueValue, settings: DeadlineSettings): number {
  if (judge(at, due) !== 'late') return 0
  if (due.at === null) return Math.max(0, cal.countWorkingDays(due.day, localDay(at)))
  const late = workingTimeBetween(cal, due.at, at, settings) / workingDayLength(settings)
  return Math.max(0, Math.round(late * 100) / 100)
}

/** Computes everything about a dossier's deadline at `now`. Throws DeadlineError when the events break a rule. */
export function computeDeadline(calendar: WorkingCalendar, input: DeadlineInput): DeadlineReport {
  const settings = resolveDeadlineSettings(input.settings)
  const cal = calendar.withOptions(settings)
  const duration = typeof input.duration === 'string' ? parseDuration(input.duration) : input.duration
  const acceptedAt = toInstant(input.acceptedAt)
  const now = toInstant(input.now)
  const perDay = workingDayLength(settings)
  const steps = input.steps ?? []
  for (const s of steps) {
    if (!(s.shareDays >= 0))
      throw eventsError(
        'invalid_step_share',
        `bước ${s.id} có phần thời gian không hợp lệ`,
        `step ${s.id} has an invalid share`,
      )
  }

  const start = computeDue(cal, acceptedAt, duration, settings)
  const receipt = start.receiptDay
  let reReceipt: Day | undefined
  let due = start.due
  let originalDue = start.due
  let extension: DeadlineReport['extension']
  let pause: Pause | undefined
  let supplementUsed = false
  let finishedAt: Instant | undefined
  const stepLog: OpenStep[] = []
  let openStep: OpenStep | undefined

  const stepDeadline = (step: ProcedureStep, receivedAt: Instant): Instant | null =>
    step.shareDays > 0 ? addWorkingTime(cal, receivedAt, Math.round(step.shareDays * perDay), settings) : null
  const openStepAt = (step: ProcedureStep, at: Instant): void => {
    openStep = { step, receivedAt: at, deadline: stepDeadline(step, at) }
    stepLog.push(openStep)
  }
  const shift = (value: DueValue, from: Instant, to: Instant): DueValue => {
    if (value.at === null)
      return {
        day: cal.addWorkingDays(value.day, Math.max(0, cal.countWorkingDays(localDay(from), localDay(to)))),
        at: null,
      }
    const at = addWorkingTime(cal, value.at, Math.max(0, workingTimeBetween(cal, from, to, settings)), settings)
    return { day: localDay(at), at }
  }
  /** R7 PAUSE and R8: the clock stands still from `from` to `to`. */
  const pauseClock = (from: Instant, to: Instant): void => {
    due = shift(due, from, to)
    originalDue = shift(originalDue, from, to)
    if (openStep?.deadline != null) {
      openStep.deadline = addWorkingTime(
        cal,
        openStep.deadline,
        Math.max(0, workingTimeBetween(cal, from, to, settings)),
        settings,
      )
    }
  }

  if (steps[0]) openStepAt(steps[0], acceptedAt)

  const events = (input.events ?? [])
    .map((event, order) => ({ event, at: toInstant(event.at), order }))
    .sort((a, b) => a.at - b.at || a.order - b.order)

  for (const { event, at } of events) {
    if (at < acceptedAt) {
      throw eventsError(
        'before_acceptance',
        `sự kiện ${event.type} xảy ra trước khi tiếp nhận hồ sơ`,
        `${event.type} happened before the dossier was accepted`,
      )
    }
    if (finishedAt !== undefined) {
      throw eventsError(
        'after_result',
        `sự kiện ${event.type} xảy ra sau khi đã có kết quả`,
        `${event.type} happened after the result reached the counter`,
      )
    }
    switch (event.type) {
      case 'supplementRequested':
        if (supplementUsed) {
          throw new DeadlineError('MC_ERR_SUPPLEMENT_NOT_ALLOWED', 'already_requested', {
            vi: 'trong quá trình giải quyết chỉ được yêu cầu bổ sung một lần',
            en: 'a supplement may be requested only once during processing',
          })
        }
        if (pause) throw eventsError('already_paused', 'hồ sơ đang tạm dừng', 'the dossier is already paused')
        supplementUsed = true
        pause = { kind: 'supplement', from: at }
        break
      case 'supplementReceived':
        if (pause?.kind !== 'supplement') {
          throw eventsError(
            'no_open_supplement',
            'nhận bổ sung khi không có yêu cầu bổ sung',
            'a supplement was received but none was requested',
          )
        }
        if (settings.supplementPolicy === 'RESTART') {
          // R7 RESTART: the full duration runs again from the re-receipt; the new appointment
          // replaces the old one and any extension of it.
          const restarted = computeDue(cal, at, duration, settings)
          reReceipt = restarted.receiptDay
          due = originalDue = restarted.due
          extension = undefined
          if (openStep) {
            openStep.receivedAt = at
            openStep.deadline = stepDeadline(openStep.step, at)
          }
        } else {
          pauseClock(pause.from, at)
        }
        pause = undefined
        break
      case 'suspended':
        if (pause) throw eventsError('already_paused', 'hồ sơ đang tạm dừng', 'the dossier is already paused')
        pause = { kind: 'suspension', from: at }
        break
      case 'resumed':
        if (pause?.kind !== 'suspension')
          throw eventsError(
            'not_suspended',
            'tiếp tục khi hồ sơ không tạm dừng',
            'resumed a dossier that was not suspended',
          )
        pauseClock(pause.from, at)
        pause = undefined
        break
      case 'extensionGranted':
        due = grantExtension(cal, event, at, due, extension !== undefined)
        extension = { grantedAt: formatInstant(at), newDueDate: event.newDueDate, reason: event.reason.trim() }
        break
      case 'stepHandedOff': {
        const next = steps.find((s) => s.id === event.toStep)
        if (!next)
          throw eventsError(
            'unknown_step',
            `không có bước "${event.toStep}" trong quy trình`,
            `the procedure has no step "${event.toStep}"`,
          )
        if (openStep) openStep.finishedAt = at
        openStepAt(next, at)
        break
      }
      case 'resultAtCounter':
        if (pause)
          throw eventsError(
            'paused',
            'hồ sơ đang tạm dừng, chưa thể trả kết quả',
            'the dossier is paused; resume it before returning the result',
          )
        finishedAt = at
        if (openStep) openStep.finishedAt = at
        openStep = undefined
        break
    }
  }

  const judgedDue = settings.judgeAgainstOriginalDueDate ? originalDue : due
  const stepReports = stepLog.map((s): StepReport => {
    // A step with no share of its own must be done by the dossier's due (R11: "the return step may be 0").
    const deadline: DueValue =
      s.deadline === null ? { day: due.day, at: endOf(due) } : { day: localDay(s.deadline), at: s.deadline }
    const report: StepReport = {
      id: s.step.id,
      ...(s.step.name === undefined ? {} : { name: s.step.name }),
      ...(s.step.unit === undefined ? {} : { unit: s.step.unit }),
      shareDays: s.step.shareDays,
      receivedAt: formatInstant(s.receivedAt),
      deadline: formatInstant(deadline.at!),
      workingDaysLate: workingDaysLate(cal, s.finishedAt ?? now, deadline, settings),
    }
    if (s.finishedAt !== undefined) {
      report.finishedAt = formatInstant(s.finishedAt)
      report.result = judge(s.finishedAt, deadline)
    } else {
      report.status = pause ? 'paused' : isWithin(now, deadline) ? 'within' : 'overdue'
      if (pause) report.workingDaysLate = 0
    }
    return report
  })

  const report: DeadlineReport = {
    receiptDate: formatDate(receipt),
    ...(reReceipt === undefined ? {} : { reReceiptDate: formatDate(reReceipt) }),
    due: toDue(due),
    originalDue: toDue(originalDue),
    ...(extension ? { extension } : {}),
    steps: stepReports,
    status: 'within',
    workingDaysLate: 0,
    provisional: [receipt, due.day, originalDue.day].some((d) => cal.isProvisional(d)),
  }
  if (finishedAt !== undefined) {
    report.finishedAt = formatInstant(finishedAt)
    report.status = 'finished'
    report.result = judge(finishedAt, judgedDue)
    report.workingDaysLate = workingDaysLate(cal, finishedAt, judgedDue, settings)
  } else if (pause) {
    // R10: a dossier waiting for the applicant counts as within the deadline.
    report.status = 'paused'
    report.pausedSince = formatInstant(pause.from)
  } else {
    report.status = isWithin(now, judgedDue) ? 'within' : 'overdue'
    report.workingDaysLate = workingDaysLate(cal, now, judgedDue, settings)
  }
  return report
}

/** R9: once, with a reason, issued at least 1 working day before the due date, to a later working day. */
function grantExtension(
  cal: WorkingCalendar,
  event: Extract<DossierEvent, { type: 'extensionGranted' }>,
  at: Instant,
  due: DueValue,
  alreadyExtended: boolean,
): DueValue {
  if (alreadyExtended) {
    throw extensionRefused('already_extended', 'hồ sơ chỉ được gia hạn một lần', 'a dossier may be extended only once')
  }
  if (typeof event.reason !== 'string' || event.reason.trim() === '') {
    throw extensionRefused('reason_required', 'phải ghi rõ lý do gia hạn', 'the reason for the extension is required')
  }
  let newDue: Day
  try {
    newDue = parseDate(event.newDueDate)
  } catch {
    throw extensionRefused(
      'invalid_new_date',
      `ngày hẹn mới "${event.newDueDate}" không hợp lệ`,
      `the new due date "${event.newDueDate}" is not a date`,
    )
  }
  // Issued on the working day before the due date at the latest (a Saturday before a Monday due is too late).
  if (localDay(at) > cal.subtractWorkingDays(due.day, 1)) {
    throw extensionRefused(
      'too_late',
      `phiếu gia hạn phải được lập chậm nhất 01 ngày làm việc trước ngày hẹn ${formatDate(due.day)}`,
      `an extension must be issued at least 1 working day before the due date ${formatDate(due.day)}`,
    )
  }
  if (newDue <= due.day) {
    throw extensionRefused(
      'not_later',
      `ngày hẹn mới phải sau ngày hẹn ${formatDate(due.day)}`,
      `the new due date must be after ${formatDate(due.day)}`,
    )
  }
  if (!cal.isWorkingDay(newDue)) {
    throw extensionRefused(
      'not_a_working_day',
      `ngày hẹn mới ${event.newDueDate} không phải ngày làm việc`,
      `the new due date ${event.newDueDate} is not a working day`,
    )
  }
  return { day: newDue, at: null }
}

/**
 * The instant to remind officers `workingDaysBefore` working days before a due: for a day due, the
 * opening of the office on that earlier working day; for an instant due, the same working time earlier.
 */
export function reminderAt(
  calendar: WorkingCalendar,
  due: Due,
  workingDaysBefore: number,
  settings: Partial<DeadlineSettings> = {},
): string {
  const resolved = resolveDeadlineSettings(settings)
  const cal = calendar.withOptions(resolved)
  const value = dueValue(due)
  if (value.at === null) {
    const day = cal.subtractWorkingDays(value.day, workingDaysBefore)
    return formatInstant(instantAt(day, resolved.officeWindows[0]!.start * MS_PER_MINUTE))
  }
  return formatInstant(
    addWorkingTime(cal, value.at, -Math.round(workingDaysBefore * workingDayLength(resolved)), resolved),
  )
}

/** The value a CLI or API shows for a due: the date for day precision, the instant otherwise. */
export function dueDisplay(due: Due): string {
  return due.precision === 'day' ? due.date : due.at
}
