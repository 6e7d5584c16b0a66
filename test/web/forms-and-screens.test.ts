// Forms and officer screens as people meet them (issue #20): dates read and written dd/mm/yyyy (months mm/yyyy) in an
// English browser too; no sideways scroll at 390 px; the form's error summary goes as the mistakes are fixed; a
// submission lists every problem at once; the decision panel shows only the chosen decision's fields; a completed
// task shows the dossier's new status, its code and the receipt.
import t from 'tap'
import type { Page } from 'playwright-core'
import { apiClient } from '../helpers/api.js'
import { screenshot, startWebWorld } from '../helpers/browser.js'
import { birthForm } from '../helpers/dossiers.js'
import { eventually } from '../helpers/eventually.js'
import { makePng } from '../helpers/files.js'
import { fillBirthForm } from './citizen-form-filling.js'

// Many logins in one minute from one address: the login rate limit is not what this file tests.
const world = await startWebWorld(t, { RATE_LIMIT_ALLOW: '127.0.0.1' })
const api = apiClient(world)

/** A fresh birth-registration draft of the demo citizen, opened in the page. */
async function openDraft(page: Page, body: Record<string, unknown> = {}): Promise<string> {
  const draft = await api.call('POST', '/api/dossiers/drafts', 'congdan', { procedure: 'dang-ky-khai-sinh', ...body })
  if (draft.statusCode !== 201) throw new Error(draft.body)
  const id = (draft.json() as { id: string }).id
  await page.goto(`${world.baseUrl}/nop-ho-so/${id}`)
  await page.getByRole('heading', { level: 1, name: /Đăng ký khai sinh/ }).waitFor()
  return id
}

