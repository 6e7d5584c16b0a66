// The SQL behind supervision: facts for the reports, overdue lists, step bottlenecks and the process heatmap, always
// within a unit subtree; and the dashboard directory (units, officers, published procedures).
import type { Knex } from 'knex'
import {
  type Instant,
  localDay,
  localTimeOfDay,
  MS_PER_DAY,
  MS_PER_MINUTE,
  formatDate,
  instantAt,
  parseDate,
} from '../domain/calendar/index.js'
import { judgedDueSql, overdueSql } from '../domain/dossier/overdue.js'
import { type Counts06a, type IndicatorFacts, dueFromColumns } from '../domain/statistics/index.js'

/** A LIKE pattern for a materialised unit path and everything below it. */
function subtree(unitPath: string): string {
  return unitPath.replace(/[\\%_]/g, (c) => `\\${c}`) + '%'
}

export interface FactsQuery {
  unitPath: string
  /** Last day of the period (YYYY-MM-DD): nothing received after it matters. */
  to: string
  /** First instant of the period: nothing finished before it matters. */
  start: Instant
  /** 'field' for the 06a report, 'unit' for the public per-agency figures. */
  groupBy: 'field' | 'unit'
}

export interface CountsQuery {
  unitPath: string
  /** The period's first and last days (YYYY-MM-DD). */
  from: string
  to: string
  /** The instant its in-progress dossiers are judged at: the period's last millisecond, or now if earlier. */
  seenAt: Instant
  groupBy: FactsQuery['groupBy']
}

export interface OverdueRow {
  id: string
  code: string | null
  procedure_code: string
  procedure_name: string
  status: number
  current_step: string | null
  current_step_name: string | null
  current_unit_role: string | null
  current_assignee: string | null
  assignee_name: string | null
  holder_since: Date | null
  agency_unit_id: string
  unit_name: string
  task_key: string | null
  task_unit_path: string | null
  due_date: string | null
  original_due_date: string | null
  judged_due_at: Date
}

/**
 * Whose figures a step is (liên thông): the unit that received the dossier, or the unit that handled the step
 * (`tasks.unit_path`, `dossier_events.receiver_unit_path`).
 */
export type UnitView = 'receivingUnit' | 'handlingUnit'

/** A unit of a subtree, as the dashboard lists it. */
export interface SubtreeUnit {
  id: string
  name: string
  nameEn: string | null
  path: string
  level: string
}

/** An officer a task may be assigned to. */
export interface Candidate {
  userId: string
  username: string
  fullName: string
  unitId: string
  unitName: string
  groups: string[]
}

/** A procedure with at least one published version. */
export interface PublishedProcedureRow {
  slug: string
  code: string
  name: string
  field: string
  published_version: number | null
  versions: number[]
}

/** A published version of a procedure, with its diagram. */
export interface PublishedVersionRow {
  id: string
  slug: string
  code: string
  name: string
  version: number
  bpmn_xml: string
}

/** The supplements asked during processing and answered, from the events `computeDeadline` replays. */
function supplementWaits(events: { type: string; at: string }[] | null): { from: number; to: number }[] {
  const waits: { from: number; to: number }[] = []
  let asked: number | undefined
  for (const e of events ?? []) {
    if (e.type === 'supplementRequested') asked = Date.parse(e.at)
    else if (e.type === 'supplementReceived' && asked !== undefined) {
      waits.push({ from: asked, to: Date.parse(e.at) })
      asked = undefined
    }
  }
  return waits
}

export class SupervisionRepository {
  private portalTables: Promise<{ ratings: boolean; payments: boolean; results: boolean }> | undefined

  constructor(private readonly knex: Knex) {}

  /** Ratings, payments and results come with their migrations; without them the indicators say 'no data' or 0. */
  private portal() {
    this.portalTables ??= this.knex
      .raw(
        `SELECT to_regclass('dossier_ratings') IS NOT NULL AS ratings, to_regclass('payments') IS NOT NULL AS payments,
                to_regclass('dossier_results') IS NOT NULL AS results`,
      )
      .then((r: { rows: { ratings: boolean; payments: boolean; results: boolean }[] }) => r.rows[0]!)
    return this.portalTables
  }

