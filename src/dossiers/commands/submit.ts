// dossier.submit: a citizen or business submits online (status "submitted"); the process starts after commit.
import { requireAccess } from '../../auth/access.js'
import { accountRepository } from '../../auth/repository.js'
import { create } from './create.js'
import type { CommandHandler } from './registry.js'

export const submit: CommandHandler<'dossier.submit'> = {
  async execute({ principal, input }, rt) {
    const caller = await requireAccess(rt.knex, { principal, permission: 'dossier.submit' })
    const user = await accountRepository(rt.knex).applicantProfile(caller.userId)
    return create(rt, caller, input, 'online', {
      name: user.full_name,
      ...(user.id_number || user.tax_code ? { idNumber: (user.id_number ?? user.tax_code)! } : {}),
      ...(user.passport_number ? { passportNumber: user.passport_number } : {}),
      ...(user.old_id_number ? { oldIdNumber: user.old_id_number } : {}),
      ...(user.email ? { email: user.email } : {}),
      ...(user.phone ? { phone: user.phone } : {}),
    })
  },
}
