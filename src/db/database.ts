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
    const pglite = await PGlite.create(opts.dataDir)
    const server = new PGLiteSocketServer({ db: pglite, host: '127.0.0.1', port: 0 })
    await server.start()
    const url = `postgres://postgres@${server.getServerConn()}/postgres`
    // Pool of exactly 1: PGlite runs one query at a time, and a second connection used while a
    // transaction is open on another would hang.
    const { knex, pool } = pooledKnex(url, 1)
    let closed = false
    return {
      knex,
      pool,
      embedded: true,
      url,
      async close() {
        if (closed) return
        closed = true
        await closePooled(knex, pool)
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
