// The form builder's editing operations: pure functions over the dossier form's JSON Schema itself (and the
// procedure's component list), never over a model of their own, so whatever an operation does not touch stays as it
// was written — a form loaded and saved without edits is the same JSON. Each returns a new value; nothing is mutated.
import { linearPatternProblem } from '../../../src/catalogue/form-rules.js'
import { safePatternProblem } from '../../../src/catalogue/pattern-safety.js'

export type Json = Record<string, unknown>
/** A field by the property names from the form's root; a repeating group's item fields follow the list's name. */
export type FieldPath = string[]
export interface Localized {
  vi: string
  en?: string
}
/** When a field is shown: another field of the same group has a value (any, or the one given). */
export interface ShowWhen {
  field: string
  value?: string | number | boolean
}
export interface ChoiceOption {
  value: string
  label: Localized
}

/** The palette: what an analyst can add. */
export const FIELD_KINDS = [
  'text',
  'number',
  'date',
  'choice',
  'checkbox',
  'cccd',
  'phone',
  'email',
  'address',
  'group',
  'list',
] as const
export type FieldKind = (typeof FIELD_KINDS)[number]

export const KIND_LABELS: Record<FieldKind, Localized & { en: string }> = {
  text: { vi: 'Văn bản', en: 'Text' },
  number: { vi: 'Số', en: 'Number' },
  date: { vi: 'Ngày', en: 'Date' },
  choice: { vi: 'Lựa chọn', en: 'Choice' },
  checkbox: { vi: 'Có/không', en: 'Yes/no' },
  cccd: { vi: 'Số CCCD', en: 'Citizen ID' },
  phone: { vi: 'Số điện thoại', en: 'Phone' },
  email: { vi: 'Thư điện tử', en: 'E-mail' },
  address: { vi: 'Địa chỉ', en: 'Address' },
  group: { vi: 'Nhóm trường', en: 'Group' },
  list: { vi: 'Nhóm lặp lại', en: 'Repeating group' },
}

/** Property-name stems for new fields (the forms name fields in Vietnamese camelCase). */
const NAME_STEMS: Record<FieldKind, string> = {
  text: 'vanBan',
  number: 'so',
  date: 'ngay',
  choice: 'luaChon',
  checkbox: 'coKhong',
  cccd: 'soDinhDanh',
  phone: 'soDienThoai',
  email: 'email',
  address: 'diaChi',
  group: 'nhom',
  list: 'danhSach',
}

const text = (vi: string, en: string, extra: Json = {}): Json => ({
  type: 'string',
  minLength: 1,
  maxLength: 200,
  'x-ui': { label: { vi, en }, widget: 'text' },
  ...extra,
})

