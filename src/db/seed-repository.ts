// SQL of the demo seed: which demo accounts exist, and adding the demo units, address directory rows and accounts.
import type { Knex } from 'knex'
import type { AdminDivision } from '../units/levels.js'

type Db = Knex | Knex.Transaction

/** A unit as the seed writes it: the path is its materialised place in the tree (`/tinh-demo/xa-an-binh/`). */
export interface SeedUnit {
  id: string
  parentId: string | null
  name: string
  nameEn: string
  level: string
  agencyCode: string
  adminCode: string | null
  kind: string | null
  path: string
}

/** An account as the seed writes it, its password already hashed. */
export interface SeedUser {
  username: string
  passwordHash: string
  kind: string
  fullName: string
  email: string
  idNumber: string | null
  taxCode: string | null
  unitId: string | null
  groups: string[]
  emailVerifiedAt: Date
}

export function seedRepository(db: Db) {
  return {
    /** Which of these usernames have an account already. */
    async existingUsernames(usernames: string[]): Promise<string[]> {
      return (await db('users').whereIn('username', usernames).select('username')).map((r) => r.username as string)
    },

    /** Adds a unit unless one with its id exists (a unit is never changed by seeding again). */
    async addUnit(unit: SeedUnit): Promise<void> {
      await db('units')
        .insert({
          id: unit.id,
          parent_id: unit.parentId,
          name: unit.name,
          name_en: unit.nameEn,
          level: unit.level,
          agency_code: unit.agencyCode,
          admin_code: unit.adminCode,
          kind: unit.kind,
          path: unit.path,
        })
        .onConflict('id')
        .ignore()
    },

    /** Adds rows of the address directory unless their code is there already (an imported list wins). */
    async addDivisions(divisions: AdminDivision[], source: string): Promise<void> {
      await db('admin_divisions')
        .insert(
          divisions.map((d) => ({
            code: d.code,
            level: d.level,
            kind: d.kind,
            name: d.name,
            province_code: d.provinceCode,
            source,
            valid_from: '2025-07-01',
          })),
        )
        .onConflict('code')
        .ignore()
    },

    /** Adds the accounts in one statement. */
    async addUsers(users: SeedUser[]): Promise<void> {
      await db('users').insert(
        users.map((u) => ({
          username: u.username,
          password_hash: u.passwordHash,
          kind: u.kind,
          full_name: u.fullName,
          email: u.email,
          id_number: u.idNumber,
          tax_code: u.taxCode,
          unit_id: u.unitId,
          groups: u.groups,
          email_verified_at: u.emailVerifiedAt,
        })),
      )
    },
  }
}
