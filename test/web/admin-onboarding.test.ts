// The first day of a new installation in a real browser (issue #19): on a database without the demo seed, the first
// administrator (from `motcua admin create`) lands on the administration screens, creates a commune, imports three
// officers from a CSV (a dry run first, which reports a bad row by its line), assigns their roles and groups, and one
// of them signs in and sees an empty worklist. Then a citizen signs up in the browser, verifies the e-mail, forgets and
// resets the password, and submits a birth registration to the new commune, which these three officers receive,
// review and sign from their task pages until the citizen sees the result returned. Each step is its own subtest on
// the same world.
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import t, { type Test } from 'tap'
import type { Page } from 'playwright-core'
import { runAdminCommand } from '../../src/cli/admin.js'
import { runUnitsCommand } from '../../src/cli/units.js'
import { EMAIL_CHANNEL, smtpTransport } from '../../src/notifications/email.js'
import { OutboxSender } from '../../src/outbox/sender.js'
import { screenshot, startWebWorld } from '../helpers/browser.js'
import { eventually } from '../helpers/eventually.js'
import { makePng } from '../helpers/files.js'
import { startSmtpServer } from '../helpers/smtp.js'
import { fillBirthForm } from './citizen-form-filling.js'
import { mailLinks, passBotCheck } from './onboarding-steps.js'

// Many sign-ins from one address in a few minutes: the login rate limit is not what this file tests.
const world = await startWebWorld(t, { SEED_DEMO: 'false', RATE_LIMIT_ALLOW: '127.0.0.1' }, { seedDemo: false })
const knex = world.db.knex
const smtp = await startSmtpServer(t)
const sender = new OutboxSender({
  knex,
  transports: { [EMAIL_CHANNEL]: smtpTransport({ url: smtp.url, from: 'Một cửa <no-reply@motcua.test>' }) },
  logger: { info() {}, warn() {}, error() {} },
  pollIntervalMs: 20,
})
const linkInMail = mailLinks(sender, smtp, world.baseUrl)
/** The same database for each command line run, as `motcua … ` on the server would open. */
const openDb = async () => ({ knex, close: async () => undefined })
/** One-time passwords handed out along the way, by username. */
const passwords = new Map<string, string>()

async function signIn(page: Page, username: string): Promise<void> {
  await page.goto(`${world.baseUrl}/dang-nhap`)
  await page.getByLabel('Tên đăng nhập').fill(username)
  await page.getByLabel('Mật khẩu').fill(passwords.get(username)!)
  await page.getByRole('button', { name: 'Đăng nhập' }).click()
  await page.getByTestId('current-user').waitFor()
}

const officersCsv = (rows: string[]) =>
  Buffer.from(['Tên đăng nhập,Họ và tên,Email,Điện thoại,Vai trò,Đơn vị', ...rows].join('\r\n'), 'utf8')

t.test('a new installation has no account; motcua admin create makes the first administrator', async (t) => {
  t.equal(Number((await knex('users').count({ n: '*' }).first())?.n), 0, 'no demo accounts')
  const out: string[] = []
  const code = await runAdminCommand(
    [
      'create',
      '--username',
      'quantri-tinh',
      '--full-name',
      'Nguyễn Thị Quản Trị',
      '--province-code',
      '97',
      '--province-name',
      'UBND tỉnh Thử Nghiệm',
      '--agency-code',
      'X97',
    ],
    {
      openDb,
      stdout: { write: (s: string) => out.push(s) },
      stderr: { write: (s: string) => out.push(s) },
    },
  )
  t.equal(code, 0, code === 0 ? 'the administrator is created' : out.join(''))
  passwords.set('quantri-tinh', /initial password: (\S+)/.exec(out.join(''))![1]!)
})

t.test('the administrator lands on the units screen and creates a commune', async (t) => {
  const { page } = await world.newPage()
  await signIn(page, 'quantri-tinh')
  await page.waitForURL(/\/quan-tri$/)
  await page.getByRole('heading', { level: 1, name: 'Quản trị: đơn vị' }).waitFor()
  await page.getByLabel('Cấp đơn vị').selectOption('commune')
  await page.getByLabel('Loại', { exact: true }).selectOption('xa')
  await page.getByLabel('Tên đơn vị').first().fill('UBND xã Hoà Bình')
  await page.getByLabel('Mã đơn vị trong hệ thống').fill('xa-hoa-binh')
  await page.getByLabel('Mã định danh cơ quan').fill('X97.30')
  await page.getByLabel('Mã đơn vị hành chính (5 số)').fill('97001')
  await page.getByRole('button', { name: 'Thêm đơn vị', exact: true }).click()
  await page.getByRole('status').filter({ hasText: 'Đã thêm: UBND xã Hoà Bình' }).waitFor()
  await page.locator('tr[data-unit="xa-hoa-binh"]').waitFor()
  await page.getByRole('button', { name: 'Chọn UBND xã Hoà Bình' }).click()
  await page.getByRole('heading', { level: 3, name: 'Lịch sử' }).waitFor()
  await page.getByText('Thành lập (quantri-tinh)').waitFor()
  await screenshot(page, 'admin-units')
  t.match(await knex('units').where({ id: 'xa-hoa-binh' }).first(), {
    parent_id: 'tinh-97',
    level: 'commune',
    admin_code: '97001',
  })
})

