// The analyst's modeler in a real browser (issue #9): open a procedure, make a new draft, change a
// task in the Zeebe properties panel, see the in-editor lint error and fix it, publish, and find the
// published version in the list with its change; a server refusal pinned on the element it names;
// the dossier form's preview following the JSON Schema as it is edited.
import t, { type Test } from 'tap'
import type { Page } from 'playwright-core'
import { screenshot, startWebWorld } from '../helpers/browser.js'

const world = await startWebWorld(t)

const pageErrors = new WeakMap<Page, string[]>()

async function analystPage() {
  const { page } = await world.newPage({ viewport: { width: 1440, height: 1000 } })
  const errors: string[] = []
  pageErrors.set(page, errors)
  page.on('pageerror', (err) => errors.push(err.message))
  // Console errors too (a Content-Security-Policy refusal is one); a refusal the test provokes is not.
  page.on('console', (m) => {
    if ((m.type() === 'error' || m.type() === 'warning') && !/status of 422/.test(m.text()))
      errors.push(`console ${m.type()}: ${m.text()}`)
  })
  await world.login(page, 'phantich')
  return page
}

const noScriptErrors = (t: Test, page: Page) => t.same(pageErrors.get(page), [], 'no script error in the page')

/** Opens the procedure from the list and starts a new draft from its published version 1. */
async function newDraft(page: Page, name: string, slug: string) {
  await page.locator(`a[href="/thiet-ke/${slug}"]`).click()
  await page.getByRole('heading', { level: 1, name }).waitFor()
  await page.getByRole('button', { name: 'Tạo bản nháp từ phiên bản 1' }).click()
  await page.waitForURL(new RegExp(`/thiet-ke/${slug}/2$`))
  await page
    .getByTestId('lint-summary')
    .filter({ hasText: /^(Không có lỗi|0 lỗi)/ })
    .waitFor()
}

const propertiesShow = (page: Page, id: string) =>
  page.waitForFunction(
    (id) => (document.querySelector('#bio-properties-panel-id') as HTMLInputElement | null)?.value === id,
    id,
  )

/** Chooses an element in the editor's element finder (the keyboard's way to the diagram). */
async function selectElement(page: Page, id: string) {
  await page.getByLabel('Đi tới phần tử').selectOption(id)
  await propertiesShow(page, id)
}

/** Types into a properties-panel field the way an analyst does (the panel saves on input). */
async function setProperty(page: Page, field: string, value: string) {
  const input = page.locator(`#bio-properties-panel-${field}`)
  await input.fill(value)
  await input.press('Tab')
}

const lintIssues = (page: Page) => page.getByTestId('lint-issue').allTextContents()

