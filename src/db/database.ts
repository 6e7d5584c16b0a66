// Opens the database: a real PostgreSQL server when DATABASE_URL is set, otherwise embedded PGlite
// served in-process over the pg wire protocol, so the rest of the code path is identical.
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import knexFactory, { type Knex } from 'knex'
import pg from 'pg'
import { PGlite } from '@electric-sql/pglite'
import { PGLiteSocketServer } from '@electric-sql/pglite-socket'
import { acquireLock } from './lock.js'
import { migrateLatest } from './migrate.js'
import { cachedTemplate, type TemplateKind } from './template.js'

// timestamptz and bigint come back as JS values we can reason about: dates as Date, int8 as number
// when safe (counts, sequences); numeric stays a string.
pg.types.setTypeParser(20, (v) => {
  const n = Number(v)
  return Number.isSafeInteger(n) ? n : v
})

/** A pool connection held across several messages (the embedded engine's step); `release()` returns it. */
export interface HeldConnection {
  query(text: string): Promise<unknown>
  release(): void
}

/** Where a connection to hold comes from: the same pool knex draws from, so the pool's size bounds both. */
export interface ConnectionSource {
  connect(): Promise<HeldConnection>
}

export interface Database {
  knex: Knex
  /** The pool behind `knex`, for code that must hold one connection across messages. */
  pool: ConnectionSource
  /** True when running on embedded PGlite: one connection, no second connection inside a transaction. */
  embedded: boolean
  /** Connection string usable by another client (tests, LISTEN). */
  url: string
  close(): Promise<void>
}

export interface EmbeddedOptions {
  /** Directory for PGlite's files; `memory://` for a throw-away database. */
  dataDir: string | 'memory://'
  /** Lock file path; omitted for in-memory databases. */
  lockFile?: string
  /**
   * A data directory tarball to start from when dataDir holds no database yet (always, for `memory://`), instead of
   * running initdb; called only then, once the lock is held.
   */
  template?: () => Promise<Blob>
}

export function knexFor(url: string, poolMax: number): Knex {
  return knexFactory({
    client: 'pg',
    connection: url,
    pool: { min: 0, max: poolMax, idleTimeoutMillis: 30_000 },
    acquireConnectionTimeout: 30_000,
  })
}

/**
 * A pg.Pool and a knex over it (knex's `connectionPool` option): knex builds queries and runs transactions on the
 * pool, and the embedded engine takes a connection from the same pool to hold across a step's messages.
 */
export function pooledKnex(url: string, poolMax: number): { knex: Knex; pool: pg.Pool } {
  const pool = new pg.Pool({
    connectionString: url,
    max: poolMax,
    idleTimeoutMillis: 30_000,
    connectionTimeoutMillis: 30_000,
  })
  // A connection that breaks while checked out (server restart, network) emits 'error' with no listener of the
  // pool's own: the query in flight fails by itself, and pg-pool discards the connection when it is released.
  pool.on('connect', (client) => client.on('error', () => undefined))
  // An idle connection the server ends (restart, DROP DATABASE … FORCE) is removed by the pool, which then emits
  // 'error' on itself: without a listener that would end the process.
  pool.on('error', () => undefined)
  const knex = knexFactory({ client: 'pg', connectionPool: pool })
  return { knex, pool }
}

async function closePooled(knex: Knex, pool: pg.Pool): Promise<void> {
  await knex.destroy()
  await pool.end()
}

export async function openServerDatabase(url: string, poolMax = 10): Promise<Database> {
  const { knex, pool } = pooledKnex(url, poolMax)
  return { knex, pool, embedded: false, url, close: () => closePooled(knex, pool) }
}

export async function openEmbeddedDatabase(opts: EmbeddedOptions): Promise<Database> {
  const lock = opts.lockFile ? acquireLock(opts.lockFile) : undefined
  try {
    const fresh = opts.dataDir === 'memory://' || !existsSync(join(opts.dataDir, 'PG_VERSION'))
    const loadDataDir = fresh && opts.template ? await opts.template() : undefined
    const pglite = await PGlite.create({ dataDir: opts.dataDir, ...(loadDataDir ? { loadDataDir } : {}) })
    const served = await serve(pglite)
    let closed = false
    return {
      ...served,
      embedded: true,
      async close() {
        if (closed) return
        closed = true
        await served.close()
        await pglite.close()
        lock?.release()
      },
    }
  } catch (err) {
    lock?.release()
    throw err
  }
}

/** PGlite served over the pg wire protocol on a loopback port, with knex on it; close() leaves PGlite open. */
async function serve(pglite: PGlite): Promise<Pick<Database, 'knex' | 'pool' | 'url' | 'close'>> {
  const server = new PGLiteSocketServer({ db: pglite, host: '127.0.0.1', port: 0 })
  await server.start()
  const url = `postgres://postgres@${server.getServerConn()}/postgres`
  // Pool of exactly 1: PGlite runs one query at a time, and a second connection used while a
  // transaction is open on another would hang.
  const { knex, pool } = pooledKnex(url, 1)
  return {
    knex,
    pool,
    url,
    async close() {
      await closePooled(knex, pool)
      await server.stop()
    },
  }
}

/**
 * A PGlite data directory tarball of this kind (src/db/template.ts): from cacheDir, or built on an in-memory PGlite
 * (the migrated one from the empty one) and stored there.
 */
export function embeddedTemplate(kind: TemplateKind, cacheDir: string): Promise<Blob> {
  return cachedTemplate(kind, cacheDir, async () => {
    const pglite =
      kind === 'empty'
        ? await PGlite.create('memory://')
        : await PGlite.create({ dataDir: 'memory://', loadDataDir: await embeddedTemplate('empty', cacheDir) })
    try {
      if (kind === 'migrated') {
        const served = await serve(pglite)
        try {
          await migrateLatest(served.knex)
        } finally {
          await served.close()
        }
      }
      // Everything in the data files, so a copy starts without replaying the write-ahead log.
      await pglite.exec('CHECKPOINT')
      return (await pglite.dumpDataDir('none')).arrayBuffer()
    } finally {
      await pglite.close()
    }
  })
}

/**
 * Opens config's database. A new embedded data directory starts from the migrated template (the runtime's
 * migrateLatest then finds nothing to apply) unless `fromTemplate` is false: `motcua migrate` runs initdb and every
 * migration, and says so.
 */
export function openDatabase(
  cfg: { databaseUrl?: string; dataDir: string; cacheDir: string },
  { fromTemplate = true }: { fromTemplate?: boolean } = {},
): Promise<Database> {
  if (cfg.databaseUrl) return openServerDatabase(cfg.databaseUrl)
  return openEmbeddedDatabase({
    dataDir: join(cfg.dataDir, 'pg'),
    lockFile: join(cfg.dataDir, 'motcua.lock'),
    ...(fromTemplate ? { template: () => embeddedTemplate('migrated', cfg.cacheDir) } : {}),
  })
}
