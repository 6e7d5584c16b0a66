// Specification: the onboarding routes hold against abuse — an ALTCHA solution works once and only as the server signed
// it (replayed, forged, tampered, foreign-signed and expired ones are refused and change nothing; a refused sign-up
// leaves it unspent); a reset token works once, until it expires, and only for an account; a reset request answers
// and works the same whether or not the address has an account; a submitted draft cannot be deleted.
import t from 'tap'
import type { LightMyRequestResponse } from 'fastify'
import { createChallenge, solveChallenge, type Challenge } from 'altcha-lib'
import { deriveKey } from 'altcha-lib/algorithms/sha'
import { BotCheck } from '../../src/auth/altcha.js'
import { solvedAltcha } from '../helpers/altcha.js'
import { fingerprint, settled } from './support.js'
import { hostileWorld } from './world.js'

const w = await hostileWorld(t)
const knex = w.db.knex
const post = (url: string, payload: unknown) => w.app.inject({ method: 'POST', url, payload: payload as object })
const visible = (res: LightMyRequestResponse) => ({ status: res.statusCode, ...res.json(), instance: undefined })

const signUp = (altcha: string, overrides: Record<string, string> = {}) =>
  post('/api/auth/register', {
    kind: 'citizen',
    username: 'le.thi.hoa',
    fullName: 'Lê Thị Hoa',
    email: 'hoa@example.invalid',
    password: 'Sông-Hồng-chảy-2026',
    idNumber: '001190000888',
    altcha,
    ...overrides,
  })
const encode = (challenge: unknown, solution: unknown) =>
  Buffer.from(JSON.stringify({ challenge, solution })).toString('base64')
const decode = (payload: string) =>
  JSON.parse(Buffer.from(payload, 'base64').toString('utf8')) as {
    challenge: Challenge
    solution: { counter: number; derivedKey: string }
  }

t.test(
  'ALTCHA: forged, tampered, foreign-signed, expired and replayed solutions are refused and change nothing',
  async (t) => {
    const before = await settled(knex)
    const good = decode(await solvedAltcha(w.app))
    const foreign = await createChallenge({
      algorithm: 'SHA-256',
      cost: 1,
      counter: 10,
      deriveKey,
      hmacSignatureSecret: 'not-the-server-secret',
      hmacKeySignatureSecret: 'not-the-server-key-secret',
    })
    const expired = await new BotCheck(w.config.jwtSecret).challenge(new Date(Date.now() - 11 * 60_000))
    const solve = async (challenge: Challenge) => (await solveChallenge({ challenge, deriveKey }))!
    const forged: Array<[string, string]> = [
      ['not base64 JSON', 'bm90IGpzb24='],
      ['an empty object', Buffer.from('{}').toString('base64')],
      // (The derived key is the proof: its signature is in the challenge, the counter only says how it was found.)
      ['a made-up derived key', encode(good.challenge, { ...good.solution, derivedKey: '00'.repeat(32) })],
      [
        'an easier prefix with the signature kept',
        encode({ ...good.challenge, parameters: { ...good.challenge.parameters, keyPrefix: '00' } }, good.solution),
      ],
      [
        'a later expiry with the signature kept',
        encode(
          { ...good.challenge, parameters: { ...good.challenge.parameters, expiresAt: 4_000_000_000 } },
          good.solution,
        ),
      ],
      ['no signature', encode({ parameters: good.challenge.parameters }, good.solution)],
      ['signed with another secret', encode(foreign, await solve(foreign))],
      ['an expired challenge', encode(expired, await solve(expired))],
      [
        'a costlier algorithm the server never asks for',
        encode({ ...good.challenge, parameters: { ...good.challenge.parameters, algorithm: 'SCRYPT' } }, good.solution),
      ],
    ]
    for (const [why, payload] of forged) {
      const res = await signUp(payload)
      t.equal(res.statusCode, 400, `${why}: 400`)
      t.equal(res.json().code, 'MC_ERR_BOT_CHECK_FAILED', `${why}: the bot check failed`)
      t.match(res.json().message, { vi: /kiểm tra/, en: /check/ })
    }
    t.same(await fingerprint(knex), before, 'no account, mail or spent challenge')

    const payload = encode(good.challenge, good.solution)
    const weak = await signUp(payload, { password: 'aaaaaaaaaaaa' })
    t.equal(weak.statusCode, 422, 'a refused sign-up …')
    const ok = await signUp(payload)
    t.equal(ok.statusCode, 202, '… left the solution unspent: it works once after')
    const replay = await signUp(payload, { username: 'le.thi.hoa2', email: 'hoa2@example.invalid' })
    t.equal(replay.statusCode, 400, 'the same solution again is refused')
    t.equal(replay.json().code, 'MC_ERR_BOT_CHECK_FAILED')
    t.notOk(await knex('users').where({ username: 'le.thi.hoa2' }).first(), 'and makes no account')
    const resetReplay = await post('/api/auth/password-reset-requests', {
      email: 'hoa@example.invalid',
      altcha: payload,
    })
    t.equal(resetReplay.statusCode, 400, 'nor does it pass the password-reset bot check')
  },
)

