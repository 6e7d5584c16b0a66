// The analyst's modeler page for the browser tests: logged in as the analyst, with script errors collected, and the
// steps every modeler test takes (a new draft, an element chosen, a property typed, the lint list).
import type { Test } from 'tap'
import type { Page } from 'playwright-core'
import type { startWebWorld } from './browser.js'

type World = Awaited<ReturnType<typeof startWebWorld>>

const pageErrors = new WeakMap<Page, string[]>()

/**
 * The modeler logged in as the analyst, collecting script and console errors (a Content-Security-Policy refusal is
 * one). `provokesRefusals`: the test makes the server refuse a draft, so the browser's "status of 422" line is not one.
 */
export async function analystPage(world: World, opts: { provokesRefusals?: boolean } = {}) {
  const { page } = await world.newPage({ viewport: { width: 1440, height: 1000 } })
  const errors: string[] = []
  pageErrors.set(page, errors)
  page.on('pageerror', (err) => errors.push(err.message))
  page.on('console', (m) => {
    if (m.type() !== 'error' && m.type() !== 'warning') return
    if (opts.provokesRefusals && /status of 422/.test(m.text())) return
    errors.push(`console ${m.type()}: ${m.text()}`)
  })
  await world.login(page, 'phantich')
  return page
}

export const noScriptErrors = (t: Test, page: Page) => t.same(pageErrors.get(page), [], 'no script error in the page')

/** Opens the procedure from the list and starts a new draft from its published version 1. */
export async function newDraft(page: Page, name: string, slug: string) {
  await page.locator(`a[href="/thiet-ke/${slug}"]`).click()
  await page.getByRole('heading', { level: 1, name }).waitFor()
  await page.getByRole('button', { name: 'Tạo bản nháp từ phiên bản 1' }).click()
  await page.waitForURL(new RegExp(`/thiet-ke/${slug}/2$`))
  await page
    .getByTestId('lint-summary')
    .filter({ hasText: /^(Không có lỗi|0 lỗi)/ })
    .waitFor()
}

export const propertiesShow = (page: Page, id: string) =>
  page.waitForFunction(
    (id) => (document.querySelector('#bio-properties-panel-id') as HTMLInputElement | null)?.value === id,
    id,
  )

/** Chooses an element in the editor's element finder (the keyboard's way to the diagram). */
export async function selectElement(page: Page, id: string) {
  await page.getByLabel('Đi tới phần tử').selectOption(id)
  await propertiesShow(page, id)
}

/** Types into a properties-panel field the way an analyst does (the panel saves on input). */
export async function setProperty(page: Page, field: string, value: string) {
  const input = page.locator(`#bio-properties-panel-${field}`)
  await input.fill(value)
  await input.press('Tab')
}

export const lintIssues = (page: Page) => page.getByTestId('lint-issue').allTextContents()
