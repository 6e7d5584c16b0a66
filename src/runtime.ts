// The composition root: builds motcua's runtime once (database, engine, services, workers, relay, projector, sweep,
// outbox).
import { createHmac } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { pino, type Logger, type LoggerOptions } from 'pino'
import type { Config } from './config.js'
import { ReportGate } from './supervision/report-gate.js'
import { createBlobStore } from './attachments/storage.js'
import { AttachmentService } from './attachments/upload.js'
import { CatalogueService, seedProcedures } from './catalogue/service.js'
import { seedCalendar } from './db/calendar-repository.js'
import { openDatabase, type Database } from './db/database.js'
import { migrateLatest } from './db/migrate.js'
import { seedDemo, type DemoCredential } from './db/seed.js'
import { DossierService, type DossierServiceDeps } from './dossiers/commands.js'
import { PaymentService, SandboxPaymentProvider, type PaymentProvider } from './dossiers/payments.js'
import { VietQrPaymentProvider } from './dossiers/vietqr.js'
import { VnpayPaymentProvider } from './dossiers/vnpay.js'
import { DossierPortal } from './dossiers/portal.js'
import { DocumentStore } from './dossiers/store.js'
import { ReadModelProjector } from './dossiers/projector.js'
import { DossierQueries } from './dossiers/queries.js'
import { OverdueSweep } from './dossiers/read-model.js'
import { EngineCommandRelay } from './dossiers/relay.js'
import { createEngine } from './engine/index.js'
import type { Engine } from './engine/port.js'
import { createNotificationSender } from './notifications/sender.js'
import type { OutboxSender } from './outbox/sender.js'
import { SupervisionService } from './supervision/service.js'
import { TaskDesk } from './tasks/service.js'
import { DossierPrintouts } from './dossiers/printouts.js'
import { ResultService } from './results/service.js'
import { defaultCarriers } from './delivery/carriers.js'
import { DeliveryService } from './delivery/service.js'
import { lazyP12KeyDirectory } from './signing/p12-keys.js'
import { noSigningKeys } from './signing/port.js'
import { CalendarService } from './calendar/service.js'
import { AdminService } from './admin/service.js'
import { dossierJobTypes, startWorkers, type StartedWorkers, type WorkerDeps } from './workers/index.js'
import { RetentionSweep } from './housekeeping/retention.js'

/** The services the dossier, task and public routes share. */
export interface DossierServices {
  service: DossierService
  queries: DossierQueries
  portal: DossierPortal
  /** The applicant's document store ("kho dữ liệu"): their results and accepted components, picked for reuse. */
  documents: DocumentStore
  attachments: AttachmentService
  payments: PaymentService
  sandbox: SandboxPaymentProvider
  /** The officers' task desk: visibility, claim, assign, complete. */
  tasks: TaskDesk
  /** The five printable forms of a dossier. */
  printouts: DossierPrintouts
  /** Electronic results: signing at the signing step, download, public verification. */
  results: ResultService
  /** Results delivered by post: the carriers, and the parcels the counter records. */
  delivery: DeliveryService
}

export interface RuntimeOptions {
  /**
   * A database the caller opened and prepared (a test's own): the runtime neither migrates it, seeds its calendar,
   * nor closes it. Without one the runtime opens config's database, migrates it and seeds the calendar.
   */
  db?: Database
  /**
   * An engine built by the caller (a test's, with its own clock and poll intervals); the runtime starts and stops it.
   */
  engine?: Engine
  /** The one business clock of the services, workers and sweep; tests pass a manual one. Default: the system clock. */
  clock?: () => Date
  /** Demo units and accounts. Default config.seedDemo. */
  seedDemo?: boolean
  /** Publish the reference procedures (publishProcedures(), called by the server once listening). Default: seedDemo. */
  publishProcedures?: boolean
  /** Run the outbox sender (e-mail and SMS). Default true; tests that read the outbox, or run their own sender, turn it
   * off. */
  outbox?: boolean
  /** The portal's address for links in mails. Default config.publicBaseUrl. */
  portalUrl?: string
  relayIntervalMs?: number
  sweepIntervalMs?: number
  workerPollMs?: number
  afterCommit?: DossierServiceDeps['afterCommit']
  workerDeps?: Partial<Omit<WorkerDeps, 'knex' | 'engine'>>
}

