// SQL of the applicant's document store ("kho dữ liệu"): the signed results of their resolved dossiers and the
// components of their accepted dossiers, each found only through a right the system established (ReuseRight).
import type { Knex } from 'knex'
import type { DossierComponent } from '../catalogue/definition.js'
import { Status } from '../domain/dossier/status.js'
import { AppError } from '../errors.js'
import { whereReuseRight, type ReuseRight } from './attachment-repository.js'
import type { Db } from './repository.js'

export type StoreKind = 'result' | 'component'

/** One document of the store, as the picker lists it and as a reuse links it. */
export interface StoreDocument {
  kind: StoreKind
  /** The result's id, or the attachment's id (digits) for a component. */
  id: string
  /** The result document's title, or the component's name in the procedure it was handed in for. */
  title: string
  /** The result's number (`<code>/KQ`); null for a component. */
  resultNo: string | null
  dossierId: string
  dossierCode: string
  procedureName: string
  fileId: string
  fileName: string
  mime: string
  size: number
  sha256: string
  /** When it became the applicant's: the result's signing, or the dossier's acceptance. */
  at: Date
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
// An attachment id is a bigint: at most 18 digits stays inside its range, so no guess makes the database fail.
const ATTACHMENT_ID = /^[1-9][0-9]{0,17}$/

/** Whether `id` can name a document of this kind at all (a malformed id is simply not in anyone's store). */
export const isStoreId = (kind: StoreKind, id: string): boolean =>
  kind === 'result' ? UUID.test(id) : ATTACHMENT_ID.test(id)

/**
 * A store document goes into a component as an upload would: a type and a size the component accepts (a signed result
 * is a PDF; a component that takes only images does not take it).
 */
export function fitsComponent(doc: StoreDocument, component: DossierComponent): void {
  if (!component.accept.includes(doc.mime))
    throw new AppError('MC_ERR_FILE_TYPE_NOT_ALLOWED', `${component.id} does not accept ${doc.mime}`)
  if (doc.size > component.maxSizeMb * 1024 * 1024)
    throw new AppError('MC_ERR_FILE_TOO_LARGE', `${component.id} accepts at most ${component.maxSizeMb} MB`)
}

type Row = {
  kind: StoreKind
  id: string | number
  title: string | null
  result_no: string | null
  dossier_id: string
  dossier_code: string
  procedure_name: string
  file_id: string
  file_name: string
  mime: string
  size: string | number
  sha256: string
  at: Date
}

const toDocument = (r: Row): StoreDocument => ({
  kind: r.kind,
  id: String(r.id),
  title: r.title ?? '',
  resultNo: r.result_no,
  dossierId: r.dossier_id,
  dossierCode: r.dossier_code,
  procedureName: r.procedure_name,
  fileId: r.file_id,
  fileName: r.file_name,
  mime: r.mime,
  size: Number(r.size),
  sha256: r.sha256,
  at: r.at,
})

export function storeRepository(db: Db) {
  /** Results of the right's dossiers once issued (resolved or returned), as the applicant may download them. */
  const results = (right: ReuseRight) =>
    db('dossier_results as r')
      .join('dossiers as d', 'd.id', 'r.dossier_id')
      .join('files as f', 'f.id', 'r.file_id')
      .whereIn('d.status', [Status.resolved, Status.returned])
      .andWhere((q) => whereReuseRight(q, right))
      .select(
        db.raw(`'result' AS kind`),
        db.raw('r.id::text AS id'),
        'r.title',
        'r.result_no',
        'd.id as dossier_id',
        'd.code as dossier_code',
        'd.procedure_name',
        'f.id as file_id',
        'f.original_name as file_name',
        'f.mime',
        'f.size',
        'f.sha256',
        'r.signed_at as at',
      )
  /**
   * Components of the right's dossiers once accepted and not refused: what the officer accepted at reception. A
   * component that was itself reused is not listed again (its source is).
   */
  const components = (right: ReuseRight) =>
    db('dossier_attachments as a')
      .join('dossiers as d', 'd.id', 'a.dossier_id')
      .join('procedure_versions as v', 'v.id', 'd.procedure_version_id')
      .join('files as f', 'f.id', 'a.file_id')
      .whereNotNull('d.accepted_at')
      .andWhere('d.status', '<>', 3)
      .andWhere('a.digitisation', '<>', 'reused')
      .andWhere((q) => whereReuseRight(q, right))
      .select(
        db.raw(`'component' AS kind`),
        db.raw('a.id::text AS id'),
        db.raw(
          `(SELECT c->>'name' FROM jsonb_array_elements(v.definition->'components') c WHERE c->>'id' = a.component_id) AS title`,
        ),
        db.raw('NULL::text AS result_no'),
        'd.id as dossier_id',
        'd.code as dossier_code',
        'd.procedure_name',
        'f.id as file_id',
        'f.original_name as file_name',
        'f.mime',
        'f.size',
        'f.sha256',
        'd.accepted_at as at',
      )
  return {
    /** The store of the right, newest first (at most `limit` documents). */
    list: async (right: ReuseRight, limit: number): Promise<StoreDocument[]> => {
      const rows = (await db
        .select('*')
        .from(
          results(right)
            .unionAll(components(right) as Knex.QueryBuilder, true)
            .as('s'),
        )
        .orderBy([
          { column: 'at', order: 'desc' },
          { column: 'id', order: 'asc' },
        ])
        .limit(limit)) as Row[]
      return rows.map(toDocument)
    },

    /** One document of the store of the right; undefined for anyone else's, or one that does not exist. */
    find: async (right: ReuseRight, kind: StoreKind, id: string): Promise<StoreDocument | undefined> => {
      if (!isStoreId(kind, id)) return undefined
      const row = (await (
        kind === 'result' ? results(right).andWhere('r.id', id) : components(right).andWhere('a.id', id)
      ).first()) as Row | undefined
      return row && toDocument(row)
    },

    /** The dossier a store document belongs to, whoever it is (to audit a refused attempt on someone else's). */
    ownerDossier: async (kind: StoreKind, id: string): Promise<string | undefined> => {
      if (!isStoreId(kind, id)) return undefined
      const row = (await (kind === 'result'
        ? db('dossier_results').where({ id }).first('dossier_id')
        : db('dossier_attachments').where({ id }).first('dossier_id'))) as { dossier_id: string } | undefined
      return row?.dossier_id
    },
  }
}
