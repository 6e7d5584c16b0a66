// Gives each test file its own fresh, migrated database: a new database on the PostgreSQL server
// named by TEST_DATABASE_URL, or an in-memory embedded PGlite when it is not set. Neither runs the migrations in every
// file: PGlite loads the cached template (src/db/template.ts); the server copies a migrated template database
// (CREATE DATABASE … TEMPLATE), built once per migration set by the first file that needs it.
import { randomBytes } from 'node:crypto'
import pg from 'pg'
import type { Test } from 'tap'
import { defaultCacheDir } from '../../src/config.js'
import {
  embeddedTemplate,
  openEmbeddedDatabase,
  openServerDatabase,
  knexFor,
  type Database,
} from '../../src/db/database.js'
import { templateKey, type TemplateKind } from '../../src/db/template.js'
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
    const template = kind === 'migrated' ? await migratedServerTemplate(testServerUrl) : undefined
    const admin = knexFor(testServerUrl, 1)
    await admin.raw(template ? `CREATE DATABASE ${name} TEMPLATE ${template}` : `CREATE DATABASE ${name}`)
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

const templatePrefix = 'motcua_tpl_'
let serverTemplate: Promise<string> | undefined

/**
 * The name of a migrated template database on the server for this migration set (its name holds the set's hash, so an
 * edited or new migration gets a new one), built under an advisory lock so that parallel test files build it once. It
 * is built under another name and renamed when complete, so a run that dies half-way leaves nothing that looks
 * finished; it refuses connections, so CREATE DATABASE can always copy it. Templates unused for a week are dropped.
 */
function migratedServerTemplate(serverUrl: string): Promise<string> {
  serverTemplate ??= (async () => {
    const name = `${templatePrefix}${templateKey('migrated').slice('migrated-'.length)}`
    const client = new pg.Client({ connectionString: serverUrl })
    await client.connect()
    try {
      await client.query('SELECT pg_advisory_lock(hashtext($1))', ['motcua-test-template'])
      // Half-built templates of runs that died while building (no builder runs now: they all hold this lock).
      const broken = await client.query<{ datname: string }>(
        `SELECT datname FROM pg_database WHERE datname LIKE 'motcua\\_tplb\\_%'`,
      )
      for (const { datname } of broken.rows) await client.query(`DROP DATABASE IF EXISTS ${datname} WITH (FORCE)`)
      const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name])
      if (found.rowCount === 0) {
        const building = `motcua_tplb_${randomBytes(6).toString('hex')}`
        await client.query(`CREATE DATABASE ${building}`)
        const url = new URL(serverUrl)
        url.pathname = `/${building}`
        const db = await openServerDatabase(url.toString(), 2)
        try {
          await migrateLatest(db.knex)
        } finally {
          await db.close()
        }
        await client.query(`ALTER DATABASE ${building} RENAME TO ${name}`)
        await client.query(`ALTER DATABASE ${name} WITH IS_TEMPLATE true ALLOW_CONNECTIONS false`)
      }
      await client.query(`COMMENT ON DATABASE ${name} IS '${new Date().toISOString()}'`)
      // Templates of other migration sets (other branches, older commits) go once nobody used them for a week.
      const stale = await client.query<{ datname: string }>(
        `SELECT datname FROM pg_database WHERE (datname LIKE 'motcua\\_tpl\\_%' AND datname <> $1
           AND coalesce(shobj_description(oid, 'pg_database'), '') < $2)`,
        [name, new Date(Date.now() - 7 * 86_400_000).toISOString()],
      )
      for (const { datname } of stale.rows) {
        await client.query(`ALTER DATABASE ${datname} WITH IS_TEMPLATE false`)
        await client.query(`DROP DATABASE IF EXISTS ${datname} WITH (FORCE)`)
      }
    } finally {
      await client.query('SELECT pg_advisory_unlock(hashtext($1))', ['motcua-test-template']).catch(() => undefined)
      await client.end()
    }
    return name
  })()
  return serverTemplate
}

/**
 * Creates a fresh database with every migration applied. It starts from the migrated template (PGlite's tarball, or
 * the server's template database), so migrateLatest only checks that nothing is pending.
 */
export async function createTestDatabase(t: Test): Promise<Database> {
  const db = await createDatabase(t, 'migrated')
  await migrateLatest(db.knex)
  return db
}
