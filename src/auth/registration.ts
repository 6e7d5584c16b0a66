// Self-registration of citizens, organisations and enterprises, and e-mail verification by a link whose token is stored
// hashed.
import { createHash, randomBytes, randomUUID } from 'node:crypto'
import type { Knex } from 'knex'
import { AppError } from '../errors.js'
import { enqueueEmail } from '../notifications/email.js'
import { hashPassword } from './passwords.js'
import { passwordStrength } from './password-strength.js'
import { accountRepository } from './repository.js'
import { auditRepository } from '../db/audit-repository.js'
import type { IdentityNoticeReason } from '../notifications/templates.js'
import type { BotCheck } from './altcha.js'
import { onboardingRepository } from './onboarding-repository.js'

export interface RegistrationInput {
  kind: 'citizen' | 'organisation' | 'enterprise'
  username: string
  fullName: string
  email: string
  password: string
  phone?: string
  /** CCCD, 12 digits: required for citizens, unless a foreigner gives a passport number instead. */
  idNumber?: string
  /** A foreigner's passport number (citizens without a CCCD). */
  passportNumber?: string
  /** The ALTCHA widget's payload: the solved bot check, spent by this sign-up. */
  altcha: string
  /** Mã số thuế (10 digits, or 10-3 for a branch): required for enterprises and organisations. */
  taxCode?: string
}

export const verificationHours = 48

const sha256 = (s: string): string => createHash('sha256').update(s).digest('hex')

/**
 * ≥ 10 characters, at least two classes (lower, upper, digit, other), not the username in any case, and not guessable:
 * a zxcvbn score of at least 3 against common passwords and the account's own data (`userData`: name, e-mail, ID
 * number, tax code, phone). Each problem is Vietnamese then English.
 */
export function passwordProblems(
  password: string,
  username: string,
  userData: ReadonlyArray<string | null | undefined> = [],
): string[] {
  const problems: string[] = []
  if ([...password].length < 10) problems.push('ít nhất 10 ký tự / at least 10 characters')
  const classes = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^a-zA-Z0-9]/].filter((r) => r.test(password)).length
  if (classes < 2) problems.push('nhiều loại ký tự / more than one kind of character')
  if (password.toLowerCase().includes(username.toLowerCase()))
    problems.push('không được chứa tên đăng nhập / must not contain the username')
  if (!problems.length) {
    const strength = passwordStrength(password, [username, ...userData])
    if (strength.weak) problems.push(strength.message!)
  }
  return problems
}

/** What sign-up answers, the same whatever the username, e-mail or number already belong to. */
export interface RegistrationAnswer {
  username: string
  verificationExpiresAt: Date
}

/**
 * Creates the account unverified and mails the verification link through the outbox, in one transaction.
 * `linkBase` is the portal page that posts the token back to /api/auth/verify-email.
 *
 * The answer never says whether the username, the e-mail or the ID number is taken (that told anyone whether a CCCD
 * has an account); the mail says it, to the address's owner:
 * - the e-mail belongs to an account: no account; its owner is told someone tried;
 * - the username is taken: no account; the registrant is told by mail to choose another (an oracle only for the
 *   mailbox's owner, one mail per try, rate-limited like sign-up);
 * - the ID number / tax code is held by another account: the account is made WITHOUT the number (a typed number
 *   proves nothing); the registrant is told to prove it at a counter, the holder that someone tried.
 */
