// What an applicant does with their own account: recover a forgotten password by e-mail, change the password, the
// e-mail address (re-verified), the phone and how to be notified (e-mail, SMS or both), and the profile that
// pre-fills the applicant block of dossier forms.
import { createHash, randomBytes, randomUUID } from 'node:crypto'
import type { Knex } from 'knex'
import { auditRepository } from '../db/audit-repository.js'
import { AppError } from '../errors.js'
import { enqueueEmail } from '../notifications/email.js'
import type { BotCheck } from './altcha.js'
import { vietnameseMobile } from '../notifications/sms-text.js'
import { onboardingRepository, type NotifyBy, type ProfileRow, type RecoveryRow } from './onboarding-repository.js'
import { hashPassword, verifyPassword } from './passwords.js'
import type { Principal } from './principal.js'
import { citizenKinds } from './principal.js'
import { passwordProblems, verificationHours } from './registration.js'

/** A reset link works once, for this long. */
export const resetMinutes = 30

const sha256 = (s: string): string => createHash('sha256').update(s).digest('hex')

/** The profile as the API answers it. */
export interface Profile {
  username: string
  kind: string
  fullName: string
  email: string | null
  emailVerified: boolean
  phone: string | null
  idNumber: string | null
  passportNumber: string | null
  oldIdNumber: string | null
  taxCode: string | null
  identityAssurance: string
  notifyBy: NotifyBy
}

const profileOf = (r: ProfileRow): Profile => ({
  username: r.username,
  kind: r.kind,
  fullName: r.full_name,
  email: r.email,
  emailVerified: r.email_verified_at !== null,
  phone: r.phone,
  idNumber: r.id_number,
  passportNumber: r.passport_number,
  oldIdNumber: r.old_id_number,
  taxCode: r.tax_code,
  identityAssurance: r.identity_assurance,
  notifyBy: r.notify_by,
})

function weakPassword(password: string, account: RecoveryRow): void {
  const weak = passwordProblems(password, account.username, [
    account.full_name,
    account.email,
    account.id_number,
    account.tax_code,
    account.phone,
  ])
  if (weak.length)
    throw new AppError('MC_ERR_PASSWORD_WEAK', weak.join('; '), {
      errors: weak.map((message) => ({ field: 'body.password', message })),
    })
}

/** The caller's own applicant account (staff accounts are managed by their administrators). */
async function ownAccount(knex: Knex | Knex.Transaction, principal: Principal | undefined): Promise<RecoveryRow> {
  if (!principal) throw new AppError('MC_ERR_UNAUTHENTICATED')
  if (!(citizenKinds as readonly string[]).includes(principal.kind)) throw new AppError('MC_ERR_FORBIDDEN')
  const account = await onboardingRepository(knex).accountById(principal.userId)
  if (!account) throw new AppError('MC_ERR_UNAUTHENTICATED')
  return account
}

/**
 * Mails a single-use reset link when an applicant account has this address, and a notice saying there is none
 * otherwise. The answer and the statements are the same either way (one bot check, one read, one reset row — without
 * an account for an unknown address, never mailed —, one mail, one audit row).
 */
export async function requestPasswordReset(
  knex: Knex,
  botCheck: BotCheck,
  input: { email: string; altcha: string },
  linkBase: string,
  now = new Date(),
): Promise<void> {
  const email = input.email.trim().toLowerCase()
  const token = randomBytes(32).toString('base64url')
  const expiresAt = new Date(now.getTime() + resetMinutes * 60_000)
  await knex.transaction(async (trx) => {
    await botCheck.spend(trx, input.altcha)
    const repo = onboardingRepository(trx)
    const account = await repo.accountByEmail(email)
    await repo.insertPasswordReset(sha256(token), account?.id ?? null, expiresAt)
    await enqueueEmail(trx, {
      eventId: `password-reset:${randomUUID()}`,
      to: email,
      template: account
        ? {
            name: 'password-reset',
            data: {
              recipientName: account.full_name,
              username: account.username,
              link: `${linkBase}?token=${token}`,
              expiresAt,
            },
          }
        : { name: 'password-reset-unknown', data: {} },
    })
    // No actor (the caller is anonymous) and the same columns either way: the statement does not tell.
    await auditRepository(trx).record({
      action: 'auth.passwordResetRequested',
      subjectType: account ? 'user' : 'email',
      subjectId: account ? account.id : sha256(email),
      data: {},
    })
  })
}

/**
 * Sets a new password with a reset token: once, before it expires. Every session of the account ends (refresh tokens
 * revoked) and the owner is told by mail.
 */
export async function resetPassword(
  knex: Knex,
  input: { token: string; password: string },
  now = new Date(),
): Promise<void> {
  const tokenHash = sha256(input.token)
  // Checked before hashing so a bad token costs nothing; hashed outside the transaction (argon2 takes a while).
  const peek = await onboardingRepository(knex).passwordResetForUpdate(tokenHash)
  if (!peek?.user_id || peek.used_at || peek.expires_at <= now) throw new AppError('MC_ERR_RESET_TOKEN_INVALID')
  const account = await onboardingRepository(knex).accountById(peek.user_id)
  if (!account) throw new AppError('MC_ERR_RESET_TOKEN_INVALID')
  weakPassword(input.password, account)
  const passwordHash = await hashPassword(input.password)
  await knex.transaction(async (trx) => {
    const repo = onboardingRepository(trx)
    const row = await repo.passwordResetForUpdate(tokenHash)
    if (!row || row.used_at || row.expires_at <= now) throw new AppError('MC_ERR_RESET_TOKEN_INVALID')
    await repo.usePasswordResets(account.id, now)
    await changed(trx, account, passwordHash, 'auth.passwordReset', now)
  })
}

