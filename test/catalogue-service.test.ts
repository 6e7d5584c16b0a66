// Specification of catalogue storage: publishing is all-or-nothing, seeding is idempotent, search
// works without diacritics on both PostgreSQL and PGlite, and published versions are immutable.
// The engine is a recording fake of the port's deploy(): the embedded engine is not committed yet.
import { readFileSync } from 'node:fs'
import t from 'tap'
import { CatalogueService, seedProcedures } from '../src/catalogue/service.js'
import type { ProcedureDefinition } from '../src/catalogue/definition.js'
import type { DeployResource, DeployResult } from '../src/engine/port.js'
import { createTestDatabase } from './helpers/db.js'
import { seedDemo } from '../src/db/seed.js'

function recordingEngine() {
  const deployed: string[] = []
  let key = 1000
  return {
    deployed,
    async deploy(resources: DeployResource[]): Promise<DeployResult> {
      deployed.push(...resources.map((r) => r.name))
      const processes = resources.map((r) => {
        const id = /<bpmn:process id="([^"]+)"/.exec(String(r.content))?.[1] ?? 'unknown'
        return {
          bpmnProcessId: id,
          processDefinitionKey: String(++key),
          version: deployed.filter((d) => d === r.name).length,
          resourceName: r.name,
          duplicate: false,
        }
      })
      return { deploymentKey: String(++key), processes }
    },
  }
}

const definition = (slug: string): ProcedureDefinition =>
  JSON.parse(readFileSync(`forms/${slug}.json`, 'utf8')) as ProcedureDefinition
const bpmn = (slug: string): string => readFileSync(`workflows/${slug}.bpmn`, 'utf8')
const dmn = (slug: string): string => readFileSync(`workflows/${slug}.dmn`, 'utf8')

t.test('seeding publishes every reference procedure once', async (t) => {
  const db = await createTestDatabase(t)
  const engine = recordingEngine()
  // The construction permit and the linked group hand steps to other agencies, which must exist to publish.
  await seedDemo(db.knex, t.testdir())
  const first = await seedProcedures(db.knex, engine)
  t.same(first.failed, [])
  t.equal(first.published.length, 6)
  const again = await seedProcedures(db.knex, engine)
  t.same(again, { published: [], unchanged: first.published, failed: [] }, 'a second run changes nothing')
  t.equal(engine.deployed.length, 7, 'each workflow deployed once, the household fee table with its workflow')
  t.ok(engine.deployed.includes('dang-ky-thanh-lap-ho-kinh-doanh.dmn'))

  const service = new CatalogueService(db.knex, engine)
  const search = async (q: string) => (await service.search({ q })).items.map((p) => p.slug).sort()
  // Birth registration, and the linked group (khai sinh, thường trú, BHYT) that includes it.
  const birth = ['dang-ky-khai-sinh', 'lien-thong-khai-sinh-thuong-tru-bhyt']

  t.test('search folds case and diacritics', async (t) => {
    t.same(await search('khai sinh'), birth)
    t.same(await search('KHAI SINH'), birth)
    t.same(await search('dang ky khai sinh'), birth)
    t.same(await search('Đăng ký khai sinh'), birth)
    t.same(await search('xây dựng'), ['cap-giay-phep-xay-dung-nha-o-rieng-le'])
    t.same(await search('xay dung'), ['cap-giay-phep-xay-dung-nha-o-rieng-le'])
    t.equal((await search('ho tich')).length, 4, 'the three civil-status procedures and the linked group')
    t.same(await search('1.004873'), ['xac-nhan-tinh-trang-hon-nhan'], 'by TTHC code')
    t.same(await search('kinh doanh'), ['dang-ky-thanh-lap-ho-kinh-doanh'])
    t.same(await search('sinh khai'), birth, 'word order does not matter')
    t.same(await search('khai doanh sinh'), [], 'every word must match')
    t.same(await search('inh'), [], 'words match by prefix, not inside a word')
  })

  t.test('filters and paging', async (t) => {
    t.equal((await service.search({ onlineLevel: 'mot-phan' })).items.length, 1)
    t.equal((await service.search({ field: 'Hộ tịch' })).total, 3)
    t.equal((await service.search({ agencyLevel: 'xa' })).total, 6)
    t.equal((await service.search({ agencyLevel: 'huyen' })).total, 0)
    const page1 = await service.search({ limit: 2 })
    const page3 = await service.search({ limit: 2, offset: 4 })
    t.equal(page1.total, 6)
    t.equal(page1.items.length, 2)
    t.equal(page3.items.length, 2)
    t.equal((await service.search({ limit: 2, offset: 5 })).items.length, 1)
  })

  t.test('one procedure with its components, steps and form', async (t) => {
    const detail = await service.get('cap-giay-phep-xay-dung-nha-o-rieng-le')
    t.match(detail, { code: '1.009994', version: 1, status: 'published', processDefinitionKey: /^\d+$/ })
    t.ok(detail.definition.components.some((c) => c.id === 'ban-ve-thiet-ke'))
    t.equal(detail.definition.steps.length, 6)
    t.equal(detail.definition.form.type, 'object')
    await t.rejects(service.get('khong-co'), { code: 'MC_ERR_PROCEDURE_NOT_FOUND' })
  })

  t.test('a published version cannot be changed or deleted, even by SQL', async (t) => {
    await t.rejects(db.knex('procedure_versions').update({ bpmn_xml: '<x/>' }), /published and cannot be changed/)
    await t.rejects(db.knex('procedure_versions').del(), /published and cannot be changed/)
  })

  t.test('a changed definition becomes version 2; version 1 stays as it was', async (t) => {
    const changed = definition('dang-ky-khai-sinh')
    changed.name = 'Đăng ký khai sinh (sửa đổi)'
    t.match(await service.createDraft({ definition: changed, bpmnXml: bpmn('dang-ky-khai-sinh') }), {
      ok: true,
      version: 2,
    })
    t.match(await service.publish('dang-ky-khai-sinh'), { ok: true, version: 2 })
    t.equal((await service.get('dang-ky-khai-sinh')).name, 'Đăng ký khai sinh (sửa đổi)')
    t.equal((await service.get('dang-ky-khai-sinh', 1)).definition.name, 'Đăng ký khai sinh')
  })
})

