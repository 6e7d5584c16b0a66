// The citizen portal around the lifecycle service: autosaved drafts, component upload limits, reuse of one's own
// documents, the e-mail-verified gate on submission, attachment download rights, and the service rating.
import { Status } from '../domain/dossier/status.js'
import type { Knex } from 'knex'
import { requireAccess } from '../auth/access.js'
import type { Principal } from '../auth/principal.js'
import { accountRepository } from '../auth/repository.js'
import { catalogueRepository } from '../catalogue/repository.js'
import type { DossierComponent, ProcedureDefinition } from '../catalogue/definition.js'
import type { UploadLimits } from '../attachments/upload.js'
import { auditRepository } from '../db/audit-repository.js'
import { AppError } from '../errors.js'
import { dossierAttachmentRepository, type AttachmentFile, type ReuseRight } from './attachment-repository.js'
import type { AttachmentInput, CommandResult, DossierService } from './commands.js'
import { portalRepository, type DraftRow } from './portal-repository.js'
import type { DossierQueries } from './queries.js'
import { dossierRepository } from './repository.js'

export type { DraftRow } from './portal-repository.js'

export interface DraftView {
  id: string
  procedure: string
  agencyUnitId: string | null
  formData: Record<string, unknown>
  deliveryMethod: 'online' | 'counter' | 'post' | null
  attachments: AttachmentInput[]
  submittedDossierId: string | null
  updatedAt: Date
}

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

const view = (d: DraftRow): DraftView => ({
  id: d.id,
  procedure: d.procedure_slug,
  agencyUnitId: d.agency_unit_id,
  formData: d.form_data,
  deliveryMethod: d.delivery_method,
  attachments: d.attachments,
  submittedDossierId: d.submitted_dossier_id,
  updatedAt: d.updated_at,
})

/** The upload limits a procedure's component declares (accepted types, size in MB). */
export function componentLimits(component: DossierComponent): UploadLimits {
  return { types: component.accept, maxBytes: Math.round(component.maxSizeMb * 1024 * 1024) }
}

export class DossierPortal {
  constructor(
    private readonly knex: Knex,
    private readonly service: DossierService,
    private readonly queries: DossierQueries,
  ) {}

  // ------------------------------------------------------------------ drafts

  async createDraft(
    principal: Principal | undefined,
    input: {
      procedure: string
      agencyUnitId?: string
      formData?: Record<string, unknown>
      deliveryMethod?: DraftRow['delivery_method']
    },
  ): Promise<DraftView> {
    const caller = await requireAccess(this.knex, { principal, permission: 'dossier.submit' })
    await this.publishedDefinition(input.procedure)
    if (input.agencyUnitId) await this.unitExists(input.agencyUnitId)
    const row = await portalRepository(this.knex).insertDraft({
      ownerId: caller.userId,
      procedureSlug: input.procedure,
      agencyUnitId: input.agencyUnitId ?? null,
      formData: input.formData ?? {},
      deliveryMethod: input.deliveryMethod ?? null,
    })
    return view(row)
  }

  /** Autosave: the given fields replace the stored ones (the form data as a whole, as the browser holds it). */
  async updateDraft(
    principal: Principal | undefined,
    draftId: string,
    patch: { agencyUnitId?: string; formData?: Record<string, unknown>; deliveryMethod?: DraftRow['delivery_method'] },
  ): Promise<DraftView> {
    const draft = await this.ownDraft(principal, draftId)
    if (draft.submitted_dossier_id) throw new AppError('MC_ERR_DOSSIER_STATE', 'The draft has been submitted')
    if (patch.agencyUnitId) await this.unitExists(patch.agencyUnitId)
    if (patch.deliveryMethod) {
      const def = await this.publishedDefinition(draft.procedure_slug)
      if (!def.resultDelivery.includes(patch.deliveryMethod))
        throw new AppError(
          'MC_ERR_VALIDATION',
          `deliveryMethod ${patch.deliveryMethod} is not offered for this procedure`,
        )
    }
    return view(await portalRepository(this.knex).updateDraft(draft.id, patch))
  }

  async getDraft(principal: Principal | undefined, draftId: string): Promise<DraftView> {
    return view(await this.ownDraft(principal, draftId))
  }

