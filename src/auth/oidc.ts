// Sign-in with an OpenID Connect provider (VNeID, the national portal's single sign-on …): authorization code flow with
// PKCE, state and nonce, through openid-client. The provider's verified CCCD links the sign-in to an account (or makes
// one), marks its identity as established by that provider, and opens motcua's own session as password login does.
import { createHash, randomBytes } from 'node:crypto'
import type { Knex } from 'knex'
import * as client from 'openid-client'
import type { OidcConfig } from '../config.js'
import { auditRepository } from '../db/audit-repository.js'
import { AppError } from '../errors.js'
import { enqueueEmail } from '../notifications/email.js'
import { accountRepository } from './repository.js'
import { oidcRepository } from './oidc-repository.js'
import { openSession, type LoginResult } from './service.js'

/** How long the provider may take to send the browser back (login, consent) before the request is forgotten. */
export const authorizationMinutes = 10

/** What the provider appended to the redirect URL, as the portal's page posts it back. */
export interface ProviderAnswer {
  code: string
  state: string
  /** RFC 9207: the issuer that answered; checked against the configured one when the provider sends it. */
  iss?: string
}

export interface StartedAuthorization {
  /** Where the browser goes to sign in at the provider. */
  authorizationUrl: string
  /** The secret the browser keeps (an HttpOnly cookie) and shows again with the answer. */
  browserKey: string
  expiresAt: Date
}

export interface ProviderLogin extends LoginResult {
  /** True when this sign-in made the account. */
  created: boolean
}

const sha256 = (s: string): string => createHash('sha256').update(s).digest('hex')

/** The claims motcua reads, found under the configured names; undefined when the CCCD or the name is missing. */
interface ProvidedIdentity {
  subject: string
  idNumber: string
  fullName: string
  birthDate: string | null
  email: string | null
}

function readIdentity(
  claims: Record<string, unknown>,
  names: OidcConfig['claims'],
): ProvidedIdentity | { missing: string } {
  const idNumber = claims[names.idNumber]
  if (typeof idNumber !== 'string' || !/^\d{12}$/.test(idNumber)) return { missing: names.idNumber }
  const fullName = typeof claims[names.fullName] === 'string' ? (claims[names.fullName] as string).trim() : ''
  if (!fullName || fullName.length > 200) return { missing: names.fullName }
  const birth = claims[names.birthDate]
  const email = claims['email']
  return {
    subject: String(claims['sub']),
    idNumber,
    fullName,
    birthDate: typeof birth === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(birth) ? birth : null,
    email:
      claims['email_verified'] === true && typeof email === 'string' && email.length <= 200
        ? email.trim().toLowerCase()
        : null,
  }
}

/** Whether the provider could not be reached (as opposed to answering something that failed a check). */
function unreachable(err: unknown): boolean {
  for (let e: unknown = err; e instanceof Error; e = e.cause) {
    if (e.name === 'TimeoutError' || e.name === 'AbortError') return true
    if (e instanceof TypeError && e.message === 'fetch failed') return true
  }
  return false
}

function providerError(err: unknown): AppError {
  if (err instanceof AppError) return err
  if (unreachable(err)) return new AppError('MC_ERR_OIDC_UNAVAILABLE', undefined, {}, { cause: err })
  // The checks openid-client makes (issuer, signature, nonce, state, PKCE, the code's single use at the provider) all
  // end here; the detail names which one, in the library's words, for whoever reads the log or the answer.
  const detail = err instanceof Error ? err.message.slice(0, 300) : 'the provider answer was refused'
  return new AppError('MC_ERR_OIDC_REJECTED', detail, {}, { cause: err })
}

export class OidcLogin {
  private provider: Promise<client.Configuration> | undefined

  constructor(
    private readonly knex: Knex,
    private readonly settings: OidcConfig,
  ) {}

