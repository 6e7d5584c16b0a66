// The worklist's due colours: overdue from the API, "due soon" computed in the browser as due before the same time on
// the next working day (Saturdays and Sundays skipped).
import t from 'tap'
import { dueState } from '../../web/src/officer/due.js'

const now = new Date('2026-03-05T03:00:00Z') // Thursday 10:00 in Hà Nội

t.test('a due time already past is overdue, whatever the dossier says', async (t) => {
  t.same(dueState('2026-03-05T02:00:00Z', false, now), { overdue: true, dueSoon: false })
  t.same(
    dueState('2026-03-10T02:00:00Z', true, now),
    { overdue: true, dueSoon: false },
    'the dossier overdue (R10) wins',
  )
})

t.test('due within one working day is due soon; later is neither', async (t) => {
  t.same(dueState('2026-03-06T02:59:00Z', false, now), { overdue: false, dueSoon: true }, 'tomorrow before this time')
  t.same(dueState('2026-03-06T03:01:00Z', false, now), { overdue: false, dueSoon: false }, 'tomorrow after this time')
})

t.test('over a weekend the next working day is Monday', async (t) => {
  const friday = new Date('2026-03-06T03:00:00Z')
  t.same(
    dueState('2026-03-09T02:00:00Z', false, friday),
    { overdue: false, dueSoon: true },
    'Monday morning is due soon on Friday',
  )
  t.same(dueState('2026-03-10T02:00:00Z', false, friday), { overdue: false, dueSoon: false }, 'Tuesday is not')
})

t.test('no due time: only the dossier’s overdue counts', async (t) => {
  t.same(dueState(null, false, now), { overdue: false, dueSoon: false })
  t.same(dueState(null, true, now), { overdue: true, dueSoon: false })
})
