// A fake brandname-SMS gateway on 127.0.0.1 for tests: a real HTTP server speaking the generic JSON API that motcua's
// HTTP provider is configured for by default (docs/notifications.md): POST a JSON object {to, text, reference} with a
// bearer token; 2xx is acceptance. Like the gateways it stands for, it de-duplicates by the request's reference: a
// message it already took is answered 200 again and not sent to the phone a second time.
//
// Hostile behaviour is scripted per request, in order: a 5xx, a 4xx refusal, no answer at all (the client times out,
// nothing sent), a slow answer (the message is taken and sent, the answer comes after the client gave up), or a 200
// whose body says the message was not taken (as gateways with result codes do: `{"status":"error","code":"…"}`), or a
// 200 that is not JSON.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Test } from 'tap'

export type GatewayBehaviour =
  | { kind: 'fail'; status: number }
  | { kind: 'reject'; status: number }
  | { kind: 'hang' }
  | { kind: 'slow'; delayMs: number }
  | { kind: 'refuse-in-body'; code: string }
  | { kind: 'not-json' }

export interface SentSms {
  to: string
  text: string
  reference: string
}

export interface FakeSmsGateway {
  /** http://127.0.0.1:<port>/sms */
  url: string
  token: string
  /** Every request that reached the gateway (with a valid token), taken or not. */
  requests: SentSms[]
  /** What reached phones: once per reference. */
  sent: SentSms[]
  /** What the next requests meet, consumed one per request; empty: accepted at once. */
  script: GatewayBehaviour[]
  /** Bodies that were not the expected JSON, and requests with a wrong token (answered 400 / 401). */
  refused: string[]
}

export async function startSmsGateway(t: Test, opts: { token?: string } = {}): Promise<FakeSmsGateway> {
  const state: FakeSmsGateway = {
    url: '',
    token: opts.token ?? 'gateway-test-token',
    requests: [],
    sent: [],
    script: [],
    refused: [],
  }
  const hanging = new Set<ServerResponse>()
  const answer = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json' })
    res.end(JSON.stringify(body))
  }
  const take = (sms: SentSms) => {
    if (!state.sent.some((s) => s.reference === sms.reference)) state.sent.push(sms)
  }
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8')
      if (req.method !== 'POST' || req.url !== '/sms') return answer(res, 404, { error: 'not found' })
      if (req.headers.authorization !== `Bearer ${state.token}`) {
        state.refused.push(`auth: ${req.headers.authorization ?? '(none)'}`)
        return answer(res, 401, { error: 'invalid token' })
      }
      let sms: SentSms
      try {
        const body = JSON.parse(raw) as Record<string, unknown>
        if (typeof body['to'] !== 'string' || typeof body['text'] !== 'string' || typeof body['reference'] !== 'string')
          throw new Error('fields')
        if (!/^0[35789]\d{8}$/.test(body['to'])) throw new Error('number')
        sms = { to: body['to'], text: body['text'], reference: body['reference'] }
      } catch (err) {
        state.refused.push(`${(err as Error).message}: ${raw.slice(0, 200)}`)
        return answer(res, 400, { error: 'bad request' })
      }
      state.requests.push(sms)
      const behaviour = state.script.shift()
      if (!behaviour) {
        take(sms)
        return answer(res, 200, { status: 'accepted', reference: sms.reference })
      }
      switch (behaviour.kind) {
        case 'fail':
          return answer(res, behaviour.status, { error: 'gateway busy' })
        case 'reject':
          return answer(res, behaviour.status, { error: 'rejected by the operator' })
        case 'hang':
          hanging.add(res)
          return
        case 'refuse-in-body':
          return answer(res, 200, { status: 'error', code: behaviour.code })
        case 'not-json':
          res.writeHead(200, { 'content-type': 'text/html' })
          return res.end('<html><body>Service temporarily unavailable</body></html>')
        case 'slow':
          take(sms)
          setTimeout(() => answer(res, 200, { status: 'accepted', reference: sms.reference }), behaviour.delayMs)
          return
      }
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  state.url = `http://127.0.0.1:${port}/sms`
  t.teardown(
    () =>
      new Promise<void>((resolve) => {
        for (const res of hanging) res.destroy()
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  )
  return state
}
