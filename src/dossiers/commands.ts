// Dossier commands: every change to a dossier is a named command that checks the caller's right and the dossier's
// status, writes the change, its timeline entry, audit event, outbox mail and pending engine calls in one
// transaction, and only then (through the relay) talks to the engine.
import type { Knex } from 'knex'
import { can, coversUnit, requireAccess } from '../auth/access.js'
import type { Principal } from '../auth/principal.js'
import { catalogueRepository } from '../catalogue/repository.js'
import type { ProcedureDefinition } from '../catalogue/definition.js'
import { validateForm } from '../catalogue/form-validation.js'
import { receivesProcedure } from '../catalogue/receiving-units.js'
import { canApply, type DossierCommand, type DossierStatus } from '../domain/dossier/status.js'
import type { Engine } from '../engine/port.js'
import { AppError } from '../errors.js'
import { enqueueEmail } from '../notifications/email.js'
import { dossierDeadline, dueColumns } from './deadlines.js'
import { decisionsOf, type Decision } from './decision-forms.js'
import { mailApplicant, paymentUrl } from './notify.js'
import { EngineCommandRelay } from './relay.js'
import { dossierRepository, type DossierRow, type EngineCommand } from './repository.js'

export interface AttachmentInput {
  componentId: string
  /** A file accepted by AttachmentService.acceptUpload (uploaded by the caller). */
  fileId?: string
  /** Reuse the file of this component from one of the applicant's earlier dossiers. */
  reuseFromDossierCode?: string
}

export interface ApplicantInput {
  name: string
  idNumber?: string
  email?: string
  phone?: string
}

export interface SubmitInput {
  /** Procedure slug; the published version is used and kept for the dossier's life. */
  procedure: string
  /** The receiving agency (a unit whose level fits the procedure's agency level). */
  agencyUnitId: string
  formData: Record<string, unknown>
  deliveryMethod: 'online' | 'counter' | 'post'
  attachments?: AttachmentInput[]
  /** A retried submission with the same key returns the first dossier. */
  idempotencyKey: string
}

export interface CounterIntakeInput extends SubmitInput {
  applicant: ApplicantInput
}

export interface DecisionInput {
  /** The user task to complete; by default the dossier's open task the caller may work on. */
  taskKey?: string
  note?: string
}

export interface DossierServiceDeps {
  knex: Knex
  engine: Engine
  relay?: EngineCommandRelay
  clock?: () => Date
  /** The portal's address (`http://host:port`), for links in mails. */
  portalUrl?: string
  /** Runs after a command commits, before its engine calls; a test throws here to simulate a crash. */
  afterCommit?: (command: string, dossierId: string) => void | Promise<void>
}

/** What a command returns: the dossier id and its state right after the command. */
export interface CommandResult {
  dossierId: string
  status: DossierStatus
  code: string | null
}

/** How long a buffered supplement or payment message waits for the process to reach its catch. */
const MESSAGE_TTL_MS = 24 * 3600_000

/**
 * What ending a payment wait changes, whoever confirms it (an officer, or a gateway's signed callback): once
 * accepted, the suspension ends and the due moves (R8); before acceptance, the process is told the fee is
 * paid so it can go on to acceptance.
 */
export async function resumeDossier(
  trx: Knex.Transaction,
  dossier: DossierRow,
  now: Date,
  engineCommand: (command: EngineCommand) => Promise<unknown>,
): Promise<void> {
  const repo = dossierRepository(trx)
  const patch: Partial<Record<keyof DossierRow, unknown>> = { suspended: false, paused: false, paused_since: null }
  if (dossier.accepted_at) {
    const def = await repo.definitionOf(dossier)
    const events = [...dossier.deadline_events, { type: 'resumed' as const, at: now.toISOString() }]
    const report = await dossierDeadline(trx, { accepted_at: dossier.accepted_at, deadline_events: events }, def, now)
    Object.assign(patch, { status: 4, deadline_events: events, ...dueColumns(report) })
  } else {
    patch.status = 1
    await engineCommand({
      kind: 'publishMessage',
      payload: {
        name: 'dossier.payment-received',
        correlationKey: dossier.id,
        messageId: `${dossier.id}:payment:${dossier.version}`,
        timeToLiveMs: MESSAGE_TTL_MS,
        variables: { paidAt: now.toISOString() },
      },
    })
  }
  await repo.update(dossier.id, patch)
}

type Trx = Knex.Transaction
interface TxContext {
  trx: Trx
  dossier: DossierRow
  repo: ReturnType<typeof dossierRepository>
  now: Date
  engineCommand(command: EngineCommand): Promise<void>
}

export class DossierService {
  readonly knex: Knex
  readonly engine: Engine
  readonly relay: EngineCommandRelay
  private readonly clock: () => Date

  constructor(private readonly deps: DossierServiceDeps) {
    this.knex = deps.knex
    this.engine = deps.engine
    this.relay = deps.relay ?? new EngineCommandRelay(deps.knex, deps.engine)
    this.clock = deps.clock ?? (() => new Date())
  }

