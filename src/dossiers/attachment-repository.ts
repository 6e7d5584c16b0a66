// SQL of a dossier's attachments: linking a file to a component, finding a document of an earlier dossier to reuse,
// and the file of one attachment for download.
import type { Db } from './repository.js'

/** Who may take a document from an earlier dossier, as the system knows them. */
export type ReuseRight =
  /** An applicant: their account, and their CCCD only when verified (identity provider or counter). */
  | { kind: 'applicant'; userId: string; verifiedIdNumber?: string | undefined }
  /** An officer at the counter: their unit subtree, for the applicant whose card they hold. */
  | { kind: 'counter'; unitPath: string | undefined; idNumber: string | undefined }

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
     * The file of a component in the dossier with this code, when the caller has a right to it the system established
     * (never a typed ID number): an applicant, for dossiers their account submitted or, once their identity is
     * verified, dossiers under their verified CCCD; the counter, for dossiers of its own unit subtree with the
     * applicant's ID number. Anything else is undefined, exactly like a code that does not exist.
     */
    reusableFile: async (
      dossierCode: string,
      componentId: string,
      right: ReuseRight,
    ): Promise<{ file_id: string } | undefined> =>
      (await db('dossier_attachments as a')
        .join('dossiers as d', 'd.id', 'a.dossier_id')
        .where('d.code', dossierCode)
        .andWhere('a.component_id', componentId)
        .andWhere((q) => {
          if (right.kind === 'applicant') {
            q.where('d.applicant_id', right.userId)
            if (right.verifiedIdNumber) q.orWhere('d.applicant_id_number', right.verifiedIdNumber)
          } else if (right.unitPath && right.idNumber) {
            // The unit subtree by path prefix (as coversUnit), compared without LIKE so no character is a wildcard.
            q.whereRaw('left(d.unit_path, length(?)) = ?', [right.unitPath, right.unitPath]).andWhere(
              'd.applicant_id_number',
              right.idNumber,
            )
          } else q.whereRaw('false')
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
