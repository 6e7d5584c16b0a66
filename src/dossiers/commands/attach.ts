// Links a dossier's attachments: files the caller uploaded, or files reused from the applicant's earlier dossiers.
import type { Principal } from '../../auth/principal.js'
import type { ProcedureDefinition } from '../../catalogue/definition.js'
import { AppError } from '../../errors.js'
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
  for (const a of attachments) {
    const component = def.components.find((c) => c.id === a.componentId)
    if (!component) throw new AppError('MC_ERR_ATTACHMENT_INVALID', `No component ${a.componentId}`)
    let fileId = a.fileId
    let reusedFrom: string | null = null
    if (a.reuseFromDossierCode) {
      if (!component.reusable) throw new AppError('MC_ERR_ATTACHMENT_INVALID', `${a.componentId} cannot be reused`)
      const earlier = (await trx('dossier_attachments as a')
        .join('dossiers as d', 'd.id', 'a.dossier_id')
        .where('d.code', a.reuseFromDossierCode)
        .andWhere('a.component_id', a.componentId)
        .andWhere((q) => {
          q.where('d.applicant_id', caller.userId)
          if (applicant.idNumber) q.orWhere('d.applicant_id_number', applicant.idNumber)
        })
        .first('a.file_id')) as { file_id: string } | undefined
      if (!earlier)
        throw new AppError('MC_ERR_ATTACHMENT_INVALID', `No ${a.componentId} in dossier ${a.reuseFromDossierCode}`)
      fileId = earlier.file_id
      reusedFrom = a.reuseFromDossierCode
    } else {
      const file =
        fileId && /^[0-9a-f-]{36}$/i.test(fileId)
          ? await trx('files').where({ id: fileId }).first('id', 'created_by')
          : undefined
      if (!file || (file.created_by && file.created_by !== caller.userId))
        throw new AppError('MC_ERR_ATTACHMENT_INVALID', `No file ${fileId}`)
    }
    await trx('dossier_attachments').insert({
      dossier_id: dossierId,
      component_id: a.componentId,
      file_id: fileId,
      reused_from_dossier_code: reusedFrom,
    })
  }
}
