// The outbox sends each e-mail once: against a real SMTP server, with racing senders, crashes, and a relay that
// refuses.
import t from 'tap'
import type { Knex } from 'knex'
import { createTestDatabase, dbKind } from './helpers/db.js'
import { startSmtpServer } from './helpers/smtp.js'
import { knexFor, type Database } from '../src/db/database.js'
import { claimDue, enqueue, getMessage, listByStatus, retryDead, retryDelay } from '../src/outbox/outbox.js'
import { OutboxSender, type OutboxSenderOptions } from '../src/outbox/sender.js'
import {
  EMAIL_CHANNEL,
  emailTransportFor,
  enqueueEmail,
  logTransport,
  messageIdFor,
  smtpTransport,
} from '../src/notifications/email.js'
import type { EmailTemplate } from '../src/notifications/templates.js'
import { eventually } from './helpers/eventually.js'

const FROM = 'Một cửa <no-reply@motcua.test>'

const quiet = { info() {}, warn() {}, error() {} }

const received = (code: string): EmailTemplate => ({
  name: 'dossier-received',
  data: {
    applicantName: 'Nguyễn Thị Hằng',
    dossierCode: code,
    procedureName: 'Đăng ký khai sinh',
    agencyName: 'UBND phường Bến Nghé',
    receivedAt: new Date('2026-03-02T02:15:00Z'),
    appointmentDate: '2026-03-09',
  },
})

function sender(db: Database, smtpUrl: string, opts: Partial<OutboxSenderOptions> = {}): OutboxSender {
  return new OutboxSender({
    knex: db.knex,
    transports: { [EMAIL_CHANNEL]: smtpTransport({ url: smtpUrl, from: FROM, timeoutMs: 5_000 }) },
    logger: quiet,
    pollIntervalMs: 20,
    ...opts,
  })
}

const countRows = async (knex: Knex): Promise<number> =>
  Number(((await knex('outbox_messages').count('* as n')) as Array<{ n: number | string }>)[0]!.n)

t.test(
  `given a real SMTP relay (${dbKind}), when a mail is enqueued and the sender runs, then it arrives once, Vietnamese intact`,
  async (t) => {
    const db = await createTestDatabase(t)
    const smtp = await startSmtpServer(t)
    const { id } = await db.knex.transaction((trx) =>
      enqueueEmail(trx, { eventId: 'evt-1', to: 'hang@example.vn', template: received('H21.65-260302-0001') }),
    )
    const s = sender(db, smtp.url)
    t.equal(await s.runOnce(), 1)

    t.equal(smtp.received.length, 1)
    const mail = smtp.received[0]!
    t.equal(mail.subject, 'Hồ sơ H21.65-260302-0001 đã được tiếp nhận — hẹn trả kết quả ngày 09/03/2026')
    t.match(mail.text ?? '', 'Kính gửi Nguyễn Thị Hằng,')
    t.match(mail.text ?? '', 'lúc 09:15 ngày 02/03/2026')
    t.match(String(mail.html), 'UBND phường Bến Nghé')
    t.equal(mail.messageId, messageIdFor(id, FROM), 'the Message-ID is derived from the outbox id')
    t.equal(mail.messageId, `<${id}@motcua.test>`)
    t.equal(mail.headers.get('x-motcua-outbox-id'), id)
    const row = await getMessage(db.knex, id)
    t.equal(row?.status, 'sent')
    t.equal(row?.deliveredVia, 'smtp')
    t.equal(row?.attempts, 1)
    t.ok(row?.sentAt)

    t.equal(await s.runOnce(), 0, 'and a second round sends nothing')
    t.equal(smtp.received.length, 1)
  },
)

t.test('given one event, when it is enqueued twice, then there is one message', async (t) => {
  const db = await createTestDatabase(t)
  const first = await db.knex.transaction((trx) =>
    enqueueEmail(trx, { eventId: 'evt-2', to: 'a@example.vn', template: received('X-1') }),
  )
  const second = await db.knex.transaction((trx) =>
    enqueueEmail(trx, { eventId: 'evt-2', to: 'A@Example.vn ', template: received('X-1') }),
  )
  t.equal(first.created, true)
  t.equal(second.created, false)
  t.equal(second.id, first.id, 'the second enqueue answers with the existing message')
  t.equal(await countRows(db.knex), 1)
  const other = await enqueue(db.knex, {
    channel: 'email',
    dedupKey: 'evt-2:b@example.vn:dossier-received',
    payload: {},
  })
  t.equal(other.created, true, 'another recipient of the same event is another message')
})

