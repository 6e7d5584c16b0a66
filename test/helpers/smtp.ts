// A real SMTP server (smtp-server) on 127.0.0.1 for tests: records and parses every message it accepts.
import type { AddressInfo } from 'node:net'
import type { Test } from 'tap'
import { SMTPServer } from 'smtp-server'
import { simpleParser, type ParsedMail } from 'mailparser'

export interface TestSmtpServer {
  /** smtp://user:secret@127.0.0.1:<port> */
  url: string
  /** Messages accepted, parsed. */
  received: ParsedMail[]
  /** DATA commands seen, accepted or not. */
  attempts: number
  /** Reject the next messages with a 550 while this is true. */
  rejecting: boolean
  /** Hold each message this long before answering (to catch a sender mid-delivery). */
  delayMs: number
}

export async function startSmtpServer(t: Test): Promise<TestSmtpServer> {
  const state: TestSmtpServer = { url: '', received: [], attempts: 0, rejecting: false, delayMs: 0 }
  const server = new SMTPServer({
    disabledCommands: ['STARTTLS'],
    allowInsecureAuth: true,
    authOptional: true,
    logger: false,
    onAuth(auth, _session, cb) {
      if (auth.username === 'user' && auth.password === 'secret') cb(null, { user: auth.username })
      else cb(new Error('bad credentials'))
    },
    onData(stream, _session, cb) {
      const chunks: Buffer[] = []
      stream.on('data', (c: Buffer) => chunks.push(c))
      stream.on('end', () => {
        state.attempts++
        setTimeout(() => {
          if (state.rejecting) {
            cb(Object.assign(new Error('Mailbox unavailable (test)'), { responseCode: 550 }))
            return
          }
          simpleParser(Buffer.concat(chunks)).then(
            (mail) => {
              state.received.push(mail)
              cb()
            },
            (err: Error) => cb(err),
          )
        }, state.delayMs)
      })
    },
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.server.address() as AddressInfo
  state.url = `smtp://user:secret@127.0.0.1:${port}`
  t.teardown(() => new Promise<void>((resolve) => server.close(() => resolve())))
  return state
}
