// Starts one job worker per BPMN job type of workflows/README.md; the set of types goes to createEngine as knownJobTypes.
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

const factories: Array<(deps: WorkerDeps) => JobTypeWorker> = [
  completenessCheckWorker,
  receiveWorker,
  requestSupplementWorker,
  resumeWorker,
  requestPaymentWorker,
  handoffWorker,
  escalateWorker,
  issueResultWorker,
  closeWorker,
]

/** The job types motcua has workers for (pass to createEngine as knownJobTypes). */
export const dossierJobTypes: ReadonlySet<string> = new Set([
  'dossier.completeness-check',
  'dossier.receive',
  'dossier.request-supplement',
  'dossier.resume',
  'dossier.request-payment',
  'dossier.handoff',
  'dossier.escalate',
  'dossier.issue-result',
  'dossier.close',
])

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
  const workers = factories.map((make) => {
    const w = make(full)
    return engine.createWorker(
      {
        type: w.type,
        worker: `motcua-${w.type}`,
        maxJobsToActivate: deps.maxJobsToActivate ?? 8,
        timeoutMs: 60_000,
        ...(deps.pollIntervalMs ? { pollIntervalMs: deps.pollIntervalMs } : {}),
      },
      w.handler,
    )
  })
  return {
    workers,
    jobTypes: dossierJobTypes,
    close: async () => void (await Promise.all(workers.map((w) => w.close()))),
  }
}
