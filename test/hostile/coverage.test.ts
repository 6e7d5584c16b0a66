// Specification: every route the app answers is attacked by a hostile suite or excluded with a reason, so a new
// route cannot ship without malformed-input coverage; and a route that does not exist answers a problem too.
import t from 'tap'
import { buildTestApp } from '../helpers/app.js'
import { problemShape, routesOf } from './support.js'
import { excludedRoutes, isWebAppFile, routeCallers } from './world.js'

const { app } = await buildTestApp(t)
const routes = await routesOf(app)

t.test('every route of the app is in the hostile route table or excluded with a reason', async (t) => {
  const keys = routes.map((r) => r.key)
  t.ok(keys.length > 50, `the route table was read from the app (${keys.length} routes)`)
  t.same(
    keys.filter((k) => !(k in routeCallers) && !(k in excludedRoutes) && !isWebAppFile(k)),
    [],
    'no route without hostile coverage',
  )
  t.same(
    Object.keys(routeCallers).filter((k) => !keys.includes(k)),
    [],
    'no stale entry: each covered route exists',
  )
  t.same(
    Object.keys(excludedRoutes).filter((k) => !keys.includes(k)),
    [],
    'no stale exclusion',
  )
  for (const [key, reason] of Object.entries(excludedRoutes))
    t.ok(reason.length > 10, `${key} is excluded for a reason`)
})

t.test(
  'unknown API routes and undecodable paths answer a problem; hostile paths never reach a file outside the served folders',
  async (t) => {
    for (const url of [
      '/api/nope',
      '/api/dossiers/x/y/z',
      '/api/%ED%A0%80',
      '/api/dossiers/%ED%A0%80',
      '/health/%00',
      `/api/dossiers/${'a'.repeat(5000)}`,
      `/api/tasks/${'%F0%9F%92%A9'.repeat(500)}`,
    ]) {
      const res = await app.inject({ method: 'GET', url })
      t.equal(problemShape(res), undefined, `${url}: a problem (${res.statusCode})`)
      t.ok(res.statusCode >= 400 && res.statusCode < 500, `${url}: 4xx`)
    }
    for (const url of [
      '/api/dossiers/../../package.json',
      '/docs/..%2f..%2fpackage.json',
      '/docs/static/..%2f..%2f..%2fpackage.json',
      '/assets/..%2f..%2fpackage.json',
      '/..%2f..%2f..%2fetc%2fpasswd',
      '/%00',
    ]) {
      const res = await app.inject({ method: 'GET', url })
      t.ok(res.statusCode < 500, `${url}: ${res.statusCode}`)
      t.notMatch(res.body, /"name":\s*"motcua"|root:x:0:0/, `${url}: no file outside the served folders`)
    }
    const wrongMethod = await app.inject({ method: 'DELETE', url: '/api/procedures' })
    t.equal(problemShape(wrongMethod), undefined, 'a method the route lacks is a problem too')
  },
)
