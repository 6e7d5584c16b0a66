// Turns the SDK's HTTP errors (status + RFC 9457 body) into the port's EngineError codes.
import { EngineError, type EngineErrorCode } from '../port.js'

interface HttpSdkError {
  status?: number
  title?: string
  detail?: string
  message?: string
}

const byTitle: Record<string, EngineErrorCode> = {
  NOT_FOUND: 'NOT_FOUND',
  INVALID_STATE: 'INVALID_STATE',
  INVALID_ARGUMENT: 'INVALID_ARGUMENT',
  ALREADY_EXISTS: 'CONFLICT',
  RESOURCE_EXHAUSTED: 'UNAVAILABLE',
}

/** The code for an HTTP status; Zeebe's problem title wins when it names one of ours. */
export function engineErrorCode(status: number | undefined, title?: string): EngineErrorCode {
  const named = title ? byTitle[title] : undefined
  if (named) return named
  if (status === 404) return 'NOT_FOUND'
  if (status === 409) return 'CONFLICT'
  if (status === 400) return 'INVALID_ARGUMENT'
  // 401/403 (bad credentials), 429, 5xx and no status at all (network): the engine cannot take the work now.
  return 'UNAVAILABLE'
}

export function toEngineError(err: unknown, operation: string): EngineError {
  if (err instanceof EngineError) return err
  const e = (err ?? {}) as HttpSdkError
  const reason = e.detail || e.title || e.message || String(err)
  // A user task listener's denial comes as INVALID_STATE; the port names it (DENIED), so it is not taken for "done".
  const code = /was denied by Task Listener/.test(reason) ? 'DENIED' : engineErrorCode(e.status, e.title)
  return new EngineError(code, `Zeebe ${operation} failed${e.status ? ` (HTTP ${e.status})` : ''}: ${reason}`)
}

/** Runs an SDK call, rethrowing its failure as an EngineError. */
export async function call<T>(operation: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn()
  } catch (err) {
    throw toEngineError(err, operation)
  }
}

/** Like call(), but a 404 is an answer (undefined), not a failure. */
export async function callOrUndefined<T>(operation: string, fn: () => Promise<T>): Promise<T | undefined> {
  try {
    return await fn()
  } catch (err) {
    const engineError = toEngineError(err, operation)
    if (engineError.code === 'NOT_FOUND') return undefined
    throw engineError
  }
}
