// dossier.refuse: refused at reception, or refused during processing (with the reason the applicant is told).
import { AppError } from '../../errors.js'
import { decide } from './decide.js'
import type { CommandHandler } from './registry.js'

export const refuse: CommandHandler<'dossier.refuse'> = {
  async execute({ principal, dossierId, input }, rt) {
    if (!input.reason?.trim()) throw new AppError('MC_ERR_VALIDATION', 'A reason is required')
    return decide(rt, principal, dossierId, 'refuse', 'refuse', input, { refusalReason: input.reason })
  },
}