  // ------------------------------------------------------------------ submission

  /** dossier.submit: a citizen or business submits online (status 1); the process starts after commit. */
  async submit(principal: Principal | undefined, input: SubmitInput): Promise<CommandResult> {
    const caller = await requireAccess(this.knex, { principal, permission: 'dossier.submit' })
    const user = (await this.knex('users').where({ id: caller.userId }).first()) as {
      full_name: string
      id_number: string | null
      tax_code: string | null
      email: string | null
      phone: string | null
    }
    return this.create(caller, input, 'online', {
      name: user.full_name,
      ...(user.id_number || user.tax_code ? { idNumber: (user.id_number ?? user.tax_code)! } : {}),
      ...(user.email ? { email: user.email } : {}),
      ...(user.phone ? { phone: user.phone } : {}),
    })
  }

  /** dossier.intake: an officer enters a dossier handed in at the counter of their agency. */
  async intakeAtCounter(principal: Principal | undefined, input: CounterIntakeInput): Promise<CommandResult> {
    const unit = await this.agency(input.agencyUnitId)
    const caller = await requireAccess(this.knex, { principal, permission: 'task.work', unitPath: unit.path })
    return this.create(caller, input, 'counter', input.applicant)
  }

  private async agency(
    unitId: string,
  ): Promise<{ id: string; path: string; level: string; agency_code: string | null; name: string }> {
    const unit = await this.knex('units').where({ id: unitId }).first()
    if (!unit) throw new AppError('MC_ERR_AGENCY_INVALID', `No unit ${unitId}`)
    return unit
  }

  private async create(
    caller: Principal,
    input: SubmitInput,
    channel: 'online' | 'counter',
    applicant: ApplicantInput,
  ): Promise<CommandResult> {
    const repo = dossierRepository(this.knex)
    const earlier = await repo.byIdempotencyKey(caller.userId, input.idempotencyKey)
    if (earlier) return result(earlier)

    const catalogue = catalogueRepository(this.knex)
    const procedure = await catalogue.procedureBySlug(input.procedure)
    const version = procedure?.published_version
      ? await catalogue.version(procedure.id, procedure.published_version)
      : undefined
    if (!procedure || !version) throw new AppError('MC_ERR_PROCEDURE_NOT_FOUND', input.procedure)
    const def = version.definition
    const unit = await this.agency(input.agencyUnitId)
    if (!receivesProcedure(unit, def.agencyLevel)) {
      throw new AppError('MC_ERR_AGENCY_INVALID', `${unit.name} does not receive dossiers of ${def.name}`)
    }
    if (!def.resultDelivery.includes(input.deliveryMethod))
      throw new AppError(
        'MC_ERR_VALIDATION',
        `deliveryMethod ${input.deliveryMethod} is not offered for this procedure`,
      )
    const form = validateForm(
      `${def.slug}@${version.version}`,
      def.form as unknown as Record<string, unknown>,
      input.formData,
    )
    if (!form.ok) throw new AppError('MC_ERR_FORM_INVALID', undefined, { errors: form.errors })

    const now = this.clock()
    let commandId: string
    let dossier: DossierRow
    try {
      ;({ dossier, commandId } = await this.knex.transaction(async (trx) => {
        const tx = dossierRepository(trx)
        const [row] = (await trx('dossiers')
          .insert({
            procedure_id: procedure.id,
            procedure_version_id: version.id,
            procedure_code: def.code,
            procedure_slug: def.slug,
            procedure_name: def.name,
            agency_unit_id: unit.id,
            unit_path: unit.path,
            applicant_id: channel === 'online' ? caller.userId : null,
            applicant_name: applicant.name,
            applicant_id_number: applicant.idNumber ?? null,
            applicant_email: applicant.email ?? null,
            applicant_phone: applicant.phone ?? null,
            submitted_by: caller.userId,
            channel,
            delivery_method: input.deliveryMethod,
            form_data: JSON.stringify(input.formData),
            status: 1,
            submitted_at: now,
            idempotency_owner: caller.userId,
            idempotency_key: input.idempotencyKey,
          })
          .returning('id')) as Array<{ id: string }>
        const id = row!.id
        await this.attach(trx, id, def, input.attachments ?? [], caller, applicant)
        await tx.timeline(id, { kind: 'submitted', at: now, actor_id: caller.userId, data: { channel } })
        await tx.audit(caller.userId, channel === 'online' ? 'dossier.submit' : 'dossier.intake', id, {
          procedure: def.slug,
          version: version.version,
          agency: unit.id,
        })
        const commandId = await tx.engineCommand(id, {
          kind: 'createInstance',
          payload: {
            bpmnProcessId: def.workflow.bpmnProcessId,
            ...(version.process_definition_version ? { version: version.process_definition_version } : {}),
            variables: {
              dossierId: id,
              procedureCode: def.code,
              procedureVersion: version.version,
              deliveryMethod: input.deliveryMethod,
              supplementCount: 0,
            },
          },
        })
        return { dossier: (await tx.byId(id))!, commandId }
      }))
    } catch (err) {
      // Two retries of one submission racing: the loser returns the winner's dossier.
      if ((err as { code?: string }).code === '23505') {
        const winner = await repo.byIdempotencyKey(caller.userId, input.idempotencyKey)
        if (winner) return result(winner)
      }
      throw err
    }
    await this.afterCommit(channel === 'online' ? 'submit' : 'intake', dossier.id, [commandId])
    return result(dossier)
  }

