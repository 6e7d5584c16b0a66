// Specification: the applicant's document store ("kho dữ liệu") end to end through the HTTP API. An online birth
// registration ends with its signed trích lục; the citizen's store then lists that result and the components the
// commune accepted; a later dossier (a copy of a civil-status extract) takes the trích lục and the identity paper from
// the store instead of uploading them, is submitted and received; each reused attachment links the same stored file
// (no copy) and names its source; at the counter an officer who checked the applicant's card attaches the trích lục
// for them. Decision 766's 4.1 (electronic results) and 4.3 (reuse) count these dossiers. Who may not reuse what:
// test/hostile/store.test.ts.
import { createHash } from 'node:crypto'
import t from 'tap'
import { seedProcedures } from '../src/catalogue/service.js'
import { seedCalendar } from '../src/db/calendar-repository.js'
import { Status } from '../src/domain/dossier/status.js'
import { apiClient } from './helpers/api.js'
import { buildTestApp } from './helpers/app.js'
import { eventually } from './helpers/eventually.js'
import { makePdf } from './helpers/files.js'
import { issuedBirthResult, openTask, work } from './helpers/issued-result.js'
import { testSigning } from './helpers/signing.js'

const signing = testSigning({ 'lanhdao-xa': 'Đặng Văn Long' }, { 'X99.30': 'UBND xã An Bình' })
const built = await buildTestApp(t, signing.env)
const { app, db } = built
const knex = db.knex
await seedCalendar(knex)
const report = await seedProcedures(knex, app.engine)
if (report.failed.length) throw new Error(JSON.stringify(report.failed))
const api = apiClient(built)

const birth = await issuedBirthResult(api, knex, 'reuse-birth-1')
const extractForm = {
  nguoiYeuCau: {
    hoTen: 'Trần Thị Bình',
    soDinhDanh: '001190012345',
    soDienThoai: '0912345678',
    noiCuTru: { tinh: 'Tỉnh Demo', xa: 'Xã An Bình' },
  },
  loaiTrichLuc: 'khai-sinh',
  nguoiDuocCap: { hoTen: 'Nguyễn Văn Bé', ngaySinh: '2026-01-15' },
  soBanSao: 1,
}

interface Item {
  kind: 'result' | 'component'
  id: string
  title: string
  resultNo: string | null
  dossierId: string
  dossierCode: string
  fileName: string
  mime: string
  sha256: string
}
let store: Item[] = []
const resultItem = () => store.find((i) => i.kind === 'result')!
const identityItem = () => store.find((i) => i.kind === 'component' && i.title.startsWith('Hộ chiếu, thẻ căn cước'))!
let laterId: string

/**
 * Received: the reception gave the dossier its code. Status 2 (received) lasts only until the hand-off to the first
 * processing step makes it 4, which may come before a poll sees it, so either counts.
 */
const received = (id: string) =>
  knex('dossiers')
    .where({ id })
    .whereIn('status', [Status.received, Status.processing])
    .whereNotNull('code')
    .first('id')
t.test("the citizen's store: the signed trích lục and the components the commune accepted", async (t) => {
  const res = await api.call('GET', '/api/dossiers/store', 'congdan')
  t.equal(res.statusCode, 200, res.body)
  store = res.json().items
  const result = await knex('dossier_results as r')
    .join('files as f', 'f.id', 'r.file_id')
    .where('r.id', birth.resultId)
    .first('r.sha256', 'f.mime')
  t.match(resultItem(), {
    id: birth.resultId,
    title: 'Trích lục khai sinh',
    resultNo: `${birth.code}/KQ`,
    dossierId: birth.dossierId,
    dossierCode: birth.code,
    mime: 'application/pdf',
    sha256: result.sha256,
  })
  t.same(
    store
      .filter((i) => i.kind === 'component')
      .map((i) => i.fileName)
      .sort(),
    ['giay-chung-sinh.pdf', 'giay-to-tuy-than.pdf', 'to-khai.pdf'],
    'the three components of the accepted dossier',
  )
  t.ok(identityItem(), 'each component named as the procedure names it')
  t.same((await api.call('GET', '/api/dossiers/store', 'doanhnghiep')).json().items, [], "not in another's store")
})

