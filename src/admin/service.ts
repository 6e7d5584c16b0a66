// Administration: an administrator manages the units, staff accounts and groups of their own unit's subtree, and
// supervisors and administrators read the audit log of theirs. Each change is checked, written with its audit event
// (and, for a unit, its history entry) in one transaction; what lies outside the caller's subtree answers like
// what does not exist.
import { randomBytes } from 'node:crypto'
import type { Knex } from 'knex'
import { permissionsOf, requireAccess, type Permission } from '../auth/access.js'
import { hashPassword } from '../auth/passwords.js'
import { staffKinds, type Principal, type UserKind } from '../auth/principal.js'
import { auditRepository } from '../db/audit-repository.js'
import { AppError } from '../errors.js'
import { unitsRepository } from '../units/repository.js'
import { ImportFileError, readOfficersCsv, readOfficersXlsx, type ImportedOfficer } from './officer-import.js'
import {
  adminRepository,
  type AccountChanges,
  type AuditRow,
  type StaffAccountRow,
  type UnitHistoryRow,
  type UnitRow,
} from './repository.js'
import { codesProblem, placementProblem } from './unit-rules.js'

type StaffKind = (typeof staffKinds)[number]

export interface NewUnitInput {
  id: string
  parentId: string
  name: string
  nameEn?: string | null
  level: string
  kind?: string | null
  agencyCode?: string | null
  adminCode?: string | null
}

export interface UnitChangeInput {
  name?: string
  nameEn?: string | null
  kind?: string | null
  agencyCode?: string | null
  adminCode?: string | null
  reason?: string
}

export interface NewAccountInput {
  username: string
  fullName: string
  email?: string | null
  phone?: string | null
  kind: StaffKind
  unitId: string
  groups: string[]
  signingCertificateRef?: string | null
}

export interface ImportInput {
  format: 'csv' | 'xlsx'
  /** CSV text, or the XLSX file in base64. */
  content: string
  dryRun: boolean
}

export interface ImportRowError {
  line: number
  field: string
  message: { vi: string; en: string }
}

export interface ImportReport {
  dryRun: boolean
  rows: number
  errors: ImportRowError[]
  /** The accounts made (or, in a dry run, that would be made); initial passwords only when made. */
  accounts: Array<{ line: number; username: string; fullName: string; unitId: string; kind: string; groups: string[] }>
  created: Array<{ id: string; username: string; initialPassword: string }>
}

export interface AuditQuery {
  action?: string
  subjectType?: string
  subjectId?: string
  actor?: string
  from?: string
  to?: string
  cursor?: string
  limit?: number
}

/** A staff username: 3–50 lower-case letters, digits, dots, hyphens, underscores. */
export const usernamePattern = /^[a-z0-9][a-z0-9._-]{2,49}$/
export const emailPattern = /^[^\s@]+@[^\s@]+\.[^\s@]+$/
const phonePattern = /^\+?[0-9 .-]{8,20}$/

/** A password handed to a new officer (or after a reset) once: 18 random bytes, 24 characters. */
const newPassword = (): string => randomBytes(18).toString('base64url')

export function unitView(u: UnitRow) {
  return {
    id: u.id,
    parentId: u.parent_id,
    name: u.name,
    nameEn: u.name_en,
    level: u.level,
    kind: u.kind,
    agencyCode: u.agency_code,
    adminCode: u.admin_code,
    path: u.path,
    closedAt: u.closed_at,
    createdAt: u.created_at,
  }
}

export function accountView(a: StaffAccountRow) {
  return {
    id: a.id,
    username: a.username,
    kind: a.kind,
    fullName: a.full_name,
    email: a.email,
    phone: a.phone,
    unitId: a.unit_id,
    unitName: a.unit_name,
    groups: a.groups,
    signingCertificateRef: a.signing_certificate_ref,
    disabledAt: a.disabled_at,
    createdAt: a.created_at,
  }
}

