// The analyst's form builder (issue #20): its editing operations are pure functions over the dossier form's JSON
// Schema, judged here by the server's own checks — every form the builder makes passes the catalogue's meta-schema and
// cross-checks, and validates dossier data with the server's validator; every reference form round-trips unchanged.
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { checkProcedureDefinition, formsDir } from '../src/catalogue/definition.js'
import { compileForm } from '../src/catalogue/form-validation.js'
import {
  FIELD_KINDS,
  addComponent,
  addField,
  childrenOf,
  choiceValue,
  editComponent,
  fieldAt,
  hasField,
  isRequired,
  kindOf,
  moveComponent,
  moveField,
  optionsOf,
  patternProblem,
  removeComponent,
  removeField,
  setFieldText,
  setOptions,
  setRequired,
  setShowWhen,
  setValidation,
  showWhenOf,
  type Component,
  type Json,
} from '../web/src/analyst/form-builder.js'
import { definitionOf, textsOf } from '../web/src/analyst/form-texts.js'
import { conditionalUi, withoutHidden } from '../web/src/citizen/conditions.js'

const files = readdirSync(formsDir).filter((f) => f.endsWith('.json') && f !== 'procedure.schema.json')
const load = (file: string) => JSON.parse(readFileSync(join(formsDir, file), 'utf8')) as Json
const marital = () => load('xac-nhan-tinh-trang-hon-nhan.json')
const formOf = (def: Json) => def['form'] as Json
/** The server's verdict on a definition whose form (or components) the builder changed. */
const problems = (def: Json, form: Json, components?: Component[]) =>
  checkProcedureDefinition({ ...def, form, ...(components ? { components } : {}) })

t.test('every reference form round-trips: loaded into the editor and saved without edits, the same JSON', async (t) => {
  t.ok(files.length >= 6)
  for (const file of files) {
    const def = load(file)
    const texts = textsOf(def)
    const saved = definitionOf(texts)
    if (!saved.ok) throw new Error(`${file} does not parse back`)
    // The same JSON value; keys come back in the order people write them (the server's jsonb keeps none).
    t.same(saved.value, def, file)
    t.same(textsOf(saved.value), texts, `${file}: the texts are stable`)
    // Reading the fields (what the builder shows) changes nothing either.
    const form = formOf(def)
    const before = JSON.stringify(form)
    const walk = (path: string[]): void => {
      for (const name of childrenOf(form, path)) {
        const field = fieldAt(form, [...path, name])
        kindOf(field)
        isRequired(form, [...path, name])
        if (field['properties'] || (field['items'] as Json | undefined)?.['properties']) walk([...path, name])
      }
    }
    walk([])
    t.equal(JSON.stringify(form), before, `${file}: reading is pure`)
  }
})

t.test('every palette kind added to a reference form gives a form the server accepts', async (t) => {
  const def = marital()
  for (const kind of FIELD_KINDS) {
    const { form, path } = addField(formOf(def), [], kind)
    t.same(problems(def, form), [], `${kind}: no problem`)
    t.equal(kindOf(fieldAt(form, path)), kind, `${kind}: read back as ${kind}`)
    t.equal(childrenOf(form, []).at(-1), path[0], `${kind}: added at the end`)
    t.doesNotThrow(() => compileForm(form), `${kind}: the validator compiles it`)
  }
  t.same(formOf(def), formOf(marital()), 'the input form is not mutated')
})