t.test(
  'an analyst changes a task, sees the lint error, fixes it and publishes; the version list shows the change',
  async (t) => {
    const page = await analystPage()
    const scripts: string[] = []
    page.on('request', (r) => r.resourceType() === 'script' && scripts.push(new URL(r.url()).pathname))
    await page.getByRole('heading', { level: 1, name: 'Thiết kế quy trình' }).waitFor()
    // Every reference procedure, published once, none with a draft yet.
    const rows = page.getByRole('row').filter({ has: page.getByRole('link') })
    await rows.first().waitFor()
    t.equal(await rows.count(), 6)
    for (const row of await rows.all()) t.match(await row.textContent(), /1—$/)
    await screenshot(page, 'analyst-procedures')
    t.notOk(
      scripts.some((s) => s.includes('EditorPage')),
      'the modeler is not downloaded before it is opened',
    )
    await newDraft(page, 'Đăng ký khai sinh', 'dang-ky-khai-sinh')
    t.ok(
      scripts.some((s) => s.includes('EditorPage')),
      'it is loaded with the editor',
    )
    t.equal(await page.getByRole('tab', { name: 'Quy trình BPMN' }).getAttribute('aria-selected'), 'true')

    // A service task, clicked on the diagram, loses its job type: the in-editor lint names the element, as deploy
    // would.
    await page.locator('.djs-element[data-element-id="Task_CompletenessCheck"]').first().click()
    await propertiesShow(page, 'Task_CompletenessCheck')
    t.equal(await page.locator('#bio-properties-panel-taskDefinitionType').inputValue(), 'dossier.completeness-check')
    await setProperty(page, 'taskDefinitionType', '')
    await page
      .getByTestId('lint-summary')
      .filter({ hasText: /^1 lỗi/ })
      .waitFor()
    const issues = await lintIssues(page)
    t.equal(issues.length >= 1, true)
    t.match(
      issues[0],
      /^Lỗi Kiểm tra tính đầy đủ \(tự động\) \(Task_CompletenessCheck\): .*\(camunda-compat\/implementation\)/,
    )
    t.ok((await page.locator('.djs-overlay-linting').count()) > 0, 'the lint marks the element on the diagram')
    t.match(await page.getByRole('toolbar').textContent(), /Còn 1 lỗi kiểm tra: máy chủ sẽ từ chối khi công bố/)
    await screenshot(page, 'analyst-lint-error')

    // The modeler speaks the app's language: palette, properties panel and lint messages (issue #20), and
    // follows the switch without reloading the diagram.
    const palette = (title: string) => page.locator(`.djs-palette .entry[aria-label="${title}"]`)
    const group = (name: string) => page.locator('.bio-properties-panel-group-header-title', { hasText: name })
    t.equal(await palette('Tạo sự kiện bắt đầu').count(), 1, 'the palette in Vietnamese')
    t.ok(await group('Thông tin chung').isVisible(), 'the properties panel in Vietnamese')
    t.match(issues[0], /: Phần tử loại <|: Thuộc tính </, 'the lint message in Vietnamese')
    t.notMatch(issues[0], /must have|not allowed/)
    await page.getByRole('button', { name: 'Switch to English' }).click()
    await palette('Create start event').waitFor()
    t.ok(await group('General').isVisible(), 'the panel follows the switch')
    t.match((await lintIssues(page))[0], /must have|Element of type|Property </, 'the lint message in English')
    await page.getByRole('button', { name: 'Chuyển sang tiếng Việt' }).click()
    await palette('Tạo sự kiện bắt đầu').waitFor()

    // The lint entry is a button that selects its element; the analyst fixes the job type there.
    await selectElement(page, 'Task_Review')
    await page
      .getByTestId('lint-issue')
      .getByRole('button', { name: /Task_CompletenessCheck/ })
      .click()
    await propertiesShow(page, 'Task_CompletenessCheck')
    await setProperty(page, 'taskDefinitionType', 'dossier.completeness-check')
    await page
      .getByTestId('lint-summary')
      .filter({ hasText: /^(Không có lỗi|0 lỗi)/ })
      .waitFor()

    // The change itself: the review step's task gets a clearer name.
    await selectElement(page, 'Task_Review')
    await setProperty(page, 'name', 'Thẩm định, ghi Sổ hộ tịch')
    t.match(await page.locator('.djs-element[data-element-id="Task_Review"]').first().textContent(), /Thẩm định/)
    t.match(await page.getByRole('toolbar').textContent(), /Có thay đổi chưa lưu/)

    await page.getByRole('button', { name: 'Công bố' }).click()
    await page.waitForURL(/\/thiet-ke\/dang-ky-khai-sinh$/)
    await page.getByRole('status').filter({ hasText: 'Đã công bố phiên bản 2' }).waitFor()
    const row = page.getByTestId('version-2')
    t.match(await row.textContent(), /Đã công bố/)
    const changes = page.getByTestId('changes-2')
    await changes.waitFor()
    t.match(
      await changes.textContent(),
      /BPMN Task_Review: tên “Kiểm tra, ghi Sổ hộ tịch” → “Thẩm định, ghi Sổ hộ tịch”/,
    )
    t.notMatch(await changes.textContent(), /Task_CompletenessCheck/, 'the job type came back as it was')
    t.match(await page.getByTestId('version-1').textContent(), /Đã công bố/)
    await screenshot(page, 'analyst-versions')

    // A published version opens read-only.
    await page.getByRole('link', { name: 'Xem phiên bản 2' }).click()
    await page.getByText('Phiên bản đã công bố không sửa được.', { exact: false }).waitFor()
    t.equal(await page.getByRole('button', { name: 'Công bố' }).count(), 0, 'nothing to publish')
    t.notOk(await page.locator('.djs-palette').isVisible(), 'no palette to add elements')
    t.match(await page.locator('.djs-element[data-element-id="Task_Review"]').first().textContent(), /Thẩm định/)

    // New dossiers run the new version: the server says so too.
    const res = await fetch(`${world.baseUrl}/api/procedures/dang-ky-khai-sinh`)
    t.equal(((await res.json()) as { version: number }).version, 2)
    noScriptErrors(t, page)
  },
)