t.test(
  'a later dossier takes the trích lục and the identity paper from the store; submitted and received',
  async (t) => {
    const files = Number((await knex('files').count('* as n').first())!.n)
    const created = await api.call('POST', '/api/dossiers/drafts', 'congdan', {
      procedure: 'cap-ban-sao-trich-luc-ho-tich',
      agencyUnitId: 'xa-an-binh',
    })
    const draftId = created.json().id as string
    await api.call('PATCH', `/api/dossiers/drafts/${draftId}`, 'congdan', {
      formData: extractForm,
      deliveryMethod: 'online',
    })
    const upload = await api.upload(
      'congdan',
      `/api/dossiers/drafts/${draftId}/attachments/to-khai`,
      makePdf(),
      'to-khai-ban-sao.pdf',
    )
    t.equal(upload.statusCode, 201, upload.body)
    const picked = await api.call(
      'POST',
      `/api/dossiers/drafts/${draftId}/attachments/trich-luc-da-cap/store`,
      'congdan',
      { kind: 'result', id: birth.resultId },
    )
    t.equal(picked.statusCode, 200, picked.body)
    const identity = await api.call(
      'POST',
      `/api/dossiers/drafts/${draftId}/attachments/giay-to-tuy-than/store`,
      'congdan',
      { kind: 'component', id: identityItem().id },
    )
    t.equal(identity.statusCode, 200, identity.body)
    t.match(identity.json().attachments, [
      { componentId: 'to-khai' },
      { componentId: 'trich-luc-da-cap', reuseFromStore: { kind: 'result', id: birth.resultId } },
      { componentId: 'giay-to-tuy-than', reuseFromStore: { kind: 'component', id: identityItem().id } },
    ])
    const submitted = await api.call('POST', `/api/dossiers/drafts/${draftId}/submit`, 'congdan', undefined, {
      'idempotency-key': 'reuse-later-1',
    })
    t.equal(submitted.statusCode, 201, submitted.body)
    laterId = submitted.json().dossierId
    await work(api, 'motcua-xa', await openTask(knex, laterId, 'Task_Receive'), { decision: 'accept' })
    await eventually('received, with its code', () => received(laterId))

    const rows = await knex('dossier_attachments as a')
      .leftJoin('dossier_results as r', 'r.id', 'a.reused_from_result_id')
      .where('a.dossier_id', laterId)
      .orderBy('a.id')
      .select('a.*', 'r.file_id as result_file_id')
    t.match(rows, [
      { component_id: 'to-khai', digitisation: 'submitted_online', reused_from_dossier_id: null },
      {
        component_id: 'trich-luc-da-cap',
        digitisation: 'reused',
        reused_from_dossier_id: birth.dossierId,
        reused_from_dossier_code: birth.code,
        reused_from_result_id: birth.resultId,
        reused_from_attachment_id: null,
      },
      {
        component_id: 'giay-to-tuy-than',
        digitisation: 'reused',
        reused_from_dossier_id: birth.dossierId,
        reused_from_attachment_id: identityItem().id,
        reused_from_result_id: null,
      },
    ])
    t.equal(rows[1].file_id, rows[1].result_file_id, 'the signed result is linked, not copied')
    t.equal(Number((await knex('files').count('* as n').first())!.n), files + 1, 'only the new tờ khai was stored')

    const detail = await api.call('GET', `/api/dossiers/${laterId}`, 'congdan')
    t.match(detail.json().attachments[1], {
      componentId: 'trich-luc-da-cap',
      reusedFromDossierCode: birth.code,
      reusedFromResultId: birth.resultId,
    })
    // The officer at reception opens the reused trích lục: the very bytes that were signed.
    const download = await api.call('GET', `/api/dossiers/${laterId}/attachments/${rows[1].file_id}`, 'motcua-xa')
    t.equal(download.statusCode, 200)
    t.equal(createHash('sha256').update(download.rawPayload).digest('hex'), resultItem().sha256)
  },
)

