// Supervision for leaders: scope checks, the calendar, and the pure statistics over what the repository loads.
import type { Knex } from 'knex'
import { requireAccess } from '../auth/access.js'
import type { Principal } from '../auth/principal.js'
import { loadWorkingCalendar } from '../db/calendar-repository.js'
import {
  type WorkingCalendar,
  formatDate,
  instantAt,
  localDay,
  MS_PER_DAY,
  parseDate,
  ymdOfDay,
} from '../domain/calendar/index.js'
import {
  type Indicators766,
  type Period,
  type PeriodInput,
  type Report06a,
  compute766,
  calendarYears,
  periodEnd,
  periodStart,
  report06aFromCounts,
  resolvePeriod,
} from '../domain/statistics/index.js'
import { AppError } from '../errors.js'
import { toCsv, toXlsx } from './export-06a.js'
import { ReportGate } from './report-gate.js'
import { SupervisionRepository, type UnitView } from './repository.js'

export interface Scope {
  unitId: string
  unitPath: string
}

export interface OverdueItem {
  dossierId: string
  code: string | null
  procedureCode: string
  procedureName: string
  status: number
  step: { id: string | null; name: string | null; unitRole: string | null; unitPath: string | null }
  holder: { userId: string | null; name: string | null; since: Date | null }
  agency: { unitId: string; name: string }
  /** The due statistics judge against (R9: before any extension). */
  dueDate: string | null
  /** The date in force after an extension, when it differs. */
  extendedTo: string | null
  overdue: boolean
  /** Working days in (due date, today]; 0 when due soon. */
  workingDaysLate: number
  taskKey: string | null
}

export class SupervisionService {
  readonly repo: SupervisionRepository
  private readonly calendars = new Map<string, Promise<WorkingCalendar>>()

  constructor(
    private readonly knex: Knex,
    private readonly clock: () => Date = () => new Date(),
    /** Report computations at once (06a, 766, bottlenecks, handling units, heatmap); the rest wait, then get 503. */
    readonly gate: ReportGate = new ReportGate({ maxConcurrent: 2, queueTimeoutMs: 15_000 }),
  ) {
    this.repo = new SupervisionRepository(knex)
  }

  /** The calendar over the years a computation touches (cached; a change takes effect with the next process). */
  calendar(fromYear: number, toYear: number): Promise<WorkingCalendar> {
    const key = `${fromYear}-${toYear}`
    let cal = this.calendars.get(key)
    if (!cal) {
      cal = loadWorkingCalendar(this.knex, fromYear, toYear)
      this.calendars.set(key, cal)
      cal.catch(() => this.calendars.delete(key))
    }
    return cal
  }

  /** The supervisor's own unit, or a unit below it; another subtree answers 403 (and is audited). */
  async scope(principal: Principal | undefined, unitId?: string): Promise<Scope> {
    const caller = await requireAccess(this.knex, { principal, permission: 'supervision.read' })
    const id = unitId ?? caller.unitId
    if (!id) throw new AppError('MC_ERR_FORBIDDEN', 'You have no unit')
    const unitPath = await this.repo.unitPath(id)
    if (!unitPath) throw new AppError('MC_ERR_NOT_FOUND', `unit ${id}`)
    await requireAccess(this.knex, {
      principal,
      permission: 'supervision.read',
      unitPath,
      subject: { type: 'unit', id },
    })
    return { unitId: id, unitPath }
  }

  period(input: PeriodInput): Period {
    try {
      return resolvePeriod(input)
    } catch (err) {
      throw new AppError('MC_ERR_VALIDATION', (err as Error).message)
    }
  }

  /** Report 06a as the file an office files: CSV (UTF-8 with a BOM) or XLSX, titled with the unit's name. */
  async report06aFile(scope: Scope, period: Period, format: 'csv' | 'xlsx'): Promise<string | Buffer> {
    const report = await this.report06a(scope, period)
    const ctx = { unitName: await this.repo.unitName(scope.unitId), madeAt: this.clock() }
    return format === 'csv' ? toCsv(report, ctx) : toXlsx(report, ctx)
  }

