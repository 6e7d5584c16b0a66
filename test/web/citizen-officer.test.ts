// The citizen portal and the officer workspace in a real browser (issue #9): a citizen finds "khai sinh", fills the
// form, attaches a file, submits and gets a code once the commune's counter officer claims and accepts the dossier;
// plus Vietnamese validation messages on their fields, an upload refused for its type, two officers claiming one task
// (409), the citizen's dossier page on a phone, and the English switch.
import t from 'tap'
import type { Page } from 'playwright-core'
import { hashPassword } from '../../src/auth/passwords.js'
import { apiClient } from '../helpers/api.js'
import { screenshot, startWebWorld } from '../helpers/browser.js'
import { birthForm } from '../helpers/dossiers.js'
import { makePng } from '../helpers/files.js'
import { fillBirthForm } from './citizen-form-filling.js'
import { eventually } from '../helpers/eventually.js'

// Many logins in one minute from one address: the login rate limit is not what this file tests.
const world = await startWebWorld(t, { RATE_LIMIT_ALLOW: '127.0.0.1' })
const api = apiClient(world)
const png = { name: 'to-khai.png', mimeType: 'image/png', buffer: makePng() }

/** A draft of the birth registration through the API, ready to submit (form, documents, agency, delivery). */
async function submittedBirthDossier(): Promise<{ dossierId: string; taskKey: string }> {
  const draft = (
    await api.call('POST', '/api/dossiers/drafts', 'congdan', {
      procedure: 'dang-ky-khai-sinh',
      agencyUnitId: 'xa-an-binh',
      formData: birthForm,
      deliveryMethod: 'online',
    })
  ).json() as { id: string }
  for (const c of ['to-khai', 'giay-chung-sinh']) {
    const up = await api.upload(
      'congdan',
      `/api/dossiers/drafts/${draft.id}/attachments/${c}`,
      makePng(),
      `${c}.png`,
      'image/png',
    )
    if (up.statusCode !== 201) throw new Error(`upload ${c}: ${up.body}`)
  }
  const sub = await api.call('POST', `/api/dossiers/drafts/${draft.id}/submit`, 'congdan', undefined, {
    'idempotency-key': `test-${draft.id}`,
  })
  const dossierId = (sub.json() as { dossierId: string }).dossierId
  const taskKey = await eventually('the reception task', async () => {
    const d = (await api.call('GET', `/api/dossiers/${dossierId}`, 'motcua-xa')).json() as {
      openTasks?: Array<{ taskKey: string; elementId: string }>
    }
    return d.openTasks?.find((x) => x.elementId === 'Task_Receive')?.taskKey
  })
  return { dossierId, taskKey }
}

/** Controls a screen reader could not name (no label, no aria-label or -labelledby, a button without text). */
const unnamedControls = (page: Page) =>
  page.evaluate(() =>
    [...document.querySelectorAll('input:not([type=hidden]), select, textarea, button')]
      .filter((el) => {
        const named =
          (el as HTMLInputElement).labels?.length || el.getAttribute('aria-label') || el.getAttribute('aria-labelledby')
        return !named && !(el.tagName === 'BUTTON' && el.textContent?.trim())
      })
      .map((el) => el.outerHTML.slice(0, 160)),
  )

/** The row of the worklist that links to a task. */
const taskRow = (page: Page, taskKey: string) =>
  page.getByRole('row').filter({ has: page.locator(`a[href="/can-bo/nhiem-vu/${encodeURIComponent(taskKey)}"]`) })

