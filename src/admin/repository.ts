// SQL of administration: units of a subtree with their history, staff accounts, the groups catalogue, and the audit
// log as supervisors and administrators read it. Every subtree is a prefix of the materialised unit path, compared
// with left() so no LIKE wildcard in a path can widen it.
import type { Knex } from 'knex'
import type { UserKind } from '../auth/principal.js'

type Db = Knex | Knex.Transaction

export interface UnitRow {
  id: string
  parent_id: string | null
  name: string
  name_en: string | null
  level: string
  kind: string | null
  agency_code: string | null
  admin_code: string | null
  path: string
  closed_at: Date | null
  created_at: Date
}

export interface UnitHistoryRow {
  id: string
  unit_id: string
  change: 'created' | 'changed' | 'moved' | 'closed'
  before: Record<string, unknown> | null
  after: Record<string, unknown>
  reason: string | null
  actor_id: string | null
  actor_username: string | null
  at: Date
}

export interface StaffAccountRow {
  id: string
  username: string
  kind: UserKind
  full_name: string
  email: string | null
  phone: string | null
  unit_id: string | null
  unit_path: string | null
  unit_name: string | null
  groups: string[]
  signing_certificate_ref: string | null
  disabled_at: Date | null
  created_at: Date
}

export interface NewStaffAccount {
  username: string
  passwordHash: string
  kind: UserKind
  fullName: string
  email: string | null
  phone: string | null
  unitId: string
  groups: string[]
  signingCertificateRef: string | null
}

export interface AccountChanges {
  fullName?: string
  email?: string | null
  phone?: string | null
  kind?: UserKind
  unitId?: string
  groups?: string[]
  signingCertificateRef?: string | null
}

export interface GroupRow {
  code: string
  name: string
  name_en: string | null
  description: string | null
  members: number
}

export interface AuditFilter {
  /** The caller's subtree: events by its staff, or about its units, accounts and dossiers. */
  unitPath: string
  action?: string
  subjectType?: string
  subjectId?: string
  actor?: string
  from?: Date
  to?: Date
  /** Events with a smaller id (the next page, newest first). */
  before?: number
  limit: number
}

export interface AuditRow {
  id: string
  at: Date
  actor_id: string | null
  actor_username: string | null
  action: string
  subject_type: string
  subject_id: string
  data: Record<string, unknown>
}

const unitColumns = [
  'id',
  'parent_id',
  'name',
  'name_en',
  'level',
  'kind',
  'agency_code',
  'admin_code',
  'path',
  'closed_at',
  'created_at',
]

/** `column` lies in the subtree at `prefix`. */
const inSubtree = (column: string, prefix: string): [string, string[]] => [
  `left(${column}, length(?)) = ?`,
  [prefix, prefix],
]

const selectAccount = (db: Db) =>
  db('users as u')
    .leftJoin('units as n', 'n.id', 'u.unit_id')
    .select(
      'u.id',
      'u.username',
      'u.kind',
      'u.full_name',
      'u.email',
      'u.phone',
      'u.unit_id',
      'n.path as unit_path',
      'n.name as unit_name',
      'u.groups',
      'u.signing_certificate_ref',
      'u.disabled_at',
      'u.created_at',
    )

/** The tables that copy a unit's path (a subtree is a prefix of each), rewritten when a unit moves. */
const pathCopies: Array<[table: string, column: string]> = [
  ['dossiers', 'unit_path'],
  ['dossiers', 'competent_unit_path'],
  ['tasks', 'unit_path'],
  ['dossier_events', 'receiver_unit_path'],
]

