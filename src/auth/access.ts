// Authorisation in one place: which kind of account may do what, on which unit's data.
import type { Knex } from 'knex'
import { AppError, type ProblemCode } from '../errors.js'
import type { Principal, UserKind } from './principal.js'
import { auditRepository } from '../db/audit-repository.js'

export type Permission =
  | 'catalogue.read'
  | 'catalogue.edit'
  | 'catalogue.publish'
  | 'dossier.submit'
  | 'dossier.readOwn'
  | 'dossier.readUnit'
  | 'task.work'
  | 'task.assign'
  | 'supervision.read'
  | 'calendar.edit'
  | 'users.manage'
  | 'units.manage'
  | 'audit.read'

const grants: Record<UserKind, readonly Permission[]> = {
  citizen: ['catalogue.read', 'dossier.submit', 'dossier.readOwn'],
  organisation: ['catalogue.read', 'dossier.submit', 'dossier.readOwn'],
  enterprise: ['catalogue.read', 'dossier.submit', 'dossier.readOwn'],
  officer: ['catalogue.read', 'dossier.readUnit', 'task.work'],
  supervisor: ['catalogue.read', 'dossier.readUnit', 'task.work', 'task.assign', 'supervision.read', 'audit.read'],
  analyst: ['catalogue.read', 'catalogue.edit', 'catalogue.publish'],
  administrator: ['catalogue.read', 'calendar.edit', 'users.manage', 'units.manage', 'audit.read'],
}

/** What an account of this kind (its role) may do. */
export function permissionsOf(kind: UserKind): readonly Permission[] {
  return grants[kind]
}

export function can(principal: Principal, permission: Permission): boolean {
  return grants[principal.kind].includes(permission)
}

/** True when the unit at `unitPath` is the principal's unit or lies below it. */
export function coversUnit(principal: Principal, unitPath: string): boolean {
  return Boolean(principal.unitPath && unitPath.startsWith(principal.unitPath))
}

export interface AccessRequest {
  principal: Principal | undefined
  permission: Permission
  /** For unit-scoped data: the path of the unit that owns it. */
  unitPath?: string
  /** Where existence must not leak, a denial answers 404 instead of 403 (the subject type's own "not found"). */
  hideExistence?: boolean
  /** Recorded in the audit log on denial. */
  subject?: { type: string; id: string }
}

/**
 * Throws 401/403/404 unless the principal holds the permission (and, for unit data, covers the
 * unit). Denials are written to the audit log.
 */
export async function requireAccess(knex: Knex, req: AccessRequest): Promise<Principal> {
  const { principal } = req
  if (!principal) throw new AppError('MC_ERR_UNAUTHENTICATED')
  const allowed = can(principal, req.permission) && (req.unitPath === undefined || coversUnit(principal, req.unitPath))
  if (allowed) return principal
  await recordDenial(knex, principal, req)
  throw new AppError(
    req.hideExistence ? (notFoundOf[req.subject?.type ?? ''] ?? 'MC_ERR_NOT_FOUND') : 'MC_ERR_FORBIDDEN',
  )
}

/**
 * Writes `access.denied` to the audit log. Also for a subject that does not exist where existence must not leak (a
 * task key or dossier id outside the caller's reach, or nowhere): the same write either way, so the time of the answer
 * does not tell them apart.
 */
export async function recordDenial(
  knex: Knex,
  principal: Principal,
  req: Pick<AccessRequest, 'permission' | 'unitPath' | 'subject'>,
): Promise<void> {
  await auditRepository(knex).record({
    actorId: principal.userId,
    action: 'access.denied',
    subjectType: req.subject?.type ?? 'permission',
    subjectId: req.subject?.id ?? req.permission,
    data: { permission: req.permission, unitPath: req.unitPath ?? null },
  })
}

/**
 * A hidden denial answers what the subject's own "not found" says: a generic 404 beside a specific one for an id that
 * does not exist told an officer of another unit which task keys (sequential numbers) and dossiers exist.
 */
const notFoundOf: Record<string, ProblemCode> = {
  dossier: 'MC_ERR_DOSSIER_NOT_FOUND',
  task: 'MC_ERR_TASK_NOT_FOUND',
  draft: 'MC_ERR_DRAFT_NOT_FOUND',
  procedure: 'MC_ERR_PROCEDURE_NOT_FOUND',
  unit: 'MC_ERR_UNIT_NOT_FOUND',
  user: 'MC_ERR_ACCOUNT_NOT_FOUND',
}
