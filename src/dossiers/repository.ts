// SQL of dossiers: rows, locking, gap-free codes, the timeline, audit events and pending engine calls.
import type { Knex } from 'knex'
import type { ProcedureDefinition } from '../catalogue/definition.js'
import type { DossierEvent } from '../domain/deadlines/index.js'
import type { DossierStatus } from '../domain/dossier/status.js'
import { formatDossierCode } from '../domain/dossier/code.js'
import type { DeliveryAddress } from '../delivery/address.js'
import { AppError } from '../errors.js'

export type Db = Knex | Knex.Transaction

export interface DossierRow {
  id: string
  code: string | null
  procedure_id: string
  procedure_version_id: string
  procedure_code: string
  procedure_slug: string
  procedure_name: string
  agency_unit_id: string
  unit_path: string
  /** Reception regardless of place: the unit competent for the dossier when it was received elsewhere (else null). */
  competent_unit_id: string | null
  competent_unit_path: string | null
  applicant_id: string | null
  applicant_name: string
  applicant_id_number: string | null
  applicant_passport_number: string | null
  applicant_old_id_number: string | null
  applicant_email: string | null
  applicant_phone: string | null
  submitted_by: string | null
  channel: 'online' | 'counter'
  delivery_method: 'online' | 'counter' | 'post'
  /** Where the result is posted (delivery by post only). */
  delivery_address: DeliveryAddress | null
  form_data: Record<string, unknown>
  status: DossierStatus
  submitted_at: Date
  accepted_at: Date | null
  receipt_date: string | null
  due_date: string | null
  due_at: Date | null
  original_due_date: string | null
  original_due_at: Date | null
  deadline_events: DossierEvent[]
  paused: boolean
  suspended: boolean
  paused_since: Date | null
  supplement_count: number
  supplement_stage: 'reception' | 'processing' | null
  supplement_due_at: Date | null
  supplement_request: { missing?: string[]; note?: string } | null
  extended_at: Date | null
  extension_reason: string | null
  payment_amount_vnd: number | null
  current_step: string | null
  current_step_name: string | null
  current_unit_role: string | null
  current_assignee: string | null
  holder_since: Date | null
  step_due_at: Date | null
  step_overdue: boolean
  finished_at: Date | null
  result: 'early' | 'on_time' | 'late' | null
  result_no: string | null
  result_issued_at: Date | null
  close_reason: string | null
  overdue: boolean
  process_instance_key: string | null
  idempotency_owner: string | null
  idempotency_key: string | null
  version: number
  created_at: Date
  updated_at: Date
}

export type EngineCommand =
  | { kind: 'createInstance'; payload: { bpmnProcessId: string; version?: number; variables: Record<string, unknown> } }
  | { kind: 'completeTask'; payload: { userTaskKey: string; variables: Record<string, unknown> } }
  | {
      kind: 'publishMessage'
      payload: {
        name: string
        correlationKey: string
        messageId: string
        variables?: Record<string, unknown>
        timeToLiveMs: number
      }
    }
  | { kind: 'cancelInstance'; payload: { processInstanceKey?: string } }
  | { kind: 'assignTask'; payload: { userTaskKey: string; assignee: string | null } }

// The date columns come back as YYYY-MM-DD strings, not Dates shifted by the server's time zone.
const dateColumns = ['receipt_date', 'due_date', 'original_due_date'] as const
const selectDossier = (db: Db) =>
  db('dossiers').select('dossiers.*', ...dateColumns.map((c) => db.raw(`dossiers.${c}::text AS ${c}`)))

