// Reading dossiers: detail with timeline, the applicant's list, the officer's worklist, a unit's dossiers, and the public lookup.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'
import type { Knex } from 'knex'
import { can, requireAccess } from '../auth/access.js'
import type { Principal } from '../auth/principal.js'
import { dossierStatuses, openStatuses, type DossierStatus } from '../domain/dossier/status.js'
import type { Engine } from '../engine/port.js'
import { AppError } from '../errors.js'
import { dossierRepository, type DossierRow } from './repository.js'

export interface StepControlRow {
  stepId: string
  stepName: string
  giver: string | null
  receiverRole: string | null
  receiverUser: string | null
  receivedAt: Date
  stepDueAt: Date | null
  finishedAt: Date | null
  result: 'early' | 'on_time' | 'late' | null
  /** Names of the giver and the officer who handled the step (staff names are shown to applicants, as on Mẫu 05). */
  giverName: string | null
  receiverUserName: string | null
  /** Set when the step was sent back to the one before it (returnToPreviousStep), with the reason. */
  outcome: 'returned' | null
  returnReason: string | null
}

export interface DossierDetail {
  id: string
  code: string | null
  status: DossierStatus
  statusLabel: { vi: string; en: string }
  procedure: { code: string; slug: string; name: string }
  agency: { unitId: string; name: string }
  applicant: { name: string; idNumber: string | null; email: string | null; phone: string | null }
  channel: 'online' | 'counter'
  deliveryMethod: 'online' | 'counter' | 'post'
  formData: Record<string, unknown>
  submittedAt: Date
  acceptedAt: Date | null
  receiptDate: string | null
  /** The appointment date in force, and the one before any extension (R9). */
  dueDate: string | null
  dueAt: Date | null
  originalDueDate: string | null
  overdue: boolean
  paused: boolean
  supplement: { stage: string | null; count: number; dueAt: Date | null; missing: string[]; note: string | null }
  extension: { at: Date; reason: string | null } | null
  /** Which department has it, who handles it, since when, due when. */
  current: {
    step: string | null
    stepName: string | null
    unitRole: string | null
    assignee: { id: string; name: string } | null
    since: Date | null
    stepDueAt: Date | null
    stepOverdue: boolean
  }
  result: {
    no: string | null
    issuedAt: Date | null
    timeliness: 'early' | 'on_time' | 'late' | null
    finishedAt: Date | null
  }
  closeReason: string | null
  attachments: Array<{ componentId: string; fileId: string; reusedFromDossierCode: string | null }>
  /** Phiếu kiểm soát quá trình giải quyết hồ sơ: one row per step holding. */
  steps: StepControlRow[]
  timeline: Array<{
    kind: string
    at: Date
    actorId: string | null
    stepId: string | null
    data: Record<string, unknown>
  }>
  openTasks: Array<{
    taskKey: string
    elementId: string
    name: string
    candidateGroups: string[]
    assignee: string | null
    dueAt: Date | null
  }>
  /** Staff only: where the process is stuck (engine incidents). */
  incidents?: Array<{ elementId: string; errorType: string; errorMessage: string; createdAt: Date }>
  version: number
}

export interface DossierSummary {
  id: string
  code: string | null
  status: DossierStatus
  statusLabel: { vi: string; en: string }
  procedureName: string
  applicantName: string
  submittedAt: Date
  dueDate: string | null
  dueAt: Date | null
  overdue: boolean
  currentStepName: string | null
  currentUnitRole: string | null
}

export interface WorklistFilter {
  procedure?: string
  status?: DossierStatus
  dueBefore?: Date
  overdue?: boolean
  /** Dossier code or applicant name (case-insensitive substring). */
  q?: string
  /** Only tasks I have claimed. */
  mine?: boolean
  limit?: number
  cursor?: string
}

export interface WorklistItem {
  taskKey: string
  taskName: string
  elementId: string
  candidateGroups: string[]
  assignee: string | null
  dueAt: Date | null
  createdAt: Date
  dossier: DossierSummary
}

