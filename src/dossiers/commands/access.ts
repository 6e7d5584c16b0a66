// Who may run a dossier command: a unit-scoped permission on the dossier's agency (for a decision on a task: or on the
// task's handling unit), or its applicant (or the counter acting for them). A dossier the caller may not see answers
// like one that does not exist.
import type { Knex } from 'knex'
import { can, coversUnit, recordDenial, requireAccess } from '../../auth/access.js'
import type { Principal } from '../../auth/principal.js'
import { AppError } from '../../errors.js'
import { dossierRepository } from '../repository.js'
import { dossierTaskRepository } from '../task-repository.js'

/**
 * Checks a unit-scoped permission on the dossier's agency; the dossier's existence does not leak. `scope: 'task'` (a
 * decision on a task, claiming it): the unit of one of the dossier's open tasks will do too, so the officers of the
 * agency handling a step work it; what they may do there is then narrowed to their own unit's tasks (openTaskFor).
 * The dossier's own commands (stop, extend, suspend, resume) stay with the receiving agency.
 */
export async function requireUnit(
  knex: Knex,
  principal: Principal | undefined,
  dossierId: string,
  permission: 'task.work' | 'task.assign',
  scope: 'receiving' | 'task' = 'receiving',
): Promise<Principal> {
  const dossier = await dossierRepository(knex).byId(dossierId)
  if (!dossier) {
    // Hidden like an existing dossier the caller may not touch: the same 404 either way, and the same audit write, so
    // the time does not tell either.
    const subject = { type: 'dossier', id: dossierId }
    const caller = await requireAccess(knex, { principal, permission, hideExistence: true, subject })
    await recordDenial(knex, caller, { permission, subject })
    throw new AppError('MC_ERR_DOSSIER_NOT_FOUND')
  }
  const handling =
    scope === 'task' && principal?.unitPath && !coversUnit(principal, dossier.unit_path)
      ? await dossierTaskRepository(knex).handledIn(dossier.id, principal.unitPath, { open: true })
      : undefined
  const unitPath = handling ?? dossier.unit_path
  // Someone who may read the dossier learns they may not do this (403); anyone else, that there is nothing here.
  const mayRead = principal !== undefined && can(principal, 'dossier.readUnit') && coversUnit(principal, unitPath)
  return requireAccess(knex, {
    principal,
    permission,
    unitPath,
    hideExistence: !mayRead,
    subject: { type: 'dossier', id: dossierId },
  })
}

/** The applicant themself, or an officer of the agency acting for them at the counter. */
export async function requireApplicantOrCounter(
  knex: Knex,
  principal: Principal | undefined,
  dossierId: string,
): Promise<Principal> {
  const dossier = await dossierRepository(knex).byId(dossierId)
  if (principal && dossier && dossier.applicant_id === principal.userId)
    return requireAccess(knex, { principal, permission: 'dossier.submit' })
  if (principal && dossier && (principal.kind === 'officer' || principal.kind === 'supervisor')) {
    return requireAccess(knex, {
      principal,
      permission: 'task.work',
      unitPath: dossier.unit_path,
      hideExistence: true,
      subject: { type: 'dossier', id: dossierId },
    })
  }
  if (!principal) throw new AppError('MC_ERR_UNAUTHENTICATED')
  throw new AppError('MC_ERR_DOSSIER_NOT_FOUND')
}