t.test('fields are added at a place, into groups and repeating groups, under names not yet taken', async (t) => {
  let form = formOf(marital())
  const first = addField(form, [], 'text', 0)
  t.same(first.path, ['vanBan'])
  t.equal(childrenOf(first.form, [])[0], 'vanBan')
  const second = addField(first.form, [], 'text', 1)
  t.same(second.path, ['vanBan2'], 'a second text field gets another name')
  form = second.form
  const inGroup = addField(form, ['nguoiYeuCau'], 'cccd', 1)
  t.same(inGroup.path, ['nguoiYeuCau', 'soDinhDanh2'])
  t.same(childrenOf(inGroup.form, ['nguoiYeuCau']).slice(0, 3), ['hoTen', 'soDinhDanh2', 'soDinhDanh'])
  const inList = addField(inGroup.form, ['noiThuongTruTruocDay'], 'date')
  t.same(inList.path, ['noiThuongTruTruocDay', 'ngay'])
  t.ok(
    ((formOf(marital())['properties'] as Json)['noiThuongTruTruocDay'] as Json)['items'],
    'a list keeps its item fields under items',
  )
  t.equal(fieldAt(inList.form, inList.path)['format'], 'date')
  const group = addField(inList.form, [], 'group')
  const nested = addField(group.form, group.path, 'phone')
  t.same(childrenOf(nested.form, group.path), ['soDienThoai'])
  t.same(problems(marital(), nested.form), [])
  t.ok(hasField(nested.form, [...group.path, 'soDienThoai']))
  t.notOk(hasField(nested.form, ['khongCo']), 'a field gone (after an edit of the JSON text) is said so, not thrown')
  t.notOk(hasField(nested.form, ['khongCo', 'x']))
})

t.test('a move and its inverse give back the same form; a removal leaves no mention of the field', async (t) => {
  const form = formOf(marital())
  const order = childrenOf(form, [])
  const moved = moveField(form, ['mucDichSuDung'], 0)
  t.same(childrenOf(moved, []), ['mucDichSuDung', ...order.filter((n) => n !== 'mucDichSuDung')])
  t.same(moveField(moved, ['mucDichSuDung'], order.indexOf('mucDichSuDung')), form, 'moved back: the same JSON')
  t.same(childrenOf(moveField(form, ['nguoiYeuCau', 'email'], 0), ['nguoiYeuCau'])[0], 'email', 'inside a group')
  t.same(childrenOf(moveField(form, ['nguoiYeuCau'], 99), []).at(-1), 'nguoiYeuCau', 'an index past the end: last')

  const removed = removeField(form, ['tinhTrangHonNhan'])
  t.notOk('tinhTrangHonNhan' in (removed['properties'] as Json))
  t.notOk(childrenOf(removed, []).includes('tinhTrangHonNhan'))
  t.notOk((removed['required'] as string[]).includes('tinhTrangHonNhan'))
  t.notOk(JSON.stringify(removed['x-ui']).includes('tinhTrangHonNhan'))
  t.same(problems(marital(), removed), [])
})

t.test('labels and help in Vietnamese and English', async (t) => {
  let form = formOf(marital())
  const path = ['mucDichSuDung']
  form = setFieldText(form, path, 'label', 'vi', 'Mục đích')
  form = setFieldText(form, path, 'label', 'en', 'Why')
  t.same((fieldAt(form, path)['x-ui'] as Json)['label'], { vi: 'Mục đích', en: 'Why' })
  form = setFieldText(form, path, 'label', 'en', '')
  t.same((fieldAt(form, path)['x-ui'] as Json)['label'], { vi: 'Mục đích' }, 'an empty English label is removed')
  form = setFieldText(form, path, 'help', 'vi', '')
  t.notOk('help' in (fieldAt(form, path)['x-ui'] as Json), 'a help without Vietnamese is removed')
  form = setFieldText(form, ['daTungThuongTruNoiKhac'], 'help', 'en', 'Only in English')
  t.notOk('help' in (fieldAt(form, ['daTungThuongTruNoiKhac'])['x-ui'] as Json), 'no help in English only')
  t.same(problems(marital(), form), [])
  // An empty Vietnamese label is what the server refuses (the builder says so beside the input).
  const unlabelled = setFieldText(form, path, 'label', 'vi', '')
  t.ok(problems(marital(), unlabelled).length > 0)
})