  /** Links uploaded files (the caller's own) or reused ones (from the applicant's earlier dossiers) to components. */
  private async attach(
    trx: Trx,
    dossierId: string,
    def: ProcedureDefinition,
    attachments: AttachmentInput[],
    caller: Principal,
    applicant: ApplicantInput,
  ): Promise<void> {
    for (const a of attachments) {
      const component = def.components.find((c) => c.id === a.componentId)
      if (!component) throw new AppError('MC_ERR_ATTACHMENT_INVALID', `No component ${a.componentId}`)
      let fileId = a.fileId
      let reusedFrom: string | null = null
      if (a.reuseFromDossierCode) {
        if (!component.reusable) throw new AppError('MC_ERR_ATTACHMENT_INVALID', `${a.componentId} cannot be reused`)
        const earlier = (await trx('dossier_attachments as a')
          .join('dossiers as d', 'd.id', 'a.dossier_id')
          .where('d.code', a.reuseFromDossierCode)
          .andWhere('a.component_id', a.componentId)
          .andWhere((q) => {
            q.where('d.applicant_id', caller.userId)
            if (applicant.idNumber) q.orWhere('d.applicant_id_number', applicant.idNumber)
          })
          .first('a.file_id')) as { file_id: string } | undefined
        if (!earlier)
          throw new AppError('MC_ERR_ATTACHMENT_INVALID', `No ${a.componentId} in dossier ${a.reuseFromDossierCode}`)
        fileId = earlier.file_id
        reusedFrom = a.reuseFromDossierCode
      } else {
        const file =
          fileId && /^[0-9a-f-]{36}$/i.test(fileId)
            ? await trx('files').where({ id: fileId }).first('id', 'created_by')
            : undefined
        if (!file || (file.created_by && file.created_by !== caller.userId))
          throw new AppError('MC_ERR_ATTACHMENT_INVALID', `No file ${fileId}`)
      }
      await trx('dossier_attachments').insert({
        dossier_id: dossierId,
        component_id: a.componentId,
        file_id: fileId,
        reused_from_dossier_code: reusedFrom,
      })
    }
  }

  // ------------------------------------------------------------------ officers' decisions on user tasks

  /** dossier.receive: the counter officer accepts the dossier (the receive job then issues the receipt and code). */
  receive(principal: Principal | undefined, dossierId: string, input: DecisionInput = {}): Promise<CommandResult> {
    return this.decide(principal, dossierId, 'receive', 'accept', input)
  }

  /** dossier.requestSupplement: at reception (R6, no clock) or once during processing (R7). */
  requestSupplement(
    principal: Principal | undefined,
    dossierId: string,
    input: DecisionInput & { missing: string[] },
  ): Promise<CommandResult> {
    return this.decide(principal, dossierId, 'requestSupplement', 'supplement', input, {
      supplementMissing: input.missing,
    })
  }

  /** dossier.refuse: refused at reception, or refused during processing (with the reason the applicant is told). */
  async refuse(
    principal: Principal | undefined,
    dossierId: string,
    input: DecisionInput & { reason: string },
  ): Promise<CommandResult> {
    if (!input.reason?.trim()) throw new AppError('MC_ERR_VALIDATION', 'A reason is required')
    return this.decide(principal, dossierId, 'refuse', 'refuse', input, { refusalReason: input.reason })
  }

  /**
   * dossier.handOff: the step's work is done and approved; the process hands the dossier to the next step
   * (the leader's signature ends processing and the result is issued). `verificationNeeded` /
   * `consultationNeeded` choose the optional branches.
   */
  handOff(
    principal: Principal | undefined,
    dossierId: string,
    input: DecisionInput & { verificationNeeded?: boolean; consultationNeeded?: boolean } = {},
  ): Promise<CommandResult> {
    const vars: Record<string, unknown> = {}
    if (input.verificationNeeded !== undefined) vars['verificationNeeded'] = input.verificationNeeded
    if (input.consultationNeeded !== undefined) vars['consultationNeeded'] = input.consultationNeeded
    return this.decide(principal, dossierId, 'handOff', 'approve', input, vars)
  }

