// The slice of the Camunda 8.8 Orchestration Cluster REST client the Zeebe adapter uses, and how it is built.
import { Camunda8 } from '@camunda8/sdk'
import type { CamundaClient } from '@camunda8/orchestration-cluster-api'

type Used =
  | 'createDeployment'
  | 'createProcessInstance'
  | 'cancelProcessInstance'
  | 'getProcessInstance'
  | 'searchProcessInstances'
  | 'searchElementInstances'
  | 'searchVariables'
  | 'searchIncidents'
  | 'activateJobs'
  | 'completeJob'
  | 'failJob'
  | 'throwJobError'
  | 'updateJob'
  | 'resolveIncident'
  | 'publishMessage'
  | 'broadcastSignal'
  | 'searchUserTasks'
  | 'getUserTask'
  | 'assignUserTask'
  | 'unassignUserTask'
  | 'completeUserTask'
  | 'updateUserTask'
  | 'getTopology'

/** Branded key types (ProcessInstanceKey …) as the plain strings motcua keeps; literal unions stay. */
export type Unbrand<T> = T extends { readonly __brand: unknown }
  ? string
  : T extends string
    ? T
    : T extends Array<infer U>
      ? Array<Unbrand<U>>
      : T extends object
        ? { [K in keyof T]: Unbrand<T[K]> }
        : T

// Method syntax so the parameter check is bivariant: the SDK's branded parameters accept our strings.
type Method<F> = F extends (...args: infer A) => infer R
  ? { m(...args: Unbrand<A>): Promise<Unbrand<Awaited<R>>> }['m']
  : never

/**
 * The SDK's own signatures (so every request the adapter builds is checked against the 8.8 API),
 * with plain-string keys (SDK's loose client leaves optional keys branded) and plain promises, so a
 * test fake need not imitate CancelablePromise.
 */
export type ZeebeClient = { [K in Used]: Method<CamundaClient[K]> }

/** What a ZeebeClient method resolves to. */
export type ZeebeResult<K extends Used> = Awaited<ReturnType<ZeebeClient[K]>>

export interface ZeebeConnectionOptions {
  /** Orchestration cluster REST address, e.g. http://camunda:8080 (ZEEBE_REST_ADDRESS). */
  restAddress: string
  /** gRPC gateway, e.g. camunda:26500 (ZEEBE_GRPC_ADDRESS); unused by this adapter, kept for the SDK. */
  grpcAddress?: string
  /** NONE for a local cluster without authentication, OAUTH for client credentials, BASIC for a user. */
  auth?:
    | { strategy: 'NONE' }
    | { strategy: 'OAUTH'; clientId: string; clientSecret: string; oauthUrl: string; audience?: string; scope?: string }
    | { strategy: 'BASIC'; username: string; password: string }
  tenantId?: string
}

/**
 * Builds the SDK client from explicit options. The SDK also reads CAMUNDA_* and ZEEBE_* variables
 * from the environment for anything not given here; explicit values win.
 */
export function createZeebeClient(opts: ZeebeConnectionOptions): { client: ZeebeClient; close(): Promise<void> } {
  const auth = opts.auth ?? { strategy: 'NONE' as const }
  const config: Record<string, string> = {
    ZEEBE_REST_ADDRESS: opts.restAddress,
    CAMUNDA_AUTH_STRATEGY: auth.strategy,
    ...(opts.grpcAddress ? { ZEEBE_GRPC_ADDRESS: opts.grpcAddress } : {}),
    ...(opts.tenantId ? { CAMUNDA_TENANT_ID: opts.tenantId } : {}),
  }
  if (auth.strategy === 'OAUTH') {
    Object.assign(config, {
      ZEEBE_CLIENT_ID: auth.clientId,
      ZEEBE_CLIENT_SECRET: auth.clientSecret,
      CAMUNDA_OAUTH_URL: auth.oauthUrl,
      ...(auth.audience ? { ZEEBE_TOKEN_AUDIENCE: auth.audience } : {}),
      ...(auth.scope ? { CAMUNDA_TOKEN_SCOPE: auth.scope } : {}),
    })
  } else if (auth.strategy === 'BASIC') {
    Object.assign(config, { CAMUNDA_BASIC_AUTH_USERNAME: auth.username, CAMUNDA_BASIC_AUTH_PASSWORD: auth.password })
  }
  const c8 = new Camunda8(config as ConstructorParameters<typeof Camunda8>[0])
  const client: ZeebeClient = c8.getOrchestrationClusterApiClient()
  return { client, close: () => c8.closeAllClients() }
}
