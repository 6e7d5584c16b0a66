// Reads a data file of the official list of provinces and communes (reference-data/administrative-units/*.json) and
// checks it: a malformed file is refused whole, with every problem, before anything is written.
import type { AdminDivision } from './levels.js'
import { communeCodePattern, provinceCodePattern } from './levels.js'

export interface OfficialList {
  /** The list's id, recorded as each row's source (e.g. `vn-2025-07-01`). */
  id: string
  /** The day the list took effect (YYYY-MM-DD). */
  validFrom: string
  divisions: AdminDivision[]
}

export class OfficialListError extends Error {
  constructor(readonly problems: string[]) {
    super(`The official list is not valid:\n  ${problems.slice(0, 20).join('\n  ')}`)
    this.name = 'OfficialListError'
  }
}

const provinceKinds = new Set(['tinh', 'thanh-pho'])
const communeKinds = new Set(['xa', 'phuong', 'dac-khu'])
const isObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x)
const text = (x: unknown): x is string => typeof x === 'string' && x.trim().length > 0 && x.length <= 200

/** Parses the file's JSON; throws OfficialListError with every problem found. */
export function readOfficialList(json: unknown): OfficialList {
  const problems: string[] = []
  if (!isObject(json) || json['format'] !== 'motcua-admin-divisions/1')
    throw new OfficialListError(['format must be "motcua-admin-divisions/1"'])
  const id = json['id']
  const validFrom = json['validFrom']
  if (!text(id) || !/^[a-z0-9][a-z0-9.-]*$/.test(id)) problems.push('id must be a short lower-case name')
  if (typeof validFrom !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(validFrom))
    problems.push('validFrom must be a date YYYY-MM-DD')
  const provinces = Array.isArray(json['provinces']) ? json['provinces'] : []
  const communes = Array.isArray(json['communes']) ? json['communes'] : []
  if (provinces.length === 0) problems.push('provinces must be a non-empty list')
  if (communes.length === 0) problems.push('communes must be a non-empty list')

  const divisions: AdminDivision[] = []
  const seen = new Set<string>()
  provinces.forEach((p: unknown, i) => {
    if (!isObject(p) || typeof p['code'] !== 'string' || !provinceCodePattern.test(p['code']))
      return problems.push(`provinces[${i}]: code must be 2 digits`)
    if (!text(p['name'])) return problems.push(`provinces[${i}] (${p['code']}): name is missing`)
    if (!provinceKinds.has(p['kind'] as string))
      return problems.push(`provinces[${i}] (${p['code']}): kind must be tinh or thanh-pho`)
    if (seen.has(p['code'])) return problems.push(`provinces[${i}]: code ${p['code']} is listed twice`)
    seen.add(p['code'])
    divisions.push({
      code: p['code'],
      level: 'province',
      kind: p['kind'] as 'tinh',
      name: p['name'],
      provinceCode: null,
    })
  })
  communes.forEach((c: unknown, i) => {
    if (!isObject(c) || typeof c['code'] !== 'string' || !communeCodePattern.test(c['code']))
      return problems.push(`communes[${i}]: code must be 5 digits`)
    if (!text(c['name'])) return problems.push(`communes[${i}] (${c['code']}): name is missing`)
    if (!communeKinds.has(c['kind'] as string))
      return problems.push(`communes[${i}] (${c['code']}): kind must be xa, phuong or dac-khu`)
    const province = c['provinceCode']
    if (typeof province !== 'string' || !seen.has(province) || !provinceCodePattern.test(province))
      return problems.push(`communes[${i}] (${c['code']}): provinceCode ${String(province)} is not a listed province`)
    if (seen.has(c['code'])) return problems.push(`communes[${i}]: code ${c['code']} is listed twice`)
    seen.add(c['code'])
    divisions.push({
      code: c['code'],
      level: 'commune',
      kind: c['kind'] as 'xa',
      name: c['name'],
      provinceCode: province,
    })
  })
  if (problems.length) throw new OfficialListError(problems)
  return { id: id as string, validFrom: validFrom as string, divisions }
}
