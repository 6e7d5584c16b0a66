// Validates a citizen's dossier form data against the procedure's JSON-schema form, with Vietnamese
// and English messages that name the field by its label, and compiles each form once per version.
import { createRequire } from 'node:module'
import type { ErrorObject, ValidateFunction } from 'ajv'

// ajv and ajv-formats are CommonJS with `exports.default`; under NodeNext the default import is the
// module object, so they are loaded with require and typed by hand.
const require = createRequire(import.meta.url)
const Ajv2020 = require('ajv/dist/2020').default as typeof import('ajv/dist/2020.js').default
const addFormats = require('ajv-formats').default as typeof import('ajv-formats').default
type Ajv = InstanceType<typeof Ajv2020>

export interface Localized {
  vi: string
  en?: string
}

export interface FieldError {
  /** JSON Pointer of the field in the form data, e.g. `/child/fullName`; `` for the whole form. */
  field: string
  /** The field's label from its `x-ui` hints, when it has one. */
  label?: Localized
  keyword: string
  message: { vi: string; en: string }
  params: Record<string, unknown>
}

export type FormValidationResult = { ok: true } | { ok: false; errors: FieldError[] }

export interface FormValidator {
  validate(data: unknown): FormValidationResult
}

/**
 * Province codes that open a CCCD / personal identification number (số định danh cá nhân): the 63
 * provincial codes of the national list of administrative units as used by Thông tư 07/2016/TT-BCA
 * (Phụ lục mã tỉnh). Numbers issued before the 2025 province mergers keep these codes. Codes 003,
 * 005, 007 … are unassigned, so a number starting with one of them is a typing mistake.
 */
export const CCCD_PROVINCE_CODES: ReadonlySet<string> = new Set([
  '001', '002', '004', '006', '008', '010', '011', '012', '014', '015', '017', '019', '020', '022',
  '024', '025', '026', '027', '030', '031', '033', '034', '035', '036', '037', '038', '040', '042',
  '044', '045', '046', '048', '049', '051', '052', '054', '056', '058', '060', '062', '064', '066',
  '067', '068', '070', '072', '074', '075', '077', '079', '080', '082', '083', '084', '086', '087',
  '089', '091', '092', '093', '094', '095', '096',
])

/** 12 digits whose first three are a province code. */
export function isCccd(value: string): boolean {
  return /^[0-9]{12}$/.test(value) && CCCD_PROVINCE_CODES.has(value.slice(0, 3))
}

/**
 * Vietnamese phone numbers after the 2018 renumbering: mobile 0[35789]xxxxxxxx (10 digits) and
 * landline 02xxxxxxxxx (11 digits: 02 + area code + subscriber), with 0 or +84/84 in front;
 * spaces, dots and dashes between groups are allowed.
 */
export function isPhoneVn(value: string): boolean {
  const digits = value.replace(/[\s.-]/g, '')
  return /^(?:\+?84|0)(?:[35789][0-9]{8}|2[0-9]{9})$/.test(digits)
}

function createFormAjv(): Ajv {
  const ajv = new Ajv2020({ allErrors: true, strict: true, strictRequired: false, allowUnionTypes: true })
  addFormats(ajv, ['date', 'date-time', 'email', 'uri'])
  ajv.addFormat('cccd', { type: 'string', validate: isCccd })
  ajv.addFormat('phone-vn', { type: 'string', validate: isPhoneVn })
  // UI hints are annotations for the form renderer; the catalogue meta-schema checks their shape.
  ajv.addKeyword({ keyword: 'x-ui', schemaType: 'object' })
  return ajv
}

// One instance for every form: compiled validators are cached by key below, not by the schema
// object, so an edited draft under the same key must be dropped with forgetForm().
let sharedAjv: Ajv | undefined
const cache = new Map<string, FormValidator>()

/** Compiles a form; throws an Error naming the problem when the form is not a valid schema. */
export function compileForm(schema: Record<string, unknown>): FormValidator {
  sharedAjv ??= createFormAjv()
  const ajv = sharedAjv
  // $id would be registered globally in the instance and clash between versions of one form.
  const { $id: _ignored, ...anonymous } = schema
  const validateFn: ValidateFunction = ajv.compile(anonymous)
  return {
    validate(data) {
      if (validateFn(data)) return { ok: true }
      return { ok: false, errors: (validateFn.errors ?? []).map((e) => toFieldError(e, anonymous)) }
    },
  }
}

/** Checks that a form is a compilable JSON Schema; returns the compiler's message when not. */
export function formSchemaProblem(schema: Record<string, unknown>): string | undefined {
  try {
    compileForm(schema)
    return undefined
  } catch (err) {
    return (err as Error).message
  }
}

/** The validator of one published or draft form, compiled on first use (key: `<procedure>@<version>`). */
export function formValidatorFor(key: string, schema: Record<string, unknown>): FormValidator {
  let validator = cache.get(key)
  if (!validator) {
    validator = compileForm(schema)
    cache.set(key, validator)
  }
  return validator
}

/** Drops a cached validator, e.g. after a draft form was edited. */
export function forgetForm(key: string): void {
  cache.delete(key)
}

export function validateForm(key: string, schema: Record<string, unknown>, data: unknown): FormValidationResult {
  return formValidatorFor(key, schema).validate(data)
}

type Params = Record<string, unknown>
type MessageFn = (p: Params) => { vi: string; en: string }

