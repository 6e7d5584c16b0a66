// dossier.intake: an officer enters a dossier handed in at the counter of their agency.
import { requireAccess } from '../../auth/access.js'
import { agency, create } from './create.js'
import type { CommandHandler } from './registry.js'

export const intake: CommandHandler<'dossier.intake'> = {
  async execute({ principal, input }, rt) {
    const unit = await agency(rt.knex, input.agencyUnitId)
    const caller = await requireAccess(rt.knex, { principal, permission: 'task.work', unitPath: unit.path })
    return create(rt, caller, input, 'counter', input.applicant)
  },
}
