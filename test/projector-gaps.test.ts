// Specification: the read-model projector never moves its cursor past an engine event record that is not yet visible
// (record ids are taken before commit, so steps can commit out of order). It passes a missing id once no transaction
// that began before the gap was seen is still open (the step holding it has ended: read once more, then go on), or
// after a grace period.
import t from 'tap'
import type { Engine } from '../src/engine/port.js'
import { ReadModelProjector } from '../src/dossiers/projector.js'
import { createTestDatabase } from './helpers/db.js'

function world(gapGraceMs: number) {
  const visible: Array<{ id: number; events: [] }> = []
  const engine = {
    readEvents: async (afterId: number, limit = 200) =>
      visible
        .filter((r) => r.id > afterId)
        .sort((a, b) => a.id - b.id)
        .slice(0, limit),
    onEvent: () => () => undefined,
  } as unknown as Engine
  const logged: string[] = []
  return { visible, engine, logged, options: { gapGraceMs, log: (m: string) => logged.push(m) } }
}

t.test(
  'given an id left unused by a rolled-back step and no transaction open, then the projector passes it at once',
  async (t) => {
    const db = await createTestDatabase(t)
    const { visible, engine, logged, options } = world(60_000)
    const projector = new ReadModelProjector(db.knex, engine, options)
    const cursor = async () =>
      Number((await db.knex('read_model_cursors').where({ name: 'dossiers' }).first('last_event_id')).last_event_id)
    visible.push({ id: 1, events: [] }, { id: 2, events: [] }, { id: 4, events: [] })
    t.equal(await projector.catchUp(), 3, 'records 1, 2 and 4 apply: nothing could still commit id 3')
    t.equal(await cursor(), 4)
    t.notMatch(logged.join('\n'), /never appeared within/, 'without waiting out the 60 s grace')
    await projector.stop()
  },
)

// Two transactions at once need a server: embedded PGlite has one connection, where no step can be in flight
// while the projector reads (the test above is its whole story).
t.test(
  'given record 3 is still being written when 4 is visible, then the projector waits for 3, and applies it once committed',
  { skip: process.env.TEST_DATABASE_URL ? false : 'needs two connections (PostgreSQL server)' },
  async (t) => {
    const db = await createTestDatabase(t)
    const { visible, engine, logged, options } = world(400)
    const projector = new ReadModelProjector(db.knex, engine, options)
    const cursor = async () =>
      Number((await db.knex('read_model_cursors').where({ name: 'dossiers' }).first('last_event_id')).last_event_id)

    // The step that took id 3 is a transaction open on another connection.
    const step = await db.knex.transaction()
    await step.raw('SELECT 1')
    visible.push({ id: 1, events: [] }, { id: 2, events: [] }, { id: 4, events: [] })
    t.equal(await projector.catchUp(), 2, 'records 1 and 2 apply')
    t.equal(await cursor(), 2, 'the cursor stops before 3 while its step is open')
    visible.push({ id: 3, events: [] })
    await step.commit()
    t.equal(await projector.catchUp(), 2, 'once 3 is committed, 3 and 4 apply')
    t.equal(await cursor(), 4)

    // A step that stays open longer than the grace: its id is taken as never committed, and that is logged.
    const slow = await db.knex.transaction()
    await slow.raw('SELECT 1')
    visible.push({ id: 6, events: [] })
    t.equal(await projector.catchUp(), 0, 'record 6 waits while 5 may still commit')
    await new Promise((r) => setTimeout(r, 450))
    t.equal(await projector.catchUp(), 1, 'after the grace period 5 is taken as never committed')
    t.equal(await cursor(), 6)
    t.match(logged.join('\n'), /5\.\.5 never appeared/)
    await slow.rollback()
    await projector.stop()
  },
)
