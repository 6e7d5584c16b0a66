// Starts one job worker per BPMN job type of workflows/README.md; the set of types goes to createEngine as
// knownJobTypes.
import type { JobWorker } from '../engine/port.js'
import { closeWorker } from './close.js'
import { completenessCheckWorker } from './completeness-check.js'
import { escalateWorker } from './escalate.js'
import { handoffWorker } from './handoff.js'
import { issueResultWorker } from './issue-result.js'
import { receiveWorker } from './receive.js'
import { requestPaymentWorker } from './request-payment.js'
import { requestSupplementWorker } from './request-supplement.js'
import { resumeWorker } from './resume.js'
import type { JobTypeWorker, WorkerDeps } from './support.js'

export type { WorkerDeps } from './support.js'

/**
 * The worker of each BPMN job type of workflows/README.md, registered by its type: the one list of the job types
 * motcua handles.
 */
const workerFor = {
  'dossier.completeness-check': completenessCheckWorker,
  'dossier.receive': receiveWorker,
  'dossier.request-supplement': requestSupplementWorker,
  'dossier.resume': resumeWorker,
  'dossier.request-payment': requestPaymentWorker,
  'dossier.handoff': handoffWorker,
  'dossier.escalate': escalateWorker,
  'dossier.issue-result': issueResultWorker,
  'dossier.close': closeWorker,
} satisfies Record<string, (deps: WorkerDeps) => JobTypeWorker>

/** The job types motcua has workers for (pass to createEngine as knownJobTypes). */
export const dossierJobTypes: ReadonlySet<string> = new Set(Object.keys(workerFor))

export interface StartedWorkers {
  workers: JobWorker[]
  jobTypes: ReadonlySet<string>
  /** Drains every worker. */
  close(): Promise<void>
}

export function startWorkers(
  engine: WorkerDeps['engine'],
  deps: Omit<WorkerDeps, 'engine'> & { maxJobsToActivate?: number; pollIntervalMs?: number },
): StartedWorkers {
  const full: WorkerDeps = { ...deps, engine }
  const workers = Object.entries(workerFor).map(([type, make]) =>
    engine.createWorker(
      {
        type,
        worker: `motcua-${type}`,
        maxJobsToActivate: deps.maxJobsToActivate ?? 8,
        timeoutMs: 60_000,
        ...(deps.pollIntervalMs ? { pollIntervalMs: deps.pollIntervalMs } : {}),
      },
      make(full).handler,
    ),
  )
  return {
    workers,
    jobTypes: dossierJobTypes,
    close: async () => void (await Promise.all(workers.map((w) => w.close()))),
  }
}
