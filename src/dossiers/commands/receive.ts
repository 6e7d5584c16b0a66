// dossier.receive: the counter officer accepts the dossier (the receive job then issues the receipt and code).
import { decide } from './decide.js'
import type { CommandHandler } from './registry.js'

export const receive: CommandHandler<'dossier.receive'> = {
  async execute({ principal, dossierId, input }, rt) {
    return decide(rt, principal, dossierId, 'receive', 'accept', input)
  },
}
