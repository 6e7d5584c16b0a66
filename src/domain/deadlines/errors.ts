// Coded errors of the deadline rules; their codes and messages are in the one catalogue, src/errors.ts.
import { problems } from '../../problem-catalogue.js'
import { DomainError } from '../domain-error.js'

/** The codes a deadline rule refuses with; their messages and statuses are in src/errors.ts. */
export type DeadlineErrorCode =
  | 'MC_ERR_EXTENSION_NOT_ALLOWED'
  | 'MC_ERR_SUPPLEMENT_NOT_ALLOWED'
  | 'MC_ERR_DOSSIER_EVENTS_INVALID'
  | 'MC_ERR_DURATION_INVALID'

/** A deadline rule was broken; HTTP callers answer 422 with the same code. */
export class DeadlineError extends DomainError<DeadlineErrorCode> {
  constructor(code: DeadlineErrorCode, reason: string, detail: { vi: string; en: string }) {
    super(code, reason, problems[code], detail)
    this.name = 'DeadlineError'
  }
}