/** A birth-registration dossier submitted through the API, and its reception task. */
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
    const up = await api.upload('congdan', `/api/dossiers/drafts/${draft.id}/attachments/${c}`, makePng(), `${c}.png`)
    if (up.statusCode !== 201) throw new Error(`upload ${c}: ${up.body}`)
  }
  const sub = await api.call('POST', `/api/dossiers/drafts/${draft.id}/submit`, 'congdan', undefined, {
    'idempotency-key': `forms-${draft.id}`,
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

t.test('in an English browser, dates are dd/mm/yyyy and months mm/yyyy; stored ISO', async (t) => {
  const { page } = await world.newPage({ locale: 'en-US' })
  await world.login(page, 'congdan')
  const draftId = await openDraft(page)
  const born = page.getByRole('group', { name: 'Người được khai sinh' }).getByLabel('Ngày, tháng, năm sinh')
  t.equal(await born.getAttribute('placeholder'), 'dd/mm/yyyy', 'the box says how to write the date')
  await born.pressSequentially('25112026')
  t.equal(await born.inputValue(), '25/11/2026', 'typed digits read as day, month, year')
  await page.getByTestId('save-status').filter({ hasText: 'Đã lưu' }).waitFor()
  const saved = await eventually('the draft saved with the date', async () => {
    const d = (await api.call('GET', `/api/dossiers/drafts/${draftId}`, 'congdan')).json() as {
      formData: { treEm?: { ngaySinh?: string } }
    }
    return d.formData.treEm?.ngaySinh
  })
  t.equal(saved, '2026-11-25', 'the form data keeps the ISO date')
  await born.fill('31/02/2026')
  await born.blur()
  await page.getByRole('button', { name: 'Nộp hồ sơ' }).click()
  await page.locator('.form-errors').filter({ hasText: 'Ngày, tháng, năm sinh' }).waitFor()
  t.pass('an impossible date is named as a mistake, not taken as empty')

  const officer = (await world.newPage({ locale: 'en-US' })).page
  await world.login(officer, 'motcua-xa')
  const due = officer.locator('#wl-due')
  await due.waitFor()
  t.equal(await due.getAttribute('placeholder'), 'dd/mm/yyyy')
  await due.pressSequentially('01122026')
  t.equal(await due.inputValue(), '01/12/2026')
  await officer.waitForURL(/dueBefore=2026-12-01/)
  t.pass('the worklist filter gets the ISO date')

  const leader = (await world.newPage({ locale: 'en-US' })).page
  await world.login(leader, 'lanhdao')
  await leader.goto(`${world.baseUrl}/giam-sat`)
  const month = leader.locator('#sv-bottleneck-period-month')
  await month.waitFor()
  t.match(await month.inputValue(), /^(0[1-9]|1[0-2])\/20\d\d$/, 'the month reads mm/yyyy after "Tháng"')
  await month.fill('')
  await month.pressSequentially('032026')
  t.equal(await month.inputValue(), '03/2026')
  await screenshot(leader, 'supervisor-month-picker-en-browser')
})

t.test('at 390 px wide, the catalogue and the worklist do not scroll sideways', async (t) => {
  const { page } = await world.newPage({ viewport: { width: 390, height: 844 } })
  const sideways = () => page.evaluate(() => document.scrollingElement!.scrollWidth - window.innerWidth)
  /** The elements reaching past the right edge, to say what is too wide. */
  const tooWide = () =>
    page.evaluate(() =>
      [...document.querySelectorAll('body *')]
        .filter((el) => el.getBoundingClientRect().right > window.innerWidth + 1)
        .slice(0, 5)
        .map((el) => `${el.tagName.toLowerCase()}.${el.className}`),
    )
  await page.goto(`${world.baseUrl}/thu-tuc`)
  await page.getByRole('link', { name: 'Đăng ký khai sinh', exact: true }).waitFor()
  t.ok((await sideways()) <= 0, `catalogue: ${await sideways()} px too wide: ${(await tooWide()).join(', ')}`)
  await screenshot(page, 'citizen-catalogue-390')
  await world.login(page, 'motcua-xa')
  await page.getByRole('heading', { level: 1, name: 'Danh sách công việc' }).waitFor()
  await page.locator('#wl-procedure option').nth(1).waitFor({ state: 'attached' })
  t.ok((await sideways()) <= 0, `worklist: ${await sideways()} px too wide: ${(await tooWide()).join(', ')}`)
  await screenshot(page, 'officer-worklist-390')
})

t.test('the error summary shrinks and goes as mistakes are fixed; the submission lists every problem', async (t) => {
  const { page } = await world.newPage()
  await world.login(page, 'congdan')
  await openDraft(page)
  await page.getByRole('button', { name: 'Nộp hồ sơ' }).click()
  const summary = page.locator('.form-errors')
  await summary.waitFor()
  const problem = page.getByTestId('submit-problem')
  await problem.waitFor()
  const parts = await problem.locator('li').evaluateAll((lis) => lis.map((li) => li.getAttribute('data-part')))
  t.ok(parts.includes('delivery'), 'the delivery is named')
  t.ok(parts.includes('attachment'), 'the documents are named')
  t.ok(parts.includes('form'), 'and the form, in the same answer')
  t.match(await problem.textContent(), /Bản chính Giấy chứng sinh.*: Chưa đính kèm/, 'a document by its name')
  await screenshot(page, 'citizen-draft-all-problems')

  const listed = () => summary.locator('li').count()
  const before = await listed()
  await page.getByRole('group', { name: 'Người được khai sinh' }).getByLabel('Dân tộc').fill('Kinh')
  await eventually('the fixed field to leave the summary', async () => (await listed()) < before)
  t.pass('one mistake fixed, one line fewer')
  await fillBirthForm(page)
  await summary.waitFor({ state: 'detached' })
  t.pass('with every mistake fixed, the summary is gone')
})

t.test('the decision panel shows the chosen decision’s fields; a completed task shows the new state', async (t) => {
  const { taskKey } = await submittedBirthDossier()
  const { page } = await world.newPage()
  await world.login(page, 'motcua-xa')
  await page.goto(`${world.baseUrl}/can-bo/nhiem-vu/${encodeURIComponent(taskKey)}`)
  await page.getByRole('button', { name: 'Nhận xử lý' }).click()
  const panel = page.locator('section.decision')
  const accept = panel.getByRole('radio', { name: 'Tiếp nhận' })
  await accept.waitFor()
  const missing = panel.getByText('Thành phần còn thiếu')
  const reason = panel.getByText('Lý do')
  t.equal(await missing.count(), 0, 'nothing but the decision before one is chosen')
  await accept.check()
  await panel.getByLabel('Ghi chú').waitFor()
  t.equal(await missing.count(), 0, 'accepting: no missing components')
  t.equal(await reason.count(), 0, 'accepting: no reason')
  await panel.getByRole('radio', { name: 'Yêu cầu bổ sung' }).check()
  await missing.first().waitFor()
  t.match(
    await panel.locator('fieldset, .form-group').filter({ hasText: 'Thành phần còn thiếu' }).first().textContent(),
    /\*/,
    'a supplement request: the missing components, required',
  )
  await panel.getByRole('radio', { name: 'Từ chối' }).check()
  await reason.first().waitFor()
  t.equal(await missing.count(), 0, 'refusing: the reason only')
  await accept.check()
  await missing.waitFor({ state: 'detached' }).catch(() => undefined)
  t.equal(await reason.count(), 0)
  await screenshot(page, 'officer-decision-accept')

  await panel.getByRole('button', { name: 'Hoàn thành' }).click()
  const done = page.getByTestId('task-done')
  await done.waitFor()
  t.match(await done.textContent(), /Đã hoàn thành công việc/)
  const code = await eventually(
    'the code the reception gave',
    async () => /Mã hồ sơ: (X99\.30-\d{6}-\d{4})/.exec((await done.textContent()) ?? '')?.[1],
  )
  t.ok(code, `the code the reception gave: ${code}`)
  t.not(await done.locator('[data-status]').getAttribute('data-status'), '1', 'the new status, no longer submitted')
  await done.getByRole('button', { name: 'In giấy tiếp nhận và hẹn trả kết quả' }).waitFor()
  await eventually('the page header to show the new status', async () =>
    (await page.locator('.task-head [data-status]').getAttribute('data-status')) !== '1' ? true : undefined,
  )
  t.match(
    await page.getByRole('heading', { level: 1 }).textContent(),
    /X99\.30-/,
    'the title names the dossier by its code',
  )
  await screenshot(page, 'officer-task-done')
})