  /** The component a file is for, and its limits; the caller must own the draft. */
  async draftComponent(
    principal: Principal | undefined,
    draftId: string,
    componentId: string,
  ): Promise<{ draft: DraftRow; component: DossierComponent }> {
    const draft = await this.ownDraft(principal, draftId)
    if (draft.submitted_dossier_id) throw new AppError('MC_ERR_DOSSIER_STATE', 'The draft has been submitted')
    const def = await this.publishedDefinition(draft.procedure_slug)
    return { draft, component: componentOf(def, componentId) }
  }

  /**
   * The component of a submitted dossier (for a supplement upload); the caller must be its applicant or an officer of
   * the unit.
   */
  async dossierComponent(
    principal: Principal | undefined,
    dossierId: string,
    componentId: string,
  ): Promise<DossierComponent> {
    await this.queries.get(principal, dossierId)
    return componentOf(await dossierRepository(this.knex).definitionById(dossierId), componentId)
  }

  /** Puts (or replaces) a component's document in the draft: an uploaded file or one reused from an earlier dossier. */
  async setDraftAttachment(draft: DraftRow, attachment: AttachmentInput): Promise<DraftView> {
    const others = draft.attachments.filter((a) => a.componentId !== attachment.componentId)
    return view(await portalRepository(this.knex).setDraftAttachments(draft.id, [...others, attachment]))
  }

  /**
   * Reuse a document of one of my earlier dossiers, by that dossier's code: no re-upload. Mine means submitted by my
   * account, or (once my identity is verified) under my verified CCCD. Someone else's dossier answers exactly like a
   * code that does not exist (and the attempt is audited).
   */
  async reuseInDraft(
    principal: Principal | undefined,
    draftId: string,
    componentId: string,
    dossierCode: string,
  ): Promise<DraftView> {
    const { draft, component } = await this.draftComponent(principal, draftId, componentId)
    if (!component.reusable) throw new AppError('MC_ERR_ATTACHMENT_INVALID', `${componentId} cannot be reused`)
    const code = dossierCode.trim().toUpperCase()
    const attachments = dossierAttachmentRepository(this.knex)
    // The draft's owner, by account or by a CCCD the system verified; never the number typed at sign-up.
    const right: ReuseRight = {
      kind: 'applicant',
      userId: draft.owner_id,
      verifiedIdNumber: await accountRepository(this.knex).verifiedIdNumber(draft.owner_id),
    }
    if (!(await attachments.reusableFile(code, componentId, right))) {
      const earlier = await attachments.fileOfCode(code, componentId)
      if (earlier) {
        await dossierRepository(this.knex).audit(draft.owner_id, 'access.denied', earlier.id, { reuse: componentId })
      }
      throw new AppError('MC_ERR_ATTACHMENT_INVALID', `No ${componentId} in your dossier ${dossierCode}`)
    }
    return this.setDraftAttachment(draft, { componentId, reuseFromDossierCode: dossierCode.trim().toUpperCase() })
  }

  /**
   * Submits the draft. The Idempotency-Key makes a retry answer with the same dossier; a draft already
   * submitted answers with its dossier whatever the key, so one draft never becomes two dossiers.
   */
  async submitDraft(principal: Principal | undefined, draftId: string, idempotencyKey: string): Promise<CommandResult> {
    const draft = await this.ownDraft(principal, draftId)
    if (draft.submitted_dossier_id) {
      const d = (await dossierRepository(this.knex).stateOf(draft.submitted_dossier_id))!
      return { dossierId: d.id, status: d.status, code: d.code }
    }
    await this.requireVerifiedEmail(draft.owner_id)
    if (!draft.agency_unit_id) throw new AppError('MC_ERR_AGENCY_INVALID', 'Choose the receiving agency')
    if (!draft.delivery_method)
      throw new AppError('MC_ERR_VALIDATION', 'Choose how the result is returned (deliveryMethod)')
    const def = await this.publishedDefinition(draft.procedure_slug)
    // Conditional components and originals shown at the counter are the officer's to check at reception.
    const missing = def.components.filter(
      (c) =>
        c.required &&
        !c.condition &&
        c.form !== 'present-original' &&
        !draft.attachments.some((a) => a.componentId === c.id),
    )
    if (missing.length)
      throw new AppError('MC_ERR_DOSSIER_INCOMPLETE', missing.map((c) => c.id).join(', '), {
        missing: missing.map((c) => ({ componentId: c.id, name: c.name })),
      })
    // The first key to reach the draft is the draft's for good: two submissions racing with different keys (two tabs)
    // then ask the service with the same key, and it creates one dossier.
    const drafts = portalRepository(this.knex)
    const submissionKey = await drafts.claimSubmissionKey(draft.id, idempotencyKey)
    const result = await this.service.submit(principal, {
      procedure: draft.procedure_slug,
      agencyUnitId: draft.agency_unit_id,
      formData: draft.form_data,
      deliveryMethod: draft.delivery_method,
      attachments: draft.attachments,
      idempotencyKey: submissionKey,
    })
    await drafts.markDraftSubmitted(draft.id, result.dossierId)
    return result
  }

