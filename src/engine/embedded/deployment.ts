// Deployment: parses and validates BPMN and DMN resources, stores a new version of each changed process and
// decision requirements graph (with a version per decision), and (re)opens message and timer start events, which
// belong to the latest version only (as in Zeebe). Camunda Forms (.form) and other resource types are refused.
import { createHash } from 'node:crypto'
import {
  DeployValidationError,
  type DeployProblem,
  type DeployResource,
  type DeployResult,
  type DeployedDecision,
  type DeployedProcess,
} from '../port.js'
import type { EngineCore } from './core.js'
import { scheduleTimerDef } from './cron.js'
import { parseDmn, type DecisionGraph } from './dmn/model.js'
import { compileProcess, executableProcesses, parseBpmn, type ModdleElement } from './model.js'
import { signalSubscriptionName } from './signals.js'
import type { Queryable } from './step.js'
import { checkSupportedSubset } from './subset.js'

/** How a resource is read, by its file name's extension (as Zeebe's deploy resource API). */
function resourceKind(name: string): 'bpmn' | 'dmn' | 'form' | 'unknown' {
  if (/\.(bpmn|xml)$/i.test(name)) return 'bpmn'
  if (/\.dmn$/i.test(name)) return 'dmn'
  if (/\.form$/i.test(name)) return 'form'
  return 'unknown'
}

function unsupportedResource(resourceName: string, kind: 'form' | 'unknown'): DeployProblem {
  const message =
    kind === 'form'
      ? `"${resourceName}" is a Camunda Form, which motcua does not support. Describe the dossier form as a ` +
        'procedure form (JSON schema in forms/) and name it in the user task formKey instead.'
      : `"${resourceName}" is not a supported resource: deploy BPMN processes (.bpmn) and DMN decisions (.dmn).`
  return { resourceName, rule: 'resource-type', message, severity: 'error' }
}

interface ParsedDrg {
  resource: DeployResource
  xml: string
  graph: DecisionGraph
  checksum: string
}

export class Deployments {
  constructor(
    private readonly core: EngineCore,
    /** A process timer start event falls due at this time (ms). */
    private readonly timerDue: (at: number) => void,
  ) {}

