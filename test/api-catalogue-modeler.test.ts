// A step whose user task no longer has the step's unit role as candidate group is refused at publish
// with the task's element id beside the definition path, so the modeler can point at the task.
import { readFileSync } from 'node:fs'
import t from 'tap'
import { seedProcedures } from '../src/catalogue/service.js'
import type { ProcedureDefinition } from '../src/catalogue/definition.js'
import { buildTestApp } from './helpers/app.js'

const { app, db, loginAs } = await buildTestApp(t)
const analyst = await loginAs('phantich')
await seedProcedures(db.knex, app.engine)

t.test('given a draft whose user task changed candidate group, publish answers 422 naming the step and its task', async (t) => {
  const definition = JSON.parse(readFileSync('forms/dang-ky-khai-sinh.json', 'utf8')) as ProcedureDefinition
  const bpmnXml = readFileSync('workflows/dang-ky-khai-sinh.bpmn', 'utf8').replace('candidateGroups="tu-phap-ho-tich"', 'candidateGroups="phong-khac"')
  const created = await app.inject({ method: 'POST', url: '/api/procedures', headers: analyst, payload: { definition, bpmnXml } })
  t.equal(created.statusCode, 201)
  const { version } = created.json() as { version: number }
  const res = await app.inject({ method: 'POST', url: `/api/procedures/dang-ky-khai-sinh/versions/${version}/publish`, headers: analyst })
  t.equal(res.statusCode, 422)
  const body = res.json() as { code: string; errors: Array<{ path: string; elementId?: string; message: string }> }
  t.equal(body.code, 'MC_ERR_PROCEDURE_INVALID')
  const index = definition.steps.findIndex((s) => s.id === 'Task_Review')
  t.match(body.errors, [{ path: `/steps/${index}/unitRole`, elementId: 'Task_Review', message: /candidate groups \[phong-khac\], not "tu-phap-ho-tich"/ }])
  const checked = await app.inject({ method: 'POST', url: `/api/procedures/dang-ky-khai-sinh/versions/${version}/validate`, headers: analyst })
  t.same(checked.json().errors, body.errors, 'validate names the task too')
})
