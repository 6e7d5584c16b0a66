// Steps of a citizen's onboarding in the browser shared by the browser tests: passing the ALTCHA bot check, and
// following the link of a mail that the real SMTP peer received.
import type { Test } from 'tap'
import type { Page } from 'playwright-core'
import type { OutboxSender } from '../../src/outbox/sender.js'
import { eventually } from '../helpers/eventually.js'
import type { TestSmtpServer } from '../helpers/smtp.js'

/** Ticks the ALTCHA box and waits for the browser to solve the challenge. */
export async function passBotCheck(t: Test, page: Page): Promise<void> {
  // The box is drawn over the checkbox: a person clicks its label, as here; the label then says what happens.
  await page.getByText('Tôi không phải là robot', { exact: true }).click()
  await page.getByRole('checkbox', { name: 'Đã xác minh' }).waitFor({ timeout: 60_000 })
  t.ok(await page.getByRole('checkbox', { name: 'Đã xác minh' }).isChecked(), 'the bot check is passed')
}

/**
 * Reads mails as their recipient does: `linkInMail(to, subject)` delivers the outbox through the SMTP peer and
 * returns the link of the newest mail to `to` whose subject matches, on the server at `baseUrl`.
 */
export function mailLinks(sender: OutboxSender, smtp: TestSmtpServer, baseUrl: string) {
  return async function linkInMail(to: string, subject: RegExp): Promise<string> {
    const mail = await eventually(`a mail to ${to}`, async () => {
      await sender.runOnce()
      return [...smtp.received]
        .reverse()
        .find((m) => JSON.stringify(m.to).includes(to) && subject.test(m.subject ?? ''))
    })
    const link = /https?:\/\/[^\s]+\/([a-z-]+\?token=[A-Za-z0-9_-]+)/.exec(mail.text ?? '')
    if (!link) throw new Error(`no link in ${mail.text}`)
    return `${baseUrl}/${link[1]}`
  }
}
