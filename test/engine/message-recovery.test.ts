// A published message reaches the instances that were waiting for it even when the publishing process
// dies between buffering the message and correlating it: the next engine start finishes the job, once.
import t from 'tap'
import { EmbeddedEngine } from '../../src/engine/embedded/index.js'
import { activeIds, fixture, freshEngineDatabase, instanceState } from './contract-engine.js'
import { eventually } from '../helpers/eventually.js'

for (const ttl of [60_000, 0]) {
  t.test(
    `given an instance waiting for a message, when the publisher dies after buffering (TTL ${ttl}), then a restarted engine correlates it exactly once`,
    async (t) => {
      const db = await freshEngineDatabase()
      let crash = true
      const first = new EmbeddedEngine(db, {
        timerPollMs: 60_000,
        faults: {
          afterMessageBuffered: () => {
            if (crash) {
              crash = false
              throw new Error('simulated crash')
            }
          },
        },
      })
      await first.start()
      t.teardown(() => first.stop())
      await first.deploy([fixture('message-catch.bpmn')])
      const ref = await first.createProcessInstance({
        bpmnProcessId: 'message-catch',
        variables: { dossierCode: 'R1' },
      })
      const other = await first.createProcessInstance({
        bpmnProcessId: 'message-catch',
        variables: { dossierCode: 'R2' },
      })
      await t.rejects(
        first.publishMessage({
          name: 'supplement-received',
          correlationKey: 'R1',
          timeToLiveMs: ttl,
          variables: { files: 3 },
        }),
        /simulated crash/,
      )
      await first.stop()
      t.same(
        activeIds(await instanceState(first, ref.processInstanceKey)),
        ['waitSupplement'],
        'the crash left the instance waiting',
      )

      const second = new EmbeddedEngine(db, { timerPollMs: 50 })
      await second.start()
      t.teardown(() => second.stop())
      await eventually(
        'instance at waitFee',
        async () => activeIds(await instanceState(second, ref.processInstanceKey)).includes('waitFee'),
        5000,
      )
      t.equal((await instanceState(second, ref.processInstanceKey)).variables['files'], 3, 'with the message variables')
      // More sweeps and a second engine change nothing.
      t.equal(await second.recoverMessages(0), 0, 'nothing left to recover')
      const third = new EmbeddedEngine(db)
      t.equal(await third.recoverMessages(0), 0, 'another engine finds nothing either')
      const completions = (
        await db.knex.raw(
          `SELECT count(*) AS n FROM engine_events, jsonb_array_elements(events) e
          WHERE process_instance_key = ? AND e->>'type' = 'element.completed' AND e->>'elementId' = 'waitSupplement'`,
          [Number(ref.processInstanceKey)],
        )
      ).rows[0]
      t.equal(Number(completions.n), 1, 'the message was correlated once')
      t.same(
        activeIds(await instanceState(second, other.processInstanceKey)),
        ['waitSupplement'],
        'the other correlation key still waits',
      )
      t.equal(
        Number((await db.knex.raw('SELECT count(*) AS n FROM engine_message_pending')).rows[0].n),
        0,
        'no owed correlation left',
      )
    },
  )
}

t.test(
  'given a normal publication, no owed correlation is left behind and a later subscriber still gets a buffered message once',
  async (t) => {
    const db = await freshEngineDatabase()
    const engine = new EmbeddedEngine(db, { timerPollMs: 50 })
    await engine.start()
    t.teardown(() => engine.stop())
    await engine.deploy([fixture('message-catch.bpmn')])
    const a = await engine.createProcessInstance({ bpmnProcessId: 'message-catch', variables: { dossierCode: 'N1' } })
    await eventually(
      'waiting',
      async () => activeIds(await instanceState(engine, a.processInstanceKey)).includes('waitSupplement'),
      5000,
    )
    await engine.publishMessage({
      name: 'supplement-received',
      correlationKey: 'N1',
      timeToLiveMs: 60_000,
      variables: { files: 1 },
    })
    t.same(activeIds(await instanceState(engine, a.processInstanceKey)), ['waitFee'])
    t.equal(
      Number((await db.knex.raw('SELECT count(*) AS n FROM engine_message_pending')).rows[0].n),
      0,
      'nothing owed',
    )
    const b = await engine.createProcessInstance({ bpmnProcessId: 'message-catch', variables: { dossierCode: 'N1' } })
    t.same(
      activeIds(await instanceState(engine, b.processInstanceKey)),
      ['waitFee'],
      'a later subscriber gets the buffered message',
    )
    t.equal(await engine.recoverMessages(0), 0)
    t.same(
      activeIds(await instanceState(engine, a.processInstanceKey)),
      ['waitFee'],
      'the first instance did not get it again',
    )
  },
)

t.test(
  'given a message start event, when the publisher dies after buffering, then a restarted engine starts exactly one instance',
  async (t) => {
    const db = await freshEngineDatabase()
    const first = new EmbeddedEngine(db, {
      timerPollMs: 60_000,
      faults: {
        afterMessageBuffered: () => {
          throw new Error('simulated crash')
        },
      },
    })
    await first.start()
    t.teardown(() => first.stop())
    await first.deploy([fixture('message-start.bpmn')])
    await t.rejects(
      first.publishMessage({ name: 'dossier-submitted', correlationKey: 'S1', variables: { code: 'S1' } }),
      /simulated crash/,
    )
    await first.stop()
    const count = async () =>
      Number(
        (
          await db.knex.raw(
            "SELECT count(*) AS n FROM engine_process_instances WHERE bpmn_process_id = 'message-start'",
          )
        ).rows[0].n,
      )
    t.equal(await count(), 0, 'the crash started nothing')
    const second = new EmbeddedEngine(db, { timerPollMs: 50 })
    await second.start()
    t.teardown(() => second.stop())
    await eventually('one started instance', async () => (await count()) === 1, 5000)
    t.equal(await second.recoverMessages(0), 0, 'nothing left to recover')
    t.equal(await count(), 1, 'exactly one instance')
    const job = (await second.activateJobs({ type: 'intake', worker: 't', maxJobsToActivate: 5, timeoutMs: 10_000 }))[0]
    t.equal(job?.variables['code'], 'S1', 'with the message variables')
  },
)
