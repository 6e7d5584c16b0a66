// Validates a citizen's dossier form data against the procedure's JSON-schema form, with Vietnamese
// and English messages that name the field by its label, and compiles each form once per version.
import { createRequire } from 'node:module'
import type { ErrorObject, ValidateFunction } from 'ajv'
import type { Knex } from 'knex'
import { addressFieldErrors } from '../units/address-fields.js'
import { formErrorMessage, isCccd, isPhoneVn, linearPattern } from './form-rules.js'

export { CCCD_PROVINCE_CODES, isCccd, isPhoneVn } from './form-rules.js'

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
 * ajv's RegExp engine for forms (`code.regExp`): every `pattern` and `patternProperties` key runs on re2js, in time
 * linear in the value, including patterns of versions stored before publication refused unsafe ones.
 */
const linearRegExp = Object.assign((pattern: string, _flags: string) => linearPattern(pattern), {
  code: 'linearPattern',
})

function createFormAjv(): Ajv {
  const ajv = new Ajv2020({
    allErrors: true,
    strict: true,
    strictRequired: false,
    allowUnionTypes: true,
    code: { regExp: linearRegExp },
  })
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

// The compiled functions by schema content (its JSON text), the most recently used last: one form is compiled when
// its draft is made, again when it is published and for its first submission, and compiling is the costly part
// (about 0.1 s of CPU for a reference form; half the publishing of the reference procedures at a fresh start was
// ajv's). The function depends only on the schema and the one shared instance, and never holds state between calls
// that a caller could see (ajv sets `errors` during a synchronous call, read right after it).
const compiledBySchema = new Map<string, ValidateFunction>()
const compiledLimit = 64
let compilations = 0

/** How many times ajv has compiled a form in this process (the content cache above saves the rest). */
export function formCompilations(): number {
  return compilations
}

/** Compiles a form; throws an Error naming the problem when the form is not a valid schema. */
export function compileForm(schema: Record<string, unknown>): FormValidator {
  sharedAjv ??= createFormAjv()
  const ajv = sharedAjv
  // $id would be registered globally in the instance and clash between versions of one form.
  const { $id: _ignored, ...anonymous } = schema
  const text = JSON.stringify(anonymous)
  let validateFn = compiledBySchema.get(text)
  if (validateFn) {
    compiledBySchema.delete(text)
  } else {
    validateFn = ajv.compile(anonymous) // throws on an invalid schema: nothing is cached
    compilations++
    if (compiledBySchema.size >= compiledLimit) compiledBySchema.delete(compiledBySchema.keys().next().value!)
  }
  compiledBySchema.set(text, validateFn)
  const compiled = validateFn
  return {
    validate(data) {
      if (compiled(data)) return { ok: true }
      return { ok: false, errors: (compiled.errors ?? []).map((e) => toFieldError(e, anonymous)) }
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

/**
 * The form's schema, then its addresses against the official list of administrative units (a province or commune code
 * the directory does not have, a commune outside the chosen province): what a submission is refused for.
 */
export async function validateFormData(
  db: Knex,
  key: string,
  schema: Record<string, unknown>,
  data: unknown,
): Promise<FormValidationResult> {
  const checked = validateForm(key, schema, data)
  const addresses = await addressFieldErrors(db, schema, data)
  if (checked.ok && addresses.length === 0) return { ok: true }
  return { ok: false, errors: [...(checked.ok ? [] : checked.errors), ...addresses] }
}

function toFieldError(e: ErrorObject, schema: Record<string, unknown>): FieldError {
  const params = e.params as Record<string, unknown>
  // A missing property is reported on its parent; point at the property itself, as users see it.
  const field = e.keyword === 'required' ? `${e.instancePath}/${String(params['missingProperty'])}` : e.instancePath
  const message = formErrorMessage(e.keyword, params, e.message)
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
