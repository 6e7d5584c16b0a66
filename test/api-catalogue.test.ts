// Specification of the catalogue API: public search and detail, analysts' drafts, validation,
// all-or-nothing publishing, immutable published versions, version diffs, and who may do what.
import { readFileSync } from 'node:fs'
import t from 'tap'
import { seedProcedures } from '../src/catalogue/service.js'
import type { ProcedureDefinition } from '../src/catalogue/definition.js'
import { buildTestApp } from './helpers/app.js'
import { newProcedureFrom } from '../web/src/analyst/new-procedure.js'
import type { Definition } from '../web/src/analyst/catalogue.js'

// One app for the whole file: building one costs a database, migrations and an engine.
const { app, db, loginAs } = await buildTestApp(t)
const analyst = await loginAs('phantich')
const seeded = await seedProcedures(db.knex, app.engine)
t.same(seeded.failed, [], 'the reference procedures publish')

const definition = (slug: string): ProcedureDefinition =>
  JSON.parse(readFileSync(`forms/${slug}.json`, 'utf8')) as ProcedureDefinition
const bpmn = (slug: string): string => readFileSync(`workflows/${slug}.bpmn`, 'utf8')
const dmn = (slug: string): string => readFileSync(`workflows/${slug}.dmn`, 'utf8')

const search = async (query: string) => {
  const res = await app.inject({ url: `/api/procedures?${query}` })
  if (res.statusCode !== 200) throw new Error(`search ${query}: ${res.statusCode} ${res.body}`)
  return res.json() as { items: Array<{ slug: string }>; total: number; limit: number; offset: number }
}
const slugs = async (q: string) => (await search(`q=${encodeURIComponent(q)}`)).items.map((p) => p.slug)

t.test('anyone finds procedures by keyword, without diacritics or case', async (t) => {
  // Birth registration, and the linked group that includes it.
  const birth = ['dang-ky-khai-sinh', 'lien-thong-khai-sinh-thuong-tru-bhyt']
  t.same((await slugs('khai sinh')).sort(), birth)
  t.same((await slugs('KHAI SINH')).sort(), birth)
  t.same((await slugs('dang ky khai sinh')).sort(), birth)
  t.same(await slugs('xây dựng'), ['cap-giay-phep-xay-dung-nha-o-rieng-le'])
  t.same(await slugs('khai doanh sinh'), [], 'every word must match')
})

t.test('filters by field, agency level and online level, with paging', async (t) => {
  t.equal((await search(`field=${encodeURIComponent('Hộ tịch')}`)).total, 3)
  t.equal((await search('onlineLevel=mot-phan')).total, 1)
  t.equal((await search('agencyLevel=huyen')).total, 0)
  const page = await search('limit=2&offset=5')
  t.match(page, { total: 6, limit: 2, offset: 5 })
  t.equal(page.items.length, 1)
  const bad = await app.inject({ url: '/api/procedures?onlineLevel=muc-4&sort=name' })
  t.equal(bad.statusCode, 400)
  t.equal(bad.json().code, 'MC_ERR_VALIDATION')
})

t.test(
  'anyone reads a published procedure: metadata, components, fees, delivery, legal basis, steps and form',
  async (t) => {
    const res = await app.inject({ url: '/api/procedures/cap-giay-phep-xay-dung-nha-o-rieng-le' })
    t.equal(res.statusCode, 200)
    const p = res.json()
    t.match(p, { code: '1.009994', version: 1, status: 'published', agencyLevel: String, duration: String })
    t.ok(p.components.some((c: { id: string }) => c.id === 'ban-ve-thiet-ke'))
    t.equal(p.steps.length, 6)
    t.ok(p.fees.length > 0 && p.legalBasis.length > 0 && p.resultDelivery.length > 0)
    t.equal(p.form.type, 'object', 'the JSON-schema form')
    t.ok(Object.keys(p.form.properties).length > 0)

    const missing = await app.inject({ url: '/api/procedures/khong-co-thu-tuc-nay' })
    t.equal(missing.statusCode, 404)
    t.equal(missing.json().code, 'MC_ERR_PROCEDURE_NOT_FOUND')
  },
)

