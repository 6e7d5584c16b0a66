// Builds the whole app on a fresh test database and the embedded engine; closes both when the test ends.
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Test } from 'tap'
import type { FastifyInstance } from 'fastify'
import { loadConfig, type Config } from '../../src/config.js'
import { buildApp } from '../../src/app.js'
import { createEngine } from '../../src/engine/index.js'
import { seedDemo, type DemoCredential } from '../../src/db/seed.js'
import { createTestDatabase } from './db.js'
import type { Database } from '../../src/db/database.js'
import { dossierJobTypes, startDossierRuntime, type DossierRuntime } from '../../src/dossiers/index.js'

export interface TestApp {
  app: FastifyInstance
  db: Database
  config: Config
  /** The dossier service and queries, with workers, relay and read model running on the embedded engine. */
  dossiers: DossierRuntime
  demo: DemoCredential[]
  /** Logs in a demo account and returns its bearer header. */
  loginAs(username: string): Promise<{ authorization: string; refreshToken: string }>
}

export async function buildTestApp(t: Test, env: Record<string, string> = {}): Promise<TestApp> {
  const dataDir = mkdtempSync(join(tmpdir(), 'motcua-app-'))
  const config = loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'silent', NODE_ENV: 'test', ...env }, { isTTY: false })
  const db = await createTestDatabase(t)
  const demo = await seedDemo(db.knex, dataDir)
  const engine = await createEngine(config, db, { knownJobTypes: new Set(dossierJobTypes) })
  await engine.start()
  const dossiers = startDossierRuntime(db.knex, engine, { relayIntervalMs: 500, workerPollMs: 100 })
  const app = await buildApp(config, { db, engine })
  // Teardowns run in reverse: app first, then the engine, then (registered earlier) the database.
  t.teardown(() => engine.stop())
  t.teardown(() => dossiers.stop())
  t.teardown(() => app.close())
  return {
    app,
    db,
    config,
    dossiers,
    demo,
    async loginAs(username) {
      const password = demo.find((d) => d.username === username)?.password
      if (!password) throw new Error(`no demo account ${username}`)
      const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password } })
      if (res.statusCode !== 200) throw new Error(`login ${username}: ${res.statusCode} ${res.body}`)
      const body = res.json() as { accessToken: string; refreshToken: string }
      return { authorization: `Bearer ${body.accessToken}`, refreshToken: body.refreshToken }
    },
  }
}
