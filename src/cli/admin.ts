// `motcua admin create`: the first administrator of an installation (and, on an empty organisation, its province),
// from the command line of the server, since nobody can log in to create them.
import { randomBytes } from 'node:crypto'
import { parseArgs } from 'node:util'
import type { Knex } from 'knex'
import { adminRepository } from '../admin/repository.js'
import { emailPattern, usernamePattern } from '../admin/service.js'
import { codesProblem } from '../admin/unit-rules.js'
import { hashPassword } from '../auth/passwords.js'
import { auditRepository } from '../db/audit-repository.js'
import { migrateLatest } from '../db/migrate.js'
import { unitsRepository } from '../units/repository.js'

export interface AdminCommandDeps {
  /** Opens the database; the command migrates it first. */
  openDb(): Promise<{ knex: Knex; close(): Promise<void> }>
  stdout?: { write(text: string): unknown }
  stderr?: { write(text: string): unknown }
}

export const adminUsage = `Usage: motcua admin create --username <name> --full-name <name> [--email <address>]
                           (--unit <unit id> | --province-code <NN> --province-name <name> [options])

Creates an administrator account and prints its initial password once. The administrator manages the units, staff
accounts and groups of their unit's subtree in the web app (/quan-tri). On a new installation there is no unit yet:
give the province (mã đơn vị hành chính, 2 digits, and its name) and it is created as the root of the organisation.

Options:
  --username <name>        3–50 lower-case letters, digits, . - _
  --full-name <name>       the administrator's full name
  --email <address>        optional
  --unit <id>              an existing unit the administrator belongs to
  --province-code <NN>     create the province unit with this administrative code …
  --province-name <name>   … and this name (e.g. "UBND tỉnh Lào Cai")
  --province-kind <kind>   tinh (default) or thanh-pho
  --unit-id <id>           the new province unit's id (default tinh-<NN>)
  --agency-code <code>     the province's code in the national directory of agencies (mã định danh, e.g. H21)
  -h, --help               show this help`

const unitIdPattern = /^[a-z0-9][a-z0-9-]{1,62}$/

class UsageError extends Error {}

/** Runs `motcua admin …`; returns the exit code (0 done, 2 bad arguments, 1 refused by the database's state). */
export async function runAdminCommand(argv: string[], deps: AdminCommandDeps): Promise<number> {
  const stdout = deps.stdout ?? process.stdout
  const stderr = deps.stderr ?? process.stderr
  let values: Record<string, string | boolean | undefined>
  let positionals: string[]
  try {
    ;({ values, positionals } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: true,
      options: {
        username: { type: 'string' },
        'full-name': { type: 'string' },
        email: { type: 'string' },
        unit: { type: 'string' },
        'province-code': { type: 'string' },
        'province-name': { type: 'string' },
        'province-kind': { type: 'string' },
        'unit-id': { type: 'string' },
        'agency-code': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }))
  } catch (err) {
    stderr.write(`motcua admin: ${(err as Error).message}\n\n${adminUsage}\n`)
    return 2
  }
  if (values['help']) {
    stdout.write(adminUsage + '\n')
    return 0
  }
  const text = (key: string) => (typeof values[key] === 'string' ? (values[key] as string).trim() : undefined)
  let request: ReturnType<typeof readRequest>
  try {
    if (positionals.length !== 1 || positionals[0] !== 'create') throw new UsageError('expected "create"')
    request = readRequest(text)
  } catch (err) {
    if (!(err instanceof UsageError)) throw err
    stderr.write(`motcua admin: ${err.message}\n\n${adminUsage}\n`)
    return 2
  }
  const password = randomBytes(18).toString('base64url')
  const passwordHash = await hashPassword(password)
  const db = await deps.openDb()
  try {
    await migrateLatest(db.knex)
    const refusal = await db.knex.transaction(async (trx) => {
      const repo = adminRepository(trx)
      if ((await repo.takenUsernames([request.username])).length) return `the username ${request.username} is taken`
      let unitId = request.unit
      if (request.province) {
        const p = request.province
        if (await repo.unitIdTaken(p.id)) return `a unit ${p.id} exists already; use --unit ${p.id}`
        if (await repo.unitWithCode('admin_code', p.code)) return `a unit with administrative code ${p.code} exists`
        if (p.agencyCode && (await repo.unitWithCode('agency_code', p.agencyCode)))
          return `a unit with agency code ${p.agencyCode} exists`
        await unitsRepository(trx).addUnit({
          id: p.id,
          parentId: null,
          name: p.name,
          nameEn: null,
          level: 'province',
          kind: p.kind,
          agencyCode: p.agencyCode,
          adminCode: p.code,
        })
        const after = { name: p.name, level: 'province', kind: p.kind, adminCode: p.code, agencyCode: p.agencyCode }
        await repo.addHistory({ unitId: p.id, change: 'created', before: null, after, reason: null, actorId: null })
        await auditRepository(trx).record({
          action: 'admin.unitCreated',
          subjectType: 'unit',
          subjectId: p.id,
          data: { ...after, via: 'cli' },
        })
        unitId = p.id
      } else {
        const unit = await repo.unitIn(unitId!, '/')
        if (!unit) return `there is no unit ${unitId}`
        if (unit.closed_at) return `the unit ${unitId} is closed`
      }
      const id = await repo.insertStaffAccount({
        username: request.username,
        passwordHash,
        kind: 'administrator',
        fullName: request.fullName,
        email: request.email,
        phone: null,
        unitId: unitId!,
        groups: ['quan-tri'],
        signingCertificateRef: null,
      })
      await auditRepository(trx).record({
        action: 'admin.accountCreated',
        subjectType: 'user',
        subjectId: id,
        data: { username: request.username, kind: 'administrator', unitId, via: 'cli' },
      })
      return undefined
    })
    if (refusal) {
      stderr.write(`motcua admin: ${refusal}\n`)
      return 1
    }
    stdout.write(
      `Đã tạo quản trị viên / administrator created: ${request.username}\n` +
        `Mật khẩu ban đầu / initial password: ${password}\n`,
    )
    return 0
  } finally {
    await db.close()
  }
}

function readRequest(text: (key: string) => string | undefined) {
  const username = text('username')?.toLowerCase()
  const fullName = text('full-name')
  if (!username || !usernamePattern.test(username))
    throw new UsageError('--username: 3–50 lower-case letters, digits, . - _')
  if (!fullName) throw new UsageError('--full-name is required')
  const email = text('email') || null
  if (email && !emailPattern.test(email)) throw new UsageError('--email: not an e-mail address')
  const unit = text('unit')
  const code = text('province-code')
  if (unit && code) throw new UsageError('give either --unit or --province-code, not both')
  if (!unit && !code) throw new UsageError('give --unit <id>, or --province-code and --province-name')
  if (unit) return { username, fullName, email, unit, province: undefined }
  const name = text('province-name')
  if (!name) throw new UsageError('--province-name is required with --province-code')
  const kind = text('province-kind') ?? 'tinh'
  const codes = codesProblem('province', kind, code!)
  if (codes) throw new UsageError(`--province-code / --province-kind: ${codes.en}`)
  const id = text('unit-id') ?? `tinh-${code}`
  if (!unitIdPattern.test(id)) throw new UsageError('--unit-id: lower-case letters, digits and hyphens')
  const agencyCode = text('agency-code') || null
  if (agencyCode && !/^[A-Za-z0-9.]{1,30}$/.test(agencyCode))
    throw new UsageError('--agency-code: letters, digits, dots')
  return { username, fullName, email, unit: undefined, province: { id, code: code!, name, kind, agencyCode } }
}
