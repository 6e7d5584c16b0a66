// The one way the web app talks to the server: JSON in and out, the session's bearer token, one
// silent refresh on 401, and every refusal turned into an ApiError carrying the problem+json.

export interface FieldError {
  field: string
  /** Fastify's schema errors carry English text; form errors carry both languages. */
  message?: string | { vi: string; en: string }
  keyword?: string
}

export interface Problem {
  status: number
  code: string
  title: string
  detail?: string
  message: { vi: string; en: string }
  errors?: FieldError[]
  [extension: string]: unknown
}

export class ApiError extends Error {
  constructor(readonly problem: Problem) {
    super(`${problem.code}: ${problem.message.en}`)
    this.name = 'ApiError'
  }
}

export interface SessionUser {
  userId: string
  username: string
  fullName?: string
  kind: 'citizen' | 'organisation' | 'enterprise' | 'officer' | 'supervisor' | 'analyst' | 'administrator'
  unitId?: string
  groups: string[]
}

export interface Session {
  accessToken: string
  refreshToken: string
  user: SessionUser
}

const storageKey = 'motcua.session'
type Listener = (session: Session | null) => void
const listeners = new Set<Listener>()

let current: Session | null = readStored()

function readStored(): Session | null {
  try {
    const raw = sessionStorage.getItem(storageKey)
    return raw ? (JSON.parse(raw) as Session) : null
  } catch {
    return null
  }
}

export function getSession(): Session | null {
  return current
}

export function setSession(session: Session | null): void {
  current = session
  if (session) sessionStorage.setItem(storageKey, JSON.stringify(session))
  else sessionStorage.removeItem(storageKey)
  for (const l of listeners) l(session)
}

export function onSessionChange(listener: Listener): () => void {
  listeners.add(listener)
  return () => listeners.delete(listener)
}

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'
  /** A JSON body, FormData for uploads, or a file sent as itself (its content-type in `headers`). */
  body?: unknown
  headers?: Record<string, string>
  query?: Record<string, string | number | boolean | undefined | null>
  signal?: AbortSignal
}

export function withQuery(path: string, query?: RequestOptions['query']): string {
  if (!query) return path
  const params = new URLSearchParams()
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== null && v !== '') params.set(k, String(v))
  const qs = params.toString()
  return qs ? `${path}?${qs}` : path
}

async function send(path: string, opts: RequestOptions, token: string | undefined): Promise<Response> {
  const headers: Record<string, string> = { accept: 'application/json, application/problem+json', ...opts.headers }
  if (token) headers.authorization = `Bearer ${token}`
  let body: BodyInit | undefined
  if (opts.body instanceof FormData || opts.body instanceof Blob) body = opts.body
  else if (opts.body !== undefined) {
    headers['content-type'] = 'application/json'
    body = JSON.stringify(opts.body)
  }
  return fetch(withQuery(path, opts.query), { method: opts.method ?? 'GET', headers, body, signal: opts.signal })
}

let refreshing: Promise<boolean> | null = null

async function refresh(): Promise<boolean> {
  const session = current
  if (!session) return false
  refreshing ??= (async () => {
    try {
      const res = await send(
        '/api/auth/refresh',
        { method: 'POST', body: { refreshToken: session.refreshToken } },
        undefined,
      )
      if (!res.ok) {
        setSession(null)
        return false
      }
      const body = (await res.json()) as { accessToken: string; refreshToken: string; user?: SessionUser }
      setSession({ accessToken: body.accessToken, refreshToken: body.refreshToken, user: body.user ?? session.user })
      return true
    } finally {
      refreshing = null
    }
  })()
  return refreshing
}

async function toError(res: Response): Promise<ApiError> {
  const type = res.headers.get('content-type') ?? ''
  if (type.includes('json')) {
    const body = (await res.json()) as Partial<Problem>
    if (body.code && body.message)
      return new ApiError({ status: res.status, title: body.title ?? '', ...body } as Problem)
  }
  return new ApiError({
    status: res.status,
    code: 'MC_ERR_HTTP',
    title: res.statusText,
    message: { vi: `Máy chủ trả lời lỗi ${res.status}.`, en: `The server answered ${res.status}.` },
  })
}

/** Calls the API and answers the raw Response (for files); refusals throw ApiError. */
export async function apiRaw(path: string, opts: RequestOptions = {}): Promise<Response> {
  let res: Response
  try {
    res = await send(path, opts, current?.accessToken)
    if (res.status === 401 && current && !path.startsWith('/api/auth/') && (await refresh())) {
      res = await send(path, opts, current?.accessToken)
    }
  } catch (err) {
    if ((err as Error).name === 'AbortError') throw err
    throw new ApiError({
      status: 0,
      code: 'MC_ERR_NETWORK',
      title: 'Network error',
      message: {
        vi: 'Không kết nối được máy chủ. Vui lòng thử lại.',
        en: 'Could not reach the server. Please try again.',
      },
    })
  }
  if (!res.ok) throw await toError(res)
  return res
}

/** Calls the API and answers the parsed JSON body (undefined for 204). */
export async function api<T>(path: string, opts: RequestOptions = {}): Promise<T> {
  const res = await apiRaw(path, opts)
  if (res.status === 204) return undefined as T
  return (await res.json()) as T
}

/** Opens a protected file (print form, attachment) in a new tab with the bearer token. */
export async function openProtected(path: string): Promise<void> {
  const res = await apiRaw(path)
  const url = URL.createObjectURL(await res.blob())
  window.open(url, '_blank', 'noopener')
  setTimeout(() => URL.revokeObjectURL(url), 60_000)
}