/** A new field of a kind, shaped as the reference forms shape it (the citizen renderer and the server know them). */
export function newField(kind: FieldKind): Json {
  const label = { vi: KIND_LABELS[kind].vi, en: KIND_LABELS[kind].en }
  switch (kind) {
    case 'text':
      return { type: 'string', maxLength: 200, 'x-ui': { label, widget: 'text' } }
    case 'number':
      return { type: 'number', minimum: 0, 'x-ui': { label, widget: 'number' } }
    case 'date':
      return { type: 'string', format: 'date', 'x-ui': { label, widget: 'date' } }
    case 'choice':
      return {
        type: 'string',
        enum: ['lua-chon-1', 'lua-chon-2'],
        'x-ui': {
          label,
          widget: 'select',
          options: [
            { value: 'lua-chon-1', label: { vi: 'Lựa chọn 1', en: 'Option 1' } },
            { value: 'lua-chon-2', label: { vi: 'Lựa chọn 2', en: 'Option 2' } },
          ],
        },
      }
    case 'checkbox':
      return { type: 'boolean', default: false, 'x-ui': { label, widget: 'checkbox' } }
    case 'cccd':
      return {
        type: 'string',
        format: 'cccd',
        'x-ui': {
          label: { vi: 'Số định danh cá nhân (CCCD)', en: 'Personal identification number (citizen ID)' },
          widget: 'cccd',
          help: { vi: '12 chữ số trên thẻ căn cước', en: 'The 12 digits on the ID card' },
        },
      }
    case 'phone':
      return { type: 'string', format: 'phone-vn', 'x-ui': { label, widget: 'phone' } }
    case 'email':
      return { type: 'string', format: 'email', 'x-ui': { label, widget: 'email' } }
    case 'address':
      return {
        type: 'object',
        required: ['tinh', 'xa'],
        'x-ui': { label, widget: 'address', addressParts: ['province', 'commune', 'street'] },
        properties: {
          tinh: text('Tỉnh/thành phố', 'Province/city'),
          xa: text('Xã/phường/đặc khu', 'Commune/ward'),
          diaChiChiTiet: text('Số nhà, đường, thôn/tổ', 'House number, street, hamlet', { maxLength: 300 }),
        },
      }
    case 'group':
      return { type: 'object', 'x-ui': { label, widget: 'group', order: [] }, properties: {} }
    case 'list':
      return {
        type: 'array',
        maxItems: 20,
        'x-ui': { label, widget: 'list' },
        items: {
          type: 'object',
          'x-ui': { label: { vi: 'Mục', en: 'Item' }, widget: 'group', order: [] },
          properties: {},
        },
      }
  }
}

/** The kind a field of a form is edited as (a field no palette entry made reads as text, number… by its type). */
export function kindOf(field: Json): FieldKind {
  const ui = uiOf(field)
  switch (ui['widget']) {
    case 'cccd':
    case 'phone':
    case 'email':
    case 'address':
    case 'date':
    case 'checkbox':
    case 'group':
    case 'list':
      return ui['widget']
    case 'select':
    case 'radio':
      return 'choice'
    case 'number':
    case 'money':
      return 'number'
  }
  if (field['type'] === 'array') return 'list'
  if (field['type'] === 'object') return 'group'
  if (field['type'] === 'number' || field['type'] === 'integer') return 'number'
  if (field['type'] === 'boolean') return 'checkbox'
  if (Array.isArray(field['enum'])) return 'choice'
  return 'text'
}

const clone = <T>(value: T): T => structuredClone(value)
const isObject = (v: unknown): v is Json => !!v && typeof v === 'object' && !Array.isArray(v)
const uiOf = (node: Json): Json => (isObject(node['x-ui']) ? node['x-ui'] : {})

/** The node whose `properties` hold the children of the field at path (a list's item object for a list). */
function containerIn(form: Json, path: FieldPath): Json {
  let node = form
  for (const name of path) {
    const props = node['properties']
    const child = isObject(props) ? props[name] : undefined
    if (!isObject(child)) throw new Error(`no field ${path.join('.')}`)
    node = child
    if (node['type'] === 'array' && isObject(node['items'])) node = node['items']
  }
  return node
}

/** The field at path. */
export function fieldAt(form: Json, path: FieldPath): Json {
  const parent = containerIn(form, path.slice(0, -1))
  const field = (parent['properties'] as Json | undefined)?.[path[path.length - 1]!]
  if (!isObject(field)) throw new Error(`no field ${path.join('.')}`)
  return field
}

/** Whether the form has a field at path (a chosen field may be gone after an edit of the JSON text). */
export function hasField(form: Json, path: FieldPath): boolean {
  try {
    fieldAt(form, path)
    return true
  } catch {
    return false
  }
}

/** Whether a field holds fields of its own (a group, a repeating group; not an address, edited whole). */
export function holdsFields(field: Json): boolean {
  const kind = kindOf(field)
  if (kind === 'group') return true
  // A list of addresses repeats one address, edited whole like an address field.
  return kind === 'list' && isObject(field['items']) && uiOf(field['items'])['widget'] !== 'address'
}

