// Vietnamese text folding for search without diacritics: the same function builds the stored search
// column and folds the user's query, so PostgreSQL and PGlite (which has no unaccent) match alike.

/**
 * Folds case and diacritics: "Đăng ký khai sinh" → "dang ky khai sinh". NFD splits a precomposed
 * letter into base + combining marks, which are then dropped; đ/Đ is a letter of its own (not a
 * d with a mark) so NFD leaves it alone and it is mapped explicitly.
 */
export function foldVietnamese(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[đĐ]/g, 'd')
    .toLowerCase()
}

/** Folded words: punctuation separates words ("1.001193" stays one token, "nhà ở/riêng lẻ" is four). */
export function searchTokens(text: string): string[] {
  return foldVietnamese(text)
    .split(/[^a-z0-9.]+/)
    .map((t) => t.replace(/^\.+|\.+$/g, ''))
    .filter((t) => t.length > 0)
}

/**
 * The stored search column: folded tokens joined by single spaces with a space at each end, so a
 * query token matches a whole word prefix with `LIKE '% token%'` and nothing inside a word.
 */
export function searchDocument(...parts: Array<string | undefined | null>): string {
  const tokens = parts.flatMap((p) => (p ? searchTokens(p) : []))
  return ` ${tokens.join(' ')} `
}

/** Escapes LIKE wildcards so a query like "50%" is matched literally. */
export function escapeLike(token: string): string {
  return token.replace(/[\\%_]/g, (c) => `\\${c}`)
}

/** One `LIKE` pattern per query token; a row matches when every pattern does (AND). */
export function searchPatterns(query: string): string[] {
  return [...new Set(searchTokens(query))].map((t) => `% ${escapeLike(t)}%`)
}
