// The identity record: how an account's CCCD was established. A counter officer who has seen the card marks the
// account verified; when the number is held by an account that only typed it, the number moves to the verified owner.
import { randomUUID } from 'node:crypto'
import type { Knex } from 'knex'
import { auditRepository } from '../db/audit-repository.js'
import { AppError } from '../errors.js'
import { enqueueEmail } from '../notifications/email.js'
import { requireAccess } from './access.js'
import type { Principal } from './principal.js'
import { accountRepository, type IdentityAssurance } from './repository.js'

export interface CounterVerification {
  userId: string
  username: string
  idNumber: string
  identityAssurance: IdentityAssurance
  identityVerifiedAt: Date
  /** True when the number was taken from a self-declared account. */
  numberReclaimed: boolean
}

/**
 * An officer at a counter, having checked the applicant's CCCD card, marks the citizen account `username` as the
 * card's owner. A number held by another self-declared account moves here (that account loses it, and with it any
 * reuse by number); a number held by another verified account is a conflict for a supervisor to resolve. Audited.
 */
export async function verifyIdentityAtCounter(
  knex: Knex,
  principal: Principal | undefined,
  input: { username: string; idNumber: string },
  now = new Date(),
): Promise<CounterVerification> {
  const officer = await requireAccess(knex, { principal, permission: 'task.work' })
  const username = input.username.trim().toLowerCase()
  return knex.transaction(async (trx) => {
    const accounts = accountRepository(trx)
    const audit = auditRepository(trx)
    // Serialised with sign-up, so a registration cannot take the number while it moves.
    await accounts.lockRegistrations()
    const account = await accounts.identityByUsernameForUpdate(username)
    if (!account || account.kind !== 'citizen') throw new AppError('MC_ERR_NOT_FOUND', `No citizen account ${username}`)
    if (account.identity_assurance !== 'self_declared' && account.id_number && account.id_number !== input.idNumber)
      throw new AppError('MC_ERR_IDENTITY_CONFLICT', 'This account is verified with another ID number')
    const holder = await accounts.holderOfIdNumberForUpdate(input.idNumber)
    let reclaimed = false
    if (holder && holder.id !== account.id) {
      if (holder.identity_assurance !== 'self_declared')
        throw new AppError('MC_ERR_IDENTITY_CONFLICT', 'Another verified account holds this ID number')
      await accounts.clearIdNumber(holder.id)
      reclaimed = true
      await audit.record({
        actorId: officer.userId,
        action: 'identity.numberReclaimed',
        subjectType: 'user',
        subjectId: holder.id,
        data: { to: account.id, assurance: holder.identity_assurance },
      })
      if (holder.email)
        await enqueueEmail(trx, {
          eventId: `identity:${randomUUID()}:reclaimed`,
          to: holder.email,
          template: { name: 'identity-notice', data: { recipientName: holder.full_name, reason: 'number-reclaimed' } },
        })
    }
    await accounts.setIdentity(account.id, {
      idNumber: input.idNumber,
      assurance: 'counter',
      at: now,
      by: officer.userId,
    })
    await audit.record({
      actorId: officer.userId,
      action: 'identity.verifyAtCounter',
      subjectType: 'user',
      subjectId: account.id,
      data: {
        unitId: officer.unitId ?? null,
        previous: account.identity_assurance,
        numberChanged: account.id_number !== input.idNumber,
        reclaimedFrom: reclaimed ? holder!.id : null,
      },
    })
    return {
      userId: account.id,
      username: account.username,
      idNumber: input.idNumber,
      identityAssurance: 'counter',
      identityVerifiedAt: now,
      numberReclaimed: reclaimed,
    }
  })
}