  /**
   * dossier.returnToPreviousStep: the officer of a later step (the leader who must sign, the inspector, the
   * consulted agency) sends the dossier back to the step before it, with a reason. The hand-off back — giver,
   * receiver (who handled the previous step, and its group), time, step result "returned" and the reason — goes
   * into the timeline and the step's control-sheet row; the receiver is told by mail. The workflow routes the
   * decision back through the previous step's hand-off, whose step deadline restarts; the dossier's due stays.
   */
  async returnToPreviousStep(
    principal: Principal | undefined,
    dossierId: string,
    input: DecisionInput & { reason: string },
  ): Promise<CommandResult> {
    const reason = input.reason?.trim()
    if (!reason) throw new AppError('MC_ERR_VALIDATION', 'A reason is required')
    return this.decide(
      principal,
      dossierId,
      'returnToPreviousStep',
      'returnToPrevious',
      input,
      { returnReason: reason },
      async ({ trx, dossier, repo, caller, task }) => {
        // The previous step is the one handled last before this one: the workflow routes back along the way it came.
        const previous = (await trx('tasks')
          .where({ dossier_id: dossier.id, state: 'COMPLETED' })
          .whereNot({ element_id: task.element_id })
          .orderBy('completed_at', 'desc')
          .first('element_id', 'name', 'candidate_groups', 'assignee', 'outcome')) as
          | (Pick<TaskRow, 'element_id' | 'name' | 'candidate_groups' | 'assignee'> & {
              outcome: { by?: string } | null
            })
          | undefined
        if (!previous)
          throw new AppError('MC_ERR_DECISION_INVALID', `${task.element_id} has no previous step to return to`)
        const receiverUser = previous.outcome?.by ?? previous.assignee
        const receiverRole = previous.candidate_groups[0] ?? null
        await trx('dossier_events')
          .where({ user_task_key: task.user_task_key, kind: 'step' })
          .update({
            data: trx.raw(`data || ?::jsonb`, [
              JSON.stringify({ outcome: 'returned', reason, toStep: previous.element_id }),
            ]),
          })
        const receiver = receiverUser
          ? ((await trx('users').where({ id: receiverUser }).first('full_name', 'email')) as
              { full_name: string; email: string | null } | undefined)
          : undefined
        if (receiver?.email) {
          await enqueueEmail(trx, {
            eventId: `dossier:${dossier.id}:returned:${task.user_task_key}`,
            to: receiver.email,
            template: {
              name: 'step-returned',
              data: {
                recipientName: receiver.full_name,
                dossierCode: dossier.code ?? dossier.id,
                procedureName: dossier.procedure_name,
                fromStep: task.name,
                toStep: previous.name,
                reason,
                dueDate: dossier.due_date,
              },
            },
          })
        }
        return {
          kind: 'step_returned',
          columns: {
            giver: caller.userId,
            receiver_role: receiverRole,
            receiver_user: receiverUser,
            receiver_unit_path: dossier.unit_path,
          },
          data: {
            result: 'returned',
            reason,
            toStep: previous.element_id,
            toStepName: previous.name,
            receiverRole,
            receiverUser,
          },
        }
      },
    )
  }

  /** dossier.returnResult: the result is handed to the applicant at the counter or sent by post (status 10 follows). */
  returnResult(principal: Principal | undefined, dossierId: string, input: DecisionInput = {}): Promise<CommandResult> {
    return this.decide(principal, dossierId, 'returnResult', 'returned', input)
  }

  private async decide(
    principal: Principal | undefined,
    dossierId: string,
    command: DossierCommand,
    decision: string,
    input: DecisionInput,
    variables: Record<string, unknown> = {},
    /** More of the command's writes; what it returns replaces the timeline entry's kind and adds to it. */
    more?: (
      ctx: TxContext & { caller: Principal; task: TaskRow },
    ) => Promise<{ kind: string; columns: Record<string, unknown>; data: Record<string, unknown> }>,
  ): Promise<CommandResult> {
    const caller = await this.requireUnit(principal, dossierId, 'task.work')
    return this.run(command, dossierId, async (ctx) => {
      const { trx, dossier, repo, now, engineCommand } = ctx
      const task = await openTaskFor(trx, dossier.id, caller, input.taskKey)
      const reception = task.element_id === 'Task_Receive'
      // The task's workflow says which decisions it routes (the user task's `decisions` header).
      if (!decisionsOf(task.element_id, task.decisions).includes(decision as Decision))
        throw new AppError('MC_ERR_DECISION_INVALID', `${decision} at ${task.element_id}`)
      // A refusal during processing ("từ chối giải quyết") is a refusal too, although the portal's status
      // table only lists reception: it ends as status 3 with the reason.
      const allowed = command === 'refuse' && !reception ? dossier.status === 4 : canApply(command, dossier.status)
      if (!allowed) throw new AppError('MC_ERR_DOSSIER_STATE', `${command} is not allowed in status ${dossier.status}`)
      if (decision === 'supplement' && !reception && dossier.supplement_count >= 1)
        throw new AppError('MC_ERR_SUPPLEMENT_ALREADY_REQUESTED')
      await trx('tasks')
        .where({ user_task_key: task.user_task_key })
        .update({
          state: 'COMPLETED',
          completed_at: now,
          outcome: JSON.stringify({ decision, by: caller.userId, note: input.note ?? null }),
        })
      const patch: Partial<Record<keyof DossierRow, unknown>> = { current_assignee: null }
      if (command === 'refuse') patch.close_reason = input.note ?? variables['refusalReason']
      if (decision === 'supplement')
        patch.supplement_request = {
          missing: (variables['supplementMissing'] as string[]) ?? [],
          ...(input.note ? { note: input.note } : {}),
        }
      await repo.update(dossier.id, patch)
      const extra = await more?.({ ...ctx, caller, task })
      await repo.timeline(dossier.id, {
        kind: extra?.kind ?? 'decision',
        at: now,
        actor_id: caller.userId,
        step_id: task.element_id,
        step_name: task.name,
        user_task_key: null,
        ...extra?.columns,
        data: { decision, note: input.note ?? null, ...variables, ...extra?.data },
      })
      await repo.audit(caller.userId, `dossier.${command}`, dossier.id, {
        task: task.user_task_key,
        step: task.element_id,
        decision,
        ...variables,
      })
      await engineCommand({
        kind: 'completeTask',
        payload: {
          userTaskKey: task.user_task_key,
          variables: {
            decision,
            decidedBy: caller.userId,
            ...(input.note ? { decisionNote: input.note } : {}),
            ...variables,
          },
        },
      })
    })
  }

