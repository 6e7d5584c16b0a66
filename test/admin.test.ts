// Specification: administration. The first administrator comes from `motcua admin create`; an administrator adds,
// changes, moves and closes units with their history kept; creates officer accounts, disables and re-enables them,
// resets their password, imports them from CSV or XLSX (a dry run reports every bad row, a bad file creates nothing);
// every change is audited, and supervisors and administrators read the audit log.
import t from 'tap'
import ExcelJS from 'exceljs'
import { runAdminCommand } from '../src/cli/admin.js'
import { buildTestApp } from './helpers/app.js'
import { apiClient } from './helpers/api.js'

// Many logins in one file: the test client is exempt from the login rate limit (tested in config-rate-limit.test.ts).
const built = await buildTestApp(t, { RATE_LIMIT_ALLOW: '127.0.0.1' })
const { app } = built
const knex = built.db.knex
const api = apiClient(built)

const login = (username: string, password: string) =>
  app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password } })
const call = async (method: 'GET' | 'POST' | 'PATCH', url: string, auth: string, payload?: unknown) =>
  app.inject({
    method,
    url,
    headers: { authorization: auth },
    ...(payload !== undefined ? { payload: payload as object } : {}),
  })
const audited = async (action: string, subjectId: string) =>
  knex('audit_events').where({ action, subject_id: subjectId }).count({ n: '*' }).first()

t.test('motcua admin create makes the first administrator and, on a new installation, the province', async (t) => {
  const out: string[] = []
  const err: string[] = []
  const deps = {
    openDb: async () => ({ knex, close: async () => undefined }),
    stdout: { write: (s: string) => out.push(s) },
    stderr: { write: (s: string) => err.push(s) },
  }
  const code = await runAdminCommand(
    [
      'create',
      '--username',
      'qt-tinh98',
      '--full-name',
      'Nguyễn Quản Trị',
      '--province-code',
      '98',
      '--province-name',
      'UBND tỉnh Thử',
      '--agency-code',
      'X98',
    ],
    deps,
  )
  t.equal(code, 0, err.join(''))
  const password = /initial password: (\S+)/.exec(out.join(''))?.[1]
  t.ok(password, 'the initial password is printed once')
  const unit = await knex('units').where({ id: 'tinh-98' }).first()
  t.match(unit, { level: 'province', kind: 'tinh', admin_code: '98', agency_code: 'X98', path: '/tinh-98/' })
  const res = await login('qt-tinh98', password!)
  t.equal(res.statusCode, 200)
  t.match(res.json().user, { kind: 'administrator', unitId: 'tinh-98' })
  const units = await call('GET', '/api/admin/units', `Bearer ${res.json().accessToken}`)
  t.same(
    units.json().items.map((u: { id: string }) => u.id),
    ['tinh-98'],
    'the new administrator manages their province only',
  )

  err.length = 0
  t.equal(
    await runAdminCommand(['create', '--username', 'qt-tinh98', '--full-name', 'X', '--unit', 'tinh-98'], deps),
    1,
  )
  t.match(err.join(''), /taken/)
  t.equal(await runAdminCommand(['create', '--username', 'x1', '--full-name', 'X'], deps), 2, 'no unit: a usage error')
  t.equal(
    await runAdminCommand(['create', '--username', 'x1', '--full-name', 'X', '--province-code', '7'], deps),
    2,
    'a province code has two digits',
  )
})

