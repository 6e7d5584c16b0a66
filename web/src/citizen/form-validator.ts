// An rjsf validator that interprets JSON Schema instead of compiling it. The server's Content-Security-Policy
// (helmet: script-src 'self', no 'unsafe-eval') forbids the functions ajv generates, so @rjsf/validator-ajv8 fails in
// the page with "Error compiling schema". This walks the keywords the dossier and decision forms use (types, required,
// properties, items, enum/const, lengths, patterns (on re2js, as the server), formats incl. cccd and phone-vn, bounds,
// allOf/anyOf/oneOf/not, if/then/else, local $ref) and reports each failure with ajv's keyword and params, so the
// messages of src/catalogue/form-rules.ts word it exactly as the server does.
import {
  toErrorSchema,
  type RJSFSchema,
  type RJSFValidationError,
  type UiSchema,
  type ValidationData,
  type ValidatorType,
  type ErrorTransformer,
} from '@rjsf/utils'
import { formErrorMessage, isCccd, isPhoneVn, linearPattern } from '../../../src/catalogue/form-rules.js'

type Json = unknown
type Schema = Record<string, unknown>

interface RawError {
  /** JSON Pointer of the value, as ajv's instancePath. */
  instancePath: string
  keyword: string
  params: Record<string, unknown>
  /** The schema holding the failed keyword (its title names the field). */
  parent: Schema
}

const isDate = (s: string) => {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s)
  if (!m) return false
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])))
  return d.getUTCFullYear() === Number(m[1]) && d.getUTCMonth() === Number(m[2]) - 1 && d.getUTCDate() === Number(m[3])
}

const formats: Record<string, (s: string) => boolean> = {
  date: isDate,
  'date-time': (s) =>
    /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?([Zz]|[+-]\d{2}:?\d{2})$/.test(s) && isDate(s.slice(0, 10)),
  email: (s) => /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(s),
  uri: (s) => {
    try {
      return Boolean(new URL(s).protocol)
    } catch {
      return false
    }
  },
  cccd: isCccd,
  'phone-vn': isPhoneVn,
}

function matchesType(v: Json, type: string): boolean {
  switch (type) {
    case 'null':
      return v === null
    case 'array':
      return Array.isArray(v)
    case 'object':
      return typeof v === 'object' && v !== null && !Array.isArray(v)
    case 'integer':
      return typeof v === 'number' && Number.isInteger(v)
    case 'number':
      return typeof v === 'number' && Number.isFinite(v)
    default:
      return typeof v === type
  }
}

function equal(a: Json, b: Json): boolean {
  if (a === b) return true
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false
  if (Array.isArray(a) !== Array.isArray(b)) return false
  const ka = Object.keys(a as object)
  const kb = Object.keys(b as object)
  return (
    ka.length === kb.length && ka.every((k) => equal((a as Record<string, Json>)[k], (b as Record<string, Json>)[k]))
  )
}

/** "#/$defs/x" or rjsf's "__rjsf_rootSchema#/…" against the root schema. */
function resolveRef(ref: string, root: Schema): Schema | boolean | undefined {
  const pointer = ref.slice(ref.indexOf('#') + 1)
  let node: unknown = root
  for (const raw of pointer.split('/').slice(1)) {
    const key = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~')
    node = (node as Record<string, unknown> | undefined)?.[key]
  }
  return node as Schema | boolean | undefined
}

