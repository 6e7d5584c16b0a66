// dossier.withdraw: the applicant withdraws ("withdrawn"); the process is cancelled.
import { requireApplicantOrCounter } from './access.js'
import { end } from './end.js'
import type { CommandHandler } from './registry.js'

export const withdraw: CommandHandler<'dossier.withdraw'> = {
  async execute({ principal, dossierId, input }, rt) {
    const caller = await requireApplicantOrCounter(rt.knex, principal, dossierId)
    return end(rt, 'withdraw', caller, dossierId, input.reason)
  },
}
