// Incidents: resolving one retries what failed — the job (with the retries it has now), or the
// element's activation or completion (an expression that failed).
import { EngineError } from '../port.js'
import { parseKey, type EngineCore } from './core.js'
import type { JobRow } from './rows.js'
import { processAsElement, retryProcessStart } from './listeners.js'

export class Incidents {
  constructor(private readonly core: EngineCore) {}

  async resolveIncident(incidentKey: string): Promise<void> {
    const key = parseKey(incidentKey, 'Incident')
    await this.core.runStep(async (step) => {
      const inst = await step.load({
        lock: `SELECT pi.key FROM engine_process_instances pi JOIN engine_incidents i ON i.process_instance_key = pi.key WHERE i.key = ? AND i.state = 'ACTIVE' FOR UPDATE OF pi`,
        key: '(SELECT process_instance_key FROM engine_incidents WHERE key = ?)',
        bindings: [key],
      })
      const inc = inst?.incidents.find((i) => i.key === key)
      if (!inst || !inc) throw new EngineError('NOT_FOUND', `Incident ${incidentKey} not found`)
      step.markResolved(inst, inc)
      const ei = inst.els.get(inc.element_instance_key)
      if (inc.job_key != null) {
        const job = (await step.sql('SELECT * FROM engine_jobs WHERE key = ?', [inc.job_key])).rows[0] as
          JobRow | undefined
        // On the process itself: its own execution listener's job.
        const target = ei ?? (job?.element_instance_key === inst.pi.key ? processAsElement(inst) : undefined)
        if (!job || !target) return
        if (job.retries > 0) {
          step.jobs.update({ ...job, state: 'ACTIVATABLE', due_at: step.now.toISOString() } as JobRow & { key: number })
          step.wakeJobTypes.add(job.type)
        } else {
          // Resolved without new retries: Zeebe raises the incident again.
          await step.raiseIncident(inst, target, inc.error_type, inc.error_message, job.key)
        }
        return
      }
      if (ei) await step.retryElement(inst, ei)
      // The process's start or end listener type failed to evaluate: those listeners run again from the first.
      else if (inc.element_instance_key === inst.pi.key && inst.pi.state === 'ACTIVE')
        if (!(await retryProcessStart(step, inst))) await step.retryCompletion(inst)
    })
  }
}
