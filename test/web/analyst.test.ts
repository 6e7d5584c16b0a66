// The analyst's modeler in a real browser (issue #9): open a procedure, make a new draft, change a
// task in the Zeebe properties panel, see the in-editor lint error and fix it, publish, and find the
// published version in the list with its change; a server refusal pinned on the element it names;
// drafts of the form and new procedures are in analyst-drafts.test.ts.
import t from 'tap'
import {
  analystPage as openAnalystPage,
  lintIssues,
  newDraft,
  noScriptErrors,
  propertiesShow,
  selectElement,
  setProperty,
} from '../helpers/analyst-page.js'
import { screenshot, startWebWorld } from '../helpers/browser.js'

const world = await startWebWorld(t)

const analystPage = () => openAnalystPage(world, { provokesRefusals: true })

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
