// Browser tests: the whole app (API, workers, engine, the built web app) listening on a free port,
// the reference procedures published, and Debian's Chromium driven by playwright-core. Never a
// downloaded browser: the executable is /usr/bin/chromium (CHROMIUM_PATH overrides).
import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Test } from 'tap'
import type { AxeResults, ImpactValue, RunOptions } from 'axe-core'
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core'
import { seedProcedures } from '../../src/catalogue/service.js'
import { webDistDir } from '../../src/plugins/web.js'
import { buildTestApp, type TestApp, type TestAppOptions } from './app.js'

const repoRoot = fileURLToPath(new URL('../../', import.meta.url))
export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'

function newestMtime(dir: string): number {
  let newest = 0
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name)
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs)
  }
  return newest
}

/**
 * Builds web/dist when it is missing or older than the sources (`npm ci` builds it through `prepare`).
 * Test files run in parallel: one process builds under a lock directory while the others wait, so no
 * file sees the build half-written.
 */
export function ensureWebBuilt(): void {
  const index = join(webDistDir, 'index.html')
  const fresh = () => {
    const sources = Math.max(newestMtime(join(repoRoot, 'web/src')), statSync(join(repoRoot, 'web/index.html')).mtimeMs)
    return existsSync(index) && statSync(index).mtimeMs >= sources
  }
  if (fresh()) return
  const lock = join(repoRoot, 'web/.build-lock')
  const deadline = Date.now() + 180_000
  for (;;) {
    try {
      mkdirSync(lock)
      break
    } catch {
      // Another test file is building; a lock older than the deadline is a crashed build's.
      if (
        Date.now() > deadline ||
        Date.now() - (statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? Date.now()) > 180_000
      )
        rmSync(lock, { recursive: true, force: true })
      else Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 250)
    }
  }
  try {
    if (fresh()) return
    execFileSync(
      process.execPath,
      [
        join(repoRoot, 'node_modules/vite/bin/vite.js'),
        'build',
        '--config',
        'web/vite.config.ts',
        '--logLevel',
        'warn',
      ],
      {
        cwd: repoRoot,
        stdio: 'inherit',
      },
    )
  } finally {
    rmSync(lock, { recursive: true, force: true })
  }
}

export interface WebWorld extends TestApp {
  baseUrl: string
  browser: Browser
  /** A fresh browser context (own storage, Vietnamese locale) and page; closed with the test. */
  newPage(opts?: {
    locale?: string
    viewport?: { width: number; height: number }
  }): Promise<{ context: BrowserContext; page: Page }>
  /** Logs in through the login page as a demo account. */
  login(page: Page, username: string): Promise<void>
  password(username: string): string
}

/** The app listening on 127.0.0.1 with the reference procedures published, and a headless Chromium. */
export async function startWebWorld(
  t: Test,
  env: Record<string, string> = {},
  opts: TestAppOptions & { port?: number } = {},
): Promise<WebWorld> {
  ensureWebBuilt()
  const { port = 0, ...appOptions } = opts
  const world = await buildTestApp(t, env, appOptions)
  await seedProcedures(world.db.knex, world.app.engine)
  // A fixed port when a peer must know the app's address before it starts (an identity provider's redirect URI, a
  // gateway's return URL): the `port` option, or the PORT the test's environment names.
  const address = await world.app.listen({ host: '127.0.0.1', port: port || (env['PORT'] ? world.config.port : 0) })
  const browser = await chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
    ],
  })
  t.teardown(() => browser.close())
  const password = (username: string) => {
    const p = world.demo.find((d) => d.username === username)?.password
    if (!p) throw new Error(`no demo account ${username}`)
    return p
  }
  return {
    ...world,
    baseUrl: address,
    browser,
    password,
    async newPage(opts = {}) {
      const context = await browser.newContext({
        locale: opts.locale ?? 'vi-VN',
        viewport: opts.viewport ?? { width: 1366, height: 900 },
        timezoneId: 'Asia/Ho_Chi_Minh',
      })
      context.setDefaultTimeout(45_000)
      const page = await context.newPage()
      t.teardown(() => context.close())
      return { context, page }
    },
    async login(page, username) {
      await page.goto(`${address}/dang-nhap`)
      await page.getByLabel('Tên đăng nhập').fill(username)
      await page.getByLabel('Mật khẩu').fill(password(username))
      await page.getByRole('button', { name: 'Đăng nhập' }).click()
      await page.getByTestId('current-user').waitFor()
    },
  }
}

const screenshotDir = join(repoRoot, 'docs/screenshots')

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8')

/** The impacts that fail a screen: the issue asks for zero serious or critical WCAG 2.1 AA violations. */
const failingImpacts: ImpactValue[] = ['serious', 'critical']

/**
 * Runs axe-core's WCAG 2.1 A and AA rules on the page as it is now and throws, listing each rule, its
 * impact, the elements it found and the help text, when one of them is serious or critical. Every
 * screenshot runs it, so each screen a browser test shows is audited; a screen a test visits without a
 * screenshot calls it directly. `name` says which screen failed.
 */
export async function audit(page: Page, name: string): Promise<void> {
  // page.evaluate runs through the DevTools protocol, which the app's CSP (`script-src 'self'`) does not
  // govern, so axe needs no change to the CSP the app is tested with.
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(axeSource)
  const options: RunOptions = {
    runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
    resultTypes: ['violations'],
  }
  const results = await page.evaluate(
    async (options) =>
      (await (window as unknown as { axe: typeof import('axe-core') }).axe.run(document, options)) as AxeResults,
    options,
  )
  const failing = results.violations.filter((v) => failingImpacts.includes(v.impact ?? null))
  if (failing.length === 0) return
  const lines = failing.map(
    (v) =>
      `- ${v.id} (${v.impact}): ${v.help}\n` +
      v.nodes
        .map(
          (n) =>
            `    ${n.target.join(' >> ')}${n.failureSummary ? `\n      ${n.failureSummary.replace(/\n/g, '\n      ')}` : ''}`,
        )
        .join('\n'),
  )
  throw new Error(
    `accessibility audit of "${name}" (${page.url()}): ${failing.length} serious or critical WCAG 2.1 AA violation(s)\n${lines.join('\n')}`,
  )
}

/**
 * Saves a full-page screenshot, then audits the screen (see `audit`). Into docs/screenshots/<name>.png
 * when UPDATE_SCREENSHOTS=1 (how the README's pictures are refreshed), otherwise into a temporary
 * directory so a normal run leaves the tree untouched but still proves the screen renders.
 */
export async function screenshot(page: Page, name: string): Promise<string> {
  const dir =
    process.env.UPDATE_SCREENSHOTS === '1' ? screenshotDir : (tmpShots ??= mkdtempSync(join(tmpdir(), 'motcua-shots-')))
  mkdirSync(dir, { recursive: true })
  const file = join(dir, `${name}.png`)
  await page.screenshot({ path: file, fullPage: true })
  // After the picture, so a failing screen's picture is there to look at.
  await audit(page, name)
  return file
}
let tmpShots: string | undefined
