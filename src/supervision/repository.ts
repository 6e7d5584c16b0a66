// The SQL behind supervision: facts for the reports, overdue lists, step bottlenecks and the process heatmap, always within a unit subtree.
import type { Knex } from 'knex'
import { type Instant, parseDate } from '../domain/calendar/index.js'
import { type IndicatorFacts, dueFromColumns } from '../domain/statistics/index.js'

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

export class SupervisionRepository {
  private portalTables: Promise<{ ratings: boolean; payments: boolean }> | undefined

  constructor(private readonly knex: Knex) {}

  /** Ratings and payments come with the citizen portal's migration; without it the indicators say 'no data'. */
  private portal() {
    this.portalTables ??= this.knex
      .raw(`SELECT to_regclass('dossier_ratings') IS NOT NULL AS ratings, to_regclass('payments') IS NOT NULL AS payments`)
      .then((r: { rows: { ratings: boolean; payments: boolean }[] }) => r.rows[0]!)
    return this.portalTables
  }

  async unitPath(unitId: string): Promise<string | undefined> {
    const row = (await this.knex('units').where({ id: unitId }).first('path')) as { path: string } | undefined
    return row?.path
  }

  /** Every accepted dossier of the subtree received by the period's end and not finished before its start. */
  async facts(q: FactsQuery): Promise<IndicatorFacts[]> {
    const portal = await this.portal()
    const rating = portal.ratings ? '(SELECT r.score FROM dossier_ratings r WHERE r.dossier_id = d.id)' : 'NULL::smallint'
    const paidOnline = portal.payments ? `EXISTS (SELECT 1 FROM payments pm WHERE pm.dossier_id = d.id AND pm.status = 'paid')` : 'false'
    const feeDue = portal.payments ? `(d.payment_amount_vnd > 0 OR EXISTS (SELECT 1 FROM payments pm WHERE pm.dossier_id = d.id))` : '(d.payment_amount_vnd > 0)'
    const group = q.groupBy === 'field' ? 'p.field' : `u.name || ' (' || u.id || ')'`
    const { rows } = await this.knex.raw(
      `SELECT d.id, d.code, ${group} AS grp, d.channel, d.status, d.paused, d.finished_at,
              to_char(coalesce(d.receipt_date, (d.accepted_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date), 'YYYY-MM-DD') AS receipt_day,
              to_char(coalesce(d.original_due_date, d.due_date), 'YYYY-MM-DD') AS due_day,
              coalesce(d.original_due_at, d.due_at) AS due_at,
              coalesce(${feeDue}, false) AS fee_due, ${paidOnline} AS paid_online,
              EXISTS (SELECT 1 FROM dossier_attachments a WHERE a.dossier_id = d.id AND a.reused_from_dossier_code IS NOT NULL) AS reused,
              ${rating} AS rating
         FROM dossiers d
         JOIN procedures p ON p.id = d.procedure_id
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
      due: dueFromColumns(r['due_day'] ? parseDate(r['due_day'] as string) : null, r['due_at'] ? (r['due_at'] as Date).getTime() : null),
      paused: Boolean(r['paused']),
      feeDue: Boolean(r['fee_due']),
      paidOnline: Boolean(r['paid_online']),
      reusedDocuments: Boolean(r['reused']),
      rating: r['rating'] === null || r['rating'] === undefined ? null : Number(r['rating']),
    }))
  }

  /**
   * Open, accepted, not paused dossiers of the subtree whose original due (R9) ends before `limit`,
   * most late first; keyset paging on (due, id).
   */
  async overdue(unitPath: string, limit: Instant, pageSize: number, after?: { dueAt: string; id: string }): Promise<OverdueRow[]> {
    const judged = 'coalesce(d.original_due_at, d.due_at)'
    const query = this.knex('dossiers as d')
      .join('units as u', 'u.id', 'd.agency_unit_id')
      .joinRaw('LEFT JOIN users a ON a.id::text = d.current_assignee')
      .whereRaw('d.unit_path LIKE ?', [subtree(unitPath)])
      .whereNotNull('d.accepted_at')
      .whereNull('d.finished_at')
      .whereIn('d.status', [2, 4, 5, 6])
      .where('d.paused', false)
      .whereRaw(`${judged} < ?`, [new Date(limit)])
      .select(
        'd.id', 'd.code', 'd.procedure_code', 'd.procedure_name', 'd.status', 'd.current_step', 'd.current_step_name', 'd.current_unit_role',
        'd.current_assignee', 'a.full_name as assignee_name', 'd.holder_since', 'd.agency_unit_id', 'u.name as unit_name',
        this.knex.raw(`to_char(d.due_date, 'YYYY-MM-DD') AS due_date`),
        this.knex.raw(`to_char(d.original_due_date, 'YYYY-MM-DD') AS original_due_date`),
        this.knex.raw(`${judged} AS judged_due_at`),
        // The open task, so a supervisor can reassign it from the list.
        this.knex.raw(`(SELECT t.user_task_key FROM tasks t WHERE t.dossier_id = d.id AND t.state = 'CREATED' ORDER BY t.created_at DESC LIMIT 1) AS task_key`),
        this.knex.raw(`(SELECT t.unit_path FROM tasks t WHERE t.dossier_id = d.id AND t.state = 'CREATED' ORDER BY t.created_at DESC LIMIT 1) AS task_unit_path`),
      )
      .orderByRaw(`${judged} ASC, d.id ASC`)
      .limit(pageSize)
    if (after) query.whereRaw(`(${judged}, d.id) > (?::timestamptz, ?::uuid)`, [after.dueAt, after.id])
    return (await query) as OverdueRow[]
  }

  /** Per procedure, step and receiving unit: waiting now, and over steps finished in [start, end): median/p90 hours and share late (R11). */
  async bottlenecks(unitPath: string, start: Instant, end: Instant, procedureCode?: string) {
    const inPeriod = 'e.finished_at >= :start AND e.finished_at < :end'
    const { rows } = await this.knex.raw(
      `SELECT d.procedure_code, max(d.procedure_name) AS procedure_name, e.step_id, max(e.step_name) AS step_name,
              coalesce(e.receiver_unit_path, '') AS unit_path,
              count(*) FILTER (WHERE e.finished_at IS NULL AND d.finished_at IS NULL) AS waiting_now,
              count(*) FILTER (WHERE ${inPeriod}) AS finished,
              percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM e.finished_at - e.at) / 3600) FILTER (WHERE ${inPeriod}) AS median_hours,
              percentile_cont(0.9) WITHIN GROUP (ORDER BY extract(epoch FROM e.finished_at - e.at) / 3600) FILTER (WHERE ${inPeriod}) AS p90_hours,
              count(*) FILTER (WHERE ${inPeriod} AND e.step_result = 'late') AS late,
              count(*) FILTER (WHERE ${inPeriod} AND e.step_result IS NOT NULL) AS judged
         FROM dossier_events e
         JOIN dossiers d ON d.id = e.dossier_id
        WHERE e.kind = 'step' AND d.unit_path LIKE :prefix
          AND (e.finished_at IS NULL OR (${inPeriod}))
          ${procedureCode ? 'AND d.procedure_code = :procedureCode' : ''}
        GROUP BY d.procedure_code, e.step_id, coalesce(e.receiver_unit_path, '')
        ORDER BY waiting_now DESC, p90_hours DESC NULLS LAST, d.procedure_code, e.step_id`,
      { start: new Date(start), end: new Date(end), prefix: subtree(unitPath), ...(procedureCode ? { procedureCode } : {}) },
    )
    return rows as Record<string, unknown>[]
  }

  /** Per BPMN element of a procedure version: open tasks now and mean dwell of completed ones (hours). */
  async heatmap(unitPath: string, procedureVersionId: string) {
    const { rows } = await this.knex.raw(
      `SELECT t.element_id, max(t.name) AS name,
              count(*) FILTER (WHERE t.state = 'CREATED') AS active,
              count(*) FILTER (WHERE t.state = 'COMPLETED') AS completed,
              avg(extract(epoch FROM t.completed_at - t.created_at) / 3600) FILTER (WHERE t.state = 'COMPLETED') AS mean_dwell_hours
         FROM tasks t JOIN dossiers d ON d.id = t.dossier_id
        WHERE d.procedure_version_id = ? AND d.unit_path LIKE ?
        GROUP BY t.element_id ORDER BY t.element_id`,
      [procedureVersionId, subtree(unitPath)],
    )
    return rows as Record<string, unknown>[]
  }
}