  async unitPath(unitId: string): Promise<string | undefined> {
    const row = (await this.knex('units').where({ id: unitId }).first('path')) as { path: string } | undefined
    return row?.path
  }

  /** The public names of units (no ids leave the server on a public page): name, English name, agency code. */
  async publicUnitNames(
    unitIds: string[],
  ): Promise<Map<string, { name: string; nameEn: string | null; agencyCode: string | null }>> {
    const rows = (await this.knex('units')
      .whereIn('id', unitIds)
      .select('id', 'name', 'name_en', 'agency_code')) as Array<{
      id: string
      name: string
      name_en: string | null
      agency_code: string | null
    }>
    return new Map(rows.map((r) => [r.id, { name: r.name, nameEn: r.name_en, agencyCode: r.agency_code }]))
  }

  async unitName(unitId: string): Promise<string> {
    return ((await this.knex('units').where({ id: unitId }).first('name')) as { name: string }).name
  }

  /** Every accepted dossier of the subtree received by the period's end and not finished before its start. */
  async facts(q: FactsQuery): Promise<IndicatorFacts[]> {
    const portal = await this.portal()
    const rating = portal.ratings
      ? '(SELECT r.score FROM dossier_ratings r WHERE r.dossier_id = d.id)'
      : 'NULL::smallint'
    const paidOnline = portal.payments
      ? `EXISTS (SELECT 1 FROM payments pm WHERE pm.dossier_id = d.id AND pm.status = 'paid')`
      : 'false'
    const feeDue = portal.payments
      ? `(d.payment_amount_vnd > 0 OR EXISTS (SELECT 1 FROM payments pm WHERE pm.dossier_id = d.id))`
      : '(d.payment_amount_vnd > 0)'
    // Electronic results come with migration 1100; a result is a signed file once its row exists.
    const electronicResult = portal.results
      ? 'EXISTS (SELECT 1 FROM dossier_results r WHERE r.dossier_id = d.id)'
      : 'false'
    const group = q.groupBy === 'field' ? 'p.field' : 'u.id'
    const { rows } = await this.knex.raw(
      `SELECT d.id, d.code, ${group} AS grp, d.channel, d.status, d.paused, d.finished_at,
              to_char(coalesce(d.receipt_date, (d.accepted_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date), 'YYYY-MM-DD') AS receipt_day,
              to_char(coalesce(d.original_due_date, d.due_date), 'YYYY-MM-DD') AS due_day,
              ${judgedDueSql('d')} AS due_at,
              coalesce(${feeDue}, false) AS fee_due, ${paidOnline} AS paid_online,
              EXISTS (SELECT 1 FROM dossier_attachments a WHERE a.dossier_id = d.id AND a.reused_from_dossier_code IS NOT NULL) AS reused,
              EXISTS (SELECT 1 FROM dossier_attachments a WHERE a.dossier_id = d.id) AS digitised,
              coalesce(jsonb_array_length(v.definition->'resultDocuments') > 0, false) AS result_document,
              ${electronicResult} AS electronic_result,
              d.supplement_count, d.paused_since, d.deadline_events,
              ${rating} AS rating
         FROM dossiers d
         JOIN procedures p ON p.id = d.procedure_id
         JOIN procedure_versions v ON v.id = d.procedure_version_id
         JOIN units u ON u.id = d.agency_unit_id
        WHERE d.unit_path LIKE ? AND d.accepted_at IS NOT NULL
          AND coalesce(d.receipt_date, (d.accepted_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date) <= ?::date
          AND (d.finished_at IS NULL OR d.finished_at >= ?)`,
      [subtree(q.unitPath), q.to, new Date(q.start)],
    )
    return (rows as Record<string, unknown>[]).map((r) => ({
      id: r['id'] as string,
      code: r['code'] as string | null,
      field: r['grp'] as string,
      channel: r['channel'] as 'online' | 'counter',
      status: Number(r['status']),
      receiptDay: parseDate(r['receipt_day'] as string),
      finishedAt: r['finished_at'] ? (r['finished_at'] as Date).getTime() : null,
      due: dueFromColumns(
        r['due_day'] ? parseDate(r['due_day'] as string) : null,
        r['due_at'] ? (r['due_at'] as Date).getTime() : null,
      ),
      paused: Boolean(r['paused']),
      feeDue: Boolean(r['fee_due']),
      paidOnline: Boolean(r['paid_online']),
      reusedDocuments: Boolean(r['reused']),
      digitised: Boolean(r['digitised']),
      resultDocument: Boolean(r['result_document']),
      electronicResult: Boolean(r['electronic_result']),
      supplementRequests: Number(r['supplement_count']),
      pausedSince: r['paused_since'] ? (r['paused_since'] as Date).getTime() : null,
      supplementWaits: supplementWaits(r['deadline_events'] as { type: string; at: string }[] | null),
      rating: r['rating'] === null || r['rating'] === undefined ? null : Number(r['rating']),
    }))
  }

