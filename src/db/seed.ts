// Demo data for the embedded default: an organisation tree and one account per role.
import { randomBytes } from 'node:crypto'
import { existsSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs'
import { join } from 'node:path'
import type { Knex } from 'knex'
import { hashPassword } from '../auth/passwords.js'
import { auditRepository } from './audit-repository.js'
import { seedRepository, type SeedUser } from './seed-repository.js'

export interface DemoUnit {
  id: string
  parentId?: string
  name: string
  nameEn: string
  level: 'province' | 'department' | 'district' | 'commune' | 'office'
  agencyCode: string
}

// Codes use the X99 prefix, which no real agency has in the national directory, so demo dossier
// codes can never be mistaken for real ones.
export const demoUnits: DemoUnit[] = [
  {
    id: 'tinh-demo',
    name: 'UBND tỉnh Demo',
    nameEn: 'Demo Province People’s Committee',
    level: 'province',
    agencyCode: 'X99',
  },
  {
    id: 'so-xay-dung',
    parentId: 'tinh-demo',
    name: 'Sở Xây dựng',
    nameEn: 'Department of Construction',
    level: 'department',
    agencyCode: 'X99.10',
  },
  {
    id: 'huyen-demo',
    parentId: 'tinh-demo',
    name: 'UBND huyện Demo',
    nameEn: 'Demo District People’s Committee',
    level: 'district',
    agencyCode: 'X99.20',
  },
  {
    id: 'huyen-demo-mot-cua',
    parentId: 'huyen-demo',
    name: 'Bộ phận Một cửa huyện Demo',
    nameEn: 'Demo District one-stop counter',
    level: 'office',
    agencyCode: 'X99.20.01',
  },
  {
    id: 'huyen-demo-qldt',
    parentId: 'huyen-demo',
    name: 'Phòng Quản lý đô thị',
    nameEn: 'Urban Management Office',
    level: 'office',
    agencyCode: 'X99.20.02',
  },
  {
    id: 'xa-an-binh',
    parentId: 'huyen-demo',
    name: 'UBND xã An Bình',
    nameEn: 'An Binh Commune People’s Committee',
    level: 'commune',
    agencyCode: 'X99.20.30',
  },
  {
    id: 'xa-binh-minh',
    parentId: 'huyen-demo',
    name: 'UBND xã Bình Minh',
    nameEn: 'Binh Minh Commune People’s Committee',
    level: 'commune',
    agencyCode: 'X99.20.31',
  },
]

export interface DemoUser {
  username: string
  kind: 'citizen' | 'organisation' | 'enterprise' | 'officer' | 'supervisor' | 'analyst' | 'administrator'
  fullName: string
  unitId?: string
  groups?: string[]
  idNumber?: string
  taxCode?: string
  email: string
}

export const demoUsers: DemoUser[] = [
  {
    username: 'congdan',
    kind: 'citizen',
    fullName: 'Nguyễn Văn An',
    idNumber: '001090000001',
    email: 'congdan@example.invalid',
  },
  {
    username: 'doanhnghiep',
    kind: 'enterprise',
    fullName: 'Công ty TNHH Demo',
    taxCode: '0100000001',
    email: 'doanhnghiep@example.invalid',
  },
  {
    username: 'canbo',
    kind: 'officer',
    fullName: 'Trần Thị Bình',
    unitId: 'huyen-demo-mot-cua',
    groups: ['mot-cua'],
    email: 'canbo@example.invalid',
  },
  {
    username: 'lanhdao',
    kind: 'supervisor',
    fullName: 'Lê Văn Cường',
    unitId: 'huyen-demo',
    groups: ['lanh-dao'],
    email: 'lanhdao@example.invalid',
  },
  {
    username: 'phantich',
    kind: 'analyst',
    fullName: 'Phạm Thị Dung',
    unitId: 'tinh-demo',
    groups: ['nghiep-vu'],
    email: 'phantich@example.invalid',
  },
  {
    username: 'quantri',
    kind: 'administrator',
    fullName: 'Hoàng Văn Em',
    unitId: 'tinh-demo',
    groups: ['quan-tri'],
    email: 'quantri@example.invalid',
  },
  // Officers of An Bình commune (the agency of the reference procedures), so every unit role of
  // workflows/README.md has someone to work its tasks.
  {
    username: 'motcua-xa',
    kind: 'officer',
    fullName: 'Đỗ Thị Giang',
    unitId: 'xa-an-binh',
    groups: ['mot-cua'],
    email: 'motcua-xa@example.invalid',
  },
  {
    username: 'tuphap-xa',
    kind: 'officer',
    fullName: 'Vũ Văn Hải',
    unitId: 'xa-an-binh',
    groups: ['tu-phap-ho-tich', 'xac-minh-lien-xa'],
    email: 'tuphap-xa@example.invalid',
  },
  {
    username: 'kinhte-xa',
    kind: 'officer',
    fullName: 'Bùi Thị Hoa',
    unitId: 'xa-an-binh',
    groups: ['kinh-te-ha-tang-do-thi', 'dang-ky-kinh-doanh'],
    email: 'kinhte-xa@example.invalid',
  },
  {
    username: 'phoihop',
    kind: 'officer',
    fullName: 'Ngô Văn Khánh',
    unitId: 'xa-an-binh',
    groups: ['co-quan-phoi-hop'],
    email: 'phoihop@example.invalid',
  },
  {
    username: 'lanhdao-xa',
    kind: 'supervisor',
    fullName: 'Đặng Văn Long',
    unitId: 'xa-an-binh',
    groups: ['lanh-dao-xa', 'lanh-dao-ubnd', 'lanh-dao-phong'],
    email: 'lanhdao-xa@example.invalid',
  },
]

function unitPath(unit: DemoUnit): string {
  const parts: string[] = []
  for (let u: DemoUnit | undefined = unit; u; u = demoUnits.find((p) => p.id === u!.parentId)) parts.unshift(u.id)
  return `/${parts.join('/')}/`
}

export interface DemoCredential {
  username: string
  kind: string
  password: string
}

/**
 * Seeds the demo organisation and accounts once. Passwords are random per data directory and kept in
 * DATA_DIR/demo-credentials.json (mode 600) so they can be shown again on the next start.
 */
export async function seedDemo(knex: Knex, dataDir: string): Promise<DemoCredential[]> {
  const credentialsFile = join(dataDir, 'demo-credentials.json')
  const existing = await seedRepository(knex).existingUsernames(demoUsers.map((u) => u.username))
  if (existing.length === demoUsers.length && existsSync(credentialsFile)) {
    return JSON.parse(readFileSync(credentialsFile, 'utf8')) as DemoCredential[]
  }
  const credentials: DemoCredential[] = []
  const users: SeedUser[] = []
  for (const user of demoUsers) {
    if (existing.includes(user.username)) continue
    const password = `Demo-${randomBytes(6).toString('base64url')}`
    credentials.push({ username: user.username, kind: user.kind, password })
    users.push({
      username: user.username,
      passwordHash: await hashPassword(password),
      kind: user.kind,
      fullName: user.fullName,
      email: user.email,
      idNumber: user.idNumber ?? null,
      taxCode: user.taxCode ?? null,
      unitId: user.unitId ?? null,
      groups: user.groups ?? [],
      emailVerifiedAt: new Date(),
    })
  }
  await knex.transaction(async (trx) => {
    const seed = seedRepository(trx)
    for (const unit of demoUnits) {
      await seed.addUnit({
        id: unit.id,
        parentId: unit.parentId ?? null,
        name: unit.name,
        nameEn: unit.nameEn,
        level: unit.level,
        agencyCode: unit.agencyCode,
        path: unitPath(unit),
      })
    }
    if (users.length) await seed.addUsers(users)
    await auditRepository(trx).record({
      action: 'demo.seeded',
      subjectType: 'system',
      subjectId: 'demo',
      data: { users: users.map((u) => u.username) },
    })
  })
  mkdirSync(dataDir, { recursive: true })
  writeFileSync(credentialsFile, JSON.stringify(credentials, null, 2) + '\n', { mode: 0o600 })
  return credentials
}
