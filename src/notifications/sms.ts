// SMS notifications: enqueue a rendered notice in the outbox (channel 'sms', beside 'email'), the SMS provider port,
// the generic HTTP JSON provider that brandname-SMS gateways in Vietnam fit, and the transport that ties them to the
// outbox sender.
//
// Exactly once, as for e-mail (../outbox/sender.ts): one claim, one delivery, one 'sent'. A gateway that answers
// too late (our time-out) may still have taken the message; the retry carries the same reference (the outbox id), so a
// gateway that de-duplicates by its request id (most do: put {{reference}} in that field) sends it once.
import type { Knex } from 'knex'
import type { BaseLogger } from 'pino'
import { enqueue, type OutboxMessage } from '../outbox/outbox.js'
import { PermanentDeliveryError, type OutboxTransport } from '../outbox/sender.js'
import { renderSms } from './sms-templates.js'
import type { SmsText } from './sms-text.js'
import { vietnameseMobile } from './sms-text.js'
import type { EmailTemplate } from './templates.js'

export const SMS_CHANNEL = 'sms'

/** What an 'sms' outbox message holds: both forms, rendered at enqueue time, so the row shows exactly what is sent. */
export interface SmsPayload {
  /** `0xxxxxxxxx`. */
  to: string
  template: string
  unicode: SmsText
  ascii: SmsText
}

/**
 * Renders `template` as an SMS and adds it to the outbox in the caller's transaction; nothing when the number is not a
 * Vietnamese mobile or the template has no SMS form. Same dedup rule as e-mail: one per event, number and template.
 */
export async function enqueueSms(
  trx: Knex.Transaction | Knex,
  input: { eventId: string; to: string; template: EmailTemplate; link?: string },
): Promise<{ id: string; created: boolean } | undefined> {
  const to = vietnameseMobile(input.to)
  const rendered = renderSms(input.template, input.link)
  if (!to || !rendered) return undefined
  const payload: SmsPayload = { to, ...rendered }
  return enqueue(trx, {
    channel: SMS_CHANNEL,
    dedupKey: `${input.eventId}:${to}:${rendered.template}`,
    payload: { ...payload },
  })
}

/** One message as a provider sends it. */
export interface OutgoingSms {
  /** `0xxxxxxxxx`. */
  to: string
  text: string
  encoding: SmsText['encoding']
  /** Stable per message (the outbox id): the gateway's request id, so that a retry is recognised. */
  reference: string
}

/**
 * The SMS provider port. `send` resolves when the gateway accepted the message; it throws PermanentDeliveryError when
 * the gateway refused it for good, and any other error when it may work later.
 */
export interface SmsProvider {
  /** Recorded as delivered_via. */
  readonly name: string
  send(sms: OutgoingSms): Promise<void>
}

export type SmsAuth =
  | { kind: 'bearer'; token: string }
  | { kind: 'basic'; user: string; password: string }
  | { kind: 'header'; name: string; value: string }

export interface HttpSmsOptions {
  url: string
  auth?: SmsAuth
  /**
   * The request body as JSON text with placeholders inside its strings: {{to}} (0xxxxxxxxx), {{to84}} (84xxxxxxxxx),
   * {{text}}, {{reference}}, {{unicode}} ("1" with diacritics, "0" without).
   */
  bodyTemplate: string
  /** Per request; kept well below the outbox lease, so two senders never talk to the gateway about one message. */
  timeoutMs: number
  /**
   * For a gateway that answers 200 with its verdict in the body: the message was taken only when the answer is JSON
   * with this field equal to one of these values. Unset: any 2xx answer is acceptance.
   */
  acceptedWhen?: AnswerRule
  /** With acceptedWhen: a 2xx answer matching this rule means "busy, try later" (retried), not a refusal. */
  retryWhen?: AnswerRule
}

/** A field of the gateway's JSON answer (a dotted path: `CodeResult`, `result.code`) and the values that match. */
export interface AnswerRule {
  path: string
  values: string[]
}

/** `<path>=<value>[,<value>…]`, as SMS_ACCEPTED_WHEN and SMS_RETRY_WHEN are written; undefined when malformed. */
export function parseAnswerRule(text: string): AnswerRule | undefined {
  const m = /^([A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)*)=(.+)$/.exec(text)
  if (!m) return undefined
  const values = m[2]!.split(',').map((v) => v.trim())
  return values.every((v) => v.length > 0) ? { path: m[1]!, values } : undefined
}

/** Whether the answer's field at the rule's path holds one of its values (numbers and booleans compared as text). */
export function answerMatches(answer: unknown, rule: AnswerRule): boolean {
  let v: unknown = answer
  for (const key of rule.path.split('.')) {
    if (v === null || typeof v !== 'object') return false
    v = (v as Record<string, unknown>)[key]
  }
  if (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') return false
  return rule.values.includes(String(v))
}

export const DEFAULT_SMS_BODY_TEMPLATE = '{"to":"{{to}}","text":"{{text}}","reference":"{{reference}}"}'

const PLACEHOLDER = /\{\{(to|to84|text|reference|unicode)\}\}/g

/** Checks a body template at boot: JSON, an object, naming the number and the text. Returns a reason, or undefined. */
export function bodyTemplateProblem(template: string): string | undefined {
  let parsed: unknown
  try {
    parsed = JSON.parse(template)
  } catch {
    return 'is not JSON'
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return 'is not a JSON object'
  if (!template.includes('{{text}}')) return 'has no {{text}} placeholder'
  if (!template.includes('{{to}}') && !template.includes('{{to84}}')) return 'has no {{to}} or {{to84}} placeholder'
  return undefined
}

/**
 * The body for one message: placeholders are filled inside the parsed template's strings, so a text with quotes or
 * backslashes cannot change the JSON around it.
 */
export function fillBody(template: string, sms: OutgoingSms): unknown {
  const values: Record<string, string> = {
    to: sms.to,
    to84: `84${sms.to.slice(1)}`,
    text: sms.text,
    reference: sms.reference,
    unicode: sms.encoding === 'ucs2' ? '1' : '0',
  }
  const fill = (v: unknown): unknown => {
    if (typeof v === 'string') return v.replace(PLACEHOLDER, (_m, name: string) => values[name]!)
    if (Array.isArray(v)) return v.map(fill)
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, fill(x)]))
    return v
  }
  return fill(JSON.parse(template))
}

