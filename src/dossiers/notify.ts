// Mails to a dossier's applicant about it: once per event (the outbox's dedup), only when they gave an address.
import type { Knex } from 'knex'
import { enqueueEmail } from '../notifications/email.js'
import type { EmailTemplate } from '../notifications/templates.js'
import { dossierJobRepository } from './job-repository.js'
import type { DossierRow } from './repository.js'

/** What every mail about a dossier names. */
export interface DossierMailBase {
  applicantName: string
  /** The code once accepted; before that (no code yet) the dossier id. */
  dossierCode: string
  procedureName: string
  agencyName: string
}

/**
 * Enqueues `build(base)` for the applicant in the caller's transaction; `event` names the change (`stopped`,
 * `payment:3`).
 */
export async function mailApplicant(
  trx: Knex.Transaction,
  dossier: DossierRow,
  event: string,
  build: (base: DossierMailBase) => EmailTemplate,
): Promise<void> {
  if (!dossier.applicant_email) return
  // A unit row that is not there leaves the agency's name empty rather than failing the command that mails.
  const agency = (await dossierJobRepository(trx).agencyOf(dossier.agency_unit_id)) as { name: string } | undefined
  const base = {
    applicantName: dossier.applicant_name,
    dossierCode: dossier.code ?? dossier.id,
    procedureName: dossier.procedure_name,
    agencyName: agency?.name ?? '',
  }
  await enqueueEmail(trx, {
    eventId: `dossier:${dossier.id}:${event}`,
    to: dossier.applicant_email,
    template: build(base),
  })
}

/** Where the applicant pays online: their dossiers in the portal (the payment starts from the dossier). */
export function paymentUrl(portalUrl: string | undefined): string | undefined {
  return portalUrl ? `${portalUrl.replace(/\/+$/, '')}/ho-so-cua-toi` : undefined
}