t.test('given a caller transaction that fails after enqueuing, then no message exists', async (t) => {
  const db = await createTestDatabase(t)
  await t.rejects(
    db.knex.transaction(async (trx) => {
      await enqueueEmail(trx, { eventId: 'evt-3', to: 'a@example.vn', template: received('X-2') })
      throw new Error('the state change failed')
    }),
    /state change failed/,
  )
  t.equal(await countRows(db.knex), 0)
})

t.test('given two senders racing on one database, then each message is received exactly once', async (t) => {
  const db = await createTestDatabase(t)
  const smtp = await startSmtpServer(t)
  const total = 40
  await db.knex.transaction(async (trx) => {
    for (let i = 0; i < total; i++) {
      await enqueueEmail(trx, { eventId: `race-${i}`, to: `p${i}@example.vn`, template: received(`R-${i}`) })
    }
  })
  // A second process has its own connections; on embedded PGlite there is only one connection to share.
  const otherKnex = db.embedded ? db.knex : knexFor(db.url, 5)
  if (otherKnex !== db.knex) t.teardown(() => otherKnex.destroy())
  const a = sender(db, smtp.url, { batchSize: 3, workerId: 'A' })
  const b = sender({ ...db, knex: otherKnex }, smtp.url, { batchSize: 3, workerId: 'B' })
  a.start()
  b.start()
  await eventually('all messages', () => smtp.received.length >= total, 30_000)
  await Promise.all([a.stop(), b.stop()])
  // Anything extra would have arrived by now: both senders have stopped.
  const ids = smtp.received.map((m) => m.messageId)
  t.equal(ids.length, total)
  t.equal(new Set(ids).size, total, 'no message was received twice')
  t.equal((await listByStatus(db.knex, 'sent', 1000)).length, total)
  const bySender = (await db.knex('outbox_messages').select('attempts')) as Array<{ attempts: number }>
  t.ok(
    bySender.every((r) => r.attempts === 1),
    'no message was claimed twice',
  )
})

t.test('given a sender that claimed a message and died, then another delivers it once after the lease', async (t) => {
  const db = await createTestDatabase(t)
  const smtp = await startSmtpServer(t)
  const { id } = await enqueueEmail(db.knex, { eventId: 'evt-4', to: 'a@example.vn', template: received('C-1') })
  // The dying sender: claims with a short lease, then never delivers nor records anything.
  const claimed = await claimDue(db.knex, { workerId: 'crashed', channels: ['email'], limit: 10, leaseMs: 400 })
  t.equal(claimed.length, 1)

  const survivor = sender(db, smtp.url, { workerId: 'survivor' })
  t.equal(await survivor.runOnce(), 0, 'while the lease holds, nobody else takes it')
  await new Promise((r) => setTimeout(r, 500))
  t.equal(await survivor.runOnce(), 1, 'after the lease, the survivor takes it')
  t.equal(smtp.received.length, 1)
  const row = await getMessage(db.knex, id)
  t.equal(row?.status, 'sent')
  t.equal(row?.attempts, 2, 'the lost attempt is counted')
  t.equal(await survivor.runOnce(), 0)
  t.equal(smtp.received.length, 1, 'and it is received once')
})