t.test('required, and shown when another field has a value: the server validates dossiers by it', async (t) => {
  const def = marital()
  let form = formOf(def)
  // The earlier residences are asked only when the applicant lived elsewhere, and then required.
  form = setShowWhen(form, ['noiThuongTruTruocDay'], { field: 'daTungThuongTruNoiKhac', value: true })
  form = setRequired(form, ['noiThuongTruTruocDay'], true)
  t.ok(isRequired(form, ['noiThuongTruTruocDay']))
  t.notOk((form['required'] as string[]).includes('noiThuongTruTruocDay'), 'not required unconditionally')
  t.same(form['allOf'], [
    {
      if: { properties: { daTungThuongTruNoiKhac: { const: true } }, required: ['daTungThuongTruNoiKhac'] },
      then: { required: ['noiThuongTruTruocDay'] },
    },
  ])
  t.same(showWhenOf(fieldAt(form, ['noiThuongTruTruocDay'])), { field: 'daTungThuongTruNoiKhac', value: true })
  t.same(problems(def, form), [])

  const validator = compileForm(form)
  const base = {
    nguoiYeuCau: {
      hoTen: 'Nguyễn Văn A',
      soDinhDanh: '001090000001',
      soDienThoai: '0912345678',
      noiCuTru: { tinh: 'Hà Nội', xa: 'Ba Đình' },
    },
    tinhTrangHonNhan: 'chua-ket-hon',
    mucDichSuDung: 'Kết hôn',
  }
  t.same(validator.validate({ ...base, daTungThuongTruNoiKhac: false }), { ok: true }, 'hidden: not asked')
  const missing = validator.validate({ ...base, daTungThuongTruNoiKhac: true })
  t.equal(missing.ok, false, 'shown: required')
  if (!missing.ok)
    t.match(missing.errors, [{ keyword: 'required', params: { missingProperty: 'noiThuongTruTruocDay' } }])
  t.same(
    validator.validate({
      ...base,
      daTungThuongTruNoiKhac: true,
      noiThuongTruTruocDay: [{ tinh: 'Huế', xa: 'Phú Hội' }],
    }),
    { ok: true },
  )

  // Always shown again: required as before, without the condition.
  const plain = setShowWhen(form, ['noiThuongTruTruocDay'], null)
  t.notOk('allOf' in plain)
  t.ok((plain['required'] as string[]).includes('noiThuongTruTruocDay'))
  t.notOk(showWhenOf(fieldAt(plain, ['noiThuongTruTruocDay'])))
  t.same(setRequired(plain, ['noiThuongTruTruocDay'], false), formOf(def), 'and optional: the form as it was')

  // The field a condition reads is removed: the conditional field is shown always, still required.
  const orphan = removeField(form, ['daTungThuongTruNoiKhac'])
  t.notOk(showWhenOf(fieldAt(orphan, ['noiThuongTruTruocDay'])))
  t.notOk('allOf' in orphan)
  t.ok((orphan['required'] as string[]).includes('noiThuongTruTruocDay'))
  // Removing the conditional field removes its condition entry too.
  t.notOk('allOf' in removeField(form, ['noiThuongTruTruocDay']))

  // "Any value": a text field's condition is only that it is filled.
  const any = setRequired(
    setShowWhen(formOf(def), ['mucDichSuDung'], { field: 'tinhTrangHonNhan' }),
    ['mucDichSuDung'],
    true,
  )
  t.same((any['allOf'] as Json[])[0], { if: { required: ['tinhTrangHonNhan'] }, then: { required: ['mucDichSuDung'] } })
  t.throws(() => setShowWhen(form, ['mucDichSuDung'], { field: 'mucDichSuDung' }), /itself/)

  // The server refuses a condition on a field that is not beside it.
  const stray = setShowWhen(formOf(def), ['mucDichSuDung'], { field: 'khongCo' })
  t.match(problems(def, stray), [{ path: '/form/properties/mucDichSuDung/x-ui/showWhen/field' }])
})

