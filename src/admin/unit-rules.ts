// Where a unit may stand in the two-level organisation (docs/organisation.md), and which kind and codes it takes:
// pure rules, the service asks them before a unit is created, changed or moved.
import { communeCodePattern, newUnitLevelProblem, provinceCodePattern } from '../units/levels.js'

/** The levels a unit of each level may be placed under. A province is a root: only `motcua admin create` makes one. */
const parentLevels: Record<string, readonly string[]> = {
  province: [],
  service_centre: ['province'],
  service_centre_branch: ['service_centre'],
  department: ['province'],
  vertical_agency: ['province'],
  commune: ['province'],
  office: ['province', 'service_centre', 'service_centre_branch', 'department', 'vertical_agency', 'commune', 'office'],
}

const kindsOf: Record<string, readonly string[]> = {
  province: ['tinh', 'thanh-pho'],
  commune: ['xa', 'phuong', 'dac-khu'],
}

export interface Problem {
  vi: string
  en: string
}

/** Why a unit of `level` cannot stand under a parent of `parentLevel`, or undefined when it can. */
export function placementProblem(level: string, parentLevel: string | null): Problem | undefined {
  const levelProblem = newUnitLevelProblem(level)
  if (levelProblem)
    return level === 'district'
      ? { vi: 'Cấp huyện đã bỏ từ 01/7/2025; không tạo đơn vị cấp huyện mới', en: levelProblem }
      : { vi: `Cấp đơn vị "${level}" không tồn tại`, en: levelProblem }
  const allowed = parentLevels[level] ?? []
  if (parentLevel === null || !allowed.includes(parentLevel))
    return {
      vi: `Đơn vị cấp "${level}" chỉ đặt dưới: ${allowed.join(', ') || '(không đặt dưới đơn vị nào)'}`,
      en: `A unit of level "${level}" stands only under: ${allowed.join(', ') || '(no parent)'}`,
    }
  return undefined
}

/** Why this kind and administrative code do not fit the level, or undefined when they do. */
export function codesProblem(level: string, kind: string | null, adminCode: string | null): Problem | undefined {
  const kinds = kindsOf[level]
  if (kinds && (kind === null || !kinds.includes(kind)))
    return {
      vi: `Loại đơn vị phải là một trong: ${kinds.join(', ')}`,
      en: `The kind must be one of: ${kinds.join(', ')}`,
    }
  if (!kinds && kind !== null)
    return { vi: 'Chỉ tỉnh và xã có loại đơn vị', en: 'Only provinces and communes have a kind' }
  if (adminCode !== null) {
    const pattern = level === 'province' ? provinceCodePattern : level === 'commune' ? communeCodePattern : undefined
    if (!pattern)
      return {
        vi: 'Chỉ tỉnh và xã có mã đơn vị hành chính',
        en: 'Only provinces and communes have an administrative code',
      }
    if (!pattern.test(adminCode))
      return {
        vi: `Mã đơn vị hành chính của ${level === 'province' ? 'tỉnh gồm 2' : 'xã gồm 5'} chữ số`,
        en: `The administrative code of a ${level} has ${level === 'province' ? 2 : 5} digits`,
      }
  }
  return undefined
}
