// What each area of the app contributes: its pages and its menu entries, by kind of account.
import type { ReactNode } from 'react'
import type { SessionUser } from './api.js'

export type Kind = SessionUser['kind']

export interface AppRoute {
  path: string
  element: ReactNode
  /** Kinds of account allowed; absent = anyone, logged in or not. */
  kinds?: Kind[]
}

export interface NavEntry {
  to: string
  vi: string
  en: string
  /** Kinds that see the entry; absent = everyone. `'anonymous'` = only when logged out. */
  kinds?: (Kind | 'anonymous')[]
}

export interface Area {
  routes: AppRoute[]
  nav: NavEntry[]
}
