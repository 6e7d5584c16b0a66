// An amount of đồng in Vietnamese words, as a fee receipt (biên lai thu phí, lệ phí) writes it: "Một trăm năm mươi
// nghìn đồng". The usual reading rules: "mươi" after 2–9 tens, "mười" for ten, "mốt" for 1 after 2–9 tens, "lăm" for 5
// after any ten, "tư" for 4 after 2–9 tens, "linh" for a zero ten before units, and "không trăm" inside a number.
const digits = ['không', 'một', 'hai', 'ba', 'bốn', 'năm', 'sáu', 'bảy', 'tám', 'chín']
const groups = ['', 'nghìn', 'triệu', 'tỷ']

/** 0–999 in words; `full` reads the hundreds even when zero ("không trăm linh năm"), as inside a longer number. */
function triple(n: number, full: boolean): string[] {
  const [h, t, u] = [Math.floor(n / 100), Math.floor(n / 10) % 10, n % 10]
  const words: string[] = []
  if (h > 0 || full) words.push(digits[h]!, 'trăm')
  if (t === 0) {
    if (u > 0 && words.length) words.push('linh')
  } else if (t === 1) words.push('mười')
  else words.push(digits[t]!, 'mươi')
  if (u === 0) return words
  if (u === 1 && t >= 2) words.push('mốt')
  else if (u === 5 && t >= 1) words.push('lăm')
  else if (u === 4 && t >= 2) words.push('tư')
  else words.push(digits[u]!)
  return words
}

/** A non-negative whole number of đồng in words, capitalised, ending in "đồng". */
export function amountInWords(amountVnd: number): string {
  if (!Number.isSafeInteger(amountVnd) || amountVnd < 0) throw new RangeError(`not an amount of đồng: ${amountVnd}`)
  if (amountVnd === 0) return 'Không đồng'
  const words: string[] = []
  // Groups of three digits from the top; "tỷ" repeats for every further nine digits (nghìn tỷ, triệu tỷ).
  const parts: number[] = []
  for (let n = amountVnd; n > 0; n = Math.floor(n / 1000)) parts.unshift(n % 1000)
  parts.forEach((part, i) => {
    const rank = parts.length - 1 - i
    if (part === 0) {
      if (rank > 0 && rank % 3 === 0 && words.length) words.push('tỷ')
      return
    }
    words.push(...triple(part, words.length > 0))
    const unit = rank === 0 ? '' : rank % 3 === 0 ? 'tỷ' : groups[rank % 3]!
    if (unit) words.push(unit)
  })
  const text = `${words.join(' ')} đồng`
  return text.charAt(0).toUpperCase() + text.slice(1)
}
