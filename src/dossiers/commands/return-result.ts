// dossier.returnResult: the result is handed to the applicant at the counter or sent by post ("returned" follows).
import { decide } from './decide.js'
import type { CommandHandler } from './registry.js'

export const returnResult: CommandHandler<'dossier.returnResult'> = {
  async execute({ principal, dossierId, input }, rt) {
    return decide(rt, principal, dossierId, 'returnResult', 'returned', input)
  },
}