export interface Runtime {
  config: Config
  db: Database
  engine: Engine
  /** The process's logger; the HTTP app logs through it too. */
  logger: Logger
  dossiers: DossierServices
  catalogue: CatalogueService
  supervision: SupervisionService
  calendar: CalendarService
  /** Units, staff accounts, groups and the audit log, for administrators (and supervisors, the audit log). */
  admin: AdminService
  /** The one relay: commands run it right after commit, and it retries what a crash left pending. */
  relay: EngineCommandRelay
  projector: ReadModelProjector
  sweep: OverdueSweep
  /** Prunes the operational tables that only grow (engine event log, expired tokens), hourly. */
  retention: RetentionSweep
  outbox: OutboxSender | undefined
  /** The job workers, once started. */
  workers: StartedWorkers | undefined
  demoCredentials: DemoCredential[]
  /** Starts the engine, the read-model projector, the workers, the relay, the sweep, then the outbox sender. */
  start(): Promise<void>
  /**
   * Publishes the reference procedures when the runtime is to (options.publishProcedures); the server calls it once
   * listening, so a start is not held up by the BPMN checks and deployments. A procedure that fails is logged.
   */
  publishProcedures(): Promise<void>
  /** False while reference procedures are due and not yet published: readiness waits for them. */
  proceduresPublished(): boolean
  /**
   * Stops in reverse (draining jobs and deliveries in flight), then closes the database if the runtime opened it.
   * Idempotent.
   */
  stop(): Promise<void>
}

