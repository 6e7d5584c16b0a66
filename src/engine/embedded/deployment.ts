// Deployment: parses and validates BPMN resources, stores a new version of each changed process, and
// (re)opens its message and timer start events, which belong to the latest version only (as in Zeebe).
import { createHash } from 'node:crypto'
import {
  DeployValidationError,
  type DeployProblem,
  type DeployResource,
  type DeployResult,
  type DeployedProcess,
} from '../port.js'
import type { EngineCore } from './core.js'
import { scheduleTimerDef } from './cron.js'
import { compileProcess, executableProcesses, parseBpmn, type ModdleElement } from './model.js'
import { signalSubscriptionName } from './signals.js'
import { checkSupportedSubset } from './subset.js'

export class Deployments {
  constructor(
    private readonly core: EngineCore,
    /** A process timer start event falls due at this time (ms). */
    private readonly timerDue: (at: number) => void,
  ) {}

  async deploy(resources: DeployResource[]): Promise<DeployResult> {
    const problems: DeployProblem[] = []
    const parsed: Array<{ resource: DeployResource; xml: string; processes: ModdleElement[]; checksum: string }> = []
    for (const resource of resources) {
      const xml = typeof resource.content === 'string' ? resource.content : resource.content.toString('utf8')
      try {
        const { definitions } = await parseBpmn(xml)
        problems.push(...checkSupportedSubset(definitions, resource.name))
        parsed.push({
          resource,
          xml,
          processes: executableProcesses(definitions),
          checksum: createHash('sha256').update(xml).digest('hex'),
        })
      } catch (err) {
        problems.push({
          resourceName: resource.name,
          rule: 'bpmn-parse',
          message: `Cannot read BPMN: ${(err as Error).message}`,
          severity: 'error',
        })
      }
    }
    for (const v of this.core.opts.validators ?? []) problems.push(...(await v(resources)))
    if (problems.some((p) => p.severity === 'error')) throw new DeployValidationError(problems)

    const deployed: DeployedProcess[] = []
    const timerHints: number[] = []
    const deploymentKey = await this.core.knex.transaction(async (trx) => {
      const dk = await this.core.nextKey(trx)
      await trx.raw('INSERT INTO engine_deployments (key) VALUES (?)', [dk])
      for (const { resource, xml, processes, checksum } of parsed) {
        for (const proc of processes) {
          const id = String(proc.id)
          await trx.raw('SELECT pg_advisory_xact_lock(hashtext(?))', [`deploy\u001f${id}`])
          const latest = (
            await trx.raw(
              'SELECT key, version, checksum FROM engine_process_definitions WHERE bpmn_process_id = ? ORDER BY version DESC LIMIT 1',
              [id],
            )
          ).rows[0]
          if (latest && latest.checksum === checksum) {
            deployed.push({
              bpmnProcessId: id,
              processDefinitionKey: String(latest.key),
              version: latest.version,
              resourceName: resource.name,
              duplicate: true,
            })
            continue
          }
          const key = await this.core.nextKey(trx)
          const version = (latest?.version ?? 0) + 1
          await trx.raw(
            'INSERT INTO engine_process_definitions (key, bpmn_process_id, version, resource_name, checksum, xml, deployment_key) VALUES (?, ?, ?, ?, ?, ?, ?)',
            [key, id, version, resource.name, checksum, xml, dk],
          )
          const compiled = compileProcess(proc)
          compiled.definitionKey = key
          compiled.version = version
          // Start events belong to the latest version only (as in Zeebe).
          await trx.raw('DELETE FROM engine_message_start_subscriptions WHERE bpmn_process_id = ?', [id])
          await trx.raw(
            'DELETE FROM engine_timers WHERE process_instance_key IS NULL AND definition_key IN (SELECT key FROM engine_process_definitions WHERE bpmn_process_id = ?)',
            [id],
          )
          for (const sid of compiled.messageStartIds) {
            const el = compiled.elements.get(sid)!
            await trx.raw(
              'INSERT INTO engine_message_start_subscriptions (message_name, bpmn_process_id, definition_key, element_id) VALUES (?, ?, ?, ?)',
              [el.message!.name, id, key, sid],
            )
          }
          for (const sid of compiled.signalStartIds) {
            const el = compiled.elements.get(sid)!
            await trx.raw(
              'INSERT INTO engine_message_start_subscriptions (message_name, bpmn_process_id, definition_key, element_id) VALUES (?, ?, ?, ?)',
              [signalSubscriptionName(el.signal!.name), id, key, sid],
            )
          }
          for (const sid of compiled.timerStartIds) {
            const el = compiled.elements.get(sid)!
            const s = scheduleTimerDef(el.timer!, {}, this.core.clock())
            await trx.raw(
              'INSERT INTO engine_timers (key, due_at, process_instance_key, element_instance_key, element_id, definition_key, repetitions, interval) VALUES (?, ?, NULL, NULL, ?, ?, ?, ?)',
              [await this.core.nextKey(trx), s.dueAt, sid, key, s.repetitions, s.interval ?? null],
            )
            timerHints.push(s.dueAt.getTime())
          }
          this.core.deployed(compiled)
          deployed.push({
            bpmnProcessId: id,
            processDefinitionKey: String(key),
            version,
            resourceName: resource.name,
            duplicate: false,
          })
        }
      }
      return dk
    })
    for (const at of timerHints) this.timerDue(at)
    return { deploymentKey: String(deploymentKey), processes: deployed }
  }
}
