// Specification (issue #21, SMS): dossier notices go out as SMS through the same outbox as e-mail, exactly once, via a
// generic HTTP JSON gateway (configurable URL, auth and body) — here a real HTTP server on loopback that fails with a
// 5xx, never answers, answers too late, or refuses. Vietnamese without diacritics when the gateway wants GSM-7, and
// in one segment where possible, shortening the free text, never the dossier code or the link.
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import t from 'tap'
import { ConfigError, loadConfig } from '../src/config.js'
import { getMessage } from '../src/outbox/outbox.js'
import { OutboxSender } from '../src/outbox/sender.js'
import {
  DEFAULT_SMS_BODY_TEMPLATE,
  enqueueSms,
  fillBody,
  answerMatches,
  httpJsonSmsProvider,
  SMS_CHANNEL,
  smsTransport,
  type SmsPayload,
} from '../src/notifications/sms.js'
import { renderSms } from '../src/notifications/sms-templates.js'
import { fitSms, measure, segmentsOf, vietnameseMobile, withoutDiacritics } from '../src/notifications/sms-text.js'
import type { EmailTemplate } from '../src/notifications/templates.js'
import { createTestDatabase, dbKind } from './helpers/db.js'
import { eventually } from './helpers/eventually.js'
import { startSmsGateway } from './helpers/sms-gateway.js'

const quiet = { info() {}, warn() {}, error() {} }
const CODE = '000.00.01.H01-260302-0001'
const LINK = 'https://dichvucong.angiang.gov.vn/ho-so-cua-toi'

const received = (procedureName: string, agencyName = 'UBND xã An Bình'): EmailTemplate => ({
  name: 'dossier-received',
  data: {
    applicantName: 'Nguyễn Thị Hằng',
    dossierCode: CODE,
    procedureName,
    agencyName,
    receivedAt: new Date('2026-03-02T02:15:00Z'),
    appointmentDate: '2026-03-09',
  },
})

t.test('Vietnamese without diacritics, as GSM-7 gateways want it', async (t) => {
  t.equal(withoutDiacritics('Hồ sơ đã được tiếp nhận'), 'Ho so da duoc tiep nhan')
  t.equal(withoutDiacritics('ĐĂNG KÝ KHAI SINH — Ủy ban'), 'DANG KY KHAI SINH - Uy ban', 'Đ and capitals, a dash')
  t.equal(withoutDiacritics('Trương Thị Ơn, ưu tiên'), 'Truong Thi On, uu tien', 'the horn of ơ and ư')
  t.equal(withoutDiacritics('Nguyễn “Hằng” 😀'), 'Nguyen "Hang" ?', 'typography made plain, the rest replaced')
  // Precomposed (NFC) and decomposed (NFD) input give the same.
  t.equal(withoutDiacritics('Hồ sơ'.normalize('NFD')), withoutDiacritics('Hồ sơ'.normalize('NFC')))
  t.equal(measure(withoutDiacritics('Đề nghị bổ sung {giấy tờ}')).encoding, 'gsm7')
})

t.test('segments: 160 GSM-7 septets or 70 UCS-2 units in one, 153 / 67 per part after', async (t) => {
  t.equal(segmentsOf('a'.repeat(160), 'gsm7'), 1)
  t.equal(segmentsOf('a'.repeat(161), 'gsm7'), 2)
  t.equal(segmentsOf('a'.repeat(306), 'gsm7'), 2)
  t.equal(segmentsOf('a'.repeat(307), 'gsm7'), 3)
  t.equal(segmentsOf('{'.repeat(80), 'gsm7'), 1, 'an extension character takes two septets')
  t.equal(segmentsOf('{'.repeat(81), 'gsm7'), 2)
  t.equal(segmentsOf('ơ'.repeat(70), 'ucs2'), 1)
  t.equal(segmentsOf('ơ'.repeat(71), 'ucs2'), 2)
  t.equal(measure('Hồ sơ').encoding, 'ucs2')
  t.equal(measure('Ho so è').encoding, 'gsm7', 'è is in the GSM default alphabet')
})