  /**
   * From the pre-aggregated counts; the same numbers as compute06a over the period's facts
   * (test/supervision-counts.test.ts).
   */
  async report06a(scope: Scope, period: Period, groupBy: 'field' | 'unit' = 'field'): Promise<Report06a> {
    return this.gate.run(async () => {
      const seenAt = Math.min(periodEnd(period) - 1, this.clock().getTime())
      const counts = await this.repo.reportCounts({
        unitPath: scope.unitPath,
        from: formatDate(period.from),
        to: formatDate(period.to),
        seenAt,
        groupBy,
      })
      return report06aFromCounts(counts, period)
    })
  }

  async indicators766(scope: Scope, period: Period): Promise<Indicators766> {
    return this.gate.run(async () => {
      const facts = await this.repo.facts({
        unitPath: scope.unitPath,
        to: formatDate(period.to),
        start: periodStart(period),
        groupBy: 'field',
      })
      const cal = await this.calendar(...calendarYears(period, facts))
      return compute766(facts, period, this.clock().getTime(), cal)
    })
  }

  /** Overdue dossiers, and with `dueSoonDays` > 0 also those due within that many working days from today. */
  async overdue(
    scope: Scope,
    opts: { dueSoonDays: number; limit: number; cursor?: string },
  ): Promise<{ items: OverdueItem[]; nextCursor: string | null }> {
    const now = this.clock().getTime()
    const today = localDay(now)
    const year = ymdOfDay(today).year
    const cal = await this.calendar(year - 2, year + 1)
    // Due soon: the original due ends before the end of the N-th working day after today.
    const limit = opts.dueSoonDays > 0 ? instantAt(cal.addWorkingDays(today, opts.dueSoonDays), MS_PER_DAY) : now
    const after = opts.cursor ? decodeCursor(opts.cursor) : undefined
    const rows = await this.repo.overdue(scope.unitPath, limit, opts.limit + 1, after)
    const items = rows.slice(0, opts.limit).map((r): OverdueItem => {
      const dueDay = r.original_due_date ? parseDate(r.original_due_date) : localDay(r.judged_due_at.getTime())
      const overdue = r.judged_due_at.getTime() < now
      const late = overdue && dueDay >= cal.firstDay ? Math.max(0, cal.countWorkingDays(dueDay, today)) : 0
      return {
        dossierId: r.id,
        code: r.code,
        procedureCode: r.procedure_code,
        procedureName: r.procedure_name,
        status: r.status,
        step: {
          id: r.current_step,
          name: r.current_step_name,
          unitRole: r.current_unit_role,
          unitPath: r.task_unit_path,
        },
        holder: { userId: r.current_assignee, name: r.assignee_name, since: r.holder_since },
        agency: { unitId: r.agency_unit_id, name: r.unit_name },
        dueDate: r.original_due_date ?? r.due_date,
        extendedTo: r.due_date && r.original_due_date && r.due_date !== r.original_due_date ? r.due_date : null,
        overdue,
        workingDaysLate: late,
        taskKey: r.task_key,
      }
    })
    const last = rows.length > opts.limit ? rows[opts.limit - 1]! : undefined
    return { items, nextCursor: last ? encodeCursor(last.judged_due_at.toISOString(), last.id) : null }
  }

  async bottlenecks(scope: Scope, period: Period, procedureCode?: string, by?: UnitView) {
    return this.gate.run(async () => {
      const rows = await this.repo.bottlenecks(
        scope.unitPath,
        periodStart(period),
        periodEnd(period),
        procedureCode,
        by,
      )
      const round = (v: unknown) => (v === null || v === undefined ? null : Math.round(Number(v) * 100) / 100)
      return rows.map((r) => ({
        procedureCode: r['procedure_code'] as string,
        procedureName: r['procedure_name'] as string,
        stepId: r['step_id'] as string,
        stepName: (r['step_name'] as string | null) ?? null,
        unitPath: (r['unit_path'] as string) || null,
        waitingNow: Number(r['waiting_now']),
        finished: Number(r['finished']),
        medianHours: round(r['median_hours']),
        p90Hours: round(r['p90_hours']),
        missedShare: Number(r['judged']) === 0 ? null : round(Number(r['late']) / Number(r['judged'])),
      }))
    })
  }

