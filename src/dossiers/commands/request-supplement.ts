// dossier.requestSupplement: at reception (R6, no clock) or once during processing (R7).
import { decide } from './decide.js'
import type { CommandHandler } from './registry.js'

export const requestSupplement: CommandHandler<'dossier.requestSupplement'> = {
  async execute({ principal, dossierId, input }, rt) {
    return decide(rt, principal, dossierId, 'requestSupplement', 'supplement', input, {
      supplementMissing: input.missing,
    })
  },
}
