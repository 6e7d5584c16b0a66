// The finance officer's screen (/can-bo/thu-phi) in a real browser: the VietQR transfers awaited on the agency's
// dossiers, one confirmed after the step that shows its amount and content, a file that is not a statement refused
// with a Vietnamese message and nothing confirmed, then a bank statement (XLSX) with one matching and one unmatched
// line, reported by dossier code and by why; each dossier confirmed resumes. Then a refund owed on a paid dossier is
// recorded paid back after a confirmation step, and the applicant's dossier page says when; the transfers are read a
// page at a time ("Xem thêm"), and the page reads in English. Screenshots: officer-fees-pending, officer-fees-confirm,
// officer-fees-unreadable, officer-fees-statement, officer-fees-refund, citizen-refund-paid.
import ExcelJS from 'exceljs'
import t from 'tap'
import { apiClient } from '../helpers/api.js'
import { screenshot, startWebWorld } from '../helpers/browser.js'
import { birthForm } from '../helpers/dossiers.js'
import { eventually } from '../helpers/eventually.js'
import { makePng } from '../helpers/files.js'
import { recordRefunds, refundRule } from '../../src/dossiers/payments.js'

const world = await startWebWorld(t, {
  RATE_LIMIT_ALLOW: '127.0.0.1',
  VIETQR_BANK_BIN: '970415',
  VIETQR_ACCOUNT_NUMBER: '113366668888',
  VIETQR_ACCOUNT_NAME: 'UBND XA AN BINH',
})
const api = apiClient(world)
const knex = world.db.knex

const detail = async (id: string) => (await api.call('GET', `/api/dossiers/${id}`, 'congdan')).json()

/** A birth registration accepted at the counter, suspended for an 8,000 đ fee, the applicant paying by transfer. */
async function transferDue(key: string): Promise<{ id: string; code: string; reference: string }> {
  const draft = (
    await api.call('POST', '/api/dossiers/drafts', 'congdan', {
      procedure: 'dang-ky-khai-sinh',
      agencyUnitId: 'xa-an-binh',
      formData: birthForm,
      deliveryMethod: 'online',
    })
  ).json() as { id: string }
  for (const c of ['to-khai', 'giay-chung-sinh'])
    await api.upload('congdan', `/api/dossiers/drafts/${draft.id}/attachments/${c}`, makePng(), `${c}.png`, 'image/png')
  const id = (
    await api.call('POST', `/api/dossiers/drafts/${draft.id}/submit`, 'congdan', undefined, { 'idempotency-key': key })
  ).json().dossierId as string
  const taskKey = await eventually(
    'the reception task',
    async () =>
      (await detail(id)).openTasks.find((x: { elementId: string }) => x.elementId === 'Task_Receive')?.taskKey,
    30_000,
  )
  await api.call('POST', `/api/tasks/${taskKey}/claim`, 'motcua-xa')
  await api.call('POST', `/api/tasks/${taskKey}/complete`, 'motcua-xa', { decision: 'accept' })
  const code = (await eventually('the code', async () => (await detail(id)).code, 30_000)) as string
  const suspended = await api.call('POST', `/api/dossiers/${id}/suspend-for-payment`, 'motcua-xa', {
    amountVnd: 8000,
    reason: 'Phí cấp bản sao Giấy khai sinh',
  })
  if (suspended.statusCode !== 200) throw new Error(suspended.body)
  const started = await api.call('POST', `/api/dossiers/${id}/payments`, 'congdan', { provider: 'vietqr' })
  if (started.statusCode !== 201) throw new Error(started.body)
  return { id, code, reference: started.json().reference as string }
}

const resumed = (id: string) =>
  eventually(`dossier ${id} resumed`, async () => ((await detail(id)).status === 4 ? true : undefined), 30_000)
const paymentStatus = async (reference: string) =>
  ((await knex('payments').where({ reference }).first('status')) as { status: string }).status

let paidDossier: { id: string; code: string } | undefined

