// Who handles a step, rule by rule (src/dossiers/handling-unit.ts): the `unit` task header read, resolved against the
// units, and refused at publish when it names an agency no unit has. A rule that cannot be followed falls back to the
// receiving unit with the reason. Zeebe passes a user task's zeebe:taskHeaders to it as custom headers
// (https://docs.camunda.io/docs/components/modeler/bpmn/user-tasks/#task-headers), which is why the rule lives there.
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import t from 'tap'
import { CatalogueService } from '../src/catalogue/service.js'
import { applicantCommuneCode, handlingRuleOf, resolveHandlingUnit } from '../src/dossiers/handling-unit.js'
import { createTestDatabase } from './helpers/db.js'

const db = await createTestDatabase(t)
const knex = db.knex
await knex('units').insert([
  { id: 't', name: 'Tỉnh T', level: 'province', agency_code: 'T99', path: '/t/' },
  { id: 't-ca', parent_id: 't', name: 'Công an tỉnh T', level: 'department', agency_code: 'T99.50', path: '/t/t-ca/' },
  { id: 't-bh', parent_id: 't', name: 'BHXH tỉnh T', level: 'department', agency_code: 'T99.60', path: '/t/t-bh/' },
  {
    id: 't-xa1',
    parent_id: 't',
    name: 'Xã Một',
    level: 'commune',
    agency_code: 'T99.30',
    admin_code: '99801',
    path: '/t/t-xa1/',
  },
  {
    id: 't-xa2',
    parent_id: 't',
    name: 'Xã Hai',
    level: 'commune',
    agency_code: 'T99.31',
    admin_code: '99802',
    path: '/t/t-xa2/',
  },
])
const receiving = '/t/t-xa1/'
const ctx = (formData: Record<string, unknown> = {}, variables: Record<string, unknown> = {}) => ({
  receivingUnitPath: receiving,
  formData,
  variables: () => Promise.resolve(variables),
})

t.test('the header reads into a rule; anything else is a problem', async (t) => {
  t.same(handlingRuleOf({}), { rule: { kind: 'receiving' } })
  t.same(handlingRuleOf({ unit: 'receiving' }), { rule: { kind: 'receiving' } })
  t.same(handlingRuleOf({ unit: 'agency:X99.50' }), { rule: { kind: 'agency', code: 'X99.50' } })
  t.same(handlingRuleOf({ unit: 'applicant-commune', addressField: 'a.b' }), {
    rule: { kind: 'applicantCommune', addressField: 'a.b' },
  })
  t.same(handlingRuleOf({ unit: 'chosen', unitChoices: 'X99.50, X99.60' }), {
    rule: { kind: 'chosen', choices: ['X99.50', 'X99.60'] },
  })
  for (const bad of [{ unit: 'agency:' }, { unit: 'agency:x 1' }, { unit: 'chosen' }, { unit: 'somewhere' }])
    t.ok('problem' in handlingRuleOf(bad), `${JSON.stringify(bad)} is refused`)
})

t.test('each rule finds its unit', async (t) => {
  t.same(await resolveHandlingUnit(knex, {}, ctx()), { unitPath: receiving }, 'no header: the receiving unit')
  t.same(await resolveHandlingUnit(knex, { unit: 'agency:T99.60' }, ctx()), { unitPath: '/t/t-bh/' })
  const form = { nguoiYeuCau: { hoTen: 'A', noiCuTru: { tinh: '99', xa: '99802', diaChiChiTiet: 'x' } } }
  t.same(await resolveHandlingUnit(knex, { unit: 'applicant-commune' }, ctx(form)), { unitPath: '/t/t-xa2/' })
  t.same(
    await resolveHandlingUnit(knex, { unit: 'applicant-commune', addressField: 'nguoiYeuCau.noiCuTru' }, ctx(form)),
    { unitPath: '/t/t-xa2/' },
  )
  t.equal(applicantCommuneCode({ diaChi: { xa: { code: '99801', name: 'Xã Một' } } }, null), '99801')
  t.same(
    await resolveHandlingUnit(knex, { unit: 'chosen', unitChoices: 'T99.50,T99.60' }, ctx({}, { nextUnit: 'T99.50' })),
    { unitPath: '/t/t-ca/' },
  )
})

t.test('a rule that cannot be followed goes to the receiving unit, with the reason', async (t) => {
  const cases: Array<[Record<string, string>, Record<string, unknown>, Record<string, unknown>, RegExp]> = [
    [{ unit: 'agency:T99.77' }, {}, {}, /no unit has the agency code T99\.77/],
    [{ unit: 'applicant-commune' }, { a: { xa: 'Xã Một' } }, {}, /no commune code/],
    [{ unit: 'applicant-commune' }, { a: { xa: '12345' } }, {}, /administrative-unit code 12345/],
    [{ unit: 'chosen', unitChoices: 'T99.50' }, {}, {}, /chose no unit/],
    [{ unit: 'chosen', unitChoices: 'T99.50' }, {}, { nextUnit: 'T99.60' }, /not among the choices/],
    [{ unit: 'nowhere' }, {}, {}, /is not a rule/],
  ]
  for (const [headers, form, variables, reason] of cases) {
    const got = await resolveHandlingUnit(knex, headers, ctx(form, variables))
    t.equal(got.unitPath, receiving, `${JSON.stringify(headers)}: the receiving unit`)
    t.match(got.problem?.reason, reason, `${JSON.stringify(headers)}: ${got.problem?.reason}`)
  }
})

t.test('publishing a workflow whose step names an agency no unit has is refused, naming the step', async (t) => {
  const fixtures = fileURLToPath(new URL('./fixtures/lien-thong/', import.meta.url))
  const definition = JSON.parse(readFileSync(`${fixtures}forms/lien-thong-thu-nghiem.json`, 'utf8')) as object
  const bpmnXml = readFileSync(`${fixtures}workflows/lien-thong-thu-nghiem.bpmn`, 'utf8')
  let deployed = 0
  const service = new CatalogueService(knex, { deploy: () => Promise.reject(new Error(`deployed ${++deployed}`)) })
  const draft = await service.createDraft({ definition, bpmnXml })
  t.ok(draft.ok, JSON.stringify(draft))
  // The test units have T99 codes: X99.50 and X99.60 are nobody's here.
  const result = await service.publish('lien-thong-thu-nghiem')
  t.notOk(result.ok, 'not published')
  const problems = result.ok ? [] : result.problems
  t.same(
    problems.filter((p) => /no unit has that agency code/.test(p.message)).map((p) => [p.elementId, p.path]),
    [
      ['Task_Sign', 'bpmn:Task_Sign'],
      ['Task_Card', 'bpmn:Task_Card'],
    ],
    'both steps with an unknown agency are named',
  )
  t.equal(deployed, 0, 'nothing was deployed')
  const malformed = bpmnXml.replace('value="agency:X99.50"', 'value="agency:"')
  await service.updateDraft('lien-thong-thu-nghiem', { bpmnXml: malformed })
  const again = await service.validateDraft('lien-thong-thu-nghiem')
  t.ok(
    again.some((p) => p.elementId === 'Task_Sign' && /unit "agency:"/.test(p.message)),
    'a malformed unit header is a publish problem too',
  )
})
