// The Zeebe contract target: a real Camunda 8.8 cluster when ZEEBE_REST_ADDRESS is set, nothing otherwise.
import type { Test } from 'tap'
import { createZeebeEngine } from '../../src/engine/zeebe/index.js'
import type { Engine } from '../../src/engine/port.js'

export const ZEEBE_SKIP_MESSAGE = 'skipped: ZEEBE_REST_ADDRESS not set'

export interface ZeebeTarget {
  name: string
  create(t: Test): Promise<Engine>
}

/** Tests read the environment directly; the app never does (its config module passes options). */
export function zeebeTargets(env: NodeJS.ProcessEnv = process.env): ZeebeTarget[] {
  const restAddress = env['ZEEBE_REST_ADDRESS']
  if (!restAddress) return []
  return [
    {
      name: `zeebe (${restAddress})`,
      async create(t) {
        const engine = createZeebeEngine(
          { restAddress, ...(env['ZEEBE_GRPC_ADDRESS'] ? { grpcAddress: env['ZEEBE_GRPC_ADDRESS'] } : {}) },
          // Contract fixtures are minimal BPMN (no diagram); Zeebe's own deploy validation judges them.
          // Reads wait for the secondary storage, which lags the broker by seconds.
          { validators: [], readConsistencyMs: 15_000, events: { intervalMs: 500, lagMs: 10_000 } },
        )
        await engine.start()
        t.teardown(() => engine.stop())
        return engine
      },
    },
  ]
}
