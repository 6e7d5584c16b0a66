// What the supervisor dashboard looks up besides the statistics: the units of my subtree, the officers a task may be
// reassigned to, and the published procedures with the BPMN diagram the heatmap is drawn on.
import type { Knex } from 'knex'
import { AppError } from '../errors.js'
import { SupervisionRepository } from './repository.js'
import type { Candidate, SubtreeUnit } from './repository.js'
import type { Scope } from './service.js'

export type { Candidate, SubtreeUnit } from './repository.js'

export class SupervisionDirectory {
  private readonly repo: SupervisionRepository

  constructor(knex: Knex) {
    this.repo = new SupervisionRepository(knex)
  }

  /** The scope's unit and every unit below it, in tree order. */
  units(scope: Scope): Promise<SubtreeUnit[]> {
    return this.repo.subtreeUnits(scope.unitPath)
  }

  /**
   * Officers of the scope's subtree who belong to one of the open task's candidate groups: whom the lifecycle's
   * `assign` command accepts. A task outside the subtree is answered like one that does not exist.
   */
  async candidates(
    scope: Scope,
    taskKey: string,
  ): Promise<{ taskKey: string; candidateGroups: string[]; assignee: string | null; officers: Candidate[] }> {
    const task = await this.repo.openTask(taskKey)
    if (!task || !task.unit_path.startsWith(scope.unitPath)) throw new AppError('MC_ERR_TASK_NOT_FOUND')
    const officers =
      task.candidate_groups.length === 0 ? [] : await this.repo.officersInGroups(task.unit_path, task.candidate_groups)
    return { taskKey, candidateGroups: task.candidate_groups, assignee: task.assignee, officers }
  }

  /** Every procedure with at least one published version, and which versions those are. */
  async processes(): Promise<
    { slug: string; code: string; name: string; field: string; publishedVersion: number | null; versions: number[] }[]
  > {
    const rows = await this.repo.publishedProcedures()
    return rows.map((r) => ({
      slug: r.slug,
      code: r.code,
      name: r.name,
      field: r.field,
      publishedVersion: r.published_version,
      versions: r.versions.map(Number),
    }))
  }

  /** One published version's diagram and the id the heatmap is keyed by. */
  async process(slug: string, version: number) {
    const row = await this.repo.publishedVersion(slug, version)
    if (!row) throw new AppError('MC_ERR_PROCEDURE_NOT_FOUND', `${slug} version ${version}`)
    return {
      procedureVersionId: row.id,
      slug: row.slug,
      code: row.code,
      name: row.name,
      version: row.version,
      bpmnXml: row.bpmn_xml,
    }
  }
}
