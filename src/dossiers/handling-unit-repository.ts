// SQL of the handling unit of a step: units by agency code, by official administrative-unit code and by path, and the
// agency codes a published workflow names that no unit has.
import type { Knex } from 'knex'

/** A unit as a step's handling unit reads it. */
export interface HandlingUnitRow {
  id: string
  name: string
  path: string
  agency_code: string | null
}

const columns = ['id', 'name', 'path', 'agency_code'] as const

export function handlingUnitRepository(knex: Knex) {
  return {
    /** The unit with this agency code (units.agency_code); undefined when none has it. */
    byAgencyCode: async (code: string): Promise<HandlingUnitRow | undefined> =>
      (await knex('units')
        .where({ agency_code: code })
        .orderBy('id')
        .first(...columns)) as HandlingUnitRow | undefined,

    /** The commune-level unit whose official administrative-unit code (mã đơn vị hành chính) is `code`. */
    byAdminCode: async (code: string): Promise<HandlingUnitRow | undefined> =>
      (await knex('units')
        .where({ admin_code: code })
        .orderBy('id')
        .first(...columns)) as HandlingUnitRow | undefined,

    /** The unit at a materialised path. */
    byPath: async (path: string): Promise<HandlingUnitRow | undefined> =>
      (await knex('units')
        .where({ path })
        .first(...columns)) as HandlingUnitRow | undefined,

    /** The names of the units at these paths, by path. */
    async namesByPath(paths: string[]): Promise<Map<string, HandlingUnitRow>> {
      if (paths.length === 0) return new Map()
      const rows = (await knex('units')
        .whereIn('path', paths)
        .select(...columns)) as HandlingUnitRow[]
      return new Map(rows.map((r) => [r.path, r]))
    },

    /** The BPMN of a procedure version. */
    bpmnOf: async (procedureVersionId: string): Promise<string | undefined> =>
      (
        (await knex('procedure_versions').where({ id: procedureVersionId }).first('bpmn_xml')) as
          { bpmn_xml: string } | undefined
      )?.bpmn_xml,

    /** The codes among `codes` that no unit has as its agency code. */
    async unknownAgencyCodes(codes: string[]): Promise<string[]> {
      if (codes.length === 0) return []
      const rows = (await knex('units').whereIn('agency_code', codes).distinct('agency_code')) as Array<{
        agency_code: string
      }>
      const known = new Set(rows.map((r) => r.agency_code))
      return codes.filter((c) => !known.has(c))
    },
  }
}