t.test('at the counter, the officer who checked the card attaches the trích lục for the applicant', async (t) => {
  // The citizen's account only typed its CCCD at sign-up: its online dossiers are not that person's by number yet.
  const unproved = await api.call('GET', '/api/counter/store?idNumber=001090000001', 'motcua-xa')
  t.equal(unproved.statusCode, 200, unproved.body)
  t.same(unproved.json().items, [], "a self-declared number does not put the account's documents in the card's store")
  // The officer checks the card against the account at the counter: now the number is established.
  const verified = await api.call('POST', '/api/auth/identity/counter-verifications', 'motcua-xa', {
    username: 'congdan',
    idNumber: '001090000001',
  })
  t.equal(verified.statusCode, 200, verified.body)
  const looked = await api.call('GET', '/api/counter/store?idNumber=001090000001', 'motcua-xa')
  t.equal(looked.statusCode, 200, looked.body)
  const items = looked.json().items as Item[]
  t.ok(
    items.some((i) => i.kind === 'result' && i.id === birth.resultId),
    "the applicant's result, in the officer's unit",
  )
  t.ok(
    await knex('audit_events').where({ action: 'store.counter_lookup', subject_id: '001090000001' }).first(),
    'the look-up is audited',
  )
  const scan = await api.upload(
    'motcua-xa',
    '/api/counter/procedures/cap-ban-sao-trich-luc-ho-tich/attachments/to-khai',
    makePdf(),
    'to-khai-quet.pdf',
  )
  t.equal(scan.statusCode, 201, scan.body)
  const intake = await api.call(
    'POST',
    '/api/counter/dossiers',
    'motcua-xa',
    {
      procedure: 'cap-ban-sao-trich-luc-ho-tich',
      agencyUnitId: 'xa-an-binh',
      formData: extractForm,
      deliveryMethod: 'counter',
      applicant: { name: 'Trần Thị Bình', idNumber: '001090000001' },
      attachments: [
        { componentId: 'to-khai', fileId: scan.json().fileId },
        { componentId: 'trich-luc-da-cap', reuseFromStore: { kind: 'result', id: birth.resultId } },
      ],
    },
    { 'idempotency-key': 'reuse-counter-1' },
  )
  t.equal(intake.statusCode, 201, intake.body)
  const counterId = intake.json().dossierId as string
  t.match(await knex('dossier_attachments').where({ dossier_id: counterId }).orderBy('id').select('*'), [
    { component_id: 'to-khai', digitisation: 'scanned_at_counter' },
    { component_id: 'trich-luc-da-cap', digitisation: 'reused', reused_from_result_id: birth.resultId },
  ])
  await work(api, 'motcua-xa', await openTask(knex, counterId, 'Task_Receive'), { decision: 'accept' })
  await eventually('received, with its code', () => received(counterId))
})

t.test('Decision 766: 4.1 electronic results and 4.3 reuse count these dossiers', async (t) => {
  const month = new Date(Date.now() + 7 * 3600_000).toISOString().slice(0, 7)
  const res = await api.call('GET', `/api/supervision/indicators?month=${month}`, 'lanhdao-xa')
  t.equal(res.statusCode, 200, res.body)
  const b = res.json()
  const ids = (refs: { id: string }[]) => refs.map((r) => r.id).sort()
  // Received this month at xã An Bình: the birth registration (B), the later online dossier (L) and the counter's (C).
  // Resolved with a result: B only, its procedure issues a trích lục and it was signed: 4.1 = 1 ÷ 1.
  t.match(b.electronicResultShare, { value: 1, numerator: 1, denominator: 1 })
  t.same(ids(b.electronicResultShare.dossiers.numerator), [birth.dossierId])
  // 4.3: L and C reused documents from the store; B did not. 2 ÷ 3.
  t.match(b.reuseShare, { value: 0.6667, numerator: 2, denominator: 3 })
  t.notOk(ids(b.reuseShare.dossiers.numerator).includes(birth.dossierId))
  t.ok(ids(b.reuseShare.dossiers.numerator).includes(laterId))
  // 4.2: every one has a file in a component, and B has its electronic result: 3 ÷ 3.
  t.match(b.digitisedShare, { numerator: 3, denominator: 3 })
})
