// E-mail notifications: enqueue a rendered template in the outbox, and the transports that deliver it (SMTP or the
// log).
import type { Knex } from 'knex'
import type { Transporter } from 'nodemailer'
import type { BaseLogger } from 'pino'
import { enqueue } from '../outbox/outbox.js'
import type { OutboxMessage } from '../outbox/outbox.js'
import { OutboxSender, type OutboxTransport } from '../outbox/sender.js'
import { renderEmail, type EmailTemplate } from './templates.js'
import { nodemailer } from '../lib/lazy-modules.js'

export const EMAIL_CHANNEL = 'email'

/** What an 'email' outbox message holds: rendered at enqueue time, so the row shows exactly what is sent. */
export interface EmailPayload {
  to: string
  template: string
  subject: string
  text: string
  html: string
}

/**
 * Renders `template` and adds it to the outbox in the caller's transaction. `eventId` names the
 * state change that causes the mail (an audit event id, a dossier code + transition …): the same
 * event, recipient and template never produce a second mail.
 */
export function enqueueEmail(
  trx: Knex.Transaction | Knex,
  input: { eventId: string; to: string; template: EmailTemplate; notBefore?: Date },
): Promise<{ id: string; created: boolean }> {
  const to = input.to.trim()
  const rendered = renderEmail(input.template)
  const payload: EmailPayload = { to, ...rendered }
  return enqueue(trx, {
    channel: EMAIL_CHANNEL,
    dedupKey: `${input.eventId}:${to.toLowerCase()}:${rendered.template}`,
    payload: { ...payload },
    ...(input.notBefore ? { notBefore: input.notBefore } : {}),
  })
}

/** Stable per outbox message, so a duplicate sent after a crash can be recognised by receivers. */
export function messageIdFor(outboxId: string, from: string): string {
  const domain = /@([^>\s]+)>?\s*$/.exec(from)?.[1] ?? 'motcua.local'
  return `<${outboxId}@${domain}>`
}

export interface SmtpTransportOptions {
  url: string
  from: string
  /** Kept well below the sender's lease, so a hung relay cannot make two senders overlap. */
  timeoutMs?: number
}

export function smtpTransport(opts: SmtpTransportOptions): OutboxTransport {
  const timeout = opts.timeoutMs ?? 60_000
  // Made on the first delivery: nodemailer is loaded then (src/lib/lazy-modules.ts).
  let transporter: Promise<Transporter> | undefined
  const connect = (): Promise<Transporter> =>
    (transporter ??= nodemailer().then((mailer) =>
      mailer.createTransport({
        url: opts.url,
        connectionTimeout: timeout,
        greetingTimeout: timeout,
        socketTimeout: timeout,
      }),
    ))
  return {
    name: 'smtp',
    async deliver(message: OutboxMessage) {
      const mail = message.payload as unknown as EmailPayload
      await (
        await connect()
      ).sendMail({
        from: opts.from,
        to: mail.to,
        subject: mail.subject,
        text: mail.text,
        html: mail.html,
        messageId: messageIdFor(message.id, opts.from),
        headers: { 'X-Motcua-Outbox-Id': message.id, 'X-Motcua-Template': mail.template },
      })
    },
    close() {
      void transporter?.then((t) => t.close())
    },
  }
}

/** For the demo without a mail relay: the message goes to the log and is recorded as delivered via 'log'. */
export function logTransport(logger: Pick<BaseLogger, 'info'>): OutboxTransport {
  return {
    name: 'log',
    async deliver(message: OutboxMessage) {
      const mail = message.payload as unknown as EmailPayload
      logger.info(
        { outboxId: message.id, to: mail.to, template: mail.template, subject: mail.subject, text: mail.text },
        'e-mail written to the log (SMTP_URL is not configured)',
      )
    },
  }
}

/** SMTP when SMTP_URL is configured, the log otherwise. */
export function emailTransportFor(
  config: { smtpUrl?: string; mailFrom: string },
  logger: Pick<BaseLogger, 'info'>,
): OutboxTransport {
  return config.smtpUrl ? smtpTransport({ url: config.smtpUrl, from: config.mailFrom }) : logTransport(logger)
}

/**
 * The sender the server runs: e-mail through SMTP or the log. Start it after migrations, stop it
 * after the HTTP server (it drains the deliveries in flight), before closing the database.
 */
export function createEmailOutboxSender(
  config: { smtpUrl?: string; mailFrom: string },
  knex: Knex,
  logger: Pick<BaseLogger, 'info' | 'warn' | 'error'>,
): OutboxSender {
  return new OutboxSender({ knex, logger, transports: { [EMAIL_CHANNEL]: emailTransportFor(config, logger) } })
}
