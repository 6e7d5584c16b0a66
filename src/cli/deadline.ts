// `motcua deadline`: computes a dossier's appointment date from the command line, with the calendar in the database.
import { parseArgs } from 'node:util'
import type { Knex } from 'knex'
import { migrateLatest } from '../db/migrate.js'
import { loadWorkingCalendar, seedCalendar } from '../db/calendar-repository.js'
import { localDay, parseClock, parseInstant, parseOfficeWindows, ymdOfDay } from '../domain/calendar/index.js'
import {
  DeadlineError,
  computeDeadline,
  dueDisplay,
  formatDuration,
  parseDuration,
  type DeadlineSettings,
  type DossierEvent,
} from '../domain/deadlines/index.js'

export interface DeadlineCommandDeps {
  /** Opens the database; the command migrates it and seeds the calendar when empty. */
  openDb(): Promise<{ knex: Knex; close(): Promise<void> }>
  stdout?: { write(text: string): unknown }
  stderr?: { write(text: string): unknown }
  /** The clock, for the status; defaults to the system clock. */
  now?: () => Date
}

export const deadlineUsage = `Usage: motcua deadline --accepted <ISO date-time> --duration <5WD|0.5WD|4WH|30CD|SAME_DAY> [options]

Computes the appointment date (ngày hẹn trả kết quả) and prints one JSON object.

Options:
  --accepted <time>            when the complete dossier was accepted, e.g. 2026-03-02T09:15:00+07:00
  --duration <duration>        the procedure's processing time
  --cutoff <HH:MM>             receipt cut-off (default 17:00): accepted at/after it → received the next working day
  --office-hours <windows>     office windows (default 08:00-12:00,13:00-17:00)
  --no-makeup-saturdays        make-up Saturdays (ngày làm bù) do not count as working days
  --supplement-policy <p>      RESTART (default) or PAUSE
  --supplement <FROM/TO>       supplement requested at FROM, re-received at TO (TO may be left out: still waiting)
  --suspend <FROM/TO>          a suspension (repeatable; TO may be left out on the last one)
  --result-at <time>           when the result reached the one-stop counter (gives the result: early/on_time/late)
  --now <time>                 the time to judge the status at (default: now)
  -h, --help                   show this help

Times are ISO 8601 with an offset (+07:00) or a bare date YYYY-MM-DD (midnight in Vietnam).`

class UsageError extends Error {}

function parsePeriod(option: string, text: string, start: DossierEvent['type'], end: DossierEvent['type']): DossierEvent[] {
  const [from, to, extra] = text.split('/')
  if (!from || extra !== undefined || to === '') throw new UsageError(`--${option} takes FROM/TO or FROM, got ${JSON.stringify(text)}`)
  const events = [{ type: start, at: instant(`--${option}`, from) }] as DossierEvent[]
  if (to !== undefined) events.push({ type: end, at: instant(`--${option}`, to) } as DossierEvent)
  return events
}

/** Runs a parser for an option, turning its error into a usage error that names the option. */
function option<T>(name: string, parse: () => T): T {
  try {
    return parse()
  } catch (err) {
    throw new UsageError(`${name}: ${(err as Error).message}`)
  }
}

function instant(name: string, text: string): number {
  return option(name, () => parseInstant(text))
}

function readArguments(argv: string[], now: Date) {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    allowPositionals: false,
    options: {
      accepted: { type: 'string' },
      duration: { type: 'string' },
      cutoff: { type: 'string' },
      'office-hours': { type: 'string' },
      'no-makeup-saturdays': { type: 'boolean' },
      'supplement-policy': { type: 'string' },
      supplement: { type: 'string' },
      suspend: { type: 'string', multiple: true },
      'result-at': { type: 'string' },
      now: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  })
  if (values.help) return { help: true as const }
  if (!values.accepted) throw new UsageError('--accepted is required (e.g. --accepted 2026-03-02T09:15:00+07:00)')
  if (!values.duration) throw new UsageError('--duration is required (e.g. --duration 5WD)')
  const acceptedAt = instant('--accepted', values.accepted)
  const duration = option('--duration', () => parseDuration(values.duration!))
  const settings: Partial<DeadlineSettings> = {}
  if (values.cutoff !== undefined) settings.receiptCutoff = option('--cutoff', () => parseClock(values.cutoff!))
  if (values['office-hours'] !== undefined) settings.officeWindows = option('--office-hours', () => parseOfficeWindows(values['office-hours']!))
  if (values['no-makeup-saturdays']) settings.countMakeupWorkdays = false
  const policy = values['supplement-policy']
  if (policy !== undefined) {
    if (policy !== 'RESTART' && policy !== 'PAUSE') throw new UsageError(`--supplement-policy must be RESTART or PAUSE, got ${JSON.stringify(policy)}`)
    settings.supplementPolicy = policy
  }
  const events: DossierEvent[] = []
  if (values.supplement) events.push(...parsePeriod('supplement', values.supplement, 'supplementRequested', 'supplementReceived'))
  for (const period of values.suspend ?? []) events.push(...parsePeriod('suspend', period, 'suspended', 'resumed'))
  if (values['result-at']) events.push({ type: 'resultAtCounter', at: instant('--result-at', values['result-at']) })
  const nowAt = values.now ? instant('--now', values.now) : now.getTime()
  return { help: false as const, acceptedAt, duration, settings, events, now: nowAt }
}

/** Runs `motcua deadline …`; returns the exit code (0 done, 2 bad arguments, 1 other failure). */
export async function runDeadlineCommand(argv: string[], deps: DeadlineCommandDeps): Promise<number> {
  const stdout = deps.stdout ?? process.stdout
  const stderr = deps.stderr ?? process.stderr
  let args: ReturnType<typeof readArguments>
  try {
    args = readArguments(argv, deps.now?.() ?? new Date())
  } catch (err) {
    if (err instanceof UsageError || (err as NodeJS.ErrnoException).code?.startsWith('ERR_PARSE_ARGS')) {
      stderr.write(`motcua deadline: ${(err as Error).message}\n\n${deadlineUsage}\n`)
      return 2
    }
    throw err
  }
  if (args.help) {
    stdout.write(deadlineUsage + '\n')
    return 0
  }

  const db = await deps.openDb()
  try {
    await migrateLatest(db.knex)
    await seedCalendar(db.knex)
    // Enough years for long durations and late events; out-of-range dates fail with a clear error.
    const years = [args.acceptedAt, args.now, ...args.events.map((e) => e.at as number)].map((at) => ymdOfDay(localDay(at)).year)
    const calendar = await loadWorkingCalendar(db.knex, Math.min(...years) - 1, Math.max(...years) + 2)
    const report = computeDeadline(calendar, {
      acceptedAt: args.acceptedAt,
      duration: args.duration,
      events: args.events,
      settings: args.settings,
      now: args.now,
    })
    const output = {
      duration: formatDuration(args.duration),
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
    stdout.write(JSON.stringify(output) + '\n')
    return 0
  } catch (err) {
    if (err instanceof DeadlineError) {
      stderr.write(`motcua deadline: ${err.messages.vi}\n${err.messages.en} (${err.code})\n`)
      return 2
    }
    if (err instanceof RangeError) {
      stderr.write(`motcua deadline: ${err.message}\n`)
      return 2
    }
    throw err
  } finally {
    await db.close()
  }
}
