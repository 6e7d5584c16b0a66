// The supervisor dashboard in a real browser, as lanhdao (tỉnh Demo) sees it: the process heatmap with exactly one
// active instance on the element where the dossier waits; the overdue list (red, with its words) and due-soon (amber)
// with reassignment to an officer of the task's group; the bottleneck table; Biểu II.06a with its CSV download; the
// Decision 766 drill-down; the trend charts.
import { randomUUID } from 'node:crypto'
import { readFileSync } from 'node:fs'
import t from 'tap'
import type { Principal } from '../../src/auth/principal.js'
import { seedCalendar } from '../../src/db/calendar-repository.js'
import { screenshot, startWebWorld } from '../helpers/browser.js'
import { birthForm } from '../helpers/dossiers.js'
import { eventually } from '../helpers/eventually.js'

const world = await startWebWorld(t)
const knex = world.db.knex
await seedCalendar(knex)
const { service } = world.dossiers

async function principal(username: string): Promise<Principal> {
  const u = await knex('users as u')
    .join('units as n', 'n.id', 'u.unit_id')
    .where('u.username', username)
    .first('u.id', 'u.kind', 'u.unit_id', 'n.path', 'u.groups')
  return { userId: u.id, username, kind: u.kind, unitId: u.unit_id, unitPath: u.path, groups: u.groups }
}
async function citizen(): Promise<Principal> {
  const u = await knex('users').where({ username: 'congdan' }).first('id', 'kind', 'groups')
  return { userId: u.id, username: 'congdan', kind: u.kind, groups: u.groups }
}
const congdan = await citizen()
const counter = await principal('motcua-xa')

/** The civil date (YYYY-MM-DD) in Asia/Ho_Chi_Minh. */
const civilDay = (d: Date) => new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Ho_Chi_Minh' }).format(d)