t.test(
  'a citizen finds "khai sinh", fills the form, attaches a file and submits; the counter accepts; the citizen sees the code and the new status',
  async (t) => {
    const { page } = await world.newPage()
    await world.login(page, 'congdan')
    await page.goto(world.baseUrl)
    await page.getByLabel('Tìm thủ tục hành chính').fill('khai sinh')
    await page.getByRole('button', { name: 'Tìm kiếm' }).click()
    await page.waitForURL(/\/thu-tuc\?q=khai/)
    const hit = page.getByRole('link', { name: 'Đăng ký khai sinh', exact: true })
    await hit.waitFor()
    t.match(await page.getByRole('row').filter({ has: hit }).textContent(), /Trong ngày/, 'the hit shows its duration')
    await screenshot(page, 'citizen-catalogue')
    await hit.click()
    await page.getByRole('heading', { level: 1, name: 'Đăng ký khai sinh', exact: true }).waitFor()
    t.match(await page.getByRole('heading', { name: 'Căn cứ pháp lý' }).isVisible(), true)
    await screenshot(page, 'citizen-procedure')
    await page.getByRole('button', { name: 'Nộp hồ sơ trực tuyến' }).click()
    await page.waitForURL(/\/nop-ho-so\//)
    await page.getByRole('heading', { level: 1, name: /Nộp hồ sơ: Đăng ký khai sinh/ }).waitFor()

    await fillBirthForm(page)
    await page.getByTestId('save-status').filter({ hasText: 'Đã lưu' }).waitFor()
    t.pass('the draft saved itself ("Đã lưu")')

    for (const c of ['Tờ khai đăng ký khai sinh theo mẫu', 'Bản chính Giấy chứng sinh']) {
      const panel = page.locator('.component').filter({ has: page.getByRole('heading', { name: c }) })
      await panel.getByLabel('Chọn tệp').setInputFiles(png)
      await panel.getByText('Đã đính kèm: to-khai.png').waitFor()
    }
    t.pass('both required documents are attached')
    await page.getByLabel('Cơ quan tiếp nhận').selectOption({ label: 'UBND xã An Bình' })
    await page.getByLabel('Nhận trực tuyến').check()
    t.same(await unnamedControls(page), [], 'every control of the draft page has a name')
    await screenshot(page, 'citizen-draft')
    await page.getByRole('button', { name: 'Nộp hồ sơ' }).click()
    await page.getByRole('heading', { level: 1, name: 'Đã nộp hồ sơ' }).waitFor()
    const confirmation = page.getByTestId('submitted')
    t.match(
      await confirmation.textContent(),
      /Sẽ được cấp khi hồ sơ được tiếp nhận/,
      'the code is given at reception, and the page says so',
    )
    await screenshot(page, 'citizen-submitted')
    const dossierId = new URL(page.url()).searchParams.get('ho-so')!

    // The counter officer of the commune claims and accepts it.
    const taskKey = await eventually('the reception task', async () => {
      const d = (await api.call('GET', `/api/dossiers/${dossierId}`, 'motcua-xa')).json() as {
        openTasks?: Array<{ taskKey: string; elementId: string }>
      }
      return d.openTasks?.find((x) => x.elementId === 'Task_Receive')?.taskKey
    })
    const officer = (await world.newPage()).page
    await world.login(officer, 'motcua-xa')
    await officer.getByRole('heading', { level: 1, name: 'Danh sách công việc' }).waitFor()
    const row = taskRow(officer, taskKey)
    await row.waitFor()
    t.match(await row.textContent(), /Chưa ai nhận/)
    await row.getByRole('button', { name: /^Nhận xử lý/ }).click()
    await officer.getByRole('status').filter({ hasText: 'Bạn đã nhận xử lý' }).waitFor()
    await taskRow(officer, taskKey).filter({ hasText: 'Tôi' }).waitFor()
    t.pass('the row says I hold it')
    t.same(await unnamedControls(officer), [], 'every control of the worklist has a name')
    await screenshot(officer, 'officer-worklist')
    await taskRow(officer, taskKey).getByRole('link').click()
    await officer.getByRole('heading', { level: 1, name: /tiếp nhận hồ sơ/i }).waitFor()
    await officer.getByRole('heading', { name: 'Tờ khai' }).waitFor()
    t.equal(
      await officer.getByRole('group', { name: 'Người được khai sinh' }).getByLabel('Họ, chữ đệm và tên').inputValue(),
      'Nguyễn Văn Bé',
      'the form data, read-only',
    )
    await officer.getByRole('button', { name: 'Xem: Tờ khai đăng ký khai sinh theo mẫu' }).click()
    const preview = officer.getByRole('img', { name: /to-khai/ })
    await preview.waitFor()
    await eventually('the preview to load', async () =>
      preview.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0),
    )
    t.pass('the attached image previews in the page (the CSP lets blob: images in)')
    t.same(await unnamedControls(officer), [], 'every control of the task page has a name')
    await screenshot(officer, 'officer-task')
    await officer.getByRole('radio', { name: 'Tiếp nhận' }).check()
    await officer.getByRole('button', { name: 'Hoàn thành' }).click()
    await officer.getByRole('status').filter({ hasText: 'Đã hoàn thành công việc' }).waitFor()

    // The citizen sees the code and the new status.
    await page.goto(`${world.baseUrl}/ho-so-cua-toi/${dossierId}`)
    const code = await eventually(
      'the code on the dossier page',
      async () => {
        await page.getByRole('button', { name: 'Làm mới' }).click()
        const text = (await page.getByTestId('dossier-code').textContent()) ?? ''
        return /^X99\.30-\d{6}-\d{4}$/.test(text) ? text : undefined
      },
      30_000,
    )
    t.match(code, /^X99\.30-/, 'the commune’s agency code starts the dossier code')
    t.notMatch(await page.locator('dl.facts').textContent(), /Mới đăng ký/, 'no longer "submitted"')
    t.ok(await page.getByRole('button', { name: 'In giấy tiếp nhận' }).isVisible(), 'the receipt can be printed')
    t.same(await unnamedControls(page), [], 'every control of the dossier page has a name')
    await screenshot(page, 'citizen-dossier')
    await page.goto(`${world.baseUrl}/ho-so-cua-toi`)
    const mine = page.getByRole('row').filter({ hasText: code })
    await mine.waitFor()
    t.notMatch(await mine.textContent(), /Mới đăng ký/)
    await screenshot(page, 'citizen-my-dossiers')
  },
)

