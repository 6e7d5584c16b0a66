// SQL of the dossier views: a dossier's detail rows, the applicant's list, the officer's worklist, a unit's dossiers
// and the public lookup's one query.
import type { Knex } from 'knex'
import { openStatuses, type DossierStatus } from '../domain/dossier/status.js'
import type { DossierRow } from './repository.js'

/** The dossier columns a summary reads (due_date is read as text). */
export const summaryColumns = [
  'id',
  'code',
  'status',
  'procedure_name',
  'applicant_name',
  'submitted_at',
  'due_at',
  'overdue',
  'current_step_name',
  'current_unit_role',
] as const

export type SummaryRow = Pick<DossierRow, (typeof summaryColumns)[number] | 'due_date'>

/** Where tasks without a due date sort (last), in the worklist's order and its cursor. */
export const FAR = '9999-12-31T00:00:00Z'

/**
 * A LIKE pattern for a materialised unit path and everything below it. A caller without a unit matches nothing: the
 * empty pattern matches only the empty path, and every path is at least `/<id>/` (PostgreSQL refuses a NUL
 * character in text, so that cannot stand for "no path").
 */
const below = (unitPath: string | null | undefined) => (unitPath ? `${unitPath.replace(/[\\%_]/g, '\\$&')}%` : '')

export interface WorklistCaller {
  userId: string
  unitPath?: string | null | undefined
  groups: string[]
}

/** What a worklist may be narrowed by (the API's filter and the query read the same fields). */
export interface WorklistCriteria {
  procedure?: string
  status?: DossierStatus
  dueBefore?: Date
  overdue?: boolean
  /** Dossier code or applicant name (case-insensitive substring). */
  q?: string
  /** Only tasks I have claimed. */
  mine?: boolean
}

export interface WorklistQuery extends WorklistCriteria {
  /** The page size: limit + 1 rows are read, so the caller knows whether there is a next page. */
  limit: number
  /** Read on after this (sort due, task key). */
  after?: [string, string]
}

export type WorklistRow = SummaryRow & {
  user_task_key: string
  task_name: string
  element_id: string
  candidate_groups: string[]
  assignee: string | null
  task_due_at: Date | null
  task_created_at: Date
}

/** What the public lookup reads of a dossier, or of the decoy when none has the code. */
export interface LookupRow {
  code: string
  status: DossierStatus
  procedure_name: string
  current_step_name: string | null
  due_date: string | null
  applicant_id_number: string | null
  applicant_passport_number: string | null
  applicant_old_id_number: string | null
  agency: string
  /** False when the row is the decoy's. */
  hit: boolean
}

/**
 * The lookup's one query: the dossier with `code` and its agency, or when there is none the decoy's
 * (scripts/bench-api.ts explains it).
 */
export function lookupStatement(knex: Knex, code: string, decoyCode: string): Knex.Raw {
  return knex.raw(
    `WITH probe AS MATERIALIZED (SELECT (SELECT c.code FROM dossiers c WHERE c.code = ?) AS hit, (SELECT c.code FROM dossiers c WHERE c.code = ?) AS decoy)
     SELECT d.code, d.status, d.procedure_name, d.current_step_name, d.due_date::text AS due_date, d.applicant_id_number,
            d.applicant_passport_number, d.applicant_old_id_number, u.name AS agency,
            probe.hit IS NOT NULL AS hit
       FROM probe JOIN dossiers d ON d.code = coalesce(probe.hit, probe.decoy) JOIN units u ON u.id = d.agency_unit_id`,
    [code, decoyCode],
  )
}

