// SQL the printable forms read beside the dossier detail: the issuing unit with the units above it (the form's
// letterhead), the documents received (the receipt's list), and the names of the officers who signed (the
// procedure's definition comes from the dossier repository).
import type { Knex } from 'knex'

/** A unit of the issuing chain, with the official name of its administrative unit when it has a code. */
export interface ChainUnitRow {
  id: string
  name: string
  level: string
  path: string
  division_name: string | null
}

export function printoutRepository(db: Knex) {
  return {
    /** The unit and every unit above it, from the top of the organisation down to the unit (by its path). */
    async chain(unitId: string): Promise<ChainUnitRow[]> {
      const unit = (await db('units').where({ id: unitId }).first('path')) as { path: string } | undefined
      if (!unit) return []
      const ids = unit.path.split('/').filter(Boolean)
      const rows = (await db('units as u')
        .leftJoin('admin_divisions as a', 'a.code', 'u.admin_code')
        .whereIn('u.id', ids)
        .select('u.id', 'u.name', 'u.level', 'u.path', 'a.name as division_name')) as ChainUnitRow[]
      return rows.sort((a, b) => a.path.length - b.path.length)
    },

    /** What was received of each component: one row per attached document, how it became digital. */
    received: async (
      dossierId: string,
    ): Promise<Array<{ component_id: string; digitisation: string; reused_from_dossier_code: string | null }>> =>
      db('dossier_attachments')
        .where({ dossier_id: dossierId })
        .orderBy('id')
        .select('component_id', 'digitisation', 'reused_from_dossier_code'),

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
