// Opens the database: a real PostgreSQL server when DATABASE_URL is set, otherwise embedded PGlite
// served in-process over the pg wire protocol, so the rest of the code path is identical.
import { join } from 'node:path'
import knexFactory, { type Knex } from 'knex'
import pg from 'pg'
import { PGlite } from '@electric-sql/pglite'
import { PGLiteSocketServer } from '@electric-sql/pglite-socket'
import { acquireLock } from './lock.js'

// timestamptz and bigint come back as JS values we can reason about: dates as Date, int8 as number
// when safe (counts, sequences); numeric stays a string.
pg.types.setTypeParser(20, (v) => {
  const n = Number(v)
  return Number.isSafeInteger(n) ? n : v
})

export interface Database {
  knex: Knex
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
}

export function knexFor(url: string, poolMax: number): Knex {
  return knexFactory({
    client: 'pg',
    connection: url,
    pool: { min: 0, max: poolMax, idleTimeoutMillis: 30_000 },
    acquireConnectionTimeout: 30_000,
  })
}

export async function openServerDatabase(url: string, poolMax = 10): Promise<Database> {
  const knex = knexFor(url, poolMax)
  return { knex, embedded: false, url, close: () => knex.destroy() }
}

export async function openEmbeddedDatabase(opts: EmbeddedOptions): Promise<Database> {
  const lock = opts.lockFile ? acquireLock(opts.lockFile) : undefined
  try {
    const pglite = await PGlite.create(opts.dataDir)
    const server = new PGLiteSocketServer({ db: pglite, host: '127.0.0.1', port: 0 })
    await server.start()
    const url = `postgres://postgres@${server.getServerConn()}/postgres`
    // Pool of exactly 1: PGlite runs one query at a time, and a second connection used while a
    // transaction is open on another would hang.
    const knex = knexFor(url, 1)
    let closed = false
    return {
      knex,
      embedded: true,
      url,
      async close() {
        if (closed) return
        closed = true
        await knex.destroy()
        await server.stop()
        await pglite.close()
        lock?.release()
      },
    }
  } catch (err) {
    lock?.release()
    throw err
  }
}

export function openDatabase(cfg: { databaseUrl?: string; dataDir: string }): Promise<Database> {
  if (cfg.databaseUrl) return openServerDatabase(cfg.databaseUrl)
  return openEmbeddedDatabase({ dataDir: join(cfg.dataDir, 'pg'), lockFile: join(cfg.dataDir, 'motcua.lock') })
}
