// Results delivered by post, end to end through the HTTP API and the embedded engine:
// - the applicant who chooses post gives an address of the official list (province → commune) and the street; a
//   submission without one, or with a commune outside the chosen province, is refused (422) and leaves no dossier;
// - at the result step the counter cannot return the result before recording the parcel; it records the carrier,
//   the tracking number (an S10 number with a wrong check digit, a date in the future, another dossier's parcel are
//   refused) and the date; the timeline, the applicant's dossier and a mail carry the tracking number;
// - postage, where the procedure charges it, is a fee line of its own, asked only of dossiers delivered by post.
import { readFileSync } from 'node:fs'
import t, { type Test } from 'tap'
import { dossierContext } from '../src/api/dossiers/context.js'
import { CatalogueService, seedProcedures } from '../src/catalogue/service.js'
import { seedCalendar } from '../src/db/calendar-repository.js'
import { readOfficialList } from '../src/units/official-list.js'
import { unitsRepository } from '../src/units/repository.js'
import { buildTestApp } from './helpers/app.js'
import { apiClient } from './helpers/api.js'
import { birthForm, householdForm } from './helpers/dossiers.js'
import { eventually } from './helpers/eventually.js'
import { makePdf } from './helpers/files.js'

const built = await buildTestApp(t)
const { app, db } = built
const knex = db.knex
await seedCalendar(knex)
const seeded = await seedProcedures(knex, app.engine)
if (seeded.failed.length) throw new Error(JSON.stringify(seeded.failed))
// Hà Nội from the official list beside the demo province (99), as an installation has it.
const official = readOfficialList(
  JSON.parse(
    readFileSync(new URL('../reference-data/administrative-units/vn-2025-07-01.json', import.meta.url), 'utf8'),
  ) as object,
)
const hanoi = official.divisions.filter((d) => d.code === '01' || d.provinceCode === '01')
await unitsRepository(knex).upsertDivisions(hanoi, official.id, official.validFrom)
const hanoiCommune = hanoi.find((d) => d.provinceCode === '01')!
const api = apiClient(built)
const { call } = api

// The household-business fee as a province sets it, and postage the agency collects with it.
{
  const slug = 'dang-ky-thanh-lap-ho-kinh-doanh'
  const definition = JSON.parse(readFileSync(`forms/${slug}.json`, 'utf8'))
  definition.fees = [
    { ...definition.fees[0], amountVnd: 100000 },
    { name: 'Cước chuyển phát kết quả qua bưu chính', kind: 'phi', amountVnd: 30000, delivery: 'post' },
  ]
  const catalogue = new CatalogueService(knex, app.engine)
  const draft = await catalogue.createDraft({
    definition,
    bpmnXml: readFileSync(`workflows/${definition.workflow.file}`, 'utf8'),
  })
  if (!draft.ok) throw new Error(JSON.stringify(draft.problems))
  const published = await catalogue.publish(slug)
  if (!published.ok) throw new Error(JSON.stringify(published.problems))
}

const timeoutMs = 30_000
const address = { provinceCode: '01', communeCode: hanoiCommune.code, street: '  Số 5,  ngõ 12 phố Huế ' }
const detail = async (id: string, who = 'congdan') => (await call('GET', `/api/dossiers/${id}`, who)).json()
const status = (id: string, expected: number) =>
  eventually(`${id} at status ${expected}`, async () => (await detail(id)).status === expected, timeoutMs)
const countOf = async (table: string) => Number((await knex(table).count({ n: '*' }).first())!.n)

/** A draft filled in and its documents uploaded; the delivery as given. */
async function draftOf(slug: string, formData: object, uploads: string[], delivery: object): Promise<string> {
  const created = await call('POST', '/api/dossiers/drafts', 'congdan', { procedure: slug, agencyUnitId: 'xa-an-binh' })
  const draftId = created.json().id as string
  const saved = await call('PATCH', `/api/dossiers/drafts/${draftId}`, 'congdan', { formData, ...delivery })
  if (saved.statusCode !== 200) throw new Error(`draft: ${saved.body}`)
  for (const c of uploads)
    await api.upload('congdan', `/api/dossiers/drafts/${draftId}/attachments/${c}`, makePdf(), `${c}.pdf`)
  return draftId
}
const submit = (draftId: string, key: string) =>
  call('POST', `/api/dossiers/drafts/${draftId}/submit`, 'congdan', undefined, { 'idempotency-key': key })

