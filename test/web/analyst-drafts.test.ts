// The analyst's drafts in a real browser: the dossier form's preview following the JSON Schema as it is edited, a new
// procedure made from the form and discarded, and a draft of a published procedure discarded (the modeler itself is
// in analyst.test.ts).
import t from 'tap'
import { analystPage as openAnalystPage, newDraft, noScriptErrors } from '../helpers/analyst-page.js'
import { screenshot, startWebWorld } from '../helpers/browser.js'

const world = await startWebWorld(t)
const analystPage = () => openAnalystPage(world, { provokesRefusals: true })

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