t.test('Vietnamese mobile numbers, however written; landlines and foreign numbers are not', async (t) => {
  t.equal(vietnameseMobile('0912 345 678'), '0912345678')
  t.equal(vietnameseMobile('+84 912.345.678'), '0912345678')
  t.equal(vietnameseMobile('84381234567'), '0381234567')
  t.equal(vietnameseMobile('(+84) 70-123-4567'), '0701234567')
  for (const bad of ['024 3825 3535', '0212345678', '091234567', '09123456789', '+33612345678', '0912a45678', ''])
    t.equal(vietnameseMobile(bad), undefined, bad)
})

t.test('fitting one segment: free text is shortened at a word, the code and the link never', async (t) => {
  const long =
    'Đăng ký khai sinh có yếu tố nước ngoài cho trẻ em sinh ra tại Việt Nam có cha hoặc mẹ là công dân Việt Nam'
  const sms = renderSms(received(long), LINK)!
  t.equal(sms.ascii.encoding, 'gsm7')
  t.equal(sms.ascii.segments, 1, 'one GSM-7 segment')
  t.ok(sms.ascii.text.length <= 160)
  t.match(sms.ascii.text, CODE, 'the code whole')
  t.match(sms.ascii.text, ` Xem: ${LINK}`, 'the link whole, at the end')
  t.match(sms.ascii.text, /\(Dang ky khai sinh[a-z ]*\.\.\.\)/, 'the procedure name cut at a word, with an ellipsis')
  t.match(sms.ascii.text, 'Hen tra ket qua ngay 09/03/2026')
  t.notMatch(sms.ascii.text, /[^\x20-\x7e]/, 'nothing but plain characters')

  // With diacritics (UCS-2, 70 units) this cannot fit: the fewest segments, and still the code and link whole.
  t.equal(sms.unicode.encoding, 'ucs2')
  t.equal(sms.unicode.segments, 2)
  t.match(sms.unicode.text, CODE)
  t.ok(sms.unicode.text.endsWith(LINK))
  t.match(sms.unicode.text, 'hẹn trả 09/03/2026')

  const short = renderSms(received('Đăng ký khai sinh'))!
  t.equal(short.unicode.segments, 1, 'short enough with diacritics when there is no link')
  t.equal(
    short.unicode.text,
    'HS 000.00.01.H01-260302-0001 đã tiếp nhận, hẹn trả 09/03/2026.',
    'UCS-2 takes the shortest',
  )
  t.equal(
    short.ascii.text,
    'UBND xa An Binh da tiep nhan ho so 000.00.01.H01-260302-0001 (Dang ky khai sinh). Hen tra ket qua ngay 09/03/2026.',
    'the most informative wording when it fits',
  )
})

t.test('a wording that cannot fit does not lose its code or link: it takes a second segment', async (t) => {
  const code = 'X'.repeat(120)
  const text = fitSms([[`Hồ sơ ${code} (`, { shorten: 'Đăng ký khai sinh' }, `). Xem: ${LINK}`]], { diacritics: false })
  t.equal(text.segments, 2)
  t.match(text.text, code)
  t.ok(text.text.endsWith(LINK))
})

t.test('every dossier notice has an SMS; account mail stays e-mail only', async (t) => {
  const base = {
    applicantName: 'A',
    dossierCode: CODE,
    procedureName: 'Đăng ký khai sinh',
    agencyName: 'UBND xã An Bình',
  }
  const notices: EmailTemplate[] = [
    received('Đăng ký khai sinh'),
    { name: 'supplement-requested', data: { ...base, missing: ['Bản sao giấy chứng sinh'] } },
    { name: 'dossier-refused', data: { ...base, reason: 'Không thuộc thẩm quyền.' } },
    { name: 'result-ready', data: { ...base, returnMethod: 'counter' } },
    {
      name: 'dossier-late',
      data: { ...base, originalDueDate: '2026-03-09', newDueDate: '2026-03-12', reason: 'Chờ xác minh' },
    },
    { name: 'payment-requested', data: { ...base, amountVnd: 8000, reason: 'Lệ phí', payUrl: LINK } },
    { name: 'withdrawal-confirmed', data: { ...base, withdrawnAt: new Date() } },
    { name: 'dossier-stopped', data: { ...base, stoppedAt: new Date(), reason: 'Quá hạn bổ sung' } },
  ]
  for (const n of notices) {
    const sms = renderSms(n, LINK)
    t.ok(sms, n.name)
    t.equal(sms!.ascii.segments, 1, `${n.name} in one GSM-7 segment`)
    t.match(sms!.ascii.text, CODE, `${n.name} names the dossier`)
  }
  t.match(renderSms(notices[2]!)!.ascii.text, 'Ly do: Khong thuoc tham quyen.', 'no double full stop')
  t.match(renderSms(notices[5]!)!.ascii.text, `8.000 dong`)
  t.match(renderSms(notices[5]!)!.ascii.text, `Nop tai: ${LINK}`)
  t.equal(renderSms({ name: 'password-changed', data: { recipientName: 'A', username: 'a' } }), undefined)
})