/** The open task of a step, as its officer's worklist shows it; claimed. */
async function claimed(who: string, dossierId: string, elementId: string): Promise<string> {
  const task = await eventually(
    `${elementId} of ${dossierId}`,
    async () => {
      const list = await call('GET', '/api/tasks?limit=200', who)
      return (list.json().items as Array<{ taskKey: string; elementId: string; dossier: { id: string } }>).find(
        (i) => i.dossier.id === dossierId && i.elementId === elementId,
      )
    },
    timeoutMs,
  )
  const res = await call('POST', `/api/tasks/${task.taskKey}/claim`, who)
  if (res.statusCode !== 200) throw new Error(`claim ${elementId}: ${res.body}`)
  return task.taskKey
}
async function work(t: Test, who: string, dossierId: string, elementId: string, body: object) {
  const taskKey = await claimed(who, dossierId, elementId)
  const res = await call('POST', `/api/tasks/${taskKey}/complete`, who, body)
  t.equal(res.statusCode, 200, `${elementId} by ${who}: ${res.body}`)
}

t.test('a birth registration delivered by post shows its tracking number', async (t) => {
  const uploads = ['to-khai', 'giay-chung-sinh', 'giay-to-tuy-than']
  const draftId = await draftOf('dang-ky-khai-sinh', birthForm, uploads, { deliveryMethod: 'post' })
  const before = await countOf('dossiers')

  const none = await submit(draftId, 'delivery-post-1')
  t.equal(none.statusCode, 422, `no address: ${none.body}`)
  t.equal(none.json().code, 'MC_ERR_DELIVERY_ADDRESS')
  t.same(
    (none.json().errors as Array<{ field: string }>).map((e) => e.field),
    ['provinceCode', 'communeCode', 'street'],
    'each missing part is named',
  )
  t.match(none.json().errors[0].message, { vi: 'Chọn tỉnh/thành phố nhận kết quả' }, 'in Vietnamese and English')

  // A commune of the demo province under Hà Nội; then a code the list does not have.
  for (const [wrong, why] of [
    [{ ...address, communeCode: '99901' }, 'a commune outside the province'],
    [{ ...address, communeCode: '00000' }, 'a commune not in the list'],
    [{ ...address, provinceCode: '98' }, 'a province not in the list'],
  ] as const) {
    await call('PATCH', `/api/dossiers/drafts/${draftId}`, 'congdan', { deliveryAddress: wrong })
    const res = await submit(draftId, 'delivery-post-1')
    t.equal(res.statusCode, 422, `${why}: ${res.body}`)
    t.equal(res.json().code, 'MC_ERR_DELIVERY_ADDRESS')
  }
  t.equal(await countOf('dossiers'), before, 'no dossier was made')

  const saved = await call('PATCH', `/api/dossiers/drafts/${draftId}`, 'congdan', { deliveryAddress: address })
  t.same(saved.json().deliveryAddress, address, 'the draft keeps the address as typed')
  const submitted = await submit(draftId, 'delivery-post-1')
  t.equal(submitted.statusCode, 201, `submitted: ${submitted.body}`)
  const dossierId = submitted.json().dossierId as string
  t.same(
    (await detail(dossierId)).deliveryAddress,
    {
      provinceCode: '01',
      provinceName: 'Thành phố Hà Nội',
      communeCode: hanoiCommune.code,
      communeName: hanoiCommune.name,
      street: 'Số 5, ngõ 12 phố Huế',
    },
    'the dossier keeps the list’s names and the street tidied',
  )

  await work(t, 'motcua-xa', dossierId, 'Task_Receive', { decision: 'accept' })
  await work(t, 'tuphap-xa', dossierId, 'Task_Review', { decision: 'approve' })
  await work(t, 'lanhdao-xa', dossierId, 'Task_Sign', { decision: 'approve' })
  await status(dossierId, 9)
  const returnTask = await claimed('motcua-xa', dossierId, 'Task_Return')

  const early = await call('POST', `/api/tasks/${returnTask}/complete`, 'motcua-xa', { decision: 'returned' })
  t.equal(early.statusCode, 409, 'no return before the parcel is recorded')
  t.equal(early.json().code, 'MC_ERR_SHIPMENT_MISSING')
  t.equal((await detail(dossierId)).status, 9, 'still at the counter')

  const carriers = await call('GET', '/api/delivery/carriers', 'motcua-xa')
  t.same(
    carriers.json().items.map((c: { id: string; manual: boolean }) => [c.id, c.manual]),
    [['vnpost', true]],
    'the manual VNPost carrier',
  )
  const record = (body: object, who = 'motcua-xa') => call('POST', `/api/tasks/${returnTask}/shipment`, who, body)
  const eventsBefore = await knex('dossier_events').where({ dossier_id: dossierId }).count({ n: '*' }).first()
  const mistyped = await record({ carrier: 'vnpost', trackingNumber: 'EB123456784VN' })
  t.equal(mistyped.statusCode, 422, 'an S10 number with a wrong check digit')
  t.equal(mistyped.json().code, 'MC_ERR_TRACKING_NUMBER')
  const future = await record({ carrier: 'vnpost', trackingNumber: 'EB123456785VN', shippedOn: '2099-01-01' })
  t.equal(future.json().code, 'MC_ERR_SHIPMENT_DATE', 'a date to come')
  const unknown = await record({ carrier: 'dhl', trackingNumber: 'EB123456785VN' })
  t.equal(unknown.json().code, 'MC_ERR_CARRIER_UNKNOWN', 'a carrier not offered')
  const notMine = await record({ carrier: 'vnpost', trackingNumber: 'EB123456785VN' }, 'tuphap-xa')
  t.equal(notMine.statusCode, 404, 'not the registrar’s task')
  t.same(
    await knex('dossier_events').where({ dossier_id: dossierId }).count({ n: '*' }).first(),
    eventsBefore,
    'nothing recorded by the refusals',
  )

  const sent = await record({ carrier: 'vnpost', trackingNumber: 'eb 123456785 vn' })
  t.equal(sent.statusCode, 201, `recorded: ${sent.body}`)
  t.match(sent.json(), {
    carrier: { id: 'vnpost', name: 'Bưu điện Việt Nam (VNPost)' },
    trackingNumber: 'EB123456785VN',
    shippedOn: /^\d{4}-\d{2}-\d{2}$/,
  })
  const again = await record({ carrier: 'vnpost', trackingNumber: 'EB123456785VN' })
  t.equal(again.statusCode, 200, 'the same parcel again answers the one recorded')
  t.equal(again.json().id, sent.json().id)
  t.equal(await countOf('dossier_shipments'), 1, 'one parcel')

  // Another dossier's parcel: the number is one parcel's only.
  const other = await knex('dossiers').whereNot({ id: dossierId }).first('id')
  if (other) {
    const officer = await knex('users').where({ username: 'motcua-xa' }).first('id')
    await knex('dossier_shipments').insert({
      dossier_id: other.id,
      carrier: 'vnpost',
      carrier_name: 'Bưu điện Việt Nam (VNPost)',
      tracking_number: 'RR473124829VN',
      shipped_on: '2026-01-05',
      recorded_by: officer.id,
    })
    const taken = await record({ carrier: 'vnpost', trackingNumber: 'RR473124829VN' })
    t.equal(taken.statusCode, 409, 'another dossier’s tracking number')
    t.equal(taken.json().code, 'MC_ERR_SHIPMENT_DUPLICATE')
  }

  const shipped = await detail(dossierId)
  t.match(shipped.shipments, [{ trackingNumber: 'EB123456785VN', carrier: { name: 'Bưu điện Việt Nam (VNPost)' } }])
  t.match(
    shipped.timeline.find((e: { kind: string }) => e.kind === 'result_shipped'),
    { data: { carrier: 'vnpost', trackingNumber: 'EB123456785VN' } },
    'the timeline shows the parcel',
  )
  const mail = await knex('outbox_messages').whereRaw(`payload->>'template' = 'result-shipped'`).first('payload')
  t.match(JSON.stringify(mail?.payload), 'EB123456785VN', 'the applicant is mailed the tracking number')

  const done = await call('POST', `/api/tasks/${returnTask}/complete`, 'motcua-xa', { decision: 'returned' })
  t.equal(done.statusCode, 200, `returned: ${done.body}`)
  await status(dossierId, 10)
  const closed = await detail(dossierId)
  t.match(
    closed.timeline.find((e: { kind: string; stepId: string }) => e.kind === 'decision' && e.stepId === 'Task_Return'),
    { data: { decision: 'returned', trackingNumbers: ['EB123456785VN'] } },
  )
  t.equal(closed.shipments[0].trackingNumber, 'EB123456785VN', 'the applicant’s dossier keeps the tracking number')
  const late = await record({ carrier: 'vnpost', trackingNumber: 'EE123456785VN' })
  t.equal(late.statusCode, 404, 'no parcel after the result step is closed')
})