  // ------------------------------------------------------------------ claiming tasks

  /** Takes a task for oneself; 409 MC_ERR_TASK_CLAIMED when another officer holds it. */
  async claim(principal: Principal | undefined, taskKey: string): Promise<void> {
    const task = await this.taskOrThrow(taskKey)
    const caller = await this.requireUnit(principal, task.dossier_id, 'task.work')
    await this.run('claim', task.dossier_id, async ({ trx, repo, dossier, now, engineCommand }) => {
      const open = await openTaskFor(trx, dossier.id, caller, taskKey)
      if (open.assignee === caller.userId) return
      await trx('tasks').where({ user_task_key: taskKey }).update({ assignee: caller.userId })
      await repo.update(dossier.id, { current_assignee: caller.userId })
      await repo.audit(caller.userId, 'task.claim', dossier.id, { task: taskKey, at: now })
      await engineCommand({ kind: 'assignTask', payload: { userTaskKey: taskKey, assignee: caller.userId } })
    })
  }

  /** Gives a claimed task back to the group (its holder, or a supervisor of the unit). */
  async unclaim(principal: Principal | undefined, taskKey: string): Promise<void> {
    const task = await this.taskOrThrow(taskKey)
    const caller = await this.requireUnit(principal, task.dossier_id, 'task.work')
    await this.run('unclaim', task.dossier_id, async ({ trx, repo, dossier, engineCommand }) => {
      const row = (await trx('tasks').where({ user_task_key: taskKey, state: 'CREATED' }).forUpdate().first()) as
        TaskRow | undefined
      if (!row) throw new AppError('MC_ERR_TASK_NOT_FOUND')
      if (row.assignee && row.assignee !== caller.userId && caller.kind !== 'supervisor')
        throw new AppError('MC_ERR_TASK_CLAIMED')
      await trx('tasks').where({ user_task_key: taskKey }).update({ assignee: null })
      await repo.update(dossier.id, { current_assignee: null })
      await repo.audit(caller.userId, 'task.unclaim', dossier.id, { task: taskKey })
      await engineCommand({ kind: 'assignTask', payload: { userTaskKey: taskKey, assignee: null } })
    })
  }

  /** A supervisor assigns (or reassigns) a task to an officer of their unit subtree who belongs to its group. */
  async assign(principal: Principal | undefined, taskKey: string, assigneeId: string): Promise<void> {
    const task = await this.taskOrThrow(taskKey)
    // A task of a unit the caller may not see answers like a task key that does not exist.
    const caller = await this.requireUnit(principal, task.dossier_id, 'task.assign').catch((err: unknown) => {
      throw err instanceof AppError && err.code === 'MC_ERR_DOSSIER_NOT_FOUND'
        ? new AppError('MC_ERR_TASK_NOT_FOUND')
        : err
    })
    const assignee = /^[0-9a-f-]{36}$/i.test(assigneeId)
      ? ((await this.knex('users as u')
          .join('units as n', 'n.id', 'u.unit_id')
          .where('u.id', assigneeId)
          .first('u.id', 'u.groups', 'n.path', 'u.kind')) as
          { id: string; groups: string[]; path: string; kind: string } | undefined)
      : undefined
    if (
      !assignee ||
      !assignee.path.startsWith(caller.unitPath ?? '\u0000') ||
      !['officer', 'supervisor'].includes(assignee.kind)
    )
      throw new AppError('MC_ERR_VALIDATION', 'The assignee is not an officer of your unit')
    if (!task.candidate_groups.some((g) => assignee.groups.includes(g)))
      throw new AppError('MC_ERR_VALIDATION', 'The assignee is not in the task’s group')
    await this.run('assign', task.dossier_id, async ({ trx, repo, dossier, engineCommand }) => {
      const row = (await trx('tasks').where({ user_task_key: taskKey, state: 'CREATED' }).forUpdate().first()) as
        TaskRow | undefined
      if (!row) throw new AppError('MC_ERR_TASK_NOT_FOUND')
      await trx('tasks').where({ user_task_key: taskKey }).update({ assignee: assignee.id })
      await repo.update(dossier.id, { current_assignee: assignee.id })
      await repo.audit(caller.userId, 'task.assign', dossier.id, {
        task: taskKey,
        assignee: assignee.id,
        before: row.assignee,
      })
      await engineCommand({ kind: 'assignTask', payload: { userTaskKey: taskKey, assignee: assignee.id } })
    })
  }