const historyView = (h: UnitHistoryRow) => ({
  id: Number(h.id),
  change: h.change,
  before: h.before,
  after: h.after,
  reason: h.reason,
  actor: h.actor_username,
  at: h.at,
})

const auditView = (e: AuditRow) => ({
  id: Number(e.id),
  at: e.at,
  actor: e.actor_username,
  actorId: e.actor_id,
  action: e.action,
  subjectType: e.subject_type,
  subjectId: e.subject_id,
  data: e.data,
})

const unitState = (u: Pick<UnitRow, 'name' | 'name_en' | 'kind' | 'agency_code' | 'admin_code'>) => ({
  name: u.name,
  nameEn: u.name_en,
  kind: u.kind,
  agencyCode: u.agency_code,
  adminCode: u.admin_code,
})

const invalid = (detail: string, message: { vi: string; en: string }) =>
  new AppError('MC_ERR_VALIDATION', detail, {}, message)

export class AdminService {
  constructor(
    private readonly knex: Knex,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  /**
   * The caller's subtree for `permission`: the current path of their unit, read from the database (a token carries
   * the path of its login, and the unit may have moved since).
   */
  private async scope(principal: Principal | undefined, permission: Permission): Promise<Principal & { path: string }> {
    const caller = await requireAccess(this.knex, { principal, permission })
    const unit = caller.unitId ? await unitsRepository(this.knex).unitPath(caller.unitId) : undefined
    if (!unit) throw new AppError('MC_ERR_FORBIDDEN', 'The account belongs to no unit')
    return { ...caller, path: unit }
  }

  // Units

  async units(principal: Principal | undefined) {
    const caller = await this.scope(principal, 'units.manage')
    return { items: (await adminRepository(this.knex).unitsIn(caller.path)).map(unitView) }
  }

  async unitHistory(principal: Principal | undefined, unitId: string) {
    const caller = await this.scope(principal, 'units.manage')
    const repo = adminRepository(this.knex)
    const unit = await repo.unitIn(unitId, caller.path)
    if (!unit) throw new AppError('MC_ERR_UNIT_NOT_FOUND')
    return { unit: unitView(unit), items: (await repo.historyOf(unitId)).map(historyView) }
  }

  async createUnit(principal: Principal | undefined, input: NewUnitInput) {
    const caller = await this.scope(principal, 'units.manage')
    return this.knex.transaction(async (trx) => {
      const repo = adminRepository(trx)
      const parent = await repo.unitIn(input.parentId, caller.path, { forUpdate: true })
      if (!parent) throw new AppError('MC_ERR_UNIT_NOT_FOUND', `No unit ${input.parentId} to place it under`)
      if (parent.closed_at) throw new AppError('MC_ERR_UNIT_CLOSED')
      const placement = placementProblem(input.level, parent.level)
      if (placement) throw new AppError('MC_ERR_UNIT_PLACEMENT', placement.en, {}, placement)
      const fields = {
        name: input.name.trim(),
        name_en: input.nameEn?.trim() || null,
        kind: input.kind ?? null,
        agency_code: input.agencyCode?.trim() || null,
        admin_code: input.adminCode?.trim() || null,
      }
      const codes = codesProblem(input.level, fields.kind, fields.admin_code)
      if (codes) throw invalid(codes.en, codes)
      if (await repo.unitIdTaken(input.id)) throw new AppError('MC_ERR_UNIT_TAKEN', `Unit id ${input.id} is taken`)
      await this.refuseTakenCodes(repo, input.id, fields)
      await unitsRepository(trx).addUnit({
        id: input.id,
        parentId: parent.id,
        name: fields.name,
        nameEn: fields.name_en,
        level: input.level,
        kind: fields.kind,
        agencyCode: fields.agency_code,
        adminCode: fields.admin_code,
      })
      const after = { ...unitState(fields), level: input.level, parentId: parent.id }
      await repo.addHistory({
        unitId: input.id,
        change: 'created',
        before: null,
        after,
        reason: null,
        actorId: caller.userId,
      })
      await this.audit(trx, caller, 'admin.unitCreated', 'unit', input.id, after)
      return unitView((await repo.unitIn(input.id, caller.path))!)
    })
  }

  async changeUnit(principal: Principal | undefined, unitId: string, input: UnitChangeInput) {
    const caller = await this.scope(principal, 'units.manage')
    return this.knex.transaction(async (trx) => {
      const repo = adminRepository(trx)
      const unit = await repo.unitIn(unitId, caller.path, { forUpdate: true })
      if (!unit) throw new AppError('MC_ERR_UNIT_NOT_FOUND')
      if (unit.closed_at) throw new AppError('MC_ERR_UNIT_CLOSED')
      const fields = {
        name: input.name !== undefined ? input.name.trim() : unit.name,
        name_en: input.nameEn !== undefined ? input.nameEn?.trim() || null : unit.name_en,
        kind: input.kind !== undefined ? input.kind : unit.kind,
        agency_code: input.agencyCode !== undefined ? input.agencyCode?.trim() || null : unit.agency_code,
        admin_code: input.adminCode !== undefined ? input.adminCode?.trim() || null : unit.admin_code,
      }
      const codes = unit.level === 'district' ? undefined : codesProblem(unit.level, fields.kind, fields.admin_code)
      if (codes) throw invalid(codes.en, codes)
      await this.refuseTakenCodes(repo, unit.id, fields)
      await repo.updateUnit(unit.id, fields)
      const before = unitState(unit)
      const after = unitState(fields)
      await repo.addHistory({
        unitId: unit.id,
        change: 'changed',
        before,
        after,
        reason: input.reason ?? null,
        actorId: caller.userId,
      })
      await this.audit(trx, caller, 'admin.unitChanged', 'unit', unit.id, { before, after })
      return unitView((await repo.unitIn(unit.id, caller.path))!)
    })
  }

  /** Moves a unit (with everything below it) under another parent of the caller's subtree. */
  async moveUnit(principal: Principal | undefined, unitId: string, input: { parentId: string; reason: string }) {
    const caller = await this.scope(principal, 'units.manage')
    return this.knex.transaction(async (trx) => {
      const repo = adminRepository(trx)
      const unit = await repo.unitIn(unitId, caller.path, { forUpdate: true })
      if (!unit) throw new AppError('MC_ERR_UNIT_NOT_FOUND')
      if (unit.path === caller.path) throw new AppError('MC_ERR_ADMIN_SELF', 'Your own unit cannot be moved by you')
      if (unit.closed_at) throw new AppError('MC_ERR_UNIT_CLOSED')
      const parent = await repo.unitIn(input.parentId, caller.path, { forUpdate: true })
      if (!parent) throw new AppError('MC_ERR_UNIT_NOT_FOUND', `No unit ${input.parentId} to move it under`)
      if (parent.closed_at) throw new AppError('MC_ERR_UNIT_CLOSED')
      if (parent.path.startsWith(unit.path))
        throw new AppError(
          'MC_ERR_UNIT_PLACEMENT',
          'A unit cannot move under itself or a unit below it',
          {},
          {
            vi: 'Không thể chuyển đơn vị vào chính nó hoặc đơn vị trực thuộc nó',
            en: 'A unit cannot move under itself or a unit below it',
          },
        )
      const placement = placementProblem(unit.level, parent.level)
      if (placement) throw new AppError('MC_ERR_UNIT_PLACEMENT', placement.en, {}, placement)
      const newPath = `${parent.path}${unit.id}/`
      await repo.moveSubtree(unit.id, parent.id, unit.path, newPath)
      const before = { parentId: unit.parent_id, path: unit.path }
      const after = { parentId: parent.id, path: newPath }
      await repo.addHistory({
        unitId: unit.id,
        change: 'moved',
        before,
        after,
        reason: input.reason,
        actorId: caller.userId,
      })
      await this.audit(trx, caller, 'admin.unitMoved', 'unit', unit.id, { before, after, reason: input.reason })
      return unitView((await repo.unitIn(unit.id, caller.path))!)
    })
  }

  /** Closes a unit with nothing alive left: it stays, with its dossiers, tasks and history, but takes nothing new. */
  async closeUnit(principal: Principal | undefined, unitId: string, input: { reason: string }) {
    const caller = await this.scope(principal, 'units.manage')
    return this.knex.transaction(async (trx) => {
      const repo = adminRepository(trx)
      const unit = await repo.unitIn(unitId, caller.path, { forUpdate: true })
      if (!unit) throw new AppError('MC_ERR_UNIT_NOT_FOUND')
      if (unit.path === caller.path) throw new AppError('MC_ERR_ADMIN_SELF', 'Your own unit cannot be closed by you')
      if (unit.closed_at) throw new AppError('MC_ERR_UNIT_CLOSED')
      const live = await repo.liveContentsOf(unit.path)
      if (live.units || live.accounts || live.tasks)
        throw new AppError('MC_ERR_UNIT_NOT_EMPTY', undefined, {
          openUnits: live.units,
          enabledAccounts: live.accounts,
          openTasks: live.tasks,
        })
      const at = this.clock()
      await repo.closeUnit(unit.id, at)
      await repo.addHistory({
        unitId: unit.id,
        change: 'closed',
        before: { closedAt: null },
        after: { closedAt: at.toISOString() },
        reason: input.reason,
        actorId: caller.userId,
      })
      await this.audit(trx, caller, 'admin.unitClosed', 'unit', unit.id, { reason: input.reason })
      return unitView((await repo.unitIn(unit.id, caller.path))!)
    })
  }

  private async refuseTakenCodes(
    repo: ReturnType<typeof adminRepository>,
    unitId: string,
    fields: { agency_code: string | null; admin_code: string | null },
  ): Promise<void> {
    for (const column of ['agency_code', 'admin_code'] as const) {
      const code = fields[column]
      if (!code) continue
      const holder = await repo.unitWithCode(column, code)
      if (holder && holder !== unitId) throw new AppError('MC_ERR_UNIT_TAKEN', `${column} ${code} is taken`)
    }
  }

  // Staff accounts

  async accounts(principal: Principal | undefined, filter: { unitId?: string; kind?: string; q?: string }) {
    const caller = await this.scope(principal, 'users.manage')
    const rows = await adminRepository(this.knex).accountsIn(caller.path, { ...filter, limit: 500 })
    return { items: rows.map(accountView) }
  }

  async account(principal: Principal | undefined, accountId: string) {
    const caller = await this.scope(principal, 'users.manage')
    const account = await adminRepository(this.knex).accountIn(accountId, caller.path)
    if (!account) throw new AppError('MC_ERR_ACCOUNT_NOT_FOUND')
    return accountView(account)
  }

  async createAccount(principal: Principal | undefined, input: NewAccountInput) {
    const caller = await this.scope(principal, 'users.manage')
    return this.knex.transaction(async (trx) => {
      const repo = adminRepository(trx)
      const username = input.username.trim().toLowerCase()
      if (!usernamePattern.test(username))
        throw invalid('username', {
          vi: 'Tên đăng nhập gồm 3–50 chữ thường không dấu, số, dấu chấm, gạch ngang hoặc gạch dưới',
          en: 'A username is 3–50 lower-case letters, digits, dots, hyphens or underscores',
        })
      await this.checkPlacement(repo, caller, input.unitId, input.groups)
      if ((await repo.takenUsernames([username])).length) throw new AppError('MC_ERR_USERNAME_TAKEN')
      const initialPassword = newPassword()
      const id = await repo.insertStaffAccount({
        username,
        passwordHash: await hashPassword(initialPassword),
        kind: input.kind,
        fullName: input.fullName.trim(),
        email: input.email?.trim() || null,
        phone: input.phone?.trim() || null,
        unitId: input.unitId,
        groups: [...new Set(input.groups)],
        signingCertificateRef: input.signingCertificateRef?.trim() || null,
      })
      await this.audit(trx, caller, 'admin.accountCreated', 'user', id, {
        username,
        kind: input.kind,
        unitId: input.unitId,
        groups: input.groups,
      })
      return { account: accountView((await repo.accountIn(id, caller.path))!), initialPassword }
    })
  }

  async changeAccount(principal: Principal | undefined, accountId: string, input: AccountChanges) {
    const caller = await this.scope(principal, 'users.manage')
    return this.knex.transaction(async (trx) => {
      const repo = adminRepository(trx)
      const account = await repo.accountIn(accountId, caller.path)
      if (!account) throw new AppError('MC_ERR_ACCOUNT_NOT_FOUND')
      if (
        account.id === caller.userId &&
        ((input.kind !== undefined && input.kind !== account.kind) ||
          (input.unitId !== undefined && input.unitId !== account.unit_id))
      )
        throw new AppError('MC_ERR_ADMIN_SELF')
      if (input.unitId !== undefined || input.groups !== undefined)
        await this.checkPlacement(repo, caller, input.unitId ?? account.unit_id!, input.groups ?? [], {
          unitChanged: input.unitId !== undefined && input.unitId !== account.unit_id,
        })
      const changes: AccountChanges = {
        ...input,
        ...(input.fullName !== undefined ? { fullName: input.fullName.trim() } : {}),
        ...(input.groups !== undefined ? { groups: [...new Set(input.groups)] } : {}),
        ...(input.signingCertificateRef !== undefined
          ? { signingCertificateRef: input.signingCertificateRef?.trim() || null }
          : {}),
      }
      await repo.updateAccount(account.id, changes)
      // A new role, unit or groups reach the account's tokens at its next login: end its sessions now.
      const sameGroups = (a: string[], b: string[]) => a.length === b.length && a.every((g) => b.includes(g))
      if (
        (changes.kind !== undefined && changes.kind !== account.kind) ||
        (changes.unitId !== undefined && changes.unitId !== account.unit_id) ||
        (changes.groups !== undefined && !sameGroups(changes.groups, account.groups))
      )
        await repo.revokeSessions(account.id, this.clock())
      await this.audit(trx, caller, 'admin.accountChanged', 'user', account.id, {
        before: {
          kind: account.kind,
          unitId: account.unit_id,
          groups: account.groups,
          signingCertificateRef: account.signing_certificate_ref,
        },
        changes,
      })
      return accountView((await repo.accountIn(account.id, caller.path))!)
    })
  }

  async setAccountDisabled(principal: Principal | undefined, accountId: string, disabled: boolean, reason: string) {
    const caller = await this.scope(principal, 'users.manage')
    return this.knex.transaction(async (trx) => {
      const repo = adminRepository(trx)
      const account = await repo.accountIn(accountId, caller.path)
      if (!account) throw new AppError('MC_ERR_ACCOUNT_NOT_FOUND')
      if (account.id === caller.userId) throw new AppError('MC_ERR_ADMIN_SELF')
      const now = this.clock()
      await repo.setDisabled(account.id, disabled ? now : null)
      if (disabled) await repo.revokeSessions(account.id, now)
      await this.audit(trx, caller, disabled ? 'admin.accountDisabled' : 'admin.accountEnabled', 'user', account.id, {
        reason,
      })
      return accountView((await repo.accountIn(account.id, caller.path))!)
    })
  }

  /** A new one-time password for the account, shown once to the administrator; every session of the account ends. */
  async resetPassword(principal: Principal | undefined, accountId: string) {
    const caller = await this.scope(principal, 'users.manage')
    const temporaryPassword = newPassword()
    const passwordHash = await hashPassword(temporaryPassword)
    return this.knex.transaction(async (trx) => {
      const repo = adminRepository(trx)
      const account = await repo.accountIn(accountId, caller.path)
      if (!account) throw new AppError('MC_ERR_ACCOUNT_NOT_FOUND')
      await repo.setPassword(account.id, passwordHash, this.clock())
      await this.audit(trx, caller, 'admin.passwordReset', 'user', account.id, {})
      return { accountId: account.id, username: account.username, temporaryPassword }
    })
  }

  /** The unit must be an open unit of the caller's subtree, and every group must exist. */
  private async checkPlacement(
    repo: ReturnType<typeof adminRepository>,
    caller: Principal & { path: string },
    unitId: string,
    groups: string[],
    opts: { unitChanged?: boolean } = { unitChanged: true },
  ): Promise<void> {
    if (opts.unitChanged !== false) {
      const unit = await repo.unitIn(unitId, caller.path)
      if (!unit) throw new AppError('MC_ERR_UNIT_NOT_FOUND', `No unit ${unitId}`)
      if (unit.closed_at) throw new AppError('MC_ERR_UNIT_CLOSED')
    }
    const unknown = await repo.unknownGroups(groups)
    if (unknown.length) throw new AppError('MC_ERR_GROUP_NOT_FOUND', `No group ${unknown.join(', ')}`)
  }

  // Bulk import

  /**
   * Imports officers from a CSV or XLSX file. Every row is checked (fields, unit in the caller's subtree and open,
   * groups, usernames free and not repeated in the file) and every bad row is reported with its line; a dry run only
   * reports, and an import with any bad row creates nothing. Otherwise every account is created in one transaction.
   */
  async importAccounts(principal: Principal | undefined, input: ImportInput): Promise<ImportReport> {
    const caller = await this.scope(principal, 'users.manage')
    let officers: ImportedOfficer[]
    try {
      officers =
        input.format === 'csv'
          ? await readOfficersCsv(input.content)
          : await readOfficersXlsx(Buffer.from(input.content, 'base64'))
    } catch (err) {
      if (err instanceof ImportFileError) throw new AppError('MC_ERR_IMPORT_FILE', err.message)
      throw err
    }
    const prepared = await Promise.all(
      officers.map(async (o) => ({ officer: o, unitId: await this.unitIdOf(caller.path, o.unit) })),
    )
    const errors = await this.importErrors(caller.path, prepared)
    const accounts = prepared.map(({ officer: o, unitId }) => ({
      line: o.line,
      username: o.username,
      fullName: o.fullName,
      unitId: unitId ?? o.unit,
      kind: o.kind || 'officer',
      groups: o.groups,
    }))
    const report = { dryRun: input.dryRun, rows: officers.length, errors, accounts, created: [] }
    if (input.dryRun) return report
    if (errors.length) throw new AppError('MC_ERR_IMPORT_INVALID', `${errors.length} bad row(s)`, { errors })
    const passwords = officers.map(() => newPassword())
    const hashes = await Promise.all(passwords.map(hashPassword))
    return this.knex.transaction(async (trx) => {
      const repo = adminRepository(trx)
      // Checked again inside the transaction: a username may have been taken since.
      const taken = await repo.takenUsernames(officers.map((o) => o.username))
      if (taken.length) throw new AppError('MC_ERR_USERNAME_TAKEN', taken.join(', '))
      const created: ImportReport['created'] = []
      for (const [i, { officer: o, unitId }] of prepared.entries()) {
        const id = await repo.insertStaffAccount({
          username: o.username,
          passwordHash: hashes[i]!,
          kind: (o.kind || 'officer') as UserKind,
          fullName: o.fullName,
          email: o.email || null,
          phone: o.phone || null,
          unitId: unitId!,
          groups: [...new Set(o.groups)],
          signingCertificateRef: o.signingCertificateRef || null,
        })
        created.push({ id, username: o.username, initialPassword: passwords[i]! })
      }
      await this.audit(trx, caller, 'admin.accountsImported', 'unit', caller.unitId!, {
        format: input.format,
        accounts: created.map((c) => ({ id: c.id, username: c.username })),
      })
      return { ...report, created }
    })
  }

  /** The unit a row names, by id or agency code, when it is an open unit of the subtree. */
  private async unitIdOf(prefix: string, named: string): Promise<string | undefined> {
    if (!named) return undefined
    const repo = adminRepository(this.knex)
    const byId = await repo.unitIn(named, prefix)
    if (byId) return byId.closed_at ? undefined : byId.id
    const holder = await repo.unitWithCode('agency_code', named)
    const byCode = holder ? await repo.unitIn(holder, prefix) : undefined
    return byCode && !byCode.closed_at ? byCode.id : undefined
  }

  private async importErrors(
    prefix: string,
    rows: Array<{ officer: ImportedOfficer; unitId: string | undefined }>,
  ): Promise<ImportRowError[]> {
    const repo = adminRepository(this.knex)
    const errors: ImportRowError[] = []
    const add = (line: number, field: string, vi: string, en: string) =>
      errors.push({ line, field, message: { vi, en } })
    const taken = new Set(await repo.takenUsernames(rows.map((r) => r.officer.username).filter(Boolean)))
    const knownGroups = new Set((await repo.groups()).map((g) => g.code))
    const seen = new Map<string, number>()
    for (const { officer: o, unitId } of rows) {
      if (!usernamePattern.test(o.username))
        add(
          o.line,
          'username',
          `Tên đăng nhập "${o.username}" không hợp lệ (3–50 chữ thường không dấu, số, . - _)`,
          `Username "${o.username}" is invalid (3–50 lower-case letters, digits, . - _)`,
        )
      else if (taken.has(o.username))
        add(o.line, 'username', `Tên đăng nhập "${o.username}" đã có`, `Username "${o.username}" is taken`)
      else if (seen.has(o.username))
        add(
          o.line,
          'username',
          `Tên đăng nhập "${o.username}" trùng với dòng ${seen.get(o.username)}`,
          `Username "${o.username}" repeats line ${seen.get(o.username)}`,
        )
      if (o.username && !seen.has(o.username)) seen.set(o.username, o.line)
      if (!o.fullName || o.fullName.length > 200)
        add(
          o.line,
          'fullName',
          'Thiếu họ tên (hoặc dài quá 200 ký tự)',
          'The full name is missing (or over 200 characters)',
        )
      if (o.email && !emailPattern.test(o.email))
        add(o.line, 'email', `Địa chỉ e-mail "${o.email}" không hợp lệ`, `E-mail address "${o.email}" is invalid`)
      if (o.phone && !phonePattern.test(o.phone))
        add(o.line, 'phone', `Số điện thoại "${o.phone}" không hợp lệ`, `Phone number "${o.phone}" is invalid`)
      if (o.kind && !(staffKinds as readonly string[]).includes(o.kind))
        add(
          o.line,
          'kind',
          `Vai trò "${o.kind}" không có (officer, supervisor, analyst, administrator)`,
          `Role "${o.kind}" does not exist (officer, supervisor, analyst, administrator)`,
        )
      if (!unitId)
        add(
          o.line,
          'unit',
          `Không có đơn vị đang hoạt động "${o.unit}" trong phạm vi bạn quản lý`,
          `No open unit "${o.unit}" within the units you manage`,
        )
      for (const g of o.groups)
        if (!knownGroups.has(g)) add(o.line, 'groups', `Không có nhóm "${g}"`, `No group "${g}"`)
      if (o.signingCertificateRef.length > 200)
        add(o.line, 'signingCertificateRef', 'Tham chiếu chứng thư số quá dài', 'The certificate reference is too long')
    }
    return errors
  }

  // Groups and roles

  async groups(principal: Principal | undefined) {
    await this.scope(principal, 'users.manage')
    const rows = await adminRepository(this.knex).groups()
    return {
      items: rows.map((g) => ({
        code: g.code,
        name: g.name,
        nameEn: g.name_en,
        description: g.description,
        members: g.members,
      })),
    }
  }

  /** Groups are one catalogue for the installation: only an administrator of a root unit (a province) adds them. */
  async createGroup(
    principal: Principal | undefined,
    input: { code: string; name: string; nameEn?: string | null; description?: string | null },
  ) {
    const caller = await this.rootScope(principal)
    return this.knex.transaction(async (trx) => {
      const repo = adminRepository(trx)
      if (await repo.groupExists(input.code, { forUpdate: true })) throw new AppError('MC_ERR_GROUP_EXISTS')
      const group = {
        code: input.code,
        name: input.name.trim(),
        nameEn: input.nameEn?.trim() || null,
        description: input.description?.trim() || null,
      }
      await repo.insertGroup(group)
      await this.audit(trx, caller, 'admin.groupCreated', 'group', input.code, group)
      return { ...group, members: 0 }
    })
  }

  async changeGroup(
    principal: Principal | undefined,
    code: string,
    input: { name?: string; nameEn?: string | null; description?: string | null },
  ) {
    const caller = await this.rootScope(principal)
    return this.knex.transaction(async (trx) => {
      const repo = adminRepository(trx)
      if (!(await repo.groupExists(code, { forUpdate: true }))) throw new AppError('MC_ERR_GROUP_NOT_FOUND')
      await repo.updateGroup(code, {
        ...(input.name !== undefined ? { name: input.name.trim() } : {}),
        ...(input.nameEn !== undefined ? { nameEn: input.nameEn?.trim() || null } : {}),
        ...(input.description !== undefined ? { description: input.description?.trim() || null } : {}),
      })
      await this.audit(trx, caller, 'admin.groupChanged', 'group', code, input)
      const row = (await repo.groups()).find((g) => g.code === code)!
      return { code, name: row.name, nameEn: row.name_en, description: row.description, members: row.members }
    })
  }

  private async rootScope(principal: Principal | undefined) {
    const caller = await this.scope(principal, 'users.manage')
    if (caller.path.split('/').filter(Boolean).length !== 1)
      throw new AppError('MC_ERR_FORBIDDEN', 'Only an administrator of the province manages the groups')
    return caller
  }

  /** The roles (staff account kinds) and the permissions each grants. */
  async roles(principal: Principal | undefined) {
    await this.scope(principal, 'users.manage')
    return { items: staffKinds.map((kind) => ({ kind, permissions: [...permissionsOf(kind)] })) }
  }

  // The audit log

  async auditLog(principal: Principal | undefined, query: AuditQuery) {
    const caller = await this.scope(principal, 'audit.read')
    const limit = query.limit ?? 50
    const date = (v: string | undefined, field: string) => {
      if (v === undefined) return undefined
      const d = new Date(v)
      if (Number.isNaN(d.getTime()))
        throw invalid(field, { vi: `Thời điểm "${field}" không hợp lệ`, en: `"${field}" is not a valid time` })
      return d
    }
    const from = date(query.from, 'from')
    const to = date(query.to, 'to')
    const rows = await adminRepository(this.knex).auditEvents({
      unitPath: caller.path,
      ...(query.action ? { action: query.action } : {}),
      ...(query.subjectType ? { subjectType: query.subjectType } : {}),
      ...(query.subjectId ? { subjectId: query.subjectId } : {}),
      ...(query.actor ? { actor: query.actor } : {}),
      ...(from ? { from } : {}),
      ...(to ? { to } : {}),
      ...(query.cursor ? { before: Number(query.cursor) } : {}),
      limit: limit + 1,
    })
    const items = rows.slice(0, limit).map(auditView)
    return { items, nextCursor: rows.length > limit ? String(items[items.length - 1]!.id) : null }
  }

  private audit(
    trx: Knex.Transaction,
    caller: Principal,
    action: string,
    subjectType: string,
    subjectId: string,
    data: Record<string, unknown>,
  ): Promise<void> {
    return auditRepository(trx).record({ actorId: caller.userId, action, subjectType, subjectId, data })
  }
}
