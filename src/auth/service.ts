// Login, refresh-token rotation and logout; lock-out after repeated failures.
import { createHash, randomBytes, randomUUID } from 'node:crypto'
import type { Knex } from 'knex'
import { AppError } from '../errors.js'
import { hashPassword, verifyPassword } from './passwords.js'
import type { Principal } from './principal.js'
import { accountRepository, type UserRow } from './repository.js'
import { auditRepository } from '../db/audit-repository.js'

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
  const id = await accountRepository(knex).insertRefreshToken({
    userId,
    familyId,
    tokenHash: sha256(refreshToken),
    expiresAt,
  })
  return { id, refreshToken, expiresAt }
}

export interface LoginResult extends IssuedRefreshToken {
  principal: Principal
  fullName: string
}

export async function login(knex: Knex, username: string, password: string, now = new Date()): Promise<LoginResult> {
  const user = await accountRepository(knex).userByUsername(username.trim().toLowerCase())
  if (user?.locked_until && user.locked_until > now) {
    throw new AppError('MC_ERR_LOGIN_LOCKED', undefined, {
      retryAfterSeconds: Math.ceil((user.locked_until.getTime() - now.getTime()) / 1000),
    })
  }
  const ok = await verifyPassword(user?.password_hash ?? (await getDummyHash()), password)
  if (!user || !ok) {
    if (user) {
      const failed = user.failed_logins + 1
      const lockedUntil =
        failed >= authSettings.maxFailedLogins ? new Date(now.getTime() + authSettings.lockMinutes * 60_000) : null
      await accountRepository(knex).recordFailedLogins(user.id, failed, lockedUntil)
      await auditRepository(knex).record({
        actorId: user.id,
        action: 'auth.loginFailed',
        subjectType: 'user',
        subjectId: user.id,
        data: { failed },
      })
    }
    throw new AppError('MC_ERR_LOGIN_FAILED')
  }
  return knex.transaction(async (trx) => {
    await accountRepository(trx).clearFailedLogins(user.id)
    const issued = await issueRefreshToken(trx, user.id, randomUUID(), now)
    await auditRepository(trx).record({
      actorId: user.id,
      action: 'auth.login',
      subjectType: 'user',
      subjectId: user.id,
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
    const accounts = accountRepository(trx)
    const token = await accounts.refreshTokenByHashForUpdate(sha256(refreshToken))
    if (!token) return 'invalid'
    if (token.revoked_at) {
      if (token.replaced_by) {
        // Reuse of a rotated token: someone else holds a copy. Revoke the whole family.
        await accounts.revokeFamily(token.family_id, now)
        await auditRepository(trx).record({
          actorId: token.user_id,
          action: 'auth.refreshReuse',
          subjectType: 'user',
          subjectId: token.user_id,
          data: { family: token.family_id },
        })
      }
      return 'invalid'
    }
    if (token.expires_at <= now) return 'invalid'
    const user = await accounts.userById(token.user_id)
    if (!user) return 'invalid'
    const issued = await issueRefreshToken(trx, user.id, token.family_id, now)
    await accounts.markRotated(token.id, issued.id, now)
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
  const token = await accountRepository(knex).refreshTokenByHash(sha256(refreshToken))
  if (!token) return
  await knex.transaction(async (trx) => {
    await accountRepository(trx).revokeFamily(token.family_id, now)
    await auditRepository(trx).record({
      actorId: token.user_id,
      action: 'auth.logout',
      subjectType: 'user',
      subjectId: token.user_id,
      data: {},
    })
  })
}