t.test('the form says what is wrong in Vietnamese, on the field itself', async (t) => {
  const { page } = await world.newPage()
  await world.login(page, 'congdan')
  await page.goto(`${world.baseUrl}/thu-tuc/dang-ky-khai-sinh`)
  await page.getByRole('button', { name: 'Nộp hồ sơ trực tuyến' }).click()
  await page.waitForURL(/\/nop-ho-so\//)
  const applicant = page.getByRole('group', { name: 'Người yêu cầu' })
  await applicant.getByLabel('Số định danh cá nhân').fill('123')
  await page.getByRole('button', { name: 'Nộp hồ sơ' }).click()
  const summary = page.getByRole('alert').filter({ hasText: 'Vui lòng sửa các lỗi sau' })
  await summary.waitFor()
  t.match(await summary.textContent(), /Họ, chữ đệm và tên: Bắt buộc nhập/)
  const describedBy = async (field: ReturnType<Page['getByLabel']>) => {
    const ids = ((await field.getAttribute('aria-describedby')) ?? '').split(/\s+/).filter(Boolean)
    const texts = await Promise.all(
      ids.map((id) =>
        page
          .locator(`[id="${id}"]`)
          .count()
          .then((n) => (n ? page.locator(`[id="${id}"]`).textContent() : '')),
      ),
    )
    return texts.join(' ')
  }
  const cccd = applicant.getByLabel('Số định danh cá nhân')
  t.match(
    await describedBy(cccd),
    /Không đúng định dạng: phải là số CCCD\/định danh cá nhân gồm 12 chữ số/,
    'the CCCD field is described by its Vietnamese error',
  )
  const childName = page.getByRole('group', { name: 'Người được khai sinh' }).getByLabel('Họ, chữ đệm và tên')
  t.match(await describedBy(childName), /Bắt buộc nhập/, 'a required field says so')
  t.equal(
    await page.evaluate(() => document.activeElement?.id),
    await childName.getAttribute('id'),
    'focus moves to the first field in error',
  )
  await screenshot(page, 'citizen-form-errors')
})

t.test('an upload of the wrong type is refused and the refusal is shown by the document', async (t) => {
  const { page } = await world.newPage()
  await world.login(page, 'congdan')
  await page.goto(`${world.baseUrl}/thu-tuc/dang-ky-khai-sinh`)
  await page.getByRole('button', { name: 'Nộp hồ sơ trực tuyến' }).click()
  // The draft of the test before is still open: the page offers it; this test starts another.
  await page.getByRole('button', { name: 'Tạo hồ sơ mới' }).click()
  await page.waitForURL(/\/nop-ho-so\//)
  const panel = page
    .locator('.component')
    .filter({ has: page.getByRole('heading', { name: 'Tờ khai đăng ký khai sinh theo mẫu' }) })
  t.match(await panel.textContent(), /PDF, JPEG, PNG; tối đa 10 MB/, 'the accepted types and size are shown')
  await panel.getByLabel('Chọn tệp').setInputFiles({
    name: 'ghi-chu.txt',
    mimeType: 'text/plain',
    buffer: Buffer.from('không phải ảnh hay PDF\n'.repeat(20)),
  })
  const alert = panel.getByRole('alert')
  await alert.waitFor()
  t.equal(await alert.getAttribute('data-code'), 'MC_ERR_FILE_TYPE_NOT_ALLOWED')
  t.match(await alert.textContent(), /Loại tệp không được chấp nhận/)
  t.equal(await panel.getByText('Đã đính kèm').count(), 0, 'nothing is attached')
  await screenshot(page, 'citizen-upload-refused')
})

t.test('two officers claim the same task: the second is told another officer holds it', async (t) => {
  const password = 'Mot-cua-2-xa-An-Binh'
  await world.db.knex('users').insert({
    username: 'motcua-xa-2',
    password_hash: await hashPassword(password),
    kind: 'officer',
    full_name: 'Lý Thị Mai',
    email: 'motcua-xa-2@example.invalid',
    unit_id: 'xa-an-binh',
    groups: ['mot-cua'],
    email_verified_at: new Date(),
  })
  const { taskKey } = await submittedBirthDossier()
  const first = (await world.newPage()).page
  await world.login(first, 'motcua-xa')
  const second = (await world.newPage()).page
  await second.goto(`${world.baseUrl}/dang-nhap`)
  await second.getByLabel('Tên đăng nhập').fill('motcua-xa-2')
  await second.getByLabel('Mật khẩu').fill(password)
  await second.getByRole('button', { name: 'Đăng nhập' }).click()
  await taskRow(second, taskKey).waitFor()
  await taskRow(first, taskKey).waitFor()

  await taskRow(first, taskKey)
    .getByRole('button', { name: /^Nhận xử lý/ })
    .click()
  await first.getByRole('status').filter({ hasText: 'Bạn đã nhận xử lý' }).waitFor()
  // The second officer's list was loaded before: the task still looks free there.
  await taskRow(second, taskKey)
    .getByRole('button', { name: /^Nhận xử lý/ })
    .click()
  const alert = second.getByRole('alert').filter({ hasText: 'đã được cán bộ khác nhận xử lý' })
  await alert.waitFor()
  t.equal(await alert.getAttribute('data-code'), 'MC_ERR_TASK_CLAIMED')
  await taskRow(second, taskKey).filter({ hasText: 'Cán bộ khác' }).waitFor()
  t.pass('the refreshed list shows who holds it')
  await screenshot(second, 'officer-claim-conflict')
})

t.test('on a phone (390 px) the citizen’s dossier page fits the screen and keeps its actions', async (t) => {
  const { dossierId } = await submittedBirthDossier()
  const { page } = await world.newPage({ viewport: { width: 390, height: 844 } })
  await world.login(page, 'congdan')
  await page.goto(`${world.baseUrl}/ho-so-cua-toi/${dossierId}`)
  await page.getByRole('heading', { level: 1, name: /^Hồ sơ/ }).waitFor()
  await page.getByRole('heading', { name: 'Tiến độ xử lý' }).waitFor()
  const overflow = await page.evaluate(
    () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
  )
  t.ok(overflow <= 0, `no horizontal scrolling (overflow ${overflow}px)`)
  t.match(await page.getByTestId('dossier-code').textContent(), /Chưa có \(cấp khi tiếp nhận\)/)
  // Withdrawing asks first.
  await page.getByRole('button', { name: 'Rút hồ sơ…' }).click()
  await page.getByText('Bạn chắc chắn muốn rút hồ sơ này?').waitFor()
  const confirm = page.getByRole('button', { name: 'Xác nhận rút hồ sơ' })
  const box = await confirm.boundingBox()
  t.ok(box && box.x >= 0 && box.x + box.width <= 390, 'the confirmation button is on screen')
  await screenshot(page, 'citizen-dossier-phone')
  await page.getByRole('button', { name: 'Không rút' }).click()
  t.equal(await confirm.count(), 0, 'cancelling keeps the dossier')
})

t.test('the English switch turns the worklist and the dossier form into English', async (t) => {
  const { page } = await world.newPage()
  await world.login(page, 'motcua-xa')
  await page.getByRole('heading', { level: 1, name: 'Danh sách công việc' }).waitFor()
  await page.getByRole('button', { name: 'Switch to English' }).click()
  await page.getByRole('heading', { level: 1, name: 'Worklist' }).waitFor()
  t.ok(await page.getByRole('columnheader', { name: 'Due' }).isVisible())
  t.ok(await page.getByLabel('Dossier code or applicant').isVisible())
  t.ok(await page.getByLabel('Mine').isVisible(), 'the "Của tôi" toggle in English')
  await screenshot(page, 'officer-worklist-en')

  const citizen = (await world.newPage()).page
  await world.login(citizen, 'congdan')
  await citizen.goto(`${world.baseUrl}/thu-tuc/dang-ky-khai-sinh`)
  await citizen.getByRole('button', { name: 'Switch to English' }).click()
  await citizen.getByRole('heading', { level: 1, name: 'Birth registration' }).waitFor()
  await citizen.getByRole('button', { name: 'Apply online' }).click()
  // The earlier tests left drafts of this procedure open: the page offers the last one, in English too.
  await citizen.getByRole('link', { name: 'Resume the draft' }).click()
  const child = citizen.getByRole('group', { name: 'Child' })
  await child.getByLabel('Full name').waitFor()
  t.ok(await child.getByLabel('Sex').isVisible(), 'the form speaks English from its x-ui labels')
  await citizen.getByRole('button', { name: 'Submit the dossier' }).click()
  const summary = citizen.getByRole('alert').filter({ hasText: 'Child › Full name: Required' })
  await summary.waitFor()
  t.pass('and so do its validation messages')
  await screenshot(citizen, 'citizen-draft-en')
})