  /** Unverified accounts may log in and prepare drafts, but not submit. */
  async requireVerifiedEmail(userId: string): Promise<void> {
    if (!(await accountRepository(this.knex).emailVerifiedAt(userId))) throw new AppError('MC_ERR_EMAIL_NOT_VERIFIED')
  }

  // ------------------------------------------------------------------ downloads and ratings

  /**
   * The file of one of the dossier's attachments, when the caller may read the dossier (owner or officer of the unit).
   */
  async attachmentFile(principal: Principal | undefined, dossierId: string, fileId: string): Promise<AttachmentFile> {
    await this.queries.get(principal, dossierId)
    const file = uuidPattern.test(fileId)
      ? await dossierAttachmentRepository(this.knex).fileIn(dossierId, fileId)
      : undefined
    if (!file) throw new AppError('MC_ERR_NOT_FOUND', 'No such attachment in this dossier')
    return file
  }

  /** The applicant rates the service (1–5) once the result has been returned; once per dossier. */
  async rate(
    principal: Principal | undefined,
    dossierId: string,
    input: { score: number; comment?: string },
  ): Promise<{ dossierId: string; score: number; comment: string | null; createdAt: Date }> {
    const caller = await requireAccess(this.knex, { principal, permission: 'dossier.readOwn' })
    const dossiers = dossierRepository(this.knex)
    const d = uuidPattern.test(dossierId) ? await dossiers.applicantAndStatus(dossierId) : undefined
    if (!d || d.applicant_id !== caller.userId) {
      if (d) await dossiers.audit(caller.userId, 'access.denied', d.id, { rate: true })
      throw new AppError('MC_ERR_DOSSIER_NOT_FOUND')
    }
    if (d.status !== Status.returned)
      throw new AppError('MC_ERR_DOSSIER_STATE', 'A dossier can be rated once its result has been returned')
    const row = await portalRepository(this.knex).insertRating({
      dossierId: d.id,
      userId: caller.userId,
      score: input.score,
      comment: input.comment ?? null,
    })
    if (!row) throw new AppError('MC_ERR_ALREADY_RATED')
    await dossiers.audit(caller.userId, 'dossier.rate', d.id, { score: input.score })
    return { dossierId: row.dossier_id, score: row.score, comment: row.comment, createdAt: row.created_at }
  }

  // ------------------------------------------------------------------ plumbing

  private async ownDraft(principal: Principal | undefined, draftId: string): Promise<DraftRow> {
    const caller = await requireAccess(this.knex, { principal, permission: 'dossier.submit' })
    const draft = uuidPattern.test(draftId) ? await portalRepository(this.knex).draftById(draftId) : undefined
    if (!draft || draft.owner_id !== caller.userId) {
      if (draft)
        await auditRepository(this.knex).record({
          actorId: caller.userId,
          action: 'access.denied',
          subjectType: 'draft',
          subjectId: draft.id,
          data: '{}',
        })
      throw new AppError('MC_ERR_DRAFT_NOT_FOUND')
    }
    return draft
  }

  private async publishedDefinition(slug: string): Promise<ProcedureDefinition> {
    const catalogue = catalogueRepository(this.knex)
    const procedure = await catalogue.procedureBySlug(slug)
    const version = procedure?.published_version
      ? await catalogue.version(procedure.id, procedure.published_version)
      : undefined
    if (!version) throw new AppError('MC_ERR_PROCEDURE_NOT_FOUND', slug)
    return version.definition
  }

  private async unitExists(unitId: string): Promise<void> {
    if (!(await catalogueRepository(this.knex).hasUnit(unitId)))
      throw new AppError('MC_ERR_AGENCY_INVALID', `No unit ${unitId}`)
  }
}

function componentOf(def: ProcedureDefinition, componentId: string): DossierComponent {
  const component = def.components.find((c) => c.id === componentId)
  if (!component) throw new AppError('MC_ERR_ATTACHMENT_INVALID', `No component ${componentId} in ${def.slug}`)
  return component
}