const escape = (key: string) => key.replace(/~/g, '~0').replace(/\//g, '~1')

function check(schema: Schema | boolean | undefined, data: Json, root: Schema, path: string, out: RawError[]): void {
  if (schema === undefined || schema === true) return
  if (schema === false) {
    out.push({ instancePath: path, keyword: 'false schema', params: {}, parent: {} })
    return
  }
  const s = schema
  const fail = (keyword: string, params: Record<string, unknown> = {}) =>
    out.push({ instancePath: path, keyword, params, parent: s })
  if (typeof s['$ref'] === 'string') check(resolveRef(s['$ref'], root), data, root, path, out)
  if (s['type'] !== undefined) {
    const types = ([] as string[]).concat(s['type'] as string | string[])
    if (!types.some((t) => matchesType(data, t))) {
      fail('type', { type: types.join(',') })
      return
    }
  }
  if (Array.isArray(s['enum']) && !s['enum'].some((x) => equal(x, data))) fail('enum', { allowedValues: s['enum'] })
  if ('const' in s && !equal(s['const'], data)) fail('const', { allowedValue: s['const'] })

  if (typeof data === 'string') {
    const length = [...data].length
    if (typeof s['minLength'] === 'number' && length < s['minLength']) fail('minLength', { limit: s['minLength'] })
    if (typeof s['maxLength'] === 'number' && length > s['maxLength']) fail('maxLength', { limit: s['maxLength'] })
    // On re2js, like the server: linear in the value's length, so a pattern like ^(a+)+$ cannot freeze the page.
    if (typeof s['pattern'] === 'string' && !linearPattern(s['pattern']).test(data))
      fail('pattern', { pattern: s['pattern'] })
    const format = typeof s['format'] === 'string' ? formats[s['format']] : undefined
    if (format && !format(data)) fail('format', { format: s['format'] })
  }
  if (typeof data === 'number') {
    if (typeof s['minimum'] === 'number' && data < s['minimum'])
      fail('minimum', { comparison: '>=', limit: s['minimum'] })
    if (typeof s['maximum'] === 'number' && data > s['maximum'])
      fail('maximum', { comparison: '<=', limit: s['maximum'] })
    if (typeof s['exclusiveMinimum'] === 'number' && data <= s['exclusiveMinimum'])
      fail('exclusiveMinimum', { comparison: '>', limit: s['exclusiveMinimum'] })
    if (typeof s['exclusiveMaximum'] === 'number' && data >= s['exclusiveMaximum'])
      fail('exclusiveMaximum', { comparison: '<', limit: s['exclusiveMaximum'] })
    if (
      typeof s['multipleOf'] === 'number' &&
      Math.abs(data / s['multipleOf'] - Math.round(data / s['multipleOf'])) > 1e-8
    )
      fail('multipleOf', { multipleOf: s['multipleOf'] })
  }
  if (Array.isArray(data)) {
    if (typeof s['minItems'] === 'number' && data.length < s['minItems']) fail('minItems', { limit: s['minItems'] })
    if (typeof s['maxItems'] === 'number' && data.length > s['maxItems']) fail('maxItems', { limit: s['maxItems'] })
    if (s['uniqueItems'] === true && data.some((x, i) => data.findIndex((y) => equal(x, y)) !== i)) fail('uniqueItems')
    const items = s['items']
    if (items && typeof items === 'object' && !Array.isArray(items))
      data.forEach((x, i) => check(items as Schema, x, root, `${path}/${i}`, out))
  }
  if (matchesType(data, 'object')) {
    const obj = data as Record<string, Json>
    const props = (s['properties'] ?? {}) as Record<string, Schema>
    const required = (s['required'] as string[] | undefined) ?? []
    // In the order the form shows its fields (x-ui order), so the first error is the first field in error on screen.
    const shown = ((s['x-ui'] as { order?: string[] } | undefined)?.order ?? []).filter((n) => n in props)
    const names = [...new Set([...shown, ...Object.keys(props), ...required, ...Object.keys(obj)])]
    for (const name of names) {
      const value = obj[name]
      if (value === undefined) {
        if (required.includes(name)) fail('required', { missingProperty: name })
      } else if (props[name] !== undefined) check(props[name], value, root, `${path}/${escape(name)}`, out)
      else if (s['additionalProperties'] === false) fail('additionalProperties', { additionalProperty: name })
      else if (typeof s['additionalProperties'] === 'object')
        check(s['additionalProperties'] as Schema, value, root, `${path}/${escape(name)}`, out)
    }
    const count = Object.values(obj).filter((v) => v !== undefined).length
    if (typeof s['minProperties'] === 'number' && count < s['minProperties'])
      fail('minProperties', { limit: s['minProperties'] })
    if (typeof s['maxProperties'] === 'number' && count > s['maxProperties'])
      fail('maxProperties', { limit: s['maxProperties'] })
  }
  const passes = (sub: Schema | boolean) => {
    const errs: RawError[] = []
    check(sub, data, root, path, errs)
    return errs.length === 0
  }
  if (Array.isArray(s['allOf'])) for (const sub of s['allOf'] as Schema[]) check(sub, data, root, path, out)
  if (Array.isArray(s['anyOf']) && !(s['anyOf'] as Schema[]).some(passes)) fail('anyOf')
  if (Array.isArray(s['oneOf']) && (s['oneOf'] as Schema[]).filter(passes).length !== 1)
    fail('oneOf', { passingSchemas: null })
  if (s['not'] !== undefined && passes(s['not'] as Schema)) fail('not')
  if (s['if'] !== undefined) {
    const branch = passes(s['if'] as Schema) ? s['then'] : s['else']
    if (branch !== undefined) check(branch as Schema, data, root, path, out)
  }
}

/** rjsf's shape of an error: property ".a.0.b" (the missing property appended for `required`), the field's title. */
function toRjsfError(e: RawError, root: Schema): RJSFValidationError {
  const missing = e.keyword === 'required' ? String(e.params['missingProperty']) : undefined
  const property = e.instancePath.replace(/\//g, '.') + (missing ? `.${missing}` : '')
  const message = formErrorMessage(e.keyword, e.params).vi
  // The whole path of titles ("Mẹ › Họ, chữ đệm và tên"): several groups ask for the same field.
  const title = titlesAlong(root, property).join(' › ')
  return {
    name: e.keyword,
    property,
    message,
    params: e.params,
    stack: title ? `${title}: ${message}` : message,
    schemaPath: '',
    ...(title ? { title } : {}),
  }
}

/** The titles of the schema nodes along ".a.0.b" (array items have none of their own). */
function titlesAlong(root: Schema, property: string): string[] {
  const titles: string[] = []
  let node: Schema | undefined = root
  for (const key of property.split('.').slice(1)) {
    if (node && typeof node['$ref'] === 'string') node = resolveRef(node['$ref'], root) as Schema | undefined
    node = /^[0-9]+$/.test(key)
      ? (node?.['items'] as Schema | undefined)
      : (node?.['properties'] as Record<string, Schema> | undefined)?.[key]
    if (node && typeof node['title'] === 'string' && !/^[0-9]+$/.test(key)) titles.push(node['title'])
  }
  return titles
}

export class InterpretingValidator implements ValidatorType {
  rawValidation<Result = RawError>(
    schema: RJSFSchema,
    formData?: unknown,
  ): { errors?: Result[]; validationError?: Error } {
    const errors: RawError[] = []
    check(schema as Schema, formData, schema as Schema, '', errors)
    return { errors: errors as Result[] }
  }

  isValid(schema: RJSFSchema, formData: unknown, rootSchema: RJSFSchema): boolean {
    const errors: RawError[] = []
    check(schema as Schema, formData, rootSchema as Schema, '', errors)
    return errors.length === 0
  }

  validateFormData(
    formData: unknown,
    schema: RJSFSchema,
    _customValidate?: unknown,
    transformErrors?: ErrorTransformer,
    uiSchema?: UiSchema,
  ): ValidationData<unknown> {
    const raw: RawError[] = []
    check(schema as Schema, formData, schema as Schema, '', raw)
    let errors = raw.map((e) => toRjsfError(e, schema as Schema))
    if (transformErrors) errors = transformErrors(errors, uiSchema)
    return { errors, errorSchema: toErrorSchema(errors) }
  }
}