  private async taskOrThrow(taskKey: string): Promise<TaskRow> {
    const task = (await this.knex('tasks').where({ user_task_key: taskKey }).first()) as TaskRow | undefined
    if (!task) throw new AppError('MC_ERR_TASK_NOT_FOUND')
    return task
  }

  // ------------------------------------------------------------------ the applicant

  /** dossier.submitSupplement: the applicant (or the counter for them) hands in what was asked; the process continues. */
  async submitSupplement(
    principal: Principal | undefined,
    dossierId: string,
    input: { formData?: Record<string, unknown>; attachments?: AttachmentInput[]; note?: string } = {},
  ): Promise<CommandResult> {
    const caller = await this.requireApplicantOrCounter(principal, dossierId)
    return this.run('submitSupplement', dossierId, async ({ trx, dossier, repo, now, engineCommand }) => {
      if (!canApply('submitSupplement', dossier.status)) throw new AppError('MC_ERR_DOSSIER_STATE')
      const def = await repo.definitionOf(dossier)
      if (input.formData) {
        const version = (await trx('procedure_versions')
          .where({ id: dossier.procedure_version_id })
          .first('version')) as { version: number }
        const form = validateForm(
          `${def.slug}@${version.version}`,
          def.form as unknown as Record<string, unknown>,
          input.formData,
        )
        if (!form.ok) throw new AppError('MC_ERR_FORM_INVALID', undefined, { errors: form.errors })
      }
      await this.attach(trx, dossier.id, def, input.attachments ?? [], caller, {
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
          status: 4,
          deadline_events: events,
          ...dueColumns(report),
          overdue: report.status === 'overdue',
        })
      } else {
        patch.status = 1
      }
      await repo.update(dossier.id, patch)
      await repo.timeline(dossier.id, {
        kind: 'supplement_received',
        at: now,
        actor_id: caller.userId,
        data: { note: input.note ?? null, attachments: (input.attachments ?? []).map((a) => a.componentId) },
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
    })
  }

  /** dossier.withdraw: the applicant withdraws (status 7); the process is cancelled. */
  async withdraw(
    principal: Principal | undefined,
    dossierId: string,
    input: { reason?: string } = {},
  ): Promise<CommandResult> {
    const caller = await this.requireApplicantOrCounter(principal, dossierId)
    return this.end('withdraw', caller, dossierId, 7, input.reason)
  }

  /** dossier.stop: the agency stops processing (status 8), with a reason. */
  async stop(principal: Principal | undefined, dossierId: string, input: { reason: string }): Promise<CommandResult> {
    if (!input.reason?.trim()) throw new AppError('MC_ERR_VALIDATION', 'A reason is required')
    const caller = await this.requireUnit(principal, dossierId, 'task.work')
    return this.end('stop', caller, dossierId, 8, input.reason)
  }

  private end(
    command: 'withdraw' | 'stop',
    caller: Principal,
    dossierId: string,
    status: DossierStatus,
    reason: string | undefined,
  ): Promise<CommandResult> {
    return this.run(command, dossierId, async ({ trx, dossier, repo, now, engineCommand }) => {
      if (!canApply(command, dossier.status)) throw new AppError('MC_ERR_DOSSIER_STATE')
      await trx('tasks')
        .where({ dossier_id: dossier.id, state: 'CREATED' })
        .update({ state: 'CANCELED', completed_at: now })
      await repo.update(dossier.id, {
        status,
        close_reason: reason ?? null,
        finished_at: now,
        paused: false,
        current_assignee: null,
      })
      await repo.timeline(dossier.id, {
        kind: command === 'withdraw' ? 'withdrawn' : 'stopped',
        at: now,
        actor_id: caller.userId,
        data: { reason: reason ?? null },
      })
      await repo.audit(caller.userId, `dossier.${command}`, dossier.id, {
        reason: reason ?? null,
        from: dossier.status,
      })
      await mailApplicant(trx, dossier, command === 'withdraw' ? 'withdrawn' : 'stopped', (base) =>
        command === 'withdraw'
          ? { name: 'withdrawal-confirmed', data: { ...base, withdrawnAt: now, ...(reason ? { reason } : {}) } }
          : { name: 'dossier-stopped', data: { ...base, stoppedAt: now, reason: reason ?? '' } },
      )
      await engineCommand({
        kind: 'cancelInstance',
        payload: dossier.process_instance_key ? { processInstanceKey: dossier.process_instance_key } : {},
      })
    })
  }

  // ------------------------------------------------------------------ the clock: suspension, payment, extension

  /** dossier.suspendForPayment: waiting for the applicant's financial obligation (status 6); the clock stops (R8). */
  async suspendForPayment(
    principal: Principal | undefined,
    dossierId: string,
    input: { amountVnd?: number; reason: string },
  ): Promise<CommandResult> {
    const caller = await this.requireUnit(principal, dossierId, 'task.work')
    return this.run('suspendForPayment', dossierId, async ({ trx, dossier, repo, now }) => {
      if (!canApply('suspendForPayment', dossier.status)) throw new AppError('MC_ERR_DOSSIER_STATE')
      const def = await repo.definitionOf(dossier)
      const events = [
        ...dossier.deadline_events,
        { type: 'suspended' as const, at: now.toISOString(), reason: input.reason },
      ]
      await dossierDeadline(repo.db, { accepted_at: dossier.accepted_at, deadline_events: events }, def, now)
      await repo.update(dossier.id, {
        status: 6,
        suspended: true,
        paused: true,
        paused_since: now,
        deadline_events: events,
        payment_amount_vnd: input.amountVnd ?? null,
      })
      await repo.timeline(dossier.id, {
        kind: 'suspended',
        at: now,
        actor_id: caller.userId,
        data: { reason: input.reason, amountVnd: input.amountVnd ?? null },
      })
      await repo.audit(caller.userId, 'dossier.suspendForPayment', dossier.id, {
        reason: input.reason,
        amountVnd: input.amountVnd ?? null,
      })
      const payUrl = paymentUrl(this.deps.portalUrl)
      await mailApplicant(trx, dossier, `payment:${dossier.version}`, (base) => ({
        name: 'payment-requested',
        data: {
          ...base,
          reason: input.reason,
          ...(input.amountVnd !== undefined ? { amountVnd: input.amountVnd } : {}),
          ...(payUrl ? { payUrl } : {}),
        },
      }))
    })
  }

  /**
   * dossier.resume: the payment is confirmed. A suspension during processing ends and the due moves (R8);
   * a fee asked before acceptance (household business) lets the process go on to acceptance.
   */
  async resume(
    principal: Principal | undefined,
    dossierId: string,
    input: { note?: string } = {},
  ): Promise<CommandResult> {
    const caller = await this.requireUnit(principal, dossierId, 'task.work')
    return this.run('resume', dossierId, async ({ trx, dossier, repo, now, engineCommand }) => {
      if (!canApply('resume', dossier.status)) throw new AppError('MC_ERR_DOSSIER_STATE')
      await resumeDossier(trx, dossier, now, engineCommand)
      await repo.timeline(dossier.id, {
        kind: 'resumed',
        at: now,
        actor_id: caller.userId,
        data: { note: input.note ?? null },
      })
      await repo.audit(caller.userId, 'dossier.resume', dossier.id, {})
    })
  }

  /**
   * dossier.extend (R9): once, with a reason, at least one working day before the due date, to a later working
   * day; the applicant gets the apology letter (phiếu xin lỗi và hẹn lại ngày trả kết quả) through the outbox.
   */
  async extend(
    principal: Principal | undefined,
    dossierId: string,
    input: { newDueDate: string; reason: string },
  ): Promise<CommandResult> {
    const caller = await this.requireUnit(principal, dossierId, 'task.work')
    return this.run('extend', dossierId, async ({ trx, dossier, repo, now }) => {
      if (!canApply('extend', dossier.status)) throw new AppError('MC_ERR_DOSSIER_STATE')
      const def = await repo.definitionOf(dossier)
      const events = [
        ...dossier.deadline_events,
        {
          type: 'extensionGranted' as const,
          at: now.toISOString(),
          newDueDate: input.newDueDate,
          reason: input.reason ?? '',
        },
      ]
      const report = await dossierDeadline(trx, { accepted_at: dossier.accepted_at, deadline_events: events }, def, now)
      await repo.update(dossier.id, {
        deadline_events: events,
        due_date: report.due.date,
        due_at: new Date(report.due.at),
        extended_at: now,
        extension_reason: input.reason,
      })
      await repo.timeline(dossier.id, {
        kind: 'extended',
        at: now,
        actor_id: caller.userId,
        data: { newDueDate: input.newDueDate, originalDueDate: dossier.due_date, reason: input.reason },
      })
      await repo.audit(caller.userId, 'dossier.extend', dossier.id, {
        before: dossier.due_date,
        after: input.newDueDate,
        reason: input.reason,
      })
      await mailApplicant(trx, dossier, 'extend', (base) => ({
        name: 'dossier-late',
        data: { ...base, originalDueDate: dossier.due_date!, newDueDate: input.newDueDate, reason: input.reason },
      }))
    })
  }

  // ------------------------------------------------------------------ plumbing

  /** Checks a unit-scoped permission on the dossier's agency; the dossier's existence does not leak. */
  private async requireUnit(
    principal: Principal | undefined,
    dossierId: string,
    permission: 'task.work' | 'task.assign',
  ): Promise<Principal> {
    const dossier = await dossierRepository(this.knex).byId(dossierId)
    if (!dossier) {
      // Hidden like an existing dossier the caller may not touch: the same 404 either way.
      await requireAccess(this.knex, {
        principal,
        permission,
        hideExistence: true,
        subject: { type: 'dossier', id: dossierId },
      })
      throw new AppError('MC_ERR_DOSSIER_NOT_FOUND')
    }
    // Someone who may read the dossier learns they may not do this (403); anyone else, that there is nothing here.
    const mayRead =
      principal !== undefined && can(principal, 'dossier.readUnit') && coversUnit(principal, dossier.unit_path)
    return requireAccess(this.knex, {
      principal,
      permission,
      unitPath: dossier.unit_path,
      hideExistence: !mayRead,
      subject: { type: 'dossier', id: dossierId },
    })
  }

  /** The applicant themself, or an officer of the agency acting for them at the counter. */
  private async requireApplicantOrCounter(principal: Principal | undefined, dossierId: string): Promise<Principal> {
    const dossier = await dossierRepository(this.knex).byId(dossierId)
    if (principal && dossier && dossier.applicant_id === principal.userId)
      return requireAccess(this.knex, { principal, permission: 'dossier.submit' })
    if (principal && dossier && (principal.kind === 'officer' || principal.kind === 'supervisor')) {
      return requireAccess(this.knex, {
        principal,
        permission: 'task.work',
        unitPath: dossier.unit_path,
        hideExistence: true,
        subject: { type: 'dossier', id: dossierId },
      })
    }
    if (!principal) throw new AppError('MC_ERR_UNAUTHENTICATED')
    throw new AppError('MC_ERR_DOSSIER_NOT_FOUND')
  }

  /** One transaction around a command on a locked dossier; its engine calls run after commit. */
  private async run(
    command: string,
    dossierId: string,
    fn: (ctx: TxContext & { repo: ReturnType<typeof dossierRepository> & { db: Trx } }) => Promise<void>,
  ): Promise<CommandResult> {
    const commandIds: string[] = []
    const dossier = await this.knex.transaction(async (trx) => {
      const repo = Object.assign(dossierRepository(trx), { db: trx })
      const dossier = await repo.lock(dossierId)
      const now = this.clock()
      await fn({
        trx,
        dossier,
        repo,
        now,
        engineCommand: async (c) => void commandIds.push(await repo.engineCommand(dossier.id, c)),
      })
      return (await repo.byId(dossier.id))!
    })
    await this.afterCommit(command, dossier.id, commandIds)
    return result(dossier)
  }

  private async afterCommit(command: string, dossierId: string, commandIds: string[]): Promise<void> {
    await this.deps.afterCommit?.(command, dossierId)
    // Failures stay pending for the periodic relay; the command itself has happened.
    if (commandIds.length > 0) await this.relay.runPending(commandIds).catch(() => undefined)
  }
}

export interface TaskRow {
  user_task_key: string
  dossier_id: string
  process_instance_key: string
  element_id: string
  name: string
  candidate_groups: string[]
  /** The decisions the workflow routes after this task (its `decisions` header), when it names them. */
  decisions: string[] | null
  unit_path: string
  assignee: string | null
  due_at: Date | null
  state: 'CREATED' | 'COMPLETED' | 'CANCELED'
  created_at: Date
  completed_at: Date | null
}

/** The open task of the dossier the caller may work on (locked); 404/409 otherwise. */
async function openTaskFor(trx: Trx, dossierId: string, caller: Principal, taskKey?: string): Promise<TaskRow> {
  const q = trx('tasks')
    .where({ dossier_id: dossierId, state: 'CREATED' })
    .whereRaw('candidate_groups && ?::text[]', [caller.groups])
    .orderBy('created_at')
    .forUpdate()
  if (taskKey) q.andWhere({ user_task_key: taskKey })
  const task = (await q.first()) as TaskRow | undefined
  if (!task) throw new AppError('MC_ERR_TASK_NOT_FOUND')
  if (task.assignee && task.assignee !== caller.userId) throw new AppError('MC_ERR_TASK_CLAIMED')
  return task
}

function result(d: DossierRow): CommandResult {
  return { dossierId: d.id, status: d.status, code: d.code }
}
