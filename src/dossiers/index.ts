// The dossier module's public surface, and the runtime that keeps it going: job workers, the engine-command relay, the read model and the overdue sweep.
import type { Knex } from 'knex'
import type { Engine } from '../engine/port.js'
import { startWorkers, type StartedWorkers, type WorkerDeps } from '../workers/index.js'
import { DossierService, type DossierServiceDeps } from './commands.js'
import { DossierQueries } from './queries.js'
import { OverdueSweep } from './read-model.js'
import { ReadModelProjector } from './projector.js'
import { EngineCommandRelay } from './relay.js'

export { DossierService } from './commands.js'
export type {
  AttachmentInput,
  ApplicantInput,
  SubmitInput,
  CounterIntakeInput,
  DecisionInput,
  CommandResult,
  DossierServiceDeps,
} from './commands.js'
export { DossierQueries } from './queries.js'
export type { DossierDetail, DossierSummary, WorklistFilter, WorklistItem, StepControlRow } from './queries.js'
export { EngineCommandRelay } from './relay.js'
export { ReadModelProjector } from './projector.js'
export { applyEngineEvent, subscribeReadModel, sweepOverdue, OverdueSweep } from './read-model.js'
export { dossierJobTypes, startWorkers } from '../workers/index.js'

export interface DossierRuntime {
  service: DossierService
  queries: DossierQueries
  relay: EngineCommandRelay
  workers: StartedWorkers
  projector: ReadModelProjector
  /** Stops the sweep, the relay and the workers (draining jobs) and the read-model subscription; call before engine.stop(). */
  stop(): Promise<void>
}

export interface DossierRuntimeOptions {
  clock?: () => Date
  log?: (message: string, err?: unknown) => void
  relayIntervalMs?: number
  sweepIntervalMs?: number
  workerPollMs?: number
  afterCommit?: DossierServiceDeps['afterCommit']
  /** The portal's address (`http://host:port`), for links in mails. */
  portalUrl?: string
  workerDeps?: Partial<Omit<WorkerDeps, 'knex' | 'engine'>>
}

/**
 * Starts the read-model projector (catching up with the engine's event log), starts the workers, runs pending engine commands (those a crash left behind)
 * and then periodically, and the overdue sweep. Start it after engine.start().
 */
export function startDossierRuntime(knex: Knex, engine: Engine, opts: DossierRuntimeOptions = {}): DossierRuntime {
  const log = opts.log
  const projector = new ReadModelProjector(knex, engine, { ...(log ? { log } : {}) })
  projector.start()
  const workers = startWorkers(engine, {
    knex,
    ...(opts.clock ? { clock: opts.clock } : {}),
    ...(log ? { log } : {}),
    ...(opts.workerPollMs ? { pollIntervalMs: opts.workerPollMs } : {}),
    ...(opts.portalUrl ? { portalUrl: opts.portalUrl } : {}),
    ...opts.workerDeps,
  })
  const relay = new EngineCommandRelay(knex, engine, {
    ...(log ? { log } : {}),
    ...(opts.relayIntervalMs ? { intervalMs: opts.relayIntervalMs } : {}),
  })
  relay.start()
  const sweep = new OverdueSweep(knex, {
    ...(opts.clock ? { clock: opts.clock } : {}),
    ...(log ? { log } : {}),
    ...(opts.sweepIntervalMs ? { intervalMs: opts.sweepIntervalMs } : {}),
  })
  sweep.start()
  const service = new DossierService({
    knex,
    engine,
    relay,
    ...(opts.clock ? { clock: opts.clock } : {}),
    ...(opts.afterCommit ? { afterCommit: opts.afterCommit } : {}),
    ...(opts.portalUrl ? { portalUrl: opts.portalUrl } : {}),
  })
  return {
    service,
    queries: new DossierQueries(knex, engine),
    relay,
    workers,
    projector,
    async stop() {
      await sweep.stop()
      await relay.stop()
      await workers.close()
      await projector.stop()
    },
  }
}
