// SQL of electronic results: the signed documents of a dossier, found by dossier, by verification code or by hash.
import type { Knex } from 'knex'

type Db = Knex | Knex.Transaction

export interface ResultSignature {
  kind: 'person' | 'seal'
  subject: string
  at: string
}

export interface ResultRow {
  id: string
  dossier_id: string
  document_id: string
  title: string
  result_no: string
  source: 'template' | 'upload'
  file_id: string
  sha256: string
  verification_code: string
  issuer_name: string
  signatures: ResultSignature[]
  signed_by: string | null
  signed_at: Date
}

export interface ResultFileRow extends ResultRow {
  storage_key: string
  size: number | string
}

export function resultRepository(db: Db) {
  const withFile = () =>
    db('dossier_results as r').join('files as f', 'f.id', 'r.file_id').select('r.*', 'f.storage_key', 'f.size')
  return {
    async insert(row: Omit<ResultRow, 'id'>): Promise<ResultRow> {
      const [inserted] = (await db('dossier_results')
        .insert({ ...row, signatures: JSON.stringify(row.signatures) })
        .returning('*')) as ResultRow[]
      return inserted!
    },

    ofDossier: async (dossierId: string): Promise<ResultRow[]> =>
      (await db('dossier_results').where({ dossier_id: dossierId }).orderBy('signed_at')) as ResultRow[],

    document: async (dossierId: string, documentId: string): Promise<ResultRow | undefined> =>
      (await db('dossier_results').where({ dossier_id: dossierId, document_id: documentId }).first()) as
        ResultRow | undefined,

    withFile: async (dossierId: string, resultId: string): Promise<ResultFileRow | undefined> =>
      (await withFile().where({ 'r.dossier_id': dossierId, 'r.id': resultId }).first()) as ResultFileRow | undefined,

    byCode: async (code: string): Promise<ResultRow | undefined> =>
      (await db('dossier_results').where({ verification_code: code }).first()) as ResultRow | undefined,

    bySha256: async (sha256: string): Promise<ResultRow | undefined> =>
      (await db('dossier_results').where({ sha256 }).first()) as ResultRow | undefined,
  }
}