t.test('only analysts edit the catalogue', async (t) => {
  const draft = { definition: definition('dang-ky-khai-sinh'), bpmnXml: bpmn('dang-ky-khai-sinh') }
  const anonymous = await app.inject({ method: 'POST', url: '/api/procedures', payload: draft })
  t.equal(anonymous.statusCode, 401)
  t.equal(anonymous.json().code, 'MC_ERR_UNAUTHENTICATED')
  for (const who of ['congdan', 'canbo', 'quantri']) {
    const { authorization } = await loginAs(who)
    const res = await app.inject({ method: 'POST', url: '/api/procedures', headers: { authorization }, payload: draft })
    t.equal(res.statusCode, 403, `${who} cannot create a draft`)
    t.equal(res.json().code, 'MC_ERR_FORBIDDEN')
  }
  t.equal((await app.inject({ url: '/api/procedures/dang-ky-khai-sinh/versions' })).statusCode, 401)
  t.equal(
    (await app.inject({ method: 'POST', url: '/api/procedures/dang-ky-khai-sinh/versions/1/publish' })).statusCode,
    401,
  )
  t.equal(
    (
      await app.inject({
        method: 'PUT',
        url: '/api/procedures/dang-ky-khai-sinh/versions/1',
        payload: { bpmnXml: '<x/>' },
      })
    ).statusCode,
    401,
  )
  const { authorization } = await loginAs('canbo')
  t.equal(
    (await app.inject({ url: '/api/procedures/dang-ky-khai-sinh/versions/1/bpmn', headers: { authorization } }))
      .statusCode,
    403,
  )
  const denials = await db.knex('audit_events').where({ action: 'access.denied' }).count({ n: '*' }).first()
  t.ok(Number(denials?.n) >= 4, 'denials are audited')
})

t.test('a malformed definition and BPMN answer 422 with every problem, and nothing is published', async (t) => {
  const def = definition('dang-ky-thanh-lap-ho-kinh-doanh')
  def.slug = 'thu-nghiem-loi'
  def.code = '1.999001'
  def.workflow = { ...def.workflow, file: 'thu-nghiem-loi.bpmn' }
  def.steps[1]!.shareWorkingDays = 5
  ;(def.form.properties['tenHoKinhDoanh'] as Record<string, unknown>)['type'] = 'chuoi'
  const brokenBpmn = bpmn('dang-ky-thanh-lap-ho-kinh-doanh')
    .replace('<zeebe:taskDefinition type="dossier.handoff" retries="3" />', '<zeebe:taskDefinition retries="3" />')
    .replace('correlationKey="=dossierId"', 'correlationKey="=dossierId +"')
  const created = await app.inject({
    method: 'POST',
    url: '/api/procedures',
    headers: analyst,
    // The household fee table goes with the copied workflow (its business rule task calls it).
    payload: {
      definition: def,
      bpmnXml: brokenBpmn,
      decisions: [{ name: 'dang-ky-thanh-lap-ho-kinh-doanh.dmn', xml: dmn('dang-ky-thanh-lap-ho-kinh-doanh') }],
    },
  })
  t.equal(created.statusCode, 201, 'an incomplete draft may be saved')
  t.same(created.json(), { slug: 'thu-nghiem-loi', version: 1, status: 'draft' })

  const checked = await app.inject({
    method: 'POST',
    url: '/api/procedures/thu-nghiem-loi/versions/1/validate',
    headers: analyst,
  })
  t.equal(checked.statusCode, 200)
  t.equal(checked.json().valid, false)

  const res = await app.inject({
    method: 'POST',
    url: '/api/procedures/thu-nghiem-loi/versions/1/publish',
    headers: analyst,
  })
  t.equal(res.statusCode, 422)
  t.match(res.headers['content-type'], /application\/problem\+json/)
  const body = res.json() as { code: string; errors: Array<{ path: string; elementId?: string; message: string }> }
  t.equal(body.code, 'MC_ERR_PROCEDURE_INVALID')
  t.ok(
    body.errors.some((e) => e.path === '/steps'),
    'the step shares that do not add up',
  )
  t.ok(
    body.errors.some((e) => e.path === '/form'),
    'the form that does not compile',
  )
  t.ok(
    body.errors.some((e) => e.elementId?.startsWith('Task_Handoff_')),
    'the service task without a job type, by element id',
  )
  t.ok(
    body.errors.some((e) => e.elementId && /correlation|FEEL|expression/i.test(e.message)),
    'the malformed correlation key',
  )
  t.same(body.errors, checked.json().errors, 'validate lists the same problems as publish')

  t.same(await slugs('thu nghiem loi'), [], 'nothing published')
  t.equal((await app.inject({ url: '/api/procedures/thu-nghiem-loi' })).statusCode, 404)
  const versions = await app.inject({ url: '/api/procedures/thu-nghiem-loi/versions', headers: analyst })
  t.match(versions.json(), [{ version: 1, status: 'draft', publishedAt: null }])

  t.test('a BPMN-only failure is MC_ERR_BPMN_INVALID with element ids', async (t) => {
    const fixed = {
      ...def,
      steps: definition('dang-ky-thanh-lap-ho-kinh-doanh').steps,
      form: definition('dang-ky-thanh-lap-ho-kinh-doanh').form,
    }
    const put = await app.inject({
      method: 'PUT',
      url: '/api/procedures/thu-nghiem-loi/versions/1',
      headers: analyst,
      payload: { definition: fixed },
    })
    t.equal(put.statusCode, 200)
    const again = await app.inject({
      method: 'POST',
      url: '/api/procedures/thu-nghiem-loi/versions/1/publish',
      headers: analyst,
    })
    t.equal(again.statusCode, 422)
    t.equal(again.json().code, 'MC_ERR_BPMN_INVALID')
    t.ok(again.json().errors.every((e: { elementId?: string }) => typeof e.elementId === 'string'))
  })

  t.test('a definition that cannot even be filed is refused at once', async (t) => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/procedures',
      headers: analyst,
      payload: { definition: { slug: 'Khong Hop Le' }, bpmnXml: '<nope' },
    })
    t.equal(res.statusCode, 422)
    t.equal(res.json().code, 'MC_ERR_PROCEDURE_INVALID')
    t.ok(res.json().errors.some((e: { path: string }) => e.path === '/slug'))
    t.ok(
      res.json().errors.some((e: { path: string }) => e.path === '/name'),
      'every problem, not the first only',
    )
  })
})