t.test('units: added under the two-level rules, changed, moved and closed with their history', async (t) => {
  const { authorization } = await api.as('quantri')
  const created = await call('POST', '/api/admin/units', authorization, {
    id: 'xa-moi',
    parentId: 'tinh-demo',
    name: 'UBND xã Mới',
    level: 'commune',
    kind: 'xa',
    adminCode: '99903',
    agencyCode: 'X99.32',
  })
  t.equal(created.statusCode, 201, created.body)
  t.match(created.json(), { id: 'xa-moi', path: '/tinh-demo/xa-moi/', closedAt: null })

  const refusals: Array<[unknown, number, string]> = [
    [{ id: 'huyen-moi', parentId: 'tinh-demo', name: 'Huyện', level: 'district' }, 400, 'MC_ERR_VALIDATION'],
    [{ id: 'xa-con', parentId: 'xa-moi', name: 'Xã con', level: 'commune', kind: 'xa' }, 422, 'MC_ERR_UNIT_PLACEMENT'],
    [
      { id: 'xa-trung', parentId: 'tinh-demo', name: 'Trùng mã', level: 'commune', kind: 'xa', adminCode: '99901' },
      409,
      'MC_ERR_UNIT_TAKEN',
    ],
    [{ id: 'xa-moi', parentId: 'tinh-demo', name: 'Trùng id', level: 'commune', kind: 'xa' }, 409, 'MC_ERR_UNIT_TAKEN'],
    [{ id: 'xa-k', parentId: 'tinh-demo', name: 'Không loại', level: 'commune' }, 400, 'MC_ERR_VALIDATION'],
  ]
  const before = await knex('units').count({ n: '*' }).first()
  for (const [body, status, code] of refusals) {
    const res = await call('POST', '/api/admin/units', authorization, body)
    t.equal(res.statusCode, status, `${JSON.stringify(body)}: ${res.body}`)
    t.equal(res.json().code, code)
    t.ok(res.json().message.vi && res.json().message.en, 'messages in Vietnamese and English')
  }
  t.same(await knex('units').count({ n: '*' }).first(), before, 'no refused unit was written')

  const renamed = await call('PATCH', '/api/admin/units/xa-moi', authorization, {
    name: 'UBND phường Mới',
    kind: 'phuong',
    reason: 'Nghị quyết sắp xếp',
  })
  t.equal(renamed.statusCode, 200, renamed.body)
  t.match(renamed.json(), { name: 'UBND phường Mới', kind: 'phuong' })

  const office = await call('POST', '/api/admin/units', authorization, {
    id: 'xa-moi-tu-phap',
    parentId: 'xa-moi',
    name: 'Bộ phận tư pháp',
    level: 'office',
  })
  t.equal(office.statusCode, 201, office.body)
  const moved = await call('POST', '/api/admin/units/xa-moi-tu-phap/move', authorization, {
    parentId: 'xa-an-binh',
    reason: 'Sáp nhập',
  })
  t.equal(moved.statusCode, 200, moved.body)
  t.equal(moved.json().path, '/tinh-demo/xa-an-binh/xa-moi-tu-phap/')
  const intoItself = await call('POST', '/api/admin/units/xa-moi/move', authorization, {
    parentId: 'xa-moi',
    reason: 'x',
  })
  t.equal(intoItself.json().code, 'MC_ERR_UNIT_PLACEMENT')

  const closed = await call('POST', '/api/admin/units/xa-moi-tu-phap/close', authorization, { reason: 'Giải thể' })
  t.equal(closed.statusCode, 200, closed.body)
  t.ok(closed.json().closedAt)
  const history = await call('GET', '/api/admin/units/xa-moi-tu-phap/history', authorization)
  t.same(
    history.json().items.map((h: { change: string; actor: string }) => [h.change, h.actor]),
    [
      ['created', 'quantri'],
      ['moved', 'quantri'],
      ['closed', 'quantri'],
    ],
  )
  t.match(history.json().items[1], {
    before: { parentId: 'xa-moi', path: '/tinh-demo/xa-moi/xa-moi-tu-phap/' },
    reason: 'Sáp nhập',
  })
  const underClosed = await call('POST', '/api/admin/units', authorization, {
    id: 'van-phong',
    parentId: 'xa-moi-tu-phap',
    name: 'x',
    level: 'office',
  })
  t.equal(underClosed.json().code, 'MC_ERR_UNIT_CLOSED')
  const busy = await call('POST', '/api/admin/units/xa-an-binh/close', authorization, { reason: 'x' })
  t.equal(busy.statusCode, 409)
  t.equal(busy.json().code, 'MC_ERR_UNIT_NOT_EMPTY', 'a unit with accounts cannot close')
  t.match(await audited('admin.unitMoved', 'xa-moi-tu-phap'), { n: 1 })
  t.match(await audited('admin.unitClosed', 'xa-moi-tu-phap'), { n: 1 })
})

