// dossier.stop: the agency stops processing ("stopped"), with a reason.
import { AppError } from '../../errors.js'
import { requireUnit } from './access.js'
import { end } from './end.js'
import type { CommandHandler } from './registry.js'

export const stop: CommandHandler<'dossier.stop'> = {
  async execute({ principal, dossierId, input }, rt) {
    if (!input.reason?.trim()) throw new AppError('MC_ERR_VALIDATION', 'A reason is required')
    const caller = await requireUnit(rt.knex, principal, dossierId, 'task.work')
    return end(rt, 'stop', caller, dossierId, input.reason)
  },
}
