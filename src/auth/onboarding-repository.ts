// SQL of citizen onboarding: spent bot-check challenges, password-reset tokens, e-mail changes, the profile an
// applicant keeps (and that pre-fills dossier forms), and revoking every session of an account.
import type { Knex } from 'knex'

type Db = Knex | Knex.Transaction

export interface PasswordResetRow {
  /** Null for a request about an address without an account (stored so that both cases do the same work). */
  user_id: string | null
  expires_at: Date
  used_at: Date | null
}

/** What the applicant's profile page shows and dossier forms are pre-filled from. */
export interface ProfileRow {
  id: string
  username: string
  kind: string
  full_name: string
  email: string | null
  email_verified_at: Date | null
  phone: string | null
  id_number: string | null
  passport_number: string | null
  old_id_number: string | null
  tax_code: string | null
  identity_assurance: string
  notify_by: NotifyBy
}

/** Which channels carry the notices about the applicant's dossiers. */
export type NotifyBy = 'email' | 'sms' | 'both'

/** An account as password recovery and changes read it. */
export interface RecoveryRow {
  id: string
  username: string
  kind: string
  full_name: string
  email: string | null
  password_hash: string
  phone: string | null
  id_number: string | null
  tax_code: string | null
}

const profileColumns = [
  'id',
  'username',
  'kind',
  'full_name',
  'email',
  'email_verified_at',
  'phone',
  'id_number',
  'passport_number',
  'old_id_number',
  'tax_code',
  'identity_assurance',
  'notify_by',
]
const recoveryColumns = [
  'id',
  'username',
  'kind',
  'full_name',
  'email',
  'password_hash',
  'phone',
  'id_number',
  'tax_code',
]

export function onboardingRepository(db: Db) {
  return {
    /**
     * Records a bot-check challenge as spent; false when it already was. Spent challenges past their expiry are
     * forgotten on the way (an expired challenge is refused by its signed expiry anyway).
     */
    async spendChallenge(challengeId: string, expiresAt: Date): Promise<boolean> {
      await db('altcha_spent').where('expires_at', '<', db.fn.now()).delete()
      const rows = (await db('altcha_spent')
        .insert({ challenge_id: challengeId, expires_at: expiresAt })
        .onConflict('challenge_id')
        .ignore()
        .returning('challenge_id')) as unknown[]
      return rows.length === 1
    },

    /** The account with this e-mail address (any case), for a reset request. */
    async accountByEmail(email: string): Promise<RecoveryRow | undefined> {
      return (await db('users')
        .whereRaw('lower(email) = ?', [email])
        .whereIn('kind', ['citizen', 'organisation', 'enterprise'])
        .first(recoveryColumns)) as RecoveryRow | undefined
    },

    async accountById(userId: string): Promise<RecoveryRow | undefined> {
      return (await db('users').where({ id: userId }).first(recoveryColumns)) as RecoveryRow | undefined
    },

    /** Whether another account uses this e-mail address (any case). */
    async emailTakenByOther(email: string, userId: string): Promise<boolean> {
      return Boolean(await db('users').whereRaw('lower(email) = ?', [email]).whereNot('id', userId).first('id'))
    },

    async insertPasswordReset(tokenHash: string, userId: string | null, expiresAt: Date): Promise<void> {
      await db('password_resets').insert({ token_hash: tokenHash, user_id: userId, expires_at: expiresAt })
    },

    /** The reset row locked until the transaction ends, so a token is used once. */
    async passwordResetForUpdate(tokenHash: string): Promise<PasswordResetRow | undefined> {
      return (await db('password_resets').where({ token_hash: tokenHash }).forUpdate().first()) as
        PasswordResetRow | undefined
    },

    /** Marks every unused reset token of the account used (the one just used, and any older one still valid). */
    async usePasswordResets(userId: string, now: Date): Promise<void> {
      await db('password_resets').where({ user_id: userId }).whereNull('used_at').update({ used_at: now })
    },

    async setPasswordHash(userId: string, passwordHash: string): Promise<void> {
      await db('users')
        .where({ id: userId })
        .update({ password_hash: passwordHash, failed_logins: 0, locked_until: null })
    },

    /** Revokes every refresh token of the account not revoked yet: every session ends at its next refresh. */
    async revokeAllSessions(userId: string, now: Date): Promise<void> {
      await db('refresh_tokens').where({ user_id: userId }).whereNull('revoked_at').update({ revoked_at: now })
    },

    async profile(userId: string): Promise<ProfileRow | undefined> {
      return (await db('users').where({ id: userId }).first(profileColumns)) as ProfileRow | undefined
    },

    /** How the account's owner wants dossier notices, and the phone SMS go to. */
    async notificationPreference(userId: string): Promise<{ notify_by: NotifyBy; phone: string | null } | undefined> {
      return (await db('users').where({ id: userId }).first('notify_by', 'phone')) as
        { notify_by: NotifyBy; phone: string | null } | undefined
    },

    /** The fields an applicant may change without proving anything (the ID numbers stay as they were). */
    async updateProfile(
      userId: string,
      patch: { phone?: string | null; oldIdNumber?: string | null; notifyBy?: NotifyBy },
    ): Promise<void> {
      const row: Record<string, unknown> = {}
      if (patch.phone !== undefined) row['phone'] = patch.phone
      if (patch.oldIdNumber !== undefined) row['old_id_number'] = patch.oldIdNumber
      if (patch.notifyBy !== undefined) row['notify_by'] = patch.notifyBy
      if (Object.keys(row).length) await db('users').where({ id: userId }).update(row)
    },

    async insertEmailChange(tokenHash: string, userId: string, newEmail: string, expiresAt: Date): Promise<void> {
      await db('email_verifications').insert({
        token_hash: tokenHash,
        user_id: userId,
        expires_at: expiresAt,
        new_email: newEmail,
      })
    },

    /** The new address a verification token confirms, when the token is an e-mail change. */
    async newEmailOf(tokenHash: string): Promise<string | null | undefined> {
      const row = (await db('email_verifications').where({ token_hash: tokenHash }).first('new_email')) as
        { new_email: string | null } | undefined
      return row?.new_email
    },

    async setPassportNumber(userId: string, passportNumber: string): Promise<void> {
      await db('users').where({ id: userId }).update({ passport_number: passportNumber })
    },

    async setEmail(userId: string, email: string, verifiedAt: Date): Promise<void> {
      await db('users').where({ id: userId }).update({ email, email_verified_at: verifiedAt })
    },
  }
}
