import t from 'tap'
import { copyFileSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createTestDatabase, dbKind } from './helpers/db.js'
import { openEmbeddedDatabase } from '../src/db/database.js'
import { DataDirLockedError } from '../src/db/lock.js'
import { migrateLatest, migrationFiles } from '../src/db/migrate.js'
import { templateKey } from '../src/db/template.js'

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

t.test('a test database holds every migration of migrations/, whether or not it came from a template', async (t) => {
  const db = await createTestDatabase(t)
  const recorded = (await db.knex('knex_migrations').orderBy('id').select('name')).map((r: { name: string }) => r.name)
  t.same(
    recorded,
    migrationFiles().map((f) => f.name),
  )
  t.same(await migrateLatest(db.knex), [], 'nothing left to apply')
})

t.test('the migrated template is named by the migrations: a new or edited migration gets a new one', async (t) => {
  const files = migrationFiles()
  const key = templateKey('migrated', files)
  t.equal(templateKey('migrated', files), key, 'the same migrations, the same template')
  t.not(templateKey('migrated', files.slice(0, -1)), key, 'one migration fewer')
  const dir = mkdtempSync(join(tmpdir(), 'motcua-tpl-'))
  const last = files.at(-1)!
  const edited = join(dir, last.name)
  copyFileSync(last.path, edited)
  writeFileSync(edited, '\n// edited\n', { flag: 'a' })
  t.not(templateKey('migrated', [...files.slice(0, -1), { name: last.name, path: edited }]), key, 'a migration edited')
  t.not(templateKey('migrated', [...files.slice(0, -1), { name: `${last.name}x`, path: last.path }]), key, 'renamed')
  t.equal(templateKey('empty', []), templateKey('empty', files), 'the empty template does not depend on them')
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