t.test('the renderer hides a field until its condition holds, and drops a hidden value', async (t) => {
  const form = setShowWhen(formOf(marital()), ['noiThuongTruTruocDay'], {
    field: 'daTungThuongTruNoiKhac',
    value: true,
  })
  const hidden = conditionalUi(form, { daTungThuongTruNoiKhac: false }, {})
  t.equal((hidden['noiThuongTruTruocDay'] as Json)['ui:field'], 'conditionHidden')
  const shown = conditionalUi(form, { daTungThuongTruNoiKhac: true }, {})
  t.notOk((shown['noiThuongTruTruocDay'] as Json | undefined)?.['ui:field'])
  t.same(
    withoutHidden(form, { daTungThuongTruNoiKhac: false, noiThuongTruTruocDay: [{ tinh: 'Huế' }], mucDichSuDung: 'x' }),
    { daTungThuongTruNoiKhac: false, mucDichSuDung: 'x' },
  )
  const data = { daTungThuongTruNoiKhac: true, noiThuongTruTruocDay: [] }
  t.equal(withoutHidden(form, data), data, 'nothing hidden: the same object')
  // A chain: C depends on B, which depends on A; A emptied hides both.
  let chain = addField(form, [], 'text').form
  chain = setShowWhen(chain, ['vanBan'], { field: 'mucDichSuDung' })
  chain = setShowWhen(chain, ['mucDichSuDung'], { field: 'tinhTrangHonNhan' })
  t.same(withoutHidden(chain, { mucDichSuDung: 'a', vanBan: 'b' }), {})
})

t.test('length and pattern, with the server’s safety check on the pattern', async (t) => {
  let form = formOf(marital())
  const path = ['mucDichSuDung']
  form = setValidation(form, path, { minLength: 5, maxLength: 50, pattern: '^[^<>]*$' })
  t.match(fieldAt(form, path), { minLength: 5, maxLength: 50, pattern: '^[^<>]*$' })
  t.same(problems(marital(), form), [])
  form = setValidation(form, path, { pattern: undefined, minLength: undefined })
  t.notOk('pattern' in fieldAt(form, path))
  t.notOk('minLength' in fieldAt(form, path))

  t.equal(patternProblem('^[0-9]{5}$'), undefined)
  t.match(patternProblem('^(a+)+$'), { vi: /không an toàn/, en: /unsafe/ })
  t.match(patternProblem('^(a)\\1$'), { vi: /không được hỗ trợ/ })
  t.match(patternProblem('['), { vi: /Không phải biểu thức chính quy hợp lệ/ })
  // The builder and publication agree: what the builder refuses, the server refuses.
  for (const pattern of ['^(a+)+$', '^(a)\\1$', '(?<=a)b']) {
    t.ok(patternProblem(pattern), pattern)
    t.ok(problems(marital(), setValidation(formOf(marital()), path, { pattern })).length > 0, `server: ${pattern}`)
  }
})

t.test('choices: options in two languages, values from labels', async (t) => {
  const { form, path } = addField(formOf(marital()), [], 'choice')
  const options = optionsOf(fieldAt(form, path))
  t.equal(options.length, 2)
  const next = setOptions(form, path, [...options, { value: choiceValue('Đã ly hôn'), label: { vi: 'Đã ly hôn' } }])
  t.same(fieldAt(next, path)['enum'], ['lua-chon-1', 'lua-chon-2', 'da-ly-hon'])
  t.same(problems(marital(), next), [])
  t.equal(choiceValue('  Đường  Phố Cổ! '), 'duong-pho-co')
  // A reference choice reads with its labels.
  t.equal(optionsOf(fieldAt(formOf(marital()), ['tinhTrangHonNhan']))[2]?.label.en, 'Divorced')
})

t.test('dossier components: added, ordered, edited and removed, valid for the server', async (t) => {
  const def = marital()
  const components = def['components'] as Component[]
  let next = addComponent(components)
  next = addComponent(next)
  t.same(
    next.slice(-2).map((c) => c.id),
    ['giay-to-moi', 'giay-to-moi-2'],
  )
  next = editComponent(next, next.length - 1, { name: 'Giấy xác nhận cư trú', required: true, condition: '' })
  next = moveComponent(next, next.length - 1, 0)
  t.match(next[0], { id: 'giay-to-moi-2', name: 'Giấy xác nhận cư trú', required: true })
  t.notOk('condition' in next[0]!)
  t.same(problems(def, formOf(def), next), [])
  t.same(moveComponent(moveComponent(components, 0, 1), 1, 0), components)
  t.same(removeComponent(next, 0).length, next.length - 1)
})
