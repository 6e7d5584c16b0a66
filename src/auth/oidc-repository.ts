// SQL of sign-in with an OpenID Connect provider: pending authorization requests, links of a provider's subject to an
// account, and accounts the provider creates.
import type { Knex } from 'knex'

type Db = Knex | Knex.Transaction

/** An authorization request waiting for the provider's answer. */
export interface PendingAuthorization {
  state_hash: string
  code_verifier: string
  nonce: string
}

/** An account made at its owner's first sign-in through a provider, with the identity the provider vouches for. */
export interface ProviderAccount {
  username: string
  /** Not a hash of any password: password login can never match it. */
  passwordHash: string
  fullName: string
  idNumber: string
  birthDate: string | null
  /** Set only when the provider said the address is verified and no other account has it. */
  email: string | null
  issuer: string
  now: Date
}

export function oidcRepository(db: Db) {
  return {
    async insertAuthorization(row: {
      stateHash: string
      browserKeyHash: string
      codeVerifier: string
      nonce: string
      expiresAt: Date
    }): Promise<void> {
      await db('oidc_authorizations').insert({
        state_hash: row.stateHash,
        browser_key_hash: row.browserKeyHash,
        code_verifier: row.codeVerifier,
        nonce: row.nonce,
        expires_at: row.expiresAt,
      })
    },

    /** Forgets requests nobody came back from. */
    async purgeExpired(now: Date): Promise<void> {
      await db('oidc_authorizations').where('expires_at', '<=', now).delete()
    },

    /** The request of this state started by this browser, while it has not expired. */
    async pending(stateHash: string, browserKeyHash: string, now: Date): Promise<PendingAuthorization | undefined> {
      return (await db('oidc_authorizations')
        .where({ state_hash: stateHash, browser_key_hash: browserKeyHash })
        .where('expires_at', '>', now)
        .first('state_hash', 'code_verifier', 'nonce')) as PendingAuthorization | undefined
    },

    /** Uses the request up; false when another answer already took it. */
    async take(stateHash: string): Promise<boolean> {
      return (await db('oidc_authorizations').where({ state_hash: stateHash }).delete()) === 1
    },

    /** The account this provider's subject signed in to before, locked until the transaction ends. */
    async linkedUserForUpdate(issuer: string, subject: string): Promise<string | undefined> {
      const row = (await db('identity_links').where({ issuer, subject }).forUpdate().first('user_id')) as
        { user_id: string } | undefined
      return row?.user_id
    },

    /** An account's kind and CCCD, locked until the transaction ends. */
    async identityForUpdate(userId: string): Promise<{ kind: string; id_number: string | null } | undefined> {
      return (await db('users').where({ id: userId }).forUpdate().first('kind', 'id_number')) as
        { kind: string; id_number: string | null } | undefined
    },

    async link(issuer: string, subject: string, userId: string, now: Date): Promise<void> {
      await db('identity_links')
        .insert({ issuer, subject, user_id: userId, linked_at: now, last_login_at: now })
        .onConflict(['issuer', 'subject'])
        .merge({ last_login_at: now })
    },

    async emailTaken(email: string): Promise<boolean> {
      return Boolean(await db('users').whereRaw('lower(email) = ?', [email.toLowerCase()]).first('id'))
    },

    async setBirthDate(userId: string, birthDate: string): Promise<void> {
      await db('users').where({ id: userId }).update({ birth_date: birthDate })
    },

    /** Creates the citizen account, its identity established by the provider; returns its id. */
    async insertProviderAccount(account: ProviderAccount): Promise<string> {
      const [row] = (await db('users')
        .insert({
          username: account.username,
          password_hash: account.passwordHash,
          kind: 'citizen',
          full_name: account.fullName,
          email: account.email,
          email_verified_at: account.email ? account.now : null,
          id_number: account.idNumber,
          birth_date: account.birthDate,
          identity_assurance: 'identity_provider',
          identity_verified_at: account.now,
          identity_verified_by: account.issuer,
        })
        .returning('id')) as Array<{ id: string }>
      return row!.id
    },
  }
}
