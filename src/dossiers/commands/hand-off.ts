// dossier.handOff: the step's work is done and approved; the process hands the dossier to the next step (the leader's
// signature ends processing and the result is issued). `verificationNeeded` / `consultationNeeded` choose the optional
// branches.
import { decide } from './decide.js'
import type { CommandHandler } from './registry.js'

export const handOff: CommandHandler<'dossier.handOff'> = {
  async execute({ principal, dossierId, input }, rt) {
    const vars: Record<string, unknown> = {}
    if (input.verificationNeeded !== undefined) vars['verificationNeeded'] = input.verificationNeeded
    if (input.consultationNeeded !== undefined) vars['consultationNeeded'] = input.consultationNeeded
    // The agency the officer chose for the next step (its `unit` rule is `chosen`; the task desk checked the choice).
    if (input.nextUnit !== undefined) vars['nextUnit'] = input.nextUnit
    return decide(rt, principal, dossierId, 'handOff', 'approve', input, vars)
  },
}
