// Reading dossiers: detail with timeline, the applicant's list, the officer's worklist, a unit's dossiers, and the
// public lookup.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'
import type { Knex } from 'knex'
import { can, coversUnit, requireAccess } from '../auth/access.js'
import type { Principal } from '../auth/principal.js'
import { dossierStatuses, type DossierStatus } from '../domain/dossier/status.js'
import type { DeliveryAddress } from '../delivery/address.js'
import { shipmentRepository, shipmentView, type Shipment } from '../delivery/repository.js'
import type { Engine } from '../engine/port.js'
import { AppError } from '../errors.js'
import { dossierViewRepository, FAR, type SummaryRow, type WorklistCriteria } from './dossier-view-repository.js'
import { dossierRepository } from './repository.js'
import { dossierTaskRepository } from './task-repository.js'
import { handlingUnitRepository } from './handling-unit-repository.js'

export { lookupStatement } from './dossier-view-repository.js'

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

/**
 * One step of the dossier's route (quy trình liên thông): which agency handles it, who, since when, due when, and
 * whether it was done on time. The applicant and the receiving agency both see every step, whichever agency handles it.
 */
export interface RouteStep {
  stepId: string
  stepName: string
  /** The handling agency (the task's unit); null for a step recorded before handling units were. */
  agency: { unitId: string; name: string; agencyCode: string | null } | null
  /** The candidate group within that agency. */
  role: string | null
  /** The officer handling or who handled the step: only staff readers get names; the applicant sees the agency. */
  officer: { id: string; name: string } | null
  since: Date
  dueAt: Date | null
  finishedAt: Date | null
  state: 'open' | 'done'
  /** Done: on time (early counts) or late; open: late once its step deadline has passed; null without a deadline. */
  timeliness: 'on_time' | 'late' | null
}