export function dossierViewRepository(knex: Knex) {
  return {
    /** The name of a unit (a dossier's agency). */
    unitName(unitId: string): Promise<{ name: string }> {
      return knex('units').where({ id: unitId }).first('name') as Promise<{ name: string }>
    },

    /** One user's id and full name. */
    user(userId: string): Promise<{ id: string; full_name: string } | undefined> {
      return knex('users').where({ id: userId }).first('id', 'full_name') as Promise<
        { id: string; full_name: string } | undefined
      >
    },

    /** The full names of the users with these ids. */
    async userNames(userIds: string[]): Promise<Array<{ id: string; full_name: string }>> {
      return (await knex('users').whereIn('id', userIds).select('id', 'full_name')) as Array<{
        id: string
        full_name: string
      }>
    },

    /** A dossier's attachments, in the order they were added. */
    attachments(dossierId: string): Promise<
      Array<{
        component_id: string
        file_id: string
        reused_from_dossier_code: string | null
        reused_from_result_id: string | null
      }>
    > {
      return knex('dossier_attachments')
        .where({ dossier_id: dossierId })
        .orderBy('id')
        .select('component_id', 'file_id', 'reused_from_dossier_code', 'reused_from_result_id')
    },

    /** A dossier's events (steps and timeline), oldest first. */
    events(dossierId: string): Promise<Array<Record<string, unknown> & { kind: string }>> {
      return knex('dossier_events').where({ dossier_id: dossierId }).orderBy('id').select('*')
    },

    /** A dossier's open user tasks, oldest first. */
    openTasks(dossierId: string): Promise<Array<Record<string, unknown>>> {
      return knex('tasks').where({ dossier_id: dossierId, state: 'CREATED' }).orderBy('created_at').select('*')
    },

    /** The applicant's dossiers, newest first. */
    async ofApplicant(
      applicantId: string,
      opts: { status?: DossierStatus | undefined; limit: number; offset: number },
    ): Promise<DossierRow[]> {
      const q = knex('dossiers')
        .select('*', knex.raw('due_date::text AS due_date'))
        .where({ applicant_id: applicantId })
        .orderBy('created_at', 'desc')
        .limit(opts.limit)
        .offset(opts.offset)
      if (opts.status) q.andWhere({ status: opts.status })
      return (await q) as DossierRow[]
    },

    /**
     * Open tasks of the caller's unit subtree and groups (or claimed by them), sorted by due then key: up to
     * limit + 1 rows, each with its dossier's summary columns.
     *
     * Read per (unit path, candidate groups) pair of open tasks, each in index order and cut at the page size, then
     * merged: a subtree holds a few such pairs, so the first page costs a few short index scans instead of sorting
     * every open task of the subtree (docs/benchmarks.md, API). Tasks claimed by the caller outside their groups come
     * from a second branch.
     */
    async worklist(caller: WorklistCaller, filter: WorklistQuery): Promise<WorklistRow[]> {
      const limit = filter.limit
      const prefix = below(caller.unitPath)
      const dueKey = `coalesce(t.due_at, '${FAR}'::timestamptz)`
      const cursor = filter.after
      // The same filters on both branches; those on the dossier are checked before the cut, so each branch stops at
      // limit + 1 matches.
      const branch = () => {
        const q = knex('tasks as t')
          .where('t.state', 'CREATED')
          .select(
            't.user_task_key',
            't.dossier_id',
            't.name as task_name',
            't.element_id',
            't.candidate_groups',
            't.assignee',
            't.due_at as task_due_at',
            't.created_at as task_created_at',
            knex.raw(`${dueKey} AS sort_due`),
          )
          .orderByRaw(`${dueKey}, t.user_task_key`)
          .limit(limit + 1)
        if (filter.dueBefore) q.andWhere('t.due_at', '<', filter.dueBefore)
        if (cursor) q.andWhereRaw(`(${dueKey}, t.user_task_key) > (?::timestamptz, ?)`, cursor)
        const onDossier = filter.procedure || filter.status || filter.overdue !== undefined || filter.q
        if (onDossier) {
          q.join('dossiers as d', 'd.id', 't.dossier_id')
          if (filter.procedure)
            q.andWhere((w) =>
              w.where('d.procedure_slug', filter.procedure!).orWhere('d.procedure_code', filter.procedure!),
            )
          if (filter.status) q.andWhere('d.status', filter.status)
          if (filter.overdue !== undefined)
            q.andWhere((w) =>
              filter.overdue
                ? w.where('d.overdue', true).orWhere('d.step_overdue', true)
                : w.where('d.overdue', false).andWhere('d.step_overdue', false),
            )
          if (filter.q) {
            const like = `%${filter.q.toLowerCase().replace(/[\\%_]/g, '\\$&')}%`
            q.andWhere((w) =>
              w.whereRaw('lower(d.code) LIKE ?', [like]).orWhereRaw('lower(d.applicant_name) LIKE ?', [like]),
            )
          }
        }
        return q
      }
      const inSubtree = () => branch().andWhereRaw('t.unit_path COLLATE "C" LIKE ?', [prefix])
      // Claimed by the caller outside their groups (the pairs below hold the rest).
      const claimedElsewhere = inSubtree()
        .andWhere('t.assignee', caller.userId)
        .andWhereRaw('NOT (t.candidate_groups && ?::text[])', [caller.groups])
      const branches = filter.mine
        ? knex.raw('?', [inSubtree().andWhere('t.assignee', caller.userId)])
        : filter.q
          ? // A text search matches few tasks: one pass over the subtree with a hash join beats a scan per pair that
            // finds nothing.
            knex.raw('?', [
              inSubtree().andWhere((w) =>
                w.whereRaw('t.candidate_groups && ?::text[]', [caller.groups]).orWhere('t.assignee', caller.userId),
              ),
            ])
          : knex.raw(
              // The distinct (path, groups) pairs of open tasks under the prefix, found by stepping through the index.
              `WITH RECURSIVE pairs AS (
               (SELECT t.unit_path COLLATE "C" AS p, t.candidate_groups AS g FROM tasks t
                 WHERE t.state = 'CREATED' AND t.unit_path COLLATE "C" LIKE ? ORDER BY 1, 2 LIMIT 1)
               UNION ALL
               SELECT n.p, n.g FROM pairs, LATERAL (
                 SELECT t.unit_path COLLATE "C" AS p, t.candidate_groups AS g FROM tasks t
                  WHERE t.state = 'CREATED' AND t.unit_path COLLATE "C" LIKE ? AND (t.unit_path COLLATE "C", t.candidate_groups) > (pairs.p, pairs.g)
                  ORDER BY 1, 2 LIMIT 1) n
             )
             SELECT x.* FROM pairs, LATERAL ? x WHERE pairs.g && ?::text[]
             UNION ALL ?`,
              [
                prefix,
                prefix,
                branch().andWhereRaw('t.unit_path COLLATE "C" = pairs.p AND t.candidate_groups = pairs.g'),
                caller.groups,
                claimedElsewhere,
              ],
            )
      const { rows } = (await knex.raw(
        // Only what a summary shows: parsing every column of 51 dossiers (timestamps, JSON) was most of the route's
        // CPU.
        `SELECT w.user_task_key, w.task_name, w.element_id, w.candidate_groups, w.assignee, w.task_due_at, w.task_created_at,
              ${summaryColumns.map((c) => `d.${c}`).join(', ')}, d.due_date::text AS due_date
         FROM (?) w JOIN dossiers d ON d.id = w.dossier_id
        ORDER BY w.sort_due, w.user_task_key LIMIT ?`,
        [branches, limit + 1],
      )) as { rows: WorklistRow[] }
      return rows
    },

    /**
     * Dossiers of a unit subtree by due date: the open ones, or those with `status`; optionally overdue or due before a
     * date.
     */
    async ofUnitSubtree(
      unitPath: string | null | undefined,
      filter: {
        overdue?: boolean | undefined
        dueBefore?: Date | undefined
        status?: DossierStatus | undefined
        limit: number
        offset: number
      },
    ): Promise<DossierRow[]> {
      const q = knex('dossiers')
        .select('*', knex.raw('due_date::text AS due_date'))
        .where('unit_path', 'like', below(unitPath))
        .orderByRaw('due_at NULLS LAST, id')
        .limit(filter.limit)
        .offset(filter.offset)
      if (filter.status) q.andWhere({ status: filter.status })
      else q.whereIn('status', openStatuses)
      if (filter.overdue !== undefined) q.andWhere({ overdue: filter.overdue })
      if (filter.dueBefore) q.andWhere('due_at', '<', filter.dueBefore)
      return (await q) as DossierRow[]
    },

    /** The code of some dossier, for the public lookup's decoy; undefined when no dossier has a code yet. */
    async anyCode(): Promise<string | undefined> {
      return ((await knex('dossiers').whereNotNull('code').first('code')) as { code: string } | undefined)?.code
    },

    /**
     * The public lookup's one query (lookupStatement): one row, the dossier's or the decoy's; none when the decoy is
     * gone.
     */
    async lookup(code: string, decoyCode: string): Promise<LookupRow[]> {
      const { rows } = (await lookupStatement(knex, code, decoyCode)) as { rows: LookupRow[] }
      return rows
    },
  }
}
