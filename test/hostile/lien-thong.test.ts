// Specification: an officer of agency A cannot read, claim, unclaim, complete or be assigned agency B's step, nor read
// the dossier before A handles a step of it; every attempt gets the answer a task key (or dossier id) that does not
// exist gets — same status, same problem code, same message — and none of it changes the task.
import { randomUUID } from 'node:crypto'
import t from 'tap'
import { lienThongWorld } from '../helpers/lien-thong.js'
import { problemShape } from './support.js'

const w = await lienThongWorld(t)
const dossierId = await w.submitDossier()
let police = { user_task_key: '0' }
let missingKey = '0'

t.test('given a dossier waiting at the police', async (t) => {
  const reception = await w.openTask(dossierId, 'Task_Receive')
  await w.work(t, 'motcua-xa', reception.user_task_key, { decision: 'accept' })
  const review = await w.openTask(dossierId, 'Task_Review')
  await w.work(t, 'tuphap-xa', review.user_task_key, { decision: 'approve' })
  // The police's step is open; BHXH has not handled anything of this dossier yet.
  police = await w.openTask(dossierId, 'Task_Sign')
  missingKey = String(BigInt(police.user_task_key) + 1_000_000n)
})

const attempts = (key: string) =>
  [
    ['GET', `/api/tasks/${key}`, undefined],
    ['POST', `/api/tasks/${key}/claim`, undefined],
    ['POST', `/api/tasks/${key}/unclaim`, undefined],
    ['POST', `/api/tasks/${key}/complete`, { decision: 'approve' }],
    ['POST', `/api/tasks/${key}/complete`, { decision: 'returnToPrevious', reason: 'x' }],
    ['POST', `/api/tasks/${key}/complete`, { decision: 'refuse', reason: 'x' }],
  ] as const

/** What a caller can see of an answer: status, content type, problem code and messages. */
const seen = (res: { statusCode: number; headers: Record<string, unknown>; body: string }) => {
  const body = JSON.parse(res.body) as { code?: string; status?: number; message?: unknown }
  return [res.statusCode, String(res.headers['content-type']), body.code, body.status, body.message]
}

t.test('agency A on agency B’s step: the answers of a task key that does not exist', async (t) => {
  // bhxh: another vertical agency; motcua-xa and tuphap-xa: the receiving commune, which handed the step over.
  for (const who of ['bhxh', 'motcua-xa', 'tuphap-xa']) {
    for (const [i, [method, url, body]] of attempts(police.user_task_key).entries()) {
      const real = await w.call(method, url, who, body)
      const [, missingUrl, missingBody] = attempts(missingKey)[i]!
      const none = await w.call(method, missingUrl, who, missingBody)
      t.equal(real.statusCode, 404, `${who} ${method} ${url}: 404`)
      t.notOk(problemShape(real), `${who} ${method} ${url}: a well-formed problem`)
      t.same(seen(real), seen(none), `${who} ${method} ${url}: the same answer as a key that does not exist`)
    }
  }
  const task = await w.knex('tasks').where({ user_task_key: police.user_task_key }).first('state', 'assignee')
  t.same(task, { state: 'CREATED', assignee: null }, 'the task is untouched')
})

t.test('agency A cannot read a dossier it handles no step of, nor run its commands', async (t) => {
  const before = await w.knex('dossiers').where({ id: dossierId }).first('status', 'due_at', 'version')
  const real = await w.call('GET', `/api/dossiers/${dossierId}`, 'bhxh')
  const none = await w.call('GET', `/api/dossiers/${randomUUID()}`, 'bhxh')
  t.equal(real.statusCode, 404)
  t.same(seen(real), seen(none), 'the same answer as a dossier that does not exist')
  for (const [path, body] of [
    ['stop', { reason: 'x' }],
    ['extend', { newDueDate: '2099-01-01', reason: 'x' }],
  ] as const) {
    for (const who of ['bhxh', 'congan']) {
      const res = await w.call('POST', `/api/dossiers/${dossierId}/${path}`, who, body)
      const missing = await w.call('POST', `/api/dossiers/${randomUUID()}/${path}`, who, body)
      t.same(seen(res), seen(missing), `${who} ${path}: the same answer as a dossier that does not exist`)
    }
  }
  t.same(
    await w.knex('dossiers').where({ id: dossierId }).first('status', 'due_at', 'version'),
    before,
    'the dossier is untouched',
  )
  const open = await w.knex('tasks').where({ dossier_id: dossierId, state: 'CREATED' }).select('element_id')
  t.same(
    open.map((r) => r.element_id),
    ['Task_Sign'],
    'the dossier still waits at the police',
  )
})

t.test('the police officer works their own step', async (t) => {
  t.equal((await w.call('GET', `/api/dossiers/${dossierId}`, 'congan')).statusCode, 200, 'reads the dossier')
  await w.work(t, 'congan', police.user_task_key, { decision: 'approve' })
})