export async function register(
  knex: Knex,
  botCheck: BotCheck,
  input: RegistrationInput,
  linkBase: string,
  now = new Date(),
): Promise<RegistrationAnswer> {
  const username = input.username.trim().toLowerCase()
  const email = input.email.trim().toLowerCase()
  const fullName = input.fullName.trim()
  const passportNumber = input.passportNumber?.trim().toUpperCase()
  if (input.kind === 'citizen' && !passportNumber && !/^\d{12}$/.test(input.idNumber ?? ''))
    throw new AppError('MC_ERR_VALIDATION', 'idNumber: a CCCD has 12 digits (or give a passport number)', {
      errors: [{ field: 'body.idNumber', message: 'must be 12 digits' }],
    })
  if (passportNumber && (input.kind !== 'citizen' || input.idNumber !== undefined))
    throw new AppError('MC_ERR_VALIDATION', 'passportNumber: only for a person without a CCCD', {
      errors: [{ field: 'body.passportNumber', message: 'only for a citizen account without idNumber' }],
    })
  if (input.kind !== 'citizen' && !/^\d{10}(-\d{3})?$/.test(input.taxCode ?? ''))
    throw new AppError('MC_ERR_VALIDATION', 'taxCode: 10 digits, or 10-3 for a branch', {
      errors: [{ field: 'body.taxCode', message: 'must be 10 digits or 10-3 digits' }],
    })
  const weak = passwordProblems(input.password, username, [
    input.fullName,
    email,
    input.idNumber,
    input.taxCode,
    input.phone,
    passportNumber,
  ])
  if (weak.length)
    throw new AppError('MC_ERR_PASSWORD_WEAK', weak.join('; '), {
      errors: weak.map((message) => ({ field: 'body.password', message })),
    })

  // Hashed whatever happens next, so a taken name or number does not answer faster.
  const passwordHash = await hashPassword(input.password)
  const token = randomBytes(32).toString('base64url')
  const expiresAt = new Date(now.getTime() + verificationHours * 3600_000)
  const answer = { username, verificationExpiresAt: expiresAt }
  const attempt = randomUUID()
  return knex.transaction(async (trx) => {
    const accounts = accountRepository(trx)
    const audit = auditRepository(trx)
    await botCheck.spend(trx, input.altcha)
    await accounts.lockRegistrations()
    const found = await accounts.registrationConflicts({
      username,
      email,
      kind: input.kind,
      ...(input.idNumber !== undefined ? { idNumber: input.idNumber } : {}),
      ...(input.taxCode !== undefined ? { taxCode: input.taxCode } : {}),
    })
    const notice = (to: string, recipientName: string, reason: IdentityNoticeReason) =>
      enqueueEmail(trx, {
        eventId: `register:${attempt}:${reason}`,
        to,
        template: { name: 'identity-notice', data: { recipientName, reason, username } },
      })
    if (found.emailOwner) {
      await notice(email, found.emailOwner.full_name, 'email-taken')
      await audit.record({
        action: 'auth.register.refused',
        subjectType: 'user',
        subjectId: found.emailOwner.id,
        data: { reason: 'email-taken' },
      })
      return answer
    }
    if (found.usernameTaken) {
      await notice(email, fullName, 'username-taken')
      await audit.record({
        action: 'auth.register.refused',
        subjectType: 'username',
        subjectId: username,
        data: { reason: 'username-taken' },
      })
      return answer
    }
    const holder = found.numberHolder
    const userId = await accounts.insertAccount({
      username,
      passwordHash,
      kind: input.kind,
      fullName,
      email,
      phone: input.phone ?? null,
      idNumber: input.kind === 'citizen' && !holder ? (input.idNumber ?? null) : null,
      taxCode: input.kind !== 'citizen' && !holder ? input.taxCode! : null,
    })
    if (passportNumber) await onboardingRepository(trx).setPassportNumber(userId, passportNumber)
    await accounts.insertEmailVerification(sha256(token), userId, expiresAt)
    await enqueueEmail(trx, {
      eventId: `user:${userId}:verify:${sha256(token).slice(0, 16)}`,
      to: email,
      template: {
        name: 'verify-email',
        data: { recipientName: fullName, link: `${linkBase}?token=${token}`, expiresAt },
      },
    })
    if (holder) {
      await notice(email, fullName, 'number-held')
      if (holder.email) await notice(holder.email, holder.full_name, 'number-taken')
    }
    await audit.record({
      actorId: userId,
      action: 'auth.register',
      subjectType: 'user',
      subjectId: userId,
      data: JSON.stringify({ kind: input.kind, ...(holder ? { numberHeldBy: holder.id } : {}) }),
    })
    return answer
  })
}

/** Marks the account's e-mail verified; a token works once and until it expires. */
export async function verifyEmail(knex: Knex, token: string, now = new Date()): Promise<{ userId: string }> {
  return knex.transaction(async (trx) => {
    const accounts = accountRepository(trx)
    const row = await accounts.emailVerificationForUpdate(sha256(token))
    if (!row || row.used_at || row.expires_at <= now) throw new AppError('MC_ERR_VERIFICATION_INVALID')
    await accounts.markVerificationUsed(sha256(token), now)
    // A link sent to a new address (an e-mail change) moves the account to it, unless another account took it since.
    const onboarding = onboardingRepository(trx)
    const newEmail = await onboarding.newEmailOf(sha256(token))
    if (newEmail) {
      if (await onboarding.emailTakenByOther(newEmail, row.user_id)) throw new AppError('MC_ERR_VERIFICATION_INVALID')
      await onboarding.setEmail(row.user_id, newEmail, now)
    } else await accounts.markEmailVerified(row.user_id, now)
    await auditRepository(trx).record({
      actorId: row.user_id,
      action: 'auth.verifyEmail',
      subjectType: 'user',
      subjectId: row.user_id,
      data: '{}',
    })
    return { userId: row.user_id }
  })
}
