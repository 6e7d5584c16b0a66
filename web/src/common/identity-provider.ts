// Sign-in with the identity provider (VNeID / the national portal's SSO) when the server has one configured: start at
// the provider, and finish on the page the provider sends the browser back to.
import { api, setSession, type Session, type SessionUser } from '../api.js'

/** Where the citizen goes after signing in, kept across the trip to the provider. */
const nextKey = 'motcua.oidc.next'

export async function providerEnabled(): Promise<boolean> {
  return (await api<{ enabled: boolean }>('/api/auth/oidc')).enabled
}

/** Asks the server for the provider's URL (it sets a cookie binding the sign-in to this browser) and goes there. */
export async function startProviderSignIn(next: string | null): Promise<void> {
  const { authorizationUrl } = await api<{ authorizationUrl: string }>('/api/auth/oidc/authorizations', {
    method: 'POST',
  })
  if (next) sessionStorage.setItem(nextKey, next)
  else sessionStorage.removeItem(nextKey)
  window.location.assign(authorizationUrl)
}

/** Posts the provider's answer back; the server checks it and opens the session. */
export async function finishProviderSignIn(answer: { code: string; state: string; iss?: string }): Promise<{
  user: SessionUser
  next: string | null
}> {
  const body = await api<Session>('/api/auth/oidc/callback', { method: 'POST', body: answer })
  setSession({ accessToken: body.accessToken, refreshToken: body.refreshToken, user: body.user })
  const next = sessionStorage.getItem(nextKey)
  sessionStorage.removeItem(nextKey)
  return { user: body.user, next }
}