export function loggerOptions(config: Pick<Config, 'logLevel' | 'logPretty'>): LoggerOptions {
  return {
    level: config.logLevel,
    redact: ['req.headers.authorization', 'req.headers.cookie', '*.password', '*.refreshToken'],
    ...(config.logPretty
      ? { transport: { target: 'pino-pretty', options: { translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' } } }
      : {}),
  }
}

/** Builds the runtime over config's database (or the one given); nothing runs until start(). */
export async function buildRuntime(config: Config, opts: RuntimeOptions = {}): Promise<Runtime> {
  const db = opts.db ?? (await openDatabase(config))
  try {
    if (!opts.db) {
      await migrateLatest(db.knex)
      await seedCalendar(db.knex)
    }
    const seed = opts.seedDemo ?? config.seedDemo
    const demoCredentials = seed ? await seedDemo(db.knex, config.dataDir) : []
    const engine = opts.engine ?? (await createEngine(config, db, { knownJobTypes: new Set(dossierJobTypes) }))
    return await assemble(config, opts, db, engine, demoCredentials)
  } catch (err) {
    if (!opts.db) await db.close().catch(() => undefined)
    throw err
  }
}

async function assemble(
  config: Config,
  opts: RuntimeOptions,
  db: Database,
  engine: Engine,
  demoCredentials: DemoCredential[],
): Promise<Runtime> {
  const knex = db.knex
  const logger = pino(loggerOptions(config))
  const log = (message: string, err?: unknown) => logger.error({ err }, message)
  const clock = opts.clock ?? (() => new Date())
  const portalUrl = opts.portalUrl ?? config.publicBaseUrl

  const relay = new EngineCommandRelay(knex, engine, {
    log,
    ...(opts.relayIntervalMs ? { intervalMs: opts.relayIntervalMs } : {}),
  })
  const projector = new ReadModelProjector(knex, engine, { log })
  const sweep = new OverdueSweep(knex, {
    clock,
    log,
    ...(opts.sweepIntervalMs ? { intervalMs: opts.sweepIntervalMs } : {}),
  })
  const retention = new RetentionSweep(knex, { retentionDays: config.retentionDays, clock, log })
  const service = new DossierService({
    knex,
    engine,
    relay,
    clock,
    portalUrl,
    ...(opts.afterCommit ? { afterCommit: opts.afterCommit } : {}),
  })
  const queries = new DossierQueries(knex, engine)
  const sandbox = new SandboxPaymentProvider(
    createHmac('sha256', config.jwtSecret).update('motcua.payments.sandbox').digest('hex'),
  )
  // The sandbox takes no money: offered everywhere but production, where only a real gateway may confirm a payment.
  const providers = new Map<string, PaymentProvider>(config.nodeEnv === 'production' ? [] : [[sandbox.name, sandbox]])
  if (config.vnpay) providers.set('vnpay', new VnpayPaymentProvider(config.vnpay, clock))
  if (config.vietQr) providers.set('vietqr', new VietQrPaymentProvider(config.vietQr))
  const store = createBlobStore(config)
  const results = new ResultService({
    knex,
    store,
    keys: config.signing ? lazyP12KeyDirectory(config.signing.keysDir, config.signing.passphrase) : noSigningKeys,
    // pkijs is loaded only when trust anchors are configured (and otherwise on the first verification).
    trustAnchors: config.signing?.trustAnchorsFile
      ? (await import('./signing/verify.js')).parseTrustAnchors(readFileSync(config.signing.trustAnchorsFile, 'utf8'))
      : [],
    queries,
    clock,
    portalUrl,
  })
  const portal = new DossierPortal(knex, service, queries)
  const dossiers: DossierServices = {
    service,
    queries,
    sandbox,
    portal,
    documents: new DocumentStore(knex, portal),
    attachments: new AttachmentService({ knex, store }),
    payments: new PaymentService(knex, providers, relay, clock),
    tasks: new TaskDesk(knex, service, queries, (task) =>
      results.requireSignedBeforeApproval(task.dossier_id, task.element_id, Boolean(config.signing)),
    ),
    results,
    printouts: new DossierPrintouts(knex, queries),
    delivery: new DeliveryService(knex, defaultCarriers(), clock),
  }
  const outbox = opts.outbox === false ? undefined : createNotificationSender(config, knex, logger)
  const publish = opts.publishProcedures ?? opts.seedDemo ?? config.seedDemo

  let engineStarted = false
  let published = !publish
  let publishing: Promise<void> | undefined
  let stopping: Promise<void> | undefined
  const runtime: Runtime = {
    config,
    db,
    engine,
    logger,
    dossiers,
    catalogue: new CatalogueService(knex, engine),
    supervision: new SupervisionService(
      knex,
      clock,
      new ReportGate({ maxConcurrent: config.reportConcurrency, queueTimeoutMs: 15_000 }),
    ),
    calendar: new CalendarService(knex),
    admin: new AdminService(knex, clock),
    relay,
    projector,
    sweep,
    retention,
    outbox,
    workers: undefined,
    demoCredentials,
    async start() {
      await engine.start()
      engineStarted = true
      // The projector catches up with the engine's event log; the relay first runs the engine calls a crash left
      // pending.
      projector.start()
      runtime.workers = startWorkers(engine, {
        knex,
        clock,
        log,
        portalUrl,
        ...(opts.workerPollMs ? { pollIntervalMs: opts.workerPollMs } : {}),
        ...opts.workerDeps,
      })
      relay.start()
      sweep.start()
      retention.start()
      outbox?.start()
    },
    publishProcedures: () =>
      (publishing ??= (async () => {
        if (published) return
        const report = await seedProcedures(knex, engine)
        for (const failed of report.failed)
          logger.error({ procedure: failed }, 'a reference procedure could not be published')
        published = true
      })()),
    proceduresPublished: () => published,
    stop: () =>
      (stopping ??= (async () => {
        await publishing?.catch(() => undefined) // not closing the database under a deployment
        await sweep.stop()
        await retention.stop()
        await relay.stop()
        await runtime.workers?.close() // drains the jobs in flight
        await projector.stop()
        if (engineStarted) await engine.stop()
        await outbox?.stop() // finishes deliveries in flight
        if (!opts.db) await db.close()
      })()),
  }
  return runtime
}