t.test(
  'reset requests: the same answer and the same statements whether or not the address has an account',
  async (t) => {
    const statements = async (email: string) => {
      const altcha = await solvedAltcha(w.app)
      const sql: string[] = []
      const listen = (q: { sql: string }) => {
        if (/"(users|password_resets|outbox_messages|audit_events|altcha_spent)"/.test(q.sql)) sql.push(q.sql)
      }
      knex.on('query', listen)
      try {
        return { res: await post('/api/auth/password-reset-requests', { email, altcha }), sql }
      } finally {
        knex.removeListener('query', listen)
      }
    }
    for (let i = 0; i < 3; i++) {
      const known = await statements('congdan@example.invalid')
      const unknown = await statements(`khong-co-${i}@example.invalid`)
      t.equal(known.res.statusCode, 202)
      t.same(visible(known.res), visible(unknown.res), `round ${i}: the same answer`)
      t.ok(
        known.sql.some((q) => q.includes('"password_resets"')),
        `round ${i}: the statements were seen`,
      )
      t.same(known.sql, unknown.sql, `round ${i}: the same statements`)
    }
  },
)

t.test('reset tokens: replayed, expired, unknown and dead ones are refused alike and change nothing', async (t) => {
  const tokens: string[] = []
  for (const email of ['congdan@example.invalid', 'congdan@example.invalid']) {
    await post('/api/auth/password-reset-requests', { email, altcha: await solvedAltcha(w.app) })
    const mail = await knex('outbox_messages')
      .whereRaw(`payload->>'template' = 'password-reset'`)
      .orderBy('created_at', 'desc')
      .first()
    tokens.push(/token=([A-Za-z0-9_-]+)/.exec(mail.payload.text as string)![1]!)
  }
  const [older, newer] = tokens as [string, string]
  const password = 'Thu-Hà-Nội-vàng-2031'
  // The newer link expires; the older one is still valid.
  const hash = (s: string) =>
    knex.raw(`SELECT encode(sha256(convert_to(?, 'UTF8')), 'hex') AS h`, [s]).then((r) => r.rows[0].h as string)
  await knex('password_resets')
    .where({ token_hash: await hash(newer) })
    .update({ expires_at: new Date(Date.now() - 60_000) })
  const before = await settled(knex)
  const expired = await post('/api/auth/password-resets', { token: newer, password })
  const unknown = await post('/api/auth/password-resets', { token: 'x'.repeat(43), password })
  t.equal(expired.statusCode, 400, 'an expired link')
  t.equal(expired.json().code, 'MC_ERR_RESET_TOKEN_INVALID')
  t.same(visible(expired), visible(unknown), 'answers like a token that never existed')
  t.same(await fingerprint(knex), before, 'nothing changed')

  t.equal((await post('/api/auth/password-resets', { token: older, password })).statusCode, 204, 'a valid link works')
  const replay = await post('/api/auth/password-resets', { token: older, password: 'Một-mật-khẩu-khác-2032' })
  t.same(visible(replay), visible(unknown), 'once')
  t.equal(
    (await knex('password_resets').whereNotNull('user_id').whereNull('used_at').count({ n: '*' }))[0]!.n,
    0,
    'a reset uses up every other link of the account too',
  )
  const dead = await knex('password_resets').whereNull('user_id').first('token_hash')
  t.ok(dead, 'the unknown address’s request stored a row without an account')
})

t.test('a submitted draft cannot be deleted; the dossier keeps its record', async (t) => {
  const submitted = await knex('dossier_drafts').where({ submitted_dossier_id: w.dossierId }).first('id')
  const before = await settled(knex)
  const res = await w.api.call('DELETE', `/api/dossiers/drafts/${submitted.id}`, 'congdan')
  t.equal(res.statusCode, 409)
  t.equal(res.json().code, 'MC_ERR_DRAFT_SUBMITTED')
  t.same(await fingerprint(knex), before, 'nothing changed')
})
