// The safe-regex2 verdict on a form's pattern, shared by publication (src/catalogue/definition.ts) and the analyst's
// form builder, so the builder refuses a pattern with the server's words before the server does.
import safeRegex from 'safe-regex2'

/**
 * Why safe-regex2 judges a pattern unsafe (nested repetition such as `^(a+)+$`, which stalls a backtracking engine
 * for seconds on 32 characters), in Vietnamese and English; undefined when it is safe.
 */
export function safePatternProblem(pattern: string): { vi: string; en: string } | undefined {
  if (safeRegex(pattern)) return undefined
  return {
    vi: 'không an toàn: lặp lồng nhau có thể làm treo máy chủ; hãy viết lại không lồng các phép lặp',
    en: 'is unsafe: nested repetition can stall the server; rewrite it without repetition inside repetition',
  }
}
