// Reception regardless of place (tiếp nhận không phụ thuộc địa giới hành chính, Nghị định 118/2025/NĐ-CP): a reception
// point of the province (its service centre, a branch, a commune) receives a dossier of a procedure that another unit
// of the province is competent for, and forwards it there. What counter intake checks, which unit the `receiving`
// handling rule stands for, and the deadline of the forwarding (docs/organisation.md, "Reception regardless of place").
import type { Knex } from 'knex'
import { catalogueRepository } from '../catalogue/repository.js'
import { receivesProcedure } from '../catalogue/receiving-units.js'
import type { ProcedureDefinition } from '../catalogue/definition.js'
import {
  defaultOfficeHours,
  instantAt,
  localDay,
  MS_PER_MINUTE,
  sameDayDueDate,
  type OfficeHours,
  type WorkingCalendar,
} from '../domain/calendar/index.js'
import { Status, type DossierStatus } from '../domain/dossier/status.js'
import { AppError } from '../errors.js'
import { applicantCommuneCode } from './handling-unit.js'
import { handlingUnitRepository } from './handling-unit-repository.js'

/** The unit levels that are reception points of a province: the service centre, its branches, the communes. */
export const receptionPointLevels: readonly string[] = ['service_centre', 'service_centre_branch', 'commune']

/** The name of the forwarding step on the timeline. */
export const forwardingStepName = {
  vi: 'Chuyển hồ sơ đến cơ quan có thẩm quyền',
  en: 'Forward to the competent agency',
}

export interface UnitRef {
  id: string
  path: string
  level: string
  agency_code: string | null
  name: string
}

/** The province a unit belongs to: the first segment of its materialised path (`/tinh-demo/…` → `/tinh-demo/`). */
export function provincePathOf(path: string): string {
  const first = path.split('/').filter(Boolean)[0]
  return first ? `/${first}/` : path
}

/**
 * The unit competent for a dossier received at `receiving`: the unit the officer names (`competentUnitId`), else the
 * receiving unit when it receives the procedure itself, else — for a commune procedure — the commune of the applicant's
 * address. Returns undefined when the receiving unit is competent. Refuses with MC_ERR_RECEPTION_NOT_ALLOWED when the
 * procedure may not be received here, and MC_ERR_COMPETENT_AGENCY_INVALID when the competent unit is not one of the
 * province's units receiving the procedure (or cannot be found).
 */
export async function competentUnitFor(
  knex: Knex,
  def: ProcedureDefinition,
  receiving: UnitRef,
  formData: Record<string, unknown>,
  competentUnitId: string | undefined,
): Promise<UnitRef | undefined> {
  const receivesItself = receivesProcedure(receiving, def.agencyLevel)
  if (!competentUnitId || competentUnitId === receiving.id) {
    if (receivesItself) return undefined
  }
  if (!def.receptionAnywhere) {
    throw new AppError(
      'MC_ERR_RECEPTION_NOT_ALLOWED',
      `${def.name} is received only by its competent agency, not by ${receiving.name}`,
    )
  }
  if (!receptionPointLevels.includes(receiving.level) || !receiving.agency_code) {
    throw new AppError('MC_ERR_RECEPTION_NOT_ALLOWED', `${receiving.name} is not a reception point of the province`)
  }
  let competent: UnitRef | undefined
  if (competentUnitId) {
    competent = await catalogueRepository(knex).unitById(competentUnitId)
  } else if (def.agencyLevel === 'xa') {
    const code = applicantCommuneCode(formData, null)
    const found = code ? await handlingUnitRepository(knex).byAdminCode(code) : undefined
    competent = found ? await catalogueRepository(knex).unitById(found.id) : undefined
    if (!competent)
      throw new AppError(
        'MC_ERR_COMPETENT_AGENCY_INVALID',
        "Name the competent unit: the applicant's address gives no commune of the province",
      )
  } else {
    throw new AppError('MC_ERR_COMPETENT_AGENCY_INVALID', 'Name the competent unit (competentUnitId)')
  }
  if (
    !competent ||
    !receivesProcedure(competent, def.agencyLevel) ||
    provincePathOf(competent.path) !== provincePathOf(receiving.path)
  ) {
    throw new AppError(
      'MC_ERR_COMPETENT_AGENCY_INVALID',
      `${competentUnitId ?? 'The unit'} is not a unit of this province competent for ${def.name}`,
    )
  }
  return competent.id === receiving.id ? undefined : competent
}

/**
 * The unit the `receiving` handling rule stands for: the receiving unit while the dossier is being received and once
 * its result is ready to be returned (the applicant takes it where they handed the dossier in), the competent unit in
 * between, when the dossier was received for another unit.
 */
export function receivingRulePath(dossier: {
  unit_path: string
  competent_unit_path?: string | null
  accepted_at: Date | null
  status: DossierStatus
}): string {
  if (!dossier.competent_unit_path || !dossier.accepted_at) return dossier.unit_path
  if (dossier.status === Status.resolved || dossier.status === Status.returned) return dossier.unit_path
  return dossier.competent_unit_path
}

/**
 * The deadline of forwarding a dossier received at the counter to the competent agency: the same working day, or the
 * start of the next working day when it was received at or after 15:00 (or on a day off) — Nghị định 61/2018/NĐ-CP
 * Điều 19, the rule Nghị định 118/2025/NĐ-CP kept (docs/organisation.md).
 */
export function forwardingDueAt(
  calendar: WorkingCalendar,
  receivedAt: Date,
  hours: OfficeHours = defaultOfficeHours,
): Date {
  const at = receivedAt.getTime()
  const day = sameDayDueDate(calendar, at, hours)
  const windows = hours.officeWindows
  return day === localDay(at)
    ? new Date(instantAt(day, windows[windows.length - 1]!.end * MS_PER_MINUTE))
    : new Date(instantAt(day, windows[0]!.start * MS_PER_MINUTE))
}
