// Specification (browser): a citizen signs up in the portal behind the ALTCHA check, verifies the e-mail with the link
// the real SMTP peer received, forgets the password and resets it from the mailed link, signs in, finds the applicant
// block of a new dossier form filled from the profile, finds the draft again in "Hồ sơ của tôi" and when starting the
// procedure again, changes the phone on the account page, and deletes the draft. Screenshots of each new screen.
import t from 'tap'
import { EMAIL_CHANNEL, smtpTransport } from '../../src/notifications/email.js'
import { OutboxSender } from '../../src/outbox/sender.js'
import { audit, screenshot, startWebWorld } from '../helpers/browser.js'
import { eventually } from '../helpers/eventually.js'
import { startSmtpServer } from '../helpers/smtp.js'
import { mailLinks, passBotCheck } from './onboarding-steps.js'

const w = await startWebWorld(t, { RATE_LIMIT_ALLOW: '127.0.0.1' })
const smtp = await startSmtpServer(t)
const sender = new OutboxSender({
  knex: w.db.knex,
  transports: { [EMAIL_CHANNEL]: smtpTransport({ url: smtp.url, from: 'Một cửa <no-reply@motcua.test>' }) },
  logger: { info() {}, warn() {}, error() {} },
  pollIntervalMs: 20,
})

const linkInMail = mailLinks(sender, smtp, w.baseUrl)

const email = 'tran.thi.lan@example.invalid'
const firstPassword = 'Hoa-phượng-đỏ-sân-trường-2026'
const newPassword = 'Mưa-Sài-Gòn-tháng-sáu-2027'

t.test('sign up, verify the e-mail, forget and reset the password, sign in', async (t) => {
  const { page } = await w.newPage()
  await page.goto(`${w.baseUrl}/dang-nhap`)
  await page.getByRole('link', { name: 'Chưa có tài khoản? Đăng ký' }).click()
  await page.getByRole('heading', { name: 'Đăng ký tài khoản' }).waitFor()
  t.ok(await page.getByRole('radio', { name: 'Công dân Việt Nam (CCCD)' }).isChecked(), 'a citizen by default')
  await page.getByLabel('Họ, chữ đệm và tên').fill('Trần Thị Lan')
  await page.getByLabel('Số CCCD (12 chữ số)').fill('001190004321')
  await page.getByLabel('Thư điện tử').fill(email)
  await page.getByLabel('Số điện thoại (không bắt buộc)').fill('0987654321')
  await page.getByLabel('Tên đăng nhập').fill('tranthilan')
  await page.getByLabel('Mật khẩu', { exact: true }).fill(firstPassword)
  await page.getByLabel('Nhập lại mật khẩu').fill(firstPassword)
  t.ok(await page.getByRole('button', { name: 'Đăng ký' }).isDisabled(), 'no sign-up before the bot check')
  await passBotCheck(t, page)
  await screenshot(page, 'onboarding-sign-up')
  await page.getByRole('button', { name: 'Đăng ký' }).click()
  const answer = page.getByRole('status').filter({ hasText: 'Đã nhận yêu cầu đăng ký' })
  await answer.waitFor()
  t.match(await answer.textContent(), /kiểm tra hộp thư điện tử/)

  await page.goto(await linkInMail(email, /Xác nhận địa chỉ thư điện tử/))
  await page.getByText('Địa chỉ thư điện tử đã được xác thực.').waitFor()
  await audit(page, 'onboarding-email-verified')

  await page.goto(`${w.baseUrl}/dang-nhap`)
  await page.getByRole('link', { name: 'Quên mật khẩu?' }).click()
  await page.getByRole('heading', { name: 'Quên mật khẩu' }).waitFor()
  await page.getByLabel('Thư điện tử').fill(email)
  await passBotCheck(t, page)
  await screenshot(page, 'onboarding-forgot-password')
  await page.getByRole('button', { name: 'Gửi liên kết đặt lại mật khẩu' }).click()
  await page.getByRole('status').filter({ hasText: 'Nếu địa chỉ thư điện tử này thuộc một tài khoản' }).waitFor()

  await page.goto(await linkInMail(email, /Đặt lại mật khẩu/))
  await page.getByRole('heading', { name: 'Đặt lại mật khẩu' }).waitFor()
  await page.getByLabel('Mật khẩu mới', { exact: true }).fill(newPassword)
  await page.getByLabel('Nhập lại mật khẩu mới').fill(newPassword)
  await screenshot(page, 'onboarding-reset-password')
  await page.getByRole('button', { name: 'Lưu mật khẩu mới' }).click()
  await page.getByRole('status').filter({ hasText: 'Mật khẩu mới đã được lưu' }).waitFor()

  await page.getByRole('link', { name: 'Đăng nhập' }).last().click()
  await page.getByLabel('Tên đăng nhập').fill('tranthilan')
  await page.getByLabel('Mật khẩu').fill(firstPassword)
  await page.getByRole('button', { name: 'Đăng nhập' }).click()
  await page.locator('[data-code="MC_ERR_LOGIN_FAILED"]').waitFor()
  t.pass('the old password no longer works')
  await page.getByLabel('Mật khẩu').fill(newPassword)
  await page.getByRole('button', { name: 'Đăng nhập' }).click()
  await page.getByRole('heading', { name: 'Hồ sơ của tôi' }).waitFor()
  t.equal(await page.getByTestId('current-user').textContent(), 'Trần Thị Lan')
})

