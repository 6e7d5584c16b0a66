// `motcua deadline`: computes a dossier's appointment date from the command line, with the calendar in the database.
import { parseArgs } from 'node:util'
import type { Knex } from 'knex'
import { migrateLatest } from '../db/migrate.js'
import { seedCalendar } from '../db/calendar-repository.js'
import { DeadlineError } from '../domain/deadlines/index.js'
import {
  PreviewArgumentError,
  previewDeadline,
  readPreviewArgs,
  type DeadlinePreviewArgs,
} from '../calendar/deadline-preview.js'

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

const optionName: Record<keyof DeadlinePreviewArgs, string> = {
  accepted: '--accepted',
  duration: '--duration',
  cutoff: '--cutoff',
  officeHours: '--office-hours',
  noMakeupSaturdays: '--no-makeup-saturdays',
  supplementPolicy: '--supplement-policy',
  supplement: '--supplement',
  suspend: '--suspend',
  resultAt: '--result-at',
  now: '--now',
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
  try {
    const input = readPreviewArgs(
      {
        accepted: values.accepted,
        duration: values.duration,
        cutoff: values.cutoff,
        officeHours: values['office-hours'],
        noMakeupSaturdays: values['no-makeup-saturdays'],
        supplementPolicy: values['supplement-policy'],
        supplement: values.supplement,
        suspend: values.suspend,
        resultAt: values['result-at'],
        now: values.now,
      },
      now.getTime(),
      (argument) => optionName[argument],
    )
    return { help: false as const, input }
  } catch (err) {
    if (err instanceof PreviewArgumentError) throw new UsageError(err.message)
    throw err
  }
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
    const output = await previewDeadline(db.knex, args.input)
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