  /** The provider's metadata and keys, discovered once; a failed discovery is tried again on the next sign-in. */
  private configuration(): Promise<client.Configuration> {
    const issuer = new URL(this.settings.issuer)
    // Plain HTTP only to a provider on this machine (a test's, a developer's); anything else must be HTTPS.
    const loopback = ['127.0.0.1', '[::1]', 'localhost'].includes(issuer.hostname)
    this.provider ??= client
      .discovery(
        issuer,
        this.settings.clientId,
        this.settings.clientSecret,
        this.settings.clientSecret ? client.ClientSecretBasic(this.settings.clientSecret) : client.None(),
        {
          timeout: 10,
          // The ID token's signature is checked against the provider's published keys even though it comes straight
          // from the token endpoint (openid-client skips that by default and trusts TLS): a TLS-terminating proxy or a
          // wrong route to the provider must not be enough to forge an identity.
          execute: [
            client.enableNonRepudiationChecks,
            ...(loopback && issuer.protocol === 'http:' ? [client.allowInsecureRequests] : []),
          ],
        },
      )
      .catch((err: unknown) => {
        this.provider = undefined
        // Unreachable, or a discovery document that is not this issuer's: either way no sign-in can start.
        throw new AppError('MC_ERR_OIDC_UNAVAILABLE', undefined, {}, { cause: err })
      })
    return this.provider
  }

  /** Starts a sign-in: the provider's authorization URL with a fresh state, nonce and PKCE challenge. */
  async start(now = new Date()): Promise<StartedAuthorization> {
    const provider = await this.configuration()
    const state = client.randomState()
    const nonce = client.randomNonce()
    const codeVerifier = client.randomPKCECodeVerifier()
    const browserKey = randomBytes(32).toString('base64url')
    const expiresAt = new Date(now.getTime() + authorizationMinutes * 60_000)
    const url = client.buildAuthorizationUrl(provider, {
      redirect_uri: this.settings.redirectUrl,
      scope: this.settings.scopes,
      response_type: 'code',
      state,
      nonce,
      code_challenge: await client.calculatePKCECodeChallenge(codeVerifier),
      code_challenge_method: 'S256',
    })
    await this.knex.transaction(async (trx) => {
      const pending = oidcRepository(trx)
      await pending.purgeExpired(now)
      await pending.insertAuthorization({
        stateHash: sha256(state),
        browserKeyHash: sha256(browserKey),
        codeVerifier,
        nonce,
        expiresAt,
      })
    })
    return { authorizationUrl: url.href, browserKey, expiresAt }
  }

  /**
   * Finishes a sign-in with the provider's answer and the key of the browser that started it. The code is exchanged
   * (PKCE verifier, state, nonce, issuer and the ID token's signature checked by openid-client) before anything is
   * written; then, in one transaction, the request is used up, the account found or made, and the session opened.
   * Any refusal leaves the database as it was.
   */
  async finish(answer: ProviderAnswer, browserKey: string | undefined, now = new Date()): Promise<ProviderLogin> {
    const stateHash = sha256(answer.state)
    const pending = browserKey ? await oidcRepository(this.knex).pending(stateHash, sha256(browserKey), now) : undefined
    if (!pending) throw new AppError('MC_ERR_OIDC_STATE_INVALID')
    const provider = await this.configuration()
    const callback = new URL(this.settings.redirectUrl)
    callback.searchParams.set('code', answer.code)
    callback.searchParams.set('state', answer.state)
    if (answer.iss !== undefined) callback.searchParams.set('iss', answer.iss)
    let claims: Record<string, unknown>
    try {
      const tokens = await client.authorizationCodeGrant(provider, callback, {
        pkceCodeVerifier: pending.code_verifier,
        expectedState: answer.state,
        expectedNonce: pending.nonce,
        idTokenExpected: true,
      })
      claims = { ...tokens.claims() }
      // Providers that keep profile claims out of the ID token give them at the UserInfo endpoint (same subject).
      const names = this.settings.claims
      if (
        provider.serverMetadata().userinfo_endpoint &&
        [names.idNumber, names.fullName, names.birthDate].some((n) => claims[n] === undefined)
      ) {
        const info = await client.fetchUserInfo(provider, tokens.access_token, String(claims['sub']))
        claims = { ...info, ...claims }
      }
    } catch (err) {
      throw providerError(err)
    }
    const identity = readIdentity(claims, this.settings.claims)
    if ('missing' in identity)
      throw new AppError('MC_ERR_OIDC_CLAIM_MISSING', `The provider did not vouch for "${identity.missing}"`)
    return this.signIn(stateHash, provider.serverMetadata().issuer, identity, now)
  }