t.test('the form is pre-filled from the profile; the draft is found again, offered again, then deleted', async (t) => {
  const { page } = await w.newPage()
  await page.goto(`${w.baseUrl}/dang-nhap`)
  await page.getByLabel('Tên đăng nhập').fill('tranthilan')
  await page.getByLabel('Mật khẩu').fill(newPassword)
  await page.getByRole('button', { name: 'Đăng nhập' }).click()
  await page.getByRole('heading', { name: 'Hồ sơ của tôi' }).waitFor()

  await page.getByRole('link', { name: 'Tài khoản' }).click()
  await page.getByRole('heading', { name: 'Tài khoản của tôi' }).waitFor()
  t.match(await page.getByTestId('profile').textContent(), /001190004321/)
  await page.getByRole('textbox', { name: 'Số điện thoại', exact: true }).fill('0911222333')
  await page.getByRole('button', { name: 'Lưu', exact: true }).click()
  await page.getByRole('status').filter({ hasText: 'Đã lưu.' }).waitFor()
  await screenshot(page, 'onboarding-account')

  await page.goto(`${w.baseUrl}/thu-tuc/dang-ky-khai-sinh`)
  await page.getByRole('button', { name: 'Nộp hồ sơ trực tuyến' }).click()
  await page.waitForURL(/\/nop-ho-so\/[0-9a-f-]{36}$/)
  const draftUrl = page.url()
  const applicant = page.getByRole('group', { name: 'Người yêu cầu' })
  t.equal(await applicant.getByLabel('Họ, chữ đệm và tên').inputValue(), 'Trần Thị Lan', 'the name from the profile')
  t.equal(await applicant.getByLabel('Số định danh cá nhân').inputValue(), '001190004321', 'the CCCD')
  t.equal(await applicant.getByLabel('Số điện thoại').inputValue(), '0911222333', 'the phone as just changed')
  await page.getByRole('group', { name: 'Người được khai sinh' }).getByLabel('Họ, chữ đệm và tên').fill('Trần Văn Nhỏ')
  await eventually('the autosave', async () => {
    const draft = await w.db
      .knex('dossier_drafts')
      .where({ id: draftUrl.split('/').pop() })
      .first('form_data')
    return (draft?.form_data as { treEm?: { hoTen?: string } }).treEm?.hoTen === 'Trần Văn Nhỏ'
  })

  await page.getByRole('link', { name: 'Hồ sơ của tôi' }).click()
  const drafts = page.getByRole('table', { name: 'Hồ sơ đang soạn (chưa nộp)' })
  await drafts.getByRole('cell', { name: 'Đăng ký khai sinh', exact: true }).waitFor()
  await screenshot(page, 'onboarding-my-drafts')
  await drafts.getByRole('link', { name: /Tiếp tục/ }).click()
  await page.waitForURL(draftUrl)
  t.equal(
    await page.getByRole('group', { name: 'Người được khai sinh' }).getByLabel('Họ, chữ đệm và tên').inputValue(),
    'Trần Văn Nhỏ',
    'the draft resumes where it was left',
  )

  await page.goto(`${w.baseUrl}/thu-tuc/dang-ky-khai-sinh`)
  await page.getByRole('button', { name: 'Nộp hồ sơ trực tuyến' }).click()
  await page.getByRole('status').filter({ hasText: 'Bạn đang có một hồ sơ nháp của thủ tục này' }).waitFor()
  await screenshot(page, 'onboarding-open-draft-offered')
  await page.getByRole('link', { name: 'Tiếp tục hồ sơ nháp' }).click()
  await page.waitForURL(draftUrl)
  const owner = await w.db.knex('users').where({ username: 'tranthilan' }).first('id')
  t.equal(
    (await w.db.knex('dossier_drafts').where({ owner_id: owner.id }).count({ n: '*' }))[0]!.n,
    1,
    'no second draft was made',
  )

  await page.getByRole('link', { name: 'Hồ sơ của tôi' }).click()
  page.once('dialog', (dialog) => void dialog.accept())
  await drafts.getByRole('button', { name: /Xóa/ }).click()
  await drafts.waitFor({ state: 'detached' })
  t.equal(
    (await w.db.knex('dossier_drafts').where({ owner_id: owner.id }).count({ n: '*' }))[0]!.n,
    0,
    'the draft is deleted',
  )
})