t.test('the body template: placeholders filled inside JSON strings, so the text cannot break out', async (t) => {
  const template =
    '{"Phone":"{{to84}}","Content":"{{text}}","RequestId":"{{reference}}","IsUnicode":"{{unicode}}","Brandname":"UBND"}'
  const text = 'a "quoted", \\ back\nslash","Brandname":"EVIL'
  const body = fillBody(template, { to: '0912345678', text, encoding: 'gsm7', reference: 'r-1' })
  t.same(body, { Phone: '84912345678', Content: text, RequestId: 'r-1', IsUnicode: '0', Brandname: 'UBND' })
  t.same(fillBody(DEFAULT_SMS_BODY_TEMPLATE, { to: '0912345678', text: 'x', encoding: 'ucs2', reference: 'r' }), {
    to: '0912345678',
    text: 'x',
    reference: 'r',
  })
})

t.test('configuration: the provider, its auth, the body, diacritics and the time-out', async (t) => {
  const env = { LOG_LEVEL: 'silent', NODE_ENV: 'test' as const, DATA_DIR: t.testdir() }
  const none = loadConfig(env, { isTTY: false }).sms
  t.same(
    none,
    { bodyTemplate: DEFAULT_SMS_BODY_TEMPLATE, diacritics: false, timeoutMs: 10_000 },
    'the log, no diacritics',
  )
  const full = loadConfig(
    {
      ...env,
      SMS_PROVIDER_URL: 'https://sms.example.vn/api/send',
      SMS_AUTH: 'basic:motcua:pa:ss',
      SMS_BODY_TEMPLATE: '{"phone":"{{to84}}","msg":"{{text}}"}',
      SMS_DIACRITICS: 'keep',
      SMS_TIMEOUT_MS: '5000',
    },
    { isTTY: false },
  ).sms
  t.same(full, {
    providerUrl: 'https://sms.example.vn/api/send',
    auth: { kind: 'basic', user: 'motcua', password: 'pa:ss' },
    bodyTemplate: '{"phone":"{{to84}}","msg":"{{text}}"}',
    diacritics: true,
    timeoutMs: 5000,
  })
  const rules = loadConfig(
    {
      ...env,
      SMS_PROVIDER_URL: 'http://127.0.0.1:1/x',
      SMS_ACCEPTED_WHEN: 'CodeResult=100',
      SMS_RETRY_WHEN: 'r.code=99, 103',
    },
    { isTTY: false },
  ).sms
  t.same(rules.acceptedWhen, { path: 'CodeResult', values: ['100'] })
  t.same(rules.retryWhen, { path: 'r.code', values: ['99', '103'] })
  t.ok(answerMatches({ CodeResult: 100 }, rules.acceptedWhen!), 'a number matches its text')
  t.notOk(answerMatches({ CodeResult: '101' }, rules.acceptedWhen!))
  t.notOk(answerMatches({ r: 'x' }, rules.retryWhen!), 'a path through a string matches nothing')
  t.ok(answerMatches({ r: { code: '103' } }, rules.retryWhen!))
  const auth = (v: string) =>
    loadConfig({ ...env, SMS_PROVIDER_URL: 'http://127.0.0.1:1/x', SMS_AUTH: v }, { isTTY: false }).sms.auth
  t.same(auth('bearer:abc:def'), { kind: 'bearer', token: 'abc:def' })
  t.same(auth('header:X-Api-Key:k:1'), { kind: 'header', name: 'X-Api-Key', value: 'k:1' })
  for (const [vars, variable] of [
    [{ SMS_BODY_TEMPLATE: '{"to":"{{to}}"' }, 'SMS_BODY_TEMPLATE'],
    [{ SMS_BODY_TEMPLATE: '["{{to}}","{{text}}"]' }, 'SMS_BODY_TEMPLATE'],
    [{ SMS_BODY_TEMPLATE: '{"to":"{{to}}"}' }, 'SMS_BODY_TEMPLATE'],
    [{ SMS_AUTH: 'bearer:x' }, 'SMS_PROVIDER_URL'],
    [{ SMS_PROVIDER_URL: 'ftp://x', SMS_AUTH: 'bearer:x' }, 'SMS_PROVIDER_URL'],
    [{ SMS_PROVIDER_URL: 'http://x', SMS_AUTH: 'digest:x' }, 'SMS_AUTH'],
    [{ SMS_DIACRITICS: 'yes' }, 'SMS_DIACRITICS'],
    [{ SMS_TIMEOUT_MS: '999999' }, 'SMS_TIMEOUT_MS'],
    [{ SMS_ACCEPTED_WHEN: 'CodeResult' }, 'SMS_ACCEPTED_WHEN'],
    [{ SMS_ACCEPTED_WHEN: 'a=1,,2' }, 'SMS_ACCEPTED_WHEN'],
    [{ SMS_RETRY_WHEN: 'code=99' }, 'SMS_ACCEPTED_WHEN'],
  ] as const)
    t.throws(() => loadConfig({ ...env, ...vars }, { isTTY: false }), ConfigError, JSON.stringify(vars), {
      variable,
    } as never)
})