t.test('publishing a malformed form or BPMN lists every problem and publishes nothing', async (t) => {
  const db = await createTestDatabase(t)
  const engine = recordingEngine()
  const service = new CatalogueService(db.knex, engine)

  const def = definition('dang-ky-thanh-lap-ho-kinh-doanh')
  def.steps[1]!.shareWorkingDays = 5
  ;(def.form.properties['tenHoKinhDoanh'] as Record<string, unknown>)['type'] = 'chuoi'
  const brokenBpmn = bpmn('dang-ky-thanh-lap-ho-kinh-doanh')
    .replace('<zeebe:taskDefinition type="dossier.handoff" retries="3" />', '<zeebe:taskDefinition retries="3" />')
    .replace('correlationKey="=dossierId"', 'correlationKey="=dossierId +"')
  t.match(
    await service.createDraft({ definition: def, bpmnXml: brokenBpmn }),
    { ok: true, version: 1 },
    'an incomplete draft may be saved',
  )

  const result = await service.publish('dang-ky-thanh-lap-ho-kinh-doanh')
  t.equal(result.ok, false)
  const problems = result.ok ? [] : result.problems
  t.match(problems, [{ path: '/steps' }], 'the share mismatch')
  t.ok(
    problems.some((p) => p.path === '/form'),
    'the form that does not compile',
  )
  t.ok(
    problems.some((p) => p.path.startsWith('bpmn:Task_Handoff_')),
    'the service task without a job type',
  )
  t.ok(
    problems.some((p) => p.path.startsWith('bpmn:') && /correlation|FEEL|expression/i.test(p.message)),
    'the malformed correlation key',
  )
  t.same(engine.deployed, [], 'nothing deployed')
  t.equal((await service.search({ includeUnpublished: false })).total, 0, 'nothing published')
  t.match(await db.knex('procedure_versions').select('status'), [{ status: 'draft' }])

  t.test('once fixed, the same draft publishes', async (t) => {
    t.match(
      await service.updateDraft('dang-ky-thanh-lap-ho-kinh-doanh', {
        definition: definition('dang-ky-thanh-lap-ho-kinh-doanh'),
        bpmnXml: bpmn('dang-ky-thanh-lap-ho-kinh-doanh'),
        decisions: [{ name: 'dang-ky-thanh-lap-ho-kinh-doanh.dmn', xml: dmn('dang-ky-thanh-lap-ho-kinh-doanh') }],
      }),
      { ok: true },
    )
    t.match(await service.publish('dang-ky-thanh-lap-ho-kinh-doanh'), { ok: true, version: 1 })
    t.same(
      engine.deployed,
      ['dang-ky-thanh-lap-ho-kinh-doanh.bpmn', 'dang-ky-thanh-lap-ho-kinh-doanh.dmn'],
      'the BPMN and its fee table in one deployment',
    )
  })
})

t.test(
  'a stored form keeps the order its properties were written in (jsonb does not): objects without x-ui.order get it',
  async (t) => {
    const db = await createTestDatabase(t)
    await seedProcedures(db.knex, recordingEngine())
    for (const slug of ['dang-ky-khai-sinh', 'dang-ky-thanh-lap-ho-kinh-doanh']) {
      const written = definition(slug).form as unknown
      const row = (await db
        .knex('procedure_versions as v')
        .join('procedures as p', 'p.id', 'v.procedure_id')
        .where('p.slug', slug)
        .first('v.definition')) as { definition: ProcedureDefinition }
      let objects = 0
      const compare = (file: unknown, stored: unknown, path: string): void => {
        if (!file || typeof file !== 'object' || Array.isArray(file)) return
        const f = file as { properties?: Record<string, unknown>; items?: unknown; 'x-ui'?: { order?: string[] } }
        const s = stored as typeof f
        if (f.properties) {
          objects++
          t.same(
            s['x-ui']?.order,
            f['x-ui']?.order ?? Object.keys(f.properties),
            `${slug}${path}: fields in the written order`,
          )
          for (const [name, child] of Object.entries(f.properties))
            compare(child, s.properties?.[name], `${path}/${name}`)
        }
        if (f.items) compare(f.items, s.items, `${path}[]`)
      }
      compare(written, row.definition.form, '')
      t.ok(objects > 1, `${slug}: nested objects were checked (${objects})`)
    }
  },
)
