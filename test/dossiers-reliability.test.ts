// Specification: nothing is lost or duplicated when the process dies between the database and the engine, when the
// engine delivers a job twice, or when many receptions at one agency race for dossier codes.
import t from 'tap'
import { nextDossierCode } from '../src/dossiers/repository.js'
import { parseDossierCode } from '../src/domain/dossier/code.js'
import { receiveWorker } from '../src/workers/receive.js'
import type { Job, JobAcknowledgement, Variables } from '../src/engine/port.js'
import { dbKind } from './helpers/db.js'
import { birthForm, createDossierWorld, requiredUploads } from './helpers/dossiers.js'
import { eventually } from './helpers/eventually.js'

let crash = false
// The periodic relay is slowed right down so only the test decides when pending engine calls run.
const w = await createDossierWorld(t, {
  relayIntervalMs: 3_600_000,
  afterCommit: () => {
    if (crash) throw new Error('simulated crash after commit')
  },
})
const { service, relay } = w.runtime
const citizen = await w.as('congdan')
const counter = await w.as('motcua-xa')

let n = 0
async function submit(key = `r-${++n}`) {
  const attachments = await Promise.all(
    requiredUploads['dang-ky-khai-sinh']!.map(async (componentId) => ({
      componentId,
      fileId: await w.file('congdan'),
    })),
  )
  return service.submit(citizen, {
    procedure: 'dang-ky-khai-sinh',
    agencyUnitId: 'xa-an-binh',
    formData: birthForm,
    deliveryMethod: 'counter',
    attachments,
    idempotencyKey: key,
  })
}
const tasksOf = (dossierId: string, elementId: string) =>
  w.db.knex('tasks').where({ dossier_id: dossierId, element_id: elementId })
const pending = async () =>
  Number((await w.db.knex('engine_commands').where({ status: 'pending' }).count({ n: '*' }).first())!.n)

t.test('a crash between the database write and the engine call loses nothing and duplicates nothing', async (t) => {
  // Given the process dies right after a submission commits, before the engine hears of it
  crash = true
  await t.rejects(submit('crash-1'), /simulated crash/)
  crash = false
  const dossier = await w.db.knex('dossiers').where({ idempotency_key: 'crash-1' }).first()
  t.match(dossier, { status: 1, process_instance_key: null }, 'the dossier is stored; no instance yet')
  t.equal(await pending(), 1, 'the engine call waits in engine_commands')

  // When the client retries, it gets the same dossier; and when the relay runs (as on restart)
  const retried = await submit('crash-1')
  t.equal(retried.dossierId, dossier.id, 'no second dossier')
  t.equal(await relay.runPending(), 1)
  t.equal(await relay.runPending(), 0, 'a second run has nothing left to do')
  const reception = await eventually('reception task', () =>
    tasksOf(dossier.id, 'Task_Receive').andWhere({ state: 'CREATED' }).first(),
  )
  t.equal((await tasksOf(dossier.id, 'Task_Receive')).length, 1, 'one instance, one reception task')

  // Given the process dies after an officer's decision commits
  crash = true
  await t.rejects(service.receive(counter, dossier.id), /simulated crash/)
  crash = false
  t.equal((await w.engine.getUserTask(reception.user_task_key))?.state, 'CREATED', 'the engine has not heard yet')
  await t.rejects(
    service.receive(counter, dossier.id),
    { code: 'MC_ERR_TASK_NOT_FOUND' },
    'the decision is taken: it cannot be taken twice',
  )

  // When the relay runs, the task is completed once; running the same call again (a relay that died before
  // marking it done) changes nothing
  t.equal(await relay.runPending(), 1)
  const received = await eventually('received', async () => {
    const d = await w.db.knex('dossiers').where({ id: dossier.id }).first()
    return d.code ? d : undefined
  })
  await w.db
    .knex('engine_commands')
    .where({ dossier_id: dossier.id, kind: 'completeTask' })
    .update({ status: 'pending', locked_until: null })
  t.equal(await relay.runPending(), 1, 'the repeated completion is taken as done')
  await eventually('review task', () => tasksOf(dossier.id, 'Task_Review').first())
  t.equal(
    (await w.db.knex('dossiers').where({ id: dossier.id }).first()).code,
    received.code,
    'accepted once, one code',
  )
  t.equal((await tasksOf(dossier.id, 'Task_Review')).length, 1)
})