t.test('basic and header auth reach the gateway as configured', async (t) => {
  const seen: Array<Record<string, string | string[] | undefined>> = []
  const server = createServer((req, res) => {
    seen.push(req.headers)
    req.resume()
    req.on('end', () => res.writeHead(204).end())
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  t.teardown(() => new Promise<void>((r) => server.close(() => r())))
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`
  const sms = { to: '0912345678', text: 'x', encoding: 'gsm7' as const, reference: 'r' }
  const bodyTemplate = DEFAULT_SMS_BODY_TEMPLATE
  await httpJsonSmsProvider({
    url,
    bodyTemplate,
    timeoutMs: 2000,
    auth: { kind: 'basic', user: 'u', password: 'p:w' },
  }).send(sms)
  await httpJsonSmsProvider({
    url,
    bodyTemplate,
    timeoutMs: 2000,
    auth: { kind: 'header', name: 'X-Api-Key', value: 'k' },
  }).send(sms)
  t.equal(seen[0]!['authorization'], `Basic ${Buffer.from('u:p:w').toString('base64')}`)
  t.equal(seen[1]!['x-api-key'], 'k')
  t.equal(seen[1]!['authorization'], undefined)
  t.equal(seen[0]!['content-type'], 'application/json')
})

t.test(
  `through the outbox against the fake gateway (${dbKind}): each SMS reaches the phone exactly once`,
  async (t) => {
    const db = await createTestDatabase(t)
    const gw = await startSmsGateway(t)
    const provider = httpJsonSmsProvider({
      url: gw.url,
      auth: { kind: 'bearer', token: gw.token },
      bodyTemplate: DEFAULT_SMS_BODY_TEMPLATE,
      timeoutMs: 1_500,
    })
    const sender = new OutboxSender({
      knex: db.knex,
      transports: { [SMS_CHANNEL]: smsTransport(provider, { diacritics: false }) },
      logger: quiet,
      backoff: { baseMs: 1, maxMs: 1 },
      pollIntervalMs: 20,
    })
    let n = 0
    const enqueueOne = async () => {
      const r = await enqueueSms(db.knex, {
        eventId: `evt-${++n}`,
        to: '+84 912 345 678',
        template: received('Đăng ký khai sinh'),
        link: LINK,
      })
      return r!.id
    }
    const until = async (id: string, status: string) =>
      eventually(`message ${status}`, async () => {
        await sender.runOnce()
        const m = await getMessage(db.knex, id)
        return m?.status === status && m
      })
    const toPhone = (id: string) => gw.sent.filter((s) => s.reference === id)

    await t.test('accepted at once', async (t) => {
      const id = await enqueueOne()
      const m = await until(id, 'sent')
      t.equal(m.attempts, 1)
      t.equal(m.deliveredVia, 'sms-http')
      t.equal(toPhone(id).length, 1)
      const payload = m.payload as unknown as SmsPayload
      t.equal(toPhone(id)[0]!.to, '0912345678', 'the number as 0xxxxxxxxx')
      t.equal(toPhone(id)[0]!.text, payload.ascii.text, 'the form without diacritics, as configured')
      t.equal(await sender.runOnce(), 0, 'nothing left')
    })

    await t.test('a 5xx, then success: sent once, on the second attempt', async (t) => {
      gw.script.push({ kind: 'fail', status: 503 })
      const id = await enqueueOne()
      const m = await until(id, 'sent')
      t.equal(m.attempts, 2)
      t.equal(gw.requests.filter((r) => r.reference === id).length, 2)
      t.equal(toPhone(id).length, 1)
    })

    await t.test('no answer (time-out, nothing taken), then success: sent once', async (t) => {
      gw.script.push({ kind: 'hang' })
      const id = await enqueueOne()
      const m = await until(id, 'sent')
      t.equal(m.attempts, 2)
      t.equal(toPhone(id).length, 1)
    })

    await t.test(
      'a slow answer (taken, answered after the time-out): the retry is recognised by its reference',
      async (t) => {
        gw.script.push({ kind: 'slow', delayMs: 2_500 })
        const id = await enqueueOne()
        const failed = await eventually('the time-out recorded', async () => {
          await sender.runOnce()
          const m = await getMessage(db.knex, id)
          return m?.lastError && m
        })
        t.match(failed.lastError, 'no answer within 1500 ms')
        const m = await until(id, 'sent')
        t.ok(gw.requests.filter((r) => r.reference === id).length >= 2, 'asked again')
        t.equal(toPhone(id).length, 1, 'but the phone got it once')
        t.equal(m.status, 'sent')
      },
    )

    await t.test('429 (the gateway is busy) is retried like a 5xx', async (t) => {
      gw.script.push({ kind: 'fail', status: 429 })
      const id = await enqueueOne()
      t.equal((await until(id, 'sent')).attempts, 2)
    })

    await t.test('a 4xx refusal is permanent: dead after one attempt, never sent', async (t) => {
      gw.script.push({ kind: 'reject', status: 422 })
      const id = await enqueueOne()
      const m = await until(id, 'dead')
      t.equal(m.attempts, 1)
      t.match(m.lastError, 'SMS gateway answered 422: {"error":"rejected by the operator"}')
      t.equal(toPhone(id).length, 0)
      await sender.runOnce()
      t.equal(gw.requests.filter((r) => r.reference === id).length, 1, 'not asked again')
    })

    await t.test('a wrong token (401) is permanent too', async (t) => {
      const wrong = new OutboxSender({
        knex: db.knex,
        transports: {
          [SMS_CHANNEL]: smsTransport(
            httpJsonSmsProvider({
              url: gw.url,
              auth: { kind: 'bearer', token: 'stolen' },
              bodyTemplate: DEFAULT_SMS_BODY_TEMPLATE,
              timeoutMs: 400,
            }),
            { diacritics: true },
          ),
        },
        logger: quiet,
      })
      const id = await enqueueOne()
      await wrong.runOnce()
      const m = await getMessage(db.knex, id)
      t.equal(m!.status, 'dead')
      t.match(m!.lastError, '401')
      t.match(gw.refused.at(-1), 'auth: Bearer stolen')
    })

    await t.test('a closed port is retried (the gateway may come back)', async (t) => {
      const gone = createServer()
      await new Promise<void>((r) => gone.listen(0, '127.0.0.1', r))
      const port = (gone.address() as AddressInfo).port
      await new Promise<void>((r) => gone.close(() => r()))
      const closed = new OutboxSender({
        knex: db.knex,
        transports: {
          [SMS_CHANNEL]: smsTransport(
            httpJsonSmsProvider({
              url: `http://127.0.0.1:${port}/sms`,
              bodyTemplate: DEFAULT_SMS_BODY_TEMPLATE,
              timeoutMs: 400,
            }),
            { diacritics: false },
          ),
        },
        logger: quiet,
        backoff: { baseMs: 60_000, maxMs: 60_000 },
      })
      const id = await enqueueOne()
      await closed.runOnce()
      const m = await getMessage(db.knex, id)
      t.equal(m!.status, 'failed')
      t.match(m!.lastError, 'ECONNREFUSED')
      await db.knex('outbox_messages').where({ id }).delete()
    })

    await t.test('a gateway that gives its verdict in a 200 body (SMS_ACCEPTED_WHEN)', async (t) => {
      const judged = new OutboxSender({
        knex: db.knex,
        transports: {
          [SMS_CHANNEL]: smsTransport(
            httpJsonSmsProvider({
              url: gw.url,
              auth: { kind: 'bearer', token: gw.token },
              bodyTemplate: DEFAULT_SMS_BODY_TEMPLATE,
              timeoutMs: 1_500,
              acceptedWhen: { path: 'status', values: ['accepted'] },
              retryWhen: { path: 'code', values: ['BUSY', 'QUOTA'] },
            }),
            { diacritics: false },
          ),
        },
        logger: quiet,
        backoff: { baseMs: 1, maxMs: 1 },
      })
      const untilJudged = async (id: string, status: string) =>
        eventually(`message ${status}`, async () => {
          await judged.runOnce()
          const m = await getMessage(db.knex, id)
          return m?.status === status && m
        })

      const refused = await enqueueOne()
      gw.script.push({ kind: 'refuse-in-body', code: 'BRANDNAME_NOT_REGISTERED' })
      const dead = await untilJudged(refused, 'dead')
      t.equal(dead.attempts, 1, 'a refusal in the body is final')
      t.match(dead.lastError, 'without taking the message: {"status":"error","code":"BRANDNAME_NOT_REGISTERED"}')
      t.equal(toPhone(refused).length, 0)

      gw.script.push({ kind: 'refuse-in-body', code: 'BUSY' })
      const busy = await enqueueOne()
      const sent = await untilJudged(busy, 'sent')
      t.equal(sent.attempts, 2, 'a code of SMS_RETRY_WHEN is tried again')
      t.equal(toPhone(busy).length, 1)

      gw.script.push({ kind: 'not-json' })
      const html = await enqueueOne()
      const afterHtml = await untilJudged(html, 'sent')
      t.equal(afterHtml.attempts, 2, 'an answer that is not JSON is tried again (same reference)')
      t.equal(toPhone(html).length, 1)

      const plain = await enqueueOne()
      t.equal((await untilJudged(plain, 'sent')).attempts, 1, 'the accepted answer is sent at once')

      // Without the rule, the same 200 is taken as accepted: the default, for gateways that answer 4xx to refuse.
      gw.script.push({ kind: 'refuse-in-body', code: 'BRANDNAME_NOT_REGISTERED' })
      const unjudged = await enqueueOne()
      t.equal((await until(unjudged, 'sent')).attempts, 1)
    })

    await t.test('the same event, number and template is enqueued once; a landline gets no SMS', async (t) => {
      const a = await enqueueSms(db.knex, { eventId: 'same', to: '0912345678', template: received('X') })
      const b = await enqueueSms(db.knex, { eventId: 'same', to: '+84912345678', template: received('X') })
      t.equal(a!.id, b!.id)
      t.equal(b!.created, false)
      t.equal(await enqueueSms(db.knex, { eventId: 'land', to: '024 3825 3535', template: received('X') }), undefined)
      await db.knex('outbox_messages').where({ id: a!.id }).delete()
    })
  },
)
