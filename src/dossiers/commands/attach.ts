// Links a dossier's attachments: files the caller uploaded, or files reused from the applicant's earlier dossiers.
import type { Knex } from 'knex'
import type { Principal } from '../../auth/principal.js'
import { fileRepository } from '../../attachments/file-repository.js'
import type { ProcedureDefinition } from '../../catalogue/definition.js'
import { AppError } from '../../errors.js'
import { accountRepository } from '../../auth/repository.js'
import { isStaff } from '../../auth/principal.js'
import {
  dossierAttachmentRepository,
  type Digitisation,
  type ReuseRight,
  type ReuseSource,
} from '../attachment-repository.js'
import { fitsComponent, storeRepository } from '../store-repository.js'
import type { Trx } from './runner.js'
import type { AttachmentInput, ApplicantInput } from './types.js'

/**
 * What the caller may reuse, from what the system established, never from a number someone typed: staff act at the
 * counter of their unit subtree (for the applicant whose card they hold); an applicant has the dossiers of their
 * account and, once their identity is verified, those under their verified CCCD. The number on the dossier (copied from
 * a self-declared account or typed at sign-up) counts for nothing.
 */
export async function reuseRightOf(
  db: Trx | Knex,
  caller: Principal,
  applicant: Pick<ApplicantInput, 'idNumber'>,
): Promise<ReuseRight> {
  if (isStaff(caller)) return { kind: 'counter', unitPath: caller.unitPath, idNumber: applicant.idNumber }
  return {
    kind: 'applicant',
    userId: caller.userId,
    verifiedIdNumber: await accountRepository(db).verifiedIdNumber(caller.userId),
  }
}

/**
 * Links uploaded files (the caller's own) or reused ones (from the applicant's earlier dossiers, by code or picked from
 * their store) to components, each recording how it became digital: an officer's upload is the counter's scan of the
 * paper the applicant handed in, an applicant's upload was submitted electronically, a reused file names its source.
 */
export async function attach(
  trx: Trx,
  dossierId: string,
  def: ProcedureDefinition,
  attachments: AttachmentInput[],
  caller: Principal,
  applicant: ApplicantInput,
): Promise<void> {
  const rows = dossierAttachmentRepository(trx)
  let right: ReuseRight | undefined
  for (const a of attachments) {
    const component = def.components.find((c) => c.id === a.componentId)
    if (!component) throw new AppError('MC_ERR_ATTACHMENT_INVALID', `No component ${a.componentId}`)
    let fileId = a.fileId
    let reusedFrom: ReuseSource | null = null
    let digitisation: Digitisation = isStaff(caller) ? 'scanned_at_counter' : 'submitted_online'
    if (a.reuseFromStore) {
      if (a.fileId || a.reuseFromDossierCode)
        throw new AppError('MC_ERR_ATTACHMENT_INVALID', `${a.componentId}: one source, a file or a store document`)
      if (!component.reusable) throw new AppError('MC_ERR_ATTACHMENT_INVALID', `${a.componentId} cannot be reused`)
      right ??= await reuseRightOf(trx, caller, applicant)
      const { kind, id } = a.reuseFromStore
      const doc = await storeRepository(trx).find(right, kind, id)
      if (!doc) throw new AppError('MC_ERR_ATTACHMENT_INVALID', `No ${kind} ${id} in the applicant's store`)
      fitsComponent(doc, component)
      fileId = doc.fileId
      reusedFrom = {
        dossierId: doc.dossierId,
        dossierCode: doc.dossierCode,
        ...(kind === 'result' ? { resultId: id } : { attachmentId: id }),
      }
      digitisation = 'reused'
    } else if (a.reuseFromDossierCode) {
      if (!component.reusable) throw new AppError('MC_ERR_ATTACHMENT_INVALID', `${a.componentId} cannot be reused`)
      right ??= await reuseRightOf(trx, caller, applicant)
      const earlier = await rows.reusableFile(a.reuseFromDossierCode, a.componentId, right)
      if (!earlier)
        throw new AppError('MC_ERR_ATTACHMENT_INVALID', `No ${a.componentId} in dossier ${a.reuseFromDossierCode}`)
      fileId = earlier.file_id
      reusedFrom = {
        dossierId: earlier.dossier_id,
        dossierCode: a.reuseFromDossierCode,
        attachmentId: earlier.attachment_id,
      }
      digitisation = 'reused'
    } else {
      const file = fileId && /^[0-9a-f-]{36}$/i.test(fileId) ? await fileRepository(trx).uploaderOf(fileId) : undefined
      if (!file || (file.created_by && file.created_by !== caller.userId))
        throw new AppError('MC_ERR_ATTACHMENT_INVALID', `No file ${fileId}`)
    }
    await rows.insert({ dossierId, componentId: a.componentId, fileId, reusedFrom, digitisation })
  }
}
