// Specification of what the portal reads from the catalogue: the receiving agencies of a procedure (the units of its
// agency level) and the duration and fees of each search hit; and what the modeler reads: the units a workflow step
// may be handled by (GET /api/catalogue/agencies, analysts only, never a district).
import t from 'tap'
import { seedProcedures } from '../src/catalogue/service.js'
import { buildTestApp } from './helpers/app.js'

const { app, db, loginAs } = await buildTestApp(t)
await seedProcedures(db.knex, app.engine)

t.test('a commune procedure is received by the communes, anyone may ask', async (t) => {
  const res = await app.inject({ url: '/api/procedures/dang-ky-khai-sinh/agencies' })
  t.equal(res.statusCode, 200)
  const { items } = res.json() as {
    items: Array<{ unitId: string; name: string; nameEn: string | null; agencyCode: string | null }>
  }
  t.same(items.map((u) => u.unitId).sort(), ['xa-an-binh', 'xa-binh-minh'])
  t.match(
    items.find((u) => u.unitId === 'xa-an-binh'),
    { name: 'UBND xã An Bình', nameEn: String, agencyCode: 'X99.30' },
  )
})

t.test('an unknown procedure answers the not-found problem', async (t) => {
  const res = await app.inject({ url: '/api/procedures/khong-co-thu-tuc-nay/agencies' })
  t.equal(res.statusCode, 404)
  t.equal(res.json().code, 'MC_ERR_PROCEDURE_NOT_FOUND')
})

t.test('a search hit carries the published duration and fees, for the catalogue list', async (t) => {
  const res = await app.inject({ url: '/api/procedures?q=khai%20sinh' })
  t.equal(res.statusCode, 200)
  // The linked group (khai sinh, thường trú, BHYT) matches too: take birth registration's own hit.
  const hit = (
    res.json() as {
      items: Array<{ slug: string; duration: string; fees: Array<{ name: string; amountVnd: number | null }> }>
    }
  ).items.find((i) => i.slug === 'dang-ky-khai-sinh')
  t.match(hit, { slug: 'dang-ky-khai-sinh', duration: 'SAME_DAY' })
  t.ok(
    hit!.fees.some((f) => f.amountVnd === 8000),
    'the copy fee of 8,000 VND',
  )
})

interface StepAgency {
  unitId: string
  agencyCode: string
  name: string
  nameEn: string | null
  level: string
}

t.test(
  'the modeler lists the units a step may be handled by, with their agency code and Vietnamese name',
  async (t) => {
    // A district unit from before 1 July 2025 stays in the table as history (the database refuses new ones, so it is
    // inserted the way the old data was: with the refusal switched off for this one row).
    await db.knex.transaction(async (trx) => {
      await trx.raw('ALTER TABLE units DISABLE TRIGGER units_no_new_district')
      await trx('units').insert({
        id: 'huyen-cu',
        parent_id: 'tinh-demo',
        name: 'UBND huyện Cũ',
        level: 'district',
        agency_code: 'X99.70',
        path: '/tinh-demo/huyen-cu/',
      })
      await trx.raw('ALTER TABLE units ENABLE TRIGGER units_no_new_district')
    })
    // A unit without an agency code cannot be named by one.
    await db.knex('units').insert({
      id: 'phong-khong-ma',
      parent_id: 'tinh-demo',
      name: 'Phòng không có mã',
      level: 'office',
      agency_code: null,
      path: '/tinh-demo/phong-khong-ma/',
    })
    const analyst = await loginAs('phantich')
    const res = await app.inject({ url: '/api/catalogue/agencies', headers: { authorization: analyst.authorization } })
    t.equal(res.statusCode, 200)
    const { items } = res.json() as { items: StepAgency[] }
    t.same(
      items.find((u) => u.agencyCode === 'X99.50'),
      {
        unitId: 'cong-an-tinh',
        agencyCode: 'X99.50',
        name: 'Công an tỉnh Demo',
        nameEn: 'Demo Provincial Police',
        level: 'vertical_agency',
      },
    )
    t.same(
      items.map((u) => u.agencyCode).sort(),
      ['X99', 'X99.01', 'X99.10', 'X99.30', 'X99.31', 'X99.50', 'X99.60'],
      'every demo unit with an agency code, the province, its centre, a department, the vertical agencies, the communes',
    )
    t.notOk(
      items.some((u) => u.level === 'district' || u.unitId === 'huyen-cu'),
      'never a district-level unit',
    )
    t.notOk(
      items.some((u) => u.unitId === 'phong-khong-ma'),
      'never a unit without an agency code',
    )
    t.same(
      items.map((u) => u.name),
      [...items.map((u) => u.name)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)),
      'by name',
    )
  },
)

t.test('only analysts read the step units: anonymous 401, other accounts 403', async (t) => {
  const anonymous = await app.inject({ url: '/api/catalogue/agencies' })
  t.equal(anonymous.statusCode, 401)
  for (const who of ['congdan', 'canbo', 'quantri']) {
    const { authorization } = await loginAs(who)
    const res = await app.inject({ url: '/api/catalogue/agencies', headers: { authorization } })
    t.equal(res.statusCode, 403, who)
    t.equal(res.headers['content-type'], 'application/problem+json; charset=utf-8', who)
  }
})