  /**
   * The columns of Biểu II.06a per field (or unit) from the pre-aggregated counts (migration 0801), judged as
   * `standingIn` judges each dossier: the same numbers as compute06a over `facts`, without reading the dossiers.
   * In progress and overdue: by the day a dossier becomes overdue; on the day it is seen, an instant due (to the
   * minute) is settled from the dossiers themselves (a day's dues, found by index).
   */
  async reportCounts(q: CountsQuery): Promise<Map<string, Counts06a>> {
    const seenDay = localDay(q.seenAt)
    // Seen in a day's last minute (a past period is seen at its end): every instant due of that day, before 23:59, is
    // late.
    const lastMinute = localTimeOfDay(q.seenAt) >= (23 * 60 + 59) * MS_PER_MINUTE
    const period = { prefix: subtree(q.unitPath), from: q.from, to: q.to, seenDay: formatDate(seenDay), lastMinute }
    const grouped = (alias: string) =>
      q.groupBy === 'field'
        ? { grp: 'p.field', join: `JOIN procedures p ON p.id = ${alias}.procedure_id` }
        : { grp: 'u.id', join: `JOIN units u ON u.id = ${alias}.agency_unit_id` }
    const g = grouped('c')
    const resolved = `c.finish_day <= :to AND c.outcome IN ('early', 'on_time', 'late')`
    const { rows } = await this.knex.raw(
      `SELECT ${g.grp} AS grp,
              sum(c.n) AS "receivedTotal",
              coalesce(sum(c.n) FILTER (WHERE c.receipt_day >= :from AND c.channel = 'online'), 0) AS "receivedOnline",
              coalesce(sum(c.n) FILTER (WHERE c.receipt_day >= :from AND c.channel <> 'online'), 0) AS "receivedCounterOrPost",
              coalesce(sum(c.n) FILTER (WHERE c.receipt_day < :from), 0) AS "carriedOver",
              coalesce(sum(c.n) FILTER (WHERE ${resolved}), 0) AS "resolvedTotal",
              coalesce(sum(c.n) FILTER (WHERE ${resolved} AND c.outcome = 'early'), 0) AS "resolvedEarly",
              coalesce(sum(c.n) FILTER (WHERE ${resolved} AND c.outcome = 'on_time'), 0) AS "resolvedOnTime",
              coalesce(sum(c.n) FILTER (WHERE ${resolved} AND c.outcome = 'late'), 0) AS "resolvedLate",
              coalesce(sum(c.n) FILTER (WHERE c.finish_day > :to), 0) AS "inProgressTotal",
              coalesce(sum(c.n) FILTER (WHERE c.finish_day > :to AND NOT c.paused_open
                AND (c.overdue_day < :seenDay::date OR (c.overdue_day = :seenDay::date AND (NOT c.due_instant OR :lastMinute)))), 0) AS "inProgressOverdue",
              coalesce(sum(c.n) FILTER (WHERE c.finish_day <= :to AND c.outcome = 'closed'), 0) AS "closed"
         FROM report_day_counts c ${g.join}
        WHERE c.unit_path LIKE :prefix AND c.receipt_day <= :to::date AND c.finish_day >= :from::date AND c.n > 0
        GROUP BY 1`,
      period,
    )
    const d = grouped('d')
    const late = lastMinute
      ? { rows: [] }
      : await this.knex.raw(
          `SELECT ${d.grp} AS grp, count(*) AS n
         FROM dossiers d ${d.join}
        WHERE d.accepted_at IS NOT NULL AND ${judgedDueSql('d')} >= :dayStart AND ${judgedDueSql('d')} < :seenMinute
          AND ((${judgedDueSql('d')} AT TIME ZONE 'UTC') + interval '7 hours')::time < time '23:59'
          AND d.unit_path LIKE :prefix
          AND coalesce(d.receipt_date, (d.accepted_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date) <= :to::date
          AND (d.finished_at IS NULL OR d.finished_at >= :periodEnd) AND NOT (d.paused AND d.finished_at IS NULL)
        GROUP BY 1`,
          {
            prefix: period.prefix,
            to: q.to,
            dayStart: new Date(instantAt(seenDay, 0)),
            seenMinute: new Date(Math.floor(q.seenAt / MS_PER_MINUTE) * MS_PER_MINUTE),
            periodEnd: new Date(instantAt(parseDate(q.to), MS_PER_DAY)),
          },
        )
    const lateOnSeenDay = new Map((late.rows as { grp: string; n: string }[]).map((r) => [r.grp, Number(r.n)]))
    return new Map(
      (rows as Record<string, string>[]).map((r) => {
        const c = Object.fromEntries(
          Object.entries(r)
            .filter(([k]) => k !== 'grp')
            .map(([k, v]) => [k, Number(v)]),
        ) as unknown as Counts06a
        c.inProgressOverdue += lateOnSeenDay.get(r['grp']!) ?? 0
        c.inProgressWithin = c.inProgressTotal - c.inProgressOverdue
        return [r['grp']!, c]
      }),
    )
  }