/** The children of the field at path (the root for []) in the order the form shows them: x-ui.order, then the rest. */
export function childrenOf(form: Json, path: FieldPath): string[] {
  const node = containerIn(form, path)
  const names = Object.keys(isObject(node['properties']) ? node['properties'] : {})
  const order = (uiOf(node)['order'] as string[] | undefined) ?? []
  return [...order.filter((n) => names.includes(n)), ...names.filter((n) => !order.includes(n))]
}

/** A copy of the form with the container at path changed by fn. */
function withContainer(form: Json, path: FieldPath, fn: (container: Json) => void): Json {
  const next = clone(form)
  fn(containerIn(next, path))
  return next
}

function setOrder(container: Json, order: string[]): void {
  container['x-ui'] = { ...uiOf(container), order }
}

/** Adds a field of a kind to the group at parentPath, at index (the end by default); returns it with its path. */
export function addField(
  form: Json,
  parentPath: FieldPath,
  kind: FieldKind,
  index?: number,
): { form: Json; path: FieldPath } {
  const order = childrenOf(form, parentPath)
  let name = NAME_STEMS[kind]
  for (let i = 2; order.includes(name); i++) name = `${NAME_STEMS[kind]}${i}`
  const next = withContainer(form, parentPath, (c) => {
    c['properties'] = { ...(isObject(c['properties']) ? c['properties'] : {}), [name]: newField(kind) }
    const at = index === undefined ? order.length : Math.max(0, Math.min(index, order.length))
    setOrder(c, [...order.slice(0, at), name, ...order.slice(at)])
  })
  return { form: next, path: [...parentPath, name] }
}

/** Moves the field at path to index among its siblings (drag and drop, or the move up/down buttons). */
export function moveField(form: Json, path: FieldPath, index: number): Json {
  const parentPath = path.slice(0, -1)
  const name = path[path.length - 1]!
  const order = childrenOf(form, parentPath).filter((n) => n !== name)
  const at = Math.max(0, Math.min(index, order.length))
  return withContainer(form, parentPath, (c) => setOrder(c, [...order.slice(0, at), name, ...order.slice(at)]))
}

/** The condition of a required conditional field: the parent's allOf entry `if <condition> then required`. */
function conditionSchema(when: ShowWhen): Json {
  return when.value === undefined
    ? { required: [when.field] }
    : { properties: { [when.field]: { const: when.value } }, required: [when.field] }
}

const requiresOnly = (entry: unknown, name: string): boolean => {
  if (!isObject(entry) || !isObject(entry['then']) || !isObject(entry['if'])) return false
  const then = entry['then']
  return Object.keys(then).length === 1 && JSON.stringify(then['required']) === JSON.stringify([name])
}

/** Removes the allOf entry that makes name required under its condition, and allOf itself when it empties. */
function dropConditionalRequired(container: Json, name: string): boolean {
  const allOf = container['allOf']
  if (!Array.isArray(allOf)) return false
  const kept = allOf.filter((e) => !requiresOnly(e, name))
  if (kept.length === allOf.length) return false
  if (kept.length) container['allOf'] = kept
  else delete container['allOf']
  return true
}

function dropRequired(container: Json, name: string): boolean {
  const required = container['required']
  if (!Array.isArray(required) || !required.includes(name)) return false
  const kept = required.filter((n) => n !== name)
  if (kept.length) container['required'] = kept
  else delete container['required']
  return true
}

