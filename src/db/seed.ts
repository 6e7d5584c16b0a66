// Demo data for the embedded default: an organisation tree and one account per role.
import { randomBytes } from 'node:crypto'
import { existsSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs'
import { join } from 'node:path'
import type { Knex } from 'knex'
import { hashPassword } from '../auth/passwords.js'
import { auditRepository } from './audit-repository.js'
import type { AdminDivision, UnitKind, UnitLevel } from '../units/levels.js'
import { seedRepository, type SeedUser } from './seed-repository.js'

export interface DemoUnit {
  id: string
  parentId?: string
  name: string
  nameEn: string
  level: UnitLevel
  agencyCode: string
  /** Mã đơn vị hành chính of a province (2 digits) or commune (5 digits). */
  adminCode?: string
  kind?: UnitKind
}

// The two-level organisation (from 1 July 2025): the province with its service centre, a department and the vertical
// agencies of the province, and two communes. No district. Codes use the X99 prefix, which no real agency has in the
// national directory, and administrative codes 99 / 999xx, which no real province or commune has, so demo dossier
// codes and addresses can never be mistaken for real ones.
export const demoUnits: DemoUnit[] = [
  {
    id: 'tinh-demo',
    name: 'UBND tỉnh Demo',
    nameEn: 'Demo Province People’s Committee',
    level: 'province',
    agencyCode: 'X99',
    adminCode: '99',
    kind: 'tinh',
  },
  {
    id: 'tinh-demo-hcc',
    parentId: 'tinh-demo',
    name: 'Trung tâm Phục vụ hành chính công tỉnh Demo',
    nameEn: 'Demo Province Public Administration Service Centre',
    level: 'service_centre',
    agencyCode: 'X99.01',
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
    id: 'cong-an-tinh',
    parentId: 'tinh-demo',
    name: 'Công an tỉnh Demo',
    nameEn: 'Demo Provincial Police',
    level: 'vertical_agency',
    agencyCode: 'X99.50',
  },
  {
    id: 'bhxh-tinh',
    parentId: 'tinh-demo',
    name: 'Bảo hiểm xã hội tỉnh Demo',
    nameEn: 'Demo Provincial Social Insurance',
    level: 'vertical_agency',
    agencyCode: 'X99.60',
  },
  {
    id: 'xa-an-binh',
    parentId: 'tinh-demo',
    name: 'UBND xã An Bình',
    nameEn: 'An Binh Commune People’s Committee',
    level: 'commune',
    agencyCode: 'X99.30',
    adminCode: '99901',
    kind: 'xa',
  },
  {
    id: 'xa-binh-minh',
    parentId: 'tinh-demo',
    name: 'UBND xã Bình Minh',
    nameEn: 'Binh Minh Commune People’s Committee',
    level: 'commune',
    agencyCode: 'X99.31',
    adminCode: '99902',
    kind: 'xa',
  },
]

/** The demo province and communes in the address directory, so address fields can pick them. */
export const demoDivisions: AdminDivision[] = [
  { code: '99', level: 'province', kind: 'tinh', name: 'Tỉnh Demo', provinceCode: null },
  { code: '99901', level: 'commune', kind: 'xa', name: 'Xã An Bình', provinceCode: '99' },
  { code: '99902', level: 'commune', kind: 'xa', name: 'Xã Bình Minh', provinceCode: '99' },
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
    unitId: 'tinh-demo-hcc',
    groups: ['mot-cua'],
    email: 'canbo@example.invalid',
  },
  {
    username: 'lanhdao',
    kind: 'supervisor',
    fullName: 'Lê Văn Cường',
    unitId: 'tinh-demo',
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
  // Officers of An Bình commune (the agency of the reference procedures), so every commune role of
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
  // The Department of Construction, consulted on construction permits received by a commune.
  {
    username: 'phoihop',
    kind: 'officer',
    fullName: 'Ngô Văn Khánh',
    unitId: 'so-xay-dung',
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
  // The province's vertical agencies, which handle steps of linked procedures (liên thông) received by a commune.
  {
    username: 'congan',
    kind: 'officer',
    fullName: 'Trịnh Văn Minh',
    unitId: 'cong-an-tinh',
    groups: ['cong-an-cu-tru'],
    email: 'congan@example.invalid',
  },
  {
    username: 'bhxh',
    kind: 'officer',
    fullName: 'Lý Thị Ngọc',
    unitId: 'bhxh-tinh',
    groups: ['bhxh-the-bhyt'],
    email: 'bhxh@example.invalid',
  },
  // A second commune, so "an officer of another commune" is a real person.
  {
    username: 'motcua-bm',
    kind: 'officer',
    fullName: 'Mai Văn Phúc',
    unitId: 'xa-binh-minh',
    groups: ['mot-cua', 'tu-phap-ho-tich'],
    email: 'motcua-bm@example.invalid',
  },
  {
    username: 'lanhdao-bm',
    kind: 'supervisor',
    fullName: 'Cao Thị Quỳnh',
    unitId: 'xa-binh-minh',
    groups: ['lanh-dao-xa'],
    email: 'lanhdao-bm@example.invalid',
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
        adminCode: unit.adminCode ?? null,
        kind: unit.kind ?? null,
        path: unitPath(unit),
      })
    }
    await seed.addDivisions(demoDivisions, 'demo')
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
