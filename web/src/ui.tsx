// Small pieces every screen uses: the page heading that takes focus on navigation, problem alerts
// that point at fields, loading states announced to screen readers, status badges, due-time colours.
import { useCallback, useEffect, useRef, useState, type DependencyList, type ReactNode } from 'react'
import { ApiError, type Problem } from './api.js'
import { applicantKinds, useAuth } from './auth.js'
import { useLang } from './i18n.js'
import { dossierStatuses, type DossierStatus } from '../../src/domain/dossier/status.js'

let firstPage = true

/**
 * The page's h1: sets the document title and, after an in-app navigation, takes focus so screen
 * readers announce the new page. The first page of a visit keeps the browser's own start (the skip link).
 */
export function PageTitle({ children, title }: { children: ReactNode; title: string }) {
  const ref = useRef<HTMLHeadingElement>(null)
  useEffect(() => {
    document.title = `${title} — Một cửa điện tử`
    if (firstPage) firstPage = false
    else ref.current?.focus()
  }, [title])
  return (
    <h1 ref={ref} tabIndex={-1}>
      {children}
    </h1>
  )
}

export function problemOf(err: unknown): Problem {
  if (err instanceof ApiError) return err.problem
  return {
    status: 0,
    code: 'MC_ERR_CLIENT',
    title: 'Error',
    message: { vi: 'Đã có lỗi xảy ra.', en: 'Something went wrong.' },
    detail: err instanceof Error ? err.message : String(err),
  }
}

export function ProblemAlert({ error }: { error: unknown }) {
  const { msg, tr } = useLang()
  const { user } = useAuth()
  if (!error) return null
  const p = problemOf(error)
  // The error code helps staff report a fault; an applicant or a visitor reads the message only (it stays in
  // data-code for support tools and tests).
  const staff = user !== null && !applicantKinds.includes(user.kind)
  return (
    <div className="alert alert-error" role="alert" data-code={p.code}>
      <strong>{msg(p.message)}</strong>
      {p.errors && p.errors.length > 0 && (
        <ul>
          {p.errors.map((e, i) => (
            <li key={i}>
              <code>{e.field}</code>: {typeof e.message === 'string' ? e.message : msg(e.message)}
            </li>
          ))}
        </ul>
      )}
      {staff && (
        <div className="muted small">
          {tr('Mã lỗi', 'Error code')}: {p.code}
        </div>
      )}
    </div>
  )
}

export function Loading() {
  const { tr } = useLang()
  return (
    <p role="status" aria-live="polite" className="muted">
      {tr('Đang tải…', 'Loading…')}
    </p>
  )
}

export function StatusBadge({ status }: { status: number }) {
  const { lang } = useLang()
  const s = dossierStatuses[status as DossierStatus]
  if (!s) return <span className="badge">{status}</span>
  return (
    <span className={`badge status-${s.key}`} data-status={status}>
      {s[lang]}
    </span>
  )
}

/** Overdue red, due within one working day amber (the server says which), otherwise plain. */
export function dueClass(due: { overdue?: boolean; dueSoon?: boolean } | undefined): string {
  if (!due) return ''
  if (due.overdue) return 'due-overdue'
  if (due.dueSoon) return 'due-soon'
  return ''
}

export interface AsyncState<T> {
  data: T | undefined
  error: unknown
  loading: boolean
  reload(): void
}

/** Runs an async load when its dependencies change; the latest answer wins. */
export function useAsync<T>(load: (signal: AbortSignal) => Promise<T>, deps: DependencyList): AsyncState<T> {
  const [state, setState] = useState<{ data?: T; error?: unknown; loading: boolean }>({ loading: true })
  const [tick, setTick] = useState(0)
  useEffect(() => {
    const ctl = new AbortController()
    setState((s) => ({ ...s, loading: true, error: undefined }))
    load(ctl.signal).then(
      (data) => !ctl.signal.aborted && setState({ data, loading: false }),
      (error) => !ctl.signal.aborted && setState({ error, loading: false }),
    )
    return () => ctl.abort()
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [...deps, tick])
  const reload = useCallback(() => setTick((n) => n + 1), [])
  return { data: state.data, error: state.error, loading: state.loading, reload }
}

export interface Action<A extends unknown[]> {
  busy: boolean
  error: unknown
  run(...args: A): Promise<void>
  clearError(): void
}

/** Wraps a user action (a form submit, a button): busy while it runs, its refusal kept for ProblemAlert. */
export function useAction<A extends unknown[]>(fn: (...args: A) => Promise<void>): Action<A> {
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<unknown>(null)
  const run = async (...args: A) => {
    setBusy(true)
    setError(null)
    try {
      await fn(...args)
    } catch (err) {
      setError(err)
    } finally {
      setBusy(false)
    }
  }
  return { busy, error, run, clearError: () => setError(null) }
}