t.test('officer accounts: created with a one-time password, disabled, enabled, password reset', async (t) => {
  const { authorization } = await api.as('quantri')
  const created = await call('POST', '/api/admin/accounts', authorization, {
    username: 'mc-moi',
    fullName: 'Lê Một Cửa',
    email: 'mc-moi@xa-moi.gov.vn',
    kind: 'officer',
    unitId: 'xa-moi',
    groups: ['mot-cua'],
    signingCertificateRef: 'pkcs12:mc-moi-2026',
  })
  t.equal(created.statusCode, 201, created.body)
  const { account, initialPassword } = created.json()
  t.match(account, {
    username: 'mc-moi',
    unitId: 'xa-moi',
    groups: ['mot-cua'],
    signingCertificateRef: 'pkcs12:mc-moi-2026',
  })
  const session = await login('mc-moi', initialPassword)
  t.equal(session.statusCode, 200)
  const tasks = await call('GET', '/api/tasks', `Bearer ${session.json().accessToken}`)
  t.equal(tasks.statusCode, 200, 'the new officer reads their worklist')

  for (const [body, code] of [
    [{ username: 'mc-moi', fullName: 'X', kind: 'officer', unitId: 'xa-moi', groups: [] }, 'MC_ERR_USERNAME_TAKEN'],
    [
      { username: 'mc-2', fullName: 'X', kind: 'officer', unitId: 'xa-moi', groups: ['khong-co'] },
      'MC_ERR_GROUP_NOT_FOUND',
    ],
    [{ username: 'mc-3', fullName: 'X', kind: 'officer', unitId: 'xa-khong-co', groups: [] }, 'MC_ERR_UNIT_NOT_FOUND'],
    [{ username: 'mc-4', fullName: 'X', kind: 'citizen', unitId: 'xa-moi', groups: [] }, 'MC_ERR_VALIDATION'],
  ] as const) {
    const res = await call('POST', '/api/admin/accounts', authorization, body)
    t.equal(res.json().code, code, JSON.stringify(body))
  }

  const changed = await call('PATCH', `/api/admin/accounts/${account.id}`, authorization, {
    groups: ['mot-cua', 'tu-phap-ho-tich'],
    kind: 'supervisor',
  })
  t.match(changed.json(), { kind: 'supervisor', groups: ['mot-cua', 'tu-phap-ho-tich'] })
  const refreshed = await app.inject({
    method: 'POST',
    url: '/api/auth/refresh',
    payload: { refreshToken: session.json().refreshToken },
  })
  t.equal(refreshed.statusCode, 401, 'a new role ends the sessions: the next login carries it')

  const disabled = await call('POST', `/api/admin/accounts/${account.id}/disable`, authorization, {
    reason: 'Nghỉ việc',
  })
  t.ok(disabled.json().disabledAt)
  const refused = await login('mc-moi', initialPassword)
  t.equal(refused.statusCode, 401)
  t.equal(refused.json().code, 'MC_ERR_LOGIN_FAILED', 'a disabled account answers like a wrong password')
  await call('POST', `/api/admin/accounts/${account.id}/enable`, authorization, { reason: 'Trở lại' })
  t.equal((await login('mc-moi', initialPassword)).statusCode, 200)

  const reset = await call('POST', `/api/admin/accounts/${account.id}/reset-password`, authorization)
  t.equal(reset.statusCode, 200)
  t.equal((await login('mc-moi', initialPassword)).statusCode, 401, 'the old password no longer works')
  t.equal((await login('mc-moi', reset.json().temporaryPassword)).statusCode, 200)

  const quantri = (await knex('users').where({ username: 'quantri' }).first('id')) as { id: string }
  const self = await call('POST', `/api/admin/accounts/${quantri.id}/disable`, authorization, { reason: 'x' })
  t.equal(self.json().code, 'MC_ERR_ADMIN_SELF', 'an administrator cannot lock themselves out')
  for (const action of ['admin.accountCreated', 'admin.accountChanged', 'admin.accountDisabled', 'admin.passwordReset'])
    t.match(await audited(action, account.id), { n: 1 }, action)
  const stored = await knex('audit_events').where({ subject_id: account.id }).select('data')
  t.notMatch(JSON.stringify(stored), initialPassword, 'no password in the audit log')
})

t.test('import: a dry run reports every bad row with its line; a bad file creates nothing', async (t) => {
  const { authorization } = await api.as('quantri')
  const bad = [
    'Tên đăng nhập,Họ và tên,Email,Điện thoại,Vai trò,Đơn vị,Nhóm',
    'nv-a,Nguyễn Văn A,a@x.vn,0901234567,officer,xa-moi,mot-cua',
    'NV A!,Trần B,b@x,12,king,xa-khong-co,khong-co',
    'nv-a,,c@x.vn,,officer,X99.32,',
    'motcua-xa,Đã có,d@x.vn,,officer,xa-moi,',
  ].join('\r\n')
  const before = await knex('users').count({ n: '*' }).first()
  const dry = await call('POST', '/api/admin/accounts/import', authorization, {
    format: 'csv',
    content: bad,
    dryRun: true,
  })
  t.equal(dry.statusCode, 200, dry.body)
  t.equal(dry.json().rows, 4)
  t.same(
    dry.json().errors.map((e: { line: number; field: string }) => `${e.line}:${e.field}`),
    ['3:username', '3:email', '3:phone', '3:kind', '3:unit', '3:groups', '4:username', '4:fullName', '5:username'],
  )
  t.ok(dry.json().errors.every((e: { message: { vi: string; en: string } }) => e.message.vi && e.message.en))
  const applied = await call('POST', '/api/admin/accounts/import', authorization, {
    format: 'csv',
    content: bad,
    dryRun: false,
  })
  t.equal(applied.statusCode, 422)
  t.equal(applied.json().code, 'MC_ERR_IMPORT_INVALID')
  t.equal(applied.json().errors.length, 9)
  t.same(await knex('users').count({ n: '*' }).first(), before, 'nothing was created')

  const workbook = new ExcelJS.Workbook()
  const sheet = workbook.addWorksheet('Cán bộ')
  sheet.addRow(['username', 'full_name', 'phone', 'kind', 'unit', 'groups'])
  sheet.addRow(['nv-x1', 'Phạm Xuân', '0912000111', 'officer', 'X99.32', 'mot-cua;tu-phap-ho-tich'])
  sheet.addRow(['nv-x2', 'Đỗ Hạ', '', 'supervisor', 'xa-moi', 'lanh-dao-xa'])
  sheet.getCell('C2').numFmt = '@'
  const xlsx = Buffer.from(await workbook.xlsx.writeBuffer()).toString('base64')
  const imported = await call('POST', '/api/admin/accounts/import', authorization, {
    format: 'xlsx',
    content: xlsx,
    dryRun: false,
  })
  t.equal(imported.statusCode, 200, imported.body)
  t.same(
    imported.json().created.map((c: { username: string }) => c.username),
    ['nv-x1', 'nv-x2'],
  )
  const x1 = await knex('users').where({ username: 'nv-x1' }).first()
  t.match(x1, { unit_id: 'xa-moi', groups: ['mot-cua', 'tu-phap-ho-tich'], phone: '0912000111', kind: 'officer' })
  const x1Login = await login('nv-x1', imported.json().created[0].initialPassword)
  t.equal(x1Login.statusCode, 200)

  const notAFile = await call('POST', '/api/admin/accounts/import', authorization, {
    format: 'xlsx',
    content: Buffer.from('not a zip').toString('base64'),
    dryRun: true,
  })
  t.equal(notAFile.json().code, 'MC_ERR_IMPORT_FILE')
  const noHeader = await call('POST', '/api/admin/accounts/import', authorization, {
    format: 'csv',
    content: 'a,b\n1,2\n',
    dryRun: true,
  })
  t.equal(noHeader.json().code, 'MC_ERR_IMPORT_FILE')
})

