// The read model is fed from the engine's durable event log: what happened while no projector ran is caught up.
import t from 'tap'
import { ReadModelProjector } from '../src/dossiers/projector.js'
import { birthForm, createDossierWorld, requiredUploads } from './helpers/dossiers.js'
import { eventually } from './helpers/eventually.js'

t.test(
  'given the projector was down while the engine moved, when a projector starts, then the worklist catches up once',
  async (t) => {
    const w = await createDossierWorld(t)
    // A crash of the process that applies events: the runtime's projector stops, the engine goes on.
    await w.runtime.projector.stop()
    const citizen = await w.as('congdan')
    const attachments = await Promise.all(
      (requiredUploads['dang-ky-khai-sinh'] ?? []).map(async (componentId) => ({
        componentId,
        fileId: await w.file('congdan'),
      })),
    )
    const { dossierId } = await w.runtime.service.submit(citizen, {
      procedure: 'dang-ky-khai-sinh',
      agencyUnitId: 'xa-an-binh',
      formData: birthForm,
      deliveryMethod: 'counter',
      attachments,
      idempotencyKey: 'projector-1',
    })
    const dossier = await eventually(
      'the instance exists',
      async () =>
        (await w.db.knex('dossiers').where({ id: dossierId }).first())?.process_instance_key as string | undefined,
    )
    await eventually(
      'the engine opened the reception task',
      async () => (await w.engine.searchUserTasks({ processInstanceKey: dossier, state: 'CREATED' }))[0],
    )
    t.same(
      await w.db.knex('tasks').where({ dossier_id: dossierId }),
      [],
      'nothing reached the read model while the projector was down',
    )

    const first = new ReadModelProjector(w.db.knex, w.engine, { name: 'dossiers' })
    const second = new ReadModelProjector(w.db.knex, w.engine, { name: 'dossiers' })
    const [a, b] = await Promise.all([first.catchUp(), second.catchUp()])
    t.ok(a > 0 !== b > 0, `one process at a time advances the cursor (${a}, ${b})`)
    const tasks = await w.db.knex('tasks').where({ dossier_id: dossierId }).select('element_id', 'state')
    t.same(tasks, [{ element_id: 'Task_Receive', state: 'CREATED' }], 'the reception task is in the worklist, once')
    const detail = await w.db.knex('dossiers').where({ id: dossierId }).first('current_step')
    t.equal(detail.current_step, 'Task_Receive', 'the dossier shows where it is')

    const cursor = await w.db.knex('read_model_cursors').where({ name: 'dossiers' }).first('last_event_id')
    const last = await w.db.knex('engine_events').orderBy('id', 'desc').first('id')
    t.equal(Number(cursor.last_event_id), Number(last.id), 'the cursor stands at the last event')
    await first.stop()
    await second.stop()
    t.equal(await new ReadModelProjector(w.db.knex, w.engine).catchUp(), 0, 'a later start has nothing left to apply')
  },
)

t.test(
  'given an engine event record the read model cannot apply, then it is retried, then skipped with an audit event, and the records after it still apply',
  async (t) => {
    const w = await createDossierWorld(t)
    await w.runtime.projector.stop()
    const citizen = await w.as('congdan')
    const attachments = await Promise.all(
      (requiredUploads['dang-ky-khai-sinh'] ?? []).map(async (componentId) => ({
        componentId,
        fileId: await w.file('congdan'),
      })),
    )
    const { dossierId } = await w.runtime.service.submit(citizen, {
      procedure: 'dang-ky-khai-sinh',
      agencyUnitId: 'xa-an-binh',
      formData: birthForm,
      deliveryMethod: 'counter',
      attachments,
      idempotencyKey: 'projector-poison',
    })
    const instanceKey = await eventually(
      'the instance exists',
      async () =>
        (await w.db.knex('dossiers').where({ id: dossierId }).first())?.process_instance_key as string | undefined,
    )
    await eventually(
      'the engine opened the reception task',
      async () => (await w.engine.searchUserTasks({ processInstanceKey: instanceKey, state: 'CREATED' }))[0],
    )

    // The record holding the reception task's creation is poisoned: a userTask.created event without its task.
    const engine = w.engine as typeof w.engine & {
      readEvents(afterId: number, limit?: number): Promise<Array<{ id: number; events: Array<{ type: string }> }>>
    }
    const all = await engine.readEvents(0, 10_000)
    const target = all.find((r) => r.events.some((e) => e.type === 'userTask.created'))
    t.ok(target, 'the log holds the task creation')
    const poisoned = Object.create(engine, {
      readEvents: {
        value: async (afterId: number, limit?: number) =>
          (await engine.readEvents(afterId, limit)).map((r) =>
            r.id === target!.id
              ? { ...r, events: [{ type: 'userTask.created', processInstanceKey: instanceKey, userTask: null }] }
              : r,
          ),
      },
    }) as typeof w.engine
    const logged: string[] = []
    const projector = new ReadModelProjector(w.db.knex, poisoned, {
      name: 'poison-test',
      maxAttempts: 3,
      log: (m) => logged.push(m),
    })
    const cursor = async () =>
      Number(
        (await w.db.knex('read_model_cursors').where({ name: 'poison-test' }).first('last_event_id')).last_event_id,
      )

    await projector.catchUp()
    t.equal(
      await cursor(),
      target!.id - 1 < 0 ? 0 : Math.max(0, ...all.filter((r) => r.id < target!.id).map((r) => r.id)),
      'the cursor stops before the failing record',
    )
    await projector.catchUp()
    t.equal(
      await w.db
        .knex('audit_events')
        .where({ action: 'readModel.eventSkipped' })
        .count({ n: '*' })
        .first()
        .then((r) => Number(r?.n)),
      0,
      'not skipped before the last attempt',
    )
    await projector.catchUp()
    const skipped = await w.db
      .knex('audit_events')
      .where({ action: 'readModel.eventSkipped' })
      .select('subject_type', 'subject_id', 'data')
    t.equal(skipped.length, 1, 'skipped once, after the third attempt')
    t.match(skipped[0], {
      subject_type: 'engine_event',
      subject_id: String(target!.id),
      data: { projector: 'poison-test' },
    })
    t.equal(await cursor(), all.at(-1)!.id, 'the cursor moved past it to the end of the log')
    t.ok(
      logged.some((m) => /skipped after 3 failed attempts/.test(m)),
      'the skip is logged too',
    )
    await projector.stop()
  },
)
