// A caller with no unit (an account not yet placed in the organisation) reads empty lists, not a database error: the
// unit-subtree reads must not send a pattern PostgreSQL refuses (a NUL character is not valid text there).
import t from 'tap'
import { createTestDatabase } from './helpers/db.js'
import { dossierViewRepository } from '../src/dossiers/dossier-view-repository.js'

t.test('no unit: the worklist and the unit subtree are empty', async (t) => {
  const db = await createTestDatabase(t)
  const views = dossierViewRepository(db.knex)
  t.same(await views.worklist({ userId: 'nobody', unitPath: null, groups: ['can-bo'] }, { limit: 10 }), [])
  t.same(await views.ofUnitSubtree(null, { limit: 10, offset: 0 }), [])
  t.same(await views.ofUnitSubtree(undefined, { overdue: true, limit: 10, offset: 0 }), [])
})
