// Coded errors of the deadline rules: a stable code, a Vietnamese and an English message.
export const deadlineErrors = {
  MC_ERR_EXTENSION_NOT_ALLOWED: {
    vi: 'Không được gia hạn hồ sơ',
    en: 'The extension is not allowed',
  },
  MC_ERR_SUPPLEMENT_NOT_ALLOWED: {
    vi: 'Không được yêu cầu bổ sung hồ sơ',
    en: 'The supplement request is not allowed',
  },
  MC_ERR_DOSSIER_EVENTS_INVALID: {
    vi: 'Chuỗi sự kiện của hồ sơ không hợp lệ',
    en: 'The sequence of dossier events is invalid',
  },
  MC_ERR_DURATION_INVALID: {
    vi: 'Thời hạn giải quyết không hợp lệ',
    en: 'The processing duration is invalid',
  },
} as const

export type DeadlineErrorCode = keyof typeof deadlineErrors

/**
 * A rule was broken. `reason` says which one (stable, English), `messages` say it to people.
 * HTTP callers map it to a 422 problem+json with the same code.
 */
export class DeadlineError extends Error {
  readonly status = 422
  readonly messages: { vi: string; en: string }
  constructor(
    readonly code: DeadlineErrorCode,
    readonly reason: string,
    detail: { vi: string; en: string },
  ) {
    const base = deadlineErrors[code]
    super(`${base.en}: ${detail.en}`)
    this.name = 'DeadlineError'
    this.messages = { vi: `${base.vi}: ${detail.vi}`, en: `${base.en}: ${detail.en}` }
  }
}