t.test('the finance officer confirms one transfer, refuses a bad file, and imports a statement', async (t) => {
  const first = await transferDue('web-fees-1')
  paidDossier = first
  const second = await transferDue('web-fees-2')
  const { page } = await world.newPage()
  await world.login(page, 'motcua-xa')

  // From the menu; only the current entry is marked.
  const menu = page.getByRole('navigation', { name: 'Menu chính' })
  await menu.getByRole('link', { name: 'Thu phí' }).click()
  await page.getByRole('heading', { level: 1, name: 'Thu phí, lệ phí qua chuyển khoản' }).waitFor()
  t.equal(await menu.getByRole('link', { name: 'Thu phí' }).getAttribute('aria-current'), 'page')
  t.equal(
    await menu.getByRole('link', { name: 'Nhiệm vụ' }).getAttribute('aria-current'),
    null,
    'the worklist entry is not marked on the fees page',
  )
  t.equal(await menu.locator('[aria-current]').count(), 1, 'one entry marked')

  // The list: both transfers, with dossier code, applicant, amount and the content to look for.
  const row = (reference: string) => page.locator(`tr[data-reference="${reference}"]`)
  await row(first.reference).waitFor()
  await row(second.reference).waitFor()
  t.match(await row(first.reference).textContent(), new RegExp(`${first.code}.*8\\.000 đ.*${first.reference}`, 's'))
  await screenshot(page, 'officer-fees-pending')

  // Confirming one: the step shows the amount and the content before anything is recorded.
  await row(first.reference)
    .getByRole('button', { name: `Xác nhận đã nhận tiền của hồ sơ ${first.code}` })
    .click()
  const step = page.getByRole('group', { name: 'Xác nhận đã nhận tiền' })
  await step.waitFor()
  t.equal(await page.getByTestId('confirm-amount').textContent(), '8.000 đ')
  t.equal(await page.getByTestId('confirm-content').textContent(), first.reference)
  t.equal(await paymentStatus(first.reference), 'pending', 'nothing recorded before the officer confirms')
  await step.getByLabel('Số giao dịch của ngân hàng (không bắt buộc)').fill('FT26339000001')
  await screenshot(page, 'officer-fees-confirm')
  await step.getByRole('button', { name: 'Xác nhận đã nhận 8.000 đ' }).click()
  await page
    .getByRole('status')
    .filter({ hasText: `Đã xác nhận khoản 8.000 đ của hồ sơ ${first.code}` })
    .waitFor()
  await row(first.reference).waitFor({ state: 'detached' })
  await resumed(first.id)
  t.match(
    await knex('payments').where({ reference: first.reference }).first('status', 'gateway_transaction'),
    { status: 'paid', gateway_transaction: 'FT26339000001' },
    'paid, with the bank’s transaction number',
  )

  // A file that is not a statement: a clear message, nothing confirmed, the transfer still listed.
  const file = page.getByLabel('Tệp sao kê (CSV hoặc XLSX)')
  await file.setInputFiles({
    name: 'sao-ke.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from(`Khách hàng;Ghi chú\nNguyễn Văn An;CT ${second.reference}\n`),
  })
  await page.getByRole('button', { name: 'Nhập sao kê' }).click()
  const refused = page.getByRole('alert').filter({ hasText: 'Không đọc được sao kê ngân hàng' })
  await refused.waitFor()
  t.equal(await refused.getAttribute('data-code'), 'MC_ERR_STATEMENT_UNREADABLE')
  t.ok(await page.getByText('Không có khoản nào được xác nhận.').isVisible(), 'the officer is told nothing changed')
  await screenshot(page, 'officer-fees-unreadable')
  t.equal(await paymentStatus(second.reference), 'pending', 'nothing confirmed')
  t.equal((await detail(second.id)).status, 6, 'the dossier still waits for its fee')
  t.ok(await row(second.reference).isVisible(), 'still listed')

  // Not a statement type at all: said before anything is sent.
  await file.setInputFiles({ name: 'sao-ke.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4') })
  await page.getByRole('button', { name: 'Nhập sao kê' }).click()
  await page.getByRole('alert').filter({ hasText: 'Chỉ nhận tệp sao kê dạng CSV hoặc XLSX' }).waitFor()
  t.equal(await paymentStatus(second.reference), 'pending', 'still nothing confirmed')

  // The bank's statement (XLSX, a title above the header): one line pays the second dossier, one names nothing.
  const workbook = new ExcelJS.Workbook()
  const sheet = workbook.addWorksheet('Sao ke')
  sheet.addRow(['SAO KÊ TÀI KHOẢN 113366668888'])
  sheet.addRow(['Ngày giao dịch', 'Số tham chiếu', 'Số tiền ghi có', 'Nội dung chuyển khoản'])
  sheet.addRow(['05/12/2026', 'FT26339000002', 8000, `NGUYEN VAN AN chuyen tien ${second.reference}`])
  sheet.addRow(['05/12/2026', 'FT26339000003', 120000, 'tien dien thang 11'])
  await file.setInputFiles({
    name: 'sao-ke-vietinbank.xlsx',
    mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    buffer: Buffer.from(await workbook.xlsx.writeBuffer()),
  })
  await page.getByRole('button', { name: 'Nhập sao kê' }).click()
  await page.getByRole('status').filter({ hasText: '1 khoản được xác nhận, 1 dòng không khớp' }).waitFor()
  const matched = page.getByRole('table', { name: 'Các dòng đã khớp' })
  t.match(await matched.locator('tr[data-line="1"]').textContent(), new RegExp(`${second.code}.*8\\.000 đ`, 's'))
  const unmatched = page.getByRole('table', { name: 'Các dòng không khớp' })
  t.match(
    await unmatched.locator('tr[data-line="2"]').textContent(),
    /120\.000 đ.*tien dien thang 11.*Nội dung không có mã thanh toán của hồ sơ nào/s,
    'the unmatched line and why, in Vietnamese',
  )
  await page.getByText('Không có khoản chuyển khoản nào đang chờ xác nhận.').waitFor()
  await screenshot(page, 'officer-fees-statement')
  await resumed(second.id)
  t.match(await knex('payments').where({ reference: second.reference }).first('status', 'gateway_transaction'), {
    status: 'paid',
    gateway_transaction: 'FT26339000002',
  })
})

