// SQL of accounts: users as principals, failed-login counts, refresh-token families, registration and e-mail
// verification.
import type { Knex } from 'knex'
import type { UserKind } from './principal.js'

type Db = Knex | Knex.Transaction

/** A user as login and refresh read it, with the path of the user's unit. */
export interface UserRow {
  id: string
  username: string
  password_hash: string
  kind: UserKind
  full_name: string
  unit_id: string | null
  unit_path: string | null
  groups: string[]
  failed_logins: number
  locked_until: Date | null
  /** Set when an administrator disabled the account: it cannot log in or refresh. */
  disabled_at: Date | null
}

export interface RefreshTokenRow {
  id: string
  user_id: string
  family_id: string
  token_hash: string
  expires_at: Date
  revoked_at: Date | null
  replaced_by: string | null
}

export interface EmailVerificationRow {
  user_id: string
  expires_at: Date
  used_at: Date | null
}

/** A new self-registered account, unverified. */
export interface NewAccount {
  username: string
  passwordHash: string
  kind: 'citizen' | 'organisation' | 'enterprise'
  fullName: string
  email: string
  phone: string | null
  idNumber: string | null
  taxCode: string | null
}

/** How an account's identity was established (migrations/0910_identity_assurance.ts). */
export type IdentityAssurance = 'self_declared' | 'identity_provider' | 'counter'

/** Someone a registration notice goes to. */
export interface AccountContact {
  id: string
  full_name: string
  email: string | null
  identity_assurance: IdentityAssurance
}

/** An account's identity as the counter's check reads it. */
export interface IdentityRow extends AccountContact {
  username: string
  kind: UserKind
  id_number: string | null
  identity_verified_at: Date | null
}

const identityColumns = [
  'id',
  'username',
  'kind',
  'full_name',
  'email',
  'id_number',
  'identity_assurance',
  'identity_verified_at',
]

/** The columns of a user a submission online copies into the dossier. */
export interface ApplicantProfile {
  full_name: string
  id_number: string | null
  tax_code: string | null
  passport_number: string | null
  old_id_number: string | null
  email: string | null
  phone: string | null
}

/** A user as an assignment checks them: kind, groups and the path of their unit. */
export interface Assignable {
  id: string
  groups: string[]
  path: string
  kind: string
}

const selectUser = (db: Db) =>
  db('users as u')
    .leftJoin('units as n', 'n.id', 'u.unit_id')
    .select(
      'u.id',
      'u.username',
      'u.password_hash',
      'u.kind',
      'u.full_name',
      'u.unit_id',
      'n.path as unit_path',
      'u.groups',
      'u.failed_logins',
      'u.locked_until',
      'u.disabled_at',
    )

