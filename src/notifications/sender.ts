// The outbox sender the server runs: one sender, one transport per notification channel.
import type { Knex } from 'knex'
import type { BaseLogger } from 'pino'
import { OutboxSender } from '../outbox/sender.js'
import { EMAIL_CHANNEL, emailTransportFor } from './email.js'
import { SMS_CHANNEL, smsTransportFor, type SmsConfig } from './sms.js'

/**
 * E-mail through SMTP (or the log) and SMS through the gateway (or the log). Start it after migrations, stop it after
 * the HTTP server (it drains the deliveries in flight), before closing the database.
 */
export function createNotificationSender(
  config: { smtpUrl?: string; mailFrom: string; sms: SmsConfig },
  knex: Knex,
  logger: Pick<BaseLogger, 'info' | 'warn' | 'error'>,
): OutboxSender {
  return new OutboxSender({
    knex,
    logger,
    transports: {
      [EMAIL_CHANNEL]: emailTransportFor(config, logger),
      [SMS_CHANNEL]: smsTransportFor(config.sms, logger),
    },
  })
}
