// Specification of the procedure definition format and the five reference procedures.
import { readdirSync, readFileSync } from 'node:fs'
import t from 'tap'
import {
  checkProcedureDefinition,
  loadProcedureDefinition,
  parseDuration,
  type ProcedureDefinition,
} from '../src/catalogue/definition.js'
import { validateBpmn } from '../src/engine/validation/index.js'
import { dossierJobTypes } from '../src/workers/index.js'

const forms = readdirSync('forms').filter((f) => f.endsWith('.json') && !f.endsWith('.schema.json'))
const read = (f: string): ProcedureDefinition => JSON.parse(readFileSync(`forms/${f}`, 'utf8')) as ProcedureDefinition

t.test('the six reference procedures are there', async (t) => {
  t.same(forms.sort(), [
    'cap-ban-sao-trich-luc-ho-tich.json',
    'cap-giay-phep-xay-dung-nha-o-rieng-le.json',
    'dang-ky-khai-sinh.json',
    'dang-ky-thanh-lap-ho-kinh-doanh.json',
    'lien-thong-khai-sinh-thuong-tru-bhyt.json',
    'xac-nhan-tinh-trang-hon-nhan.json',
  ])
})

for (const file of forms) {
  t.test(`${file} passes the meta-schema and every cross-check against its BPMN`, async (t) => {
    const result = await loadProcedureDefinition(read(file), { fileName: file })
    t.same(result.ok ? [] : result.problems, [])
  })
  t.test(
    `${file}: its workflow passes deploy validation with no errors, and every job type has a worker`,
    async (t) => {
      const def = read(file)
      // For the repo's own workflows a job type without a worker is an error, not the API's warning.
      const problems = await validateBpmn(
        [{ name: def.workflow.file, content: readFileSync(`workflows/${def.workflow.file}`, 'utf8') }],
        {
          knownJobTypes: new Set(dossierJobTypes),
          jobTypeSeverity: 'error',
        },
      )
      t.same(
        problems.filter((p) => p.severity === 'error'),
        [],
      )
    },
  )
}

t.test('durations', async (t) => {
  t.same(parseDuration('5 WD'), { unit: 'WD', amount: 5 })
  t.same(parseDuration('0.5 WD'), { unit: 'WD', amount: 0.5 })
  t.same(parseDuration('4 WH'), { unit: 'WH', amount: 4 })
  t.same(parseDuration('30 CD'), { unit: 'CD', amount: 30 })
  t.same(parseDuration('SAME_DAY'), { unit: 'SAME_DAY' })
  t.equal(parseDuration('5 days'), undefined)
  t.equal(parseDuration('05 WD'), undefined)
})

t.test('a malformed definition is rejected with every problem and its JSON path', async (t) => {
  const bad = structuredClone(read('dang-ky-khai-sinh.json')) as unknown as Record<string, unknown>
  bad['code'] = '1001193'
  bad['agencyLevel'] = 'quan'
  bad['duration'] = '5 days'
  delete bad['legalBasis']
  ;(bad['components'] as Array<Record<string, unknown>>)[0]!['accept'] = ['pdf']
  ;(bad['form'] as { properties: Record<string, Record<string, unknown>> }).properties['soBanSao']!['x-ui'] = {
    widget: 'number',
  }
  const result = await loadProcedureDefinition(bad)
  t.equal(result.ok, false)
  const paths = result.ok ? [] : result.problems.map((p) => p.path)
  for (const path of [
    '/code',
    '/agencyLevel',
    '/duration',
    '/legalBasis',
    '/components/0/accept/0',
    '/form/properties/soBanSao/x-ui/label',
  ]) {
    t.ok(paths.includes(path), `reports ${path}`)
  }
})

t.test('cross-checks: unique ids, shares against the duration, a compilable form, the workflow file', async (t) => {
  const def = structuredClone(read('xac-nhan-tinh-trang-hon-nhan.json'))
  def.components[1]!.id = def.components[0]!.id
  def.steps[1]!.shareWorkingDays = 2
  def.form.properties['nguoiYeuCau'] = { type: 'strin', 'x-ui': { label: { vi: 'Người yêu cầu' } } }
  def.form['x-ui'] = { order: ['nguoiYeuCau', 'khongCo'] }
  def.workflow.file = 'khong-co.bpmn'
  const problems = checkProcedureDefinition(def)
  const messages = problems.map((p) => `${p.path}: ${p.message}`)
  t.match(messages.join('\n'), /\/components\/1\/id: Duplicate component id "to-khai"/)
  t.match(messages.join('\n'), /\/steps: Step shares sum to 3\.5 working days but the duration is 3 WD/)
  t.match(messages.join('\n'), /\/form: The form is not a valid JSON Schema/)
  t.match(messages.join('\n'), /\/form\/x-ui\/order: order names "khongCo"/)
  t.match(messages.join('\n'), /\/workflow\/file: Workflow file khong-co\.bpmn does not exist/)
})

t.test('a step must be a user task of the process with the step unit role as candidate group', async (t) => {
  const def = structuredClone(read('cap-giay-phep-xay-dung-nha-o-rieng-le.json'))
  def.steps[1]!.unitRole = 'phong-khac'
  def.steps[2]!.id = 'Task_KhongCo'
  const result = await loadProcedureDefinition(def)
  const problems = result.ok ? [] : result.problems
  t.match(problems, [
    { path: '/steps/1/unitRole', message: /candidate groups \[kinh-te-ha-tang-do-thi\], not "phong-khac"/ },
    { path: '/steps/2/id', message: /No user task "Task_KhongCo"/ },
  ])
})

t.test('the slug must be the file name', async (t) => {
  const problems = checkProcedureDefinition(read('dang-ky-khai-sinh.json'), { fileName: 'khai-sinh.json' })
  t.match(problems, [{ path: '/slug' }])
})
