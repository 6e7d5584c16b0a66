// The address a result is posted to: a province and a commune of the official list (two levels since 1 July 2025),
// chosen by code, and the street part as the applicant writes it. The names are taken from the directory, never from
// the request, so the label the counter prints is the list's.
import type { Knex } from 'knex'
import { AppError } from '../errors.js'
import { communeCodePattern, provinceCodePattern } from '../units/levels.js'
import { unitsRepository } from '../units/repository.js'

/** What the applicant (or the counter) sends. */
export interface DeliveryAddressInput {
  provinceCode?: string
  communeCode?: string
  street?: string
  /** The phone the postman calls, when not the applicant's own. */
  phone?: string
}

/** The address as the dossier keeps it. */
export interface DeliveryAddress {
  provinceCode: string
  provinceName: string
  communeCode: string
  communeName: string
  street: string
  phone?: string
}

/** House number, lane, street, hamlet: long enough for a village address, short enough for a postal label. */
export const streetMaxLength = 200
/** A Vietnamese phone number as written: 0 or +84 then 9 digits, spaces and dots allowed between. */
export const phonePattern = /^(\+84|0)[0-9 .]{9,13}$/

/** One problem of the address, named by its part, in Vietnamese and English. */
export interface AddressProblem {
  field: 'provinceCode' | 'communeCode' | 'street' | 'phone'
  message: { vi: string; en: string }
}

/**
 * The address checked against the official list: 422 MC_ERR_DELIVERY_ADDRESS listing each missing or wrong part when
 * the province or commune is not a current one of the list, the commune lies outside the province, or the street is
 * missing.
 */
export async function resolveDeliveryAddress(
  db: Knex | Knex.Transaction,
  input: DeliveryAddressInput | null | undefined,
): Promise<DeliveryAddress> {
  const problems: AddressProblem[] = []
  const street = input?.street?.trim().replace(/\s+/g, ' ') ?? ''
  const provinceCode = input?.provinceCode ?? ''
  const communeCode = input?.communeCode ?? ''
  const phone = input?.phone?.trim()
  if (!provinceCodePattern.test(provinceCode))
    problems.push({
      field: 'provinceCode',
      message: { vi: 'Chọn tỉnh/thành phố nhận kết quả', en: 'Choose the province the result is sent to' },
    })
  if (!communeCodePattern.test(communeCode))
    problems.push({
      field: 'communeCode',
      message: { vi: 'Chọn xã/phường/đặc khu nhận kết quả', en: 'Choose the commune the result is sent to' },
    })
  if (street === '')
    problems.push({
      field: 'street',
      message: { vi: 'Nhập số nhà, đường, thôn/xóm', en: 'Enter the house number, street or hamlet' },
    })
  else if (street.length > streetMaxLength)
    problems.push({
      field: 'street',
      message: {
        vi: `Địa chỉ chi tiết dài quá ${streetMaxLength} ký tự`,
        en: `The street part is longer than ${streetMaxLength} characters`,
      },
    })
  if (phone !== undefined && phone !== '' && !phonePattern.test(phone))
    problems.push({
      field: 'phone',
      message: { vi: 'Số điện thoại không đúng định dạng', en: 'The phone number is not valid' },
    })

  const codes = [provinceCode, communeCode].filter((c) => provinceCodePattern.test(c) || communeCodePattern.test(c))
  const rows = new Map((await unitsRepository(db).divisionsByCode(codes)).map((d) => [d.code, d]))
  const province = rows.get(provinceCode)
  const commune = rows.get(communeCode)
  if (provinceCodePattern.test(provinceCode) && (province?.level !== 'province' || province.retired))
    problems.push({
      field: 'provinceCode',
      message: {
        vi: 'Tỉnh/thành phố không có trong danh mục đơn vị hành chính hiện hành',
        en: 'The province is not in the current official list',
      },
    })
  if (communeCodePattern.test(communeCode)) {
    if (commune?.level !== 'commune' || commune.retired)
      problems.push({
        field: 'communeCode',
        message: {
          vi: 'Xã/phường/đặc khu không có trong danh mục đơn vị hành chính hiện hành',
          en: 'The commune is not in the current official list',
        },
      })
    else if (province && commune.provinceCode !== province.code)
      problems.push({
        field: 'communeCode',
        message: {
          vi: 'Xã/phường/đặc khu này không thuộc tỉnh/thành phố đã chọn',
          en: 'This commune is not in the chosen province',
        },
      })
  }
  if (problems.length > 0 || !province || !commune)
    throw new AppError('MC_ERR_DELIVERY_ADDRESS', problems.map((p) => `${p.field}: ${p.message.en}`).join('; '), {
      errors: problems,
    })
  return {
    provinceCode: province.code,
    provinceName: province.name,
    communeCode: commune.code,
    communeName: commune.name,
    street,
    ...(phone ? { phone } : {}),
  }
}

/** The address on one line, as a postal label reads: street, commune, province. */
export function addressLine(a: DeliveryAddress): string {
  return `${a.street}, ${a.communeName}, ${a.provinceName}`
}
