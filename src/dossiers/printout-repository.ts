// SQL the printable forms read beside the dossier detail: the agency and its parent, and the names of the officers
// who signed (the procedure's definition comes from the dossier repository).
import type { Knex } from 'knex'

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
