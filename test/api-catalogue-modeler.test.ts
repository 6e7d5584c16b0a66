// Catalogue API for the modeler: a step whose user task no longer has the step's unit role as candidate group is
// refused at publish with the task's element id beside the definition path, so the modeler can point at the task;
// analysts list procedures that only have a draft.
import { readFileSync } from 'node:fs'
import t from 'tap'
import { seedProcedures } from '../src/catalogue/service.js'
import type { ProcedureDefinition } from '../src/catalogue/definition.js'
import { buildTestApp } from './helpers/app.js'

const { app, db, loginAs } = await buildTestApp(t)
const analyst = await loginAs('phantich')
await seedProcedures(db.knex, app.engine)

t.test(
  'given a draft whose user task changed candidate group, publish answers 422 naming the step and its task',
  async (t) => {
    const definition = JSON.parse(readFileSync('forms/dang-ky-khai-sinh.json', 'utf8')) as ProcedureDefinition
    const bpmnXml = readFileSync('workflows/dang-ky-khai-sinh.bpmn', 'utf8').replace(
      'candidateGroups="tu-phap-ho-tich"',
      'candidateGroups="phong-khac"',
    )
    const created = await app.inject({
      method: 'POST',
      url: '/api/procedures',
      headers: analyst,
      payload: { definition, bpmnXml },
    })
    t.equal(created.statusCode, 201)
    const { version } = created.json() as { version: number }
    const res = await app.inject({
      method: 'POST',
      url: `/api/procedures/dang-ky-khai-sinh/versions/${version}/publish`,
      headers: analyst,
    })
    t.equal(res.statusCode, 422)
    const body = res.json() as { code: string; errors: Array<{ path: string; elementId?: string; message: string }> }
    t.equal(body.code, 'MC_ERR_PROCEDURE_INVALID')
    const index = definition.steps.findIndex((s) => s.id === 'Task_Review')
    t.match(body.errors, [
      {
        path: `/steps/${index}/unitRole`,
        elementId: 'Task_Review',
        message: /candidate groups \[phong-khac\], not "tu-phap-ho-tich"/,
      },
    ])
    const checked = await app.inject({
      method: 'POST',
      url: `/api/procedures/dang-ky-khai-sinh/versions/${version}/validate`,
      headers: analyst,
    })
    t.same(checked.json().errors, body.errors, 'validate names the task too')
  },
)

t.test('analysts list procedures that only have a draft; anyone else gets published ones only', async (t) => {
  const definition = {
    ...(JSON.parse(readFileSync('forms/dang-ky-khai-sinh.json', 'utf8')) as ProcedureDefinition),
    slug: 'chi-co-ban-nhap',
    code: '1.999001',
    name: 'Thủ tục chỉ có bản nháp',
  }
  const created = await app.inject({
    method: 'POST',
    url: '/api/procedures',
    headers: analyst,
    payload: { definition, bpmnXml: readFileSync('workflows/dang-ky-khai-sinh.bpmn', 'utf8') },
  })
  t.equal(created.statusCode, 201)
  const slugs = (body: string) =>
    (JSON.parse(body) as { items: Array<{ slug: string; publishedVersion: number | null }> }).items
  const withDrafts = await app.inject({ url: '/api/procedures?includeDrafts=true&limit=100', headers: analyst })
  t.equal(withDrafts.statusCode, 200)
  t.match(
    slugs(withDrafts.body).find((p) => p.slug === 'chi-co-ban-nhap'),
    { publishedVersion: null },
  )
  const published = await app.inject({ url: '/api/procedures?limit=100', headers: analyst })
  t.notOk(
    slugs(published.body).some((p) => p.slug === 'chi-co-ban-nhap'),
    'the default list is published procedures only',
  )
  t.equal(
    (await app.inject({ url: '/api/procedures?includeDrafts=true' })).statusCode,
    401,
    'not for anonymous visitors',
  )
  const citizen = await loginAs('congdan')
  t.equal(
    (await app.inject({ url: '/api/procedures?includeDrafts=true', headers: citizen })).statusCode,
    403,
    'nor for citizens',
  )
})
