// Gives each test file its own fresh, migrated database: a new database on the PostgreSQL server
// named by TEST_DATABASE_URL, or an in-memory embedded PGlite when it is not set, loaded from the cached template
// (src/db/template.ts) instead of running initdb and the migrations in every file.
import { randomBytes } from 'node:crypto'
import type { Test } from 'tap'
import { defaultCacheDir } from '../../src/config.js'
import {
  embeddedTemplate,
  openEmbeddedDatabase,
  openServerDatabase,
  knexFor,
  type Database,
} from '../../src/db/database.js'
import type { TemplateKind } from '../../src/db/template.js'
import { migrateLatest } from '../../src/db/migrate.js'

export const testServerUrl: string | undefined = process.env['TEST_DATABASE_URL'] || undefined
export const dbKind = testServerUrl ? 'postgresql-server' : 'pglite'
const cacheDir = process.env['CACHE_DIR'] || defaultCacheDir()

/** Creates an empty database (no migrations). Dropped/closed when the test ends. */
export function createEmptyTestDatabase(t: Test): Promise<Database> {
  return createDatabase(t, 'empty')
}

async function createDatabase(t: Test, kind: TemplateKind): Promise<Database> {
  let db: Database
  if (testServerUrl) {
    const name = `motcua_t_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`
    const admin = knexFor(testServerUrl, 1)
    await admin.raw(`CREATE DATABASE ${name}`)
    const url = new URL(testServerUrl)
    url.pathname = `/${name}`
    db = await openServerDatabase(url.toString(), 10)
    const close = db.close
    db.close = async () => {
      await close()
      await admin.raw(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
      await admin.destroy()
    }
  } else {
    db = await openEmbeddedDatabase({ dataDir: 'memory://', template: () => embeddedTemplate(kind, cacheDir) })
  }
  t.teardown(() => db.close())
  return db
}

/**
 * Creates a fresh database with every migration applied. On PGlite it starts from the migrated template, so
 * migrateLatest only checks that nothing is pending.
 */
export async function createTestDatabase(t: Test): Promise<Database> {
  const db = await createDatabase(t, 'migrated')
  await migrateLatest(db.knex)
  return db
}
