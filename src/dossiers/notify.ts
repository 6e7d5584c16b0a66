// Notices to a dossier's applicant about it: once per event (the outbox's dedup), by e-mail, SMS or both as the
// applicant chose in their profile (an applicant without an account, or who chose nothing, gets e-mail as before).
import type { Knex } from 'knex'
import { onboardingRepository } from '../auth/onboarding-repository.js'
import { enqueueEmail } from '../notifications/email.js'
import { enqueueSms } from '../notifications/sms.js'
import type { EmailTemplate } from '../notifications/templates.js'
import { dossierJobRepository } from './job-repository.js'
import type { DossierRow } from './repository.js'

/** What every notice about a dossier names. */
export interface DossierMailBase {
  applicantName: string
  /** The code once accepted; null before (the mail then names the procedure, never the internal id). */
  dossierCode: string | null
  procedureName: string
  agencyName: string
}

/**
 * Enqueues `build(base)` for the applicant in the caller's transaction; `event` names the change (`stopped`,
 * `payment:3`). E-mail goes to the address given with the dossier; SMS to the mobile number of the applicant's
 * profile (checked when they chose SMS), with a link to their dossiers in the portal when `portalUrl` is known.
 */
export async function notifyApplicant(
  trx: Knex.Transaction,
  dossier: DossierRow,
  event: string,
  build: (base: DossierMailBase) => EmailTemplate,
  portalUrl?: string,
): Promise<void> {
  const preference = dossier.applicant_id
    ? await onboardingRepository(trx).notificationPreference(dossier.applicant_id)
    : undefined
  const notifyBy = preference?.notify_by ?? 'email'
  const phone = notifyBy !== 'email' ? preference?.phone : undefined
  if (!dossier.applicant_email && !phone) return
  // A unit row that is not there leaves the agency's name empty rather than failing the command that notifies.
  const agency = (await dossierJobRepository(trx).agencyOf(dossier.agency_unit_id)) as { name: string } | undefined
  const template = build({
    applicantName: dossier.applicant_name,
    dossierCode: dossier.code,
    procedureName: dossier.procedure_name,
    agencyName: agency?.name ?? '',
  })
  const eventId = `dossier:${dossier.id}:${event}`
  const link = myDossiersUrl(portalUrl)
  const sms = phone ? await enqueueSms(trx, { eventId, to: phone, template, ...(link ? { link } : {}) }) : undefined
  // A phone that is not a mobile number (saved before SMS existed) must not silence the notice: e-mail then.
  if (dossier.applicant_email && (notifyBy !== 'sms' || !sms))
    await enqueueEmail(trx, { eventId, to: dossier.applicant_email, template })
}

/** Where the applicant follows their dossiers in the portal (and pays online: the payment starts from the dossier). */
export function myDossiersUrl(portalUrl: string | undefined): string | undefined {
  return portalUrl ? `${portalUrl.replace(/\/+$/, '')}/ho-so-cua-toi` : undefined
}

/** Where the applicant pays online: their dossiers in the portal (the payment starts from the dossier). */
export function paymentUrl(portalUrl: string | undefined): string | undefined {
  return myDossiersUrl(portalUrl)
}