t.test('a counter-delivered dossier takes no parcel and no address', async (t) => {
  const draftId = await draftOf('dang-ky-khai-sinh', birthForm, ['to-khai', 'giay-chung-sinh', 'giay-to-tuy-than'], {
    deliveryMethod: 'counter',
    deliveryAddress: { provinceCode: '01' },
  })
  const submitted = await submit(draftId, 'delivery-counter-1')
  t.equal(submitted.statusCode, 201, 'a partial address is no matter when the result is collected')
  const dossierId = submitted.json().dossierId as string
  t.equal((await detail(dossierId)).deliveryAddress, null, 'and it is not kept')
  const receive = await claimed('motcua-xa', dossierId, 'Task_Receive')
  const res = await call('POST', `/api/tasks/${receive}/shipment`, 'motcua-xa', {
    carrier: 'vnpost',
    trackingNumber: 'EE123456785VN',
  })
  t.equal(res.statusCode, 409)
  t.equal(res.json().code, 'MC_ERR_SHIPMENT_NOT_POST')
})

t.test('postage is a fee line of its own, asked only of a dossier delivered by post', async (t) => {
  const uploads = ['giay-de-nghi', 'giay-to-tuy-than']
  const slug = 'dang-ky-thanh-lap-ho-kinh-doanh'
  const posted = await submit(
    await draftOf(slug, householdForm, uploads, { deliveryMethod: 'post', deliveryAddress: address }),
    'delivery-fee-post',
  )
  const collected = await submit(
    await draftOf(slug, householdForm, uploads, { deliveryMethod: 'counter' }),
    'delivery-fee-counter',
  )
  const lines = async (dossierId: string) => {
    await work(t, 'motcua-xa', dossierId, 'Task_Receive', { decision: 'accept' })
    await status(dossierId, 6)
    const asked = (await detail(dossierId)).timeline.find((e: { kind: string }) => e.kind === 'payment_requested')
    return asked.data as { amountVnd: number; lines: Array<{ name: string; amountVnd: number }> }
  }
  const post = await lines(posted.json().dossierId)
  // The fee comes from the procedure's fee table (online: 50,000 đ, docs/payments.md); postage stays a line of its own.
  t.same(
    post.lines.map((l) => [l.name, l.amountVnd]),
    [
      ['Lệ phí đăng ký hộ kinh doanh (nộp trực tuyến)', 50000],
      ['Cước chuyển phát kết quả qua bưu chính', 30000],
    ],
  )
  t.equal(post.amountVnd, 80000, 'the fee and the postage')
  const counter = await lines(collected.json().dossierId)
  t.equal(counter.amountVnd, 50000, 'no postage for a result collected at the counter')
  t.equal(counter.lines.length, 1)

  // Paid (sandbox), the fee receipt lists the postage line.
  const dossierId = posted.json().dossierId as string
  const started = await call('POST', `/api/dossiers/${dossierId}/payments`, 'congdan', {})
  t.equal(started.json().amountVnd, 80000)
  const reference = started.json().reference as string
  const paid = await call('POST', '/api/payments/sandbox/callback', undefined, {
    reference,
    status: 'paid',
    signature: dossierContext(app).sandbox.sign(reference, 'paid'),
  })
  t.equal(paid.statusCode, 200, `paid: ${paid.body}`)
  const receipt = await eventually(
    'the fee receipt',
    async () => {
      const res = await call('GET', `/api/dossiers/${dossierId}/print/fee-receipt`, 'congdan')
      return res.statusCode === 200 ? res.body : undefined
    },
    timeoutMs,
  )
  t.match(receipt, 'Cước chuyển phát kết quả qua bưu chính')
})
