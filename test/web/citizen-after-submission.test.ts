// The citizen's dossier page after submission, in a real browser: the counter asks for a supplement through its task
// page and the citizen hands it in; the fee through the sandbox gateway (labelled as taking no real money); a rating
// once the result is returned; a withdrawal after its confirmation.
import t from 'tap'
import type { Page } from 'playwright-core'
import { apiClient } from '../helpers/api.js'
import { screenshot, startWebWorld } from '../helpers/browser.js'
import { birthForm } from '../helpers/dossiers.js'
import { makePng } from '../helpers/files.js'
import { eventually } from '../helpers/eventually.js'

// Many logins in one minute from one address: the login rate limit is not what this file tests.
const world = await startWebWorld(t, { RATE_LIMIT_ALLOW: '127.0.0.1' })
const api = apiClient(world)

interface Detail {
  status: number
  code: string | null
  openTasks: Array<{ taskKey: string; elementId: string }>
}
const detail = async (id: string) => (await api.call('GET', `/api/dossiers/${id}`, 'congdan')).json() as Detail

async function submitted(): Promise<string> {
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
  const sub = await api.call('POST', `/api/dossiers/drafts/${draft.id}/submit`, 'congdan', undefined, {
    'idempotency-key': `test-${draft.id}`,
  })
  return (sub.json() as { dossierId: string }).dossierId
}

/** Waits for the open task of a step and completes it as `who` (claim first). */
async function complete(id: string, elementId: string, who: string, body: Record<string, unknown>): Promise<void> {
  const taskKey = await eventually(
    `${elementId} of ${id}`,
    async () => (await detail(id)).openTasks.find((x) => x.elementId === elementId)?.taskKey,
    30_000,
  )
  await api.call('POST', `/api/tasks/${taskKey}/claim`, who)
  const done = await api.call('POST', `/api/tasks/${taskKey}/complete`, who, body)
  if (done.statusCode !== 200) throw new Error(`${elementId}: ${done.body}`)
}

const statusOf = async (id: string, status: number) =>
  eventually(`status ${status} of ${id}`, async () => (await detail(id)).status === status, 30_000)

async function openDossier(page: Page, id: string): Promise<void> {
  await page.goto(`${world.baseUrl}/ho-so-cua-toi/${id}`)
  await page.getByRole('heading', { name: 'Tiến độ xử lý' }).waitFor()
}

t.test(
  'the counter asks for a supplement on its task page; the citizen sees what is missing and hands it in',
  async (t) => {
    const id = await submitted()
    const taskKey = await eventually(
      'the reception task',
      async () => (await detail(id)).openTasks.find((x) => x.elementId === 'Task_Receive')?.taskKey,
    )
    const officer = (await world.newPage()).page
    await world.login(officer, 'motcua-xa')
    await officer.goto(`${world.baseUrl}/can-bo/nhiem-vu/${taskKey}`)
    await officer.getByRole('button', { name: 'Nhận xử lý' }).click()
    await officer.getByRole('status').filter({ hasText: 'Bạn đã nhận xử lý' }).waitFor()
    await officer.getByRole('radio', { name: 'Yêu cầu bổ sung' }).check()
    await officer.getByRole('checkbox', { name: /^Bản chính Giấy chứng sinh/ }).check()
    await officer.getByLabel('Ghi chú').fill('Bản chụp giấy chứng sinh bị mờ')
    await officer.getByRole('button', { name: 'Hoàn thành' }).click()
    await officer.getByRole('status').filter({ hasText: 'Đã hoàn thành công việc' }).waitFor()
    await statusOf(id, 5)

    const { page } = await world.newPage()
    await world.login(page, 'congdan')
    await openDossier(page, id)
    const missing = page.getByTestId('missing-list')
    t.match(await missing.textContent(), /Bản chính Giấy chứng sinh/, 'the missing document by name')
    await page.getByLabel('Giấy tờ bổ sung cho thành phần').selectOption({
      label: (await page
        .getByLabel('Giấy tờ bổ sung cho thành phần')
        .locator('option', { hasText: 'Bản chính Giấy chứng sinh' })
        .textContent())!,
    })
    await page
      .getByLabel('Chọn tệp')
      .setInputFiles({ name: 'giay-chung-sinh-ro.png', mimeType: 'image/png', buffer: makePng() })
    await page.getByText(/giay-chung-sinh-ro\.png/).waitFor()
    await screenshot(page, 'citizen-supplement')
    await page.getByRole('button', { name: 'Nộp bổ sung' }).click()
    await page.getByRole('heading', { name: 'Cơ quan yêu cầu bổ sung hồ sơ' }).waitFor({ state: 'detached' })
    await eventually('the supplement in the history', async () => {
      await page.getByRole('button', { name: 'Làm mới' }).click()
      return (await page.getByRole('listitem').filter({ hasText: 'Đã nộp bổ sung' }).count()) > 0
    })
    t.pass('the history shows the supplement handed in')
  },
)

