// Configuration of e-mail delivery and file storage: optional, validated, with defaults under DATA_DIR.
import t from 'tap'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { ConfigError, loadConfig } from '../src/config.js'

t.test('given no mail or file settings, mail goes to the log and files under DATA_DIR/files', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'motcua-cfg-'))
  const config = loadConfig({ DATA_DIR: dir }, { isTTY: false })
  t.equal(config.smtpUrl, undefined)
  t.match(config.mailFrom, /@/)
  t.equal(config.filesDir, join(dir, 'files'))
})

t.test('given SMTP_URL, MAIL_FROM and FILES_DIR, they are used', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'motcua-cfg-'))
  const config = loadConfig({
    DATA_DIR: dir,
    SMTP_URL: 'smtp://u:p@mail.example:587',
    MAIL_FROM: 'Một cửa <a@b.vn>',
    FILES_DIR: 'blobs',
  })
  t.equal(config.smtpUrl, 'smtp://u:p@mail.example:587')
  t.equal(config.mailFrom, 'Một cửa <a@b.vn>')
  t.equal(config.filesDir, resolve('blobs'))
})

t.test('a bad SMTP_URL or MAIL_FROM is named', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'motcua-cfg-'))
  for (const [name, value] of [
    ['SMTP_URL', 'http://x'],
    ['MAIL_FROM', 'nobody'],
  ] as const) {
    const caught = ((): unknown => {
      try {
        loadConfig({ DATA_DIR: dir, [name]: value })
      } catch (err) {
        return err
      }
    })()
    t.ok(caught instanceof ConfigError && caught.variable === name, `${name}=${value} is refused by name`)
  }
})