t.test(
  'officers imported from a CSV: the dry run names the bad row by its line, the import shows passwords once',
  async (t) => {
    const { page } = await world.newPage()
    await signIn(page, 'quantri-tinh')
    await page.getByRole('navigation', { name: 'Quản trị' }).getByRole('link', { name: 'Nhập từ tệp' }).click()
    const good = [
      'mc-hoabinh,Lê Văn Một,mc@hoabinh.gov.vn,0901000001,officer,xa-hoa-binh',
      'tp-hoabinh,Trần Thị Tư,tp@hoabinh.gov.vn,0901000002,officer,X97.30',
      'ld-hoabinh,Phạm Văn Lãnh,ld@hoabinh.gov.vn,0901000003,officer,xa-hoa-binh',
    ]
    await page.getByLabel('Tệp danh sách cán bộ').setInputFiles({
      name: 'can-bo.csv',
      mimeType: 'text/csv',
      buffer: officersCsv([good[0]!, 'Sai Tên,,x@,1,officer,xa-khong-co']),
    })
    await page.getByRole('button', { name: 'Kiểm tra (không tạo tài khoản)' }).click()
    const errors = page.getByTestId('import-errors')
    await errors.waitFor()
    t.match(await errors.innerText(), /3\s+Tên đăng nhập/, 'the bad row is named by its line')
    t.match(await errors.innerText(), /Không có đơn vị đang hoạt động "xa-khong-co"/)
    await screenshot(page, 'admin-import-dry-run')
    t.equal(Number((await knex('users').count({ n: '*' }).first())?.n), 1, 'a dry run creates nothing')

    await page
      .getByLabel('Tệp danh sách cán bộ')
      .setInputFiles({ name: 'can-bo.csv', mimeType: 'text/csv', buffer: officersCsv(good) })
    await page.getByRole('button', { name: 'Kiểm tra (không tạo tài khoản)' }).click()
    await page.getByText('Tệp hợp lệ: 3 tài khoản sẽ được tạo.').waitFor()
    await page.getByRole('button', { name: 'Nhập', exact: true }).click()
    const created = page.getByTestId('import-created')
    await created.waitFor()
    for (const username of ['mc-hoabinh', 'tp-hoabinh', 'ld-hoabinh'])
      passwords.set(username, await created.locator(`tr[data-username="${username}"] .secret`).innerText())
    t.equal(passwords.size, 4)
    await screenshot(page, 'admin-import')
  },
)

t.test('the administrator assigns roles and groups', async (t) => {
  const { page } = await world.newPage()
  await signIn(page, 'quantri-tinh')
  await page.goto(`${world.baseUrl}/quan-tri/can-bo`)
  const assign = async (username: string, groups: string[], role?: string) => {
    await page.getByRole('button', { name: `Sửa ${username}` }).click()
    await page.getByRole('heading', { level: 2, name: `Sửa tài khoản ${username}` }).waitFor()
    if (role) await page.getByLabel('Vai trò').selectOption(role)
    for (const group of groups) await page.getByLabel(new RegExp(`\\(${group}\\)`)).check()
    await page.getByRole('button', { name: 'Lưu', exact: true }).click()
    await page.getByRole('heading', { level: 2, name: 'Tạo tài khoản' }).waitFor()
  }
  await assign('mc-hoabinh', ['mot-cua'])
  await assign('tp-hoabinh', ['tu-phap-ho-tich'])
  await assign('ld-hoabinh', ['lanh-dao-xa', 'lanh-dao-ubnd'], 'supervisor')
  await page.locator('tr[data-account="ld-hoabinh"]').getByText('Lãnh đạo / giám sát').waitFor()
  await screenshot(page, 'admin-accounts')
  t.match(await knex('users').where({ username: 'ld-hoabinh' }).first(), {
    kind: 'supervisor',
    unit_id: 'xa-hoa-binh',
    groups: ['lanh-dao-xa', 'lanh-dao-ubnd'],
  })
  t.match(await knex('users').where({ username: 'mc-hoabinh' }).first(), { groups: ['mot-cua'] })

  await page.getByRole('navigation', { name: 'Quản trị' }).getByRole('link', { name: 'Nhóm và vai trò' }).click()
  await page.getByRole('table', { name: 'Vai trò và quyền' }).waitFor()
  await screenshot(page, 'admin-groups')
  await page.getByRole('navigation', { name: 'Quản trị' }).getByRole('link', { name: 'Nhật ký' }).click()
  const log = page.getByTestId('audit-log')
  await log.getByText('admin.accountsImported').waitFor()
  t.match(await log.innerText(), /admin\.accountChanged/)
  await screenshot(page, 'admin-audit')
})