/** Stores the new hash, ends every session, tells the owner, audits. */
async function changed(
  trx: Knex.Transaction,
  account: RecoveryRow,
  passwordHash: string,
  action: string,
  now: Date,
): Promise<void> {
  const repo = onboardingRepository(trx)
  await repo.setPasswordHash(account.id, passwordHash)
  await repo.revokeAllSessions(account.id, now)
  if (account.email)
    await enqueueEmail(trx, {
      eventId: `${action}:${randomUUID()}`,
      to: account.email,
      template: { name: 'password-changed', data: { recipientName: account.full_name, username: account.username } },
    })
  await auditRepository(trx).record({
    actorId: account.id,
    action,
    subjectType: 'user',
    subjectId: account.id,
    data: {},
  })
}

/** Changes the caller's password after checking the current one; every session ends, this one included. */
export async function changePassword(
  knex: Knex,
  principal: Principal | undefined,
  input: { currentPassword: string; password: string },
  now = new Date(),
): Promise<void> {
  const account = await ownAccount(knex, principal)
  if (!(await verifyPassword(account.password_hash, input.currentPassword))) throw new AppError('MC_ERR_PASSWORD_WRONG')
  weakPassword(input.password, account)
  const passwordHash = await hashPassword(input.password)
  await knex.transaction((trx) => changed(trx, account, passwordHash, 'auth.passwordChanged', now))
}

export async function profile(knex: Knex, principal: Principal | undefined): Promise<Profile> {
  const account = await ownAccount(knex, principal)
  return profileOf((await onboardingRepository(knex).profile(account.id))!)
}

/**
 * Changes the phone, the old CMND number (neither is proof of anything) and how dossier notices reach the applicant;
 * the ID numbers stay as established. SMS needs a Vietnamese mobile number: the phone after the change must be one
 * whenever the choice after the change includes SMS, so neither field can be changed into a contradiction.
 */
export async function updateProfile(
  knex: Knex,
  principal: Principal | undefined,
  patch: { phone?: string | null; oldIdNumber?: string | null; notifyBy?: NotifyBy },
): Promise<Profile> {
  const account = await ownAccount(knex, principal)
  return knex.transaction(async (trx) => {
    const repo = onboardingRepository(trx)
    const current = (await repo.profile(account.id))!
    const phone = patch.phone !== undefined ? patch.phone : current.phone
    const notifyBy = patch.notifyBy ?? current.notify_by
    if (notifyBy !== 'email' && !(phone && vietnameseMobile(phone)))
      throw new AppError('MC_ERR_PHONE_NOT_MOBILE', undefined, {
        errors: [
          {
            field: patch.phone !== undefined ? 'body.phone' : 'body.notifyBy',
            message: 'not a Vietnamese mobile number',
          },
        ],
      })
    await repo.updateProfile(account.id, patch)
    await auditRepository(trx).record({
      actorId: account.id,
      action: 'account.profileChanged',
      subjectType: 'user',
      subjectId: account.id,
      data: { fields: Object.keys(patch) },
    })
    return profileOf((await repo.profile(account.id))!)
  })
}

/**
 * Asks to use another e-mail address: after the current password, a link goes to the new address, and the account
 * changes address only when it is opened (registration.ts verifyEmail). An address another account uses is refused
 * only then, so this answer does not tell whether an address has an account.
 */
export async function requestEmailChange(
  knex: Knex,
  principal: Principal | undefined,
  input: { currentPassword: string; email: string },
  linkBase: string,
  now = new Date(),
): Promise<{ pendingEmail: string; verificationExpiresAt: Date }> {
  const account = await ownAccount(knex, principal)
  if (!(await verifyPassword(account.password_hash, input.currentPassword))) throw new AppError('MC_ERR_PASSWORD_WRONG')
  const email = input.email.trim().toLowerCase()
  const token = randomBytes(32).toString('base64url')
  const expiresAt = new Date(now.getTime() + verificationHours * 3600_000)
  await knex.transaction(async (trx) => {
    await onboardingRepository(trx).insertEmailChange(sha256(token), account.id, email, expiresAt)
    await enqueueEmail(trx, {
      eventId: `email-change:${sha256(token).slice(0, 16)}`,
      to: email,
      template: {
        name: 'email-change',
        data: { recipientName: account.full_name, link: `${linkBase}?token=${token}`, expiresAt },
      },
    })
    await auditRepository(trx).record({
      actorId: account.id,
      action: 'account.emailChangeRequested',
      subjectType: 'user',
      subjectId: account.id,
      data: {},
    })
  })
  return { pendingEmail: email, verificationExpiresAt: expiresAt }
}

/** The applicant block pre-filled from the profile (the fields the reference forms' applicant groups use). */
export function applicantBlockFrom(p: ProfileRow): Record<string, string> {
  const block: Record<string, string> = { hoTen: p.full_name }
  if (p.id_number) block['soDinhDanh'] = p.id_number
  if (p.phone) block['soDienThoai'] = p.phone.replace(/\s+/g, '')
  if (p.email) block['email'] = p.email
  return block
}