t.test('groups and roles', async (t) => {
  const { authorization } = await api.as('quantri')
  const groups = await call('GET', '/api/admin/groups', authorization)
  t.match(
    groups.json().items.find((g: { code: string }) => g.code === 'mot-cua'),
    { name: 'Bộ phận một cửa', members: Number },
  )
  const created = await call('POST', '/api/admin/groups', authorization, {
    code: 'van-thu',
    name: 'Văn thư',
    nameEn: 'Records office',
  })
  t.equal(created.statusCode, 201, created.body)
  t.equal((await call('POST', '/api/admin/groups', authorization, { code: 'van-thu', name: 'x' })).statusCode, 409)
  const roles = await call('GET', '/api/admin/roles', authorization)
  t.same(roles.json().items.find((r: { kind: string }) => r.kind === 'administrator').permissions, [
    'catalogue.read',
    'calendar.edit',
    'users.manage',
    'units.manage',
    'audit.read',
  ])
})

t.test('the audit log: supervisors and administrators read and filter it; others may not', async (t) => {
  const admin = await api.as('quantri')
  const all = await call('GET', '/api/admin/audit?action=admin.unitCreated&limit=1', admin.authorization)
  t.equal(all.statusCode, 200, all.body)
  t.equal(all.json().items.length, 1)
  t.ok(all.json().items.every((e: { action: string; actor: string }) => e.action === 'admin.unitCreated'))
  t.ok(all.json().nextCursor, 'more pages')
  const next = await call(
    'GET',
    `/api/admin/audit?action=admin.unitCreated&limit=1&cursor=${all.json().nextCursor}`,
    admin.authorization,
  )
  t.ok(next.json().items[0].id < all.json().items[0].id, 'the next page is older')
  t.notOk(
    [...all.json().items, ...next.json().items].some((e: { subjectId: string }) => e.subjectId === 'tinh-98'),
    "another province's events are not in the administrator's log",
  )
  const byActor = await call('GET', '/api/admin/audit?actor=quantri&subjectType=user', admin.authorization)
  t.ok(byActor.json().items.length >= 1)
  t.ok(byActor.json().items.every((e: { actor: string; subjectType: string }) => e.actor === 'quantri'))

  const supervisor = await api.as('lanhdao-xa')
  const communeLog = await call('GET', '/api/admin/audit?limit=200', supervisor.authorization)
  t.equal(communeLog.statusCode, 200)
  t.notOk(
    communeLog.json().items.some((e: { subjectId: string }) => e.subjectId === 'xa-moi'),
    "a commune's supervisor does not see another unit's events",
  )
  for (const who of ['congdan', 'motcua-xa', 'phantich']) {
    const res = await call('GET', '/api/admin/audit', (await api.as(who)).authorization)
    t.equal(res.statusCode, 403, who)
  }
  const officerOnUnits = await call('GET', '/api/admin/units', (await api.as('lanhdao-xa')).authorization)
  t.equal(officerOnUnits.statusCode, 403, 'a supervisor does not manage units')
})
