// Links a dossier's attachments: files the caller uploaded, or files reused from the applicant's earlier dossiers.
import type { Principal } from '../../auth/principal.js'
import { fileRepository } from '../../attachments/file-repository.js'
import type { ProcedureDefinition } from '../../catalogue/definition.js'
import { AppError } from '../../errors.js'
import { dossierAttachmentRepository } from '../attachment-repository.js'
import type { Trx } from './runner.js'
import type { AttachmentInput, ApplicantInput } from './types.js'

/** Links uploaded files (the caller's own) or reused ones (from the applicant's earlier dossiers) to components. */
export async function attach(
  trx: Trx,
  dossierId: string,
  def: ProcedureDefinition,
  attachments: AttachmentInput[],
  caller: Principal,
  applicant: ApplicantInput,
): Promise<void> {
  const rows = dossierAttachmentRepository(trx)
  for (const a of attachments) {
    const component = def.components.find((c) => c.id === a.componentId)
    if (!component) throw new AppError('MC_ERR_ATTACHMENT_INVALID', `No component ${a.componentId}`)
    let fileId = a.fileId
    let reusedFrom: string | null = null
    if (a.reuseFromDossierCode) {
      if (!component.reusable) throw new AppError('MC_ERR_ATTACHMENT_INVALID', `${a.componentId} cannot be reused`)
      const earlier = await rows.reusableFile(a.reuseFromDossierCode, a.componentId, {
        userId: caller.userId,
        idNumber: applicant.idNumber,
      })
      if (!earlier)
        throw new AppError('MC_ERR_ATTACHMENT_INVALID', `No ${a.componentId} in dossier ${a.reuseFromDossierCode}`)
      fileId = earlier.file_id
      reusedFrom = a.reuseFromDossierCode
    } else {
      const file = fileId && /^[0-9a-f-]{36}$/i.test(fileId) ? await fileRepository(trx).uploaderOf(fileId) : undefined
      if (!file || (file.created_by && file.created_by !== caller.userId))
        throw new AppError('MC_ERR_ATTACHMENT_INVALID', `No file ${fileId}`)
    }
    await rows.insert({ dossierId, componentId: a.componentId, fileId, reusedFrom })
  }
}
