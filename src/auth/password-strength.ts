// How guessable a password is: zxcvbn-ts with its common-password dictionary (@zxcvbn-ts/language-common) and the
// account's own data (username, name, e-mail, ID number, tax code, phone) as words an attacker would try first.
import { createRequire } from 'node:module'

type Core = typeof import('@zxcvbn-ts/core')
type Common = typeof import('@zxcvbn-ts/language-common')

/**
 * The lowest zxcvbn score (0–4) a password must reach: 3 is "safely unguessable" against an online or slow-hash attack.
 */
export const minimumScore = 3

/**
 * Only the first 64 characters are scored: the estimate costs time superlinear in the length (a 200-character
 * repetition took 0.1–0.5 s), and 64 characters that score 3 are strong whatever follows.
 */
export const scoredLength = 64

export interface StrengthVerdict {
  score: 0 | 1 | 2 | 3 | 4
  /** True when the score is below `minimumScore`. */
  weak: boolean
  /** Vietnamese then English, for the problem's `errors`. */
  message?: string
}

export const guessableMessage =
  'Mật khẩu quá dễ đoán (mật khẩu phổ biến, chuỗi lặp/dãy số, hoặc chứa tên, e-mail, số định danh, số điện thoại của ' +
  'bạn); hãy dùng một cụm từ dài hơn, khó đoán hơn / The password is too easy to guess (a common password, a ' +
  'repetition or sequence, or your own name, e-mail, ID or phone number); use a longer, less predictable phrase'

// Loading the dictionary costs ~0.25 s and some megabytes (measured: import of the core ~0.1 s, of the dictionary
// ~0.1 s, building the matcher ~0.07 s), so it is loaded at the first check, not at start-up. The packages ship
// CommonJS builds, so the first check can load them synchronously.
let checker: InstanceType<Core['ZxcvbnFactory']> | undefined
function getChecker(): InstanceType<Core['ZxcvbnFactory']> {
  if (!checker) {
    const require = createRequire(import.meta.url)
    const core = require('@zxcvbn-ts/core') as Core
    const common = require('@zxcvbn-ts/language-common') as Common
    checker = new core.ZxcvbnFactory({
      dictionary: { ...common.dictionary },
      graphs: common.adjacencyGraphs,
      maxLength: scoredLength,
    })
  }
  return checker
}

const plain = (v: string): string =>
  v
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/đ/g, 'd')

/**
 * The account data a password must not be built from: each value as typed, without diacritics and without spaces
 * (`Trần Văn Bình` → `tranvanbinh`), then the parts of names and e-mail addresses. zxcvbn counts a word's position in
 * the list as its guesses, so the whole values come first.
 */
export function userInputsOf(values: ReadonlyArray<string | null | undefined>): string[] {
  const whole = new Set<string>()
  const parts = new Set<string>()
  for (const value of values) {
    const v = value?.trim().toLowerCase()
    if (!v) continue
    for (const form of [plain(v).replace(/\s+/g, ''), plain(v), v.replace(/\s+/g, ''), v]) whole.add(form)
    for (const part of plain(v).split(/[\s@.+_-]+/)) if (part.length >= 3) parts.add(part)
  }
  return [...whole, ...[...parts].filter((p) => !whole.has(p))]
}

/** Scores the password against common passwords and the account's own data. */
export function passwordStrength(
  password: string,
  userData: ReadonlyArray<string | null | undefined>,
): StrengthVerdict {
  const { score } = getChecker().check(password, userInputsOf(userData))
  const weak = score < minimumScore
  return { score, weak, ...(weak ? { message: guessableMessage } : {}) }
}

/** Loads the dictionary now (a server that prefers paying the cost at start-up may call it). */
export function preloadPasswordStrength(): void {
  getChecker()
}
