import t from 'tap'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createTestDatabase, dbKind } from './helpers/db.js'
import { openEmbeddedDatabase } from '../src/db/database.js'
import { DataDirLockedError } from '../src/db/lock.js'

t.test(`migrations apply on ${dbKind} and the audit log is append-only`, async (t) => {
  const db = await createTestDatabase(t)
  const [row] = await db
    .knex('audit_events')
    .insert({ action: 'test.did', subject_type: 'test', subject_id: '1', data: { a: 1 } })
    .returning(['id', 'data'])
  t.same(row.data, { a: 1 })
  await t.rejects(db.knex('audit_events').update({ action: 'x' }), /append-only/)
  await t.rejects(db.knex('audit_events').del(), /append-only/)
  const rows = await db.knex('audit_events').select('id')
  t.equal(rows.length, 1)
})

t.test('embedded data directory: a second opener is refused, data survives a reopen', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'motcua-db-'))
  const lockFile = join(dir, 'motcua.lock')
  const first = await openEmbeddedDatabase({ dataDir: join(dir, 'pg'), lockFile })
  await first.knex.raw('CREATE TABLE kept (v int)')
  await first.knex('kept').insert({ v: 42 })
  await t.rejects(openEmbeddedDatabase({ dataDir: join(dir, 'pg'), lockFile }), DataDirLockedError)
  await first.close()
  const again = await openEmbeddedDatabase({ dataDir: join(dir, 'pg'), lockFile })
  t.teardown(() => again.close())
  t.same(await again.knex('kept').select('v'), [{ v: 42 }])
})

t.test('a lock left by a dead process is taken over', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'motcua-lock-'))
  const lockFile = join(dir, 'motcua.lock')
  writeFileSync(lockFile, '999999999')
  const db = await openEmbeddedDatabase({ dataDir: 'memory://', lockFile })
  t.teardown(() => db.close())
  t.pass('opened despite the stale lock')
})