export function accountRepository(db: Db) {
  return {
    async userByUsername(username: string): Promise<UserRow | undefined> {
      return (await selectUser(db).where('u.username', username).first()) as UserRow | undefined
    },

    async userById(id: string): Promise<UserRow | undefined> {
      return (await selectUser(db).where('u.id', id).first()) as UserRow | undefined
    },

    /** Stores the count of failed logins in a row, and until when the account is locked (null: not locked). */
    async recordFailedLogins(userId: string, failed: number, lockedUntil: Date | null): Promise<void> {
      await db('users').where({ id: userId }).update({ failed_logins: failed, locked_until: lockedUntil })
    },

    async clearFailedLogins(userId: string): Promise<void> {
      await db('users').where({ id: userId }).update({ failed_logins: 0, locked_until: null })
    },

    /** Stores a refresh token by its hash; returns the token's row id. */
    async insertRefreshToken(token: {
      userId: string
      familyId: string
      tokenHash: string
      expiresAt: Date
    }): Promise<string> {
      const [row] = (await db('refresh_tokens')
        .insert({
          user_id: token.userId,
          family_id: token.familyId,
          token_hash: token.tokenHash,
          expires_at: token.expiresAt,
        })
        .returning('id')) as Array<{ id: string }>
      return row!.id
    },

    async refreshTokenByHash(tokenHash: string): Promise<RefreshTokenRow | undefined> {
      return (await db('refresh_tokens').where({ token_hash: tokenHash }).first()) as RefreshTokenRow | undefined
    },

    /** The token row locked until the transaction ends, so two refreshes with one token cannot both rotate it. */
    async refreshTokenByHashForUpdate(tokenHash: string): Promise<RefreshTokenRow | undefined> {
      return (await db('refresh_tokens').where({ token_hash: tokenHash }).forUpdate().first()) as
        RefreshTokenRow | undefined
    },

    /** Revokes every token of the family not revoked yet. */
    async revokeFamily(familyId: string, now: Date): Promise<void> {
      await db('refresh_tokens').where({ family_id: familyId }).whereNull('revoked_at').update({ revoked_at: now })
    },

    /** Revokes a token that was exchanged, naming the token that replaced it. */
    async markRotated(id: string, replacedBy: string, now: Date): Promise<void> {
      await db('refresh_tokens').where({ id }).update({ revoked_at: now, replaced_by: replacedBy })
    },

    /** Serialises registrations until the transaction ends, so two racing for one name or number cannot both pass. */
    async lockRegistrations(): Promise<void> {
      await db.raw('SELECT pg_advisory_xact_lock(hashtext(?))', ['motcua.register'])
    },

    /**
     * Who already holds what a registration asks for: the username, the e-mail (in any case), the ID number (citizens)
     * or tax code (others). Sign-up answers the same whatever this finds and tells the truth by mail.
     */
    async registrationConflicts(account: {
      username: string
      email: string
      kind: NewAccount['kind']
      idNumber?: string
      taxCode?: string
    }): Promise<{ usernameTaken: boolean; emailOwner?: AccountContact; numberHolder?: AccountContact }> {
      const contact = ['id', 'full_name', 'email', 'identity_assurance']
      const username = await db('users').where('username', account.username).first('id')
      const emailOwner = (await db('users').whereRaw('lower(email) = ?', [account.email]).first(contact)) as
        AccountContact | undefined
      const number = account.kind === 'citizen' ? account.idNumber : account.taxCode
      const numberHolder = number
        ? ((await db('users')
            .where(account.kind === 'citizen' ? 'id_number' : 'tax_code', number)
            .first(contact)) as AccountContact | undefined)
        : undefined
      return {
        usernameTaken: Boolean(username),
        ...(emailOwner ? { emailOwner } : {}),
        ...(numberHolder ? { numberHolder } : {}),
      }
    },

    /** A citizen account as the counter's identity check reads it, locked until the transaction ends. */
    async identityByUsernameForUpdate(username: string): Promise<IdentityRow | undefined> {
      return (await db('users').where({ username }).forUpdate().first(identityColumns)) as IdentityRow | undefined
    },

    /** The account holding this CCCD (at most one), locked until the transaction ends. */
    async holderOfIdNumberForUpdate(idNumber: string): Promise<IdentityRow | undefined> {
      return (await db('users').where({ id_number: idNumber }).forUpdate().first(identityColumns)) as
        IdentityRow | undefined
    },

    /** The account's CCCD when the system established it (identity provider or counter); undefined when only typed. */
    async verifiedIdNumber(userId: string): Promise<string | undefined> {
      const row = (await db('users')
        .where({ id: userId })
        .whereNot('identity_assurance', 'self_declared')
        .whereNotNull('id_number')
        .first('id_number')) as { id_number: string } | undefined
      return row?.id_number
    },

    /** Records how the account's identity was established, with its CCCD. */
    async setIdentity(
      userId: string,
      identity: { idNumber: string; assurance: IdentityAssurance; at: Date; by: string },
    ): Promise<void> {
      await db('users').where({ id: userId }).update({
        id_number: identity.idNumber,
        identity_assurance: identity.assurance,
        identity_verified_at: identity.at,
        identity_verified_by: identity.by,
      })
    },

    /** Takes the CCCD away from a self-declared account (its owner proved it is theirs elsewhere). */
    async clearIdNumber(userId: string): Promise<void> {
      await db('users').where({ id: userId }).update({ id_number: null })
    },

    /** Creates the account; returns its id. */
    async insertAccount(account: NewAccount): Promise<string> {
      const [row] = (await db('users')
        .insert({
          username: account.username,
          password_hash: account.passwordHash,
          kind: account.kind,
          full_name: account.fullName,
          email: account.email,
          phone: account.phone,
          id_number: account.idNumber,
          tax_code: account.taxCode,
        })
        .returning('id')) as Array<{ id: string }>
      return row!.id
    },

    async insertEmailVerification(tokenHash: string, userId: string, expiresAt: Date): Promise<void> {
      await db('email_verifications').insert({ token_hash: tokenHash, user_id: userId, expires_at: expiresAt })
    },

    /** The verification row locked until the transaction ends, so a link is used once. */
    async emailVerificationForUpdate(tokenHash: string): Promise<EmailVerificationRow | undefined> {
      return (await db('email_verifications').where({ token_hash: tokenHash }).forUpdate().first()) as
        EmailVerificationRow | undefined
    },

    async markVerificationUsed(tokenHash: string, now: Date): Promise<void> {
      await db('email_verifications').where({ token_hash: tokenHash }).update({ used_at: now })
    },

    async markEmailVerified(userId: string, now: Date): Promise<void> {
      await db('users').where({ id: userId }).update({ email_verified_at: now })
    },

    /** When the user proved their e-mail address (null: not yet); undefined when there is no such user. */
    async emailVerifiedAt(userId: string): Promise<Date | null | undefined> {
      const user = (await db('users').where({ id: userId }).first('email_verified_at')) as
        { email_verified_at: Date | null } | undefined
      return user?.email_verified_at
    },

    /** What a submission online takes from the applicant's own account: name, ID or tax number, how to reach them. */
    applicantProfile: async (userId: string): Promise<ApplicantProfile> =>
      (await db('users').where({ id: userId }).first()) as ApplicantProfile,

    /** A user's name and e-mail address (someone a mail about a dossier goes to). */
    contactOf: async (userId: string): Promise<{ full_name: string; email: string | null } | undefined> =>
      (await db('users').where({ id: userId }).first('full_name', 'email')) as
        { full_name: string; email: string | null } | undefined,

    /** Who a task may be assigned to: the user's kind, groups and unit path. */
    assignable: async (userId: string): Promise<Assignable | undefined> =>
      (await db('users as u')
        .join('units as n', 'n.id', 'u.unit_id')
        .where('u.id', userId)
        .first('u.id', 'u.groups', 'n.path', 'u.kind')) as Assignable | undefined,
  }
}
