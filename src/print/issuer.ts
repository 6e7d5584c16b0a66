// Who issues a printed form: the letterhead (tên cơ quan chủ quản, tên cơ quan ban hành) and the place name of the date
// line, read from the issuing unit and the units above it in the two-level organisation (from 1 July 2025): a commune
// under its province's People's Committee, a department (Sở) or the service centre under the province, a vertical
// agency (Công an, BHXH tỉnh) on its own — its governing body is a ministry, not the province above it in the tree.
import type { PrintAgency } from './forms.js'

/** A unit as the letterhead reads it. */
export interface IssuerUnit {
  name: string
  level: string
  /** The official short name of its administrative unit (admin_divisions), e.g. "Xã An Bình"; when it has one. */
  divisionName?: string | null
}

/** The one-stop counter line under a body that receives at its own counter. */
export const counterUnit = 'Bộ phận Tiếp nhận và Trả kết quả'

const bodyPrefix = /^(?:UBND|Ủy ban nhân dân|Uỷ ban nhân dân|HĐND)\s+/i
const divisionPrefix = /^(?:tỉnh|thành phố|xã|phường|đặc khu|thị trấn|huyện|quận|thị xã)\s+/i

/**
 * The place name (địa danh) of a unit, as the date line writes it: "An Bình" for "UBND xã An Bình" or "Xã An Bình",
 * "Demo" for "Tỉnh Demo". The division's own name is preferred to the unit's.
 */
export function placeName(unit: Pick<IssuerUnit, 'name' | 'divisionName'>): string {
  const source = unit.divisionName ?? unit.name
  return source.replace(bodyPrefix, '').replace(divisionPrefix, '').trim() || source
}

/**
 * The letterhead of the unit that issues a form. `chain` runs from the top of the organisation down to the issuing
 * unit (the last). Offices inside a unit issue under it; the service centre's branch under the centre.
 */
export function issuerOf(chain: IssuerUnit[]): PrintAgency {
  let at = chain.length - 1
  // An office (phòng, tổ) does not issue forms of its own: its unit does.
  while (at > 0 && chain[at]!.level === 'office') at--
  const unit = chain[at]
  if (!unit) return { name: '', place: '' }
  const above = chain.slice(0, at)
  const province = above.find((u) => u.level === 'province') ?? (unit.level === 'province' ? unit : undefined)
  const parentUnit = above.at(-1)
  const upper = (s: string) => s.toLocaleUpperCase('vi')
  const place = (() => {
    if (unit.level === 'commune' || unit.level === 'district') return placeName(unit)
    return province ? placeName(province) : placeName(unit)
  })()
  switch (unit.level) {
    case 'province':
      return { name: upper(unit.name), place, unit: counterUnit }
    case 'vertical_agency':
      // Its governing body is its ministry (Bộ Công an, BHXH Việt Nam), which the organisation does not hold.
      return { name: upper(unit.name), place, unit: counterUnit }
    case 'service_centre':
      // The centre is itself the one-stop body: no counter line under it.
      return { ...(parentUnit ? { parent: upper(parentUnit.name) } : {}), name: upper(unit.name), place }
    default:
      return {
        ...(parentUnit ? { parent: upper(parentUnit.name) } : {}),
        name: upper(unit.name),
        place,
        ...(unit.level === 'service_centre_branch' ? {} : { unit: counterUnit }),
      }
  }
}
