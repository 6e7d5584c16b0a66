import t from 'tap'
import { createTestDatabase } from './helpers/db.js'
import { requireAccess, can } from '../src/auth/access.js'
import type { Principal } from '../src/auth/principal.js'

const officer: Principal = {
  userId: '00000000-0000-4000-8000-000000000001',
  username: 'motcua-xa',
  kind: 'officer',
  unitId: 'xa-an-binh',
  unitPath: '/tinh-demo/xa-an-binh/',
  groups: ['mot-cua'],
}
const citizen: Principal = {
  userId: '00000000-0000-4000-8000-000000000002',
  username: 'congdan',
  kind: 'citizen',
  groups: [],
}

t.test('each kind of account holds only its own permissions', async (t) => {
  t.ok(can(citizen, 'dossier.submit'))
  t.notOk(can(citizen, 'task.work'))
  t.ok(can(officer, 'task.work'))
  t.notOk(can(officer, 'catalogue.publish'))
  t.notOk(can(officer, 'calendar.edit'))
})

t.test('unit-scoped data: an officer reaches their unit subtree only, and a denial is audited', async (t) => {
  const db = await createTestDatabase(t)
  t.equal(
    await requireAccess(db.knex, {
      principal: officer,
      permission: 'task.work',
      unitPath: '/tinh-demo/xa-an-binh/van-phong/',
    }),
    officer,
  )
  const denied = requireAccess(db.knex, {
    principal: officer,
    permission: 'task.work',
    unitPath: '/tinh-demo/xa-binh-minh/',
    subject: { type: 'task', id: '42' },
  })
  await t.rejects(denied, { name: 'AppError', code: 'MC_ERR_FORBIDDEN' })
  const hidden = requireAccess(db.knex, {
    principal: citizen,
    permission: 'dossier.readUnit',
    hideExistence: true,
    subject: { type: 'dossier', id: 'X99-260301-0001' },
  })
  await t.rejects(
    hidden,
    { name: 'AppError', code: 'MC_ERR_DOSSIER_NOT_FOUND' },
    'the subject’s own “not found”, as for one that does not exist',
  )
  await t.rejects(requireAccess(db.knex, { principal: undefined, permission: 'catalogue.read' }), {
    name: 'AppError',
    code: 'MC_ERR_UNAUTHENTICATED',
  })
  const audits = await db
    .knex('audit_events')
    .where({ action: 'access.denied' })
    .orderBy('id')
    .select('subject_type', 'subject_id', 'actor_id')
  t.same(audits, [
    { subject_type: 'task', subject_id: '42', actor_id: officer.userId },
    { subject_type: 'dossier', subject_id: 'X99-260301-0001', actor_id: citizen.userId },
  ])
})