  /**
   * Dossiers of the subtree overdue at `limit` (src/domain/dossier/overdue.ts: the clock runs and the due before any
   * extension ends before it), most late first; keyset paging on (due, id).
   */
  async overdue(
    unitPath: string,
    limit: Instant,
    pageSize: number,
    after?: { dueAt: string; id: string },
  ): Promise<OverdueRow[]> {
    // Read per unit path of the subtree in the order of the index (migration 0801), cut at the page size, then merged:
    // a province holds a few hundred thousand open dossiers, a page needs the first few of each path.
    const judged = judgedDueSql('d')
    // The conditions of the partial index dossiers_overdue_path_idx, then the overdue rule itself (R9, R10).
    const open = `d.finished_at IS NULL AND d.accepted_at IS NOT NULL AND d.paused = false`
    const overdue = overdueSql('d', new Date(limit))
    const prefix = subtree(unitPath)
    const perPath = this.knex('dossiers as d')
      .whereRaw(`${open} AND d.unit_path COLLATE "C" = paths.p`)
      .whereRaw(overdue.sql, overdue.bindings)
      .select('d.id', this.knex.raw(`${judged} AS judged_due_at`))
      .orderByRaw(`${judged}, d.id`)
      .limit(pageSize)
    if (after) perPath.whereRaw(`(${judged}, d.id) > (?::timestamptz, ?::uuid)`, [after.dueAt, after.id])
    const { rows } = await this.knex.raw(
      `WITH RECURSIVE paths AS (
         (SELECT d.unit_path COLLATE "C" AS p FROM dossiers d WHERE ${open} AND d.unit_path COLLATE "C" LIKE ? ORDER BY 1 LIMIT 1)
         UNION ALL
         SELECT n.p FROM paths, LATERAL (
           SELECT d.unit_path COLLATE "C" AS p FROM dossiers d WHERE ${open} AND d.unit_path COLLATE "C" LIKE ? AND d.unit_path COLLATE "C" > paths.p ORDER BY 1 LIMIT 1) n
       ), page AS (
         SELECT x.* FROM paths, LATERAL ? x ORDER BY x.judged_due_at, x.id LIMIT ?
       )
       SELECT d.id, d.code, d.procedure_code, d.procedure_name, d.status, d.current_step, d.current_step_name, d.current_unit_role,
              d.current_assignee, a.full_name AS assignee_name, d.holder_since, d.agency_unit_id, u.name AS unit_name,
              to_char(d.due_date, 'YYYY-MM-DD') AS due_date, to_char(d.original_due_date, 'YYYY-MM-DD') AS original_due_date, page.judged_due_at,
              -- The open task, so a supervisor can reassign it from the list.
              task.user_task_key AS task_key, task.unit_path AS task_unit_path
         FROM page
         JOIN dossiers d ON d.id = page.id
         JOIN units u ON u.id = d.agency_unit_id
         LEFT JOIN users a ON a.id::text = d.current_assignee
         LEFT JOIN LATERAL (SELECT t.user_task_key, t.unit_path FROM tasks t WHERE t.dossier_id = d.id AND t.state = 'CREATED' ORDER BY t.created_at DESC LIMIT 1) task ON true
        ORDER BY page.judged_due_at, page.id`,
      [prefix, prefix, perPath, pageSize],
    )
    return rows as OverdueRow[]
  }

