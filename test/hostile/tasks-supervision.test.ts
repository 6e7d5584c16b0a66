// Specification: the officers' task routes and the supervisors' routes refuse malformed and hostile input (task keys
// that are not keys or name no task, hostile worklist filters and cursors, hostile report periods and units, bodies
// of the wrong shape) with a 4xx problem, and the database is unchanged; a decision that does not fit the task's
// decision form is refused too, whatever it holds.
import t from 'tap'
import fc from 'fast-check'
import { assertAllRefused, hostileValue, numRuns, type HostileRequest } from './support.js'
import { attackArea, hostileWorld } from './world.js'

const w = await hostileWorld(t)
await attackArea(t, w, 'tasks-supervision')

t.test(
  'a decision that does not fit the reception task’s decision form is refused (422 or 400) and changes nothing',
  async (t) => {
    const route = w.routes.find((r) => r.key === 'POST /api/tasks/:taskKey/complete')!
    const { authorization } = await w.api.as('motcua-xa')
    const decisions = fc
      .oneof(
        fc.record(
          { decision: fc.oneof(hostileValue, fc.constantFrom('approve', 'returned', 'ACCEPT', 'accept ', 'refuse')) },
          { requiredKeys: ['decision'] },
        ),
        fc.record({ decision: fc.constant('supplement'), missing: hostileValue }),
        fc.record({
          decision: fc.constant('refuse'),
          reason: fc.oneof(fc.constant(''), fc.constant('   '), fc.constant(null), fc.constant(42)),
        }),
        fc.record({
          decision: fc.constant('accept'),
          note: fc.oneof(fc.constant('x'.repeat(100_000)), fc.constant(7), fc.constant({ $ne: null })),
        }),
      )
      .filter(
        (d) =>
          !(
            d.decision === 'refuse' &&
            typeof (d as { reason?: unknown }).reason === 'string' &&
            /\S/.test((d as { reason: string }).reason)
          ),
      )
    const requests = decisions.map((d): HostileRequest => ({
      why: `decision ${JSON.stringify(d).slice(0, 100)}`,
      method: 'POST',
      url: `/api/tasks/${encodeURIComponent(w.taskKey)}/complete`,
      headers: { authorization, 'content-type': 'application/json' },
      payload: JSON.stringify(d),
    }))
    await assertAllRefused(t, w.app, w.db.knex, route, requests, { numRuns: numRuns * 2 })
  },
)