t.test('an imported officer signs in and sees their empty worklist', async (t) => {
  const { page } = await world.newPage()
  await signIn(page, 'mc-hoabinh')
  await page.waitForURL(/\/can-bo$/)
  await page.getByText('Không có công việc nào.').waitFor()
  t.pass('the officer of the new commune has a worklist, empty')
})

t.test('the address directory is loaded from the official list the repository ships', async (t) => {
  const out: string[] = []
  const list = join(fileURLToPath(import.meta.url), '../../../reference-data/administrative-units/vn-2025-07-01.json')
  const code = await runUnitsCommand(['import', list], {
    openDb,
    stdout: { write: (s: string) => out.push(s) },
    stderr: { write: (s: string) => out.push(s) },
  })
  t.equal(code, 0, code === 0 ? 'imported' : out.join(''))
  t.equal(Number((await knex('admin_divisions').where({ level: 'province' }).count({ n: '*' }).first())?.n), 34)
})

const citizen = {
  name: 'Lò Thị Mai',
  idNumber: '014192004567',
  phone: '0978123456',
  email: 'lo.thi.mai@example.invalid',
  username: 'lothimai',
  province: 'Thành phố Hà Nội',
  commune: 'Phường Ba Đình',
}
const firstPassword = 'Hoa-ban-nở-trắng-núi-rừng-2026'
const newPassword = 'Suối-reo-bản-làng-mùa-xuân-2027'

t.test('a citizen signs up, verifies the e-mail, forgets the password and resets it', async (t) => {
  const { page } = await world.newPage()
  await page.goto(`${world.baseUrl}/dang-ky`)
  await page.getByLabel('Họ, chữ đệm và tên').fill(citizen.name)
  await page.getByLabel('Số CCCD (12 chữ số)').fill(citizen.idNumber)
  await page.getByLabel('Thư điện tử').fill(citizen.email)
  await page.getByLabel('Tên đăng nhập').fill(citizen.username)
  await page.getByLabel('Mật khẩu', { exact: true }).fill(firstPassword)
  await page.getByLabel('Nhập lại mật khẩu').fill(firstPassword)
  await passBotCheck(t, page)
  await page.getByRole('button', { name: 'Đăng ký' }).click()
  await page.getByRole('status').filter({ hasText: 'Đã nhận yêu cầu đăng ký' }).waitFor()

  await page.goto(await linkInMail(citizen.email, /Xác nhận địa chỉ thư điện tử/))
  await page.getByText('Địa chỉ thư điện tử đã được xác thực.').waitFor()

  await page.goto(`${world.baseUrl}/quen-mat-khau`)
  await page.getByLabel('Thư điện tử').fill(citizen.email)
  await passBotCheck(t, page)
  await page.getByRole('button', { name: 'Gửi liên kết đặt lại mật khẩu' }).click()
  await page.getByRole('status').filter({ hasText: 'Nếu địa chỉ thư điện tử này thuộc một tài khoản' }).waitFor()
  await page.goto(await linkInMail(citizen.email, /Đặt lại mật khẩu/))
  await page.getByLabel('Mật khẩu mới', { exact: true }).fill(newPassword)
  await page.getByLabel('Nhập lại mật khẩu mới').fill(newPassword)
  await page.getByRole('button', { name: 'Lưu mật khẩu mới' }).click()
  await page.getByRole('status').filter({ hasText: 'Mật khẩu mới đã được lưu' }).waitFor()
  passwords.set(citizen.username, newPassword)
  t.match(await knex('users').where({ username: citizen.username }).first(), {
    kind: 'citizen',
    id_number: citizen.idNumber,
  })
})

let dossierId = ''