t.test('publishing a new version keeps the old one; published versions never change; versions compare', async (t) => {
  const changed = definition('dang-ky-khai-sinh')
  changed.name = 'Đăng ký khai sinh (sửa đổi)'
  changed.duration = '1 WD'
  changed.steps = changed.steps.map((s, i) => (i === 0 ? { ...s, shareWorkingDays: 1 } : { ...s, shareWorkingDays: 0 }))
  changed.components = changed.components.filter((c) => c.id !== 'van-ban-mang-thai-ho')
  changed.components.push({
    id: 'giay-uy-quyen',
    name: 'Văn bản ủy quyền (nếu nộp thay)',
    form: 'copy',
    quantity: 1,
    required: false,
    accept: ['application/pdf'],
    maxSizeMb: 5,
  })
  changed.form.properties['ghiChu'] = {
    type: 'string',
    maxLength: 500,
    'x-ui': { label: { vi: 'Ghi chú', en: 'Notes' } },
  }

  const v1 = (await app.inject({ url: '/api/procedures/dang-ky-khai-sinh' })).json()
  t.equal(v1.version, 1)

  const created = await app.inject({
    method: 'POST',
    url: '/api/procedures',
    headers: analyst,
    payload: { definition: changed, bpmnXml: bpmn('dang-ky-khai-sinh') },
  })
  t.equal(created.statusCode, 201)
  t.same(created.json(), { slug: 'dang-ky-khai-sinh', version: 2, status: 'draft' })
  t.equal(
    (await app.inject({ url: '/api/procedures/dang-ky-khai-sinh' })).json().name,
    'Đăng ký khai sinh',
    'the public still sees version 1 while 2 is a draft',
  )

  const second = await app.inject({
    method: 'POST',
    url: '/api/procedures',
    headers: analyst,
    payload: { definition: changed, bpmnXml: bpmn('dang-ky-khai-sinh') },
  })
  t.equal(second.statusCode, 409, 'one draft at a time')

  const edit1 = await app.inject({
    method: 'PUT',
    url: '/api/procedures/dang-ky-khai-sinh/versions/1',
    headers: analyst,
    payload: { bpmnXml: bpmn('dang-ky-khai-sinh') },
  })
  t.equal(edit1.statusCode, 409, 'version 1 is published and immutable')
  t.equal(edit1.json().code, 'MC_ERR_PROCEDURE_VERSION_PUBLISHED')
  t.equal(
    (
      await app.inject({
        method: 'POST',
        url: '/api/procedures/dang-ky-khai-sinh/versions/1/publish',
        headers: analyst,
      })
    ).statusCode,
    409,
  )

  const pub = await app.inject({
    method: 'POST',
    url: '/api/procedures/dang-ky-khai-sinh/versions/2/publish',
    headers: analyst,
  })
  t.equal(pub.statusCode, 200)
  t.match(pub.json(), { slug: 'dang-ky-khai-sinh', version: 2, status: 'published', processDefinitionKey: /^\d+$/ })

  const now = (await app.inject({ url: '/api/procedures/dang-ky-khai-sinh' })).json()
  t.match(now, { version: 2, name: 'Đăng ký khai sinh (sửa đổi)', duration: '1 WD' })
  const old = await app.inject({ url: '/api/procedures/dang-ky-khai-sinh/versions/1', headers: analyst })
  t.match(old.json(), { version: 1, status: 'published', definition: { name: 'Đăng ký khai sinh' } })
  const versions = (await app.inject({ url: '/api/procedures/dang-ky-khai-sinh/versions', headers: analyst })).json()
  t.match(versions, [
    { version: 2, status: 'published', publishedAt: String },
    { version: 1, status: 'published' },
  ])

  const diff = (
    await app.inject({ url: '/api/procedures/dang-ky-khai-sinh/versions/2/changes', headers: analyst })
  ).json()
  t.match(diff, {
    from: 1,
    to: 2,
    changed: true,
    bpmnChanged: false,
    duration: { from: 'SAME_DAY', to: '1 WD' },
    metadata: [{ property: 'name', from: 'Đăng ký khai sinh', to: 'Đăng ký khai sinh (sửa đổi)' }],
    components: { added: [{ key: 'giay-uy-quyen' }], removed: [{ key: 'van-ban-mang-thai-ho' }], changed: [] },
    formFields: { added: [{ key: 'ghiChu', name: 'Ghi chú' }], removed: [] },
  })
  t.ok(diff.steps.changed.length > 0, 'the step shares changed')
  const same = (
    await app.inject({ url: '/api/procedures/dang-ky-khai-sinh/versions/2/changes?from=2', headers: analyst })
  ).json()
  t.equal(same.changed, false)
  t.equal(
    (await app.inject({ url: '/api/procedures/dang-ky-khai-sinh/versions/1/changes', headers: analyst })).statusCode,
    404,
    'version 1 has nothing before it',
  )

  const xml = await app.inject({ url: '/api/procedures/dang-ky-khai-sinh/versions/1/bpmn', headers: analyst })
  t.equal(xml.statusCode, 200)
  t.match(xml.headers['content-type'], /application\/xml/)
  t.equal(xml.body, bpmn('dang-ky-khai-sinh'), 'the BPMN for the modeler, byte for byte')
})

