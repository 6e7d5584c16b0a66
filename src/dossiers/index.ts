// The dossier module's public surface. The runtime that keeps it going (workers, relay, read model, sweep) is composed
// in src/runtime.ts.

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
