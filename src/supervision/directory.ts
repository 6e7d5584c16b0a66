// What the supervisor dashboard looks up besides the statistics: the units of my subtree, the officers a task may be
// reassigned to, and the published procedures with the BPMN diagram the heatmap is drawn on.
import type { Knex } from 'knex'
import { AppError } from '../errors.js'
import type { Scope } from './service.js'

export interface SubtreeUnit {
  id: string
  name: string
  nameEn: string | null
  path: string
  level: string
}

export interface Candidate {
  userId: string
  username: string
  fullName: string
  unitId: string
  unitName: string
  groups: string[]
}

/** A LIKE pattern for a materialised unit path and everything below it. */
const below = (unitPath: string) => unitPath.replace(/[\\%_]/g, (c) => `\\${c}`) + '%'

export class SupervisionDirectory {
  constructor(private readonly knex: Knex) {}

  /** The scope's unit and every unit below it, in tree order. */
  async units(scope: Scope): Promise<SubtreeUnit[]> {
    return (await this.knex('units')
      .whereRaw('path LIKE ?', [below(scope.unitPath)])
      .orderBy('path')
      .select('id', 'name', 'name_en as nameEn', 'path', 'level')) as SubtreeUnit[]
  }

  /**
   * Officers of the scope's subtree who belong to one of the open task's candidate groups: whom the lifecycle's
   * `assign` command accepts. A task outside the subtree is answered like one that does not exist.
   */
  async candidates(
    scope: Scope,
    taskKey: string,
  ): Promise<{ taskKey: string; candidateGroups: string[]; assignee: string | null; officers: Candidate[] }> {
    const task = (await this.knex('tasks')
      .where({ user_task_key: taskKey, state: 'CREATED' })
      .first('candidate_groups', 'unit_path', 'assignee')) as
      { candidate_groups: string[]; unit_path: string; assignee: string | null } | undefined
    if (!task || !task.unit_path.startsWith(scope.unitPath)) throw new AppError('MC_ERR_TASK_NOT_FOUND')
    const officers =
      task.candidate_groups.length === 0
        ? []
        : ((await this.knex('users as u')
            .join('units as n', 'n.id', 'u.unit_id')
            .whereIn('u.kind', ['officer', 'supervisor'])
            .whereRaw('n.path LIKE ?', [below(scope.unitPath)])
            .whereRaw('u.groups && ?::text[]', [task.candidate_groups])
            .orderBy('u.full_name')
            .select(
              'u.id as userId',
              'u.username',
              'u.full_name as fullName',
              'n.id as unitId',
              'n.name as unitName',
              'u.groups',
            )) as Candidate[])
    return { taskKey, candidateGroups: task.candidate_groups, assignee: task.assignee, officers }
  }

  /** Every procedure with at least one published version, and which versions those are. */
  async processes(): Promise<
    { slug: string; code: string; name: string; field: string; publishedVersion: number | null; versions: number[] }[]
  > {
    const rows = (await this.knex('procedures as p')
      .join('procedure_versions as v', 'v.procedure_id', 'p.id')
      .where('v.status', 'published')
      .groupBy('p.id')
      .orderBy('p.name')
      .select(
        'p.slug',
        'p.code',
        'p.name',
        'p.field',
        'p.published_version',
        this.knex.raw('array_agg(v.version ORDER BY v.version DESC) AS versions'),
      )) as {
      slug: string
      code: string
      name: string
      field: string
      published_version: number | null
      versions: number[]
    }[]
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
    const row = (await this.knex('procedures as p')
      .join('procedure_versions as v', 'v.procedure_id', 'p.id')
      .where({ 'p.slug': slug, 'v.version': version, 'v.status': 'published' })
      .first('v.id', 'p.slug', 'p.code', 'p.name', 'v.version', 'v.bpmn_xml')) as
      { id: string; slug: string; code: string; name: string; version: number; bpmn_xml: string } | undefined
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
