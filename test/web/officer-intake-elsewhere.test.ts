// Reception regardless of place in a real browser: the provincial service centre's counter officer enters a walk-in
// birth registration (a commune procedure marked receptionAnywhere); the page says the centre receives it for the
// competent agency and the officer chooses xã An Bình; the dossier is received at the centre for the commune.
import t from 'tap'
import { startWebWorld } from '../helpers/browser.js'
import { fillBirthForm } from './citizen-form-filling.js'

const world = await startWebWorld(t, { RATE_LIMIT_ALLOW: '127.0.0.1' })

t.test('the centre’s counter receives a commune’s procedure for the commune the officer chooses', async (t) => {
  const { page } = await world.newPage()
  await world.login(page, 'canbo')
  await page.getByRole('link', { name: 'Tiếp nhận hồ sơ trực tiếp' }).click()
  await page.getByRole('heading', { level: 1, name: 'Tiếp nhận hồ sơ trực tiếp' }).waitFor()
  await page.getByLabel('Thủ tục').selectOption({ label: 'Đăng ký khai sinh' })
  await page.getByLabel('Họ tên / tên tổ chức').fill('Đinh Thị Nơi Khác')
  await page.getByLabel('Số CCCD / mã số thuế').fill('001190088888')
  t.match(
    await page.getByTestId('reception-elsewhere').textContent(),
    /cơ quan có thẩm quyền giải quyết/,
    'the page says the centre receives it for the competent agency',
  )
  await page.getByLabel('Cơ quan tiếp nhận').selectOption({ label: 'UBND xã An Bình' })
  await fillBirthForm(page)
  await page.getByRole('button', { name: 'Nhập hồ sơ' }).click()
  await page.getByTestId('intake-done').waitFor()
  t.match(await page.getByTestId('intake-done').textContent(), /Mới đăng ký/)
  const row = (await world.db
    .knex('dossiers')
    .where({ applicant_name: 'Đinh Thị Nơi Khác' })
    .first('agency_unit_id', 'competent_unit_id')) as { agency_unit_id: string; competent_unit_id: string | null }
  t.same(
    row,
    { agency_unit_id: 'tinh-demo-hcc', competent_unit_id: 'xa-an-binh' },
    'received at the centre, for xã An Bình',
  )
})