t.test(
  'the server refuses a draft whose task lost its step unit role: the problem is pinned on that task',
  async (t) => {
    const page = await analystPage()
    await newDraft(page, 'Cấp bản sao trích lục hộ tịch', 'cap-ban-sao-trich-luc-ho-tich')
    // Another candidate group is valid BPMN, so the editor's lint has nothing to say; the server,
    // which checks the task against the procedure's step, refuses it.
    await selectElement(page, 'Task_Extract')
    await setProperty(page, 'assignmentDefinitionCandidateGroups', 'phong-khac')
    await page
      .getByTestId('lint-summary')
      .filter({ hasText: /^(Không có lỗi|0 lỗi)/ })
      .waitFor()
    await page.getByRole('button', { name: 'Công bố' }).click()
    const alert = page.getByRole('alert').filter({ hasText: 'MC_ERR_PROCEDURE_INVALID' })
    await alert.waitFor()
    t.match(await alert.textContent(), /Định nghĩa thủ tục hành chính không hợp lệ/)
    t.match(new URL(page.url()).pathname, '/thiet-ke/cap-ban-sao-trich-luc-ho-tich/2', 'still in the editor')

    const problems = page.getByTestId('server-problem')
    t.equal(await problems.count(), 1)
    t.match(
      await problems.first().textContent(),
      /Task_Extract\): User task "Task_Extract" has candidate groups \[phong-khac\], not "tu-phap-ho-tich"/,
    )
    const badge = page.locator('[data-problem-element="Task_Extract"]')
    t.ok(await badge.isVisible(), 'a badge on the task in the diagram')
    t.match(await badge.getAttribute('title'), /phong-khac/)
    t.match(
      await page.locator('.djs-element[data-element-id="Task_Extract"]').first().getAttribute('class'),
      /motcua-problem/,
    )
    await screenshot(page, 'analyst-server-problem')

    // The problem's entry selects the task, where the analyst puts the unit role back.
    await selectElement(page, 'Task_Receive')
    await problems.first().getByRole('button').click()
    await propertiesShow(page, 'Task_Extract')
    await setProperty(page, 'assignmentDefinitionCandidateGroups', 'tu-phap-ho-tich')
    await page.getByRole('button', { name: 'Kiểm tra trên máy chủ' }).click()
    await page.getByRole('status').filter({ hasText: 'Bản nháp hợp lệ, có thể công bố.' }).waitFor()
    t.equal(await problems.count(), 0, 'the problem list is gone')
    t.equal(await badge.count(), 0, 'and so is the badge')
    noScriptErrors(t, page)
  },
)

t.test('the dossier form editor: schema and metadata side by side, the preview follows each edit', async (t) => {
  const page = await analystPage()
  await newDraft(page, 'Xác nhận tình trạng hôn nhân', 'xac-nhan-tinh-trang-hon-nhan')
  await page.getByRole('tab', { name: 'Biểu mẫu và thông tin thủ tục' }).click()
  // The visual builder opens first; the JSON texts are the advanced tab (test/web/analyst-form-builder.test.ts).
  await page.getByRole('tab', { name: 'JSON (nâng cao)' }).click()
  const schema = page.getByLabel('Biểu mẫu hồ sơ (JSON Schema)')
  const metadata = page.getByLabel('Thông tin thủ tục (danh mục)')
  const preview = page.getByTestId('form-preview')
  // A field's label or a group's legend, with the asterisk of a required one.
  const fieldTitled = (text: string) =>
    preview.locator('label, legend', { hasText: new RegExp(`^${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\*?$`) })
  t.match(await metadata.inputValue(), /"slug": "xac-nhan-tinh-trang-hon-nhan"/)
  t.notMatch(await metadata.inputValue(), /^ {2}"form":/m, 'the form is edited on its own')
  const before = await schema.inputValue()
  const [, label, labelEn] = /"label": \{\s*"vi": "([^"]+)",\s*"en": "([^"]+)"/.exec(before) ?? []
  if (!label || !labelEn) throw new Error('the schema text has no bilingual field label')
  await fieldTitled(label).first().waitFor()
  await screenshot(page, 'analyst-form-editor')

  // The preview speaks the page's language, as the portal does.
  await page.getByRole('button', { name: 'Switch to English' }).click()
  await page.getByRole('tab', { name: 'Form and metadata' }).waitFor()
  await fieldTitled(labelEn).first().waitFor()
  await page.getByRole('button', { name: 'Chuyển sang tiếng Việt' }).click()
  await fieldTitled(label).first().waitFor()

  // A renamed label shows in the preview as it is typed.
  await schema.fill(before.replace(`"vi": "${label}"`, '"vi": "Nhãn mới của trường"'))
  await fieldTitled('Nhãn mới của trường').first().waitFor()
  t.equal(await fieldTitled(label).count(), 0, 'the old label is gone')
  // The text's validity is its accessible description.
  const status = page.locator(`[id="${await schema.getAttribute('aria-describedby')}"]`)
  t.equal(await status.textContent(), 'JSON hợp lệ')

  // Broken JSON is said so, next to the text, and the preview keeps the last valid form.
  await schema.fill(before.replace(/\}\s*$/, ''))
  t.match(await status.textContent(), /JSON không hợp lệ/)
  t.equal(await schema.getAttribute('aria-invalid'), 'true')
  t.ok(await fieldTitled('Nhãn mới của trường').first().isVisible())

  // Saving refuses invalid JSON; fixed, the draft saves (Ctrl+S from the text) and the change is the form field's
  // label.
  await page.getByRole('button', { name: 'Lưu bản nháp' }).click()
  await page.getByRole('alert').filter({ hasText: 'không phải JSON hợp lệ' }).waitFor()
  await schema.fill(before.replace(`"vi": "${label}"`, '"vi": "Nhãn mới của trường"'))
  await schema.press('Control+s')
  await page.getByRole('status').filter({ hasText: 'Đã lưu bản nháp.' }).waitFor()
  // The procedure list says a draft is open and leads back to it; its versions list what it changes.
  await page.getByRole('link', { name: 'Thiết kế quy trình' }).first().click()
  const draftRow = page.getByRole('row').filter({ hasText: 'Cấp Giấy xác nhận tình trạng hôn nhân' })
  await draftRow.getByRole('link', { name: 'Sửa bản nháp 2' }).waitFor()
  await draftRow.getByRole('link', { name: 'Cấp Giấy xác nhận tình trạng hôn nhân' }).click()
  const changes = page.getByTestId('changes-2')
  await changes.waitFor()
  t.match(await changes.textContent(), /Trường biểu mẫu: sửa Nhãn mới của trường/)
  t.match(await page.getByTestId('version-2').textContent(), /Bản nháp/)
  noScriptErrors(t, page)
})