t.test('a refund owed is recorded paid after a confirmation step; the applicant sees when', async (t) => {
  const paid = paidDossier!
  // The refund the closing job records when the agency refuses a paid dossier (src/workers/close.ts).
  await knex.transaction((trx) => recordRefunds(trx, paid.id, refundRule.refused, new Date()))
  const refund = (await knex('payment_refunds').where({ dossier_id: paid.id }).first('id')) as { id: string }
  const { page } = await world.newPage()
  await world.login(page, 'motcua-xa')
  await page.goto(`${world.baseUrl}/can-bo/thu-phi`)
  const section = page.getByRole('region', { name: 'Khoản hoàn trả chờ chi trả' })
  const row = section.locator(`tr[data-refund="${refund.id}"]`)
  await row.waitFor()
  t.match(await row.textContent(), new RegExp(`${paid.code}.*8\\.000 đ`, 's'))
  await row.getByRole('button', { name: `Ghi nhận đã chi trả khoản hoàn trả của hồ sơ ${paid.code}` }).click()
  const step = page.getByRole('group', { name: 'Ghi nhận đã chi trả khoản hoàn trả' })
  await step.waitFor()
  t.equal(await page.getByTestId('refund-amount').textContent(), '8.000 đ')
  t.equal(
    ((await knex('payment_refunds').where({ id: refund.id }).first('status')) as { status: string }).status,
    'due',
    'nothing recorded before the officer confirms',
  )
  await step.getByLabel('Tiền mặt').check()
  await step.getByLabel('Số chứng từ (giao dịch hoặc phiếu chi, không bắt buộc)').fill('PC-2026/015')
  await screenshot(page, 'officer-fees-refund')
  await step.getByRole('button', { name: 'Ghi nhận đã chi trả 8.000 đ' }).click()
  await page
    .getByRole('status')
    .filter({ hasText: `Đã ghi nhận chi trả khoản hoàn trả 8.000 đ của hồ sơ ${paid.code}` })
    .waitFor()
  await row.waitFor({ state: 'detached' })
  await section.getByText('Không có khoản hoàn trả nào chờ chi trả.').waitFor()
  const recorded = await knex('payment_refunds').where({ id: refund.id }).first()
  t.match(recorded, { status: 'paid', paid_method: 'cash', paid_reference: 'PC-2026/015' })

  // The applicant's dossier page: the refund and the day it was paid.
  const citizen = await world.newPage()
  await world.login(citizen.page, 'congdan')
  await citizen.page.goto(`${world.baseUrl}/ho-so-cua-toi/${paid.id}`)
  const refunds = citizen.page.getByRole('region', { name: 'Hoàn trả phí, lệ phí' })
  const line = refunds.getByTestId('refund-paid')
  await line.waitFor()
  const day = new Date(Date.now() + 7 * 3_600_000).toISOString().slice(0, 10).split('-').reverse().join('/')
  t.match(await refunds.textContent(), /Số tiền hoàn trả: 8\.000 đ/)
  t.match(await line.textContent(), new RegExp(`đã chi trả ngày ${day} \\(tiền mặt\\), số chứng từ PC-2026/015`))
  await screenshot(citizen.page, 'citizen-refund-paid')
})

