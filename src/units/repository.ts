// SQL of units and the address directory: the official provinces and communes (admin_divisions), and adding units.
import type { Knex } from 'knex'
import { AppError } from '../errors.js'
import { newUnitLevelProblem, type AdminDivision } from './levels.js'

type Db = Knex | Knex.Transaction

/** A row of the directory as stored. */
export interface StoredDivision extends AdminDivision {
  source: string
  retired: boolean
}

/** A new unit of the organisation; its path is derived from its parent's. */
export interface NewUnit {
  id: string
  parentId: string | null
  name: string
  nameEn: string | null
  level: string
  kind: string | null
  agencyCode: string | null
  adminCode: string | null
}

const toDivision = (r: Record<string, unknown>): StoredDivision => ({
  code: r['code'] as string,
  level: r['level'] as AdminDivision['level'],
  kind: r['kind'] as AdminDivision['kind'],
  name: r['name'] as string,
  provinceCode: (r['province_code'] as string | null) ?? null,
  source: r['source'] as string,
  retired: r['retired_at'] !== null,
})

export function unitsRepository(db: Db) {
  return {
    /** Every row of the directory, retired ones too (the import compares the file with them). */
    async allDivisions(): Promise<StoredDivision[]> {
      return (await db('admin_divisions').select('*').orderBy('code')).map(toDivision)
    },

    /** Adds or changes rows (provinces before communes, so a commune's province exists) and un-retires them. */
    async upsertDivisions(rows: AdminDivision[], source: string, validFrom: string): Promise<void> {
      const ordered = [...rows].sort((a, b) => (a.level === b.level ? 0 : a.level === 'province' ? -1 : 1))
      for (let i = 0; i < ordered.length; i += 500) {
        await db('admin_divisions')
          .insert(
            ordered.slice(i, i + 500).map((d) => ({
              code: d.code,
              level: d.level,
              kind: d.kind,
              name: d.name,
              province_code: d.provinceCode,
              source,
              valid_from: validFrom,
              retired_at: null,
              updated_at: db.fn.now(),
            })),
          )
          .onConflict('code')
          .merge()
      }
    },

    /** Marks rows retired: kept, so addresses written with them still read, but no longer offered. */
    async retireDivisions(codes: string[]): Promise<void> {
      for (let i = 0; i < codes.length; i += 500)
        await db('admin_divisions')
          .whereIn('code', codes.slice(i, i + 500))
          .update({ retired_at: db.fn.now(), updated_at: db.fn.now() })
    },

    /** The provinces offered in address fields, by code. */
    async provinces(): Promise<AdminDivision[]> {
      return (
        await db('admin_divisions').where({ level: 'province' }).whereNull('retired_at').select('*').orderBy('code')
      ).map(toDivision)
    },

    /** A current province by code, or undefined. */
    async province(code: string): Promise<AdminDivision | undefined> {
      const row = await db('admin_divisions').where({ level: 'province', code }).whereNull('retired_at').first('*')
      return row ? toDivision(row) : undefined
    },

    /** The rows of the directory with these codes (retired ones too: an address written before still reads). */
    async divisionsByCode(codes: string[]): Promise<StoredDivision[]> {
      if (codes.length === 0) return []
      return (await db('admin_divisions').whereIn('code', codes).select('*')).map(toDivision)
    },

    /** The current communes of a province, by name (Vietnamese order is close enough with the database collation). */
    async communesOf(provinceCode: string): Promise<AdminDivision[]> {
      return (
        await db('admin_divisions')
          .where({ level: 'commune', province_code: provinceCode })
          .whereNull('retired_at')
          .select('*')
          .orderBy([{ column: 'name' }, { column: 'code' }])
      ).map(toDivision)
    },

    /** The materialised path of a unit (undefined when there is none). */
    async unitPath(id: string): Promise<string | undefined> {
      const row = (await db('units').where({ id }).first('path')) as { path: string } | undefined
      return row?.path
    },

    /**
     * Adds a unit of the organisation under its parent. A district-level unit is refused here (and by the database):
     * districts were abolished on 1 July 2025.
     */
    async addUnit(unit: NewUnit): Promise<void> {
      const problem = newUnitLevelProblem(unit.level)
      if (problem) throw new AppError('MC_ERR_VALIDATION', problem)
      let path = `/${unit.id}/`
      if (unit.parentId) {
        const parent = (await db('units').where({ id: unit.parentId }).first('path')) as { path: string } | undefined
        if (!parent) throw new AppError('MC_ERR_VALIDATION', `No parent unit ${unit.parentId}`)
        path = `${parent.path}${unit.id}/`
      }
      await db('units').insert({
        id: unit.id,
        parent_id: unit.parentId,
        name: unit.name,
        name_en: unit.nameEn,
        level: unit.level,
        kind: unit.kind,
        agency_code: unit.agencyCode,
        admin_code: unit.adminCode,
        path,
      })
    },
  }
}
