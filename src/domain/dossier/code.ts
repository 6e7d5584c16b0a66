// Dossier codes (Thông tư 01/2018/TT-VPCP Điều 19): <agency code>-YYMMDD-XXXX.

/** Formats the code from the agency's directory code, the receipt date (YYYY-MM-DD) and that day's sequence. */
export function formatDossierCode(agencyCode: string, receiptDate: string, sequence: number): string {
  if (!/^[A-Z0-9.]+$/.test(agencyCode)) throw new RangeError(`invalid agency code ${agencyCode}`)
  const m = /^\d{2}(\d{2})-(\d{2})-(\d{2})$/.exec(receiptDate)
  if (!m) throw new RangeError(`invalid receipt date ${receiptDate}`)
  if (!Number.isInteger(sequence) || sequence < 1) throw new RangeError(`invalid sequence ${sequence}`)
  // Four digits as the circular shows; a busy agency past 9999 a day keeps counting with more digits.
  return `${agencyCode}-${m[1]}${m[2]}${m[3]}-${String(sequence).padStart(4, '0')}`
}

const codePattern = /^([A-Z0-9.]+)-(\d{2})(\d{2})(\d{2})-(\d{4,})$/

export function parseDossierCode(
  code: string,
): { agencyCode: string; receiptDate: string; sequence: number } | undefined {
  const m = codePattern.exec(code)
  if (!m) return undefined
  return { agencyCode: m[1]!, receiptDate: `20${m[2]}-${m[3]}-${m[4]}`, sequence: Number(m[5]) }
}
