// SQL of what the citizen portal keeps besides dossiers: autosaved drafts (their fields, documents, the submission key
// that makes one draft one dossier) and the applicants' ratings of the service.
import type { DeliveryAddressInput } from '../delivery/address.js'
import type { AttachmentInput } from './commands/types.js'
import type { Db } from './repository.js'

export interface DraftRow {
  id: string
  owner_id: string
  procedure_slug: string
  agency_unit_id: string | null
  form_data: Record<string, unknown>
  delivery_method: 'online' | 'counter' | 'post' | null
  /** The postal address as the applicant is filling it in (checked on submission). */
  delivery_address: DeliveryAddressInput | null
  attachments: AttachmentInput[]
  submitted_dossier_id: string | null
  created_at: Date
  updated_at: Date
}

/** An open draft as "Hồ sơ của tôi" lists it. */
export interface OpenDraftRow {
  id: string
  procedure_slug: string
  procedure_name: string | null
  created_at: Date
  updated_at: Date
}

export interface RatingRow {
  dossier_id: string
  score: number
  comment: string | null
  created_at: Date
}

export function portalRepository(db: Db) {
  return {
    draftById: async (id: string): Promise<DraftRow | undefined> =>
      (await db('dossier_drafts').where({ id }).first()) as DraftRow | undefined,

    /** The owner's drafts not submitted yet, last changed first, with their procedure's name; one procedure's only. */
    async openDrafts(ownerId: string, procedureSlug?: string): Promise<OpenDraftRow[]> {
      const q = db('dossier_drafts as d')
        .leftJoin('procedures as p', 'p.slug', 'd.procedure_slug')
        .where('d.owner_id', ownerId)
        .whereNull('d.submitted_dossier_id')
        .orderBy([
          { column: 'd.updated_at', order: 'desc' },
          { column: 'd.id', order: 'asc' },
        ])
        .limit(200)
        .select('d.id', 'd.procedure_slug', 'p.name as procedure_name', 'd.created_at', 'd.updated_at')
      if (procedureSlug) q.andWhere('d.procedure_slug', procedureSlug)
      return (await q) as OpenDraftRow[]
    },

    async deleteDraft(id: string): Promise<void> {
      await db('dossier_drafts').where({ id }).delete()
    },

    /** A new draft of the owner's; returns it. */
    async insertDraft(draft: {
      ownerId: string
      procedureSlug: string
      agencyUnitId: string | null
      formData: Record<string, unknown>
      deliveryMethod: DraftRow['delivery_method']
      deliveryAddress: DraftRow['delivery_address']
    }): Promise<DraftRow> {
      const [row] = (await db('dossier_drafts')
        .insert({
          owner_id: draft.ownerId,
          procedure_slug: draft.procedureSlug,
          agency_unit_id: draft.agencyUnitId,
          form_data: JSON.stringify(draft.formData),
          delivery_method: draft.deliveryMethod,
          delivery_address: draft.deliveryAddress ? JSON.stringify(draft.deliveryAddress) : null,
        })
        .returning('*')) as DraftRow[]
      return row!
    },

    /** Autosave: the given fields replace the stored ones; returns the draft. */
    async updateDraft(
      id: string,
      patch: {
        agencyUnitId?: string
        formData?: Record<string, unknown>
        deliveryMethod?: DraftRow['delivery_method']
        deliveryAddress?: DraftRow['delivery_address']
      },
    ): Promise<DraftRow> {
      const [row] = (await db('dossier_drafts')
        .where({ id })
        .update({
          ...(patch.agencyUnitId !== undefined ? { agency_unit_id: patch.agencyUnitId } : {}),
          ...(patch.formData !== undefined ? { form_data: JSON.stringify(patch.formData) } : {}),
          ...(patch.deliveryMethod !== undefined ? { delivery_method: patch.deliveryMethod } : {}),
          ...(patch.deliveryAddress !== undefined
            ? { delivery_address: patch.deliveryAddress ? JSON.stringify(patch.deliveryAddress) : null }
            : {}),
          updated_at: db.fn.now(),
        })
        .returning('*')) as DraftRow[]
      return row!
    },

    /** The draft's documents, replaced as a whole; returns the draft. */
    async setDraftAttachments(id: string, attachments: AttachmentInput[]): Promise<DraftRow> {
      const [row] = (await db('dossier_drafts')
        .where({ id })
        .update({ attachments: JSON.stringify(attachments), updated_at: db.fn.now() })
        .returning('*')) as DraftRow[]
      return row!
    },

    /** Stores `key` as the draft's submission key unless it has one; returns the draft's key. */
    async claimSubmissionKey(id: string, key: string): Promise<string> {
      const [claimed] = (await db('dossier_drafts')
        .where({ id })
        .update({ submission_key: db.raw('coalesce(submission_key, ?)', [key]) })
        .returning('submission_key')) as Array<{ submission_key: string }>
      return claimed!.submission_key
    },

    /** Records the dossier the draft became. */
    async markDraftSubmitted(id: string, dossierId: string): Promise<void> {
      await db('dossier_drafts').where({ id }).update({ submitted_dossier_id: dossierId, updated_at: db.fn.now() })
    },

    /** The applicant's rating of a dossier; undefined when the dossier has one already (one per dossier). */
    insertRating: async (rating: {
      dossierId: string
      userId: string
      score: number
      comment: string | null
    }): Promise<RatingRow | undefined> =>
      (
        (await db('dossier_ratings')
          .insert({
            dossier_id: rating.dossierId,
            user_id: rating.userId,
            score: rating.score,
            comment: rating.comment,
          })
          .onConflict('dossier_id')
          .ignore()
          .returning('*')) as RatingRow[]
      )[0],
  }
}
