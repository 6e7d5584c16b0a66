// The officer workspace in a real browser: a walk-in dossier entered at the counter, its application form scanned and
// uploaded there (digitised, and counted so in Decision 766 once accepted), lands in the worklist, the worklist's text
// filter finds it, and a long worklist pages with "Xem thêm".
import t from 'tap'
import { apiClient } from '../helpers/api.js'
import { screenshot, startWebWorld } from '../helpers/browser.js'
import { birthForm } from '../helpers/dossiers.js'
import { fillBirthForm } from './citizen-form-filling.js'
import { eventually } from '../helpers/eventually.js'
import { makePdf } from '../helpers/files.js'

// Many logins in one minute from one address: the login rate limit is not what this file tests.
const world = await startWebWorld(t, { RATE_LIMIT_ALLOW: '127.0.0.1' })
const api = apiClient(world)

t.test(
  'a walk-in dossier entered at the counter, its form scanned there, is in the worklist, found by the applicant’s name',
  async (t) => {
    const { page } = await world.newPage()
    await world.login(page, 'motcua-xa')
    await page.getByRole('link', { name: 'Tiếp nhận hồ sơ trực tiếp' }).click()
    await page.getByRole('heading', { level: 1, name: 'Tiếp nhận hồ sơ trực tiếp' }).waitFor()
    await page.getByLabel('Thủ tục').selectOption({ label: 'Đăng ký khai sinh' })
    await page.getByLabel('Họ tên / tên tổ chức').fill('Phạm Thị Quầy')
    await page.getByLabel('Số CCCD / mã số thuế').fill('001190099999')
    t.equal(
      await page.getByLabel('Cơ quan tiếp nhận').inputValue(),
      'xa-an-binh',
      'the officer’s own commune is chosen',
    )
    t.ok(await page.getByLabel('Nhận tại Bộ phận Một cửa').isChecked(), 'the result at the counter by default')
    await fillBirthForm(page)
    await screenshot(page, 'officer-counter-intake')
    // The applicant's paper form, scanned at the counter.
    await page
      .getByLabel('Tải lên bản quét: Tờ khai đăng ký khai sinh theo mẫu')
      .setInputFiles({ name: 'to-khai-quet.pdf', mimeType: 'application/pdf', buffer: makePdf() })
    const scanned = page.locator('[data-component="to-khai"]').getByTestId('scan-done')
    await scanned.waitFor()
    t.match(await scanned.textContent(), /Đã số hoá: to-khai-quet\.pdf/)
    await scanned.scrollIntoViewIfNeeded()
    await screenshot(page, 'officer-counter-scan')
    await page.getByRole('button', { name: 'Nhập hồ sơ' }).click()
    await page.getByTestId('intake-done').waitFor()
    t.match(await page.getByTestId('intake-done').textContent(), /Mới đăng ký/)
    const attachments = await world.db
      .knex('dossier_attachments as a')
      .join('dossiers as d', 'd.id', 'a.dossier_id')
      .join('files as f', 'f.id', 'a.file_id')
      .where('d.applicant_name', 'Phạm Thị Quầy')
      .select('a.component_id', 'a.digitisation', 'f.original_name', 'f.mime', 'd.id')
    const dossierId = attachments[0]?.id as string
    t.same(
      attachments.map(({ id: _, ...a }) => a),
      [
        {
          component_id: 'to-khai',
          digitisation: 'scanned_at_counter',
          original_name: 'to-khai-quet.pdf',
          mime: 'application/pdf',
        },
      ],
      'the scan is the dossier’s application form, recorded as scanned at the counter',
    )

    await page.getByRole('link', { name: 'Về danh sách công việc' }).click()
    await page.getByLabel('Mã hồ sơ hoặc tên người nộp').fill('Phạm Thị Quầy')
    const row = page.getByRole('row').filter({ hasText: 'Phạm Thị Quầy' })
    await eventually(
      'the walk-in dossier in the worklist',
      async () => {
        await page.getByRole('button', { name: 'Lọc' }).click()
        await page.waitForLoadState('networkidle')
        return (await row.count()) === 1
      },
      60_000,
    )
    t.match(await row.textContent(), /Kiểm tra, tiếp nhận hồ sơ/, 'its reception task')
    t.match(page.url(), /q=Ph/, 'the filter is in the address, so it can be shared or reloaded')

    // Once the counter accepts it, the dossier counts as digitised in Decision 766 (4.2) on its receipt day.
    const knex = world.db.knex
    const task = await eventually('the reception task', async () =>
      knex('tasks').where({ dossier_id: dossierId, state: 'CREATED' }).first('user_task_key'),
    )
    const accepted = await api.call('POST', `/api/tasks/${task.user_task_key}/complete`, 'motcua-xa', {
      decision: 'accept',
    })
    t.equal(accepted.statusCode, 200, accepted.body)
    const receiptDay = await eventually('the receipt day', async () => {
      const found = await knex('dossiers')
        .where({ id: dossierId })
        .first(knex.raw(`to_char(receipt_date, 'YYYY-MM-DD') AS day`))
      return found?.day as string | null
    })
    const indicators = await api.call(
      'GET',
      `/api/supervision/indicators?from=${receiptDay}&to=${receiptDay}`,
      'lanhdao-xa',
    )
    t.ok(
      indicators.json().digitisedShare.dossiers.numerator.some((d: { id: string }) => d.id === dossierId),
      'the scanned counter dossier is among the digitised ones',
    )
  },
)

t.test('a long worklist comes in pages: "Xem thêm" adds the next one', async (t) => {
  for (let i = 0; i < 26; i++) {
    const res = await api.call(
      'POST',
      '/api/counter/dossiers',
      'motcua-xa',
      {
        procedure: 'dang-ky-khai-sinh',
        agencyUnitId: 'xa-an-binh',
        formData: birthForm,
        deliveryMethod: 'counter',
        applicant: { name: `Lô Hàng Loạt ${i}` },
      },
      { 'idempotency-key': `officer-intake-page-${i}` },
    )
    if (res.statusCode !== 201) throw new Error(res.body)
  }
  const tasks = async () =>
    ((await api.call('GET', '/api/tasks?q=L%C3%B4%20H%C3%A0ng&limit=200', 'motcua-xa')).json() as { items: unknown[] })
      .items.length
  await eventually('26 reception tasks', async () => (await tasks()) === 26, 60_000)
  const { page } = await world.newPage()
  await world.login(page, 'motcua-xa')
  await page.goto(`${world.baseUrl}/can-bo?q=${encodeURIComponent('Lô Hàng')}`)
  const rows = page.getByRole('row').filter({ hasText: 'Lô Hàng Loạt' })
  await page.getByRole('button', { name: 'Xem thêm' }).waitFor()
  t.equal(await rows.count(), 25, 'the first page')
  await page.getByRole('button', { name: 'Xem thêm' }).click()
  await rows.nth(25).waitFor()
  t.equal(await rows.count(), 26, 'the second page is added below')
  t.equal(await page.getByRole('button', { name: 'Xem thêm' }).count(), 0, 'and there is no more button')
})