  async deploy(resources: DeployResource[]): Promise<DeployResult> {
    const problems: DeployProblem[] = []
    const parsed: Array<{ resource: DeployResource; xml: string; processes: ModdleElement[]; checksum: string }> = []
    const drgs: ParsedDrg[] = []
    for (const resource of resources) {
      const xml = typeof resource.content === 'string' ? resource.content : resource.content.toString('utf8')
      const kind = resourceKind(resource.name)
      if (kind === 'form' || kind === 'unknown') {
        problems.push(unsupportedResource(resource.name, kind))
        continue
      }
      if (kind === 'dmn') {
        const { graph, problems: dmnProblems } = await parseDmn(xml, resource.name)
        problems.push(...dmnProblems)
        if (graph) drgs.push({ resource, xml, graph, checksum: createHash('sha256').update(xml).digest('hex') })
        continue
      }
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
    problems.push(...duplicateDecisionIds(drgs))
    for (const v of this.core.opts.validators ?? []) problems.push(...(await v(resources)))
    if (problems.some((p) => p.severity === 'error')) throw new DeployValidationError(problems)

    const deployed: DeployedProcess[] = []
    const decisions: DeployedDecision[] = []
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
      // A process deployed with binding type `deployment` needs its decisions in the same deployment: an unchanged
      // graph deployed beside a changed process gets a new version too.
      const processChanged = deployed.some((p) => !p.duplicate)
      for (const drg of drgs) decisions.push(...(await this.storeDrg(trx, dk, drg, processChanged)))
      return dk
    })
    for (const at of timerHints) this.timerDue(at)
    return {
      deploymentKey: String(deploymentKey),
      processes: deployed,
      ...(drgs.length ? { decisions } : {}),
    }
  }

  /** Stores a new version of a decision requirements graph and of each of its decisions, unless unchanged. */
  private async storeDrg(
    trx: Queryable,
    deploymentKey: number,
    { resource, xml, graph, checksum }: ParsedDrg,
    force: boolean,
  ): Promise<DeployedDecision[]> {
    await trx.raw('SELECT pg_advisory_xact_lock(hashtext(?))', [`deploy-drg\u001f${graph.id}`])
    const latest = (
      await trx.raw(
        'SELECT key, version, checksum FROM engine_decision_requirements WHERE drg_id = ? ORDER BY version DESC LIMIT 1',
        [graph.id],
      )
    ).rows[0]
    if (latest && latest.checksum === checksum && !force) {
      const { rows } = await trx.raw(
        'SELECT key, decision_id, version, version_tag FROM engine_decisions WHERE drg_key = ? ORDER BY decision_id',
        [latest.key],
      )
      return rows.map((r: { key: string; decision_id: string; version: number; version_tag: string | null }) => ({
        decisionId: r.decision_id,
        decisionKey: String(r.key),
        version: r.version,
        ...(r.version_tag ? { versionTag: r.version_tag } : {}),
        decisionRequirementsId: graph.id,
        decisionRequirementsKey: String(latest.key),
        resourceName: resource.name,
        duplicate: true,
      }))
    }
    const drgKey = await this.core.nextKey(trx)
    await trx.raw(
      'INSERT INTO engine_decision_requirements (key, drg_id, name, version, resource_name, checksum, xml, deployment_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      [drgKey, graph.id, graph.name ?? null, (latest?.version ?? 0) + 1, resource.name, checksum, xml, deploymentKey],
    )
    const out: DeployedDecision[] = []
    for (const d of graph.decisions.values()) {
      await trx.raw('SELECT pg_advisory_xact_lock(hashtext(?))', [`deploy-decision\u001f${d.id}`])
      const prev = (await trx.raw('SELECT max(version) AS v FROM engine_decisions WHERE decision_id = ?', [d.id]))
        .rows[0]
      const version = Number(prev?.v ?? 0) + 1
      const key = await this.core.nextKey(trx)
      await trx.raw(
        'INSERT INTO engine_decisions (key, decision_id, name, version, version_tag, drg_key, deployment_key) VALUES (?, ?, ?, ?, ?, ?, ?)',
        [key, d.id, d.name ?? null, version, d.versionTag ?? null, drgKey, deploymentKey],
      )
      out.push({
        decisionId: d.id,
        decisionKey: String(key),
        version,
        ...(d.versionTag ? { versionTag: d.versionTag } : {}),
        decisionRequirementsId: graph.id,
        decisionRequirementsKey: String(drgKey),
        resourceName: resource.name,
        duplicate: false,
      })
    }
    return out
  }
}

/** Zeebe refuses a deployment in which two resources define the same decision or decision requirements id. */
function duplicateDecisionIds(drgs: ParsedDrg[]): DeployProblem[] {
  const problems: DeployProblem[] = []
  const seen = new Map<string, string>()
  const seenGraphs = new Map<string, string>()
  for (const { resource, graph } of drgs) {
    const first = seenGraphs.get(graph.id)
    if (first !== undefined)
      problems.push({
        resourceName: resource.name,
        rule: 'dmn-duplicate-id',
        message: `Decision requirements id "${graph.id}" is also defined in ${first}`,
        severity: 'error',
      })
    else seenGraphs.set(graph.id, resource.name)
    for (const id of graph.decisions.keys()) {
      const other = seen.get(id)
      if (other !== undefined)
        problems.push({
          resourceName: resource.name,
          elementId: id,
          rule: 'dmn-duplicate-id',
          message: `Decision id "${id}" is also defined in ${other}`,
          severity: 'error',
        })
      else seen.set(id, resource.name)
    }
  }
  return problems
}