t.test('the citizen submits a birth registration to the new commune', async (t) => {
  const { page } = await world.newPage()
  await signIn(page, citizen.username)
  await page.goto(`${world.baseUrl}/thu-tuc/dang-ky-khai-sinh`)
  await page.getByRole('button', { name: 'Nộp hồ sơ trực tuyến' }).click()
  await page.waitForURL(/\/nop-ho-so\//)
  await fillBirthForm(page, citizen)
  const pdf = { mimeType: 'image/png', buffer: makePng() }
  for (const [heading, name] of [
    ['Tờ khai đăng ký khai sinh theo mẫu', 'to-khai.png'],
    ['Bản chính Giấy chứng sinh', 'giay-chung-sinh.png'],
  ] as const) {
    const panel = page.locator('.component').filter({ has: page.getByRole('heading', { name: heading }) })
    await panel.getByLabel('Chọn tệp').setInputFiles({ ...pdf, name })
    await panel.getByText(`Đã đính kèm: ${name}`).waitFor()
  }
  await page.getByLabel('Cơ quan tiếp nhận').selectOption({ label: 'UBND xã Hoà Bình' })
  await page.getByLabel('Nhận trực tuyến').check()
  await page.getByRole('button', { name: 'Nộp hồ sơ' }).click()
  await page.getByRole('heading', { level: 1, name: 'Đã nộp hồ sơ' }).waitFor()
  dossierId = new URL(page.url()).searchParams.get('ho-so')!
  t.match(await knex('dossiers').where({ id: dossierId }).first(), { agency_unit_id: 'xa-hoa-binh' })
})

/** The officer signs in, opens the step of the dossier from their worklist, takes it, decides and completes it. */
async function workTask(t: Test, username: string, elementId: string, decision: string): Promise<void> {
  const taskKey = await eventually(
    `${elementId} of the dossier`,
    async () =>
      (await knex('tasks').where({ dossier_id: dossierId, element_id: elementId, state: 'CREATED' }).first())
        ?.user_task_key as string | undefined,
    30_000,
  )
  const { page } = await world.newPage()
  await signIn(page, username)
  // A leader lands on the supervision screen; the worklist is one click away for everyone.
  await page.getByRole('link', { name: 'Nhiệm vụ', exact: true }).click()
  const link = page.locator(`a[href="/can-bo/nhiem-vu/${encodeURIComponent(taskKey)}"]`)
  await link.waitFor()
  t.pass(`${username} finds ${elementId} in their worklist`)
  await link.click()
  await page.getByRole('button', { name: 'Nhận xử lý' }).click()
  await page.getByRole('radio', { name: decision }).check()
  await page.getByRole('button', { name: 'Hoàn thành' }).click()
  await page.getByText('Đã hoàn thành công việc.').waitFor()
}

t.test('the imported officers receive, review and sign it; the citizen sees the result returned', async (t) => {
  await workTask(t, 'mc-hoabinh', 'Task_Receive', 'Tiếp nhận')
  await workTask(t, 'tp-hoabinh', 'Task_Review', 'Đồng ý, chuyển bước tiếp theo')
  await workTask(t, 'ld-hoabinh', 'Task_Sign', 'Đồng ý, chuyển bước tiếp theo')
  await eventually(
    'the result returned (status 10)',
    async () => {
      return (await knex('dossiers').where({ id: dossierId }).first('status')).status === 10
    },
    30_000,
  )

  const { page } = await world.newPage()
  await signIn(page, citizen.username)
  await page.goto(`${world.baseUrl}/ho-so-cua-toi/${dossierId}`)
  t.match(await page.getByTestId('dossier-code').textContent(), /^X97\.30-\d{6}-\d{4}$/, 'the new commune’s code')
  await page.locator('dl.facts').getByText('Đã trả kết quả').waitFor()
  const assignees: string[] = await knex('tasks')
    .where({ dossier_id: dossierId })
    .whereNotNull('assignee')
    .orderBy('created_at')
    .pluck('assignee')
  const usernames = new Map(
    (await knex('users').select('id', 'username')).map((u: { id: string; username: string }) => [u.id, u.username]),
  )
  const handledBy = assignees.map((id) => usernames.get(id) ?? id)
  t.same(handledBy, ['mc-hoabinh', 'tp-hoabinh', 'ld-hoabinh'], 'the three imported officers handled it, in order')
})

t.test('the leader’s on-time table leaves the reception step, which has no deadline, out of the share', async (t) => {
  const { page } = await world.newPage()
  await signIn(page, 'ld-hoabinh')
  const table = page.getByTestId('handling-unit-table')
  const row = (name: string) => table.getByRole('row').filter({ hasText: name })
  await row('Kiểm tra, tiếp nhận hồ sơ').waitFor()
  const cells = async (name: string) => (await row(name).getByRole('cell').allInnerTexts()).map((c) => c.trim())
  t.same(
    (await cells('Kiểm tra, tiếp nhận hồ sơ')).slice(0, 4),
    ['1', '0', '0', '—'],
    'finished, neither on time nor late',
  )
  t.same(
    (await cells('UBND xã Hoà Bình')).slice(0, 4),
    ['3', '2', '0', '100 %'],
    'two steps with a deadline, both on time',
  )
  await screenshot(page, 'supervisor-new-commune')
})