function authHeaders(auth: SmsAuth | undefined): Record<string, string> {
  if (!auth) return {}
  if (auth.kind === 'bearer') return { authorization: `Bearer ${auth.token}` }
  if (auth.kind === 'basic')
    return { authorization: `Basic ${Buffer.from(`${auth.user}:${auth.password}`).toString('base64')}` }
  return { [auth.name]: auth.value }
}

/**
 * A brandname-SMS gateway that takes one JSON POST per message. A 2xx answer is acceptance, or, with `acceptedWhen`,
 * a 2xx whose JSON body matches it (a 2xx that says otherwise is a refusal, unless it matches `retryWhen`; one that is
 * not JSON is retried: the reference keeps a retry from sending twice). A 4xx answer is a refusal of this message (bad
 * number, text or credentials) and is not retried, except 408 and 429 (the gateway was busy); 5xx answers, time-outs
 * and network errors are retried by the outbox.
 */
export function httpJsonSmsProvider(opts: HttpSmsOptions): SmsProvider {
  const headers = { 'content-type': 'application/json', accept: 'application/json', ...authHeaders(opts.auth) }
  return {
    name: 'sms-http',
    async send(sms) {
      let res: Response
      try {
        res = await fetch(opts.url, {
          method: 'POST',
          headers,
          body: JSON.stringify(fillBody(opts.bodyTemplate, sms)),
          signal: AbortSignal.timeout(opts.timeoutMs),
          redirect: 'error',
        })
      } catch (err) {
        const timedOut = err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError')
        throw new Error(
          timedOut ? `SMS gateway: no answer within ${opts.timeoutMs} ms` : `SMS gateway: ${describe(err)}`,
          { cause: err },
        )
      }
      // Read to the end so the connection can be reused; only a short excerpt goes into the outbox row.
      const text = await res.text().catch(() => '')
      const body = text.slice(0, 300)
      if (res.ok && !opts.acceptedWhen) return
      if (res.ok) return judgeAnswer(text, body, opts.acceptedWhen!, opts.retryWhen)
      const what = `SMS gateway answered ${res.status}${body ? `: ${body}` : ''}`
      if (res.status >= 400 && res.status < 500 && res.status !== 408 && res.status !== 429)
        throw new PermanentDeliveryError(what)
      throw new Error(what)
    },
  }
}

/** A 2xx answer read against the configured rules: returns when the message was taken, throws otherwise. */
function judgeAnswer(text: string, excerpt: string, acceptedWhen: AnswerRule, retryWhen?: AnswerRule): void {
  let answer: unknown
  try {
    answer = JSON.parse(text)
  } catch {
    throw new Error(`SMS gateway answered 2xx with a body that is not JSON: ${excerpt}`)
  }
  if (answerMatches(answer, acceptedWhen)) return
  const what = `SMS gateway answered 2xx without taking the message: ${excerpt}`
  if (retryWhen && answerMatches(answer, retryWhen)) throw new Error(what)
  throw new PermanentDeliveryError(what)
}

function describe(err: unknown): string {
  if (!(err instanceof Error)) return String(err)
  const cause = (err as { cause?: { code?: string; message?: string } }).cause
  return cause?.code ?? cause?.message ?? err.message
}

/** For the demo without a gateway: the SMS goes to the log and is recorded as delivered via 'log'. */
export function logSmsProvider(logger: Pick<BaseLogger, 'info'>): SmsProvider {
  return {
    name: 'log',
    async send(sms) {
      logger.info(
        { to: sms.to, text: sms.text, reference: sms.reference },
        'SMS written to the log (SMS_PROVIDER_URL is not configured)',
      )
    },
  }
}

/** The outbox transport of the 'sms' channel: the form the gateway takes, sent through the provider. */
export function smsTransport(provider: SmsProvider, opts: { diacritics: boolean }): OutboxTransport {
  return {
    name: provider.name,
    async deliver(message: OutboxMessage) {
      const sms = message.payload as unknown as SmsPayload
      const form = opts.diacritics ? sms.unicode : sms.ascii
      await provider.send({ to: sms.to, text: form.text, encoding: form.encoding, reference: message.id })
    },
  }
}

export interface SmsConfig {
  providerUrl?: string
  auth?: SmsAuth
  bodyTemplate: string
  diacritics: boolean
  timeoutMs: number
  acceptedWhen?: AnswerRule
  retryWhen?: AnswerRule
}

/** The HTTP gateway when SMS_PROVIDER_URL is configured, the log otherwise. */
export function smsTransportFor(config: SmsConfig, logger: Pick<BaseLogger, 'info'>): OutboxTransport {
  const provider = config.providerUrl
    ? httpJsonSmsProvider({
        url: config.providerUrl,
        ...(config.auth ? { auth: config.auth } : {}),
        bodyTemplate: config.bodyTemplate,
        timeoutMs: config.timeoutMs,
        ...(config.acceptedWhen ? { acceptedWhen: config.acceptedWhen } : {}),
        ...(config.retryWhen ? { retryWhen: config.retryWhen } : {}),
      })
    : logSmsProvider(logger)
  return smsTransport(provider, { diacritics: config.diacritics })
}
