// The retention sweep: engine events go only once every read model has applied them and they are older than the
// retention period; expired bot checks and OIDC requests go at once; expired links, tokens and old failed-login counts
// go a retention period after their expiry; the audit log and the dossiers' records are never touched. Both databases.
import t from 'tap'
import { pruneOperationalTables } from '../src/housekeeping/retention.js'
import { retentionRepository } from '../src/housekeeping/retention-repository.js'
import { createTestDatabase } from './helpers/db.js'

const DAY = 86_400_000
const now = new Date('2026-12-05T03:00:00Z')
const daysAgo = (n: number) => new Date(now.getTime() - n * DAY)

t.test('engine events below every cursor and past the retention period go; the rest stay', async (t) => {
  const { knex } = await createTestDatabase(t)
  // Ten records: 1–5 are 40 days old, 6–10 are 10 days old.
  for (let i = 1; i <= 10; i++)
    await knex('engine_events').insert({
      process_instance_key: 1,
      events: JSON.stringify([]),
      created_at: daysAgo(i <= 5 ? 40 : 10),
    })
  const ids = (await knex('engine_events').orderBy('id').pluck('id')).map(Number)

  let pruned = await pruneOperationalTables(knex, now, { retentionDays: 30 })
  t.equal(pruned.engine_events, 0, 'no read model has a cursor yet: nothing is known to be applied, nothing goes')

  // Two read models: the slower one has applied up to the 3rd record.
  await knex('read_model_cursors').insert([
    { name: 'fast', last_event_id: ids[8] },
    { name: 'slow', last_event_id: ids[2] },
  ])
  pruned = await pruneOperationalTables(knex, now, { retentionDays: 30, batchSize: 2 })
  t.equal(pruned.engine_events, 3, 'the three old records the slowest read model has applied, in batches of two')
  t.same((await knex('engine_events').orderBy('id').pluck('id')).map(Number), ids.slice(3))

  await knex('read_model_cursors').update({ last_event_id: ids[9] })
  pruned = await pruneOperationalTables(knex, now, { retentionDays: 30 })
  t.equal(pruned.engine_events, 2, 'records 4 and 5: old and applied')
  t.same((await knex('engine_events').orderBy('id').pluck('id')).map(Number), ids.slice(5), 'the recent five stay')

  pruned = await pruneOperationalTables(knex, now, { retentionDays: 30 })
  t.equal(pruned.engine_events, 0, 'a second run deletes nothing more')
  pruned = await pruneOperationalTables(knex, now, { retentionDays: 5 })
  t.equal(pruned.engine_events, 5, 'a shorter retention reaches the recent ones')

  // Ids are never reused: the next record after a prune takes a new id above the cursor.
  const [next] = await knex('engine_events')
    .insert({ process_instance_key: 1, events: JSON.stringify([]) })
    .returning('id')
  t.ok(Number((next as { id: number }).id) > ids[9]!, 'a read model reads on past the pruned ids')
})

t.test('expired short-lived rows go; tokens and throttles a retention period after they stop counting', async (t) => {
  const { knex } = await createTestDatabase(t)
  const [user] = await knex('users')
    .insert({ username: 'luu-tru', password_hash: 'x', kind: 'citizen', full_name: 'Lưu Trữ' })
    .returning('id')
  const userId = (user as { id: string }).id
  await knex('altcha_spent').insert([
    { challenge_id: 'spent-expired', expires_at: daysAgo(0.01) },
    { challenge_id: 'spent-live', expires_at: new Date(now.getTime() + 60_000) },
  ])
  await knex('oidc_authorizations').insert([
    { state_hash: 'old', browser_key_hash: 'b', code_verifier: 'v', nonce: 'n', expires_at: daysAgo(1) },
    { state_hash: 'live', browser_key_hash: 'b', code_verifier: 'v', nonce: 'n', expires_at: daysAgo(-0.01) },
  ])
  await knex('password_resets').insert([
    { token_hash: 'reset-long-gone', user_id: userId, expires_at: daysAgo(31) },
    { token_hash: 'reset-just-expired', user_id: userId, expires_at: daysAgo(2) },
  ])
  await knex('email_verifications').insert([
    { token_hash: 'verify-long-gone', user_id: userId, expires_at: daysAgo(40) },
    { token_hash: 'verify-live', user_id: userId, expires_at: daysAgo(-1) },
  ])
  await knex('refresh_tokens').insert([
    { user_id: userId, family_id: userId, token_hash: 'rt-old', expires_at: daysAgo(45) },
    { user_id: userId, family_id: userId, token_hash: 'rt-recent', expires_at: daysAgo(3), revoked_at: daysAgo(4) },
  ])
  await knex('login_throttle').insert([
    { key: 'forgotten', scope: 'pair', failures: 3, last_failure_at: daysAgo(60) },
    { key: 'still-blocked', scope: 'account', failures: 50, last_failure_at: daysAgo(60), blocked_until: daysAgo(-1) },
    { key: 'recent', scope: 'pair', failures: 1, last_failure_at: daysAgo(1) },
  ])
  await knex('audit_events').insert({
    action: 'luu-tru.test',
    subject_type: 'system',
    subject_id: 'x',
    at: daysAgo(3000),
  })
  const auditBefore = Number((await knex('audit_events').count({ n: '*' }).first())?.n)

  const pruned = await pruneOperationalTables(knex, now, { retentionDays: 30 })
  t.match(pruned, {
    altcha_spent: 1,
    oidc_authorizations: 1,
    password_resets: 1,
    email_verifications: 1,
    refresh_tokens: 1,
    login_throttle: 1,
  })
  t.same(await knex('altcha_spent').pluck('challenge_id'), ['spent-live'])
  t.same(await knex('oidc_authorizations').pluck('state_hash'), ['live'])
  t.same(await knex('password_resets').pluck('token_hash'), ['reset-just-expired'], 'a late click is still "expired"')
  t.same(await knex('email_verifications').pluck('token_hash'), ['verify-live'])
  t.same(await knex('refresh_tokens').pluck('token_hash'), ['rt-recent'], 'reuse of a recent one still revokes')
  t.same(await knex('login_throttle').orderBy('key').pluck('key'), ['recent', 'still-blocked'])
  t.equal(
    Number((await knex('audit_events').count({ n: '*' }).first())?.n),
    auditBefore,
    'the audit log is never pruned',
  )
  t.same(Object.values(await retentionRepository(knex).sizes()).length, 7, 'sizes are reported for every pruned table')
})
