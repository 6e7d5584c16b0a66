// The carrier port: how a result parcel gets its tracking number. A carrier with an API would book the parcel and
// answer the number; the manual carrier is the counter's way today: the officer hands the parcel to the post office
// and types the number from its receipt, which the carrier checks as far as its format allows.
import { AppError } from '../errors.js'
import type { DeliveryAddress } from './address.js'

export interface ShipmentRequest {
  dossierCode: string
  recipientName: string
  address: DeliveryAddress
  /** The day the parcel was handed to the carrier (YYYY-MM-DD, Vietnam's calendar). */
  shippedOn: string
  /** Typed by the officer for a manual carrier. */
  trackingNumber?: string
}

export interface Carrier {
  readonly id: string
  readonly name: { vi: string; en: string }
  /** True when the officer types the tracking number (no carrier API). */
  readonly manual: boolean
  /** The parcel's tracking number, normalised; 422 MC_ERR_TRACKING_NUMBER when it cannot be one. */
  ship(request: ShipmentRequest): Promise<{ trackingNumber: string }>
}

/** Letters, digits and hyphens once spaces are removed: what carriers print under their bar codes. */
const trackingPattern = /^[A-Z0-9-]{6,30}$/
/** The UPU S10 item identifier (2 letters, 8 digits, a check digit, the country): registered mail and EMS. */
const s10Pattern = /^[A-Z]{2}([0-9]{8})([0-9])[A-Z]{2}$/
const s10Weights = [8, 6, 4, 2, 3, 5, 9, 7]

/** The S10 check digit of an 8-digit serial number (UPU standard S10: weights 86423597, modulus 11). */
export function s10CheckDigit(serial: string): number {
  const sum = [...serial].reduce((s, d, n) => s + Number(d) * s10Weights[n]!, 0)
  const check = 11 - (sum % 11)
  return check === 10 ? 0 : check === 11 ? 5 : check
}

/**
 * The number without its spaces (as receipts group the digits), in capitals; refused when it is not one a carrier
 * prints (a line break or tab is not a space typed between digits), or an S10 number mistyped.
 */
export function normaliseTrackingNumber(typed: string): string {
  const number = typed.replace(/ +/g, '').toUpperCase()
  if (!trackingPattern.test(number))
    throw new AppError('MC_ERR_TRACKING_NUMBER', 'A tracking number is 6 to 30 letters, digits or hyphens')
  const s10 = s10Pattern.exec(number)
  if (s10 && s10CheckDigit(s10[1]!) !== Number(s10[2]))
    throw new AppError('MC_ERR_TRACKING_NUMBER', 'The check digit of this S10 number does not match', undefined, {
      vi: 'Số hiệu bưu gửi sai chữ số kiểm tra: hãy đối chiếu lại với biên nhận của bưu cục',
      en: 'The check digit of the tracking number does not match: compare it with the post office receipt',
    })
  return number
}

/** A carrier whose tracking number the officer types from the post office's receipt. */
export class ManualCarrier implements Carrier {
  readonly manual = true
  constructor(
    readonly id: string,
    readonly name: { vi: string; en: string },
  ) {}

  // Asynchronous as the port is: a carrier with an API books the parcel.
  async ship(request: ShipmentRequest): Promise<{ trackingNumber: string }> {
    if (!request.trackingNumber) throw new AppError('MC_ERR_TRACKING_NUMBER', 'Type the tracking number')
    return { trackingNumber: normaliseTrackingNumber(request.trackingNumber) }
  }
}

/** The carriers offered to the counter: the public postal service (Bưu chính công ích), recorded by hand. */
export function defaultCarriers(): Carrier[] {
  return [new ManualCarrier('vnpost', { vi: 'Bưu điện Việt Nam (VNPost)', en: 'Vietnam Post (VNPost)' })]
}