t.test(
  'a new procedure from scratch: a draft from another procedure’s process, listed for analysts, discarded whole',
  async (t) => {
    const as = { authorization: analyst.authorization }
    // What the analyst's "Thủ tục mới" form sends (web/src/analyst/new-procedure.ts).
    const fresh = newProcedureFrom(
      {
        definition: definition('xac-nhan-tinh-trang-hon-nhan') as unknown as Definition,
        bpmnXml: bpmn('xac-nhan-tinh-trang-hon-nhan'),
      },
      { name: 'Đăng ký lại kết hôn', code: '1.004746', field: 'Hộ tịch', agencyLevel: 'xa', agency: 'UBND cấp xã' },
    )
    t.equal(fresh.definition.slug, 'dang-ky-lai-ket-hon')
    t.notMatch(fresh.bpmnXml, /Process_XacNhanTinhTrangHonNhan|"xac-nhan-tinh-trang-hon-nhan"/)
    const created = await app.inject({ method: 'POST', url: '/api/procedures', headers: as, payload: fresh })
    t.equal(created.statusCode, 201, created.body)
    t.match(created.json(), { slug: 'dang-ky-lai-ket-hon', version: 1, status: 'draft' })
    const listed = await app.inject({ url: '/api/procedures?includeDrafts=true&limit=100', headers: as })
    t.ok(
      (listed.json().items as Array<{ slug: string }>).some((p) => p.slug === 'dang-ky-lai-ket-hon'),
      'the analysts see it',
    )
    t.notOk((await slugs('ket hon')).includes('dang-ky-lai-ket-hon'), 'the public does not')
    const checked = await app.inject({
      method: 'POST',
      url: '/api/procedures/dang-ky-lai-ket-hon/versions/1/validate',
      headers: as,
    })
    const paths = (checked.json().errors as Array<{ path: string }>).map((e) => e.path)
    t.ok(
      paths.includes('/legalBasis') && paths.includes('/sources'),
      `what the analyst must still fill in: ${paths.join(', ')}`,
    )

    // Discarding: a citizen cannot; a published version cannot be discarded; the never-published procedure goes.
    const citizen = await loginAs('congdan')
    const url = '/api/procedures/dang-ky-lai-ket-hon/versions/1'
    t.equal((await app.inject({ method: 'DELETE', url, headers: citizen })).statusCode, 403)
    const published = await app.inject({
      method: 'DELETE',
      url: '/api/procedures/dang-ky-khai-sinh/versions/1',
      headers: as,
    })
    t.equal(published.statusCode, 409)
    t.equal(published.json().code, 'MC_ERR_PROCEDURE_VERSION_PUBLISHED')
    const discarded = await app.inject({ method: 'DELETE', url, headers: as })
    t.equal(discarded.statusCode, 200, discarded.body)
    t.same(discarded.json(), { slug: 'dang-ky-lai-ket-hon', version: 1, procedureRemoved: true })
    t.notOk(await db.knex('procedures').where({ slug: 'dang-ky-lai-ket-hon' }).first(), 'nothing left of it')
    t.equal((await app.inject({ method: 'DELETE', url, headers: as })).statusCode, 404)
    t.ok(
      await db.knex('audit_events').where({ action: 'catalogue.discardDraft' }).first(),
      'the discard is in the audit log',
    )

    // A draft of a published procedure: only the draft goes.
    const next = await app.inject({
      method: 'POST',
      url: '/api/procedures',
      headers: as,
      payload: {
        definition: definition('dang-ky-thanh-lap-ho-kinh-doanh'),
        bpmnXml: bpmn('dang-ky-thanh-lap-ho-kinh-doanh'),
      },
    })
    t.equal(next.statusCode, 201, next.body)
    const version = next.json().version as number
    const dropped = await app.inject({
      method: 'DELETE',
      url: `/api/procedures/dang-ky-thanh-lap-ho-kinh-doanh/versions/${version}`,
      headers: as,
    })
    t.match(dropped.json(), { procedureRemoved: false })
    const left = await app.inject({ url: '/api/procedures/dang-ky-thanh-lap-ho-kinh-doanh/versions', headers: as })
    t.ok(
      (left.json() as Array<{ status: string }>).every((v) => v.status === 'published'),
      'the published versions stay',
    )
  },
)