export function adminRepository(db: Db) {
  return {
    /** The units of the subtree at `prefix`, in tree order (closed ones too). */
    async unitsIn(prefix: string): Promise<UnitRow[]> {
      return (await db('units')
        .whereRaw(...inSubtree('path', prefix))
        .select(unitColumns)
        .orderBy('path')) as UnitRow[]
    },

    /** A unit by id when it lies in the subtree at `prefix`; undefined otherwise (or when there is none). */
    async unitIn(id: string, prefix: string, opts: { forUpdate?: boolean } = {}): Promise<UnitRow | undefined> {
      const q = db('units')
        .where({ id })
        .whereRaw(...inSubtree('path', prefix))
        .first(unitColumns)
      return (await (opts.forUpdate ? q.forUpdate() : q)) as UnitRow | undefined
    },

    async unitIdTaken(id: string): Promise<boolean> {
      return Boolean(await db('units').where({ id }).first('id'))
    },

    /** The unit already holding this agency or administrative code, if any. */
    async unitWithCode(column: 'agency_code' | 'admin_code', code: string): Promise<string | undefined> {
      const row = (await db('units').where(column, code).first('id')) as { id: string } | undefined
      return row?.id
    },

    async updateUnit(
      id: string,
      changes: Partial<Pick<UnitRow, 'name' | 'name_en' | 'kind' | 'agency_code' | 'admin_code'>>,
    ): Promise<void> {
      await db('units').where({ id }).update(changes)
    },

    /**
     * Moves a subtree: the unit's parent, then every path that starts with `oldPath` (the units below, and the copies
     * dossiers, tasks and step events keep) now starts with `newPath`.
     */
    async moveSubtree(id: string, parentId: string, oldPath: string, newPath: string): Promise<void> {
      await db('units').where({ id }).update({ parent_id: parentId })
      for (const [table, column] of [['units', 'path'] as const, ...pathCopies])
        await db(table)
          .whereRaw(...inSubtree(column, oldPath))
          .update({ [column]: db.raw(`? || substr(??, length(?) + 1)`, [newPath, column, oldPath]) })
    },

    async closeUnit(id: string, at: Date): Promise<void> {
      await db('units').where({ id }).update({ closed_at: at })
    },

    /** What still lives in a unit's subtree: open units below it, enabled accounts, open tasks. */
    async liveContentsOf(path: string): Promise<{ units: number; accounts: number; tasks: number }> {
      const count = async (q: Knex.QueryBuilder) => Number(((await q.count({ n: '*' }).first()) as { n: string }).n)
      return {
        units: await count(
          db('units')
            .whereRaw(...inSubtree('path', path))
            .whereNot('path', path)
            .whereNull('closed_at'),
        ),
        accounts: await count(
          db('users as u')
            .join('units as n', 'n.id', 'u.unit_id')
            .whereRaw(...inSubtree('n.path', path))
            .whereNull('u.disabled_at'),
        ),
        tasks: await count(
          db('tasks')
            .whereRaw(...inSubtree('unit_path', path))
            .where({ state: 'CREATED' }),
        ),
      }
    },

    async addHistory(entry: {
      unitId: string
      change: UnitHistoryRow['change']
      before: Record<string, unknown> | null
      after: Record<string, unknown>
      reason: string | null
      actorId: string | null
    }): Promise<void> {
      await db('unit_history').insert({
        unit_id: entry.unitId,
        change: entry.change,
        before: entry.before === null ? null : JSON.stringify(entry.before),
        after: JSON.stringify(entry.after),
        reason: entry.reason,
        actor_id: entry.actorId,
      })
    },

    async historyOf(unitId: string): Promise<UnitHistoryRow[]> {
      return (await db('unit_history as h')
        .leftJoin('users as u', 'u.id', 'h.actor_id')
        .where('h.unit_id', unitId)
        .select('h.*', 'u.username as actor_username')
        .orderBy('h.id')) as UnitHistoryRow[]
    },

    /** Staff accounts whose unit lies in the subtree, by unit then username. */
    async accountsIn(
      prefix: string,
      filter: { unitId?: string; kind?: string; q?: string; limit: number },
    ): Promise<StaffAccountRow[]> {
      const q = selectAccount(db)
        .whereRaw(...inSubtree('n.path', prefix))
        .orderBy([{ column: 'n.path' }, { column: 'u.username' }])
        .limit(filter.limit)
      if (filter.unitId) q.where('u.unit_id', filter.unitId)
      if (filter.kind) q.where('u.kind', filter.kind)
      if (filter.q) {
        const like = `%${filter.q.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`
        q.where((w) => w.whereRaw('lower(u.username) LIKE ?', [like]).orWhereRaw('lower(u.full_name) LIKE ?', [like]))
      }
      return (await q) as StaffAccountRow[]
    },

    /** A staff account whose unit lies in the subtree; undefined otherwise. */
    async accountIn(id: string, prefix: string): Promise<StaffAccountRow | undefined> {
      return (await selectAccount(db)
        .where('u.id', id)
        .whereRaw(...inSubtree('n.path', prefix))
        .forUpdate('u')
        .first()) as StaffAccountRow | undefined
    },

    /** Which of these usernames are taken (in any case). */
    async takenUsernames(usernames: string[]): Promise<string[]> {
      if (usernames.length === 0) return []
      const rows = (await db('users')
        .whereRaw('lower(username) = ANY(?)', [usernames.map((u) => u.toLowerCase())])
        .select('username')) as Array<{ username: string }>
      return rows.map((r) => r.username.toLowerCase())
    },

    async insertStaffAccount(account: NewStaffAccount): Promise<string> {
      const [row] = (await db('users')
        .insert({
          username: account.username,
          password_hash: account.passwordHash,
          kind: account.kind,
          full_name: account.fullName,
          email: account.email,
          phone: account.phone,
          unit_id: account.unitId,
          groups: account.groups,
          signing_certificate_ref: account.signingCertificateRef,
          // Staff e-mail addresses are the organisation's: no verification mail.
          email_verified_at: db.fn.now(),
        })
        .returning('id')) as Array<{ id: string }>
      return row!.id
    },

    async updateAccount(id: string, changes: AccountChanges): Promise<void> {
      const columns: Record<string, unknown> = {}
      if (changes.fullName !== undefined) columns['full_name'] = changes.fullName
      if (changes.email !== undefined) columns['email'] = changes.email
      if (changes.phone !== undefined) columns['phone'] = changes.phone
      if (changes.kind !== undefined) columns['kind'] = changes.kind
      if (changes.unitId !== undefined) columns['unit_id'] = changes.unitId
      if (changes.groups !== undefined) columns['groups'] = changes.groups
      if (changes.signingCertificateRef !== undefined)
        columns['signing_certificate_ref'] = changes.signingCertificateRef
      if (Object.keys(columns).length) await db('users').where({ id }).update(columns)
    },

    async setDisabled(id: string, at: Date | null): Promise<void> {
      await db('users').where({ id }).update({ disabled_at: at })
    },

    /** A new password; every session of the account ends (its refresh tokens are revoked). */
    async setPassword(id: string, passwordHash: string, now: Date): Promise<void> {
      await db('users').where({ id }).update({ password_hash: passwordHash, failed_logins: 0, locked_until: null })
      await this.revokeSessions(id, now)
    },

    async revokeSessions(userId: string, now: Date): Promise<void> {
      await db('refresh_tokens').where({ user_id: userId }).whereNull('revoked_at').update({ revoked_at: now })
    },

    /** The groups with how many enabled accounts hold each. */
    async groups(): Promise<GroupRow[]> {
      return (
        (await db('staff_groups as g')
          .select(
            'g.code',
            'g.name',
            'g.name_en',
            'g.description',
            db.raw(
              '(SELECT count(*) FROM users u WHERE g.code = ANY(u.groups) AND u.disabled_at IS NULL)::int AS members',
            ),
          )
          .orderBy('g.code')) as GroupRow[]
      ).map((g) => ({ ...g, members: Number(g.members) }))
    },

    async groupExists(code: string, opts: { forUpdate?: boolean } = {}): Promise<boolean> {
      const q = db('staff_groups').where({ code }).first('code')
      return Boolean(await (opts.forUpdate ? q.forUpdate() : q))
    },

    /** Which of these codes name no group. */
    async unknownGroups(codes: string[]): Promise<string[]> {
      if (codes.length === 0) return []
      const known = new Set(
        ((await db('staff_groups').whereIn('code', codes).select('code')) as Array<{ code: string }>).map(
          (r) => r.code,
        ),
      )
      return codes.filter((c) => !known.has(c))
    },

    async insertGroup(group: {
      code: string
      name: string
      nameEn: string | null
      description: string | null
    }): Promise<void> {
      await db('staff_groups').insert({
        code: group.code,
        name: group.name,
        name_en: group.nameEn,
        description: group.description,
      })
    },

    async updateGroup(
      code: string,
      changes: { name?: string; nameEn?: string | null; description?: string | null },
    ): Promise<void> {
      const columns: Record<string, unknown> = {}
      if (changes.name !== undefined) columns['name'] = changes.name
      if (changes.nameEn !== undefined) columns['name_en'] = changes.nameEn
      if (changes.description !== undefined) columns['description'] = changes.description
      if (Object.keys(columns).length) await db('staff_groups').where({ code }).update(columns)
    },

    /** The audit log of a subtree, newest first. */
    async auditEvents(filter: AuditFilter): Promise<AuditRow[]> {
      const prefix = filter.unitPath
      const q = db('audit_events as e')
        .leftJoin('users as a', 'a.id', 'e.actor_id')
        .leftJoin('units as au', 'au.id', 'a.unit_id')
        .select(
          'e.id',
          'e.at',
          'e.actor_id',
          'a.username as actor_username',
          'e.action',
          'e.subject_type',
          'e.subject_id',
          'e.data',
        )
        .where((w) =>
          w
            .whereRaw(...inSubtree('au.path', prefix))
            .orWhereExists((s) =>
              s
                .from('units as su')
                .whereRaw("e.subject_type = 'unit' AND su.id = e.subject_id")
                .whereRaw(...inSubtree('su.path', prefix)),
            )
            .orWhereExists((s) =>
              s
                .from('users as su')
                .join('units as sn', 'sn.id', 'su.unit_id')
                .whereRaw("e.subject_type = 'user' AND su.id::text = e.subject_id")
                .whereRaw(...inSubtree('sn.path', prefix)),
            )
            .orWhereExists((s) =>
              s
                .from('dossiers as d')
                .whereRaw("e.subject_type = 'dossier' AND d.id::text = e.subject_id")
                .whereRaw(...inSubtree('d.unit_path', prefix)),
            ),
        )
        .orderBy('e.id', 'desc')
        .limit(filter.limit)
      if (filter.action) q.where('e.action', filter.action)
      if (filter.subjectType) q.where('e.subject_type', filter.subjectType)
      if (filter.subjectId) q.where('e.subject_id', filter.subjectId)
      if (filter.actor) q.where('a.username', filter.actor.toLowerCase())
      if (filter.from) q.where('e.at', '>=', filter.from)
      if (filter.to) q.where('e.at', '<', filter.to)
      if (filter.before !== undefined) q.where('e.id', '<', filter.before)
      return (await q) as AuditRow[]
    },
  }
}
