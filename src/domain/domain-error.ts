// The base of the domain's coded errors: a stable code, the rule broken, Vietnamese and English messages.

/**
 * A domain rule was broken. `code` is stable (clients switch on it), `reason` names the rule,
 * `messages` say it to people. HTTP callers map it to a problem+json response with `status`.
 */
export class DomainError<Code extends string = string> extends Error {
  readonly messages: { vi: string; en: string }
  constructor(
    readonly code: Code,
    readonly reason: string,
    base: { vi: string; en: string },
    detail: { vi: string; en: string },
    readonly status = 422,
  ) {
    super(`${base.en}: ${detail.en}`)
    this.messages = { vi: `${base.vi}: ${detail.vi}`, en: `${base.en}: ${detail.en}` }
  }
}
