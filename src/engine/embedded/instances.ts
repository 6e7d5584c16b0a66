// Process instances: create (a step that starts the instance), cancel (terminates it and everything
// inside), and read one with its active elements and incidents.
import { EngineError, type CreateInstanceRequest, type ProcessInstanceRef, type ProcessInstanceView } from '../port.js'
import { parseKey, type EngineCore } from './core.js'
import { toIncident, type IncidentRow } from './rows.js'

export class Instances {
  constructor(private readonly core: EngineCore) {}

  async createProcessInstance(req: CreateInstanceRequest): Promise<ProcessInstanceRef> {
    const definitionKey =
      req.version === undefined
        ? await this.core.latestDefinitionKey(req.bpmnProcessId)
        : (
            await this.core.knex.raw(
              'SELECT key FROM engine_process_definitions WHERE bpmn_process_id = ? AND version = ?',
              [req.bpmnProcessId, req.version],
            )
          ).rows[0]?.key
    if (definitionKey === undefined)
      throw new EngineError(
        'NOT_FOUND',
        `Process ${req.bpmnProcessId}${req.version ? ` version ${req.version}` : ''} is not deployed`,
      )
    return this.core.runStep(async (step) => {
      const inst = await step.createInstance(definitionKey, req.variables ?? {})
      return {
        processInstanceKey: String(inst.pi.key),
        processDefinitionKey: String(inst.pi.definition_key),
        bpmnProcessId: inst.pi.bpmn_process_id,
        version: inst.pi.version,
      }
    })
  }

  async cancelProcessInstance(processInstanceKey: string): Promise<void> {
    const key = parseKey(processInstanceKey, 'Process instance')
    await this.core.runStep(async (step) => {
      const inst = await step.load(key)
      // A canceled instance waiting for its canceling user task listeners is no longer active either.
      if (!inst || inst.pi.state !== 'ACTIVE' || inst.pi.data.terminating)
        throw new EngineError('NOT_FOUND', `Process instance ${processInstanceKey} not found or not active`)
      if (inst.pi.parent_process_instance_key != null)
        throw new EngineError(
          'INVALID_STATE',
          `Process instance ${processInstanceKey} was created by a call activity; cancel its root instance`,
        )
      await step.terminateInstance(inst)
    })
  }

  async getProcessInstance(processInstanceKey: string): Promise<ProcessInstanceView | undefined> {
    if (!/^\d{1,16}$/.test(processInstanceKey)) return undefined
    const { rows } = await this.core.knex.raw(
      `SELECT row_to_json(pi) AS pi,
        (SELECT coalesce(json_agg(json_build_object('elementId', e.element_id, 'elementInstanceKey', e.key::text, 'elementType', e.element_type) ORDER BY e.key), '[]')
           FROM engine_element_instances e WHERE e.process_instance_key = pi.key) AS els,
        (SELECT coalesce(json_agg(i ORDER BY i.key), '[]') FROM engine_incidents i WHERE i.process_instance_key = pi.key AND i.state = 'ACTIVE') AS incs
       FROM engine_process_instances pi WHERE pi.key = ?`,
      [Number(processInstanceKey)],
    )
    const r = rows[0]
    if (!r) return undefined
    return {
      processInstanceKey: String(r.pi.key),
      processDefinitionKey: String(r.pi.definition_key),
      bpmnProcessId: r.pi.bpmn_process_id,
      version: r.pi.version,
      state: r.pi.state,
      variables: r.pi.variables,
      activeElements: r.els,
      incidents: (r.incs as IncidentRow[]).map(toIncident),
    }
  }
}