/** Removes the field at path, with every mention of it: order, required, conditions on it. */
export function removeField(form: Json, path: FieldPath): Json {
  const name = path[path.length - 1]!
  return withContainer(form, path.slice(0, -1), (c) => {
    const props = { ...(c['properties'] as Json) }
    delete props[name]
    c['properties'] = props
    const ui = uiOf(c)
    if (Array.isArray(ui['order']))
      setOrder(
        c,
        (ui['order'] as string[]).filter((n) => n !== name),
      )
    dropRequired(c, name)
    dropConditionalRequired(c, name)
    // A sibling shown when this field has a value would never show: it becomes unconditional.
    for (const [sibling, field] of Object.entries(props)) {
      const when = showWhenOf(field as Json)
      if (when?.field !== name) continue
      const required = dropConditionalRequired(c, sibling)
      const sui = { ...uiOf(field as Json) }
      delete sui['showWhen']
      props[sibling] = { ...(field as Json), 'x-ui': sui }
      if (required) c['required'] = [...((c['required'] as string[] | undefined) ?? []), sibling]
    }
  })
}

/** A copy of the form with the field at path changed by fn. */
function withField(form: Json, path: FieldPath, fn: (field: Json) => void): Json {
  const next = clone(form)
  fn(fieldAt(next, path))
  return next
}

/** Sets the label, help or placeholder of a field in one language; an empty English text or help is removed. */
export function setFieldText(
  form: Json,
  path: FieldPath,
  key: 'label' | 'help' | 'placeholder',
  lang: 'vi' | 'en',
  value: string,
): Json {
  return withField(form, path, (field) => {
    const ui = { ...uiOf(field) }
    const current = isObject(ui[key]) ? { ...(ui[key] as Json) } : {}
    if (value === '' && lang === 'en') delete current['en']
    else current[lang] = value
    // A help or placeholder without its Vietnamese text is no text at all (the meta-schema requires vi).
    if (key !== 'label' && !current['vi']) delete ui[key]
    else ui[key] = current
    field['x-ui'] = ui
  })
}

export function showWhenOf(field: Json): ShowWhen | undefined {
  const when = uiOf(field)['showWhen']
  return isObject(when) && typeof when['field'] === 'string' ? (when as unknown as ShowWhen) : undefined
}

/** Whether the field must be filled (when shown, for a conditional field). */
export function isRequired(form: Json, path: FieldPath): boolean {
  const name = path[path.length - 1]!
  const container = containerIn(form, path.slice(0, -1))
  const required = container['required']
  if (Array.isArray(required) && required.includes(name)) return true
  const allOf = container['allOf']
  return Array.isArray(allOf) && allOf.some((e) => requiresOnly(e, name))
}

/** Makes a field required or optional; a conditional field is required by its parent's `if … then` entry. */
export function setRequired(form: Json, path: FieldPath, required: boolean): Json {
  const name = path[path.length - 1]!
  const when = showWhenOf(fieldAt(form, path))
  return withContainer(form, path.slice(0, -1), (c) => {
    dropRequired(c, name)
    dropConditionalRequired(c, name)
    if (!required) return
    if (when)
      c['allOf'] = [
        ...(Array.isArray(c['allOf']) ? c['allOf'] : []),
        { if: conditionSchema(when), then: { required: [name] } },
      ]
    else c['required'] = [...(Array.isArray(c['required']) ? (c['required'] as string[]) : []), name]
  })
}

/** Shows the field only when a sibling has a value (or the given one), or always (null); required stays required. */
export function setShowWhen(form: Json, path: FieldPath, when: ShowWhen | null): Json {
  if (when && when.field === path[path.length - 1]) throw new Error('a field cannot depend on itself')
  const required = isRequired(form, path)
  let next = setRequired(form, path, false)
  next = withField(next, path, (field) => {
    const ui = { ...uiOf(field) }
    if (when) ui['showWhen'] = when.value === undefined ? { field: when.field } : { ...when }
    else delete ui['showWhen']
    field['x-ui'] = ui
  })
  return required ? setRequired(next, path, true) : next
}

export interface Validation {
  minLength?: number
  maxLength?: number
  pattern?: string
  minimum?: number
  maximum?: number
}

/** Sets or clears (undefined) the length, pattern or bounds of a field. */
export function setValidation(form: Json, path: FieldPath, change: Validation): Json {
  return withField(form, path, (field) => {
    for (const [key, value] of Object.entries(change) as Array<[keyof Validation, unknown]>) {
      if (value === undefined || value === '') delete field[key]
      else field[key] = value
    }
  })
}

