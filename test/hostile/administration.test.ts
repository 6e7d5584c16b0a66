// Specification: the administration routes (units, staff accounts and their import, groups, roles, the audit log)
// refuse malformed and hostile input with a 4xx problem and change nothing; and an administrator of a commune cannot
// read or touch another commune's units or officers: each answers exactly like one that does not exist.
import { randomUUID } from 'node:crypto'
import t from 'tap'
import { diff, fingerprint } from './support.js'
import { attackArea, hostileWorld } from './world.js'

const w = await hostileWorld(t, { dossier: false })
await attackArea(t, w, 'administration')

t.test(
  "a commune's administrator cannot read or touch another commune's units or officers: each answers like one that " +
    'does not exist, and nothing changes',
  async (t) => {
    const knex = w.db.knex
    const quantri = await w.api.as('quantri')
    const made = await w.app.inject({
      method: 'POST',
      url: '/api/admin/accounts',
      headers: quantri,
      payload: {
        username: 'qt-anbinh',
        fullName: 'Quản trị An Bình',
        kind: 'administrator',
        unitId: 'xa-an-binh',
        groups: [],
      },
    })
    t.equal(made.statusCode, 201, made.body)
    const session = await w.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'qt-anbinh', password: made.json().initialPassword },
    })
    const authorization = `Bearer ${session.json().accessToken}`
    const otherOfficer = ((await knex('users').where({ username: 'motcua-bm' }).first('id')) as { id: string }).id
    const ownOfficer = ((await knex('users').where({ username: 'motcua-xa' }).first('id')) as { id: string }).id
    const nobody = randomUUID()

    const units = await w.app.inject({ method: 'GET', url: '/api/admin/units', headers: { authorization } })
    t.same(
      units.json().items.map((u: { id: string }) => u.id),
      ['xa-an-binh'],
      'the commune administrator sees their commune only',
    )
    const accounts = await w.app.inject({ method: 'GET', url: '/api/admin/accounts', headers: { authorization } })
    t.ok(accounts.json().items.length > 0)
    t.ok(
      accounts.json().items.every((a: { unitId: string }) => a.unitId === 'xa-an-binh'),
      "the commune's officers only",
    )
    const own = await w.app.inject({
      method: 'GET',
      url: `/api/admin/accounts/${ownOfficer}`,
      headers: { authorization },
    })
    t.equal(own.statusCode, 200, 'their own commune’s officer is theirs to manage')

    const before = await fingerprint(knex)
    // Each request names another commune's unit or officer, then one that does not exist: the answers must be equal.
    const pairs: Array<
      [method: 'GET' | 'POST' | 'PATCH', url: (id: string) => string, ids: [string, string], body?: unknown]
    > = [
      ['GET', (id) => `/api/admin/units/${id}/history`, ['xa-binh-minh', 'xa-khong-co']],
      ['PATCH', (id) => `/api/admin/units/${id}`, ['xa-binh-minh', 'xa-khong-co'], { name: 'Chiếm' }],
      [
        'POST',
        (id) => `/api/admin/units/${id}/move`,
        ['xa-binh-minh', 'xa-khong-co'],
        { parentId: 'xa-an-binh', reason: 'x' },
      ],
      ['POST', (id) => `/api/admin/units/${id}/close`, ['xa-binh-minh', 'xa-khong-co'], { reason: 'x' }],
      ['POST', (id) => `/api/admin/units/${id}/close`, ['tinh-demo', 'xa-khong-co'], { reason: 'x' }],
      ['GET', (id) => `/api/admin/accounts/${id}`, [otherOfficer, nobody]],
      ['PATCH', (id) => `/api/admin/accounts/${id}`, [otherOfficer, nobody], { groups: ['mot-cua'] }],
      ['PATCH', (id) => `/api/admin/accounts/${id}`, [ownOfficer, ownOfficer], { unitId: 'xa-binh-minh' }],
      ['POST', (id) => `/api/admin/accounts/${id}/disable`, [otherOfficer, nobody], { reason: 'x' }],
      ['POST', (id) => `/api/admin/accounts/${id}/enable`, [otherOfficer, nobody], { reason: 'x' }],
      ['POST', (id) => `/api/admin/accounts/${id}/reset-password`, [otherOfficer, nobody]],
      [
        'POST',
        () => '/api/admin/units',
        ['', ''],
        { id: 'xa-chiem', parentId: 'xa-binh-minh', name: 'x', level: 'office' },
      ],
      [
        'POST',
        () => '/api/admin/accounts',
        ['', ''],
        { username: 'chiem', fullName: 'x', kind: 'officer', unitId: 'xa-binh-minh', groups: [] },
      ],
    ]
    for (const [method, url, [theirs, missing], body] of pairs) {
      const send = (id: string) =>
        w.app.inject({
          method,
          url: url(id),
          headers: { authorization },
          ...(body !== undefined ? { payload: body as object } : {}),
        })
      const a = await send(theirs)
      const b = await send(missing)
      t.equal(a.statusCode, 404, `${method} ${url(theirs)}: ${a.body}`)
      t.same(
        { status: a.statusCode, code: a.json().code, detail: a.json().detail },
        { status: b.statusCode, code: b.json().code, detail: b.json().detail?.replace(missing, theirs) },
        `${method} ${url(theirs)} answers like ${url(missing)}`,
      )
    }
    const imported = await w.app.inject({
      method: 'POST',
      url: '/api/admin/accounts/import',
      headers: { authorization },
      payload: {
        format: 'csv',
        content: 'username,full_name,unit\nchiem-2,X,xa-binh-minh\nchiem-3,Y,X99.31\n',
        dryRun: false,
      },
    })
    t.equal(imported.statusCode, 422)
    t.same(
      imported.json().errors.map((e: { line: number; field: string }) => `${e.line}:${e.field}`),
      ['2:unit', '3:unit'],
      "another commune's unit, by id or agency code, is a bad row",
    )
    const groups = await w.app.inject({
      method: 'POST',
      url: '/api/admin/groups',
      headers: { authorization },
      payload: { code: 'nhom-xa', name: 'x' },
    })
    t.equal(groups.statusCode, 403, "groups are the province's to add")
    t.same(diff(before, await fingerprint(knex)), [], 'no table changed')
  },
)
