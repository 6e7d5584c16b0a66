// The unit levels of the two-level local government (from 1 July 2025) and the official codes that identify them.

/**
 * Where a unit stands: the province and its service centre (with branches), a department (Sở), a vertical agency of
 * the province (Công an, BHXH, Thuế), a commune-level unit (xã, phường, đặc khu: one level with a kind), and an
 * office inside a unit. `district` only describes units that existed before 1 July 2025: no new one is made.
 */
export const unitLevels = [
  'province',
  'service_centre',
  'service_centre_branch',
  'department',
  'vertical_agency',
  'commune',
  'office',
  'district',
] as const
export type UnitLevel = (typeof unitLevels)[number]

/** The levels a new unit may have. */
export const currentUnitLevels: readonly UnitLevel[] = unitLevels.filter((l) => l !== 'district')

/** tinh / thành phố trực thuộc trung ương for a province; xã / phường / đặc khu for a commune-level unit. */
export type ProvinceKind = 'tinh' | 'thanh-pho'
export type CommuneKind = 'xa' | 'phuong' | 'dac-khu'
export type UnitKind = ProvinceKind | CommuneKind

/** One row of the official list (danh mục đơn vị hành chính): a province or a commune. */
export interface AdminDivision {
  /** Mã đơn vị hành chính: 2 digits for a province, 5 for a commune. */
  code: string
  level: 'province' | 'commune'
  kind: UnitKind
  name: string
  /** The province of a commune; null for a province. */
  provinceCode: string | null
}

export const provinceCodePattern = /^[0-9]{2}$/
export const communeCodePattern = /^[0-9]{5}$/

/** Why a new unit cannot have this level, or undefined when it can. */
export function newUnitLevelProblem(level: string): string | undefined {
  if (level === 'district') return 'District-level units were abolished on 1 July 2025; a new unit cannot be one'
  if (!(unitLevels as readonly string[]).includes(level)) return `Unknown unit level "${level}"`
  return undefined
}