/** YYYY-MM of the month before. */
function monthBefore(month: string): string {
  const [y, m] = month.split('-').map(Number) as [number, number]
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`
}

const openTask = (dossierId: string, elementId: string) =>
  eventually(`${elementId} of ${dossierId}`, () =>
    knex('tasks').where({ dossier_id: dossierId, element_id: elementId, state: 'CREATED' }).first(),
  )

let key = 0
/** The citizen submits online with every required document attached; the dossier waits at the counter's reception. */
async function submit(procedure: string, formData: Record<string, unknown>, components: string[]): Promise<string> {
  const attachments = []
  for (const componentId of components) {
    const sha = `${String(++key).padStart(4, '0')}${'f'.repeat(60)}`
    const [file] = await knex('files')
      .insert({
        sha256: sha,
        size: 100,
        mime: 'application/pdf',
        original_name: `${componentId}.pdf`,
        storage_key: sha,
        created_by: congdan.userId,
      })
      .returning('id')
    attachments.push({ componentId, fileId: (file as { id: string }).id })
  }
  const { dossierId } = await service.submit(congdan, {
    procedure,
    agencyUnitId: 'xa-an-binh',
    formData,
    deliveryMethod: 'counter',
    attachments,
    idempotencyKey: `sv-${++key}`,
  })
  await openTask(dossierId, 'Task_Receive')
  return dossierId
}

const marriageForm = {
  nguoiYeuCau: {
    hoTen: 'Nguyễn Văn An',
    soDinhDanh: '001090000001',
    soDienThoai: '0912345678',
    noiCuTru: { tinh: 'Tỉnh Demo', xa: 'Xã An Bình' },
  },
  tinhTrangHonNhan: 'chua-ket-hon',
  mucDichSuDung: 'Đăng ký kết hôn',
}
/**
 * A marriage-status dossier the counter has accepted: it waits at Task_Review (group tu-phap-ho-tich), due in 3 working
 * days.
 */
async function accepted(): Promise<{ id: string; code: string }> {
  const id = await submit('xac-nhan-tinh-trang-hon-nhan', marriageForm, ['to-khai', 'giay-to-tuy-than'])
  await service.receive(counter, id)
  await openTask(id, 'Task_Review')
  const d = await eventually('the code', () => knex('dossiers').where({ id }).whereNotNull('code').first('code'))
  return { id, code: d.code }
}

// Exactly one birth registration, waiting at the counter's reception task: the heatmap's scenario.
const birth = await submit('dang-ky-khai-sinh', birthForm, ['to-khai', 'giay-chung-sinh', 'giay-to-tuy-than'])
// M1 is made overdue: its due (the original one, R9) is set ten days back. M2 keeps its due in 3 working days.
const m1 = await accepted()
const m2 = await accepted()
const receiptMonth = (
  (await knex('dossiers').where({ id: m1.id }).first(knex.raw(`to_char(receipt_date, 'YYYY-MM') AS m`))) as {
    m: string
  }
).m
const past = new Date(Date.now() - 10 * 86_400_000)
const pastDay = civilDay(past)
await knex('dossiers')
  .where({ id: m1.id })
  .update({
    due_date: pastDay,
    original_due_date: pastDay,
    due_at: `${pastDay}T17:00:00+07:00`,
    original_due_at: `${pastDay}T17:00:00+07:00`,
  })

// Last month, as the read model records finished dossiers: two marriage-status dossiers received on the 10th and
// resolved, one on its due date, one two days after it (the trends' on-time rate: 50 %).
const lastMonth = monthBefore(civilDay(new Date()).slice(0, 7))
const template = await knex('dossiers')
  .where({ id: m2.id })
  .first(
    'procedure_id',
    'procedure_version_id',
    'procedure_code',
    'procedure_slug',
    'procedure_name',
    'agency_unit_id',
    'unit_path',
  )
for (const [n, finished] of [
  [1, '14'],
  [2, '16'],
] as const) {
  await knex('dossiers').insert({
    ...template,
    id: randomUUID(),
    code: `X99.30-OLD-000${n}`,
    applicant_name: 'Người nộp',
    channel: 'online',
    delivery_method: 'counter',
    status: 10,
    submitted_at: `${lastMonth}-10T08:00:00+07:00`,
    accepted_at: `${lastMonth}-10T09:00:00+07:00`,
    receipt_date: `${lastMonth}-10`,
    due_date: `${lastMonth}-14`,
    original_due_date: `${lastMonth}-14`,
    due_at: `${lastMonth}-14T23:59:59+07:00`,
    original_due_at: `${lastMonth}-14T23:59:59+07:00`,
    finished_at: `${lastMonth}-${finished}T10:00:00+07:00`,
  })
}

const { page } = await world.newPage()
// A script error anywhere in the app shows in the test's output, not only as a missing element.
page.on('pageerror', (err) => console.error(`page error: ${err.message}`))
await world.login(page, 'lanhdao')

t.test(
  'the heatmap shows the one waiting birth registration on the reception task, and nothing anywhere else',
  async (t) => {
    await page.getByRole('link', { name: 'Bản đồ nhiệt quy trình' }).click()
    await page.getByRole('link', { name: 'Đăng ký khai sinh', exact: true }).click()
    await page.getByRole('heading', { level: 1, name: /Bản đồ nhiệt: Đăng ký khai sinh/ }).waitFor()
    await page.locator('[data-testid="heatmap-canvas"][data-drawn="yes"]').waitFor()
    const badges = page.locator('[data-testid="heatmap-canvas"] .djs-overlays .heat-badge')
    t.equal(await badges.count(), 1, 'one element carries an active-instance badge')
    const onReception = page.locator(
      '[data-testid="heatmap-canvas"] .djs-overlays[data-container-id="Task_Receive"] .heat-badge',
    )
    t.equal(await onReception.textContent(), '1', 'the badge "1" is on the reception task')
    t.ok(await onReception.isVisible(), 'and it is drawn')
    // The accessible table says the same: one row, the reception task, one waiting.
    const rows = page.locator('[data-testid="heatmap-table"] tbody tr')
    t.equal(await rows.count(), 1)
    t.equal(await rows.first().getAttribute('data-element-id'), 'Task_Receive')
    t.match(await rows.first().locator('td').nth(1).textContent(), /^1$/, 'waiting now: 1')
    t.match(
      await page.getByTestId('heatmap-canvas').getAttribute('aria-label'),
      /1 hồ sơ đang chờ/,
      'the diagram’s text alternative counts it',
    )
    const reception = await knex('tasks').where({ dossier_id: birth, element_id: 'Task_Receive' }).first('state')
    t.equal(reception.state, 'CREATED', 'the dossier is still waiting there')

    // Readable at first sight (issue #20): the diagram opens at a scale where a step's name can be read, with
    // the busy step inside the frame; "whole diagram" fits it all, "readable size" comes back.
    const scale = async () => {
      const transform = await page.locator('[data-testid="heatmap-canvas"] .viewport').getAttribute('transform')
      return Number(/matrix\(([\d.e-]+)/.exec(transform ?? '')?.[1])
    }
    t.ok((await scale()) >= 0.8, `opens at a readable scale (${await scale()})`)
    const frame = (await page.getByTestId('heatmap-canvas').boundingBox())!
    const badge = (await onReception.boundingBox())!
    t.ok(
      badge.x >= frame.x && badge.x + badge.width <= frame.x + frame.width && badge.y >= frame.y,
      'the waiting step is in the frame',
    )
    await screenshot(page, 'supervisor-heatmap')
    await page.getByRole('button', { name: 'Xem toàn bộ' }).click()
    t.ok((await scale()) < 0.8, 'the whole wide diagram is smaller')
    await page.getByRole('button', { name: 'Phóng to' }).click()
    await page.getByRole('button', { name: 'Cỡ dễ đọc' }).click()
    t.ok((await scale()) >= 0.8, 'back to the readable size')
  },
)

t.test(
  'overdue in red with its words, due soon in amber when the window is widened, reassigned to an officer of the group',
  async (t) => {
    await page.getByRole('link', { name: 'Quá hạn và điểm nghẽn' }).click()
    const table = page.getByTestId('overdue-table')
    const late = table.locator(`tr[data-dossier-code="${m1.code}"]`)
    await late.waitFor()
    t.equal(await late.getAttribute('class'), 'due-overdue', 'the overdue row is red')
    const api = (await (
      await fetch(`${world.baseUrl}/api/supervision/overdue`, { headers: await world.loginAs('lanhdao') })
    ).json()) as { items: { code: string; workingDaysLate: number }[] }
    const days = api.items.find((i) => i.code === m1.code)!.workingDaysLate
    t.ok(days > 0)
    t.equal(
      await late.getByTestId('standing').textContent(),
      `Quá hạn ${days} ngày làm việc`,
      'and says how late in words, not only in colour',
    )
    t.match(
      await late.locator('td').nth(2).textContent(),
      /^Kiểm tra, xác minh tình trạng hôn nhânUBND xã An Bình$/,
      'the step and the unit holding it',
    )
    t.match(await late.textContent(), /Chưa có người nhận/, 'nobody has claimed it')
    t.equal(
      await table.locator(`tr[data-dossier-code="${m2.code}"]`).count(),
      0,
      'M2 is due in 3 working days: not within 1',
    )

    await page.getByLabel('Sắp đến hạn trong (ngày làm việc)').fill('5')
    const soon = table.locator(`tr[data-dossier-code="${m2.code}"]`)
    await soon.waitFor()
    t.equal(await soon.getAttribute('class'), 'due-soon', 'within 5 working days M2 shows amber')
    t.equal(await soon.getByTestId('standing').textContent(), 'Sắp đến hạn')
    await screenshot(page, 'supervisor-overdue')

    await late.getByRole('button', { name: /Giao lại/ }).click()
    const select = page.getByLabel(`Giao hồ sơ ${m1.code} cho`)
    await select.waitFor()
    const options = await select.locator('option').allTextContents()
    t.same(
      options.slice(1),
      ['Vũ Văn Hải (tuphap-xa, UBND xã An Bình)'],
      'only the officer of tu-phap-ho-tich is offered',
    )
    await select.selectOption({ label: 'Vũ Văn Hải (tuphap-xa, UBND xã An Bình)' })
    await page.getByRole('button', { name: 'Xác nhận giao' }).click()
    await page
      .getByRole('status')
      .filter({ hasText: `Đã giao hồ sơ ${m1.code} cho Vũ Văn Hải.` })
      .waitFor()
    await eventually('the new holder in the list', async () => /Vũ Văn Hải/.test((await late.textContent()) ?? ''))
    const task = await knex('tasks')
      .where({ dossier_id: m1.id, element_id: 'Task_Review', state: 'CREATED' })
      .first('assignee')
    const tuphap = await knex('users').where({ username: 'tuphap-xa' }).first('id')
    t.equal(task.assignee, tuphap.id, 'the task is his now')

    await page.getByRole('button', { name: 'Switch to English' }).click()
    t.equal(
      await late.getByTestId('standing').textContent(),
      `Overdue by ${days} working day${days === 1 ? '' : 's'}`,
      'in English too',
    )
    await page.getByRole('button', { name: 'Chuyển sang tiếng Việt' }).click()
    await page.getByRole('heading', { level: 1, name: 'Giám sát giải quyết hồ sơ' }).waitFor()
  },
)

t.test('the bottleneck table lists the steps with waiting dossiers, sorts, and links to the heatmap', async (t) => {
  const table = page.getByTestId('bottleneck-table')
  const row = table.locator('tbody tr').filter({ hasText: 'Cấp Giấy xác nhận tình trạng hôn nhân' }).first()
  await row.waitFor()
  const waiting = page.getByRole('columnheader', { name: /Đang chờ/ })
  t.equal(await waiting.getAttribute('aria-sort'), 'descending', 'most waiting first')
  await waiting.getByRole('button').focus()
  await page.keyboard.press('Enter')
  t.equal(await waiting.getAttribute('aria-sort'), 'ascending', 'a second click turns the order round')
  // M1's reception took 5 hours, M2's a moment: a mean of about 2.5 hours colours the reception task (1–4 hours).
  await knex('tasks')
    .where({ dossier_id: m1.id, element_id: 'Task_Receive' })
    .update({ created_at: knex.raw(`completed_at - interval '5 hours'`) })
  await row.getByRole('link', { name: 'Cấp Giấy xác nhận tình trạng hôn nhân' }).click()
  await page.getByRole('heading', { level: 1, name: 'Bản đồ nhiệt: Cấp Giấy xác nhận tình trạng hôn nhân' }).waitFor()
  await page.locator('[data-testid="heatmap-canvas"][data-drawn="yes"]').waitFor()
  t.equal(
    await page.locator('.djs-overlays[data-container-id="Task_Review"] .heat-badge').textContent(),
    '2',
    'M1 and M2 wait at the review',
  )
  t.match(
    await page.locator('.djs-element[data-element-id="Task_Receive"]').getAttribute('class'),
    /\bheat-1\b/,
    'the reception task is coloured for 1–4 hours',
  )
  t.notMatch(
    await page.locator('.djs-element[data-element-id="Task_Review"]').getAttribute('class'),
    /\bheat-\d/,
    'no review has finished: no colour',
  )
  const reception = page.locator('[data-testid="heatmap-table"] tbody tr[data-element-id="Task_Receive"]')
  t.match(await reception.textContent(), /1–4 giờ/, 'the table names the colour band in words')
  await screenshot(page, 'supervisor-heatmap-dwell')
})

t.test(
  'Biểu II.06a renders by field with totals and downloads as CSV; the 766 drill-down lists the dossiers',
  async (t) => {
    await page.getByRole('link', { name: 'Báo cáo 06a và chỉ số 766' }).click()
    const report = page.getByTestId('report-06a')
    await report.waitFor()
    // The month of M1's and M2's receipt day (after the 17:00 cut-off or on a day off it is the next working day, R1).
    await page.getByLabel('Tháng', { exact: true }).fill(`${receiptMonth.slice(5)}/${receiptMonth.slice(0, 4)}`)
    await report
      .locator('caption')
      .filter({ hasText: `${receiptMonth}-01` })
      .waitFor()
    const hoTich = report.locator('tbody tr').filter({ hasText: 'Hộ tịch' })
    // Received in that month: M1 and M2 (the birth registration is not accepted yet, R6).
    t.same((await hoTich.locator('td').allTextContents()).slice(1, 2), ['2'], 'received: 2')
    t.equal(await report.locator('tfoot tr').locator('td').nth(1).textContent(), '2', 'total received: 2')
    t.match(await report.locator('tfoot').textContent(), /Tổng cộng/)
    t.equal(
      await report
        .locator('thead th')
        .filter({ hasText: /^\(\d+\)$/ })
        .count(),
      12,
      'columns (3) to (14) are numbered',
    )
    await screenshot(page, 'supervisor-report')

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Tải CSV' }).click(),
    ])
    t.match(download.suggestedFilename(), /^bieu-II\.06a-tinh-demo-\d{4}-\d{2}-\d{2}-\d{4}-\d{2}-\d{2}\.csv$/)
    const csv = readFileSync((await download.path())!, 'utf8')
    t.match(csv, /Biểu số II\.06a\/VPCP\/KSTT/)
    t.ok(
      csv.split(/\r?\n/).some((l) => l.startsWith('1,Hộ tịch,2,')),
      'the CSV has the same Hộ tịch row',
    )

    // M1 and M2 were submitted online with their documents: both digitised, full points from 80 %.
    const digitised = page.getByTestId('indicator').filter({ hasText: '4.2 Tỷ lệ hồ sơ thực hiện số hoá' })
    t.match(await digitised.textContent(), /Có thành phần hồ sơ số hoá: 2 \/ Tiếp nhận mới: 2/)
    t.match(await digitised.getByTestId('indicator-score').textContent(), /Điểm: 100 % điểm tối đa/)
    await digitised.scrollIntoViewIfNeeded()
    await screenshot(page, 'supervisor-766')
    const online = page.getByTestId('indicator').filter({ hasText: '3.3 Tỷ lệ hồ sơ nộp trực tuyến' })
    await online.getByText('Xem hồ sơ được tính').click()
    const listed = await online.locator('.sv-refs li').allTextContents()
    t.ok(
      listed.includes(m1.code) && listed.includes(m2.code),
      `the dossiers behind the number are listed: ${listed.join(', ')}`,
    )
  },
)

t.test('trend charts draw with a text alternative and the table of their numbers', async (t) => {
  await page.getByRole('link', { name: 'Xu hướng' }).click()
  const table = page.getByTestId('trend-table')
  await table.waitFor()
  t.equal(await table.locator('tbody tr').count(), 6, 'six months by default')
  const last = table.locator('tbody tr').last()
  const newThisMonth = receiptMonth === civilDay(new Date()).slice(0, 7) ? 2 : 0
  t.equal(
    await last.locator('td').first().textContent(),
    String(newThisMonth),
    'this month: M1 and M2 are new receipts',
  )
  const before = table.locator('tbody tr').nth(4)
  // New receipts, resolved, early or on time, late, on-time rate, in progress overdue.
  t.same(
    await before.locator('td').allTextContents(),
    ['2', '2', '1', '1', '50 %', '0'],
    'last month: one of two resolved on time',
  )
  const chart = page.getByTestId('chart-volume')
  t.match(
    await chart.getAttribute('aria-label'),
    new RegExp(`nhận 2, đúng hạn 1, quá hạn 1; [^;]*: nhận ${newThisMonth}, đúng hạn 0, quá hạn 0$`),
  )
  t.match(await page.getByTestId('chart-on-time').getAttribute('aria-label'), /: 50 %; /)
  await eventually('the chart drawn', () => chart.evaluate((c: HTMLCanvasElement) => c.width > 0 && c.height > 0))
  t.ok(await page.getByTestId('chart-on-time').isVisible())
  await screenshot(page, 'supervisor-trends')
})
