// SMS text rules: Vietnamese without diacritics (many brandname gateways accept only GSM-7), segment counting (GSM-7
// and UCS-2) and fitting a notice into one segment by shortening its free-text parts, never its code or link.

export type SmsEncoding = 'gsm7' | 'ucs2'

/** A text as it goes out: how it is encoded and in how many segments the network carries it. */
export interface SmsText {
  text: string
  encoding: SmsEncoding
  segments: number
}

// The GSM 03.38 default alphabet (one septet each) and its extension table (escape + one septet: two each).
const GSM_BASIC = new Set(
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà',
)
const GSM_EXTENSION = new Set('^{}\\[~]|€\f')

/** One segment holds 160 GSM-7 septets or 70 UCS-2 units; a part of a longer message 153 or 67 (the header takes the
 * rest). */
const LIMITS = { gsm7: { single: 160, part: 153 }, ucs2: { single: 70, part: 67 } } as const

export function isGsm7(text: string): boolean {
  for (const ch of text) if (!GSM_BASIC.has(ch) && !GSM_EXTENSION.has(ch)) return false
  return true
}

/** How much of a segment `text` takes in `encoding`: septets for GSM-7, UTF-16 units for UCS-2. */
export function smsUnits(text: string, encoding: SmsEncoding): number {
  if (encoding === 'ucs2') return text.length
  let n = 0
  for (const ch of text) n += GSM_EXTENSION.has(ch) ? 2 : 1
  return n
}

export function segmentsOf(text: string, encoding: SmsEncoding): number {
  const units = smsUnits(text, encoding)
  const limit = LIMITS[encoding]
  return units <= limit.single ? 1 : Math.ceil(units / limit.part)
}

export function measure(text: string): SmsText {
  const encoding: SmsEncoding = isGsm7(text) ? 'gsm7' : 'ucs2'
  return { text, encoding, segments: segmentsOf(text, encoding) }
}

// Typography that has a plain GSM-7 equivalent; anything else left outside GSM-7 after this becomes '?'.
const PLAIN: Record<string, string> = {
  '—': '-',
  '–': '-',
  '“': '"',
  '”': '"',
  '‘': "'",
  '’': "'",
  '…': '...',
  '\u00a0': ' ',
  '\t': ' ',
}

/**
 * Vietnamese without diacritics, as gateways that take only GSM-7 want it: "Hồ sơ" → "Ho so", "đ" → "d". Tone and
 * vowel marks are combining marks after NFD (the horn of ơ and ư included); đ/Đ are letters of their own. Whatever
 * is still outside GSM-7 afterwards is replaced, so the result always travels as GSM-7.
 */
export function withoutDiacritics(text: string): string {
  const stripped = text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D')
  let out = ''
  for (const ch of stripped) out += isGsm7(ch) ? ch : (PLAIN[ch] ?? '?')
  return out
}

/**
 * A part of a notice: fixed text (codes, dates, links: never cut) or free text (a procedure's name, a reason) that may
 * be shortened at a word boundary, down to `min` characters, to keep the message in one segment.
 */
export type SmsPiece = string | { shorten: string; min?: number }

/** Free text shorter than this after shortening says nothing; the next, shorter wording is tried instead. */
const DEFAULT_MIN = 12
const ELLIPSIS = '...'

/**
 * Picks the first wording (most informative first) that fits one segment, shortening its free text if needed; when
 * none fits (a long code and link with diacritics kept), the first wording whole among those that take the fewest
 * segments.
 */
export function fitSms(wordings: SmsPiece[][], opts: { diacritics: boolean }): SmsText {
  if (wordings.length === 0) throw new Error('fitSms: no wording')
  const prepare = (s: string) => (opts.diacritics ? s : withoutDiacritics(s)).replace(/\s+/g, ' ')
  for (const wording of wordings) {
    const pieces = wording.map((p) =>
      typeof p === 'string' ? prepare(p) : { shorten: freeText(prepare(p.shorten)), min: p.min ?? DEFAULT_MIN },
    )
    const whole = measure(pieces.map((p) => (typeof p === 'string' ? p : p.shorten)).join(''))
    if (whole.segments === 1) return whole
    const fitted = shortenToFit(pieces, whole.encoding)
    if (fitted) return fitted
  }
  const wholes = wordings.map((w) =>
    measure(w.map((p) => (typeof p === 'string' ? prepare(p) : freeText(prepare(p.shorten)))).join('')),
  )
  const fewest = Math.min(...wholes.map((w) => w.segments))
  return wholes.find((w) => w.segments === fewest)!
}

/** Free text goes between fixed parts that bring their own punctuation: a reason's own final full stop goes. */
const freeText = (s: string): string => s.trim().replace(/[\s.;,]+$/, '')

/** Shortens the free-text pieces, longest first, until the whole is one segment; undefined when it cannot be. */
function shortenToFit(
  pieces: (string | { shorten: string; min: number })[],
  encoding: SmsEncoding,
): SmsText | undefined {
  const limit = LIMITS[encoding].single
  const texts = pieces.map((p) => (typeof p === 'string' ? p : p.shorten))
  const free = pieces
    .flatMap((p, i) => (typeof p === 'string' ? [] : [i]))
    .sort((a, b) => texts[b]!.length - texts[a]!.length)
  for (const i of free) {
    const over = smsUnits(texts.join(''), encoding) - limit
    if (over <= 0) break
    const piece = pieces[i] as { shorten: string; min: number }
    const room = smsUnits(texts[i]!, encoding) - over - smsUnits(ELLIPSIS, encoding)
    if (room < piece.min) continue
    texts[i] = cutAtWord(texts[i]!, room, encoding) + ELLIPSIS
  }
  // An ellipsis before the wording's own full stop stays an ellipsis.
  const result = measure(texts.join('').replace(/\.{3}\./g, '...'))
  // Shortening never changes the encoding: the ellipsis is GSM-7 and only characters are removed.
  return result.segments === 1 ? result : undefined
}

/** The longest start of `text` within `units`, ending at a word boundary when there is one. */
function cutAtWord(text: string, units: number, encoding: SmsEncoding): string {
  let cut = ''
  for (const ch of text) {
    if (smsUnits(cut + ch, encoding) > units) break
    cut += ch
  }
  const space = cut.lastIndexOf(' ')
  return (space > units / 2 ? cut.slice(0, space) : cut).replace(/[\s,;:.(-]+$/, '')
}

/**
 * A Vietnamese mobile number as `0xxxxxxxxx` (10 digits: 03x, 05x, 07x, 08x, 09x since the 2018 renumbering), from
 * the ways people write it (`+84 912 345 678`, `84912345678`, `0912.345.678`); undefined for anything else, landlines
 * included (they take no SMS).
 */
export function vietnameseMobile(phone: string): string | undefined {
  const compact = phone.replace(/[\s.\-()]/g, '')
  const m = /^(?:\+?84|0)([35789]\d{8})$/.exec(compact)
  return m ? `0${m[1]}` : undefined
}