t.test('a job delivered twice is answered twice with the same output and done once', async (t) => {
  const { dossierId } = await submit()
  await eventually('reception task', () => tasksOf(dossierId, 'Task_Receive').first())
  const outputs: Variables[] = []
  const fakeJob = {
    key: '999000001',
    type: 'dossier.receive',
    variables: { dossierId },
    customHeaders: {},
    retries: 3,
    complete: async (v?: Variables) => (outputs.push(v ?? {}), {} as JobAcknowledgement),
    fail: async () => t.fail('must not fail') as unknown as JobAcknowledgement,
    error: async () => t.fail('must not throw') as unknown as JobAcknowledgement,
  } as unknown as Job
  const worker = receiveWorker({ knex: w.db.knex, engine: w.engine })
  await worker.handler(fakeJob)
  await worker.handler(fakeJob)
  t.equal(outputs.length, 2)
  t.same(outputs[0], outputs[1], 'same receipt number and due both times')
  const audits = await w.db.knex('audit_events').where({ subject_id: dossierId, action: 'dossier.received' })
  t.equal(audits.length, 1, 'one acceptance recorded')
})

t.test('codes are gap-free under concurrency: a rolled-back reception gives its number back', async (t) => {
  const N = 200
  const day = '2026-11-23'
  const results = await Promise.allSettled(
    Array.from({ length: N }, (_, i) =>
      w.db.knex.transaction(async (trx) => {
        const code = await nextDossierCode(trx, 'X99.77', day)
        if (i % 10 === 9) throw new Error('rolled back')
        return code
      }),
    ),
  )
  const codes = results.filter((r): r is PromiseFulfilledResult<string> => r.status === 'fulfilled').map((r) => r.value)
  t.equal(codes.length, N - N / 10)
  t.same(
    codes.map((c) => parseDossierCode(c)!.sequence).sort((a, b) => a - b),
    Array.from({ length: codes.length }, (_, i) => i + 1),
    'distinct, 1..n without gaps',
  )
})

t.test(
  `${dbKind === 'pglite' ? 40 : 200} concurrent submissions and receptions at one agency get distinct, gap-free codes`,
  async (t) => {
    // PGlite runs one query at a time, so there the race is a queue; the full 200 run on PostgreSQL.
    const N = dbKind === 'pglite' ? 40 : 200
    const submitted = await Promise.all(Array.from({ length: N }, () => submit()))
    await eventually(
      'reception tasks',
      async () =>
        Number(
          (await w.db
            .knex('tasks')
            .whereIn(
              'dossier_id',
              submitted.map((s) => s.dossierId),
            )
            .andWhere({ element_id: 'Task_Receive', state: 'CREATED' })
            .count({ n: '*' })
            .first())!.n,
        ) === N,
      120_000,
    )
    await Promise.all(submitted.map((s) => service.receive(counter, s.dossierId)))
    const codes = await eventually(
      'codes',
      async () => {
        const rows = (await w.db
          .knex('dossiers')
          .whereIn(
            'id',
            submitted.map((s) => s.dossierId),
          )
          .whereNotNull('code')
          .pluck('code')) as string[]
        return rows.length === N ? rows : undefined
      },
      120_000,
    )
    const sequences = codes.map((c) => parseDossierCode(c)!.sequence).sort((a, b) => a - b)
    t.equal(new Set(codes).size, N, 'distinct')
    t.same(
      sequences,
      Array.from({ length: N }, (_, i) => sequences[0]! + i),
      'gap-free: consecutive numbers of the receipt day',
    )
  },
)
