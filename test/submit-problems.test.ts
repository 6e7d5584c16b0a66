// Submitting a draft that is not ready: every problem at once in one problem+json (agency, delivery, documents, form),
// each with its part, its field or component and a Vietnamese and an English message; the database as it was; and as
// the problems are fixed, only those left are reported.
import t from 'tap'
import { seedProcedures } from '../src/catalogue/service.js'
import { seedCalendar } from '../src/db/calendar-repository.js'
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
const { call, upload } = apiClient(built)

const tables = ['dossiers', 'engine_commands', 'dossier_attachments'] as const
async function counts(): Promise<Record<string, number>> {
  const out: Record<string, number> = {}
  for (const table of tables) out[table] = Number((await knex(table).count({ n: '*' }).first())!.n)
  return out
}

interface SubmitError {
  part: string
  field: string
  component?: string
  message: { vi: string; en: string }
}

t.test('a draft with everything wrong is told everything at once, then only what is left', async (t) => {
  const created = await call('POST', '/api/dossiers/drafts', 'congdan', { procedure: 'dang-ky-khai-sinh' })
  t.equal(created.statusCode, 201, created.body)
  const id = created.json().id as string
  // The child's name left out: a form error next to the rest.
  const { treEm, ...form } = birthForm as unknown as Record<string, Record<string, unknown>>
  const { hoTen: _name, ...child } = treEm!
  t.equal(
    (await call('PATCH', `/api/dossiers/drafts/${id}`, 'congdan', { formData: { ...form, treEm: child } })).statusCode,
    200,
  )
  const submit = (key: string) =>
    call('POST', `/api/dossiers/drafts/${id}/submit`, 'congdan', undefined, { 'idempotency-key': key })

  const before = await counts()
  const all = await submit('all-wrong-1')
  t.equal(all.statusCode, 422, all.body)
  t.equal(all.json().code, 'MC_ERR_DOSSIER_INCOMPLETE')
  const errors = all.json().errors as SubmitError[]
  t.same(
    errors.map((e) => `${e.part} ${e.component ?? e.field}`),
    [
      'agency agencyUnitId',
      'delivery deliveryMethod',
      'attachment to-khai',
      'attachment giay-chung-sinh',
      'form /treEm/hoTen',
    ],
    'the agency, the delivery, both missing documents and the form field, in one answer',
  )
  for (const e of errors) {
    t.ok(e.message.vi && e.message.en && e.message.vi !== e.message.en, `${e.part}: a vi and an en message`)
    t.notMatch(e.message.en, /must NOT|must have/, `${e.part}: worded for people`)
  }
  t.match(all.json().missing, [{ componentId: 'to-khai' }, { componentId: 'giay-chung-sinh' }], '`missing` kept')
  t.same(await counts(), before, 'nothing created')

  // The agency, the delivery and the documents fixed: the form is what is left, as the API says for a form.
  t.equal(
    (
      await call('PATCH', `/api/dossiers/drafts/${id}`, 'congdan', {
        agencyUnitId: 'xa-an-binh',
        deliveryMethod: 'counter',
      })
    ).statusCode,
    200,
  )
  for (const component of ['to-khai', 'giay-chung-sinh'])
    t.equal(
      (await upload('congdan', `/api/dossiers/drafts/${id}/attachments/${component}`, makePdf(), `${component}.pdf`))
        .statusCode,
      201,
    )
  const formOnly = await submit('all-wrong-2')
  t.equal(formOnly.statusCode, 422)
  t.equal(formOnly.json().code, 'MC_ERR_FORM_INVALID')
  t.same(
    (formOnly.json().errors as SubmitError[]).map((e) => `${e.part} ${e.field}`),
    ['form /treEm/hoTen'],
    'only the form is left',
  )
  t.same(await counts(), before, 'still nothing created')

  t.equal((await call('PATCH', `/api/dossiers/drafts/${id}`, 'congdan', { formData: birthForm })).statusCode, 200)
  const done = await submit('all-wrong-3')
  t.equal(done.statusCode, 201, `submitted once everything is right: ${done.body}`)
})

t.test('an agency that does not receive the procedure is named', async (t) => {
  const created = await call('POST', '/api/dossiers/drafts', 'congdan', { procedure: 'dang-ky-khai-sinh' })
  const id = created.json().id as string
  // A unit of another level (a province department) cannot receive a commune procedure.
  const other = await knex('units').whereNot({ level: 'commune' }).whereNotNull('agency_code').first('id', 'name')
  t.ok(other, 'a unit of another level to choose')
  const patched = await call('PATCH', `/api/dossiers/drafts/${id}`, 'congdan', { agencyUnitId: other.id })
  t.equal(patched.statusCode, 200, patched.body)
  const res = await call('POST', `/api/dossiers/drafts/${id}/submit`, 'congdan', undefined, {
    'idempotency-key': 'wrong-agency-1',
  })
  t.equal(res.statusCode, 422)
  const agency = (res.json().errors as SubmitError[]).find((e) => e.part === 'agency')
  t.match(agency?.message.vi, other.name, 'the agency named in Vietnamese')
})
