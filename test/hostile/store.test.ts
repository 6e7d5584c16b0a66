// Hostile: the document store ("kho dữ liệu") gives a document only to its owner, or to an officer of the owner's unit
// holding their card at the counter. Another applicant cannot take the citizen's signed trích lục or accepted
// components, not by their ids, not by guessing ids, not through a draft altered behind the API, not through a counter
// of another unit or with another ID number; what was never accepted is not in any store; every refusal is a problem
// and leaves the database as it was (the malformed-input fuzzing of these routes: test/hostile/dossiers.test.ts).
import { randomUUID } from 'node:crypto'
import t, { type Test } from 'tap'
import { seedProcedures } from '../../src/catalogue/service.js'
import { seedCalendar } from '../../src/db/calendar-repository.js'
import { apiClient } from '../helpers/api.js'
import { buildTestApp } from '../helpers/app.js'
import { birthForm } from '../helpers/dossiers.js'
import { makePdf } from '../helpers/files.js'
import { issuedBirthResult } from '../helpers/issued-result.js'
import { testSigning } from '../helpers/signing.js'
import { diff, fingerprint, problemShape, settled } from './support.js'

const signing = testSigning({ 'lanhdao-xa': 'Đặng Văn Long' }, { 'X99.30': 'UBND xã An Bình' })
const built = await buildTestApp(t, { ...signing.env, RATE_LIMIT_ALLOW: '127.0.0.1' })
const knex = built.db.knex
await seedCalendar(knex)
const report = await seedProcedures(knex, built.app.engine)
if (report.failed.length) throw new Error(JSON.stringify(report.failed))
const api = apiClient(built)

const birth = await issuedBirthResult(api, knex, 'hostile-store-1')
const components = (
  (await knex('dossier_attachments').where({ dossier_id: birth.dossierId }).orderBy('id').pluck('id')) as number[]
).map(String)

const newDraft = async (who: string, procedure = 'cap-ban-sao-trich-luc-ho-tich') => {
  const created = await api.call('POST', '/api/dossiers/drafts', who, { procedure, agencyUnitId: 'xa-an-binh' })
  if (created.statusCode !== 201) throw new Error(created.body)
  return created.json().id as string
}
// A dossier of the citizen submitted but never accepted: its components are nobody's store.
const pending = await newDraft('congdan', 'dang-ky-khai-sinh')
await api.call('PATCH', `/api/dossiers/drafts/${pending}`, 'congdan', { formData: birthForm, deliveryMethod: 'online' })
for (const c of ['to-khai', 'giay-chung-sinh', 'giay-to-tuy-than'])
  await api.upload('congdan', `/api/dossiers/drafts/${pending}/attachments/${c}`, makePdf(), `${c}.pdf`)
const pendingSubmit = await api.call('POST', `/api/dossiers/drafts/${pending}/submit`, 'congdan', undefined, {
  'idempotency-key': 'hostile-store-pending',
})
const pendingId = pendingSubmit.json().dossierId as string
const pendingComponent = String((await knex('dossier_attachments').where({ dossier_id: pendingId }).first('id')).id)

const theirDraft = await newDraft('doanhnghiep')
const myDraft = await newDraft('congdan')

/** Sends the request; it must be refused with `status` and `code`, audited or not, and change nothing else. */
async function refused(
  t: Test,
  send: () => Promise<{ statusCode: number; body: string; json(): { code: string } }>,
  status: number,
  code: string,
) {
  const before = await settled(knex)
  const res = await send()
  t.equal(res.statusCode, status, res.body)
  t.equal(res.json().code, code)
  t.notOk(problemShape(res as never), 'a well-formed problem')
  t.same(diff(before, await fingerprint(knex)), [], 'the database is as it was')
}

const put = (who: string, draftId: string, componentId: string, body: unknown) =>
  api.call('POST', `/api/dossiers/drafts/${draftId}/attachments/${componentId}/store`, who, body)

