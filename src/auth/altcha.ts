// The offline bot check of sign-up and password recovery: an ALTCHA proof-of-work challenge signed by the server, and
// the verification of its solution, which works once and until the challenge expires. No third-party service.
import { createHmac } from 'node:crypto'
import type { Knex } from 'knex'
import { createChallenge, randomInt, verifySolution, type Challenge, type Solution } from 'altcha-lib'
import { deriveKey } from 'altcha-lib/algorithms/sha'
import { AppError } from '../errors.js'
import { onboardingRepository } from './onboarding-repository.js'

export const altchaSettings = {
  /** How long a challenge may be solved and its solution used. */
  challengeSeconds: 10 * 60,
  /**
   * The counter the browser must reach, one SHA-256 per step: a fraction of a second in a browser, millions of
   * requests an hour for a bot.
   */
  minWork: 5_000,
  maxWork: 40_000,
  /** Longest payload accepted (the widget's is under 600 characters). */
  maxPayloadChars: 4_000,
}

/** The widget's payload, base64 of `{ challenge, solution }`, or undefined when it is not one. */
function parsePayload(payload: string): { challenge: Challenge; solution: Solution } | undefined {
  try {
    const parsed = JSON.parse(Buffer.from(payload, 'base64').toString('utf8')) as unknown
    if (!parsed || typeof parsed !== 'object') return undefined
    const { challenge, solution } = parsed as { challenge?: Challenge; solution?: Solution }
    const p = challenge?.parameters
    if (!p || typeof p !== 'object' || typeof p.nonce !== 'string' || typeof challenge.signature !== 'string')
      return undefined
    if (p.algorithm !== 'SHA-256' || !Number.isInteger(p.cost) || p.cost < 1 || p.cost > 10) return undefined
    if (!solution || !Number.isInteger(solution.counter) || typeof solution.derivedKey !== 'string') return undefined
    return { challenge, solution }
  } catch {
    return undefined
  }
}

export class BotCheck {
  private readonly signatureSecret: string
  private readonly keySecret: string

  constructor(serverSecret: string) {
    const derive = (purpose: string) => createHmac('sha256', serverSecret).update(purpose).digest('hex')
    this.signatureSecret = derive('motcua.altcha.challenge')
    this.keySecret = derive('motcua.altcha.key')
  }

  /** A new challenge for the widget (signed; the derived key's signature lets verification skip the work). */
  async challenge(now = new Date()): Promise<Challenge> {
    return createChallenge({
      algorithm: 'SHA-256',
      cost: 1,
      counter: randomInt(altchaSettings.maxWork, altchaSettings.minWork),
      deriveKey,
      expiresAt: new Date(now.getTime() + altchaSettings.challengeSeconds * 1000),
      hmacSignatureSecret: this.signatureSecret,
      hmacKeySignatureSecret: this.keySecret,
    })
  }

  /**
   * Checks the widget's payload and spends it in the caller's transaction, so a refused request leaves it unspent
   * and a replay of an accepted one is refused. 400 MC_ERR_BOT_CHECK_FAILED for a forged, expired or reused solution.
   */
  async spend(trx: Knex.Transaction, payload: string): Promise<void> {
    const parsed = payload.length <= altchaSettings.maxPayloadChars ? parsePayload(payload) : undefined
    if (!parsed) throw new AppError('MC_ERR_BOT_CHECK_FAILED', 'not an ALTCHA payload')
    // A malformed challenge makes the library throw: a refusal like any other.
    const verified = await verifySolution({
      ...parsed,
      deriveKey,
      hmacSignatureSecret: this.signatureSecret,
      hmacKeySignatureSecret: this.keySecret,
    }).then(
      (result) => result.verified,
      () => false,
    )
    if (!verified) throw new AppError('MC_ERR_BOT_CHECK_FAILED', 'the solution does not verify or has expired')
    const expiresAt = new Date((parsed.challenge.parameters.expiresAt ?? 0) * 1000)
    const fresh = await onboardingRepository(trx).spendChallenge(parsed.challenge.parameters.nonce, expiresAt)
    if (!fresh) throw new AppError('MC_ERR_BOT_CHECK_FAILED', 'the solution was already used')
  }
}