  /**
   * Per procedure, step and unit: waiting now, and over steps finished in [start, end): median/p90 hours and share
   * late (R11). `by` says which steps and which unit a row is for (docs/reports.md):
   * - absent: the steps of the subtree's dossiers and the steps the subtree's units handled for dossiers received
   *   elsewhere, per handling unit (the unit the step went to, src/dossiers/handling-unit.ts);
   * - `receivingUnit`: the steps of the dossiers the subtree received, wherever handled, per receiving unit;
   * - `handlingUnit`: the steps the subtree's units handled, whoever received the dossier, per handling unit.
   */
  async bottlenecks(unitPath: string, start: Instant, end: Instant, procedureCode?: string, by?: UnitView) {
    const inPeriod = 'e.finished_at >= :start AND e.finished_at < :end'
    const unit = by === 'receivingUnit' ? 'd.unit_path' : `coalesce(e.receiver_unit_path, '')`
    const scope =
      by === 'receivingUnit'
        ? 'd.unit_path LIKE :prefix'
        : by === 'handlingUnit'
          ? 'e.receiver_unit_path LIKE :prefix'
          : '(d.unit_path LIKE :prefix OR e.receiver_unit_path LIKE :prefix)'
    const { rows } = await this.knex.raw(
      `SELECT d.procedure_code, max(d.procedure_name) AS procedure_name, e.step_id, max(e.step_name) AS step_name,
              ${unit} AS unit_path,
              count(*) FILTER (WHERE e.finished_at IS NULL AND d.finished_at IS NULL) AS waiting_now,
              count(*) FILTER (WHERE ${inPeriod}) AS finished,
              percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM e.finished_at - e.at) / 3600) FILTER (WHERE ${inPeriod}) AS median_hours,
              percentile_cont(0.9) WITHIN GROUP (ORDER BY extract(epoch FROM e.finished_at - e.at) / 3600) FILTER (WHERE ${inPeriod}) AS p90_hours,
              count(*) FILTER (WHERE ${inPeriod} AND e.step_result = 'late') AS late,
              count(*) FILTER (WHERE ${inPeriod} AND e.step_result IS NOT NULL) AS judged
         FROM dossier_events e
         JOIN dossiers d ON d.id = e.dossier_id
        WHERE e.kind = 'step' AND ${scope}
          AND (e.finished_at IS NULL OR (${inPeriod}))
          ${procedureCode ? 'AND d.procedure_code = :procedureCode' : ''}
        GROUP BY d.procedure_code, e.step_id, ${unit}
        ORDER BY waiting_now DESC, p90_hours DESC NULLS LAST, d.procedure_code, e.step_id`,
      {
        start: new Date(start),
        end: new Date(end),
        prefix: subtree(unitPath),
        ...(procedureCode ? { procedureCode } : {}),
      },
    )
    return rows as Record<string, unknown>[]
  }

