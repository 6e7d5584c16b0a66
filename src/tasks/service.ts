// The officers' task desk: a task seen only by those who work in its unit subtree, claimed, assigned, and completed
// with a decision validated against its form, each decision carried out by the dossier's own command.
import type { Knex } from 'knex'
import type { Principal } from '../auth/principal.js'
import type { DossierService } from '../dossiers/commands.js'
import { decisionFormFor, validateDecision, type DecisionFlag } from '../dossiers/decision-forms.js'
import type { DossierQueries } from '../dossiers/queries.js'
import { AppError } from '../errors.js'
import { dossierRepository } from '../dossiers/repository.js'
import { visibleTask } from '../dossiers/commands/tasks.js'
import type { TaskRow } from '../dossiers/task-repository.js'
import { decisionFlagsOf, nextUnitChoices, type NextUnitChoice } from './next-unit.js'

/** A task as read here: the row, with the outcome a completed task recorded. */
export type StoredTask = TaskRow & { outcome?: { decision?: string; by?: string } | null }

export class TaskDesk {
  constructor(
    private readonly knex: Knex,
    private readonly dossiers: DossierService,
    private readonly queries: DossierQueries,
    /** Checked before an approval (the signing step needs its signed result, src/results/service.ts). */
    private readonly beforeApprove: (task: StoredTask) => Promise<void> = async () => undefined,
  ) {}

  /** The task, if the caller works in its unit subtree; another unit's task answers like one that does not exist. */
  async visible(principal: Principal | undefined, taskKey: string): Promise<StoredTask> {
    return (await visibleTask(this.knex, principal, taskKey)) as StoredTask
  }

  /**
   * What an approval of this processing step may carry, read from the dossier's model: the agencies it sends the
   * dossier to when the model leaves the next step's unit to the officer (its `unit` rule is `chosen`), and the yes/no
   * questions the model routes on after it. Reception and return carry neither. `units: false` skips the agencies.
   */
  private async approvalOptions(
    row: StoredTask,
    { units = true } = {},
  ): Promise<{ units: NextUnitChoice[]; flags: DecisionFlag[] }> {
    if (row.element_id === 'Task_Receive' || row.element_id === 'Task_Return') return { units: [], flags: [] }
    const dossier = await dossierRepository(this.knex).byId(row.dossier_id)
    if (!dossier) return { units: [], flags: [] }
    const version = dossier.procedure_version_id
    return {
      units: units ? await nextUnitChoices(this.knex, version, row.element_id) : [],
      flags: await decisionFlagsOf(this.knex, version, row.element_id),
    }
  }

  /** The task with its dossier, the form its decision must fit and the agencies it may send the dossier to. */
  async detail(principal: Principal | undefined, taskKey: string) {
    const row = await this.visible(principal, taskKey)
    const dossier = await this.queries.get(principal, row.dossier_id)
    const options = await this.approvalOptions(row, { units: row.state === 'CREATED' })
    const nextUnits = options.units
    return {
      taskKey: row.user_task_key,
      name: row.name,
      elementId: row.element_id,
      state: row.state,
      candidateGroups: row.candidate_groups,
      assignee: row.assignee,
      dueAt: row.due_at,
      decisionForm: decisionFormFor(
        row.element_id,
        row.decisions,
        nextUnits.map((c) => c.code),
        options.flags,
      ),
      nextUnitChoices: nextUnits,
      dossier,
    }
  }

  async claim(principal: Principal | undefined, taskKey: string): Promise<{ taskKey: string; assignee: string }> {
    await this.visible(principal, taskKey)
    await this.dossiers.claim(principal, taskKey)
    return { taskKey, assignee: principal!.userId }
  }

  async unclaim(principal: Principal | undefined, taskKey: string): Promise<{ taskKey: string; assignee: null }> {
    await this.visible(principal, taskKey)
    await this.dossiers.unclaim(principal, taskKey)
    return { taskKey, assignee: null }
  }

  async assign(principal: Principal | undefined, taskKey: string, assigneeId: string) {
    await this.visible(principal, taskKey)
    await this.dossiers.assign(principal, taskKey, assigneeId)
    return { taskKey, assignee: assigneeId }
  }

  /** Completes the task with a decision that fits its decision form, through the dossier command it names. */
  async complete(principal: Principal | undefined, taskKey: string, body: { decision?: unknown } | null) {
    const row = await this.visible(principal, taskKey)
    if (row.state !== 'CREATED') {
      // The same officer retrying the same decision (the first answer was lost to a crash or a cut connection) is told
      // it is done, with the dossier as it stands; nothing is done twice. Anyone or anything else finds no open task.
      const taken = row.state === 'COMPLETED' ? row.outcome : null
      if (taken && taken.by === principal?.userId && taken.decision === body?.decision) {
        const d = (await dossierRepository(this.knex).stateOf(row.dossier_id))!
        return { dossierId: d.id, status: d.status, code: d.code }
      }
      throw new AppError('MC_ERR_TASK_NOT_FOUND', 'The task is no longer open')
    }
    const options = await this.approvalOptions(row)
    const nextUnits = options.units.map((c) => c.code)
    const d = validateDecision(row.element_id, body, row.decisions, nextUnits, options.flags)
    const base = { taskKey, ...(d.note ? { note: d.note } : {}) }
    switch (d.decision) {
      case 'accept':
        return this.dossiers.receive(principal, row.dossier_id, base)
      case 'supplement':
        return this.dossiers.requestSupplement(principal, row.dossier_id, { ...base, missing: d.missing! })
      case 'refuse':
        return this.dossiers.refuse(principal, row.dossier_id, { ...base, reason: d.reason! })
      case 'approve':
        await this.beforeApprove(row)
        return this.dossiers.handOff(principal, row.dossier_id, {
          ...base,
          ...(d.verificationNeeded !== undefined ? { verificationNeeded: d.verificationNeeded } : {}),
          ...(d.consultationNeeded !== undefined ? { consultationNeeded: d.consultationNeeded } : {}),
          ...(d.nextUnit !== undefined ? { nextUnit: d.nextUnit } : {}),
        })
      case 'returnToPrevious':
        return this.dossiers.returnToPreviousStep(principal, row.dossier_id, { ...base, reason: d.reason! })
      case 'returned':
        return this.dossiers.returnResult(principal, row.dossier_id, base)
    }
  }
}