t.test(
  'given a relay that refuses, then the sender retries with growing delays and the message ends dead',
  async (t) => {
    const db = await createTestDatabase(t)
    const smtp = await startSmtpServer(t)
    smtp.rejecting = true
    const { id } = await enqueueEmail(db.knex, { eventId: 'evt-5', to: 'a@example.vn', template: received('F-1') })
    const s = sender(db, smtp.url, { maxAttempts: 3, backoff: { baseMs: 200, maxMs: 10_000 }, random: () => 1 })

    t.equal(await s.runOnce(), 1)
    let row = await getMessage(db.knex, id)
    t.equal(row?.status, 'failed')
    t.match(row?.lastError, /550/)
    t.equal(await s.runOnce(), 0, 'a failed message is not retried before its back-off')
    // The back-off is measured on the database's own clock (both columns are set by one UPDATE), so a
    // busy machine cannot make this check flaky.
    const scheduledGap = async (): Promise<number> => {
      const r = await db.knex('outbox_messages').where({ id }).first('next_attempt_at', 'updated_at')
      return r.next_attempt_at.getTime() - r.updated_at.getTime()
    }
    t.equal(await scheduledGap(), 200, 'first retry 200 ms after the failure')

    await eventually('second attempt', async () => (await s.runOnce()) > 0, 5_000)
    row = await getMessage(db.knex, id)
    t.equal(row?.status, 'failed')
    t.equal(await scheduledGap(), 400, 'second retry 400 ms after the failure')

    await eventually('third attempt', async () => (await s.runOnce()) > 0, 5_000)
    row = await getMessage(db.knex, id)
    t.equal(row?.status, 'dead', 'after the last attempt it is dead')
    t.equal(row?.attempts, 3)
    t.equal(smtp.attempts, 3, 'the relay saw three attempts')
    t.equal(smtp.received.length, 0)
    t.same(
      (await listByStatus(db.knex, 'dead')).map((m) => m.id),
      [id],
      'operators see it',
    )

    await new Promise((r) => setTimeout(r, 50))
    t.equal(await s.runOnce(), 0, 'a dead message is left alone')

    smtp.rejecting = false
    t.ok(await retryDead(db.knex, id), 'an operator can put it back')
    t.equal(await s.runOnce(), 1)
    t.equal((await getMessage(db.knex, id))?.status, 'sent')
    t.equal(smtp.received.length, 1)
  },
)

t.test('retry delays grow exponentially, are capped, and are jittered within [d/2, d]', async (t) => {
  const opts = { baseMs: 1000, maxMs: 8000 }
  t.same(
    [1, 2, 3, 4, 5, 6].map((n) => retryDelay(n, opts, () => 1)),
    [1000, 2000, 4000, 8000, 8000, 8000],
  )
  t.same(
    [1, 2, 3, 4].map((n) => retryDelay(n, opts, () => 0)),
    [500, 1000, 2000, 4000],
  )
})

t.test('given no SMTP relay, then mail goes to the log and is recorded as sent via the log', async (t) => {
  const db = await createTestDatabase(t)
  const logged: Array<Record<string, unknown>> = []
  const s = new OutboxSender({
    knex: db.knex,
    transports: { email: logTransport({ info: (obj: Record<string, unknown>) => logged.push(obj) } as never) },
    logger: quiet,
  })
  const { id } = await enqueueEmail(db.knex, { eventId: 'evt-6', to: 'a@example.vn', template: received('L-1') })
  t.equal(await s.runOnce(), 1)
  t.equal(logged.length, 1)
  t.equal(logged[0]!['to'], 'a@example.vn')
  t.match(String(logged[0]!['subject']), 'đã được tiếp nhận')
  const row = await getMessage(db.knex, id)
  t.equal(row?.status, 'sent')
  t.equal(row?.deliveredVia, 'log')
})

t.test('given a sender delivering when it is stopped, then stop waits for the delivery to be recorded', async (t) => {
  const db = await createTestDatabase(t)
  const smtp = await startSmtpServer(t)
  smtp.delayMs = 300
  const { id } = await enqueueEmail(db.knex, { eventId: 'evt-7', to: 'a@example.vn', template: received('S-1') })
  const s = sender(db, smtp.url)
  s.start()
  await eventually('the relay to receive DATA', () => smtp.attempts > 0, 5_000)
  await s.stop()
  t.equal(smtp.received.length, 1)
  t.equal((await getMessage(db.knex, id))?.status, 'sent', 'recorded before stop resolved')
})

t.test('the configured transport is SMTP when SMTP_URL is set, the log otherwise', async (t) => {
  t.equal(emailTransportFor({ mailFrom: FROM }, quiet).name, 'log')
  const smtp = emailTransportFor({ smtpUrl: 'smtp://127.0.0.1:1', mailFrom: FROM }, quiet)
  t.equal(smtp.name, 'smtp')
  await smtp.close?.()
  t.equal(messageIdFor('abc', 'plain@example.gov.vn'), '<abc@example.gov.vn>')
  t.equal(messageIdFor('abc', 'no address'), '<abc@motcua.local>')
})