const label = (s: DossierStatus) => ({ vi: dossierStatuses[s].vi, en: dossierStatuses[s].en })

/** The dossier columns `summary` reads (due_date is read as text). */
const summaryColumns = [
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

function summary(d: Pick<DossierRow, (typeof summaryColumns)[number] | 'due_date'>): DossierSummary {
  return {
    id: d.id,
    code: d.code,
    status: d.status,
    statusLabel: label(d.status),
    procedureName: d.procedure_name,
    applicantName: d.applicant_name,
    submittedAt: d.submitted_at,
    dueDate: d.due_date,
    dueAt: d.due_at,
    overdue: d.overdue,
    currentStepName: d.current_step_name,
    currentUnitRole: d.current_unit_role,
  }
}

// Cursor over (due, key): tasks without a due come last.
const FAR = '9999-12-31T00:00:00Z'
const encodeCursor = (due: Date | null, key: string) =>
  Buffer.from(JSON.stringify([due ? due.toISOString() : FAR, key])).toString('base64url')
function decodeCursor(cursor: string): [string, string] {
  try {
    const v = JSON.parse(Buffer.from(cursor, 'base64url').toString()) as unknown
    if (Array.isArray(v) && typeof v[0] === 'string' && typeof v[1] === 'string') return [v[0], v[1]]
  } catch {
    // fall through
  }
  throw new AppError('MC_ERR_VALIDATION', 'Invalid cursor')
}

/** What the public lookup shows of a dossier. */
export interface PublicLookup {
  code: string
  status: DossierStatus
  statusLabel: { vi: string; en: string }
  procedureName: string
  currentStep: string | null
  agency: string
  appointmentDate: string | null
}

const digest = (s: string) => createHash('sha256').update(s).digest()
// Compared against when no dossier has the code, so both paths hash and compare the same bytes.
const decoy = digest(randomBytes(16).toString('hex'))

interface LookupRow {
  code: string
  status: DossierStatus
  procedure_name: string
  current_step_name: string | null
  due_date: string | null
  applicant_id_number: string | null
  agency: string
  /** False when the row is the decoy's. */
  hit: boolean
}

/** The lookup's one query: the dossier with `code` and its agency, or when there is none the decoy's (scripts/bench-api.ts explains it). */
export function lookupStatement(knex: Knex, code: string, decoyCode: string): Knex.Raw {
  return knex.raw(
    `WITH probe AS MATERIALIZED (SELECT (SELECT c.code FROM dossiers c WHERE c.code = ?) AS hit, (SELECT c.code FROM dossiers c WHERE c.code = ?) AS decoy)
     SELECT d.code, d.status, d.procedure_name, d.current_step_name, d.due_date::text AS due_date, d.applicant_id_number, u.name AS agency,
            probe.hit IS NOT NULL AS hit
       FROM probe JOIN dossiers d ON d.code = coalesce(probe.hit, probe.decoy) JOIN units u ON u.id = d.agency_unit_id`,
    [code, decoyCode],
  )
}

export class DossierQueries {
  /** The code of the dossier the public lookup reads when no dossier has the code asked for. */
  private decoyCode: string | undefined

  constructor(
    private readonly knex: Knex,
    private readonly engine?: Engine,
  ) {}

  /** The applicant's own dossier, or one of a unit the officer covers; others are "not found". */
  async get(principal: Principal | undefined, dossierId: string): Promise<DossierDetail> {
    if (!principal) throw new AppError('MC_ERR_UNAUTHENTICATED')
    const d = await dossierRepository(this.knex).byId(dossierId)
    const own = d && d.applicant_id === principal.userId && can(principal, 'dossier.readOwn')
    if (!d || !own) {
      await requireAccess(this.knex, {
        principal,
        permission: 'dossier.readUnit',
        ...(d ? { unitPath: d.unit_path } : {}),
        hideExistence: true,
        subject: { type: 'dossier', id: dossierId },
      })
      if (!d) throw new AppError('MC_ERR_DOSSIER_NOT_FOUND')
    }
    const staff = !own
    const [unit, assignee, attachments, events, tasks] = await Promise.all([
      this.knex('units').where({ id: d.agency_unit_id }).first('name') as Promise<{ name: string }>,
      d.current_assignee
        ? (this.knex('users').where({ id: d.current_assignee }).first('id', 'full_name') as Promise<
            { id: string; full_name: string } | undefined
          >)
        : Promise.resolve(undefined),
      this.knex('dossier_attachments')
        .where({ dossier_id: d.id })
        .orderBy('id')
        .select('component_id', 'file_id', 'reused_from_dossier_code'),
      this.knex('dossier_events').where({ dossier_id: d.id }).orderBy('id').select('*'),
      this.knex('tasks').where({ dossier_id: d.id, state: 'CREATED' }).orderBy('created_at').select('*'),
    ])
    const stepEvents = events.filter((e: { kind: string }) => e.kind === 'step') as Array<Record<string, unknown>>
    const staffIds = [
      ...new Set(
        stepEvents.flatMap((e) => [e['giver'], e['receiver_user']]).filter((v): v is string => typeof v === 'string'),
      ),
    ]
    const staffNames = new Map(
      staffIds.length
        ? (
            (await this.knex('users').whereIn('id', staffIds).select('id', 'full_name')) as Array<{
              id: string
              full_name: string
            }>
          ).map((u) => [u.id, u.full_name])
        : [],
    )
    const detail: DossierDetail = {
      id: d.id,
      code: d.code,
      status: d.status,
      statusLabel: label(d.status),
      procedure: { code: d.procedure_code, slug: d.procedure_slug, name: d.procedure_name },
      agency: { unitId: d.agency_unit_id, name: unit.name },
      applicant: {
        name: d.applicant_name,
        idNumber: d.applicant_id_number,
        email: d.applicant_email,
        phone: d.applicant_phone,
      },
      channel: d.channel,
      deliveryMethod: d.delivery_method,
      formData: d.form_data,
      submittedAt: d.submitted_at,
      acceptedAt: d.accepted_at,
      receiptDate: d.receipt_date,
      dueDate: d.due_date,
      dueAt: d.due_at,
      originalDueDate: d.original_due_date,
      overdue: d.overdue,
      paused: d.paused,
      supplement: {
        stage: d.supplement_stage,
        count: d.supplement_count,
        dueAt: d.supplement_due_at,
        missing: d.supplement_request?.missing ?? [],
        note: d.supplement_request?.note ?? null,
      },
      extension: d.extended_at ? { at: d.extended_at, reason: d.extension_reason } : null,
      current: {
        step: d.current_step,
        stepName: d.current_step_name,
        unitRole: d.current_unit_role,
        assignee: assignee ? { id: assignee.id, name: assignee.full_name } : null,
        since: d.holder_since,
        stepDueAt: d.step_due_at,
        stepOverdue: d.step_overdue,
      },
      result: { no: d.result_no, issuedAt: d.result_issued_at, timeliness: d.result, finishedAt: d.finished_at },
      closeReason: d.close_reason,
      attachments: attachments.map(
        (a: { component_id: string; file_id: string; reused_from_dossier_code: string | null }) => ({
          componentId: a.component_id,
          fileId: a.file_id,
          reusedFromDossierCode: a.reused_from_dossier_code,
        }),
      ),
      steps: stepEvents.map((e) => {
        const data = (e['data'] ?? {}) as { outcome?: string; reason?: string }
        return {
          stepId: e['step_id'] as string,
          stepName: e['step_name'] as string,
          giver: e['giver'] as string | null,
          receiverRole: e['receiver_role'] as string | null,
          receiverUser: e['receiver_user'] as string | null,
          receivedAt: e['at'] as Date,
          stepDueAt: e['step_due_at'] as Date | null,
          finishedAt: e['finished_at'] as Date | null,
          result: e['step_result'] as StepControlRow['result'],
          giverName: staffNames.get(e['giver'] as string) ?? null,
          receiverUserName: staffNames.get(e['receiver_user'] as string) ?? null,
          outcome: data.outcome === 'returned' ? 'returned' : null,
          returnReason: data.outcome === 'returned' ? (data.reason ?? null) : null,
        }
      }),
      timeline: events
        .filter((e: { kind: string }) => e.kind !== 'step')
        .map((e: Record<string, unknown>) => ({
          kind: e['kind'] as string,
          at: e['at'] as Date,
          actorId: e['actor_id'] as string | null,
          stepId: e['step_id'] as string | null,
          data: e['data'] as Record<string, unknown>,
        })),
      openTasks: tasks.map((t: Record<string, unknown>) => ({
        taskKey: t['user_task_key'] as string,
        elementId: t['element_id'] as string,
        name: t['name'] as string,
        candidateGroups: t['candidate_groups'] as string[],
        assignee: t['assignee'] as string | null,
        dueAt: t['due_at'] as Date | null,
      })),
      version: d.version,
    }
    if (staff && this.engine && d.process_instance_key) {
      const view = await this.engine.getProcessInstance(d.process_instance_key).catch(() => undefined)
      detail.incidents = (view?.incidents ?? []).map((i) => ({
        elementId: i.elementId,
        errorType: i.errorType,
        errorMessage: i.errorMessage,
        createdAt: i.createdAt,
      }))
    }
    return detail
  }

  /** The caller's own dossiers, newest first. */
  async mine(
    principal: Principal | undefined,
    opts: { status?: DossierStatus; limit?: number; offset?: number } = {},
  ): Promise<DossierSummary[]> {
    const caller = await requireAccess(this.knex, { principal, permission: 'dossier.readOwn' })
    const q = this.knex('dossiers')
      .select('*', this.knex.raw('due_date::text AS due_date'))
      .where({ applicant_id: caller.userId })
      .orderBy('created_at', 'desc')
      .limit(Math.min(opts.limit ?? 50, 200))
      .offset(opts.offset ?? 0)
    if (opts.status) q.andWhere({ status: opts.status })
    return ((await q) as DossierRow[]).map(summary)
  }

  /**
   * Tasks of the officer's unit subtree and groups (or claimed by them), sorted by due, with a cursor.
   *
   * Read per (unit path, candidate groups) pair of open tasks, each in index order and cut at the page size, then merged:
   * a subtree holds a few such pairs, so the first page costs a few short index scans instead of sorting every open task
   * of the subtree (docs/benchmarks.md, API). Tasks claimed by the caller outside their groups come from a second branch.
   */
  async worklist(
    principal: Principal | undefined,
    filter: WorklistFilter = {},
  ): Promise<{ items: WorklistItem[]; nextCursor: string | null }> {
    const caller = await requireAccess(this.knex, { principal, permission: 'task.work' })
    const limit = Math.min(filter.limit ?? 50, 200)
    const prefix = `${(caller.unitPath ?? '\u0000').replace(/[\\%_]/g, '\\$&')}%`
    const dueKey = `coalesce(t.due_at, '${FAR}'::timestamptz)`
    const cursor = filter.cursor ? decodeCursor(filter.cursor) : undefined
    // The same filters on both branches; those on the dossier are checked before the cut, so each branch stops at limit + 1 matches.
    const branch = () => {
      const q = this.knex('tasks as t')
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
          this.knex.raw(`${dueKey} AS sort_due`),
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
      ? this.knex.raw('?', [inSubtree().andWhere('t.assignee', caller.userId)])
      : filter.q
        ? // A text search matches few tasks: one pass over the subtree with a hash join beats a scan per pair that finds nothing.
          this.knex.raw('?', [
            inSubtree().andWhere((w) =>
              w.whereRaw('t.candidate_groups && ?::text[]', [caller.groups]).orWhere('t.assignee', caller.userId),
            ),
          ])
        : this.knex.raw(
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
    const { rows } = (await this.knex.raw(
      // Only what a summary shows: parsing every column of 51 dossiers (timestamps, JSON) was most of the route's CPU.
      `SELECT w.user_task_key, w.task_name, w.element_id, w.candidate_groups, w.assignee, w.task_due_at, w.task_created_at,
              ${summaryColumns.map((c) => `d.${c}`).join(', ')}, d.due_date::text AS due_date
         FROM (?) w JOIN dossiers d ON d.id = w.dossier_id
        ORDER BY w.sort_due, w.user_task_key LIMIT ?`,
      [branches, limit + 1],
    )) as {
      rows: Array<
        Parameters<typeof summary>[0] & {
          user_task_key: string
          task_name: string
          element_id: string
          candidate_groups: string[]
          assignee: string | null
          task_due_at: Date | null
          task_created_at: Date
        }
      >
    }
    const page = rows.slice(0, limit)
    const last = page[page.length - 1]
    return {
      items: page.map((r) => ({
        taskKey: r.user_task_key,
        taskName: r.task_name,
        elementId: r.element_id,
        candidateGroups: r.candidate_groups,
        assignee: r.assignee,
        dueAt: r.task_due_at,
        createdAt: r.task_created_at,
        dossier: summary(r),
      })),
      nextCursor: rows.length > limit && last ? encodeCursor(last.task_due_at, last.user_task_key) : null,
    }
  }

  /** A supervisor's (or officer's) dossiers of the unit subtree: open ones by due date, optionally only overdue or due before a date. */
  async unitDossiers(
    principal: Principal | undefined,
    filter: { overdue?: boolean; dueBefore?: Date; status?: DossierStatus; limit?: number; offset?: number } = {},
  ): Promise<DossierSummary[]> {
    const caller = await requireAccess(this.knex, { principal, permission: 'dossier.readUnit' })
    const q = this.knex('dossiers')
      .select('*', this.knex.raw('due_date::text AS due_date'))
      .where('unit_path', 'like', `${(caller.unitPath ?? '\u0000').replace(/[\\%_]/g, '\\$&')}%`)
      .orderByRaw('due_at NULLS LAST, id')
      .limit(Math.min(filter.limit ?? 50, 200))
      .offset(filter.offset ?? 0)
    if (filter.status) q.andWhere({ status: filter.status })
    else q.whereIn('status', openStatuses)
    if (filter.overdue !== undefined) q.andWhere({ overdue: filter.overdue })
    if (filter.dueBefore) q.andWhere('due_at', '<', filter.dueBefore)
    return ((await q) as DossierRow[]).map(summary)
  }

  /**
   * Public lookup by code and the applicant's ID number (no login): status, current step and unit, appointment
   * date — nothing else. A wrong ID number and an unknown code answer alike, in the same time: the same work
   * whatever the outcome, and no sleeping floor (docs/benchmarks.md, API). One query always reads one dossier and
   * its agency: the one with the code, or when there is none a decoy dossier (never shown). Both codes are probed
   * every time (the CTE is materialised, so neither probe is skipped), and either way one row comes back.
   */
  async lookup(code: string, idNumber: string): Promise<PublicLookup> {
    this.decoyCode ??=
      ((await this.knex('dossiers').whereNotNull('code').first('code')) as { code: string } | undefined)?.code ?? ''
    const { rows } = (await lookupStatement(this.knex, code.trim().toUpperCase(), this.decoyCode)) as {
      rows: Array<LookupRow>
    }
    // The decoy dossier is gone (or there was none yet): pick another next time.
    if (rows.length === 0) this.decoyCode = undefined
    const read = rows[0]
    const stored = read?.applicant_id_number ? digest(read.applicant_id_number) : decoy
    const matches = timingSafeEqual(stored, digest(idNumber.trim())) && Boolean(read?.hit && read.applicant_id_number)
    const row = read?.hit ? read : undefined
    if (!row || !matches) throw new AppError('MC_ERR_DOSSIER_NOT_FOUND')
    return {
      code: row.code,
      status: row.status,
      statusLabel: label(row.status),
      procedureName: row.procedure_name,
      currentStep: row.current_step_name,
      agency: row.agency,
      appointmentDate: row.due_date,
    }
  }
}
