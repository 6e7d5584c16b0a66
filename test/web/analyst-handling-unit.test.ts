// The analyst chooses who handles a step in the modeler (issue #17), without typing a header: the "Đơn vị xử lý"
// group of a user task offers the four rules and the agencies the server lists (GET /api/catalogue/agencies). Chosen
// here: a fixed agency, the police, for birth registration's review step; undo and redo take the choice back and
// forth; the published BPMN carries unit=agency:X99.50 next to the task's other headers, which stay as they were; an
// agency the server does not list cannot be picked; the in-editor lint has nothing new to say. Then the choice at
// hand-off, with its agencies ticked, saved as unitChoices.
import t from 'tap'
import type { Page } from 'playwright-core'
import { parseBpmn } from '../../src/catalogue/bpmn-read.js'
import {
  analystPage as openAnalystPage,
  lintIssues,
  newDraft,
  noScriptErrors,
  selectElement,
} from '../helpers/analyst-page.js'
import { screenshot, startWebWorld } from '../helpers/browser.js'

const world = await startWebWorld(t)

// A district unit from before 1 July 2025 stays as history (the database refuses new ones, so it is written the way
// the old data was): the modeler must never offer it.
await world.db.knex.transaction(async (trx) => {
  await trx.raw('ALTER TABLE units DISABLE TRIGGER units_no_new_district')
  await trx('units').insert({
    id: 'huyen-cu',
    parent_id: 'tinh-demo',
    name: 'UBND huyện Cũ',
    level: 'district',
    agency_code: 'X99.70',
    path: '/tinh-demo/huyen-cu/',
  })
  await trx.raw('ALTER TABLE units ENABLE TRIGGER units_no_new_district')
})

const analystPage = () => openAnalystPage(world)

const ruleSelect = (page: Page) => page.locator('#bio-properties-panel-motcuaUnitRule')
const agencySelect = (page: Page) => page.locator('#bio-properties-panel-motcuaUnitAgency')

/** The options of a select: value, text and whether it can be chosen. */
const optionsOf = (page: Page, selector: string) =>
  page
    .locator(`${selector} option`)
    .evaluateAll((os) =>
      (os as HTMLOptionElement[]).map((o) => ({ value: o.value, text: o.textContent ?? '', disabled: o.disabled })),
    )

/** The task's headers in the version's BPMN as the server stored it, read by the server's own reader. */
async function storedHeaders(slug: string, version: number, taskId: string) {
  const { authorization } = await world.loginAs('phantich')
  const res = await fetch(`${world.baseUrl}/api/procedures/${slug}/versions/${version}/bpmn`, {
    headers: { authorization },
  })
  const xml = await res.text()
  const parsed = await parseBpmn(xml)
  if (!parsed.ok) throw new Error('the stored BPMN does not parse')
  const task = parsed.processes.flatMap((p) => [...p.userTasks]).find(([id]) => id === taskId)
  // The order the headers are written in, from the XML itself.
  const block = new RegExp(`id="${taskId}"[\\s\\S]*?<zeebe:taskHeaders>([\\s\\S]*?)</zeebe:taskHeaders>`).exec(xml)
  const keys = [...(block?.[1] ?? '').matchAll(/key="([^"]+)"/g)].map((m) => m[1])
  return { headers: task?.[1].headers, keys }
}

