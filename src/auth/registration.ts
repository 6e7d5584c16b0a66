// Self-registration of citizens, organisations and enterprises, and e-mail verification by a link whose token is stored hashed.
import { createHash, randomBytes } from 'node:crypto'
import type { Knex } from 'knex'
import { AppError } from '../errors.js'
import { enqueueEmail } from '../notifications/email.js'
import { hashPassword } from './passwords.js'

export interface RegistrationInput {
  kind: 'citizen' | 'organisation' | 'enterprise'
  username: string
  fullName: string
  email: string
  password: string
  phone?: string
  /** CCCD, 12 digits: required for citizens. */
  idNumber?: string
  /** Mã số thuế (10 digits, or 10-3 for a branch): required for enterprises and organisations. */
  taxCode?: string
}

export const verificationHours = 48

const sha256 = (s: string): string => createHash('sha256').update(s).digest('hex')

/** ≥ 10 characters, at least two classes (lower, upper, digit, other), and not the username in any case. */
export function passwordProblems(password: string, username: string): string[] {
  const problems: string[] = []
  if ([...password].length < 10) problems.push('at least 10 characters')
  const classes = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^a-zA-Z0-9]/].filter((r) => r.test(password)).length
  if (classes < 2) problems.push('more than one kind of character')
  if (password.toLowerCase().includes(username.toLowerCase())) problems.push('must not contain the username')
  return problems
}

/**
 * Creates the account unverified and mails the verification link through the outbox, in one transaction.
 * `linkBase` is the portal page that posts the token back to /api/auth/verify-email.
 */
export async function register(
  knex: Knex,
  input: RegistrationInput,
  linkBase: string,
  now = new Date(),
): Promise<{ userId: string; username: string; verificationExpiresAt: Date }> {
  const username = input.username.trim().toLowerCase()
  const email = input.email.trim().toLowerCase()
  if (input.kind === 'citizen' && !/^\d{12}$/.test(input.idNumber ?? ''))
    throw new AppError('MC_ERR_VALIDATION', 'idNumber: a CCCD has 12 digits', {
      errors: [{ field: 'body.idNumber', message: 'must be 12 digits' }],
    })
  if (input.kind !== 'citizen' && !/^\d{10}(-\d{3})?$/.test(input.taxCode ?? ''))
    throw new AppError('MC_ERR_VALIDATION', 'taxCode: 10 digits, or 10-3 for a branch', {
      errors: [{ field: 'body.taxCode', message: 'must be 10 digits or 10-3 digits' }],
    })
  const weak = passwordProblems(input.password, username)
  if (weak.length)
    throw new AppError('MC_ERR_PASSWORD_WEAK', weak.join('; '), {
      errors: weak.map((message) => ({ field: 'body.password', message })),
    })

  const passwordHash = await hashPassword(input.password)
  const token = randomBytes(32).toString('base64url')
  const expiresAt = new Date(now.getTime() + verificationHours * 3600_000)
  return knex.transaction(async (trx) => {
    // Serialises registrations, so two racing for one name or number cannot both pass the check.
    await trx.raw('SELECT pg_advisory_xact_lock(hashtext(?))', ['motcua.register'])
    const taken = await trx('users')
      .where('username', username)
      .orWhereRaw('lower(email) = ?', [email])
      .modify((q) => {
        if (input.kind === 'citizen') q.orWhere('id_number', input.idNumber!)
        else q.orWhere('tax_code', input.taxCode!)
      })
      .first('id')
    if (taken) throw new AppError('MC_ERR_ACCOUNT_EXISTS')
    const [row] = (await trx('users')
      .insert({
        username,
        password_hash: passwordHash,
        kind: input.kind,
        full_name: input.fullName.trim(),
        email,
        phone: input.phone ?? null,
        id_number: input.kind === 'citizen' ? input.idNumber : null,
        tax_code: input.kind === 'citizen' ? null : input.taxCode,
      })
      .returning('id')) as Array<{ id: string }>
    const userId = row!.id
    await trx('email_verifications').insert({ token_hash: sha256(token), user_id: userId, expires_at: expiresAt })
    await enqueueEmail(trx, {
      eventId: `user:${userId}:verify:${sha256(token).slice(0, 16)}`,
      to: email,
      template: {
        name: 'verify-email',
        data: { recipientName: input.fullName.trim(), link: `${linkBase}?token=${token}`, expiresAt },
      },
    })
    await trx('audit_events').insert({
      actor_id: userId,
      action: 'auth.register',
      subject_type: 'user',
      subject_id: userId,
      data: JSON.stringify({ kind: input.kind }),
    })
    return { userId, username, verificationExpiresAt: expiresAt }
  })
}

/** Marks the account's e-mail verified; a token works once and until it expires. */
export async function verifyEmail(knex: Knex, token: string, now = new Date()): Promise<{ userId: string }> {
  return knex.transaction(async (trx) => {
    const row = (await trx('email_verifications')
      .where({ token_hash: sha256(token) })
      .forUpdate()
      .first()) as { user_id: string; expires_at: Date; used_at: Date | null } | undefined
    if (!row || row.used_at || row.expires_at <= now) throw new AppError('MC_ERR_VERIFICATION_INVALID')
    await trx('email_verifications')
      .where({ token_hash: sha256(token) })
      .update({ used_at: now })
    await trx('users').where({ id: row.user_id }).update({ email_verified_at: now })
    await trx('audit_events').insert({
      actor_id: row.user_id,
      action: 'auth.verifyEmail',
      subject_type: 'user',
      subject_id: row.user_id,
      data: '{}',
    })
    return { userId: row.user_id }
  })
}
