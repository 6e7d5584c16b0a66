// Starts motcua: the runtime (database, migrations, demo data, engine and workers), then the HTTP server; stops them in
// reverse.
import type { FastifyInstance } from 'fastify'
import type { Config } from './config.js'
import type { Database } from './db/database.js'
import type { DemoCredential } from './db/seed.js'
import type { Engine } from './engine/port.js'
import { buildApp } from './app.js'
import { buildRuntime, type Runtime } from './runtime.js'

export interface RunningServer {
  app: FastifyInstance
  url: string
  db: Database
  engine: Engine
  /** The services, workers, relay, read model, overdue sweep and outbox sender, running. */
  runtime: Runtime
  demoCredentials: DemoCredential[]
  /** Drains in-flight requests, then stops the runtime (jobs, deliveries) and closes the database. Idempotent. */
  stop(): Promise<void>
}

export async function startServer(config: Config): Promise<RunningServer> {
  const runtime = await buildRuntime(config)
  let app: FastifyInstance | undefined
  let stopping: Promise<void> | undefined
  const stop = (): Promise<void> =>
    (stopping ??= (async () => {
      await app?.close() // stops accepting, waits for requests in flight
      await runtime.stop()
    })())
  try {
    await runtime.start()
    const startedApp = (app = await buildApp(config, runtime))
    const url = await startedApp.listen({ host: config.host, port: config.port })
    // After listening: /health/ready answers 503 until they are published.
    runtime
      .publishProcedures()
      .catch((err: unknown) => runtime.logger.error({ err }, 'the reference procedures could not be published'))
    const { db, engine, demoCredentials } = runtime
    return { app: startedApp, url, db, engine, runtime, demoCredentials, stop }
  } catch (err) {
    await stop().catch(() => undefined)
    throw err
  }
}