/** The choices of a choice field: its enum values with their labels. */
export function optionsOf(field: Json): ChoiceOption[] {
  const labels = (uiOf(field)['options'] as ChoiceOption[] | undefined) ?? []
  const values = Array.isArray(field['enum']) ? (field['enum'] as unknown[]) : labels.map((o) => o.value)
  return values.map((v) => labels.find((o) => o.value === v) ?? { value: String(v), label: { vi: String(v) } })
}

/** Replaces the choices of a choice field (enum and their labels together). */
export function setOptions(form: Json, path: FieldPath, options: ChoiceOption[]): Json {
  return withField(form, path, (field) => {
    field['enum'] = options.map((o) => o.value)
    field['x-ui'] = { ...uiOf(field), options }
  })
}

/** A choice value from a label: lower-case ASCII words joined by dashes, as the reference forms write them. */
export function choiceValue(label: string): string {
  return label
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
}

/**
 * Why a pattern cannot be published, in both languages, or undefined: the server's own rules — valid ECMAScript,
 * compiles on the linear-time engine the forms are validated with, judged safe by safe-regex2.
 */
export function patternProblem(pattern: string): Localized | undefined {
  try {
    new RegExp(pattern, 'u')
  } catch {
    return { vi: 'Không phải biểu thức chính quy hợp lệ', en: 'Not a valid regular expression' }
  }
  if (linearPatternProblem(pattern))
    return {
      vi: 'Dùng cú pháp không được hỗ trợ (tham chiếu ngược, nhìn trước/nhìn sau…)',
      en: 'Uses syntax that is not supported (backreferences, lookarounds…)',
    }
  const unsafe = safePatternProblem(pattern)
  return unsafe && { vi: `Mẫu kiểm tra ${unsafe.vi}`, en: `The pattern ${unsafe.en}` }
}

/** The siblings a field may depend on: those before it that are not groups (a group has no single value). */
export function conditionCandidates(form: Json, path: FieldPath): string[] {
  const parentPath = path.slice(0, -1)
  const name = path[path.length - 1]
  return childrenOf(form, parentPath).filter((n) => {
    if (n === name) return false
    const kind = kindOf(fieldAt(form, [...parentPath, n]))
    return kind !== 'group' && kind !== 'list' && kind !== 'address'
  })
}

// The procedure's dossier components (giấy tờ kèm theo): the palette's "file component".

export interface Component extends Json {
  id: string
  name: string
}

/** A new component with the defaults of the reference procedures and an id not yet taken. */
export function addComponent(components: Component[]): Component[] {
  let id = 'giay-to-moi'
  for (let i = 2; components.some((c) => c.id === id); i++) id = `giay-to-moi-${i}`
  return [
    ...components,
    {
      id,
      name: 'Giấy tờ mới',
      form: 'copy',
      quantity: 1,
      required: false,
      reusable: false,
      accept: ['application/pdf', 'image/jpeg', 'image/png'],
      maxSizeMb: 10,
    },
  ]
}

export function moveComponent(components: Component[], from: number, to: number): Component[] {
  const next = [...components]
  const [moved] = next.splice(from, 1)
  next.splice(Math.max(0, Math.min(to, next.length)), 0, moved!)
  return next
}

export function removeComponent(components: Component[], index: number): Component[] {
  return components.filter((_, i) => i !== index)
}

/** Changes a component's properties; undefined or '' removes an optional one. */
export function editComponent(components: Component[], index: number, change: Json): Component[] {
  return components.map((c, i) => {
    if (i !== index) return c
    const next: Json = { ...c }
    for (const [k, v] of Object.entries(change)) {
      if (v === undefined || v === '') delete next[k]
      else next[k] = v
    }
    return next as Component
  })
}