t.test("another applicant cannot take the citizen's documents by their ids", async (t) => {
  const audits = async () =>
    Number((await knex('audit_events').where({ action: 'access.denied' }).count('* as n').first())!.n)
  const denied = await audits()
  await refused(
    t,
    () => put('doanhnghiep', theirDraft, 'trich-luc-da-cap', { kind: 'result', id: birth.resultId }),
    422,
    'MC_ERR_ATTACHMENT_INVALID',
  )
  for (const id of components)
    await refused(
      t,
      () => put('doanhnghiep', theirDraft, 'giay-to-tuy-than', { kind: 'component', id }),
      422,
      'MC_ERR_ATTACHMENT_INVALID',
    )
  t.equal(await audits(), denied + 1 + components.length, 'each attempt on an existing document is audited')
  const store = (await api.call('GET', '/api/dossiers/store', 'doanhnghiep')).json().items
  t.same(store, [], 'nothing of the citizen in their store')
})

t.test('guessing: unknown, mismatched and extreme ids answer like someone else’s, never fail', async (t) => {
  for (const body of [
    { kind: 'result', id: randomUUID() },
    { kind: 'result', id: '1' },
    { kind: 'component', id: birth.resultId },
    { kind: 'component', id: '0' },
    { kind: 'component', id: '999999999999999999' },
    { kind: 'component', id: '9'.repeat(30) },
    { kind: 'component', id: '-1' },
    { kind: 'result', id: '00000000-0000-0000-0000-00000000000g'.replace('g', '0') },
  ])
    await refused(t, () => put('doanhnghiep', theirDraft, 'trich-luc-da-cap', body), 422, 'MC_ERR_ATTACHMENT_INVALID')
  // Sweeping the small attachment ids finds nothing either.
  for (let id = 1; id <= 30; id++) {
    const res = await put('doanhnghiep', theirDraft, 'giay-to-tuy-than', { kind: 'component', id: String(id) })
    t.equal(res.statusCode, 422, `component ${id}`)
  }
  t.same((await api.call('GET', `/api/dossiers/drafts/${theirDraft}`, 'doanhnghiep')).json().attachments, [])
})

t.test('malformed picks are refused by the schema', async (t) => {
  for (const body of [
    {},
    { kind: 'result' },
    { kind: 'file', id: birth.resultId },
    { kind: 'result', id: birth.resultId, fileId: randomUUID() },
    { kind: 'result', id: "1' OR '1'='1" },
    { kind: 'result', id: 'a'.repeat(37) },
  ])
    await refused(t, () => put('congdan', myDraft, 'trich-luc-da-cap', body), 400, 'MC_ERR_VALIDATION')
})

t.test('the owner: only into reusable components, only what was accepted or issued', async (t) => {
  await refused(
    t,
    () => put('congdan', myDraft, 'to-khai', { kind: 'result', id: birth.resultId }),
    422,
    'MC_ERR_ATTACHMENT_INVALID',
  )
  await refused(
    t,
    () => put('congdan', myDraft, 'giay-to-tuy-than', { kind: 'component', id: pendingComponent }),
    422,
    'MC_ERR_ATTACHMENT_INVALID',
  )
  await refused(
    t,
    () => put('congdan', theirDraft, 'trich-luc-da-cap', { kind: 'result', id: birth.resultId }),
    404,
    'MC_ERR_DRAFT_NOT_FOUND',
  )
  const mine = (await api.call('GET', '/api/dossiers/store', 'congdan')).json().items as { id: string }[]
  t.notOk(
    mine.some((i) => i.id === pendingComponent),
    'a dossier not yet accepted gives nothing to the store',
  )
  const ok = await put('congdan', myDraft, 'trich-luc-da-cap', { kind: 'result', id: birth.resultId })
  t.equal(ok.statusCode, 200, 'the owner may')
})

