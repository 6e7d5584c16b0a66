// A deadline computed on the calendar in the database, from text inputs: shared by `motcua deadline` and GET
// /api/calendar/deadline.
import type { Knex } from 'knex'
import { loadWorkingCalendar } from '../db/calendar-repository.js'
import { localDay, parseClock, parseInstant, parseOfficeWindows, ymdOfDay } from '../domain/calendar/index.js'
import {
  computeDeadline,
  dueDisplay,
  formatDuration,
  parseDuration,
  type DeadlineSettings,
  type DossierEvent,
  type Duration,
} from '../domain/deadlines/index.js'

/** The inputs as people type them (CLI options, query parameters). */
export interface DeadlinePreviewArgs {
  accepted: string
  duration: string
  cutoff?: string
  officeHours?: string
  /** Make-up Saturdays do not count as working days. */
  noMakeupSaturdays?: boolean
  supplementPolicy?: string
  /** FROM/TO or FROM (still waiting). */
  supplement?: string
  suspend?: string[]
  resultAt?: string
  now?: string
}

export interface DeadlinePreviewInput {
  acceptedAt: number
  duration: Duration
  settings: Partial<DeadlineSettings>
  events: DossierEvent[]
  now: number
}

/** An input that cannot be read; `argument` says which, `cause` keeps a coded domain error. */
export class PreviewArgumentError extends Error {
  constructor(
    readonly argument: keyof DeadlinePreviewArgs,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options)
    this.name = 'PreviewArgumentError'
  }
}

/** Reads the text inputs; `label` names an argument in messages (`--accepted` for the CLI, `accepted` for the API). */
export function readPreviewArgs(
  args: DeadlinePreviewArgs,
  now: number,
  label: (argument: keyof DeadlinePreviewArgs) => string,
): DeadlinePreviewInput {
  const read = <T>(argument: keyof DeadlinePreviewArgs, parse: () => T): T => {
    try {
      return parse()
    } catch (err) {
      throw new PreviewArgumentError(argument, `${label(argument)}: ${(err as Error).message}`, { cause: err })
    }
  }
  const instant = (argument: keyof DeadlinePreviewArgs, text: string) => read(argument, () => parseInstant(text))
  const period = (
    argument: 'supplement' | 'suspend',
    text: string,
    start: DossierEvent['type'],
    end: DossierEvent['type'],
  ): DossierEvent[] => {
    const [from, to, extra] = text.split('/')
    if (!from || extra !== undefined || to === '')
      throw new PreviewArgumentError(argument, `${label(argument)} takes FROM/TO or FROM, got ${JSON.stringify(text)}`)
    const events = [{ type: start, at: instant(argument, from) }] as DossierEvent[]
    if (to !== undefined) events.push({ type: end, at: instant(argument, to) } as DossierEvent)
    return events
  }

  const acceptedAt = instant('accepted', args.accepted)
  const duration = read('duration', () => parseDuration(args.duration))
  const settings: Partial<DeadlineSettings> = {}
  if (args.cutoff !== undefined) settings.receiptCutoff = read('cutoff', () => parseClock(args.cutoff!))
  if (args.officeHours !== undefined)
    settings.officeWindows = read('officeHours', () => parseOfficeWindows(args.officeHours!))
  if (args.noMakeupSaturdays) settings.countMakeupWorkdays = false
  const policy = args.supplementPolicy
  if (policy !== undefined) {
    if (policy !== 'RESTART' && policy !== 'PAUSE')
      throw new PreviewArgumentError(
        'supplementPolicy',
        `${label('supplementPolicy')} must be RESTART or PAUSE, got ${JSON.stringify(policy)}`,
      )
    settings.supplementPolicy = policy
  }
  const events: DossierEvent[] = []
  if (args.supplement)
    events.push(...period('supplement', args.supplement, 'supplementRequested', 'supplementReceived'))
  for (const p of args.suspend ?? []) events.push(...period('suspend', p, 'suspended', 'resumed'))
  if (args.resultAt) events.push({ type: 'resultAtCounter', at: instant('resultAt', args.resultAt) })
  return { acceptedAt, duration, settings, events, now: args.now ? instant('now', args.now) : now }
}

export interface DeadlinePreview {
  duration: string
  receiptDate: string
  reReceiptDate?: string
  /** The due as people read it: a date, or a date-time for instant dues. */
  due: string
  dueDate: string
  dueAt: string
  precision: 'day' | 'instant'
  status: string
  result?: string
  workingDaysLate: number
  pausedSince?: string
  /** A date involved lies in a year whose calendar is generated, not yet confirmed. */
  provisional: boolean
  calendarVersion: number | null
}

/** Computes the deadline on the calendar as it is in the database now. */
export async function previewDeadline(knex: Knex, input: DeadlinePreviewInput): Promise<DeadlinePreview> {
  // Enough years for long durations and late events; out-of-range dates fail with a clear error.
  const years = [input.acceptedAt, input.now, ...input.events.map((e) => e.at as number)].map(
    (at) => ymdOfDay(localDay(at)).year,
  )
  const calendar = await loadWorkingCalendar(knex, Math.min(...years) - 1, Math.max(...years) + 2)
  const report = computeDeadline(calendar, input)
  return {
    duration: formatDuration(input.duration),
    receiptDate: report.receiptDate,
    ...(report.reReceiptDate ? { reReceiptDate: report.reReceiptDate } : {}),
    due: dueDisplay(report.due),
    dueDate: report.due.date,
    dueAt: report.due.at,
    precision: report.due.precision,
    status: report.status,
    ...(report.result ? { result: report.result } : {}),
    workingDaysLate: report.workingDaysLate,
    ...(report.pausedSince ? { pausedSince: report.pausedSince } : {}),
    provisional: report.provisional,
    calendarVersion: calendar.version ?? null,
  }
}
