// dossier.submit: a citizen or business submits online (status "submitted"); the process starts after commit.
import { requireAccess } from '../../auth/access.js'
import { create } from './create.js'
import type { CommandHandler } from './registry.js'

export const submit: CommandHandler<'dossier.submit'> = {
  async execute({ principal, input }, rt) {
    const caller = await requireAccess(rt.knex, { principal, permission: 'dossier.submit' })
    const user = (await rt.knex('users').where({ id: caller.userId }).first()) as {
      full_name: string
      id_number: string | null
      tax_code: string | null
      email: string | null
      phone: string | null
    }
    return create(rt, caller, input, 'online', {
      name: user.full_name,
      ...(user.id_number || user.tax_code ? { idNumber: (user.id_number ?? user.tax_code)! } : {}),
      ...(user.email ? { email: user.email } : {}),
      ...(user.phone ? { phone: user.phone } : {}),
    })
  },
}
