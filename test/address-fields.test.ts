// Addresses from the official list in dossier forms: the forms' address objects carry the official codes (maTinh,
// maXa) next to the names; a submission whose codes the directory does not have, or whose commune lies outside the
// chosen province, is refused with MC_ERR_FORM_INVALID naming the field, the database unchanged; an address with names
// only (dossiers written before the codes) still goes through; the applicant-commune rule finds the commune by code.
import { readFileSync } from 'node:fs'
import t from 'tap'
import { seedProcedures } from '../src/catalogue/service.js'
import { seedCalendar } from '../src/db/calendar-repository.js'
import { applicantCommuneCode } from '../src/dossiers/handling-unit.js'
import { addressesOf } from '../src/units/address-fields.js'
import { readOfficialList } from '../src/units/official-list.js'
import { unitsRepository } from '../src/units/repository.js'
import { buildTestApp } from './helpers/app.js'
import { apiClient } from './helpers/api.js'
import { birthForm } from './helpers/dossiers.js'
import { makePdf } from './helpers/files.js'

const built = await buildTestApp(t)
const { app, db } = built
const knex = db.knex
await seedCalendar(knex)
const report = await seedProcedures(knex, app.engine)
if (report.failed.length) throw new Error(JSON.stringify(report.failed))
// Hà Nội from the official list beside the demo province (99) and communes (99901, 99902), as an installation has it.
const officialFile = new URL('../reference-data/administrative-units/vn-2025-07-01.json', import.meta.url)
const official = readOfficialList(JSON.parse(readFileSync(officialFile, 'utf8')) as object)
await unitsRepository(knex).upsertDivisions(
  official.divisions.filter((d) => d.code === '01' || d.provinceCode === '01'),
  official.id,
  official.validFrom,
)
const { call, upload } = apiClient(built)

const formOf = (slug: string) =>
  JSON.parse(readFileSync(new URL(`../forms/${slug}.json`, import.meta.url), 'utf8')) as {
    form: Record<string, unknown>
  }

// dossier_events is left out: the earlier dossiers' steps are still being projected while these run.
const tables = ['dossiers', 'engine_commands', 'dossier_attachments'] as const
async function counts(): Promise<Record<string, number>> {
  const out: Record<string, number> = {}
  for (const table of tables) out[table] = Number((await knex(table).count({ n: '*' }).first())!.n)
  return out
}

/** A birth-registration draft with this applicant's address and the documents, submitted. */
async function submitWith(noiCuTru: Record<string, unknown>, key: string) {
  const created = await call('POST', '/api/dossiers/drafts', 'congdan', {
    procedure: 'dang-ky-khai-sinh',
    agencyUnitId: 'xa-an-binh',
  })
  const id = created.json().id as string
  const saved = await call('PATCH', `/api/dossiers/drafts/${id}`, 'congdan', {
    formData: { ...birthForm, nguoiYeuCau: { ...birthForm.nguoiYeuCau, noiCuTru } },
    deliveryMethod: 'counter',
  })
  if (saved.statusCode !== 200) throw new Error(`draft: ${saved.body}`)
  for (const component of ['to-khai', 'giay-chung-sinh', 'giay-to-tuy-than'])
    await upload('congdan', `/api/dossiers/drafts/${id}/attachments/${component}`, makePdf(), `${component}.pdf`)
  return call('POST', `/api/dossiers/drafts/${id}/submit`, 'congdan', undefined, { 'idempotency-key': key })
}

t.test('every address object of the shipped forms has the official codes next to the names', async (t) => {
  for (const slug of [
    'dang-ky-khai-sinh',
    'lien-thong-khai-sinh-thuong-tru-bhyt',
    'cap-giay-phep-xay-dung-nha-o-rieng-le',
    'dang-ky-thanh-lap-ho-kinh-doanh',
    'xac-nhan-tinh-trang-hon-nhan',
    'cap-ban-sao-trich-luc-ho-tich',
  ]) {
    const found: Array<Record<string, unknown>> = []
    const walk = (node: unknown): void => {
      if (!node || typeof node !== 'object') return
      const n = node as Record<string, unknown>
      if ((n['x-ui'] as { widget?: string } | undefined)?.widget === 'address') found.push(n)
      Object.values(n).forEach(walk)
    }
    walk(formOf(slug).form)
    t.ok(found.length > 0, `${slug} has addresses`)
    for (const a of found) {
      const props = a['properties'] as Record<string, { pattern?: string }>
      t.ok(props['tinh'] && props['xa'], `${slug}: the names`)
      t.equal(props['maTinh']?.pattern, '^[0-9]{2}$', `${slug}: maTinh, two digits`)
      t.equal(props['maXa']?.pattern, '^[0-9]{5}$', `${slug}: maXa, five digits`)
    }
  }
})