t.test(
  'the analyst picks "Cơ quan cố định" + Công an for a step; the published BPMN says unit=agency:X99.50',
  async (t) => {
    const page = await analystPage()
    await page.getByRole('heading', { level: 1, name: 'Thiết kế quy trình' }).waitFor()
    await newDraft(page, 'Đăng ký khai sinh', 'dang-ky-khai-sinh')
    const lintBefore = await lintIssues(page)

    await selectElement(page, 'Task_Review')
    const group = page.locator('[data-group-id="group-motcuaHandlingUnit"]')
    t.match(await group.locator('.bio-properties-panel-group-header').textContent(), /Đơn vị xử lý/)
    t.equal(await ruleSelect(page).inputValue(), 'receiving', 'no unit header: the receiving unit')
    t.same(
      (await optionsOf(page, '#bio-properties-panel-motcuaUnitRule')).map((o) => o.text),
      ['Đơn vị tiếp nhận hồ sơ', 'Cơ quan cố định', 'Xã nơi cư trú của người nộp', 'Chọn khi chuyển bước'],
    )
    t.equal(await group.locator('input[type="text"]').count(), 0, 'no header to type: the rules are chosen')

    await ruleSelect(page).selectOption('agency')
    await agencySelect(page).waitFor()
    t.match(
      await group.locator('.bio-properties-panel-error').textContent(),
      /Hãy chọn một cơ quan/,
      'until an agency is picked the panel says so',
    )
    // The agencies offered are exactly those the server lists: no district, nothing else.
    const { authorization } = await world.loginAs('phantich')
    const listed = (
      (await (await fetch(`${world.baseUrl}/api/catalogue/agencies`, { headers: { authorization } })).json()) as {
        items: Array<{ agencyCode: string }>
      }
    ).items.map((a) => a.agencyCode)
    const offered = (await optionsOf(page, '#bio-properties-panel-motcuaUnitAgency')).filter((o) => o.value !== '')
    t.same(
      offered.map((o) => o.value),
      listed,
    )
    t.notOk(
      offered.some((o) => o.value === 'X99.70' || /huyện/.test(o.text)),
      'never the district',
    )
    t.ok(offered.some((o) => o.text === 'Công an tỉnh Demo (X99.50)'))
    // An agency the server does not list is not an option: the browser refuses to pick it.
    await t.rejects(agencySelect(page).selectOption('X99.99', { timeout: 1000 }))

    await agencySelect(page).selectOption('X99.50')
    await page.waitForFunction(
      () => !document.querySelector('[data-group-id="group-motcuaHandlingUnit"] .bio-properties-panel-error'),
    )
    t.equal(await agencySelect(page).inputValue(), 'X99.50')
    t.match(await page.getByRole('toolbar').textContent(), /Có thay đổi chưa lưu/)
    // The Zeebe headers list shows the header the group wrote, after the task's own.
    const headerKeys = await page
      .locator('[data-group-id="group-headers"] .bio-properties-panel-collapsible-entry-header-title')
      .allTextContents()
    t.same(headerKeys, ['step', 'decisions', 'unit'])
    await screenshot(page, 'analyst-handling-unit')

    // Undo takes back the agency, then the rule; redo brings both back (the modeler's command stack).
    // The modeler's keyboard shortcuts act when the diagram has the focus (the task stays selected).
    await page.locator('[data-testid="bpmn-canvas"] svg[tabindex]').first().focus()
    await page.keyboard.press('Control+z')
    await page.waitForFunction(
      () =>
        (document.querySelector('#bio-properties-panel-motcuaUnitAgency') as HTMLSelectElement | null)?.value === '',
    )
    await page.keyboard.press('Control+z')
    await page.waitForFunction(
      () =>
        (document.querySelector('#bio-properties-panel-motcuaUnitRule') as HTMLSelectElement | null)?.value ===
        'receiving',
    )
    t.equal(await agencySelect(page).count(), 0, 'the agency select goes with its rule')
    await page.keyboard.press('Control+y')
    await page.keyboard.press('Control+y')
    await page.waitForFunction(
      () =>
        (document.querySelector('#bio-properties-panel-motcuaUnitAgency') as HTMLSelectElement | null)?.value ===
        'X99.50',
    )
    // The properties panel renders after the selection: wait for the rule, then read it.
    await page
      .waitForFunction(
        () =>
          (document.querySelector('#bio-properties-panel-motcuaUnitRule') as HTMLSelectElement | null)?.value ===
          'agency',
      )
      .catch(() => undefined)
    t.equal(await ruleSelect(page).inputValue(), 'agency')

    // The lint has nothing new to say about the rule.
    t.same(await lintIssues(page), lintBefore, 'no new lint issue')
    t.match(await page.getByTestId('lint-summary').textContent(), /^(Không có lỗi|0 lỗi)/)

    await page.getByRole('button', { name: 'Công bố' }).click()
    await page.waitForURL(/\/thiet-ke\/dang-ky-khai-sinh$/)
    await page.getByRole('status').filter({ hasText: 'Đã công bố phiên bản 2' }).waitFor()
    const stored = await storedHeaders('dang-ky-khai-sinh', 2, 'Task_Review')
    t.same(stored.headers, { step: 'Task_Review', decisions: 'approve,supplement,refuse', unit: 'agency:X99.50' })
    t.same(stored.keys, ['step', 'decisions', 'unit'], "the task's other headers keep their place")

    // Opened again, the published version shows the rule it was published with.
    await page.getByRole('link', { name: 'Xem phiên bản 2' }).click()
    await page.getByText('Phiên bản đã công bố không sửa được.', { exact: false }).waitFor()
    await selectElement(page, 'Task_Review')
    // The properties panel renders after the selection: wait for the rule, then read it.
    await page
      .waitForFunction(
        () =>
          (document.querySelector('#bio-properties-panel-motcuaUnitRule') as HTMLSelectElement | null)?.value ===
          'agency',
      )
      .catch(() => undefined)
    t.equal(await ruleSelect(page).inputValue(), 'agency')
    t.equal(await agencySelect(page).inputValue(), 'X99.50')
    noScriptErrors(t, page)
  },
)