const formatNames: Record<string, { vi: string; en: string }> = {
  cccd: { vi: 'số CCCD/định danh cá nhân gồm 12 chữ số, bắt đầu bằng mã tỉnh hợp lệ', en: 'a 12-digit citizen ID starting with a valid province code' },
  'phone-vn': { vi: 'số điện thoại Việt Nam (di động hoặc cố định)', en: 'a Vietnamese phone number (mobile or landline)' },
  email: { vi: 'địa chỉ thư điện tử', en: 'an e-mail address' },
  date: { vi: 'ngày theo dạng YYYY-MM-DD', en: 'a date as YYYY-MM-DD' },
  'date-time': { vi: 'thời điểm (ngày và giờ)', en: 'a date and time' },
  uri: { vi: 'địa chỉ URL', en: 'a URL' },
}

const typeNames: Record<string, { vi: string; en: string }> = {
  string: { vi: 'văn bản', en: 'text' },
  number: { vi: 'số', en: 'a number' },
  integer: { vi: 'số nguyên', en: 'a whole number' },
  boolean: { vi: 'có/không', en: 'yes/no' },
  object: { vi: 'nhóm thông tin', en: 'a group of fields' },
  array: { vi: 'danh sách', en: 'a list' },
  null: { vi: 'để trống', en: 'empty' },
}

const listOf = (v: unknown): string => (Array.isArray(v) ? v.map((x) => JSON.stringify(x)).join(', ') : JSON.stringify(v))

/** One message per ajv keyword; anything else falls back to a generic message. */
const messages: Record<string, MessageFn> = {
  required: () => ({ vi: 'Bắt buộc nhập', en: 'Required' }),
  type: (p) => {
    const t = String(p['type']).split(',')[0] ?? ''
    const name = typeNames[t] ?? { vi: t, en: t }
    return { vi: `Phải là ${name.vi}`, en: `Must be ${name.en}` }
  },
  format: (p) => {
    const f = formatNames[String(p['format'])] ?? { vi: `định dạng ${String(p['format'])}`, en: `format ${String(p['format'])}` }
    return { vi: `Không đúng định dạng: phải là ${f.vi}`, en: `Invalid format: must be ${f.en}` }
  },
  minLength: (p) => (p['limit'] === 1 ? { vi: 'Bắt buộc nhập', en: 'Required' } : { vi: `Phải có ít nhất ${String(p['limit'])} ký tự`, en: `Must have at least ${String(p['limit'])} characters` }),
  maxLength: (p) => ({ vi: `Không được quá ${String(p['limit'])} ký tự`, en: `Must have at most ${String(p['limit'])} characters` }),
  pattern: () => ({ vi: 'Không đúng định dạng', en: 'Invalid format' }),
  enum: (p) => ({ vi: `Phải chọn một trong các giá trị: ${listOf(p['allowedValues'])}`, en: `Must be one of: ${listOf(p['allowedValues'])}` }),
  const: (p) => ({ vi: `Phải là ${listOf(p['allowedValue'])}`, en: `Must be ${listOf(p['allowedValue'])}` }),
  minimum: (p) => ({ vi: `Phải lớn hơn hoặc bằng ${String(p['limit'])}`, en: `Must be at least ${String(p['limit'])}` }),
  maximum: (p) => ({ vi: `Phải nhỏ hơn hoặc bằng ${String(p['limit'])}`, en: `Must be at most ${String(p['limit'])}` }),
  exclusiveMinimum: (p) => ({ vi: `Phải lớn hơn ${String(p['limit'])}`, en: `Must be greater than ${String(p['limit'])}` }),
  exclusiveMaximum: (p) => ({ vi: `Phải nhỏ hơn ${String(p['limit'])}`, en: `Must be less than ${String(p['limit'])}` }),
  multipleOf: (p) => ({ vi: `Phải là bội số của ${String(p['multipleOf'])}`, en: `Must be a multiple of ${String(p['multipleOf'])}` }),
  minItems: (p) => ({ vi: `Phải có ít nhất ${String(p['limit'])} mục`, en: `Must have at least ${String(p['limit'])} item(s)` }),
  maxItems: (p) => ({ vi: `Không được quá ${String(p['limit'])} mục`, en: `Must have at most ${String(p['limit'])} item(s)` }),
  uniqueItems: () => ({ vi: 'Các mục không được trùng nhau', en: 'Items must not repeat' }),
  additionalProperties: (p) => ({ vi: `Trường không có trong biểu mẫu: ${String(p['additionalProperty'])}`, en: `Field not in the form: ${String(p['additionalProperty'])}` }),
  minProperties: () => ({ vi: 'Bắt buộc nhập', en: 'Required' }),
}

function toFieldError(e: ErrorObject, schema: Record<string, unknown>): FieldError {
  const params = e.params as Params
  // A missing property is reported on its parent; point at the property itself, as users see it.
  const field = e.keyword === 'required' ? `${e.instancePath}/${String(params['missingProperty'])}` : e.instancePath
  const message = messages[e.keyword]?.(params) ?? { vi: 'Giá trị không hợp lệ', en: e.message ?? 'Invalid value' }
  const label = labelAt(schema, field)
  return { field, ...(label ? { label } : {}), keyword: e.keyword, message, params }
}

/** The `x-ui.label` of the schema node that describes a data path (through properties and items). */
export function labelAt(schema: Record<string, unknown>, pointer: string): Localized | undefined {
  let node: unknown = schema
  for (const raw of pointer.split('/').slice(1)) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~')
    if (!node || typeof node !== 'object') return undefined
    const n = node as Record<string, unknown>
    const props = n['properties'] as Record<string, unknown> | undefined
    node = /^[0-9]+$/.test(key) && n['items'] ? n['items'] : props?.[key]
  }
  const ui = (node as Record<string, unknown> | undefined)?.['x-ui'] as { label?: Localized } | undefined
  return ui?.label
}
