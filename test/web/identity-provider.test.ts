// Sign-in with an identity provider in a real browser: the login page's "Đăng nhập bằng VNeID / tài khoản định danh"
// button goes to a real OpenID Connect provider (oidc-provider on loopback), its login and consent pages, and back to
// the portal's return page, which signs the citizen in to an account verified by the provider.
import t from 'tap'
import { createServer } from 'node:net'
import type { AddressInfo } from 'node:net'
import { audit, screenshot, startWebWorld } from '../helpers/browser.js'
import { providerEnv, startTestProvider } from '../helpers/oidc-provider.js'

// The provider must know the portal's redirect URI before the portal starts: take a free port for it.
const port = await new Promise<number>((resolve) => {
  const probe = createServer().listen(0, '127.0.0.1', () => {
    const { port } = probe.address() as AddressInfo
    probe.close(() => resolve(port))
  })
})
const base = `http://127.0.0.1:${port}`
const op = await startTestProvider(t, `${base}/dang-nhap/dinh-danh`)
op.accounts.set('an.vneid', { so_dinh_danh: '001090054321', name: 'Phạm Thị An', birthdate: '1992-09-02' })
const world = await startWebWorld(t, { ...providerEnv(op), PUBLIC_BASE_URL: base }, { port })

t.test('the citizen signs in through the provider and lands on their dossiers, identity verified', async (t) => {
  const { page } = await world.newPage()
  await page.goto(`${base}/dang-nhap`)
  const button = page.getByRole('button', { name: 'Đăng nhập bằng VNeID / tài khoản định danh' })
  await button.waitFor()
  await screenshot(page, 'login-identity-provider')
  await button.click()
  await page.waitForURL((url) => url.origin === op.issuer)
  await page.locator('input[name="login"]').fill('an.vneid')
  await page.locator('input[name="password"]').fill('any')
  await page.locator('button[type="submit"]').click()
  // The provider's consent page, then back to the portal.
  await page.waitForURL((url) => url.origin === op.issuer && url.pathname.startsWith('/interaction/'))
  await page.locator('button[type="submit"]').click()
  await page.waitForURL(`${base}/ho-so-cua-toi`)
  await page.getByTestId('current-user').waitFor()
  t.match(await page.getByTestId('current-user').textContent(), /Phạm Thị An/)
  const account = await world.db
    .knex('users')
    .where({ id_number: '001090054321' })
    .first('identity_assurance', 'identity_verified_by')
  t.same(account, { identity_assurance: 'identity_provider', identity_verified_by: op.issuer })
})

t.test('a citizen who cancels at the provider is told so on the return page', async (t) => {
  const { page } = await world.newPage()
  await page.goto(`${base}/dang-nhap/dinh-danh?error=access_denied&state=x`)
  t.match(await page.getByRole('alert').textContent(), /Bạn đã huỷ đăng nhập/)
  await page.getByRole('link', { name: 'Quay lại trang đăng nhập' }).waitFor()
  await audit(page, 'login-identity-provider-cancelled')
})
