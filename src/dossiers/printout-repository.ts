// SQL the printable forms read beside the dossier detail: the agency and its parent, the procedure version's
// definition, and the names of the officers who signed.
import type { Knex } from 'knex'
import type { ProcedureDefinition } from '../catalogue/definition.js'

export function printoutRepository(db: Knex) {
  return {
    /** The unit and the name of the unit above it (the form's letterhead). */
    agency: (unitId: string) =>
      db('units as u')
        .leftJoin('units as p', 'p.id', 'u.parent_id')
        .where('u.id', unitId)
        .first('u.name', 'p.name as parent') as Promise<{
        name: string
        parent: string | null
      }>,

    /** The definition of the procedure version the dossier was filed under. */
    definition: async (dossierId: string): Promise<ProcedureDefinition> =>
      (
        (await db('dossiers as x')
          .join('procedure_versions as v', 'v.id', 'x.procedure_version_id')
          .where('x.id', dossierId)
          .first('v.definition')) as { definition: ProcedureDefinition }
      ).definition,

    /** Full names by user id. */
    names: async (userIds: string[]): Promise<Map<string, string>> =>
      new Map(
        (
          (await db('users').whereIn('id', userIds).select('id', 'full_name')) as Array<{
            id: string
            full_name: string
          }>
        ).map((u) => [u.id, u.full_name]),
      ),
  }
}
