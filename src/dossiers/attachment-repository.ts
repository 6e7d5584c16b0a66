// SQL of a dossier's attachments: linking a file to a component, finding a document of an earlier dossier to reuse,
// and the file of one attachment for download.
import type { Db } from './repository.js'

/** A stored file as a download serves it. */
export interface AttachmentFile {
  id: string
  mime: string
  original_name: string
  storage_key: string
  size: string | number
}

export function dossierAttachmentRepository(db: Db) {
  return {
    /** Links a file to a component of the dossier; `reusedFrom` names the earlier dossier it was taken from. */
    async insert(a: { dossierId: string; componentId: string; fileId: string | undefined; reusedFrom: string | null }) {
      await db('dossier_attachments').insert({
        dossier_id: a.dossierId,
        component_id: a.componentId,
        file_id: a.fileId,
        reused_from_dossier_code: a.reusedFrom,
      })
    },

    /**
     * The file of a component in the dossier with this code, when the dossier is the applicant's: theirs by account,
     * or (when given) by ID number.
     */
    reusableFile: async (
      dossierCode: string,
      componentId: string,
      applicant: { userId: string; idNumber?: string | undefined },
    ): Promise<{ file_id: string } | undefined> =>
      (await db('dossier_attachments as a')
        .join('dossiers as d', 'd.id', 'a.dossier_id')
        .where('d.code', dossierCode)
        .andWhere('a.component_id', componentId)
        .andWhere((q) => {
          q.where('d.applicant_id', applicant.userId)
          if (applicant.idNumber) q.orWhere('d.applicant_id_number', applicant.idNumber)
        })
        .first('a.file_id')) as { file_id: string } | undefined,

    /** The file of a component in the dossier with this code, with the dossier's id and applicant (whoever it is). */
    fileOfCode: async (
      dossierCode: string,
      componentId: string,
    ): Promise<{ file_id: string; applicant_id: string | null; id: string } | undefined> =>
      (await db('dossier_attachments as a')
        .join('dossiers as d', 'd.id', 'a.dossier_id')
        .where('d.code', dossierCode)
        .andWhere('a.component_id', componentId)
        .first('a.file_id', 'd.applicant_id', 'd.id')) as
        { file_id: string; applicant_id: string | null; id: string } | undefined,

    /** The file when it is one of the dossier's attachments. */
    fileIn: async (dossierId: string, fileId: string): Promise<AttachmentFile | undefined> =>
      (await db('dossier_attachments as a')
        .join('files as f', 'f.id', 'a.file_id')
        .where({ 'a.dossier_id': dossierId, 'a.file_id': fileId })
        .first('f.id', 'f.mime', 'f.original_name', 'f.storage_key', 'f.size')) as AttachmentFile | undefined,
  }
}