  /**
   * Per handling unit in the subtree (liên thông): steps it finished in [start, end), how many on time (early counts)
   * and late against their step deadlines (R11), and its open steps past their deadline at `now`.
   */
  async handlingUnits(unitPath: string, start: Instant, end: Instant, now: Date) {
    const inPeriod = 'e.finished_at >= :start AND e.finished_at < :end'
    const { rows } = await this.knex.raw(
      `SELECT u.id AS unit_id, u.name AS unit_name, u.agency_code, e.receiver_unit_path AS unit_path,
              count(*) FILTER (WHERE ${inPeriod}) AS handled,
              count(*) FILTER (WHERE ${inPeriod} AND e.step_result IN ('early', 'on_time')) AS on_time,
              count(*) FILTER (WHERE ${inPeriod} AND e.step_result = 'late') AS late,
              count(*) FILTER (WHERE e.finished_at IS NULL AND d.finished_at IS NULL) AS open,
              count(*) FILTER (WHERE e.finished_at IS NULL AND d.finished_at IS NULL AND e.step_due_at < :now) AS open_overdue,
              count(DISTINCT e.dossier_id) FILTER (WHERE d.unit_path <> e.receiver_unit_path) AS dossiers_from_elsewhere
         FROM dossier_events e
         JOIN dossiers d ON d.id = e.dossier_id
         LEFT JOIN units u ON u.path = e.receiver_unit_path
        WHERE e.kind = 'step' AND e.receiver_unit_path LIKE :prefix
          AND (e.finished_at IS NULL OR (${inPeriod}))
        GROUP BY u.id, u.name, u.agency_code, e.receiver_unit_path
        ORDER BY e.receiver_unit_path`,
      { start: new Date(start), end: new Date(end), now, prefix: subtree(unitPath) },
    )
    return rows as Record<string, unknown>[]
  }

  /** The same figures as `handlingUnits`, per handling unit, procedure and step: which steps each unit handled. */
  async handlingUnitSteps(unitPath: string, start: Instant, end: Instant, now: Date) {
    const inPeriod = 'e.finished_at >= :start AND e.finished_at < :end'
    const { rows } = await this.knex.raw(
      `SELECT e.receiver_unit_path AS unit_path, d.procedure_code, max(d.procedure_name) AS procedure_name,
              e.step_id, max(e.step_name) AS step_name,
              count(*) FILTER (WHERE ${inPeriod}) AS handled,
              count(*) FILTER (WHERE ${inPeriod} AND e.step_result IN ('early', 'on_time')) AS on_time,
              count(*) FILTER (WHERE ${inPeriod} AND e.step_result = 'late') AS late,
              count(*) FILTER (WHERE e.finished_at IS NULL AND d.finished_at IS NULL) AS open,
              count(*) FILTER (WHERE e.finished_at IS NULL AND d.finished_at IS NULL AND e.step_due_at < :now) AS open_overdue
         FROM dossier_events e
         JOIN dossiers d ON d.id = e.dossier_id
        WHERE e.kind = 'step' AND e.receiver_unit_path LIKE :prefix
          AND (e.finished_at IS NULL OR (${inPeriod}))
        GROUP BY e.receiver_unit_path, d.procedure_code, e.step_id
        ORDER BY e.receiver_unit_path, d.procedure_code, e.step_id`,
      { start: new Date(start), end: new Date(end), now, prefix: subtree(unitPath) },
    )
    return rows as Record<string, unknown>[]
  }

