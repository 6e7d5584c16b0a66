// What submission online and intake at the counter share: checks against the published procedure, then the dossier
// (status "submitted"), its attachments, timeline entry and audit event, and the process start, in one transaction.
import type { Knex } from 'knex'
import type { Principal } from '../../auth/principal.js'
import { catalogueRepository } from '../../catalogue/repository.js'
import { validateFormData } from '../../catalogue/form-validation.js'
import { receivesProcedure } from '../../catalogue/receiving-units.js'
import { resolveDeliveryAddress } from '../../delivery/address.js'
import { transitions } from '../../domain/dossier/status.js'
import { AppError } from '../../errors.js'
import { dossierRepository, type DossierRow } from '../repository.js'
import { competentUnitFor } from '../reception-anywhere.js'
import { attach } from './attach.js'
import { result, type CommandRuntime } from './runner.js'
import type { ApplicantInput, CommandResult, SubmitInput } from './types.js'

/** The receiving unit; 422 MC_ERR_AGENCY_INVALID when there is none. */
export async function agency(
  knex: Knex,
  unitId: string,
): Promise<{ id: string; path: string; level: string; agency_code: string | null; name: string }> {
  const unit = await catalogueRepository(knex).unitById(unitId)
  if (!unit) throw new AppError('MC_ERR_AGENCY_INVALID', `No unit ${unitId}`)
  return unit
}

export async function create(
  rt: CommandRuntime,
  caller: Principal,
  input: SubmitInput,
  channel: 'online' | 'counter',
  applicant: ApplicantInput,
  /** Counter intake for another unit (reception regardless of place): the competent unit the officer names. */
  competentUnitId?: string,
): Promise<CommandResult> {
  const repo = dossierRepository(rt.knex)
  const earlier = await repo.byIdempotencyKey(caller.userId, input.idempotencyKey)
  if (earlier) return result(earlier)

  const catalogue = catalogueRepository(rt.knex)
  const procedure = await catalogue.procedureBySlug(input.procedure)
  const version = procedure?.published_version
    ? await catalogue.version(procedure.id, procedure.published_version)
    : undefined
  if (!procedure || !version) throw new AppError('MC_ERR_PROCEDURE_NOT_FOUND', input.procedure)
  const def = version.definition
  const unit = await agency(rt.knex, input.agencyUnitId)
  // Online, the applicant chooses the competent agency itself; at the counter, any reception point of the province may
  // receive a procedure marked receptionAnywhere for the competent unit (reception-anywhere.ts).
  if (channel === 'online' && !receivesProcedure(unit, def.agencyLevel)) {
    throw new AppError('MC_ERR_AGENCY_INVALID', `${unit.name} does not receive dossiers of ${def.name}`)
  }
  const competent =
    channel === 'counter' ? await competentUnitFor(rt.knex, def, unit, input.formData, competentUnitId) : undefined
  if (!def.resultDelivery.includes(input.deliveryMethod))
    throw new AppError('MC_ERR_VALIDATION', `deliveryMethod ${input.deliveryMethod} is not offered for this procedure`)
  const form = await validateFormData(
    rt.knex,
    `${def.slug}@${version.version}`,
    def.form as unknown as Record<string, unknown>,
    input.formData,
  )
  if (!form.ok) throw new AppError('MC_ERR_FORM_INVALID', undefined, { errors: form.errors })
  // A result sent by post needs an address of the official list; another delivery keeps none.
  const deliveryAddress =
    input.deliveryMethod === 'post' ? await resolveDeliveryAddress(rt.knex, input.deliveryAddress) : null

  const now = rt.now()
  let commandId: string
  let dossier: DossierRow
  try {
    ;({ dossier, commandId } = await rt.knex.transaction(async (trx) => {
      const dossiers = dossierRepository(trx)
      const id = await dossiers.insert({
        procedure_id: procedure.id,
        procedure_version_id: version.id,
        procedure_code: def.code,
        procedure_slug: def.slug,
        procedure_name: def.name,
        agency_unit_id: unit.id,
        unit_path: unit.path,
        competent_unit_id: competent?.id ?? null,
        competent_unit_path: competent?.path ?? null,
        applicant_id: channel === 'online' ? caller.userId : null,
        applicant_name: applicant.name,
        applicant_id_number: applicant.idNumber ?? null,
        applicant_passport_number: applicant.passportNumber ?? null,
        applicant_old_id_number: applicant.oldIdNumber ?? null,
        applicant_email: applicant.email ?? null,
        applicant_phone: applicant.phone ?? null,
        submitted_by: caller.userId,
        channel,
        delivery_method: input.deliveryMethod,
        delivery_address: deliveryAddress ? JSON.stringify(deliveryAddress) : null,
        form_data: input.formData,
        status: transitions.submit.to,
        submitted_at: now,
        idempotency_owner: caller.userId,
        idempotency_key: input.idempotencyKey,
      })
      await attach(trx, id, def, input.attachments ?? [], caller, applicant)
      await dossiers.timeline(id, {
        kind: 'submitted',
        at: now,
        actor_id: caller.userId,
        data: competent ? { channel, competentUnitId: competent.id } : { channel },
      })
      await dossiers.audit(caller.userId, channel === 'online' ? 'dossier.submit' : 'dossier.intake', id, {
        procedure: def.slug,
        version: version.version,
        agency: unit.id,
        ...(competent ? { competentAgency: competent.id } : {}),
      })
      const commandId = await dossiers.engineCommand(id, {
        kind: 'createInstance',
        payload: {
          bpmnProcessId: def.workflow.bpmnProcessId,
          ...(version.process_definition_version ? { version: version.process_definition_version } : {}),
          variables: {
            dossierId: id,
            procedureCode: def.code,
            procedureVersion: version.version,
            deliveryMethod: input.deliveryMethod,
            // What a fee decision table may read (workflows/README.md): the channel the dossier came by.
            channel,
            supplementCount: 0,
          },
        },
      })
      return { dossier: (await dossiers.byId(id))!, commandId }
    }))
  } catch (err) {
    // Two retries of one submission racing: the loser returns the winner's dossier.
    if ((err as { code?: string }).code === '23505') {
      const winner = await repo.byIdempotencyKey(caller.userId, input.idempotencyKey)
      if (winner) return result(winner)
    }
    throw err
  }
  await rt.afterCommit(channel === 'online' ? 'submit' : 'intake', dossier.id, [commandId])
  return result(dossier)
}
