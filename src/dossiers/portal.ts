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
import { onboardingRepository } from '../auth/onboarding-repository.js'
import { applicantBlockFrom } from '../auth/account.js'
import { prefillApplicant } from './applicant-prefill.js'
import type { DossierQueries } from './queries.js'
import { dossierRepository } from './repository.js'
import { receivesProcedure } from '../catalogue/receiving-units.js'
import { validateFormData, type Localized } from '../catalogue/form-validation.js'

/** One reason a draft cannot be submitted yet. */
interface SubmitError {
  part: 'agency' | 'delivery' | 'attachment'
  field: string
  component?: string
  label?: Localized
  message: { vi: string; en: string }
}

export type { DraftRow } from './portal-repository.js'

/** An open draft in the applicant's list. */
export interface DraftSummary {
  id: string
  procedure: string
  procedureName: string | null
  createdAt: Date
  updatedAt: Date
}

export interface DraftView {
  id: string
  procedure: string
  agencyUnitId: string | null
  formData: Record<string, unknown>
  deliveryMethod: 'online' | 'counter' | 'post' | null
  deliveryAddress: DraftRow['delivery_address']
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
  deliveryAddress: d.delivery_address,
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
      deliveryAddress?: DraftRow['delivery_address']
    },
  ): Promise<DraftView> {
    const caller = await requireAccess(this.knex, { principal, permission: 'dossier.submit' })
    const def = await this.publishedDefinition(input.procedure)
    if (input.agencyUnitId) await this.unitExists(input.agencyUnitId)
    // A new draft starts with the applicant block filled in from the profile (the browser sends no form data).
    const profile = input.formData ? undefined : await onboardingRepository(this.knex).profile(caller.userId)
    const row = await portalRepository(this.knex).insertDraft({
      ownerId: caller.userId,
      procedureSlug: input.procedure,
      agencyUnitId: input.agencyUnitId ?? null,
      formData: input.formData ?? (profile ? prefillApplicant(def.form, applicantBlockFrom(profile)) : {}),
      deliveryMethod: input.deliveryMethod ?? null,
      deliveryAddress: input.deliveryAddress ?? null,
    })
    return view(row)
  }

  /** Autosave: the given fields replace the stored ones (the form data as a whole, as the browser holds it). */
  async updateDraft(
    principal: Principal | undefined,
    draftId: string,
    patch: {
      agencyUnitId?: string
      formData?: Record<string, unknown>
      deliveryMethod?: DraftRow['delivery_method']
      deliveryAddress?: DraftRow['delivery_address']
    },
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

  /** The caller's drafts not submitted yet (of one procedure when `procedure` is given), last changed first. */
  async listDrafts(principal: Principal | undefined, procedure?: string): Promise<DraftSummary[]> {
    const caller = await requireAccess(this.knex, { principal, permission: 'dossier.submit' })
    const rows = await portalRepository(this.knex).openDrafts(caller.userId, procedure)
    return rows.map((r) => ({
      id: r.id,
      procedure: r.procedure_slug,
      procedureName: r.procedure_name,
      createdAt: r.created_at,
      updatedAt: r.updated_at,
    }))
  }

  /** Deletes one of the caller's drafts; a submitted draft is the dossier's record and stays (409). */
  async deleteDraft(principal: Principal | undefined, draftId: string): Promise<void> {
    const draft = await this.ownDraft(principal, draftId)
    if (draft.submitted_dossier_id) throw new AppError('MC_ERR_DRAFT_SUBMITTED')
    await this.knex.transaction(async (trx) => {
      await portalRepository(trx).deleteDraft(draft.id)
      await auditRepository(trx).record({
        actorId: draft.owner_id,
        action: 'draft.delete',
        subjectType: 'draft',
        subjectId: draft.id,
        data: { procedure: draft.procedure_slug },
      })
    })
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

  /**
   * The component of a published procedure an officer scans at the counter before entering the dossier (the file then
   * goes into the intake's attachments, as the officer's upload): the caller must work a counter.
   */
  async counterComponent(
    principal: Principal | undefined,
    slug: string,
    componentId: string,
  ): Promise<{ officerId: string; component: DossierComponent }> {
    const officer = await requireAccess(this.knex, { principal, permission: 'task.work' })
    return { officerId: officer.userId, component: componentOf(await this.publishedDefinition(slug), componentId) }
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
    const { definition: def, version } = await this.publishedVersion(draft.procedure_slug)
    const { agencyUnitId, deliveryMethod } = await this.refuseUnsubmittable(draft, def, version)
    // The first key to reach the draft is the draft's for good: two submissions racing with different keys (two tabs)
    // then ask the service with the same key, and it creates one dossier.
    const drafts = portalRepository(this.knex)
    const submissionKey = await drafts.claimSubmissionKey(draft.id, idempotencyKey)
    const result = await this.service.submit(principal, {
      procedure: draft.procedure_slug,
      agencyUnitId,
      formData: draft.form_data,
      deliveryMethod,
      deliveryAddress: draft.delivery_address,
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
    return (await this.publishedVersion(slug)).definition
  }

  private async publishedVersion(slug: string): Promise<{ definition: ProcedureDefinition; version: number }> {
    const catalogue = catalogueRepository(this.knex)
    const procedure = await catalogue.procedureBySlug(slug)
    const version = procedure?.published_version
      ? await catalogue.version(procedure.id, procedure.published_version)
      : undefined
    if (!version) throw new AppError('MC_ERR_PROCEDURE_NOT_FOUND', slug)
    return { definition: version.definition, version: version.version }
  }

  /**
   * Everything that stops the draft's submission, reported at once so the applicant fixes it all in one go: the
   * receiving agency, the result delivery, the required documents and the form. A form that is the only problem
   * answers MC_ERR_FORM_INVALID (as a submission through the API does); anything else MC_ERR_DOSSIER_INCOMPLETE.
   * Each entry of `errors` names its `part` and its `field` (or `component`), with vi and en messages.
   */
  private async refuseUnsubmittable(
    draft: DraftRow,
    def: ProcedureDefinition,
    version: number,
  ): Promise<{ agencyUnitId: string; deliveryMethod: NonNullable<DraftRow['delivery_method']> }> {
    const errors: SubmitError[] = []
    const unit = draft.agency_unit_id ? await catalogueRepository(this.knex).unitById(draft.agency_unit_id) : undefined
    if (!unit || !receivesProcedure(unit, def.agencyLevel))
      errors.push({
        part: 'agency',
        field: 'agencyUnitId',
        message: unit
          ? {
              vi: `${unit.name} không tiếp nhận hồ sơ thủ tục này; chọn cơ quan khác`,
              en: `${unit.name} does not receive dossiers of this procedure; choose another agency`,
            }
          : { vi: 'Chưa chọn cơ quan tiếp nhận', en: 'Choose the receiving agency' },
      })
    if (!draft.delivery_method || !def.resultDelivery.includes(draft.delivery_method))
      errors.push({
        part: 'delivery',
        field: 'deliveryMethod',
        message: { vi: 'Chưa chọn cách nhận kết quả', en: 'Choose how the result is returned' },
      })
    // Conditional components and originals shown at the counter are the officer's to check at reception.
    const missing = def.components.filter(
      (c) =>
        c.required &&
        !c.condition &&
        c.form !== 'present-original' &&
        !draft.attachments.some((a) => a.componentId === c.id),
    )
    for (const c of missing)
      errors.push({
        part: 'attachment',
        field: 'attachments',
        component: c.id,
        label: { vi: c.name },
        message: { vi: 'Chưa đính kèm giấy tờ bắt buộc này', en: 'This required document is not attached' },
      })
    const form = await validateFormData(
      this.knex,
      `${def.slug}@${version}`,
      def.form as unknown as Record<string, unknown>,
      draft.form_data,
    )
    const formErrors = form.ok ? [] : form.errors.map((e) => ({ part: 'form' as const, ...e }))
    if (unit && draft.delivery_method && errors.length === 0 && formErrors.length === 0)
      return { agencyUnitId: unit.id, deliveryMethod: draft.delivery_method }
    const all = [...errors, ...formErrors]
    if (errors.length === 0) throw new AppError('MC_ERR_FORM_INVALID', undefined, { errors: all })
    throw new AppError('MC_ERR_DOSSIER_INCOMPLETE', errors.map((e) => e.component ?? e.field).join(', '), {
      errors: all,
      missing: missing.map((c) => ({ componentId: c.id, name: c.name })),
    })
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
