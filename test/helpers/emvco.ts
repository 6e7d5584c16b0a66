// An independent reader of EMVCo merchant-presented QR payloads (EMV QRCPS, as NAPAS VietQR profiles it), written from
// the specification rather than from vietnam-qr-pay: ID (2 digits) + length (2 digits) + value, templates nested the
// same way, and the CRC (ID 63) as CRC-16/CCITT-FALSE (polynomial 0x1021, initial 0xFFFF) over everything before its
// value, "6304" included. And reading a QR image back (jsQR), to check what a banking app's camera would see.
import { createRequire } from 'node:module'

const require = createRequire(import.meta.url)
const jsQR = require('jsqr') as typeof import('jsqr').default
// pngjs (qrcode's own PNG codec) ships no types: the one call used here.
const { PNG } = require('pngjs') as {
  PNG: { sync: { read(png: Buffer): { width: number; height: number; data: Buffer } } }
}

/** The text of the QR code in a PNG image (a rendered code, or a screenshot of one), read by jsQR. */
export function readQrImage(png: Buffer): string | undefined {
  const image = PNG.sync.read(png)
  return jsQR(new Uint8ClampedArray(image.data), image.width, image.height)?.data
}

export type Tlv = Map<string, string>

export function readTlv(text: string): Tlv {
  const fields: Tlv = new Map()
  let i = 0
  while (i < text.length) {
    const id = text.slice(i, i + 2)
    const len = Number(text.slice(i + 2, i + 4))
    if (!/^\d{2}$/.test(id) || !/^\d{2}$/.test(text.slice(i + 2, i + 4)) || i + 4 + len > text.length)
      throw new Error(`bad TLV at ${i}`)
    fields.set(id, text.slice(i + 4, i + 4 + len))
    i += 4 + len
  }
  return fields
}

export function crc16(text: string): string {
  let crc = 0xffff
  for (const byte of Buffer.from(text, 'utf8')) {
    crc ^= byte << 8
    for (let b = 0; b < 8; b++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff
  }
  return crc.toString(16).toUpperCase().padStart(4, '0')
}

export interface VietQrFields {
  crcValid: boolean
  /** 11 static, 12 dynamic (one payment). */
  initMethod: string
  guid: string
  bankBin: string
  accountNumber: string
  service: string
  currency: string
  amount: string | undefined
  country: string
  purpose: string | undefined
}

export function readVietQr(payload: string): VietQrFields {
  const root = readTlv(payload)
  const crc = root.get('63') ?? ''
  const crcValid = payload.endsWith(`6304${crc}`) && crc16(payload.slice(0, -4)) === crc
  const account = readTlv(root.get('38') ?? '')
  const beneficiary = readTlv(account.get('01') ?? '')
  const extra = root.has('62') ? readTlv(root.get('62')!) : new Map<string, string>()
  return {
    crcValid,
    initMethod: root.get('01') ?? '',
    guid: account.get('00') ?? '',
    bankBin: beneficiary.get('00') ?? '',
    accountNumber: beneficiary.get('01') ?? '',
    service: account.get('02') ?? '',
    currency: root.get('53') ?? '',
    amount: root.get('54'),
    country: root.get('58') ?? '',
    purpose: extra.get('08'),
  }
}