  /**
   * The provider vouched for `identity`: the account linked to its subject, else the account whose CCCD the system
   * already established (counter or provider), else a new account; a number only typed at sign-up by another account
   * moves here, as at the counter. The account's identity is marked established by this provider.
   */
  private async signIn(
    stateHash: string,
    issuer: string,
    identity: ProvidedIdentity,
    now: Date,
  ): Promise<ProviderLogin> {
    return this.knex.transaction(async (trx) => {
      const oidc = oidcRepository(trx)
      const accounts = accountRepository(trx)
      const audit = auditRepository(trx)
      if (!(await oidc.take(stateHash))) throw new AppError('MC_ERR_OIDC_STATE_INVALID')
      await accounts.lockRegistrations()
      const holder = await accounts.holderOfIdNumberForUpdate(identity.idNumber)
      const linked = await oidc.linkedUserForUpdate(issuer, identity.subject)
      if (linked && holder && holder.id !== linked)
        throw new AppError('MC_ERR_IDENTITY_CONFLICT', 'The provider vouches for a number another account holds')
      const verifiedHolder = holder && holder.identity_assurance !== 'self_declared' ? holder.id : undefined
      let userId = linked ?? verifiedHolder
      const created = !userId
      if (userId) {
        const account = (await oidc.identityForUpdate(userId))!
        if (account.kind !== 'citizen' || (account.id_number && account.id_number !== identity.idNumber))
          throw new AppError('MC_ERR_IDENTITY_CONFLICT', 'The account is verified with another ID number')
        if (!linked)
          await audit.record({
            actorId: userId,
            action: 'identity.linkProvider',
            subjectType: 'user',
            subjectId: userId,
            data: { issuer, previous: holder!.identity_assurance },
          })
      } else {
        if (holder) {
          await accounts.clearIdNumber(holder.id)
          await audit.record({
            action: 'identity.numberReclaimed',
            subjectType: 'user',
            subjectId: holder.id,
            data: { by: issuer, assurance: holder.identity_assurance },
          })
          if (holder.email)
            await enqueueEmail(trx, {
              eventId: `identity:oidc:${stateHash.slice(0, 32)}:reclaimed`,
              to: holder.email,
              template: {
                name: 'identity-notice',
                data: { recipientName: holder.full_name, reason: 'number-reclaimed' },
              },
            })
        }
        userId = await oidc.insertProviderAccount({
          username: `dinhdanh-${randomBytes(8).toString('hex')}`,
          passwordHash: `!provider:${randomBytes(16).toString('hex')}`,
          fullName: identity.fullName,
          idNumber: identity.idNumber,
          birthDate: identity.birthDate,
          email: identity.email && !(await oidc.emailTaken(identity.email)) ? identity.email : null,
          issuer,
          now,
        })
        await audit.record({
          actorId: userId,
          action: 'auth.register',
          subjectType: 'user',
          subjectId: userId,
          data: { kind: 'citizen', issuer, ...(holder ? { numberReclaimedFrom: holder.id } : {}) },
        })
      }
      await accounts.setIdentity(userId, {
        idNumber: identity.idNumber,
        assurance: 'identity_provider',
        at: now,
        by: issuer,
      })
      if (identity.birthDate) await oidc.setBirthDate(userId, identity.birthDate)
      await oidc.link(issuer, identity.subject, userId, now)
      const session = await openSession(trx, (await accounts.userById(userId))!, { method: 'oidc', issuer }, now)
      return { ...session, created }
    })
  }
}
