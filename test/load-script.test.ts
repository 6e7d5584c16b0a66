// The load script's driver and checker (scripts/load/) on a handful of dossiers against a test app over HTTP, with a
// real SMTP peer: every path passes the check, and the check fails when a discrepancy is planted in what the server
// stored.
import t from 'tap'
import { checkLoad } from '../scripts/load/check.js'
import { pathMix, runLoad } from '../scripts/load/driver.js'
import { settle } from '../scripts/load/report.js'
import { startLoadTestApp } from './helpers/load-app.js'

const { built, app, db, peer, baseUrl, passwords } = await startLoadTestApp(t)
const dossiers = new Set(pathMix).size
const result = await runLoad({
  baseUrl,
  passwords,
  dossiers,
  concurrency: dossiers,
  citizens: 1,
  runId: `test${Date.now().toString(36)}`,
  verificationToken: (email) => peer.verificationToken(email, 30_000),
  waitTimeoutMs: 60_000,
})

t.test('a handful of dossiers, one on each path, pass the check', async (t) => {
  t.same(new Set(result.runs.map((r) => r.path)), new Set(pathMix), 'every path is taken')
  t.same(
    result.runs.filter((r) => r.error).map((r) => r.error),
    [],
    'the driver finished every dossier',
  )
  await settle(db.knex, peer, 30_000, () => undefined)
  const report = await checkLoad(db.knex, result.runs, peer.received)
  t.same(report.problems, [], 'no discrepancy')
  t.ok(report.ok)
  t.equal(report.counts['dossiers checked'], dossiers)
  t.equal(
    report.counts['due dates right'],
    dossiers - 1,
    'a due date for every accepted dossier (one is refused at reception)',
  )
  t.ok(report.counts['mails received']! >= dossiers, 'mails reached the SMTP peer')
})

t.test('the check fails on a planted discrepancy', async (t) => {
  const returned = result.runs.find((r) => r.path === 'returned')!
  const id = returned.dossierId!
  // An audit event written twice, a mail queued twice, a mail the peer got twice, a due date that is wrong.
  await db
    .knex('audit_events')
    .insert({ action: 'dossier.handOff', subject_type: 'dossier', subject_id: id, data: '{}' })
  const [mail] = await db.knex('outbox_messages').where('dedup_key', 'like', `dossier:${id}:received:%`).select('*')
  await db
    .knex('outbox_messages')
    .insert({ ...mail, id: undefined, dedup_key: `${mail.dedup_key}:again`, payload: JSON.stringify(mail.payload) })
  const received = [...peer.received, peer.received.find((m) => m.outboxId === mail.id)!]
  await db.knex('dossiers').where({ id }).update({ due_date: '2099-01-01' })
  const report = await checkLoad(db.knex, result.runs, received)
  t.notOk(report.ok, 'the verdict fails')
  for (const kind of ['audit', 'outbox', 'mail received twice', 'due date'])
    t.ok(report.counts[kind]! >= 1, `${kind} is reported`)
  t.match(report.problems.join('\n'), new RegExp(id), 'naming the dossier')
})

t.test(
  'a completion retried by the same officer with the same decision answers 200 and changes nothing; anything else finds no open task',
  async (t) => {
    const done = (await db
      .knex('tasks as t')
      .join('users as u', 'u.id', db.knex.raw(`(t.outcome->>'by')::uuid`))
      .where('t.state', 'COMPLETED')
      .andWhere('t.element_id', 'Task_Receive')
      .first('t.user_task_key', 't.dossier_id', 't.outcome', 'u.username')) as {
      user_task_key: string
      dossier_id: string
      outcome: { decision: string }
      username: string
    }
    const login = async (username: string) =>
      `Bearer ${(await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password: built.demo.find((d) => d.username === username)!.password } })).json().accessToken}`
    const audits = async () =>
      Number((await db.knex('audit_events').where({ subject_id: done.dossier_id }).count({ n: '*' }).first())!.n)
    const before = await audits()
    const complete = async (who: string, decision: string) =>
      app.inject({
        method: 'POST',
        url: `/api/tasks/${done.user_task_key}/complete`,
        headers: { authorization: await login(who) },
        payload: { decision, ...(decision === 'refuse' ? { reason: 'x' } : {}) },
      })
    const again = await complete(done.username, done.outcome.decision)
    t.equal(again.statusCode, 200, `the retry is answered: ${again.body}`)
    t.equal(again.json().dossierId, done.dossier_id)
    const other = done.outcome.decision === 'refuse' ? 'accept' : 'refuse'
    t.equal((await complete(done.username, other)).statusCode, 404, 'another decision finds no open task')
    t.equal(await audits(), before, 'nothing was done again')
  },
)
