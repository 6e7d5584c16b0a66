// dossier.intake: an officer enters a dossier handed in at the counter of their agency. Documents reused from earlier
// dossiers come only from the officer's unit subtree, for the ID number on the applicant's card (attach.ts); a code of
// another unit, a wrong ID number and a code that does not exist answer the same. A reception point may receive a
// procedure of another unit of the province (receptionAnywhere) for that competent unit (reception-anywhere.ts).
import { requireAccess } from '../../auth/access.js'
import { agency, create } from './create.js'
import type { CommandHandler } from './registry.js'

export const intake: CommandHandler<'dossier.intake'> = {
  async execute({ principal, input }, rt) {
    const unit = await agency(rt.knex, input.agencyUnitId)
    const caller = await requireAccess(rt.knex, { principal, permission: 'task.work', unitPath: unit.path })
    return create(rt, caller, input, 'counter', input.applicant, input.competentUnitId)
  },
}
