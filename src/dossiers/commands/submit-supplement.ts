// dossier.submitSupplement: the applicant (or the counter for them) hands in what was asked; the process continues.
import { validateFormData } from '../../catalogue/form-validation.js'
import { AppError } from '../../errors.js'
import { dossierDeadline, dueColumns } from '../deadlines.js'
import { dossierJobRepository } from '../job-repository.js'
import type { DossierRow } from '../repository.js'
import { requireApplicantOrCounter } from './access.js'
import { attach } from './attach.js'
import { advance, MESSAGE_TTL_MS } from './runner.js'
import type { CommandHandler } from './registry.js'
import type { MissingComponent, SupplementInput } from './types.js'

/**
 * What the request asked for and this supplement does not bring. A supplement must bring something, and everything
 * asked unless it says why not (a note): otherwise it is refused, naming what is missing, and the request stays open.
 */
function whatIsStillMissing(
  dossier: DossierRow,
  def: { components: Array<{ id: string; name: string }> },
  input: SupplementInput,
): MissingComponent[] {
  const brought = new Set((input.attachments ?? []).map((a) => a.componentId))
  const explained = Boolean(input.note?.trim())
  if (brought.size === 0 && !input.formData && !explained) throw new AppError('MC_ERR_SUPPLEMENT_EMPTY')
  // The request names components by id (the API) or by name (the officer's form lists names); a text that names no
  // component cannot be checked here and is taken as answered by whatever the supplement brings.
  const asked = (dossier.supplement_request?.missing ?? []).flatMap((text) => {
    const component = def.components.find((c) => c.id === text || c.name === text)
    return component ? [{ componentId: component.id, name: component.name }] : []
  })
  const stillMissing = asked.filter((c) => !brought.has(c.componentId))
  if (stillMissing.length > 0 && !explained) {
    const names = stillMissing.map((c) => c.name).join('; ')
    throw new AppError(
      'MC_ERR_SUPPLEMENT_INCOMPLETE',
      undefined,
      { missing: stillMissing },
      {
        vi: `Chưa bổ sung: ${names}. Hãy đính kèm, hoặc ghi rõ lý do chưa nộp được.`,
        en: `Not handed in yet: ${names}. Attach it, or say why it cannot be handed in.`,
      },
    )
  }
  return stillMissing
}

export const submitSupplement: CommandHandler<'dossier.submitSupplement'> = {
  async execute({ principal, dossierId, input }, rt) {
    const caller = await requireApplicantOrCounter(rt.knex, principal, dossierId)
    let stillMissing: MissingComponent[] = []
    const result = await rt.onDossier(
      'submitSupplement',
      dossierId,
      async ({ trx, dossier, repo, now, engineCommand }) => {
        // Asked during processing (R7) it goes on there; asked at reception (R6) it goes back to the counter.
        const status = advance('submitSupplement', dossier, { accepted: dossier.supplement_stage === 'processing' })
        const def = await repo.definitionOf(dossier)
        stillMissing = whatIsStillMissing(dossier, def, input)
        if (input.formData) {
          const version = await dossierJobRepository(trx).procedureVersionNumber(dossier.procedure_version_id)
          const form = await validateFormData(
            trx,
            `${def.slug}@${version}`,
            def.form as unknown as Record<string, unknown>,
            input.formData,
          )
          if (!form.ok) throw new AppError('MC_ERR_FORM_INVALID', undefined, { errors: form.errors })
        }
        // The dossier's ID number serves only the counter (within its unit subtree); the applicant reuses by account or
        // by their verified CCCD, never by the number on the dossier (which a self-declared account may have typed).
        await attach(trx, dossier.id, def, input.attachments ?? [], caller, {
          name: dossier.applicant_name,
          ...(dossier.applicant_id_number ? { idNumber: dossier.applicant_id_number } : {}),
        })
        const patch: Partial<Record<keyof DossierRow, unknown>> = {
          paused: false,
          paused_since: null,
          supplement_due_at: null,
          ...(input.formData ? { form_data: input.formData } : {}),
        }
        if (dossier.supplement_stage === 'processing') {
          // R7: RESTART runs the full duration again from now; PAUSE moves the due by the working days paused.
          const events = [...dossier.deadline_events, { type: 'supplementReceived' as const, at: now.toISOString() }]
          const report = await dossierDeadline(
            trx,
            { accepted_at: dossier.accepted_at, deadline_events: events },
            def,
            now,
          )
          Object.assign(patch, {
            status,
            deadline_events: events,
            ...dueColumns(report),
            overdue: report.status === 'overdue',
          })
        } else {
          patch.status = status
        }
        await repo.update(dossier.id, patch)
        await repo.timeline(dossier.id, {
          kind: 'supplement_received',
          at: now,
          actor_id: caller.userId,
          data: {
            note: input.note ?? null,
            attachments: (input.attachments ?? []).map((a) => a.componentId),
            stillMissing: stillMissing.map((c) => c.componentId),
          },
        })
        await repo.audit(caller.userId, 'dossier.submitSupplement', dossier.id, { stage: dossier.supplement_stage })
        await engineCommand({
          kind: 'publishMessage',
          payload: {
            name: 'dossier.supplement-received',
            correlationKey: dossier.id,
            messageId: `${dossier.id}:supplement:${dossier.version}`,
            timeToLiveMs: MESSAGE_TTL_MS,
          },
        })
      },
    )
    return { ...result, stillMissing }
  },
}