t.test('the addresses of form data are found through groups and lists, with their pointers', async (t) => {
  const marriage = formOf('xac-nhan-tinh-trang-hon-nhan').form
  const found = addressesOf(marriage, {
    nguoiYeuCau: { noiCuTru: { tinh: 'Tỉnh Demo', maTinh: '99', xa: 'Xã An Bình', maXa: '99901' } },
    noiThuongTruTruocDay: [
      { tinh: 'Thành phố Hà Nội', maTinh: '01' },
      { tinh: 'Tỉnh Demo', xa: 'Xã Bình Minh' },
    ],
  })
  t.match(found, [
    { pointer: '/nguoiYeuCau/noiCuTru', maTinh: '99', maXa: '99901', label: { vi: String } },
    { pointer: '/noiThuongTruTruocDay/0', maTinh: '01' },
    { pointer: '/noiThuongTruTruocDay/1' },
  ])
  t.notOk('maTinh' in found[2]!, 'an address with names only has no code')
})

t.test('an address with codes from the directory is accepted and kept; the commune rule reads its code', async (t) => {
  const address = { tinh: 'Tỉnh Demo', maTinh: '99', xa: 'Xã An Bình', maXa: '99901', diaChiChiTiet: 'Thôn 3' }
  const res = await submitWith(address, 'address-ok-1')
  t.equal(res.statusCode, 201, res.body)
  const stored = await knex('dossiers').where({ id: res.json().dossierId }).first('form_data')
  t.same(stored.form_data.nguoiYeuCau.noiCuTru, address, 'names and codes stored as written')
  t.equal(applicantCommuneCode(stored.form_data, null), '99901', "the applicant's commune, by its code")
  t.equal(applicantCommuneCode(stored.form_data, 'nguoiYeuCau.noiCuTru'), '99901')
  const hanoi = await submitWith(
    { tinh: 'Thành phố Hà Nội', maTinh: '01', xa: 'Phường Ba Đình', maXa: '00004' },
    'address-ok-2',
  )
  t.equal(hanoi.statusCode, 201, `an address of the official list: ${hanoi.body}`)
})

t.test('an address with names only (as dossiers were written before the codes) still goes through', async (t) => {
  const res = await submitWith({ tinh: 'Tỉnh Demo', xa: 'Xã An Bình' }, 'address-names-only')
  t.equal(res.statusCode, 201, res.body)
})

t.test('a code the directory does not have, or a commune outside the province: 422 naming the field', async (t) => {
  const cases = [
    {
      what: 'an unknown commune code',
      address: { tinh: 'Tỉnh Demo', maTinh: '99', xa: 'Xã Không Có', maXa: '99999' },
      field: '/nguoiYeuCau/noiCuTru/maXa',
      vi: 'Mã xã/phường/đặc khu không có trong danh mục đơn vị hành chính',
      en: 'The commune code is not in the official list of administrative units',
    },
    {
      what: 'an unknown province code',
      address: { tinh: 'Tỉnh Không Có', maTinh: '98', xa: 'Xã An Bình' },
      field: '/nguoiYeuCau/noiCuTru/maTinh',
      vi: 'Mã tỉnh/thành phố không có trong danh mục đơn vị hành chính',
      en: 'The province code is not in the official list of administrative units',
    },
    {
      what: "a commune of another province (An Bình is the demo province's, not Hà Nội's)",
      address: { tinh: 'Thành phố Hà Nội', maTinh: '01', xa: 'Xã An Bình', maXa: '99901' },
      field: '/nguoiYeuCau/noiCuTru/maXa',
      vi: 'Xã/phường/đặc khu này không thuộc tỉnh/thành phố đã chọn',
      en: 'This commune is not in the chosen province',
    },
    {
      what: 'a commune of Hà Nội under the demo province',
      address: { tinh: 'Tỉnh Demo', maTinh: '99', xa: 'Phường Ba Đình', maXa: '00004' },
      field: '/nguoiYeuCau/noiCuTru/maXa',
      vi: 'Xã/phường/đặc khu này không thuộc tỉnh/thành phố đã chọn',
      en: 'This commune is not in the chosen province',
    },
  ]
  for (const [n, c] of cases.entries()) {
    const before = await counts()
    const res = await submitWith(c.address, `address-bad-${n}`)
    t.equal(res.statusCode, 422, `${c.what}: ${res.body}`)
    const body = res.json()
    t.equal(body.code, 'MC_ERR_FORM_INVALID', c.what)
    t.match(
      body.errors,
      [{ field: c.field, label: { vi: 'Nơi cư trú' }, keyword: 'addressDirectory', message: { vi: c.vi, en: c.en } }],
      `${c.what}: the field, its label and both languages`,
    )
    t.equal(body.errors.length, 1, `${c.what}: one error`)
    t.same(await counts(), before, `${c.what}: no dossier, attachment or command`)
  }
  const malformed = await submitWith(
    { tinh: 'Tỉnh Demo', maTinh: '9', xa: 'Xã An Bình', maXa: 'An Bình' },
    'address-malformed',
  )
  t.equal(malformed.statusCode, 422, 'codes of the wrong shape')
  t.same(
    (malformed.json().errors as Array<{ field: string; keyword: string }>).map((e) => `${e.field} ${e.keyword}`).sort(),
    ['/nguoiYeuCau/noiCuTru/maTinh pattern', '/nguoiYeuCau/noiCuTru/maXa pattern'],
    "the schema's own patterns name them",
  )
})