export interface DossierDetail {
  id: string
  code: string | null
  status: DossierStatus
  statusLabel: { vi: string; en: string }
  procedure: { code: string; slug: string; name: string }
  agency: { unitId: string; name: string }
  /** Reception regardless of place: the unit competent for the dossier when it was received elsewhere, else null. */
  competentAgency: { unitId: string; name: string } | null
  applicant: { name: string; idNumber: string | null; email: string | null; phone: string | null }
  channel: 'online' | 'counter'
  deliveryMethod: 'online' | 'counter' | 'post'
  /** Where the result is posted (delivery by post), and the parcels it was sent in. */
  deliveryAddress: DeliveryAddress | null
  shipments: Shipment[]
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
  /** Each component's file; a reused one names the earlier dossier and, when it is that dossier's signed result, it. */
  attachments: Array<{
    componentId: string
    fileId: string
    reusedFromDossierCode: string | null
    reusedFromResultId: string | null
  }>
  /** Phiếu kiểm soát quá trình giải quyết hồ sơ: one row per step holding. */
  steps: StepControlRow[]
  /** The whole route across agencies, one entry per step holding, oldest first. */
  route: RouteStep[]
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

export interface WorklistFilter extends WorklistCriteria {
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

function summary(d: SummaryRow): DossierSummary {
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
const encodeCursor = (due: Date | null, key: string) =>
  Buffer.from(JSON.stringify([due ? due.toISOString() : FAR, key])).toString('base64url')
/** The two halves of a cursor as encodeCursor writes them: an ISO instant (toISOString) and a task key. */
const cursorInstant = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{3})?Z$/
const cursorKey = /^[A-Za-z0-9:_-]{1,100}$/
/**
 * Reads a cursor strictly: only what encodeCursor writes passes, so nothing the client made up (a date that is not a
 * date, a key with a NUL byte) reaches PostgreSQL (22P02/22021 were 500s).
 */
function decodeCursor(cursor: string): [string, string] {
  try {
    const v = JSON.parse(Buffer.from(cursor, 'base64url').toString()) as unknown
    if (
      Array.isArray(v) &&
      v.length === 2 &&
      typeof v[0] === 'string' &&
      typeof v[1] === 'string' &&
      cursorInstant.test(v[0]) &&
      v[0] >= '1970' && // no year 0000, which PostgreSQL refuses
      Number.isFinite(Date.parse(v[0])) &&
      cursorKey.test(v[1])
    ) {
      // A calendar date that does not exist (2026-02-30) parses in JavaScript but not in PostgreSQL: round-trip it.
      const instant = new Date(v[0]).toISOString()
      if (instant === v[0] || instant === v[0].replace(/Z$/, '.000Z')) return [v[0], v[1]]
    }
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

export class DossierQueries {
  /** The code of the dossier the public lookup reads when no dossier has the code asked for. */
  private decoyCode: string | undefined
  private readonly views: ReturnType<typeof dossierViewRepository>

  constructor(
    private readonly knex: Knex,
    private readonly engine?: Engine,
  ) {
    this.views = dossierViewRepository(knex)
  }

  /** The applicant's own dossier, or one of a unit the officer covers; others are "not found". */
  async get(principal: Principal | undefined, dossierId: string): Promise<DossierDetail> {
    if (!principal) throw new AppError('MC_ERR_UNAUTHENTICATED')
    const d = await dossierRepository(this.knex).byId(dossierId)
    const own = d && d.applicant_id === principal.userId && can(principal, 'dossier.readOwn')
    if (!d || !own) {
      // The receiving agency reads its dossiers; an agency that handles or handled one of its steps reads it too
      // (read-only: its data, attachments and route), since it cannot work the step without them.
      const handling =
        d && principal.unitPath && !coversUnit(principal, d.unit_path)
          ? await dossierTaskRepository(this.knex).handledIn(d.id, principal.unitPath, { open: false })
          : undefined
      await requireAccess(this.knex, {
        principal,
        permission: 'dossier.readUnit',
        ...(d ? { unitPath: handling ?? d.unit_path } : {}),
        hideExistence: true,
        subject: { type: 'dossier', id: dossierId },
      })
      if (!d) throw new AppError('MC_ERR_DOSSIER_NOT_FOUND')
    }
    const staff = !own
    const [unit, competentUnit, assignee, attachments, events, tasks] = await Promise.all([
      this.views.unitName(d.agency_unit_id),
      d.competent_unit_id ? this.views.unitName(d.competent_unit_id) : Promise.resolve(undefined),
      d.current_assignee ? this.views.user(d.current_assignee) : Promise.resolve(undefined),
      this.views.attachments(d.id),
      this.views.events(d.id),
      this.views.openTasks(d.id),
    ])
    const stepEvents = events.filter((e) => e.kind === 'step')
    const staffIds = [
      ...new Set(
        stepEvents.flatMap((e) => [e['giver'], e['receiver_user']]).filter((v): v is string => typeof v === 'string'),
      ),
    ]
    const openAssignees = tasks.map((t) => t['assignee']).filter((v): v is string => typeof v === 'string')
    const named = [...new Set([...staffIds, ...openAssignees])]
    const staffNames = new Map(named.length ? (await this.views.userNames(named)).map((u) => [u.id, u.full_name]) : [])
    const agencies = await handlingUnitRepository(this.knex).namesByPath([
      ...new Set(stepEvents.map((e) => e['receiver_unit_path']).filter((p): p is string => typeof p === 'string')),
    ])
    const openByKey = new Map(tasks.map((t) => [t['user_task_key'] as string, t]))
    const now = new Date()
    const detail: DossierDetail = {
      id: d.id,
      code: d.code,
      status: d.status,
      statusLabel: label(d.status),
      procedure: { code: d.procedure_code, slug: d.procedure_slug, name: d.procedure_name },
      agency: { unitId: d.agency_unit_id, name: unit.name },
      competentAgency:
        competentUnit && d.competent_unit_id ? { unitId: d.competent_unit_id, name: competentUnit.name } : null,
      applicant: {
        name: d.applicant_name,
        idNumber: d.applicant_id_number,
        email: d.applicant_email,
        phone: d.applicant_phone,
      },
      channel: d.channel,
      deliveryMethod: d.delivery_method,
      deliveryAddress: d.delivery_address,
      shipments:
        d.delivery_method === 'post' ? (await shipmentRepository(this.knex).ofDossier(d.id)).map(shipmentView) : [],
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
      attachments: attachments.map((a) => ({
        componentId: a.component_id,
        fileId: a.file_id,
        reusedFromDossierCode: a.reused_from_dossier_code,
        reusedFromResultId: a.reused_from_result_id,
      })),
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
      route: stepEvents.map((e) => {
        const unit = agencies.get(e['receiver_unit_path'] as string)
        const finishedAt = e['finished_at'] as Date | null
        const dueAt = e['step_due_at'] as Date | null
        const officerId = finishedAt
          ? (e['receiver_user'] as string | null)
          : ((openByKey.get(e['user_task_key'] as string)?.['assignee'] as string | null | undefined) ?? null)
        const result = e['step_result'] as StepControlRow['result']
        return {
          stepId: e['step_id'] as string,
          stepName: e['step_name'] as string,
          agency: unit ? { unitId: unit.id, name: unit.name, agencyCode: unit.agency_code } : null,
          role: e['receiver_role'] as string | null,
          officer:
            staff && officerId && staffNames.has(officerId)
              ? { id: officerId, name: staffNames.get(officerId)! }
              : null,
          since: e['at'] as Date,
          dueAt,
          finishedAt,
          state: finishedAt ? 'done' : 'open',
          timeliness: finishedAt
            ? result === 'late'
              ? 'late'
              : result
                ? 'on_time'
                : null
            : dueAt
              ? dueAt.getTime() < now.getTime()
                ? 'late'
                : 'on_time'
              : null,
        } satisfies RouteStep
      }),
      timeline: events
        .filter((e) => e.kind !== 'step')
        .map((e) => ({
          kind: e['kind'] as string,
          at: e['at'] as Date,
          actorId: e['actor_id'] as string | null,
          stepId: e['step_id'] as string | null,
          data: e['data'] as Record<string, unknown>,
        })),
      openTasks: tasks.map((t) => ({
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
    const rows = await this.views.ofApplicant(caller.userId, {
      status: opts.status,
      limit: Math.min(opts.limit ?? 50, 200),
      offset: opts.offset ?? 0,
    })
    return rows.map(summary)
  }

  /**
   * Tasks of the officer's unit subtree and groups (or claimed by them), sorted by due, with a cursor (the query:
   * dossierViewRepository.worklist).
   */
  async worklist(
    principal: Principal | undefined,
    filter: WorklistFilter = {},
  ): Promise<{ items: WorklistItem[]; nextCursor: string | null }> {
    const caller = await requireAccess(this.knex, { principal, permission: 'task.work' })
    const limit = Math.min(filter.limit ?? 50, 200)
    const { cursor, ...rest } = filter
    const rows = await this.views.worklist(caller, {
      ...rest,
      limit,
      ...(cursor ? { after: decodeCursor(cursor) } : {}),
    })
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

  /**
   * A supervisor's (or officer's) dossiers of the unit subtree: open ones by due date, optionally only overdue or due
   * before a date.
   */
  async unitDossiers(
    principal: Principal | undefined,
    filter: { overdue?: boolean; dueBefore?: Date; status?: DossierStatus; limit?: number; offset?: number } = {},
  ): Promise<DossierSummary[]> {
    const caller = await requireAccess(this.knex, { principal, permission: 'dossier.readUnit' })
    const rows = await this.views.ofUnitSubtree(caller.unitPath, {
      overdue: filter.overdue,
      dueBefore: filter.dueBefore,
      status: filter.status,
      limit: Math.min(filter.limit ?? 50, 200),
      offset: filter.offset ?? 0,
    })
    return rows.map(summary)
  }

  /**
   * Public lookup by code and the applicant's ID number (no login): status, current step and unit, appointment
   * date — nothing else. A wrong ID number and an unknown code answer alike, in the same time: the same work
   * whatever the outcome, and no sleeping floor (docs/benchmarks.md, API). One query always reads one dossier and
   * its agency: the one with the code, or when there is none a decoy dossier (never shown). Both codes are probed
   * every time (the CTE is materialised, so neither probe is skipped), and either way one row comes back.
   */
  async lookup(code: string, idNumber: string): Promise<PublicLookup> {
    this.decoyCode ??= (await this.views.anyCode()) ?? ''
    const rows = await this.views.lookup(code.trim().toUpperCase(), this.decoyCode)
    // The decoy dossier is gone (or there was none yet): pick another next time.
    if (rows.length === 0) this.decoyCode = undefined
    const read = rows[0]
    // The applicant's CCCD (or tax code), passport number and old CMND: all three compared every time, an empty one
    // against the decoy, so which of them matched (or none) costs the same.
    const given = digest(idNumber.trim().toUpperCase())
    let matches = false
    for (const number of [read?.applicant_id_number, read?.applicant_passport_number, read?.applicant_old_id_number]) {
      const equal = timingSafeEqual(number ? digest(number.toUpperCase()) : decoy, given)
      matches = (equal && Boolean(number)) || matches
    }
    matches = matches && Boolean(read?.hit)
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