  /**
   * Per handling unit of the subtree: steps handled in the period, on time, late, open and open past their step
   * deadline; a department or vertical agency is judged on the steps it handled, whoever received the dossier.
   */
  async handlingUnits(scope: Scope, period: Period, now = new Date()) {
    return this.gate.run(async () => {
      const [start, end] = [periodStart(period), periodEnd(period)]
      const [rows, stepRows] = await Promise.all([
        this.repo.handlingUnits(scope.unitPath, start, end, now),
        this.repo.handlingUnitSteps(scope.unitPath, start, end, now),
      ])
      // Judged against step deadlines: a step without one (reception) is neither on time nor late, so the share is over
      // the steps that had a deadline, and null when none had.
      const share = (onTime: number, late: number) =>
        onTime + late === 0 ? null : Math.round((onTime / (onTime + late)) * 10_000) / 10_000
      const steps = new Map<string, ReturnType<typeof stepOf>[]>()
      const stepOf = (r: Record<string, unknown>) => ({
        procedureCode: r['procedure_code'] as string,
        procedureName: r['procedure_name'] as string,
        stepId: r['step_id'] as string,
        stepName: (r['step_name'] as string | null) ?? null,
        stepsHandled: Number(r['handled']),
        onTime: Number(r['on_time']),
        late: Number(r['late']),
        onTimeShare: share(Number(r['on_time']), Number(r['late'])),
        open: Number(r['open']),
        openOverdue: Number(r['open_overdue']),
      })
      for (const r of stepRows) {
        const path = r['unit_path'] as string
        steps.set(path, [...(steps.get(path) ?? []), stepOf(r)])
      }
      return rows.map((r) => {
        const handled = Number(r['handled'])
        const onTime = Number(r['on_time'])
        const late = Number(r['late'])
        return {
          unitId: (r['unit_id'] as string | null) ?? null,
          unitName: (r['unit_name'] as string | null) ?? null,
          agencyCode: (r['agency_code'] as string | null) ?? null,
          unitPath: r['unit_path'] as string,
          stepsHandled: handled,
          onTime,
          late,
          onTimeShare: share(onTime, late),
          open: Number(r['open']),
          openOverdue: Number(r['open_overdue']),
          dossiersFromElsewhere: Number(r['dossiers_from_elsewhere']),
          steps: steps.get(r['unit_path'] as string) ?? [],
        }
      })
    })
  }

  async heatmap(scope: Scope, procedureVersionId: string, by?: UnitView) {
    return this.gate.run(async () => {
      const rows = await this.repo.heatmap(scope.unitPath, procedureVersionId, by)
      return rows.map((r) => ({
        elementId: r['element_id'] as string,
        name: r['name'] as string,
        active: Number(r['active']),
        completed: Number(r['completed']),
        meanDwellHours: r['mean_dwell_hours'] === null ? null : Math.round(Number(r['mean_dwell_hours']) * 100) / 100,
      }))
    })
  }

  /**
   * Public per-agency figures for one day (no personal data): received, resolved, early/on time/late, within the whole
   * tree.
   */
  /** The public daily figures per agency: named as the public knows it (name, agency code), never by internal id. */
  async publicDaily(date: string) {
    const report = await this.report06a({ unitId: '', unitPath: '/' }, this.period({ from: date, to: date }), 'unit')
    const names = await this.repo.publicUnitNames(report.rows.map((r) => r.field))
    const units = report.rows.map((r) => {
      const unit = names.get(r.field)
      return {
        agency: unit?.name ?? '',
        agencyEn: unit?.nameEn ?? null,
        agencyCode: unit?.agencyCode ?? null,
        received: r.receivedTotal - r.carriedOver,
        resolved: r.resolvedTotal,
        early: r.resolvedEarly,
        onTime: r.resolvedOnTime,
        late: r.resolvedLate,
        onTimeRate:
          r.resolvedTotal === 0
            ? null
            : Math.round(((r.resolvedEarly + r.resolvedOnTime) / r.resolvedTotal) * 10_000) / 10_000,
        inProgressOverdue: r.inProgressOverdue,
      }
    })
    return { date, units: units.sort((a, b) => a.agency.localeCompare(b.agency, 'vi')) }
  }
}

function encodeCursor(dueAt: string, id: string): string {
  return Buffer.from(JSON.stringify([dueAt, id])).toString('base64url')
}

function decodeCursor(cursor: string): { dueAt: string; id: string } {
  try {
    const [dueAt, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as [string, string]
    if (typeof dueAt !== 'string' || !/^[0-9a-f-]{36}$/i.test(id) || Number.isNaN(Date.parse(dueAt))) throw new Error()
    return { dueAt, id }
  } catch {
    throw new AppError('MC_ERR_VALIDATION', 'bad cursor')
  }
}
