// What the load scripts' tests start: a test app with the reference procedures and the calendar, listening on
// 127.0.0.1 without rate limits, with a real SMTP peer receiving its mails (the citizens' verification links).
import type { Test } from 'tap'
import { seedProcedures } from '../../src/catalogue/service.js'
import { seedCalendar } from '../../src/db/calendar-repository.js'
import { createEmailOutboxSender } from '../../src/notifications/email.js'
import { startSmtpPeer } from '../../scripts/load/peer.js'
import { buildTestApp } from './app.js'

export async function startLoadTestApp(t: Test) {
  const built = await buildTestApp(t, { RATE_LIMIT_ALLOW: '127.0.0.1,::ffff:127.0.0.1,::1' })
  const { app, db } = built
  await seedCalendar(db.knex)
  const published = await seedProcedures(db.knex, app.engine)
  if (published.failed.length) throw new Error(JSON.stringify(published.failed))
  const peer = await startSmtpPeer()
  t.teardown(() => peer.close())
  const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined }
  const sender = createEmailOutboxSender(
    { smtpUrl: peer.url, mailFrom: 'motcua <no-reply@motcua.local>' },
    db.knex,
    quiet,
  )
  sender.start()
  t.teardown(() => sender.stop())
  const baseUrl = await app.listen({ host: '127.0.0.1', port: 0 })
  const passwords = Object.fromEntries(built.demo.map((d) => [d.username, d.password]))
  return { built, app, db, peer, baseUrl, passwords }
}