  /**
   * Per BPMN element of a procedure version: open tasks now and mean dwell of completed ones (hours); the tasks of the
   * dossiers the subtree received (`receivingUnit`, the default) or the tasks its units handled (`handlingUnit`).
   */
  async heatmap(unitPath: string, procedureVersionId: string, by: UnitView = 'receivingUnit') {
    const { rows } = await this.knex.raw(
      `SELECT t.element_id, max(t.name) AS name,
              count(*) FILTER (WHERE t.state = 'CREATED') AS active,
              count(*) FILTER (WHERE t.state = 'COMPLETED') AS completed,
              avg(extract(epoch FROM t.completed_at - t.created_at) / 3600) FILTER (WHERE t.state = 'COMPLETED') AS mean_dwell_hours
         FROM tasks t JOIN dossiers d ON d.id = t.dossier_id
        WHERE d.procedure_version_id = ? AND ${by === 'handlingUnit' ? 't.unit_path' : 'd.unit_path'} LIKE ?
        GROUP BY t.element_id ORDER BY t.element_id`,
      [procedureVersionId, subtree(unitPath)],
    )
    return rows as Record<string, unknown>[]
  }

  /** The unit at `unitPath` and every unit below it, in tree order. */
  async subtreeUnits(unitPath: string): Promise<SubtreeUnit[]> {
    return (await this.knex('units')
      .whereRaw('path LIKE ?', [subtree(unitPath)])
      .orderBy('path')
      .select('id', 'name', 'name_en as nameEn', 'path', 'level')) as SubtreeUnit[]
  }

  /** An open task's candidate groups, unit path and assignee. */
  async openTask(
    taskKey: string,
  ): Promise<{ candidate_groups: string[]; unit_path: string; assignee: string | null } | undefined> {
    return (await this.knex('tasks')
      .where({ user_task_key: taskKey, state: 'CREATED' })
      .first('candidate_groups', 'unit_path', 'assignee')) as
      { candidate_groups: string[]; unit_path: string; assignee: string | null } | undefined
  }

  /** Officers and supervisors of the subtree at `unitPath` in one of `groups`, by name. */
  async officersInGroups(unitPath: string, groups: string[]): Promise<Candidate[]> {
    return (await this.knex('users as u')
      .join('units as n', 'n.id', 'u.unit_id')
      .whereIn('u.kind', ['officer', 'supervisor'])
      .whereRaw('n.path LIKE ?', [subtree(unitPath)])
      .whereRaw('u.groups && ?::text[]', [groups])
      .orderBy('u.full_name')
      .select(
        'u.id as userId',
        'u.username',
        'u.full_name as fullName',
        'n.id as unitId',
        'n.name as unitName',
        'u.groups',
      )) as Candidate[]
  }

  /** Every procedure with at least one published version, by name, with those versions newest first. */
  async publishedProcedures(): Promise<PublishedProcedureRow[]> {
    return (await this.knex('procedures as p')
      .join('procedure_versions as v', 'v.procedure_id', 'p.id')
      .where('v.status', 'published')
      .groupBy('p.id')
      .orderBy('p.name')
      .select(
        'p.slug',
        'p.code',
        'p.name',
        'p.field',
        'p.published_version',
        this.knex.raw('array_agg(v.version ORDER BY v.version DESC) AS versions'),
      )) as PublishedProcedureRow[]
  }

  /** One published version of the procedure `slug`, with its diagram. */
  async publishedVersion(slug: string, version: number): Promise<PublishedVersionRow | undefined> {
    return (await this.knex('procedures as p')
      .join('procedure_versions as v', 'v.procedure_id', 'p.id')
      .where({ 'p.slug': slug, 'v.version': version, 'v.status': 'published' })
      .first('v.id', 'p.slug', 'p.code', 'p.name', 'v.version', 'v.bpmn_xml')) as PublishedVersionRow | undefined
  }
}
