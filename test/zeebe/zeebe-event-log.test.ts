// Specification of the Zeebe adapter's durable event log: what its poller finds is appended to engine_events (as the
// embedded engine's steps write it), once per event however often it is polled or by how many processes, and a
// restart reads on from the stored watermark — so the read model reads both engines through readEvents.
import t from 'tap'
import { EngineEventLog } from '../../src/engine/event-log.js'
import { EngineError } from '../../src/engine/port.js'
import { ZeebeEngine, type ZeebeClient } from '../../src/engine/zeebe/index.js'
import { EventPoller } from '../../src/engine/zeebe/events.js'
import { createTestDatabase } from '../helpers/db.js'

const task = {
  userTaskKey: '2251799813685280',
  name: 'Thẩm định',
  elementId: 'review',
  processInstanceKey: '2251799813685249',
  processDefinitionId: 'p',
  creationDate: '2025-01-01T00:00:05.000Z',
}

/** A fake SDK client whose search answers hold `records`, filtered by the `$gte` of each search like the real one. */
function searchOnly(records: {
  created?: Array<Record<string, string>>
  ended?: Array<Record<string, string>>
  instances?: Array<Record<string, string>>
}) {
  const searches: string[] = []
  const since = (filter: Record<string, { $gte: string }>, items: Array<Record<string, string>>, field: string) => ({
    items: items.filter((i) => i[field]! >= filter[field]!.$gte),
  })
  const client = {
    searchUserTasks: async ({ filter }: { filter: Record<string, { $gte: string }> }) => {
      searches.push(Object.values(filter)[0]!.$gte)
      return filter['creationDate']
        ? since(filter, records.created ?? [], 'creationDate')
        : since(filter, records.ended ?? [], 'completionDate')
    },
    searchIncidents: async () => ({ items: [] }),
    searchProcessInstances: async ({ filter }: { filter: Record<string, { $gte: string }> }) =>
      since(filter, records.instances ?? [], 'endDate'),
  } as unknown as ZeebeClient
  return { client, searches }
}

t.test('given a poller with a log, when it polls, then each event is appended once, in time order', async (t) => {
  const db = await createTestDatabase(t)
  const log = new EngineEventLog(db.knex)
  let now = new Date('2025-01-01T00:00:10.000Z')
  const { client } = searchOnly({
    created: [{ ...task, state: 'CREATED' }],
    ended: [{ ...task, state: 'COMPLETED', completionDate: '2025-01-01T00:00:08.000Z' }],
    instances: [
      {
        processInstanceKey: task.processInstanceKey,
        processDefinitionId: 'p',
        state: 'COMPLETED',
        endDate: '2025-01-01T00:00:09.000Z',
      },
    ],
  })
  const engine = new ZeebeEngine({
    client,
    eventLog: log,
    events: { since: new Date('2025-01-01T00:00:00.000Z'), lagMs: 5000, now: () => now },
  })
  const poller = (engine as unknown as { events: EventPoller }).events
  await poller.poll()
  now = new Date('2025-01-01T00:00:12.000Z')
  await poller.poll() // sees every record again (look-back)

  const records = await engine.readEvents(0)
  t.same(
    records.map((r) => r.events.map((e) => e.type)),
    [['userTask.created'], ['userTask.completed'], ['instance.completed']],
    'one record per event, oldest first, none twice',
  )
  t.ok(
    records.every((r, i) => i === 0 || r.id > records[i - 1]!.id),
    'record ids increase',
  )
  const created = records[0]!.events[0]!
  t.ok(created.at instanceof Date && created.type === 'userTask.created', 'events come back with dates revived')
  if (created.type === 'userTask.created') t.equal(created.userTask.userTaskKey, task.userTaskKey)
  t.same(await engine.readEvents(records[0]!.id, 1), [records[1]], 'reads on after an id, up to the limit')
})

t.test(
  'given events already in the log, when another process polls them again, then none is appended twice; a restart reads on from the stored watermark',
  async (t) => {
    const db = await createTestDatabase(t)
    const log = new EngineEventLog(db.knex)
    const records = { created: [{ ...task, state: 'CREATED' }] }
    const clock = () => new Date('2025-01-01T00:00:10.000Z')
    const since = new Date('2025-01-01T00:00:00.000Z')
    await new EventPoller(searchOnly(records).client, { log, lagMs: 1000, since, now: clock }).poll()
    t.equal((await log.read(0)).length, 1)

    // A second process with its own memory of what it emitted: the log's source key keeps the event single.
    const other = new EventPoller(searchOnly(records).client, { log, lagMs: 1000, since, now: clock })
    const heard: string[] = []
    other.subscribe((e) => void heard.push(e.type))
    await other.poll()
    t.equal((await log.read(0)).length, 1, 'the event polled again is not appended again')
    t.same(heard, ['userTask.created'], 'listeners of the other process still hear it (at least once)')

    // A restart without `since` starts from the watermark the last poll stored, not from "now".
    const restartedClient = searchOnly(records)
    const restarted = new EventPoller(restartedClient.client, { log, lagMs: 1000, intervalMs: 60_000, now: clock })
    await restarted.start()
    await restarted.poll()
    await restarted.stop()
    t.equal(restartedClient.searches[0], '2025-01-01T00:00:09.000Z', 'looks back from the stored watermark')
  },
)

t.test('given a log and no listener, when the engine runs, then it still polls into the log', async (t) => {
  const db = await createTestDatabase(t)
  const { client } = searchOnly({ created: [{ ...task, state: 'CREATED' }] })
  const engine = new ZeebeEngine({
    client,
    eventLog: new EngineEventLog(db.knex),
    events: { intervalMs: 20, lagMs: 1000, since: new Date('2025-01-01T00:00:00.000Z') },
  })
  await engine.start()
  t.teardown(() => engine.stop())
  const deadline = Date.now() + 10_000
  while ((await engine.readEvents(0)).length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20))
  t.equal((await engine.readEvents(0)).length, 1)
})

t.test('given no log, readEvents refuses as unavailable', async (t) => {
  const engine = new ZeebeEngine({ client: searchOnly({}).client })
  const err = await engine.readEvents(0).then(
    () => undefined,
    (e: unknown) => e,
  )
  t.ok(err instanceof EngineError && err.code === 'UNAVAILABLE')
})