t.test('the fee is paid through the sandbox gateway, which says it takes no real money', async (t) => {
  const id = await submitted()
  await complete(id, 'Task_Receive', 'motcua-xa', { decision: 'accept' })
  await eventually('the code', async () => (await detail(id)).code)
  const suspended = await api.call('POST', `/api/dossiers/${id}/suspend-for-payment`, 'motcua-xa', {
    amountVnd: 8000,
    reason: 'Phí cấp bản sao Giấy khai sinh',
  })
  t.equal(suspended.statusCode, 200, suspended.body)
  const { page } = await world.newPage()
  await world.login(page, 'congdan')
  await openDossier(page, id)
  await page.getByRole('heading', { name: 'Thực hiện nghĩa vụ tài chính' }).waitFor()
  t.match(await page.getByText(/^SANDBOX/).textContent(), /không thu tiền thật/)
  t.match(await page.locator('section').filter({ hasText: 'Thực hiện nghĩa vụ tài chính' }).textContent(), /8\.000 đ/)
  await screenshot(page, 'citizen-payment')
  await page.getByRole('button', { name: /Thanh toán qua cổng thử nghiệm/ }).click()
  await page.getByRole('button', { name: /Xác nhận thanh toán/ }).click()
  await page.waitForURL(new RegExp(`/ho-so-cua-toi/${id}\\?`))
  await statusOf(id, 4)
  await page.reload()
  await page.getByRole('heading', { name: 'Tiến độ xử lý' }).waitFor()
  t.equal(await page.getByRole('heading', { name: 'Thực hiện nghĩa vụ tài chính' }).count(), 0, 'nothing left to pay')
  t.ok(await page.getByRole('listitem').filter({ hasText: 'Đã thanh toán' }).count(), 'the history shows the payment')
})

t.test('once the result is returned the citizen rates the service, once', async (t) => {
  const id = await submitted()
  await complete(id, 'Task_Receive', 'motcua-xa', { decision: 'accept' })
  await complete(id, 'Task_Review', 'tuphap-xa', { decision: 'approve' })
  await complete(id, 'Task_Sign', 'lanhdao-xa', { decision: 'approve' })
  // Delivered online: the signed result is returned at once (status 10), with no counter step.
  await statusOf(id, 10)
  const { page } = await world.newPage()
  await world.login(page, 'congdan')
  await openDossier(page, id)
  await page.getByRole('radio', { name: '5' }).check()
  await page.getByLabel('Góp ý').fill('Nhanh, cán bộ nhiệt tình')
  await screenshot(page, 'citizen-rating')
  await page.getByRole('button', { name: 'Gửi đánh giá' }).click()
  await page.getByRole('status').filter({ hasText: 'Cảm ơn bạn đã đánh giá' }).waitFor()
  const again = await api.call('POST', `/api/dossiers/${id}/rating`, 'congdan', { score: 4 })
  t.equal(again.json().code, 'MC_ERR_ALREADY_RATED', 'one rating per dossier')
  t.match(await page.getByRole('table').first().textContent(), /ký/, 'the signing step is in the progress table')
})

t.test('withdrawing asks for confirmation, then the dossier is withdrawn', async (t) => {
  const id = await submitted()
  const { page } = await world.newPage()
  await world.login(page, 'congdan')
  await openDossier(page, id)
  await page.getByRole('button', { name: 'Rút hồ sơ…' }).click()
  await page.getByLabel('Lý do (không bắt buộc)').fill('Nộp nhầm thủ tục')
  await page.getByRole('button', { name: 'Xác nhận rút hồ sơ' }).click()
  await page.getByText('Công dân rút', { exact: true }).first().waitFor()
  t.equal(
    await page.getByRole('button', { name: 'Rút hồ sơ…' }).count(),
    0,
    'a withdrawn dossier cannot be withdrawn again',
  )
  t.equal((await detail(id)).status, 7)
})
