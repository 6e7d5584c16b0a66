// Chooses the workflow engine: Zeebe when ZEEBE_REST_ADDRESS is set, otherwise the embedded engine.
import type { Config } from '../config.js'
import type { Database } from '../db/database.js'
import type { DeployResource, Engine } from './port.js'
import { validateBpmn } from './validation/index.js'

export interface EngineChoice {
  /** Job types that have a worker in this process: unknown ones are a warning at deploy. */
  knownJobTypes?: Set<string>
  log?: (message: string, err?: unknown) => void
}

export async function createEngine(config: Config, db: Database, choice: EngineChoice = {}): Promise<Engine> {
  const lint = (embeddedSubset: boolean) => (resources: DeployResource[]) =>
    validateBpmn(resources, {
      embeddedSubset,
      jobTypeSeverity: 'warning',
      ...(choice.knownJobTypes ? { knownJobTypes: choice.knownJobTypes } : {}),
    })
  if (config.zeebeRestAddress) {
    const { createZeebeEngine } = await import('./zeebe/index.js')
    const { EngineEventLog } = await import('./event-log.js')
    const o = config.zeebeOAuth
    return createZeebeEngine(
      {
        restAddress: config.zeebeRestAddress,
        ...(config.zeebeGrpcAddress ? { grpcAddress: config.zeebeGrpcAddress } : {}),
        auth: o
          ? {
              strategy: 'OAUTH',
              clientId: o.clientId,
              clientSecret: o.clientSecret,
              oauthUrl: o.oauthUrl,
              ...(o.audience ? { audience: o.audience } : {}),
            }
          : { strategy: 'NONE' },
      },
      // Processes deployed to Zeebe are held to the embedded subset too, so they run on both engines.
      // Polled events go to the same durable log as the embedded engine's, for the read model.
      { validators: [lint(true)], eventLog: new EngineEventLog(db.knex) },
    )
  }
  const { EmbeddedEngine } = await import('./embedded/index.js')
  // The embedded engine checks its own subset; the validator adds bpmnlint, FEEL and job types.
  return new EmbeddedEngine(db, { validators: [lint(false)], ...(choice.log ? { log: choice.log } : {}) })
}
