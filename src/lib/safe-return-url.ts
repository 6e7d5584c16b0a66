// Where the portal may send a browser back to: a path on its own origin, never another site. Every route that takes a
// return URL checks it here (payments, the sandbox checkout), so an open redirect has one place to be fixed.

/** Any origin of our own serves to resolve against: only "same origin or not" is asked. */
const base = new URL('https://portal.invalid/')

// Control characters (tab, newline: browsers drop them, `/\t/evil` becomes `//evil`), whitespace and backslashes
// (browsers read `\` as `/`) have no place in a path we hand out.
const forbidden = /[\u0000-\u0020\u007f-\u009f\u00a0\u1680\u2000-\u200f\u2028\u2029\u202f\u205f\u3000\ufeff\\]/

/**
 * The same-origin path (path, query, fragment) the value names, normalised as a browser would read it; undefined when
 * the value could lead anywhere else: not starting with one `/`, a scheme (`https:`, `javascript:`), `//host`,
 * backslashes, control characters or whitespace, raw or percent-encoded once (`/%09/`, `/%5C`), or a path that
 * normalises to `//host` (`/.//evil`).
 */
export function safeReturnUrl(value: string): string | undefined {
  if (typeof value !== 'string' || value.length === 0 || value.length > 2000) return undefined
  let decoded: string
  try {
    decoded = decodeURIComponent(value)
  } catch {
    return undefined
  }
  for (const v of [value, decoded]) {
    if (!v.startsWith('/') || v.startsWith('//') || forbidden.test(v)) return undefined
  }
  let url: URL
  try {
    url = new URL(value, base)
  } catch {
    return undefined
  }
  if (url.origin !== base.origin || url.username || url.password) return undefined
  // Decoded once, it must not normalise to `//host` either (`/./%2F/evil` → `/.//evil` → `//evil`).
  if (new URL(decoded, base).pathname.startsWith('//')) return undefined
  const path = `${url.pathname}${url.search}${url.hash}`
  if (!path.startsWith('/') || path.startsWith('//') || path.includes('\\')) return undefined
  return path
}

/** As `safeReturnUrl`, but a value that is not safe throws what `refuse` makes (a 400 problem at the route). */
export function requireSafeReturnUrl(value: string, refuse: () => Error): string {
  const safe = safeReturnUrl(value)
  if (safe === undefined) throw refuse()
  return safe
}
