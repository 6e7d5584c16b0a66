// A real OpenID Connect provider for tests: oidc-provider (the certified Node implementation) on loopback, with one
// confidential client for motcua, its development login page, and accounts the test defines. A test may tamper with
// the ID token the token endpoint answers (re-signed with the provider's key or with another), as an attacker between
// motcua and the provider would.
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Test } from 'tap'
import { SignJWT, decodeJwt, exportJWK, generateKeyPair, type JWTPayload } from 'jose'
import Provider from 'oidc-provider'

export interface TestProvider {
  issuer: string
  clientId: string
  clientSecret: string
  redirectUrl: string
  /** Claims of each account (by its login name, which is also its subject), besides `sub`. */
  accounts: Map<string, Record<string, unknown>>
  /** Rewrites the ID tokens: the new payload, and whether to sign with a key the provider does not publish. */
  tamper: ((payload: JWTPayload) => { payload: JWTPayload; foreignKey?: boolean }) | undefined
  /** Signs in at the provider as `login` from a browser without JavaScript, following the authorization URL. */
  signIn(authorizationUrl: string, login: string): Promise<URL>
}

/** The environment that points motcua at the provider. */
export const providerEnv = (p: TestProvider): Record<string, string> => ({
  OIDC_ISSUER: p.issuer,
  OIDC_CLIENT_ID: p.clientId,
  OIDC_CLIENT_SECRET: p.clientSecret,
  OIDC_REDIRECT_URL: p.redirectUrl,
  OIDC_SCOPES: 'openid profile cccd email',
  OIDC_CLAIM_ID_NUMBER: 'so_dinh_danh',
})

export async function startTestProvider(t: Test, redirectUrl: string): Promise<TestProvider> {
  // Listening first: the issuer names the port.
  const server: Server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  t.teardown(() => new Promise<void>((resolve) => server.close(() => resolve())))
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`

  const alg = 'RS256'
  const own = await generateKeyPair(alg, { extractable: true })
  const foreign = await generateKeyPair(alg, { extractable: true })
  const kid = 'test-key'
  const jwk = { ...(await exportJWK(own.privateKey)), kid, alg, use: 'sig' }
  const clientId = 'motcua'
  const clientSecret = 'motcua-test-secret-0123456789abcdef'
  const accounts = new Map<string, Record<string, unknown>>()

  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: clientId,
        client_secret: clientSecret,
        redirect_uris: [redirectUrl],
        grant_types: ['authorization_code'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_basic',
      },
    ],
    jwks: { keys: [jwk] },
    claims: {
      openid: ['sub'],
      profile: ['name', 'birthdate'],
      email: ['email', 'email_verified'],
      cccd: ['so_dinh_danh'],
    },
    scopes: ['openid', 'profile', 'email', 'cccd'],
    cookies: { keys: ['test-cookie-key-0123456789'] },
    pkce: { required: () => true },
    async findAccount(_ctx, sub) {
      const claims = accounts.get(sub)
      if (!claims) return undefined
      return { accountId: sub, claims: async () => ({ sub, ...claims }) }
    },
  })
  const testProvider: TestProvider = {
    issuer,
    clientId,
    clientSecret,
    redirectUrl,
    accounts,
    tamper: undefined,
    async signIn(authorizationUrl, login) {
      return followAsBrowser(authorizationUrl, login, redirectUrl)
    },
  }
  // After the token endpoint answered: the ID token as the test wants it, signed by the provider's key or another.
  provider.use(async (ctx, next) => {
    await next()
    const body = ctx.body as { id_token?: string } | undefined
    if (ctx.path !== '/token' || !testProvider.tamper || !body?.id_token) return
    const { payload, foreignKey } = testProvider.tamper(decodeJwt(body.id_token))
    body.id_token = await new SignJWT(payload)
      .setProtectedHeader({ alg, kid })
      .sign(foreignKey ? foreign.privateKey : own.privateKey)
  })
  server.on('request', provider.callback())
  return testProvider
}

/**
 * Follows the authorization URL as a browser would, keeping the provider's cookies: the development login form
 * (any password), then the consent form, until the provider redirects to motcua's redirect URL, which is returned.
 */
async function followAsBrowser(start: string, login: string, redirectUrl: string): Promise<URL> {
  const jar = new Map<string, string>()
  let url = start
  let form: Record<string, string> | undefined
  for (let hop = 0; hop < 20; hop++) {
    const res = await fetch(url, {
      redirect: 'manual',
      method: form ? 'POST' : 'GET',
      headers: {
        cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; '),
        ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
      },
      ...(form ? { body: new URLSearchParams(form).toString() } : {}),
    })
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';')
      const [name, ...value] = pair!.split('=')
      jar.set(name!.trim(), value.join('='))
    }
    form = undefined
    const location = res.headers.get('location')
    if (location) {
      const next = new URL(location, url)
      if (next.href.startsWith(redirectUrl)) return next
      url = next.href
      continue
    }
    const page = await res.text()
    if (res.status !== 200) throw new Error(`provider answered ${res.status}: ${page.slice(0, 300)}`)
    const action = /<form[^>]*action="([^"]+)"/.exec(page)?.[1]
    if (!action) throw new Error(`no form on the provider's page: ${page.slice(0, 300)}`)
    url = new URL(action, url).href
    form = /name="login"/.test(page) ? { prompt: 'login', login, password: 'any' } : { prompt: 'consent' }
  }
  throw new Error('the provider never redirected back')
}
