// The pure rules of dossier forms, shared by the server's form validation and the web app's dossier form (no ajv, no
// Node): the custom formats `cccd` and `phone-vn`, the linear-time engine form patterns run on, and the Vietnamese and
// English message of each failed keyword, so the browser and the server judge and word the same mistake the same way.
import { RE2JS } from 're2js'

/**
 * Province codes that open a CCCD / personal identification number (số định danh cá nhân): the 63
 * provincial codes of the national list of administrative units as used by Thông tư 07/2016/TT-BCA
 * (Phụ lục mã tỉnh). Numbers issued before the 2025 province mergers keep these codes. Codes 003,
 * 005, 007 … are unassigned, so a number starting with one of them is a typing mistake.
 */
export const CCCD_PROVINCE_CODES: ReadonlySet<string> = new Set([
  '001',
  '002',
  '004',
  '006',
  '008',
  '010',
  '011',
  '012',
  '014',
  '015',
  '017',
  '019',
  '020',
  '022',
  '024',
  '025',
  '026',
  '027',
  '030',
  '031',
  '033',
  '034',
  '035',
  '036',
  '037',
  '038',
  '040',
  '042',
  '044',
  '045',
  '046',
  '048',
  '049',
  '051',
  '052',
  '054',
  '056',
  '058',
  '060',
  '062',
  '064',
  '066',
  '067',
  '068',
  '070',
  '072',
  '074',
  '075',
  '077',
  '079',
  '080',
  '082',
  '083',
  '084',
  '086',
  '087',
  '089',
  '091',
  '092',
  '093',
  '094',
  '095',
  '096',
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

type Params = Record<string, unknown>
type MessageFn = (p: Params) => { vi: string; en: string }

const formatNames: Record<string, { vi: string; en: string }> = {
  cccd: {
    vi: 'số CCCD/định danh cá nhân gồm 12 chữ số, bắt đầu bằng mã tỉnh hợp lệ',
    en: 'a 12-digit citizen ID starting with a valid province code',
  },
  'phone-vn': {
    vi: 'số điện thoại Việt Nam (di động hoặc cố định)',
    en: 'a Vietnamese phone number (mobile or landline)',
  },
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

const listOf = (v: unknown): string =>
  Array.isArray(v) ? v.map((x) => JSON.stringify(x)).join(', ') : JSON.stringify(v)

/** One message per ajv keyword; anything else falls back to a generic message. */
const messages: Record<string, MessageFn> = {
  required: () => ({ vi: 'Bắt buộc nhập', en: 'Required' }),
  type: (p) => {
    const t = String(p['type']).split(',')[0] ?? ''
    const name = typeNames[t] ?? { vi: t, en: t }
    return { vi: `Phải là ${name.vi}`, en: `Must be ${name.en}` }
  },
  format: (p) => {
    const f = formatNames[String(p['format'])] ?? {
      vi: `định dạng ${String(p['format'])}`,
      en: `format ${String(p['format'])}`,
    }
    return { vi: `Không đúng định dạng: phải là ${f.vi}`, en: `Invalid format: must be ${f.en}` }
  },
  minLength: (p) =>
    p['limit'] === 1
      ? { vi: 'Bắt buộc nhập', en: 'Required' }
      : {
          vi: `Phải có ít nhất ${String(p['limit'])} ký tự`,
          en: `Must have at least ${String(p['limit'])} characters`,
        },
  maxLength: (p) => ({
    vi: `Không được quá ${String(p['limit'])} ký tự`,
    en: `Must have at most ${String(p['limit'])} characters`,
  }),
  pattern: () => ({ vi: 'Không đúng định dạng', en: 'Invalid format' }),
  enum: (p) => ({
    vi: `Phải chọn một trong các giá trị: ${listOf(p['allowedValues'])}`,
    en: `Must be one of: ${listOf(p['allowedValues'])}`,
  }),
  const: (p) => ({ vi: `Phải là ${listOf(p['allowedValue'])}`, en: `Must be ${listOf(p['allowedValue'])}` }),
  minimum: (p) => ({
    vi: `Phải lớn hơn hoặc bằng ${String(p['limit'])}`,
    en: `Must be at least ${String(p['limit'])}`,
  }),
  maximum: (p) => ({ vi: `Phải nhỏ hơn hoặc bằng ${String(p['limit'])}`, en: `Must be at most ${String(p['limit'])}` }),
  exclusiveMinimum: (p) => ({
    vi: `Phải lớn hơn ${String(p['limit'])}`,
    en: `Must be greater than ${String(p['limit'])}`,
  }),
  exclusiveMaximum: (p) => ({
    vi: `Phải nhỏ hơn ${String(p['limit'])}`,
    en: `Must be less than ${String(p['limit'])}`,
  }),
  multipleOf: (p) => ({
    vi: `Phải là bội số của ${String(p['multipleOf'])}`,
    en: `Must be a multiple of ${String(p['multipleOf'])}`,
  }),
  minItems: (p) => ({
    vi: `Phải có ít nhất ${String(p['limit'])} mục`,
    en: `Must have at least ${String(p['limit'])} item(s)`,
  }),
  maxItems: (p) => ({
    vi: `Không được quá ${String(p['limit'])} mục`,
    en: `Must have at most ${String(p['limit'])} item(s)`,
  }),
  uniqueItems: () => ({ vi: 'Các mục không được trùng nhau', en: 'Items must not repeat' }),
  additionalProperties: (p) => ({
    vi: `Trường không có trong biểu mẫu: ${String(p['additionalProperty'])}`,
    en: `Field not in the form: ${String(p['additionalProperty'])}`,
  }),
  minProperties: () => ({ vi: 'Bắt buộc nhập', en: 'Required' }),
}

/** The message for one failed keyword; an unknown keyword gets a generic message (the validator's own in English). */
export function formErrorMessage(keyword: string, params: Params, fallbackEn?: string): { vi: string; en: string } {
  return messages[keyword]?.(params) ?? { vi: 'Giá trị không hợp lệ', en: fallbackEn ?? 'Invalid value' }
}

/** A `pattern` of a form, compiled for a linear-time engine: what ajv (`code.regExp`) and the browser call. */
export interface LinearPattern {
  test(value: string): boolean
  /** ajv caches compiled patterns by this text, so it names the pattern. */
  toString(): string
}

const linearPatterns = new Map<string, LinearPattern>()

/**
 * Why a form's pattern cannot run on the linear-time engine (re2js: no backreferences, no lookarounds), or undefined
 * when it can. JSON Schema patterns are ECMAScript; re2js translates their escapes (`\u00e0`, named groups).
 */
export function linearPatternProblem(pattern: string): string | undefined {
  try {
    RE2JS.compile(RE2JS.translateRegExp(pattern))
    return undefined
  } catch (err) {
    return (err as Error).message
  }
}

/**
 * The form's pattern on re2js, whose matching time is linear in the value's length whatever the pattern, so a
 * pattern like `^(a+)+$` cannot stall the server or the page (a backtracking RegExp takes seconds on 32 characters).
 * Publication refuses patterns re2js cannot compile; one stored before that check fails closed: no value matches it.
 */
export function linearPattern(pattern: string): LinearPattern {
  let compiled = linearPatterns.get(pattern)
  if (!compiled) {
    let re: RE2JS | undefined
    try {
      re = RE2JS.compile(RE2JS.translateRegExp(pattern))
    } catch {
      re = undefined
    }
    const name = `/${pattern}/re2`
    compiled = re
      ? { test: (value) => re.test(value), toString: () => name }
      : { test: () => false, toString: () => name }
    if (linearPatterns.size >= 1000) linearPatterns.clear()
    linearPatterns.set(pattern, compiled)
  }
  return compiled
}
