// Login, refresh-token rotation and logout; failed logins throttled per (account, address) pair, never locked.
import { createHash, randomBytes, randomUUID } from 'node:crypto'
import type { Knex } from 'knex'
import { AppError } from '../errors.js'
import { hashPassword, verifyPassword } from './passwords.js'
import type { Principal } from './principal.js'
import { accountRepository, type UserRow } from './repository.js'
import { loginThrottleRepository } from './throttle-repository.js'
import { auditRepository } from '../db/audit-repository.js'

export const authSettings = {
  accessTokenSeconds: 15 * 60,
  refreshTokenDays: 30,
  /**
   * Failed logins of one account from one client address: from this many on, that pair is refused for
   * `pairBlockSeconds` × 2^(failures − pairMaxFailures), at most `pairMaxBlockSeconds`. Nobody else is affected.
   */
  pairMaxFailures: 5,
  pairBlockSeconds: 60,
  pairMaxBlockSeconds: 3600,
  /** A pair's count starts again after this long without a failure. */
  pairWindowSeconds: 24 * 3600,
  /**
   * Failed logins of one account from all addresses within `accountWindowSeconds`: from this many on, each login to
   * that account (right password or not, known account or not) waits `accountDelayMs` per failure beyond it, at most
   * `accountMaxDelayMs`. It only slows down: the owner can always log in.
   */
  accountSlowAfter: 50,
  accountWindowSeconds: 3600,
  accountDelayMs: 100,
  accountMaxDelayMs: 2000,
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

const throttleKey = (...parts: string[]): string => sha256(parts.join('\n'))
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/**
 * Logs in. Whether the account exists changes nothing in the answer or its time: an unknown name is verified against
 * a dummy hash, counted and throttled like a known one, and audited by the same statement. A (name, address) pair
 * that failed `pairMaxFailures` times is refused (429, Retry-After) with exponential back-off; the name from another
 * address is not. Many failures on one name from everywhere slow its logins down, never lock them.
 */
export async function login(
  knex: Knex,
  username: string,
  password: string,
  address = 'unknown',
  now = new Date(),
): Promise<LoginResult> {
  const name = username.trim().toLowerCase()
  const pairKey = throttleKey('pair', name, address)
  const accountKey = throttleKey('account', name)
  const throttle = loginThrottleRepository(knex)
  const rows = await throttle.rows([pairKey, accountKey])
  const pair = rows.find((r) => r.key === pairKey)
  if (pair?.blocked_until && pair.blocked_until > now) {
    const retryAfterSeconds = Math.ceil((pair.blocked_until.getTime() - now.getTime()) / 1000)
    throw new AppError(
      'MC_ERR_LOGIN_LOCKED',
      undefined,
      { retryAfterSeconds },
      {
        vi: 'Đăng nhập sai nhiều lần từ địa chỉ này, vui lòng thử lại sau ít phút',
        en: 'Too many failed logins from this address; please try again in a few minutes',
      },
    )
  }
  const account = rows.find((r) => r.key === accountKey)
  const accountWindowStart = new Date(now.getTime() - authSettings.accountWindowSeconds * 1000)
  if (account && account.last_failure_at >= accountWindowStart && account.failures >= authSettings.accountSlowAfter) {
    const beyond = account.failures - authSettings.accountSlowAfter + 1
    await sleep(Math.min(beyond * authSettings.accountDelayMs, authSettings.accountMaxDelayMs))
  }

  const user = await accountRepository(knex).userByUsername(name)
  const ok = await verifyPassword(user?.password_hash ?? (await getDummyHash()), password)
  // A disabled account answers like a wrong password, after the same work, so the answer does not tell it apart.
  if (!user || !ok || user.disabled_at) {
    const failed = await throttle.addFailure(
      pairKey,
      'pair',
      now,
      new Date(now.getTime() - authSettings.pairWindowSeconds * 1000),
    )
    await throttle.addFailure(accountKey, 'account', now, accountWindowStart)
    if (failed >= authSettings.pairMaxFailures) {
      const seconds = Math.min(
        authSettings.pairBlockSeconds * 2 ** Math.min(failed - authSettings.pairMaxFailures, 30),
        authSettings.pairMaxBlockSeconds,
      )
      await throttle.block(pairKey, new Date(now.getTime() + seconds * 1000))
    }
    // The same statement whether the account exists (its id) or not (the name typed), so the time does not tell.
    await auditRepository(knex).record({
      ...(user ? { actorId: user.id } : {}),
      action: 'auth.loginFailed',
      subjectType: user ? 'user' : 'username',
      subjectId: user ? user.id : name.slice(0, 100),
      data: { failed, address },
    })
    // Now and then, counts nobody has added to for a day are forgotten.
    if (Math.random() < 0.01) await throttle.purge(new Date(now.getTime() - 86_400_000), now)
    throw new AppError('MC_ERR_LOGIN_FAILED')
  }
  return knex.transaction(async (trx) => {
    await loginThrottleRepository(trx).clear(pairKey)
    return openSession(trx, user, {}, now)
  })
}

/**
 * Opens a session for a user who proved who they are (password, identity provider): a new refresh-token family and
 * the `auth.login` audit event, in the caller's transaction. `how` is recorded with the event.
 */
export async function openSession(
  trx: Knex.Transaction,
  user: UserRow,
  how: Record<string, unknown>,
  now: Date,
): Promise<LoginResult> {
  const issued = await issueRefreshToken(trx, user.id, randomUUID(), now)
  await auditRepository(trx).record({
    actorId: user.id,
    action: 'auth.login',
    subjectType: 'user',
    subjectId: user.id,
    data: how,
  })
  return {
    principal: principalOf(user),
    fullName: user.full_name,
    refreshToken: issued.refreshToken,
    expiresAt: issued.expiresAt,
  }
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
    if (!user || user.disabled_at) return 'invalid'
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