t.test('the open transfers come a page at a time, and the page reads in English', async (t) => {
  // 27 transfers awaited on one dossier of the agency (rows as the payment service writes them).
  const dossier = paidDossier!
  const references = Array.from({ length: 27 }, (_, i) => `MCPAGE${String(i).padStart(10, '0')}`)
  const base = Date.parse('2026-12-01T02:00:00Z')
  await knex('payments').insert(
    references.map((reference, i) => ({
      dossier_id: dossier.id,
      provider: 'vietqr',
      reference,
      amount_vnd: 8000,
      status: 'pending',
      created_at: new Date(base + i * 60_000),
    })),
  )
  const { page } = await world.newPage()
  await world.login(page, 'motcua-xa')
  await page.goto(`${world.baseUrl}/can-bo/thu-phi`)
  const rows = page.getByRole('region', { name: 'Chuyển khoản chờ xác nhận' }).locator('tr[data-reference]')
  await page.locator(`tr[data-reference="${references[24]}"]`).waitFor()
  t.equal(await rows.count(), 25, 'the first page')
  t.same(await rows.evaluateAll((rs) => rs.map((r) => r.getAttribute('data-reference'))), references.slice(0, 25))
  await page.getByRole('button', { name: 'Xem thêm' }).first().click()
  await page.locator(`tr[data-reference="${references[26]}"]`).waitFor()
  t.same(
    await rows.evaluateAll((rs) => rs.map((r) => r.getAttribute('data-reference'))),
    references,
    'the next page follows, oldest first, none twice',
  )
  t.equal(
    await page
      .getByRole('region', { name: 'Chuyển khoản chờ xác nhận' })
      .getByRole('button', { name: 'Xem thêm' })
      .count(),
    0,
    'nothing more to show',
  )

  await page.getByRole('button', { name: 'Switch to English' }).click()
  await page.getByRole('heading', { level: 1, name: 'Fees paid by bank transfer' }).waitFor()
  const pending = page.getByRole('region', { name: 'Transfers awaiting confirmation' })
  await pending.getByRole('columnheader', { name: 'Transfer content' }).waitFor()
  t.ok(await page.getByRole('region', { name: 'Refunds to pay back' }).isVisible(), 'the refunds section in English')
  t.ok(await page.getByLabel('Statement file (CSV or XLSX)').isVisible(), 'the import in English')
  await page
    .locator(`tr[data-reference="${references[0]}"]`)
    .getByRole('button', { name: /^Confirm the money received for dossier/ })
    .click()
  await page.getByRole('group', { name: 'Confirm the money received' }).waitFor()
  t.ok(await page.getByRole('button', { name: 'Confirm 8,000 đ received' }).isVisible())
})
