// Results delivered by post in a real browser: the citizen chooses delivery by post on the draft page and picks the
// address from the official list (province → commune) with the street; the counter officer, at the result step,
// records the parcel's tracking number (the result cannot be returned before); the citizen's dossier page shows the
// parcel with its tracking number.
import t from 'tap'
import { apiClient } from '../helpers/api.js'
import { screenshot, startWebWorld } from '../helpers/browser.js'
import { birthForm } from '../helpers/dossiers.js'
import { eventually } from '../helpers/eventually.js'
import { makePng } from '../helpers/files.js'

const world = await startWebWorld(t, { RATE_LIMIT_ALLOW: '127.0.0.1' })
const api = apiClient(world)
const knex = world.db.knex

const openTask = (id: string, elementId: string) =>
  eventually(
    `${elementId} of ${id}`,
    async () =>
      (await knex('tasks').where({ dossier_id: id, element_id: elementId, state: 'CREATED' }).first('user_task_key'))
        ?.user_task_key as string | undefined,
    30_000,
  )
async function complete(id: string, elementId: string, who: string, body: Record<string, unknown>): Promise<void> {
  const taskKey = await openTask(id, elementId)
  await api.call('POST', `/api/tasks/${taskKey}/claim`, who)
  const done = await api.call('POST', `/api/tasks/${taskKey}/complete`, who, body)
  if (done.statusCode !== 200) throw new Error(`${elementId}: ${done.body}`)
}

// A birth registration draft with its form and documents: the citizen only chooses how to receive the result.
const draft = (
  await api.call('POST', '/api/dossiers/drafts', 'congdan', {
    procedure: 'dang-ky-khai-sinh',
    agencyUnitId: 'xa-an-binh',
    formData: birthForm,
  })
).json() as { id: string }
for (const c of ['to-khai', 'giay-chung-sinh'])
  await api.upload('congdan', `/api/dossiers/drafts/${draft.id}/attachments/${c}`, makePng(), `${c}.png`, 'image/png')

let dossierId = ''

t.test('the citizen chooses delivery by post and gives the address from the official list', async (t) => {
  const { page } = await world.newPage()
  await world.login(page, 'congdan')
  await page.goto(`${world.baseUrl}/nop-ho-so/${draft.id}`)
  await page.getByRole('radio', { name: 'Qua dịch vụ bưu chính' }).check()
  const address = page.locator('fieldset.delivery-address')
  await address.getByLabel('Tỉnh/thành phố').selectOption({ label: 'Tỉnh Demo' })
  await address.getByLabel('Xã/phường/đặc khu').selectOption({ label: 'Xã Bình Minh' })
  // Submitting without the street: the page says what is missing, and no dossier is made.
  await page.getByRole('button', { name: 'Nộp hồ sơ' }).click()
  const problem = page.locator('[data-code="MC_ERR_DELIVERY_ADDRESS"]')
  await problem.waitFor()
  t.match(await problem.textContent(), 'Nhập số nhà, đường, thôn/xóm')
  t.equal(Number((await knex('dossiers').count({ n: '*' }).first())!.n), 0, 'no dossier yet')
  await address.getByLabel('Số nhà, đường, thôn/xóm').fill('Thôn Đông, số 8')
  await screenshot(page, 'citizen-delivery-address')
  await page.getByRole('button', { name: 'Nộp hồ sơ' }).click()
  await page.waitForURL(/\/da-nop/)
  dossierId = new URL(page.url()).searchParams.get('ho-so')!
  const stored = await knex('dossiers').where({ id: dossierId }).first('delivery_method', 'delivery_address')
  t.same(stored, {
    delivery_method: 'post',
    delivery_address: {
      provinceCode: '99',
      provinceName: 'Tỉnh Demo',
      communeCode: '99902',
      communeName: 'Xã Bình Minh',
      street: 'Thôn Đông, số 8',
    },
  })
})

t.test('the counter records the parcel at the result step, then returns the result', async (t) => {
  await complete(dossierId, 'Task_Receive', 'motcua-xa', { decision: 'accept' })
  await complete(dossierId, 'Task_Review', 'tuphap-xa', { decision: 'approve' })
  await complete(dossierId, 'Task_Sign', 'lanhdao-xa', { decision: 'approve' })
  const returnKey = await openTask(dossierId, 'Task_Return')
  const { page } = await world.newPage()
  await world.login(page, 'motcua-xa')
  await page.goto(`${world.baseUrl}/can-bo/nhiem-vu/${returnKey}`)
  await page.getByRole('button', { name: 'Nhận xử lý' }).click()
  const panel = page.locator('section.shipment')
  await panel.getByRole('button', { name: 'Ghi nhận bưu gửi' }).waitFor()
  t.match(await panel.textContent(), /Thôn Đông, số 8, Xã Bình Minh, Tỉnh Demo/, 'where to send it')

  // Returning first is refused: the page says a parcel must be recorded.
  await page.getByRole('radio', { name: 'Đã trả kết quả' }).check()
  await page.getByRole('button', { name: 'Hoàn thành' }).click()
  await page.getByText('Cần ghi nhận thông tin gửi bưu chính').waitFor()

  await panel.getByLabel('Số hiệu bưu gửi').fill('EB123456784VN')
  await panel.getByRole('button', { name: 'Ghi nhận bưu gửi' }).click()
  await panel.getByText('Số hiệu bưu gửi sai chữ số kiểm tra').waitFor()
  await panel.getByLabel('Số hiệu bưu gửi').fill('eb 123456785 vn')
  await panel.getByRole('button', { name: 'Ghi nhận bưu gửi' }).click()
  await panel.locator('.tracking-number', { hasText: 'EB123456785VN' }).waitFor()
  await screenshot(page, 'officer-record-shipment')
  await page.getByRole('radio', { name: 'Đã trả kết quả' }).check()
  await page.getByRole('button', { name: 'Hoàn thành' }).click()
  await page.getByText('Đã hoàn thành công việc.').waitFor()
  await eventually(
    'status 10',
    async () => (await knex('dossiers').where({ id: dossierId }).first('status')).status === 10,
    30_000,
  )
  t.pass('returned')
})

t.test('the citizen sees the parcel and its tracking number on the dossier page', async (t) => {
  const { page } = await world.newPage()
  await world.login(page, 'congdan')
  await page.goto(`${world.baseUrl}/ho-so-cua-toi/${dossierId}`)
  const shipment = page.getByTestId('shipment')
  await shipment.waitFor()
  t.match(await shipment.textContent(), /Bưu điện Việt Nam \(VNPost\).*số hiệu bưu gửi EB123456785VN/)
  t.match(await page.getByTestId('delivery-address').textContent(), 'Thôn Đông, số 8, Xã Bình Minh, Tỉnh Demo')
  await page.locator('li[data-kind="result_shipped"]').waitFor()
  t.match(await page.locator('li[data-kind="result_shipped"]').textContent(), 'EB123456785VN', 'in the history too')
  await shipment.scrollIntoViewIfNeeded()
  await screenshot(page, 'citizen-dossier-shipped')
})
