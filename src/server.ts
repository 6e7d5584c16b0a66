// Starts motcua: database, migrations, demo data, engine and workers, HTTP server; stops them in reverse.
import type { FastifyInstance } from 'fastify'
import type { Config } from './config.js'
import { openDatabase, type Database } from './db/database.js'
import { migrateLatest } from './db/migrate.js'
import { seedDemo, type DemoCredential } from './db/seed.js'
import { createEngine } from './engine/index.js'
import type { Engine } from './engine/port.js'
import { buildApp } from './app.js'
import { seedCalendar } from './db/calendar-repository.js'
import { seedProcedures } from './catalogue/service.js'
import { createEmailOutboxSender } from './notifications/email.js'
import type { OutboxSender } from './outbox/sender.js'
import { dossierJobTypes, startDossierRuntime, type DossierRuntime } from './dossiers/index.js'

export interface RunningServer {
  app: FastifyInstance
  url: string
  db: Database
  engine: Engine
  /** The dossier service and queries, with their workers, relay, read model and overdue sweep running. */
  dossiers: DossierRuntime
  demoCredentials: DemoCredential[]
  /** Drains in-flight requests and jobs, then closes the engine and the database. Idempotent. */
  stop(): Promise<void>
}

export async function startServer(config: Config): Promise<RunningServer> {
  const db = await openDatabase(config)
  let engine: Engine | undefined
  let app: FastifyInstance | undefined
  let outbox: OutboxSender | undefined
  let dossiers: DossierRuntime | undefined
  let stopping: Promise<void> | undefined
  const stop = (): Promise<void> =>
    (stopping ??= (async () => {
      await app?.close() // stops accepting, waits for requests in flight
      await dossiers?.stop() // the sweep and relay, then the job workers (draining jobs in flight)
      await engine?.stop()
      await outbox?.stop() // finishes deliveries in flight
      await db.close()
    })())
  try {
    await migrateLatest(db.knex)
    await seedCalendar(db.knex)
    const demoCredentials = config.seedDemo ? await seedDemo(db.knex, config.dataDir) : []
    const startedEngine = (engine = await createEngine(config, db, { knownJobTypes: new Set(dossierJobTypes) }))
    await startedEngine.start()
    // Workers, the relay (which also runs engine calls a crash left pending) and the read model start
    // with the engine; their log goes to the app's logger once there is one.
    let logError: (message: string, err?: unknown) => void = (message, err) => console.error(message, err)
    const startedDossiers = (dossiers = startDossierRuntime(db.knex, startedEngine, {
      log: (m, e) => logError(m, e),
      portalUrl: config.publicBaseUrl,
    }))
    const startedApp = (app = await buildApp(config, { db, engine: startedEngine }))
    logError = (message, err) => startedApp.log.error({ err }, message)
    if (config.seedDemo) {
      const report = await seedProcedures(db.knex, startedEngine)
      for (const failed of report.failed)
        startedApp.log.error({ procedure: failed }, 'a reference procedure could not be published')
    }
    outbox = createEmailOutboxSender(config, db.knex, startedApp.log)
    outbox.start()
    const url = await startedApp.listen({ host: config.host, port: config.port })
    return { app: startedApp, url, db, engine: startedEngine, dossiers: startedDossiers, demoCredentials, stop }
  } catch (err) {
    await stop().catch(() => undefined)
    throw err
  }
}