t.test(
  'a new procedure from the form opens in the editor; its draft is discarded, and so is another draft',
  async (t) => {
    const page = await analystPage()
    await page.getByRole('heading', { level: 1, name: 'Thiết kế quy trình' }).waitFor()
    await page.getByRole('button', { name: 'Thủ tục mới' }).click()
    await page.getByLabel('Tên thủ tục').fill('Đăng ký lại kết hôn')
    t.match(await page.getByTestId('new-procedure-slug').textContent(), /dang-ky-lai-ket-hon$/)
    await page.getByLabel('Mã thủ tục (Cơ sở dữ liệu quốc gia)').fill('1.004746')
    await page.getByLabel('Lĩnh vực').fill('Hộ tịch')
    await page.getByLabel('Cơ quan thực hiện').fill('Ủy ban nhân dân cấp xã')
    await page.getByLabel('Bắt đầu từ quy trình và biểu mẫu của').selectOption({ label: 'Đăng ký khai sinh' })
    await screenshot(page, 'analyst-new-procedure')
    await page.getByRole('button', { name: 'Tạo bản nháp' }).click()
    await page.waitForURL(/\/thiet-ke\/dang-ky-lai-ket-hon\/1$/)
    await page.getByRole('heading', { level: 1, name: /Đăng ký lại kết hôn — phiên bản 1/ }).waitFor()
    await page.locator('.djs-element[data-element-id="Task_Receive"]').first().waitFor()

    // The procedure page offers to discard the draft; the procedure, never published, goes with it.
    await page.locator('.breadcrumbs').getByRole('link', { name: 'Đăng ký lại kết hôn' }).click()
    await page.getByRole('button', { name: 'Bỏ bản nháp 1' }).click()
    t.match(await page.getByRole('group', { name: 'Xác nhận bỏ bản nháp' }).textContent(), /Không hoàn tác được/)
    await page.getByRole('button', { name: 'Bỏ bản nháp', exact: true }).click()
    await page.waitForURL(/\/thiet-ke$/)
    await page.getByRole('status').filter({ hasText: 'Đã bỏ bản nháp' }).waitFor()
    t.equal(await page.getByRole('link', { name: 'Đăng ký lại kết hôn' }).count(), 0, 'no longer listed')

    // A draft of a published procedure: only the draft goes, the page stays.
    await page.getByRole('link', { name: 'Cấp Giấy xác nhận tình trạng hôn nhân' }).click()
    await page.getByRole('button', { name: 'Bỏ bản nháp 2' }).click()
    await page.getByRole('button', { name: 'Bỏ bản nháp', exact: true }).click()
    await page.getByTestId('version-2').waitFor({ state: 'detached' })
    t.match(await page.getByTestId('version-1').textContent(), /Đã công bố/)
    noScriptErrors(t, page)
  },
)
