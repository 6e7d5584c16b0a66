// The agencies a cross-agency (liên thông) test needs, whatever the demo organisation holds: the police and social
// insurance of the demo province (the contract's ids and codes of issue #17), a second commune, and an officer of each
// with the group their steps name. Inserted only when absent, so the test runs on the old and the new demo data.
import type { Knex } from 'knex'
import { hashPassword } from '../../src/auth/passwords.js'
import type { TestApp } from './app.js'

export interface TestUnit {
  id: string
  name: string
  level: string
  agencyCode: string
  adminCode?: string
  parent: string
}

export const agencies: TestUnit[] = [
  { id: 'cong-an-tinh', name: 'Công an tỉnh Demo', level: 'department', agencyCode: 'X99.50', parent: 'tinh-demo' },
  {
    id: 'bhxh-tinh',
    name: 'Bảo hiểm xã hội tỉnh Demo',
    level: 'department',
    agencyCode: 'X99.60',
    parent: 'tinh-demo',
  },
]

export interface TestOfficer {
  username: string
  kind: 'officer' | 'supervisor'
  unitId: string
  groups: string[]
  fullName: string
}

export const officers: TestOfficer[] = [
  { username: 'congan', kind: 'officer', unitId: 'cong-an-tinh', groups: ['cong-an-cu-tru'], fullName: 'Lê Công An' },
  { username: 'bhxh', kind: 'officer', unitId: 'bhxh-tinh', groups: ['bhxh-the-bhyt'], fullName: 'Phạm Bảo Hiểm' },
  {
    username: 'lanhdao-tinh',
    kind: 'supervisor',
    unitId: 'tinh-demo',
    groups: ['lanh-dao'],
    fullName: 'Đỗ Lãnh Đạo Tỉnh',
  },
  {
    username: 'lanhdao-ca',
    kind: 'supervisor',
    unitId: 'cong-an-tinh',
    groups: ['lanh-dao'],
    fullName: 'Trần Lãnh Đạo Công An',
  },
]

/** A password for the accounts this helper creates (never a demo one). */
const password = 'Lien-thong-kiem-thu-2026!'

/** Adds the units (and the officers) that are not there yet; gives An Bình its commune code when it has none. */
export async function seatAgencies(knex: Knex): Promise<void> {
  for (const u of agencies) {
    if (await knex('units').where({ id: u.id }).first('id')) continue
    const parent = (await knex('units').where({ id: u.parent }).first('path')) as { path: string }
    await knex('units').insert({
      id: u.id,
      parent_id: u.parent,
      name: u.name,
      level: u.level,
      agency_code: u.agencyCode,
      path: `${parent.path}${u.id}/`,
    })
  }
  await knex('units').where({ id: 'xa-an-binh' }).whereNull('admin_code').update({ admin_code: '99901' })
  const hash = await hashPassword(password)
  for (const o of officers) {
    if (await knex('users').where({ username: o.username }).first('id')) continue
    await knex('users').insert({
      username: o.username,
      password_hash: hash,
      kind: o.kind,
      full_name: o.fullName,
      unit_id: o.unitId,
      groups: o.groups,
    })
  }
}

/** Logs in an account: a demo one with its demo password, one this helper created with its own. */
export async function loginAny(built: TestApp, username: string): Promise<{ authorization: string }> {
  if (built.demo.some((d) => d.username === username)) return built.loginAs(username)
  const res = await built.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password } })
  if (res.statusCode !== 200) throw new Error(`login ${username}: ${res.statusCode} ${res.body}`)
  return { authorization: `Bearer ${(res.json() as { accessToken: string }).accessToken}` }
}
