// Specification: the read-model projector never moves its cursor past an engine event record that is not yet visible
// (record ids are taken before commit, so steps can commit out of order), and gives up on a missing id only after a grace period.
import t from 'tap'
import type { Engine } from '../src/engine/port.js'
import { ReadModelProjector } from '../src/dossiers/projector.js'
import { createTestDatabase } from './helpers/db.js'

t.test('given record 3 commits after record 4, when the projector reads in between, then it waits for 3 and applies it', async (t) => {
  const db = await createTestDatabase(t)
  const visible: Array<{ id: number; events: [] }> = []
  const engine = {
    readEvents: async (afterId: number, limit = 200) => visible.filter((r) => r.id > afterId).slice(0, limit),
    onEvent: () => () => undefined,
  } as unknown as Engine
  const logged: string[] = []
  const projector = new ReadModelProjector(db.knex, engine, { gapGraceMs: 300, log: (m) => logged.push(m) })
  const cursor = async () => Number((await db.knex('read_model_cursors').where({ name: 'dossiers' }).first('last_event_id')).last_event_id)

  visible.push({ id: 1, events: [] }, { id: 2, events: [] }, { id: 4, events: [] })
  t.equal(await projector.catchUp(), 2, 'records 1 and 2 apply')
  t.equal(await cursor(), 2, 'the cursor stops before the missing record 3')
  visible.splice(2, 0, { id: 3, events: [] })
  t.equal(await projector.catchUp(), 2, 'once 3 is visible, 3 and 4 apply')
  t.equal(await cursor(), 4)

  // A rolled-back step leaves id 5 unused for good: the cursor waits the grace period, then goes on.
  visible.push({ id: 6, events: [] })
  t.equal(await projector.catchUp(), 0, 'record 6 waits while 5 may still commit')
  await new Promise((r) => setTimeout(r, 350))
  t.equal(await projector.catchUp(), 1, 'after the grace period 5 is taken as never committed')
  t.equal(await cursor(), 6)
  t.match(logged.join('\n'), /5\.\.5 never appeared/, 'and that is logged')
  await projector.stop()
})
