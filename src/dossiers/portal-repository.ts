// SQL of what the citizen portal keeps besides dossiers: autosaved drafts (their fields, documents, the submission key
// that makes one draft one dossier) and the applicants' ratings of the service.
import type { AttachmentInput } from './commands/types.js'
import type { Db } from './repository.js'

export interface DraftRow {
  id: string
  owner_id: string
  procedure_slug: string
  agency_unit_id: string | null
  form_data: Record<string, unknown>
  delivery_method: 'online' | 'counter' | 'post' | null
  attachments: AttachmentInput[]
  submitted_dossier_id: string | null
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

    /** A new draft of the owner's; returns it. */
    async insertDraft(draft: {
      ownerId: string
      procedureSlug: string
      agencyUnitId: string | null
      formData: Record<string, unknown>
      deliveryMethod: DraftRow['delivery_method']
    }): Promise<DraftRow> {
      const [row] = (await db('dossier_drafts')
        .insert({
          owner_id: draft.ownerId,
          procedure_slug: draft.procedureSlug,
          agency_unit_id: draft.agencyUnitId,
          form_data: JSON.stringify(draft.formData),
          delivery_method: draft.deliveryMethod,
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
      },
    ): Promise<DraftRow> {
      const [row] = (await db('dossier_drafts')
        .where({ id })
        .update({
          ...(patch.agencyUnitId !== undefined ? { agency_unit_id: patch.agencyUnitId } : {}),
          ...(patch.formData !== undefined ? { form_data: JSON.stringify(patch.formData) } : {}),
          ...(patch.deliveryMethod !== undefined ? { delivery_method: patch.deliveryMethod } : {}),
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
