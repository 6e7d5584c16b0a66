// Who is logged in, for every screen: login, logout, and the account kind that decides the menu.
import { createContext, useContext, useEffect, useMemo, useState, type ReactNode } from 'react'
import { api, getSession, onSessionChange, setSession, type Session, type SessionUser } from './api.js'

interface AuthContextValue {
  user: SessionUser | null
  login(username: string, password: string): Promise<SessionUser>
  logout(): Promise<void>
}

const AuthContext = createContext<AuthContextValue | null>(null)

export function AuthProvider({ children }: { children: ReactNode }) {
  const [session, setState] = useState<Session | null>(getSession)
  useEffect(() => onSessionChange(setState), [])
  const value = useMemo<AuthContextValue>(
    () => ({
      user: session?.user ?? null,
      async login(username, password) {
        const body = await api<Session>('/api/auth/login', { method: 'POST', body: { username, password } })
        setSession({ accessToken: body.accessToken, refreshToken: body.refreshToken, user: body.user })
        return body.user
      },
      async logout() {
        const s = getSession()
        if (s)
          await api('/api/auth/logout', { method: 'POST', body: { refreshToken: s.refreshToken } }).catch(
            () => undefined,
          )
        setSession(null)
      },
    }),
    [session],
  )
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>
}

export function useAuth(): AuthContextValue {
  const value = useContext(AuthContext)
  if (!value) throw new Error('useAuth outside AuthProvider')
  return value
}

export const applicantKinds: SessionUser['kind'][] = ['citizen', 'organisation', 'enterprise']
export const staffKinds: SessionUser['kind'][] = ['officer', 'supervisor']

/** Where each kind of account lands after logging in. */
export function homeOf(user: SessionUser): string {
  switch (user.kind) {
    case 'officer':
      return '/can-bo'
    case 'supervisor':
      return '/giam-sat'
    case 'analyst':
      return '/thiet-ke'
    case 'administrator':
      return '/quan-tri'
    default:
      return '/ho-so-cua-toi'
  }
}