export function dossierRepository(db: Db) {
  return {
    byId: (id: string): Promise<DossierRow | undefined> =>
      /^[0-9a-f-]{36}$/i.test(id) ? selectDossier(db).where('dossiers.id', id).first() : Promise.resolve(undefined),
    byCode: (code: string): Promise<DossierRow | undefined> => selectDossier(db).where('dossiers.code', code).first(),
    byProcessInstance: (key: string): Promise<DossierRow | undefined> =>
      selectDossier(db).where('dossiers.process_instance_key', key).first(),
    byIdempotencyKey: (owner: string, key: string): Promise<DossierRow | undefined> =>
      selectDossier(db).where({ idempotency_owner: owner, idempotency_key: key }).first(),

    /** The dossier's id, status and code (what a command answers), without the rest of the row. */
    stateOf: async (id: string): Promise<{ id: string; status: DossierStatus; code: string | null } | undefined> =>
      (await db('dossiers').where({ id }).first('id', 'status', 'code')) as
        { id: string; status: DossierStatus; code: string | null } | undefined,

    /** The dossier's applicant and status, without the rest of the row. */
    applicantAndStatus: async (
      id: string,
    ): Promise<{ id: string; applicant_id: string | null; status: DossierStatus } | undefined> =>
      (await db('dossiers').where({ id }).first('id', 'applicant_id', 'status')) as
        { id: string; applicant_id: string | null; status: DossierStatus } | undefined,

    /** The definition of the procedure version the dossier was filed under, by the dossier's id. */
    definitionById: async (dossierId: string): Promise<ProcedureDefinition> =>
      (
        (await db('dossiers as d')
          .join('procedure_versions as v', 'v.id', 'd.procedure_version_id')
          .where('d.id', dossierId)
          .first('v.definition')) as { definition: ProcedureDefinition }
      ).definition,

    /** Adds a dossier; returns its id. */
    async insert(columns: Partial<Record<keyof DossierRow, unknown>> & { form_data: Record<string, unknown> }) {
      const [row] = (await db('dossiers')
        .insert({ ...columns, form_data: JSON.stringify(columns.form_data) })
        .returning('id')) as Array<{ id: string }>
      return row!.id
    },

    /** Locks the row for the rest of the transaction; 404 when there is none. */
    async lock(id: string): Promise<DossierRow> {
      const row = /^[0-9a-f-]{36}$/i.test(id)
        ? ((await selectDossier(db).where('dossiers.id', id).forUpdate().first()) as DossierRow | undefined)
        : undefined
      if (!row) throw new AppError('MC_ERR_DOSSIER_NOT_FOUND')
      return row
    },

    /** Writes a change and bumps the version used for optimistic concurrency by readers. */
    async update(id: string, patch: Partial<Record<keyof DossierRow, unknown>>): Promise<void> {
      const { deadline_events, form_data, supplement_request, ...rest } = patch
      await db('dossiers')
        .where({ id })
        .update({
          ...rest,
          ...(deadline_events !== undefined ? { deadline_events: JSON.stringify(deadline_events) } : {}),
          ...(form_data !== undefined ? { form_data: JSON.stringify(form_data) } : {}),
          ...(supplement_request !== undefined
            ? { supplement_request: supplement_request === null ? null : JSON.stringify(supplement_request) }
            : {}),
          version: db.raw('version + 1'),
          updated_at: db.fn.now(),
        })
    },

    async definitionOf(dossier: Pick<DossierRow, 'procedure_version_id'>): Promise<ProcedureDefinition> {
      const row = (await db('procedure_versions').where({ id: dossier.procedure_version_id }).first('definition')) as {
        definition: ProcedureDefinition
      }
      return row.definition
    },

    async timeline(dossierId: string, entry: Record<string, unknown>): Promise<void> {
      await db('dossier_events').insert({ dossier_id: dossierId, ...entry, data: JSON.stringify(entry['data'] ?? {}) })
    },

    /** Merges `data` into the timeline's step entry of a user task (the control-sheet row of that step). */
    async mergeIntoStepEntry(userTaskKey: string, data: Record<string, unknown>): Promise<void> {
      await db('dossier_events')
        .where({ user_task_key: userTaskKey, kind: 'step' })
        .update({ data: db.raw(`data || ?::jsonb`, [JSON.stringify(data)]) })
    },

    async audit(
      actorId: string | null | undefined,
      action: string,
      dossierId: string,
      data: Record<string, unknown> = {},
    ): Promise<void> {
      await db('audit_events').insert({
        actor_id: actorId ?? null,
        action,
        subject_type: 'dossier',
        subject_id: dossierId,
        data: JSON.stringify(data),
      })
    },

    /** Records an engine call to make after commit; returns its id for the relay. */
    async engineCommand(dossierId: string, command: EngineCommand): Promise<string> {
      const [row] = await db('engine_commands')
        .insert({ dossier_id: dossierId, kind: command.kind, payload: JSON.stringify(command.payload) })
        .returning('id')
      return String((row as { id: string | number }).id)
    },
  }
}

/**
 * The next code of an agency's receipt day. The counter row is locked until the caller's transaction
 * ends, so concurrent receptions queue on it and a rolled-back reception gives its number back:
 * codes are gap-free and unique.
 */
export async function nextDossierCode(trx: Knex.Transaction, agencyCode: string, receiptDate: string): Promise<string> {
  const { rows } = (await trx.raw(
    `INSERT INTO dossier_sequences (agency_code, day, last_value) VALUES (?, ?, 1)
     ON CONFLICT (agency_code, day) DO UPDATE SET last_value = dossier_sequences.last_value + 1
     RETURNING last_value`,
    [agencyCode, receiptDate],
  )) as { rows: Array<{ last_value: number }> }
  return formatDossierCode(agencyCode, receiptDate, rows[0]!.last_value)
}
