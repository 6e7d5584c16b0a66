// SQL of a dossier's attachments: linking a file to a component, finding a document of an earlier dossier to reuse,
// and the file of one attachment for download.
import type { Knex } from 'knex'
import type { Db } from './repository.js'

/** Who may take a document from an earlier dossier, as the system knows them. */
export type ReuseRight =
  /** An applicant: their account, and their CCCD only when verified (identity provider or counter). */
  | { kind: 'applicant'; userId: string; verifiedIdNumber?: string | undefined }
  /** An officer at the counter: their unit subtree, for the applicant whose card they hold. */
  | { kind: 'counter'; unitPath: string | undefined; idNumber: string | undefined }

/**
 * Narrows a query joined to `dossiers as d` to the dossiers the right covers: an applicant's by account or verified
 * CCCD; the counter's by its unit subtree and the applicant's ID number. Anything else covers nothing.
 *
 * A dossier is someone's by ID number only where that number was established: received at a counter (the officer held
 * the card) or submitted from an account whose identity was proved with that number (identity provider or counter). An
 * account that merely typed a number at sign-up does not put its documents in that person's store.
 */
export function whereReuseRight(q: Knex.QueryBuilder, right: ReuseRight): void {
  if (right.kind === 'applicant') {
    q.where('d.applicant_id', right.userId)
    if (right.verifiedIdNumber) q.orWhere((q2) => whereEstablishedIdNumber(q2, right.verifiedIdNumber!))
  } else if (right.unitPath && right.idNumber) {
    // The unit subtree by path prefix (as coversUnit), compared without LIKE so no character is a wildcard.
    q.whereRaw('left(d.unit_path, length(?)) = ?', [right.unitPath, right.unitPath]).andWhere((q2) =>
      whereEstablishedIdNumber(q2, right.idNumber!),
    )
  } else q.whereRaw('false')
}

function whereEstablishedIdNumber(q: Knex.QueryBuilder, idNumber: string): void {
  q.where('d.applicant_id_number', idNumber).andWhere((trusted) =>
    trusted
      .where('d.channel', 'counter')
      .orWhereExists((u) =>
        u
          .select(q.client.raw('1'))
          .from('users as u')
          .whereRaw('u.id = d.applicant_id')
          .andWhereRaw('u.id_number = d.applicant_id_number')
          .andWhereNot('u.identity_assurance', 'self_declared'),
      ),
  )
}

/** Where a reused attachment came from: the earlier dossier, and its attachment or its signed result. */
export interface ReuseSource {
  dossierId: string
  dossierCode: string
  attachmentId?: string
  resultId?: string
}

/** How a component's file came to be digital (migration 1150): the counter's scan, the applicant's upload, reuse. */
export type Digitisation = 'scanned_at_counter' | 'submitted_online' | 'reused'

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
    /**
     * Links a file to a component of the dossier; `reusedFrom` names the earlier dossier and document it was taken
     * from (the same file row: the bytes are never copied).
     */
    async insert(a: {
      dossierId: string
      componentId: string
      fileId: string | undefined
      reusedFrom: ReuseSource | null
      digitisation: Digitisation
    }) {
      await db('dossier_attachments').insert({
        dossier_id: a.dossierId,
        component_id: a.componentId,
        file_id: a.fileId,
        reused_from_dossier_code: a.reusedFrom?.dossierCode ?? null,
        reused_from_dossier_id: a.reusedFrom?.dossierId ?? null,
        reused_from_attachment_id: a.reusedFrom?.attachmentId ?? null,
        reused_from_result_id: a.reusedFrom?.resultId ?? null,
        digitisation: a.digitisation,
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
    ): Promise<{ file_id: string; attachment_id: string; dossier_id: string } | undefined> =>
      (await db('dossier_attachments as a')
        .join('dossiers as d', 'd.id', 'a.dossier_id')
        .where('d.code', dossierCode)
        .andWhere('a.component_id', componentId)
        .andWhere((q) => whereReuseRight(q, right))
        .first('a.file_id', db.raw('a.id::text AS attachment_id'), 'd.id as dossier_id')) as
        { file_id: string; attachment_id: string; dossier_id: string } | undefined,

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
