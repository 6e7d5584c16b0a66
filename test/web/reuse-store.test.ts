// The document store in a real browser: the citizen whose birth registration ended with a signed trích lục opens a
// later draft (a copy of a civil-status extract), picks that trích lục from "kho dữ liệu" for its component instead of
// uploading it, submits, and the dossier page says the document is the electronic result of the earlier dossier. At
// the counter, the officer who checked the applicant's card takes their identity paper from the same store.
import t from 'tap'
import { apiClient } from '../helpers/api.js'
import { screenshot, startWebWorld } from '../helpers/browser.js'
import { eventually } from '../helpers/eventually.js'
import { makePdf } from '../helpers/files.js'
import { issuedBirthResult } from '../helpers/issued-result.js'
import { testSigning } from '../helpers/signing.js'
import { fillBirthForm } from './citizen-form-filling.js'

const signing = testSigning({ 'lanhdao-xa': 'Đặng Văn Long' }, { 'X99.30': 'UBND xã An Bình' })
const world = await startWebWorld(t, { RATE_LIMIT_ALLOW: '127.0.0.1', ...signing.env })
const api = apiClient(world)
const knex = world.db.knex

const birth = await issuedBirthResult(api, knex, 'reuse-web-birth')
const draft = (
  await api.call('POST', '/api/dossiers/drafts', 'congdan', {
    procedure: 'cap-ban-sao-trich-luc-ho-tich',
    agencyUnitId: 'xa-an-binh',
    formData: {
      nguoiYeuCau: {
        hoTen: 'Trần Thị Bình',
        soDinhDanh: '001190012345',
        soDienThoai: '0912345678',
        noiCuTru: { tinh: 'Tỉnh Demo', xa: 'Xã An Bình' },
      },
      loaiTrichLuc: 'khai-sinh',
      nguoiDuocCap: { hoTen: 'Nguyễn Văn Bé', ngaySinh: '2026-01-15' },
      soBanSao: 1,
    },
    deliveryMethod: 'online',
  })
).json() as { id: string }
for (const c of ['to-khai', 'giay-to-tuy-than'])
  await api.upload('congdan', `/api/dossiers/drafts/${draft.id}/attachments/${c}`, makePdf(), `${c}.pdf`)

t.test('the citizen picks the earlier trích lục from the store on the draft page and submits', async (t) => {
  const { page } = await world.newPage()
  await world.login(page, 'congdan')
  await page.goto(`${world.baseUrl}/nop-ho-so/${draft.id}`)
  const panel = page.locator('[data-component="trich-luc-da-cap"]')
  const picker = panel.getByLabel('Hoặc chọn từ kho dữ liệu của bạn')
  await picker.waitFor()
  const option = `Kết quả: Trích lục khai sinh — số ${birth.code}/KQ (hồ sơ ${birth.code})`
  await picker.selectOption({ label: option })
  t.notOk(
    await page.locator('[data-component="to-khai"]').getByLabel('Hoặc chọn từ kho dữ liệu của bạn').count(),
    'a component that cannot be reused offers no store',
  )
  await panel.getByRole('button', { name: 'Chọn từ kho dữ liệu' }).click()
  const done = panel.getByRole('status').filter({ hasText: 'Đã chọn từ kho dữ liệu' })
  await done.waitFor()
  t.match(await done.textContent(), option, 'the picked document is named')
  await screenshot(page, 'citizen-pick-from-store')

  await page.getByRole('button', { name: 'Nộp hồ sơ' }).click()
  await page.getByRole('heading', { level: 1, name: 'Đã nộp hồ sơ' }).waitFor()
  const dossierId = new URL(page.url()).searchParams.get('ho-so')!
  const row = await eventually('the reused attachment', () =>
    knex('dossier_attachments').where({ dossier_id: dossierId, component_id: 'trich-luc-da-cap' }).first(),
  )
  t.match(row, { digitisation: 'reused', reused_from_result_id: birth.resultId, reused_from_dossier_code: birth.code })

  await page.goto(`${world.baseUrl}/ho-so-cua-toi/${dossierId}`)
  await page.getByText(`kết quả điện tử của hồ sơ ${birth.code}`).waitFor()
})

t.test('at the counter, after checking the card, the officer takes the identity paper from the store', async (t) => {
  // Documents count as the card holder's only where the number was established: the citizen's account had its CCCD
  // checked at a counter (a self-declared number puts nothing in that person's store: test/reuse.test.ts).
  const verified = await api.call('POST', '/api/auth/identity/counter-verifications', 'motcua-xa', {
    username: 'congdan',
    idNumber: '001090000001',
  })
  t.equal(verified.statusCode, 200, verified.body)
  const { page } = await world.newPage()
  await world.login(page, 'motcua-xa')
  await page.getByRole('link', { name: 'Tiếp nhận hồ sơ trực tiếp' }).click()
  await page.getByLabel('Thủ tục').selectOption({ label: 'Đăng ký khai sinh' })
  await page.getByLabel('Họ tên / tên tổ chức').fill('Trần Thị Bình')
  await page.getByLabel('Số CCCD / mã số thuế').fill('001090000001')
  await fillBirthForm(page)
  await page.getByRole('button', { name: 'Đã kiểm tra thẻ: xem kho dữ liệu của người nộp' }).click()
  await page.getByTestId('store-found').waitFor()
  const panel = page.locator('[data-component="giay-to-tuy-than"]')
  const picker = panel.getByLabel('Hoặc lấy từ kho dữ liệu của người nộp')
  const option = `Hộ chiếu, thẻ căn cước hoặc giấy tờ tùy thân khác có ảnh, còn giá trị sử dụng, của người yêu cầu — đã nộp ở hồ sơ ${birth.code}`
  await picker.selectOption({ label: option })
  await panel.getByTestId('scan-done').waitFor()
  t.match(await panel.getByTestId('scan-done').textContent(), `Lấy từ kho dữ liệu: ${option}`)
  await panel.scrollIntoViewIfNeeded()
  await screenshot(page, 'officer-counter-pick-from-store')
  await page.getByRole('button', { name: 'Nhập hồ sơ' }).click()
  await page.getByTestId('intake-done').waitFor()
  const row = await knex('dossier_attachments as a')
    .join('dossiers as d', 'd.id', 'a.dossier_id')
    .where({ 'd.channel': 'counter', 'a.component_id': 'giay-to-tuy-than' })
    .first('a.digitisation', 'a.reused_from_dossier_id')
  t.match(row, { digitisation: 'reused', reused_from_dossier_id: birth.dossierId })
})
