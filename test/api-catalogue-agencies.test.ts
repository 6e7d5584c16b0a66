// Specification of what the portal reads from the catalogue: the receiving agencies of a procedure (the units of its
// agency level) and the duration and fees of each search hit.
import t from 'tap'
import { seedProcedures } from '../src/catalogue/service.js'
import { buildTestApp } from './helpers/app.js'

const { app, db } = await buildTestApp(t)
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
