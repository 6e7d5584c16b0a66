// A form's validator is compiled once per schema content (src/catalogue/form-validation.ts): a draft checked, then
// published, then submitted to costs one ajv compilation, and every copy validates as the first did.
import t from 'tap'
import { compileForm, formCompilations, formSchemaProblem } from '../src/catalogue/form-validation.js'

const form = (): Record<string, unknown> => ({
  $id: 'https://motcua.example/forms/test-cache-v1',
  type: 'object',
  required: ['fullName'],
  properties: {
    fullName: { type: 'string', minLength: 2, 'x-ui': { label: { vi: 'Họ và tên', en: 'Full name' } } },
    phone: { type: 'string', format: 'phone-vn' },
  },
})

t.test('the same schema content is compiled once, and its copies validate alike', async (t) => {
  const before = formCompilations()
  const first = compileForm(form())
  t.equal(formCompilations(), before + 1)
  const copy = compileForm({ ...form(), $id: 'https://motcua.example/forms/test-cache-v2' })
  t.equal(formCompilations(), before + 1, 'a copy (another $id, which is set aside) reuses the compiled function')
  const bad = { fullName: 'A', phone: 'không phải số' }
  t.same(copy.validate(bad), first.validate(bad), 'the same errors, labels included')
  t.equal(first.validate(bad).ok, false)
  t.same(first.validate({ fullName: 'Nguyễn Văn A' }), { ok: true })

  const changed = form()
  ;(changed['properties'] as Record<string, { minLength?: number }>)['fullName']!.minLength = 1
  const other = compileForm(changed)
  t.equal(formCompilations(), before + 2, 'another content is compiled on its own')
  t.same(other.validate({ fullName: 'A' }), { ok: true }, 'and validates by its own rules')
  t.equal(first.validate({ fullName: 'A' }).ok, false, 'the first keeps its own')
})

t.test('an invalid schema is refused every time, never cached', async (t) => {
  const invalid = { type: 'object', properties: { x: { type: 'no-such-type' } } }
  const before = formCompilations()
  t.type(formSchemaProblem(invalid), 'string')
  t.type(formSchemaProblem(structuredClone(invalid)), 'string')
  t.equal(formCompilations(), before)
})
