// Specification (browser, issue #21): on "Tài khoản của tôi" the applicant chooses how notices about their dossiers
// arrive — e-mail, SMS or both. SMS with a landline is refused with the reason in Vietnamese and nothing is saved;
// with a mobile number the choice is saved and shown again after a reload. Screenshot of the choice.
import t from 'tap'
import { screenshot, startWebWorld } from '../helpers/browser.js'

const w = await startWebWorld(t, { RATE_LIMIT_ALLOW: '127.0.0.1' })
const notifyBy = async () =>
  ((await w.db.knex('users').where({ username: 'congdan' }).first('notify_by')) as { notify_by: string }).notify_by

t.test('the applicant chooses e-mail and SMS on the account page', async (t) => {
  const { page } = await w.newPage()
  await w.login(page, 'congdan')
  await page.goto(`${w.baseUrl}/tai-khoan`)
  await page.getByRole('heading', { name: 'Tài khoản của tôi' }).waitFor()
  const choice = page.getByRole('group', { name: 'Nhận thông báo về hồ sơ qua' })
  t.ok(
    await choice.getByRole('radio', { name: 'Thư điện tử', exact: true }).isChecked(),
    'e-mail until the applicant chooses',
  )

  const phone = page.getByRole('textbox', { name: 'Số điện thoại', exact: true })
  await phone.fill('024 3825 3535')
  await choice.getByRole('radio', { name: 'Cả thư điện tử và tin nhắn SMS' }).check()
  await page.getByRole('button', { name: 'Lưu', exact: true }).click()
  const refusal = page.locator('[data-code="MC_ERR_PHONE_NOT_MOBILE"]')
  await refusal.waitFor()
  t.match(await refusal.textContent(), /số di động Việt Nam/, 'the reason, in Vietnamese')
  t.equal(await notifyBy(), 'email', 'nothing saved')

  await phone.fill('0912 345 678')
  await page.getByRole('button', { name: 'Lưu', exact: true }).click()
  await page.getByRole('status').filter({ hasText: 'Đã lưu.' }).waitFor()
  t.equal(await notifyBy(), 'both')
  await screenshot(page, 'account-notification-choice')

  await page.reload()
  await page.getByRole('heading', { name: 'Tài khoản của tôi' }).waitFor()
  t.ok(
    await page
      .getByRole('group', { name: 'Nhận thông báo về hồ sơ qua' })
      .getByRole('radio', { name: 'Cả thư điện tử và tin nhắn SMS' })
      .isChecked(),
    'the choice shown again',
  )
  t.equal(await page.getByRole('textbox', { name: 'Số điện thoại', exact: true }).inputValue(), '0912 345 678')
})