t.test('a draft altered behind the API is checked again at submission', async (t) => {
  await api.call('PATCH', `/api/dossiers/drafts/${theirDraft}`, 'doanhnghiep', {
    formData: {
      nguoiYeuCau: {
        hoTen: 'Lê Văn Cường',
        soDinhDanh: '001080000002',
        soDienThoai: '0912345678',
        noiCuTru: { tinh: 'Tỉnh Demo', xa: 'Xã An Bình' },
      },
      loaiTrichLuc: 'khai-sinh',
      nguoiDuocCap: { hoTen: 'Lê Văn Cường', ngaySinh: '1980-02-01' },
      soBanSao: 1,
    },
    deliveryMethod: 'online',
  })
  for (const c of ['to-khai', 'giay-to-tuy-than'])
    await api.upload('doanhnghiep', `/api/dossiers/drafts/${theirDraft}/attachments/${c}`, makePdf(), `${c}.pdf`)
  const draft = await knex('dossier_drafts').where({ id: theirDraft }).first('attachments')
  await knex('dossier_drafts')
    .where({ id: theirDraft })
    .update({
      attachments: JSON.stringify([
        ...draft.attachments,
        { componentId: 'trich-luc-da-cap', reuseFromStore: { kind: 'result', id: birth.resultId } },
      ]),
    })
  const dossiers = Number((await knex('dossiers').count('* as n').first())!.n)
  const res = await api.call('POST', `/api/dossiers/drafts/${theirDraft}/submit`, 'doanhnghiep', undefined, {
    'idempotency-key': 'hostile-store-tampered',
  })
  t.equal(res.statusCode, 422, res.body)
  t.equal(res.json().code, 'MC_ERR_ATTACHMENT_INVALID')
  t.equal(Number((await knex('dossiers').count('* as n').first())!.n), dossiers, 'no dossier was created')
})

t.test('the counter: only the unit of the dossier, only for the ID number on the card', async (t) => {
  const elsewhere = await api.call('GET', '/api/counter/store?idNumber=001090000001', 'motcua-bm')
  t.equal(elsewhere.statusCode, 200)
  t.same(elsewhere.json().items, [], 'another commune sees nothing of it')
  const other = await api.call('GET', '/api/counter/store?idNumber=001080000009', 'motcua-xa')
  t.same(other.json().items, [], 'another ID number: nothing')
  t.equal((await api.call('GET', '/api/counter/store?idNumber=001090000001', 'congdan')).statusCode, 403)
  t.equal((await api.call('GET', '/api/counter/store', 'motcua-xa')).statusCode, 400, 'the card’s number is required')

  const scan = (who: string) =>
    api.upload(
      who,
      '/api/counter/procedures/cap-ban-sao-trich-luc-ho-tich/attachments/to-khai',
      makePdf(),
      'to-khai.pdf',
    )
  const intake = async (who: string, unit: string, idNumber: string | undefined, key: string) => {
    const fileId = (await scan(who)).json().fileId as string
    return () =>
      api.call(
        'POST',
        '/api/counter/dossiers',
        who,
        {
          procedure: 'cap-ban-sao-trich-luc-ho-tich',
          agencyUnitId: unit,
          formData: {
            nguoiYeuCau: {
              hoTen: 'Trần Thị Bình',
              soDinhDanh: '001190012345',
              soDienThoai: '0912345678',
              noiCuTru: { tinh: 'Tỉnh Demo', xa: 'Xã An Bình' },
            },
            loaiTrichLuc: 'khai-sinh',
            nguoiDuocCap: { hoTen: 'Nguyễn Văn Bé', ngaySinh: '2026-01-15' },
            soBanSao: 1,
          },
          deliveryMethod: 'counter',
          applicant: { name: 'Trần Thị Bình', ...(idNumber ? { idNumber } : {}) },
          attachments: [
            { componentId: 'to-khai', fileId },
            { componentId: 'trich-luc-da-cap', reuseFromStore: { kind: 'result', id: birth.resultId } },
          ],
        },
        { 'idempotency-key': key },
      )
  }
  await refused(
    t,
    await intake('motcua-bm', 'xa-binh-minh', '001090000001', 'hostile-store-c1'),
    422,
    'MC_ERR_ATTACHMENT_INVALID',
  )
  await refused(
    t,
    await intake('motcua-xa', 'xa-an-binh', '001080000009', 'hostile-store-c2'),
    422,
    'MC_ERR_ATTACHMENT_INVALID',
  )
  await refused(
    t,
    await intake('motcua-xa', 'xa-an-binh', undefined, 'hostile-store-c3'),
    422,
    'MC_ERR_ATTACHMENT_INVALID',
  )
})
