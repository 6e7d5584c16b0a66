// Coded errors of the deadline rules: a stable code, a Vietnamese and an English message.
import { DomainError } from '../domain-error.js'

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

/** A deadline rule was broken; HTTP callers answer 422 with the same code. */
export class DeadlineError extends DomainError<DeadlineErrorCode> {
  constructor(code: DeadlineErrorCode, reason: string, detail: { vi: string; en: string }) {
    super(code, reason, deadlineErrors[code], detail)
    this.name = 'DeadlineError'
  }
}
