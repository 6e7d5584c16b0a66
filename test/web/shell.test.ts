// The web shell in a real browser: served by the motcua server, Vietnamese first with an English
// switch, login by role, refresh on a deep link, the public lookup page, keyboard skip link.
import t from 'tap'
import { audit, screenshot, startWebWorld } from '../helpers/browser.js'

const world = await startWebWorld(t)

t.test('the server serves the app, deep links included, and keeps API 404s as problems', async (t) => {
  const home = await fetch(`${world.baseUrl}/`)
  t.equal(home.status, 200)
  t.match(home.headers.get('content-type'), /text\/html/)
  t.match(await home.text(), /<div id="root">/)
  const html = { accept: 'text/html,application/xhtml+xml' }
  const deep = await fetch(`${world.baseUrl}/can-bo/nhiem-vu/123`, { headers: html })
  t.equal(deep.status, 200, 'an app route loads index.html on refresh')
  const program = await fetch(`${world.baseUrl}/can-bo/nhiem-vu/123`, { headers: { accept: 'application/json' } })
  t.equal(program.status, 404, 'a program asking for JSON gets the 404 problem')
  const api = await fetch(`${world.baseUrl}/api/khong-co`, { headers: html })
  t.equal(api.status, 404)
  t.match(api.headers.get('content-type'), /application\/problem\+json/)
  t.equal(((await api.json()) as { code: string }).code, 'MC_ERR_ROUTE_NOT_FOUND')
})

t.test('Vietnamese by default, English on the switch, remembered', async (t) => {
  const { page } = await world.newPage()
  await page.goto(world.baseUrl)
  await page.getByRole('heading', { level: 1, name: 'Dịch vụ công một cửa điện tử' }).waitFor()
  t.equal(await page.getAttribute('html', 'lang'), 'vi')
  await screenshot(page, 'home')
  await page.getByRole('button', { name: 'Switch to English' }).click()
  await page.getByRole('heading', { level: 1, name: 'Electronic one-stop public services' }).waitFor()
  t.equal(await page.getAttribute('html', 'lang'), 'en')
  await page.reload()
  await page.getByRole('heading', { level: 1, name: 'Electronic one-stop public services' }).waitFor()
  t.pass('the language choice survives a reload')
})

t.test('the skip link is the first stop of the keyboard and moves to the content', async (t) => {
  const { page } = await world.newPage()
  await page.goto(world.baseUrl)
  await page.getByRole('heading', { level: 1 }).waitFor()
  await page.keyboard.press('Tab')
  const focused = await page.evaluate(() => document.activeElement?.textContent)
  t.equal(focused, 'Bỏ qua đến nội dung chính')
  await page.keyboard.press('Enter')
  t.match(page.url(), /#main$/)
})

t.test('login refuses a wrong password with a Vietnamese message, then lands each role on its home', async (t) => {
  const { page } = await world.newPage()
  await page.goto(`${world.baseUrl}/dang-nhap`)
  await page.getByLabel('Tên đăng nhập').fill('canbo')
  await page.getByLabel('Mật khẩu').fill('sai-mat-khau-123')
  await page.getByRole('button', { name: 'Đăng nhập' }).click()
  const alert = page.getByRole('alert')
  await alert.waitFor()
  t.equal(await alert.getAttribute('data-code'), 'MC_ERR_LOGIN_FAILED')
  t.notMatch(await alert.textContent(), /MC_ERR_/, 'no error code shown to a visitor (#20)')
  await screenshot(page, 'login-error')
  for (const [username, path] of [
    ['canbo', '/can-bo'],
    ['lanhdao', '/giam-sat'],
    ['phantich', '/thiet-ke'],
    ['congdan', '/ho-so-cua-toi'],
  ] as const) {
    const { page } = await world.newPage()
    await world.login(page, username)
    t.equal(new URL(page.url()).pathname, path, `${username} lands on ${path}`)
  }
})

t.test(
  'a page for another kind of account is refused, an anonymous visitor is sent to login, an unknown page is said so',
  async (t) => {
    const { page } = await world.newPage()
    await page.goto(`${world.baseUrl}/giam-sat`)
    await page.waitForURL(/\/dang-nhap\?next=%2Fgiam-sat/)
    await world.login(page, 'congdan')
    await page.goto(`${world.baseUrl}/giam-sat`)
    await page.getByRole('alert').waitFor()
    t.match(await page.getByRole('alert').textContent(), /không có quyền/)
    await audit(page, 'forbidden')
    await page.goto(`${world.baseUrl}/khong-co-trang-nay`)
    await page.getByRole('heading', { level: 1, name: 'Không tìm thấy trang' }).waitFor()
    await audit(page, 'not-found')
  },
)

t.test('public lookup: an unknown code answers the not-found problem in Vietnamese', async (t) => {
  const { page } = await world.newPage({ viewport: { width: 390, height: 844 } })
  await page.goto(`${world.baseUrl}/tra-cuu`)
  await page.getByLabel('Mã hồ sơ').fill('X99-260101-0001')
  await page.getByLabel('Số CCCD / mã số thuế').fill('001203004567')
  await page.getByRole('button', { name: 'Tra cứu' }).click()
  const alert = page.getByRole('alert')
  await alert.waitFor()
  t.match(await alert.getAttribute('data-code'), 'MC_ERR_DOSSIER_NOT_FOUND')
  await screenshot(page, 'lookup-phone')
})
