// Login, refresh-token rotation and logout; lock-out after repeated failures.
import { createHash, randomBytes, randomUUID } from 'node:crypto'
import type { Knex } from 'knex'
import { AppError } from '../errors.js'
import { hashPassword, verifyPassword } from './passwords.js'
import type { Principal, UserKind } from './principal.js'

export const authSettings = {
  accessTokenSeconds: 15 * 60,
  refreshTokenDays: 30,
  maxFailedLogins: 5,
  lockMinutes: 15,
}

const sha256 = (s: string): string => createHash('sha256').update(s).digest('hex')

// Verifying against a fixed hash when the user does not exist keeps the answer time the same,
// so a login does not reveal which usernames exist.
let dummyHash: Promise<string> | undefined
const getDummyHash = (): Promise<string> => (dummyHash ??= hashPassword(randomBytes(16).toString('hex')))

interface UserRow {
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
}

function principalOf(u: UserRow): Principal {
  return {
    userId: u.id,
    username: u.username,
    kind: u.kind,
    ...(u.unit_id ? { unitId: u.unit_id } : {}),
    ...(u.unit_path ? { unitPath: u.unit_path } : {}),
    groups: u.groups,
  }
}

function userQuery(knex: Knex) {
  return knex('users as u')
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
    )
}

export interface IssuedRefreshToken {
  refreshToken: string
  expiresAt: Date
}

async function issueRefreshToken(
  knex: Knex,
  userId: string,
  familyId: string,
  now: Date,
): Promise<IssuedRefreshToken & { id: string }> {
  const refreshToken = randomBytes(32).toString('base64url')
  const expiresAt = new Date(now.getTime() + authSettings.refreshTokenDays * 86_400_000)
  const [row] = await knex('refresh_tokens')
    .insert({ user_id: userId, family_id: familyId, token_hash: sha256(refreshToken), expires_at: expiresAt })
    .returning('id')
  return { id: (row as { id: string }).id, refreshToken, expiresAt }
}

export interface LoginResult extends IssuedRefreshToken {
  principal: Principal
  fullName: string
}

export async function login(knex: Knex, username: string, password: string, now = new Date()): Promise<LoginResult> {
  const user = (await userQuery(knex).where('u.username', username.trim().toLowerCase()).first()) as UserRow | undefined
  if (user?.locked_until && user.locked_until > now) {
    throw new AppError('MC_ERR_LOGIN_LOCKED', undefined, {
      retryAfterSeconds: Math.ceil((user.locked_until.getTime() - now.getTime()) / 1000),
    })
  }
  const ok = await verifyPassword(user?.password_hash ?? (await getDummyHash()), password)
  if (!user || !ok) {
    if (user) {
      const failed = user.failed_logins + 1
      await knex('users')
        .where({ id: user.id })
        .update({
          failed_logins: failed,
          locked_until:
            failed >= authSettings.maxFailedLogins ? new Date(now.getTime() + authSettings.lockMinutes * 60_000) : null,
        })
      await knex('audit_events').insert({
        actor_id: user.id,
        action: 'auth.loginFailed',
        subject_type: 'user',
        subject_id: user.id,
        data: { failed },
      })
    }
    throw new AppError('MC_ERR_LOGIN_FAILED')
  }
  return knex.transaction(async (trx) => {
    await trx('users').where({ id: user.id }).update({ failed_logins: 0, locked_until: null })
    const issued = await issueRefreshToken(trx, user.id, randomUUID(), now)
    await trx('audit_events').insert({
      actor_id: user.id,
      action: 'auth.login',
      subject_type: 'user',
      subject_id: user.id,
      data: {},
    })
    return {
      principal: principalOf(user),
      fullName: user.full_name,
      refreshToken: issued.refreshToken,
      expiresAt: issued.expiresAt,
    }
  })
}

/** Exchanges a refresh token for a new one (rotation). Presenting a rotated token revokes its family. */
export async function refresh(knex: Knex, refreshToken: string, now = new Date()): Promise<LoginResult> {
  // The transaction commits a family revocation before the refusal is thrown, so it is not rolled back.
  const outcome = await knex.transaction(async (trx): Promise<LoginResult | 'invalid'> => {
    const token = await trx('refresh_tokens')
      .where({ token_hash: sha256(refreshToken) })
      .forUpdate()
      .first()
    if (!token) return 'invalid'
    if (token.revoked_at) {
      if (token.replaced_by) {
        // Reuse of a rotated token: someone else holds a copy. Revoke the whole family.
        await trx('refresh_tokens')
          .where({ family_id: token.family_id })
          .whereNull('revoked_at')
          .update({ revoked_at: now })
        await trx('audit_events').insert({
          actor_id: token.user_id,
          action: 'auth.refreshReuse',
          subject_type: 'user',
          subject_id: token.user_id,
          data: { family: token.family_id },
        })
      }
      return 'invalid'
    }
    if (token.expires_at <= now) return 'invalid'
    const user = (await userQuery(trx).where('u.id', token.user_id).first()) as UserRow | undefined
    if (!user) return 'invalid'
    const issued = await issueRefreshToken(trx, user.id, token.family_id, now)
    await trx('refresh_tokens').where({ id: token.id }).update({ revoked_at: now, replaced_by: issued.id })
    return {
      principal: principalOf(user),
      fullName: user.full_name,
      refreshToken: issued.refreshToken,
      expiresAt: issued.expiresAt,
    }
  })
  if (outcome === 'invalid') throw new AppError('MC_ERR_TOKEN_INVALID')
  return outcome
}

/** Revokes the refresh token's whole family (this device's session). Unknown tokens are ignored. */
export async function logout(knex: Knex, refreshToken: string, now = new Date()): Promise<void> {
  const token = await knex('refresh_tokens')
    .where({ token_hash: sha256(refreshToken) })
    .first()
  if (!token) return
  await knex.transaction(async (trx) => {
    await trx('refresh_tokens')
      .where({ family_id: token.family_id })
      .whereNull('revoked_at')
      .update({ revoked_at: now })
    await trx('audit_events').insert({
      actor_id: token.user_id,
      action: 'auth.logout',
      subject_type: 'user',
      subject_id: token.user_id,
      data: {},
    })
  })
}
