// A business rule task with zeebe:calledDecision: finds the decision by its binding type, evaluates it with the
// variables visible at the task, and answers the result variable. A decision that cannot be found is an incident
// of type CALLED_DECISION_ERROR, one that fails to evaluate DECISION_EVALUATION_ERROR (as Zeebe's DecisionBehavior);
// resolving the incident evaluates again.
// https://docs.camunda.io/docs/components/modeler/bpmn/business-rule-tasks/
import type { Variables } from '../../port.js'
import { ExpressionError, evalString } from '../feel.js'
import type { Element } from '../model.js'
import type { EiRow } from '../rows.js'
import type { Inst, Step } from '../step.js'
import { evaluateDecision } from './evaluate.js'
import { parseDmn, type DecisionGraph } from './model.js'

// A stored decision requirements graph never changes: parsed once per key.
const graphs = new Map<number, Promise<DecisionGraph>>()

async function graphOf(key: number, xml: string, resourceName: string): Promise<DecisionGraph> {
  let hit = graphs.get(key)
  if (!hit) {
    hit = parseDmn(xml, resourceName).then(({ graph, problems }) => {
      if (!graph) throw new Error(problems.map((p) => p.message).join('; '))
      return graph
    })
    hit.catch(() => graphs.delete(key))
    graphs.set(key, hit)
  }
  return hit
}

const SELECT = `SELECT d.key, d.version, r.key AS drg_key, r.xml, r.resource_name
  FROM engine_decisions d JOIN engine_decision_requirements r ON r.key = d.drg_key`

export async function evaluateCalledDecision(step: Step, inst: Inst, ei: EiRow, el: Element): Promise<Variables> {
  const called = el.calledDecision!
  const context = step.visible(inst, ei.key)
  const decisionId = evalString(called.decisionId, context, 'decision id')
  let found
  let missing: string
  if (called.bindingType === 'deployment') {
    found = (
      await step.sql(
        `${SELECT} WHERE d.decision_id = ? AND d.deployment_key =
          (SELECT deployment_key FROM engine_process_definitions WHERE key = ?) ORDER BY d.version DESC LIMIT 1`,
        [decisionId, inst.pi.definition_key],
      )
    ).rows[0]
    missing = `no decision with id '${decisionId}' was deployed together with process '${inst.pi.bpmn_process_id}' (binding type 'deployment')`
  } else if (called.bindingType === 'versionTag') {
    found = (
      await step.sql(`${SELECT} WHERE d.decision_id = ? AND d.version_tag = ? ORDER BY d.version DESC LIMIT 1`, [
        decisionId,
        called.versionTag ?? '',
      ])
    ).rows[0]
    missing = `no decision found for id '${decisionId}' and version tag '${called.versionTag ?? ''}'`
  } else {
    found = (await step.sql(`${SELECT} WHERE d.decision_id = ? ORDER BY d.version DESC LIMIT 1`, [decisionId])).rows[0]
    missing = `no decision found for id '${decisionId}'`
  }
  if (!found)
    throw new ExpressionError(`Expected to evaluate decision '${decisionId}', but ${missing}`, 'CALLED_DECISION_ERROR')
  let graph: DecisionGraph
  try {
    graph = await graphOf(Number(found.drg_key), String(found.xml), String(found.resource_name))
  } catch (err) {
    throw new ExpressionError(
      `Expected to evaluate decision '${decisionId}', but ${(err as Error).message}`,
      'CALLED_DECISION_ERROR',
    )
  }
  const outcome = evaluateDecision(graph, decisionId, context)
  if (!outcome.ok) throw new ExpressionError(outcome.message, 'DECISION_EVALUATION_ERROR')
  return { [called.resultVariable]: outcome.output }
}
