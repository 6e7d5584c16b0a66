// Specification: who sees and works which task — claiming, supervisor assignment, the worklist's order, filters and
// cursor, the applicant's list, access to a dossier, and the overdue sweep.
import t from 'tap'
import { sweepOverdue } from '../src/dossiers/index.js'
import { birthForm, createDossierWorld, requiredUploads } from './helpers/dossiers.js'
import { eventually } from './helpers/eventually.js'

const w = await createDossierWorld(t)
const { service, queries } = w.runtime
const citizen = await w.as('congdan')
const counter = await w.as('motcua-xa')
const registrar = await w.as('tuphap-xa')
const leader = await w.as('lanhdao-xa')

let n = 0
async function submitted(count: number) {
  const ids: string[] = []
  for (let i = 0; i < count; i++) {
    const attachments = await Promise.all(
      requiredUploads['dang-ky-khai-sinh']!.map(async (componentId) => ({
        componentId,
        fileId: await w.file('congdan'),
      })),
    )
    ids.push(
      (
        await service.submit(citizen, {
          procedure: 'dang-ky-khai-sinh',
          agencyUnitId: 'xa-an-binh',
          formData: birthForm,
          deliveryMethod: 'counter',
          attachments,
          idempotencyKey: `wl-${++n}`,
        })
      ).dossierId,
    )
  }
  await eventually(
    'reception tasks',
    async () =>
      Number(
        (await w.db.knex('tasks').whereIn('dossier_id', ids).andWhere({ state: 'CREATED' }).count({ n: '*' }).first())!
          .n,
      ) === count,
  )
  return ids
}

t.test(
  'claiming: a task held by one officer cannot be taken or decided by another; a supervisor reassigns it',
  async (t) => {
    const [id] = await submitted(1)
    const task = await w.db.knex('tasks').where({ dossier_id: id, state: 'CREATED' }).first()
    await service.claim(counter, task.user_task_key)
    await eventually(
      'engine assignee',
      async () => (await w.engine.getUserTask(task.user_task_key))?.assignee === counter.userId,
    )

    // another officer of the counter group (simulated with the leader's account joining the group)
    const other = { ...leader, groups: [...leader.groups, 'mot-cua'], kind: 'officer' as const }
    await t.rejects(service.claim(other, task.user_task_key), { code: 'MC_ERR_TASK_CLAIMED', status: 409 })
    await t.rejects(service.receive(other, id!), { code: 'MC_ERR_TASK_CLAIMED', status: 409 })

    // the supervisor of the commune reassigns it to that officer
    await t.rejects(
      service.assign(counter, task.user_task_key, leader.userId),
      { code: 'MC_ERR_FORBIDDEN' },
      'officers cannot assign',
    )
    await t.rejects(
      service.assign(leader, task.user_task_key, registrar.userId),
      { code: 'MC_ERR_VALIDATION' },
      'only to someone of the task’s group',
    )
    await service.unclaim(counter, task.user_task_key)
    t.equal((await w.db.knex('tasks').where({ user_task_key: task.user_task_key }).first()).assignee, null)
    await service.claim(counter, task.user_task_key)
    const detail = await queries.get(leader, id!)
    t.match(
      detail.current,
      { step: 'Task_Receive', assignee: { id: counter.userId, name: 'Đỗ Thị Giang' } },
      'who handles it',
    )
    await service.receive(counter, id!)
  },
)

t.test('the worklist: my units and groups, by due, filtered, paged by cursor', async (t) => {
  const ids = await submitted(5)
  // Tasks of the reception step have no due date (R6): they come after dated ones, in key order.
  const all: string[] = []
  let cursor: string | undefined
  do {
    const page = await queries.worklist(counter, { limit: 2, ...(cursor ? { cursor } : {}) })
    t.ok(page.items.length <= 2)
    all.push(...page.items.map((i) => i.dossier.id))
    cursor = page.nextCursor ?? undefined
  } while (cursor)
  t.ok(
    ids.every((id) => all.includes(id)),
    'every reception task, across pages',
  )
  t.equal(new Set(all).size, all.length, 'no task twice')

  t.same(
    (await queries.worklist(registrar)).items.filter((i) => ids.includes(i.dossier.id)),
    [],
    'another group sees none of them',
  )
  const canbo = await w.as('canbo')
  t.same(
    (await queries.worklist(canbo)).items,
    [],
    'the provincial service centre’s counter does not cover the commune',
  )
  const byName = await queries.worklist(counter, { q: 'nguyễn văn an', procedure: 'dang-ky-khai-sinh', status: 1 })
  t.ok(byName.items.length >= 5, 'text filter on the applicant’s name')
  t.same((await queries.worklist(counter, { q: 'không có ai' })).items, [])
  await t.rejects(queries.worklist(citizen), { code: 'MC_ERR_FORBIDDEN' })
  await t.rejects(queries.worklist(counter, { cursor: 'rác' }), { code: 'MC_ERR_VALIDATION' })
})

t.test('reading dossiers: the applicant’s own list and detail; other people’s are not found', async (t) => {
  const [id] = await submitted(1)
  const mine = await queries.mine(citizen)
  t.ok(mine.some((d) => d.id === id))
  t.match(await queries.get(citizen, id!), { id, status: 1, procedure: { slug: 'dang-ky-khai-sinh' } })
  t.equal((await queries.get(citizen, id!)).incidents, undefined, 'engine internals are for staff')
  const stranger = await w.as('doanhnghiep')
  await t.rejects(queries.get(stranger, id!), { code: 'MC_ERR_DOSSIER_NOT_FOUND' })
  await t.rejects(
    queries.get(await w.as('canbo'), id!),
    { code: 'MC_ERR_DOSSIER_NOT_FOUND' },
    'an officer outside the agency',
  )
  t.match(await queries.get(registrar, id!), { id, incidents: [] })
  t.ok(
    (await queries.unitDossiers(leader)).some((d) => d.id === id),
    'the commune leader lists the unit’s dossiers',
  )
})

t.test('the overdue sweep flags open dossiers past their due date (R10), not paused ones', async (t) => {
  const [id] = await submitted(1)
  await service.receive(counter, id!)
  await eventually('accepted', async () => (await w.db.knex('dossiers').where({ id }).first()).due_at)
  const due = (await w.db.knex('dossiers').where({ id }).first()).due_at as Date
  const flagged = async () => (await w.db.knex('dossiers').where({ id }).first()).overdue as boolean
  await sweepOverdue(w.db.knex, new Date(due.getTime() - 1000))
  t.equal(await flagged(), false, 'not before the due')
  await w.db.knex('dossiers').where({ id }).update({ paused: true })
  await sweepOverdue(w.db.knex, new Date(due.getTime() + 1000))
  t.equal(await flagged(), false, 'a paused dossier is within time')
  await w.db.knex('dossiers').where({ id }).update({ paused: false })
  t.ok((await sweepOverdue(w.db.knex, new Date(due.getTime() + 1000))) >= 1)
  t.equal(await flagged(), true, 'flagged once its due has passed')
})
