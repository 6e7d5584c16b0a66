// The addresses of a dossier form against the official list (admin_divisions): an address widget's province code
// (`maTinh`) and commune code (`maXa`) must be rows of the directory, and the commune must lie in the province. The
// names (`tinh`, `xa`) stay what people read; an address written with names only (before the codes) is not checked.
import type { Knex } from 'knex'
import type { FieldError } from '../catalogue/form-validation.js'
import { communeCodePattern, provinceCodePattern } from './levels.js'
import { unitsRepository } from './repository.js'

/** An address in a form's data: where it is (a JSON Pointer), its label, and the codes it carries. */
export interface AddressAt {
  pointer: string
  label?: { vi: string; en?: string }
  maTinh?: string
  maXa?: string
}

type Node = Record<string, unknown>
const isObject = (v: unknown): v is Node => Boolean(v) && typeof v === 'object' && !Array.isArray(v)
const escape = (key: string) => key.replace(/~/g, '~0').replace(/\//g, '~1')

/**
 * The addresses of the form data: the values at the schema's address widgets (`x-ui.widget: "address"`), found
 * through properties and array items.
 */
export function addressesOf(schema: unknown, data: unknown, pointer = ''): AddressAt[] {
  if (!isObject(schema)) return []
  const ui = schema['x-ui'] as { widget?: string; label?: { vi: string; en?: string } } | undefined
  if (ui?.widget === 'address') {
    if (!isObject(data)) return []
    const code = (key: string) =>
      typeof data[key] === 'string' && data[key] !== '' ? (data[key] as string) : undefined
    const maTinh = code('maTinh')
    const maXa = code('maXa')
    return [
      {
        pointer,
        ...(ui.label ? { label: ui.label } : {}),
        ...(maTinh !== undefined ? { maTinh } : {}),
        ...(maXa !== undefined ? { maXa } : {}),
      },
    ]
  }
  const found: AddressAt[] = []
  const props = schema['properties']
  if (isObject(props) && isObject(data))
    for (const [key, child] of Object.entries(props))
      if (key in data) found.push(...addressesOf(child, data[key], `${pointer}/${escape(key)}`))
  const items = schema['items']
  if (isObject(items) && Array.isArray(data))
    data.forEach((item, n) => found.push(...addressesOf(items, item, `${pointer}/${n}`)))
  return found
}

const messages = {
  province: {
    vi: 'Mã tỉnh/thành phố không có trong danh mục đơn vị hành chính',
    en: 'The province code is not in the official list of administrative units',
  },
  commune: {
    vi: 'Mã xã/phường/đặc khu không có trong danh mục đơn vị hành chính',
    en: 'The commune code is not in the official list of administrative units',
  },
  outside: {
    vi: 'Xã/phường/đặc khu này không thuộc tỉnh/thành phố đã chọn',
    en: 'This commune is not in the chosen province',
  },
} as const

/**
 * The address codes of the form data that the directory does not have, or a commune outside the chosen province, as
 * form field errors (keyword `addressDirectory`). Codes of a malformed shape are left to the schema's own patterns.
 */
export async function addressFieldErrors(db: Knex, schema: unknown, data: unknown): Promise<FieldError[]> {
  const addresses = addressesOf(schema, data)
  const codes = new Set<string>()
  for (const a of addresses) {
    if (a.maTinh && provinceCodePattern.test(a.maTinh)) codes.add(a.maTinh)
    if (a.maXa && communeCodePattern.test(a.maXa)) codes.add(a.maXa)
  }
  if (codes.size === 0) return []
  const rows = new Map((await unitsRepository(db).divisionsByCode([...codes])).map((d) => [d.code, d]))
  const errors: FieldError[] = []
  const error = (a: AddressAt, part: 'maTinh' | 'maXa', kind: keyof typeof messages, code: string) =>
    errors.push({
      field: `${a.pointer}/${part}`,
      ...(a.label ? { label: a.label } : {}),
      keyword: 'addressDirectory',
      message: { ...messages[kind] },
      params: { code },
    })
  for (const a of addresses) {
    let province: string | undefined
    if (a.maTinh && provinceCodePattern.test(a.maTinh)) {
      if (rows.get(a.maTinh)?.level === 'province') province = a.maTinh
      else error(a, 'maTinh', 'province', a.maTinh)
    }
    if (a.maXa && communeCodePattern.test(a.maXa)) {
      const commune = rows.get(a.maXa)
      if (commune?.level !== 'commune') error(a, 'maXa', 'commune', a.maXa)
      else if (province && commune.provinceCode !== province) error(a, 'maXa', 'outside', a.maXa)
    }
  }
  return errors
}
