// Specification: the postal delivery routes refuse what is not theirs and change nothing. Recording a parcel refuses
// another officer, a dossier not delivered by post, a mistyped S10 number, control characters, a date that does not
// exist or is still to come, and an unknown carrier; a counter intake by post with
// an address outside the official list is refused. Each answers a problem and leaves every table as it was.
import fc from 'fast-check'
import t from 'tap'
import { assertAllRefused, type HostileRequest } from './support.js'
import { attackArea, hostileWorld } from './world.js'
import { birthForm } from '../helpers/dossiers.js'

const w = await hostileWorld(t)
const knex = w.db.knex

await attackArea(t, w, 'delivery')

const route = (key: string) => w.routes.find((r) => r.key === key)!
const json = (who: Record<string, string>) => ({ ...who, 'content-type': 'application/json' })

t.test('recording a parcel: hostile and wrong parcels are refused and change nothing', async (t) => {
  const officer = await w.api.as('motcua-xa')
  const shipment = (why: string, body: unknown, who = officer, taskKey = w.taskKey): HostileRequest => ({
    why,
    method: 'POST',
    url: `/api/tasks/${taskKey}/shipment`,
    headers: json(who),
    payload: JSON.stringify(body),
  })
  const shipments = route('POST /api/tasks/:taskKey/shipment')
  const parcel = { carrier: 'vnpost', trackingNumber: 'EB123456785VN' }
  // While the world's dossier is collected at the counter, no parcel at all.
  await assertAllRefused(
    t,
    w.app,
    knex,
    shipments,
    fc.constantFrom(shipment('a dossier collected at the counter', parcel)),
    { numRuns: 1 },
  )

  // The world's dossier as if delivered by post with its result issued.
  const demo = { provinceCode: '99', provinceName: 'Tỉnh Demo', communeCode: '99901', communeName: 'Xã An Bình' }
  await knex('dossiers')
    .where({ id: w.dossierId })
    .update({
      delivery_method: 'post',
      delivery_address: JSON.stringify({ ...demo, street: 'Số 1' }),
      status: 9,
      result_issued_at: knex.fn.now(),
    })
  const cases: HostileRequest[] = [
    shipment('another agency’s officer', parcel, await w.api.as('canbo')),
    shipment('an officer of another step', parcel, await w.api.as('tuphap-xa')),
    shipment('no such task', parcel, officer, '999999999'),
    shipment('a wrong S10 check digit', { ...parcel, trackingNumber: 'EB123456784VN' }),
    shipment('a control character', { ...parcel, trackingNumber: 'EB12345\u00006785VN' }),
    shipment('a newline', { ...parcel, trackingNumber: 'EB123456785VN\nX' }),
    shipment('letters that only look Latin', { ...parcel, trackingNumber: 'ЕВ123456785VN' }),
    shipment('SQL in the number', { ...parcel, trackingNumber: "1' OR '1'='1" }),
    shipment('too long', { ...parcel, trackingNumber: '9'.repeat(61) }),
    shipment('a date that does not exist', { ...parcel, shippedOn: '2026-02-30' }),
    shipment('a date to come', { ...parcel, shippedOn: '2099-12-31' }),
    shipment('a date before the result', { ...parcel, shippedOn: '2001-01-01' }),
    shipment('an unknown carrier', { ...parcel, carrier: 'dhl' }),
    shipment('a carrier id with a path', { ...parcel, carrier: '../vnpost' }),
    shipment('no tracking number', { carrier: 'vnpost' }),
    shipment('an extra field', { ...parcel, dossierId: w.dossierId }),
  ]
  await assertAllRefused(t, w.app, knex, shipments, fc.constantFrom(...cases), { numRuns: cases.length * 3 })
})

t.test('a counter intake by post refuses an address outside the official list', async (t) => {
  const officer = await w.api.as('motcua-xa')
  const intake = route('POST /api/counter/dossiers')
  const body = (deliveryAddress: unknown) =>
    JSON.stringify({
      procedure: 'dang-ky-khai-sinh',
      agencyUnitId: 'xa-an-binh',
      formData: birthForm,
      deliveryMethod: 'post',
      applicant: { name: 'Lê Thị Cúc' },
      ...(deliveryAddress === undefined ? {} : { deliveryAddress }),
    })
  const request = (why: string, address: unknown, n: number): HostileRequest => ({
    why,
    method: 'POST',
    url: '/api/counter/dossiers',
    headers: { ...json(officer), 'idempotency-key': `hostile-delivery-${n}` },
    payload: body(address),
  })
  const cases = [
    request('no address', undefined, 1),
    request('a commune of no province', { provinceCode: '99', communeCode: '00000', street: 'Số 1' }, 2),
    request('a province not in the list', { provinceCode: '98', communeCode: '99901', street: 'Số 1' }, 3),
    request('no street', { provinceCode: '99', communeCode: '99901', street: '   ' }, 4),
    request('a street too long', { provinceCode: '99', communeCode: '99901', street: 'x'.repeat(201) }, 5),
    request('names instead of codes', { tinh: 'Tỉnh Demo', xa: 'Xã An Bình' }, 6),
    request('a phone that is not one', { provinceCode: '99', communeCode: '99901', street: 'Số 1', phone: 'abc' }, 7),
  ]
  await assertAllRefused(t, w.app, knex, intake, fc.constantFrom(...cases), { numRuns: cases.length * 2 })
})
