// The base of the domain's coded errors: a stable code, the rule broken, Vietnamese and English messages.
import type { ProblemDefinition } from '../problem-catalogue.js'

/**
 * A domain rule was broken. `code` is stable (clients switch on it), `reason` names the rule,
 * `messages` say it to people: the catalogue entry `base` (src/problem-catalogue.ts) followed by this occurrence's
 * detail. HTTP callers map it to a problem+json response with the catalogue's status.
 */
export class DomainError<Code extends string = string> extends Error {
  readonly messages: { vi: string; en: string }
  readonly status: number
  constructor(
    readonly code: Code,
    readonly reason: string,
    base: ProblemDefinition,
    detail: { vi: string; en: string },
  ) {
    super(`${base.en}: ${detail.en}`)
    this.messages = { vi: `${base.vi}: ${detail.vi}`, en: `${base.en}: ${detail.en}` }
    this.status = base.status
  }
}
