// The accessibility audit every screenshot runs (test/helpers/browser.ts): it must fail a screen with a
// serious or critical WCAG 2.1 AA violation, say which, and pass a sound one. A page of its own, so the
// audit is proven on known faults rather than trusted from the screens that pass it.
import t from 'tap'
import { chromium } from 'playwright-core'
import { audit, chromiumPath } from '../helpers/browser.js'

const browser = await chromium.launch({ executablePath: chromiumPath, headless: true, args: ['--no-sandbox'] })
t.teardown(() => browser.close())

const page = async (body: string) => {
  const context = await browser.newContext()
  t.teardown(() => context.close())
  const p = await context.newPage()
  await p.setContent(
    `<!doctype html><html lang="vi"><head><title>Thử</title></head><body><main>${body}</main></body></html>`,
  )
  return p
}

t.test('a sound page passes', async (t) => {
  const p = await page('<h1>Tra cứu</h1><label for="m">Mã hồ sơ</label><input id="m"><button>Tra cứu</button>')
  await t.resolves(audit(p, 'sound'))
})

t.test('an unlabelled field, grey-on-white text and a nameless button fail, each named', async (t) => {
  const p = await page('<h1>Tra cứu</h1><input id="m"><p style="color:#bbb;background:#fff">Mờ</p><button></button>')
  const error = await audit(p, 'faulty').then(
    () => undefined,
    (e: unknown) => e as Error,
  )
  t.ok(error, 'the audit throws')
  t.match(error?.message, /accessibility audit of "faulty"/)
  t.match(error?.message, /- label \(critical\)/)
  t.match(error?.message, /- color-contrast \(serious\)/)
  t.match(error?.message, /- button-name \(critical\)/)
  t.match(error?.message, /#m/, 'the element is named by its selector')
})

t.test('a best-practice finding outside WCAG does not fail the screen', async (t) => {
  // Skipping a heading level and text outside any landmark are axe best practices, not WCAG criteria.
  const p = await page('<h1>Một</h1><h3>Ba</h3></main><p>Ngoài vùng chính</p><main>')
  await t.resolves(audit(p, 'best-practice'))
})