t.test(
  '"Chọn khi chuyển bước": the agencies ticked are saved as unitChoices; the commune rule with its field',
  async (t) => {
    const page = await analystPage()
    await newDraft(page, 'Cấp bản sao trích lục hộ tịch', 'cap-ban-sao-trich-luc-ho-tich')
    await selectElement(page, 'Task_Extract')
    await ruleSelect(page).selectOption('chosen')
    const group = page.locator('[data-group-id="group-motcuaHandlingUnit"]')
    await group.getByText('Hãy chọn ít nhất một cơ quan.').waitFor()
    await group.getByLabel('Công an tỉnh Demo (X99.50)').check()
    await group.getByLabel('Bảo hiểm xã hội tỉnh Demo (X99.60)').check()
    await group.getByText('Hãy chọn ít nhất một cơ quan.').waitFor({ state: 'detached' })
    t.equal(await group.getByLabel(/huyện/).count(), 0, 'never the district')
    await page.getByRole('button', { name: 'Lưu bản nháp' }).click()
    await page.getByRole('status').filter({ hasText: 'Đã lưu bản nháp.' }).waitFor()
    let stored = await storedHeaders('cap-ban-sao-trich-luc-ho-tich', 2, 'Task_Extract')
    t.match(stored.headers, { unit: 'chosen', unitChoices: 'X99.50,X99.60' })

    // Switching to one fixed agency keeps a single choice; the applicant's commune drops the choices, names its field.
    await group.getByLabel('Bảo hiểm xã hội tỉnh Demo (X99.60)').uncheck()
    await ruleSelect(page).selectOption('agency')
    await page.waitForFunction(
      () =>
        (document.querySelector('#bio-properties-panel-motcuaUnitAgency') as HTMLSelectElement | null)?.value ===
        'X99.50',
    )
    await ruleSelect(page).selectOption('applicantCommune')
    const field = page.locator('#bio-properties-panel-motcuaUnitAddressField')
    await field.fill('nguoiYeuCau.diaChi')
    await field.press('Tab')
    await page.getByRole('button', { name: 'Lưu bản nháp' }).click()
    await page.getByRole('status').filter({ hasText: 'Đã lưu bản nháp.' }).waitFor()
    stored = await storedHeaders('cap-ban-sao-trich-luc-ho-tich', 2, 'Task_Extract')
    t.equal(stored.headers?.['unit'], 'applicant-commune')
    t.equal(stored.headers?.['addressField'], 'nguoiYeuCau.diaChi')
    t.notOk(stored.headers && 'unitChoices' in stored.headers, 'no stale unitChoices')

    // Back to the receiving unit: the handling headers go, the task's own stay.
    await ruleSelect(page).selectOption('receiving')
    await page.getByRole('button', { name: 'Lưu bản nháp' }).click()
    await page.getByRole('status').filter({ hasText: 'Đã lưu bản nháp.' }).waitFor()
    stored = await storedHeaders('cap-ban-sao-trich-luc-ho-tich', 2, 'Task_Extract')
    t.notOk(stored.headers && ('unit' in stored.headers || 'addressField' in stored.headers))
    t.ok(stored.headers?.['step'], 'the step header stays')
    noScriptErrors(t, page)
  },
)
