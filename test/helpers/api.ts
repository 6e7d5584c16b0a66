// Calling the API in tests as a demo account: one login per account per file (login is rate-limited), JSON calls and
// multipart uploads.
import type { LightMyRequestResponse } from 'fastify'
import type { TestApp } from './app.js'

export type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE'

export interface ApiClient {
  /** The bearer header of a demo account, logging it in on first use. */
  as(username: string): Promise<{ authorization: string }>
  call(
    method: Method,
    url: string,
    who?: string,
    payload?: unknown,
    headers?: Record<string, string>,
  ): Promise<LightMyRequestResponse>
  /** POSTs one multipart part named "file". */
  upload(who: string, url: string, file: Buffer, filename: string, type?: string): Promise<LightMyRequestResponse>
}

export function multipartFile(
  file: Buffer,
  filename: string,
  type = 'application/octet-stream',
): { payload: Buffer; headers: Record<string, string> } {
  const boundary = `----motcua${Math.random().toString(16).slice(2)}`
  const payload = Buffer.concat([
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: ${type}\r\n\r\n`,
    ),
    file,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ])
  return { payload, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } }
}

export function apiClient(built: Pick<TestApp, 'app' | 'loginAs'>): ApiClient {
  const sessions = new Map<string, Promise<{ authorization: string }>>()
  const as = (username: string) => {
    if (!sessions.has(username))
      sessions.set(
        username,
        built.loginAs(username).then(({ authorization }) => ({ authorization })),
      )
    return sessions.get(username)!
  }
  return {
    as,
    async call(method, url, who, payload, headers = {}) {
      return built.app.inject({
        method,
        url,
        headers: { ...(who ? await as(who) : {}), ...headers },
        ...(payload !== undefined ? { payload: payload as object } : {}),
      })
    },
    async upload(who, url, file, filename, type) {
      const body = multipartFile(file, filename, type)
      return built.app.inject({
        method: 'POST',
        url,
        payload: body.payload,
        headers: { ...(await as(who)), ...body.headers },
      })
    },
  }
}