t.test('every catalogue route is in the OpenAPI document with its problems', async (t) => {
  const doc = (await app.inject({ url: '/docs/json' })).json() as {
    openapi: string
    paths: Record<string, Record<string, { tags: string[]; responses: Record<string, unknown> }>>
  }
  t.equal(doc.openapi, '3.1.0')
  const expected: Array<[string, string]> = [
    ['/api/procedures', 'get'],
    ['/api/procedures', 'post'],
    ['/api/procedures/{slug}', 'get'],
    ['/api/procedures/{slug}/versions', 'get'],
    ['/api/procedures/{slug}/versions/{version}', 'get'],
    ['/api/procedures/{slug}/versions/{version}', 'put'],
    ['/api/procedures/{slug}/versions/{version}', 'delete'],
    ['/api/procedures/{slug}/versions/{version}/validate', 'post'],
    ['/api/procedures/{slug}/versions/{version}/publish', 'post'],
    ['/api/procedures/{slug}/versions/{version}/bpmn', 'get'],
    ['/api/procedures/{slug}/versions/{version}/changes', 'get'],
  ]
  for (const [path, method] of expected) {
    const op = doc.paths[path]?.[method]
    t.ok(op, `${method.toUpperCase()} ${path}`)
    t.same(op?.tags, ['catalogue'])
    t.ok(op?.responses['400'], `${method.toUpperCase()} ${path} documents its problems`)
  }
})
