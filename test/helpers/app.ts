// Builds the whole app on a fresh test database with the runtime the server uses (src/runtime.ts); stops both when the
// test ends.
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Test } from 'tap'
import type { FastifyInstance } from 'fastify'
import { loadConfig, type Config } from '../../src/config.js'
import { buildApp } from '../../src/app.js'
import type { DemoCredential } from '../../src/db/seed.js'
import { createTestDatabase } from './db.js'
import type { Database } from '../../src/db/database.js'
import { buildRuntime, type DossierServices, type Runtime } from '../../src/runtime.js'

export interface TestApp {
  app: FastifyInstance
  db: Database
  config: Config
  /** The runtime (services, workers, relay, read model) running on the embedded engine. */
  runtime: Runtime
  /** The dossier service and queries the routes use. */
  dossiers: DossierServices
  demo: DemoCredential[]
  /** Logs in a demo account and returns its bearer header. */
  loginAs(username: string): Promise<{ authorization: string; refreshToken: string }>
}

export interface TestAppOptions {
  /** The demo units and accounts (default true); false is a new installation, as with SEED_DEMO=false. */
  seedDemo?: boolean
}

export async function buildTestApp(
  t: Test,
  env: Record<string, string> = {},
  opts: TestAppOptions = {},
): Promise<TestApp> {
  const dataDir = mkdtempSync(join(tmpdir(), 'motcua-app-'))
  const config = loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'silent', NODE_ENV: 'test', ...env }, { isTTY: false })
  const db = await createTestDatabase(t)
  // Demo accounts but no procedures (a test publishes what it needs), and no outbox sender: tests read the outbox.
  const runtime = await buildRuntime(config, {
    db,
    seedDemo: opts.seedDemo ?? true,
    publishProcedures: false,
    outbox: false,
    relayIntervalMs: 500,
    workerPollMs: 100,
  })
  // Teardowns run in reverse: the app first, then the runtime, then (registered earlier) the database.
  t.teardown(() => runtime.stop())
  await runtime.start()
  const app = await buildApp(config, runtime)
  t.teardown(() => app.close())
  const demo = runtime.demoCredentials
  return {
    app,
    db,
    config,
    runtime,
    dossiers: runtime.dossiers,
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
