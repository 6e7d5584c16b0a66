// The SMTP peer of load and chaos runs: a real SMTP server (smtp-server) that counts what it accepts by outbox id and
// keeps the verification links mailed to new accounts.
import type { AddressInfo } from 'node:net'
import { SMTPServer } from 'smtp-server'
import { simpleParser } from 'mailparser'
import type { ReceivedMail } from './check.js'

export interface SmtpPeer {
  url: string
  received: ReceivedMail[]
  /** The token of the verification link mailed to `email` (waits for the mail). */
  verificationToken(email: string, timeoutMs?: number): Promise<string>
  close(): Promise<void>
}

export async function startSmtpPeer(port = 0): Promise<SmtpPeer> {
  const received: ReceivedMail[] = []
  const tokens = new Map<string, string>()
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, _session, callback) {
      simpleParser(stream).then(
        (mail) => {
          const header = (name: string) => {
            const v = mail.headers.get(name)
            return typeof v === 'string' ? v : null
          }
          const to = (Array.isArray(mail.to) ? mail.to[0] : mail.to)?.value[0]?.address ?? ''
          const template = header('x-motcua-template')
          received.push({ outboxId: header('x-motcua-outbox-id'), messageId: mail.messageId ?? null, to, template })
          const token = template === 'verify-email' ? /token=([A-Za-z0-9_-]+)/.exec(mail.text ?? '')?.[1] : undefined
          if (token) tokens.set(to.toLowerCase(), token)
          callback()
        },
        (err: Error) => callback(err),
      )
    },
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, '127.0.0.1', () => resolve())
  })
  const address = server.server.address() as AddressInfo
  return {
    url: `smtp://127.0.0.1:${address.port}`,
    received,
    async verificationToken(email, timeoutMs = 120_000) {
      const end = Date.now() + timeoutMs
      while (!tokens.has(email.toLowerCase())) {
        if (Date.now() > end) throw new Error(`no verification mail for ${email} after ${timeoutMs} ms`)
        await new Promise((r) => setTimeout(r, 100))
      }
      return tokens.get(email.toLowerCase())!
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}
