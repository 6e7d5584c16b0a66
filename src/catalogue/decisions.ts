// The DMN decisions a procedure carries beside its BPMN (workflow.decisions, files in workflows/): checked on
// publish as the engines would refuse them, and against the decisions the BPMN's business rule tasks call.
import { parseDmn } from '../engine/embedded/dmn/model.js'
import type { DeployResource } from '../engine/port.js'
import { parseBpmn } from './bpmn-read.js'
import type { DefinitionProblem, ProcedureDefinition } from './definition.js'

/** A decision resource stored with a procedure version. */
export interface DecisionResource {
  name: string
  xml: string
}

export const decisionDeployResources = (decisions: DecisionResource[]): DeployResource[] =>
  decisions.map((d) => ({ name: d.name, content: d.xml }))

/**
 * Every problem of the version's decisions: a file the definition names but the version does not carry (or the
 * reverse), a DMN the engine would refuse (unreadable XML, FEEL that does not parse, a missing required decision …),
 * and a business rule task calling a decision none of them holds (a static decision id; an `=expression` is only
 * known at run time). Messages are Vietnamese, then English.
 */
export async function decisionProblems(
  def: ProcedureDefinition,
  bpmnXml: string,
  decisions: DecisionResource[],
): Promise<DefinitionProblem[]> {
  const problems: DefinitionProblem[] = []
  const named = def.workflow?.decisions ?? []
  const byName = new Map(decisions.map((d) => [d.name, d]))
  const ids = new Set<string>()
  for (const [i, name] of named.entries()) {
    const resource = byName.get(name)
    if (!resource) {
      problems.push({
        path: `/workflow/decisions/${i}`,
        message: `Thiếu bảng quyết định ${name}: hãy tải tệp DMN lên cùng quy trình / The decision table ${name} is missing: upload the DMN file with the workflow`,
      })
      continue
    }
    const parsed = await parseDmn(resource.xml, name)
    for (const p of parsed.problems)
      problems.push({
        path: `/workflow/decisions/${i}`,
        message: `Bảng quyết định ${name} bị lỗi / The decision table ${name} is broken: ${p.message}`,
      })
    for (const id of parsed.graph?.decisions.keys() ?? []) ids.add(id)
  }
  for (const d of decisions)
    if (!named.includes(d.name))
      problems.push({
        path: '/workflow/decisions',
        message: `Tệp ${d.name} không có trong danh sách workflow.decisions của thủ tục / ${d.name} is not listed in the procedure's workflow.decisions`,
      })
  const parsed = await parseBpmn(bpmnXml)
  const process = parsed.ok ? parsed.processes.find((p) => p.id === def.workflow?.bpmnProcessId) : undefined
  for (const [elementId, decisionId] of process?.calledDecisions ?? []) {
    if (decisionId.startsWith('=') || ids.has(decisionId)) continue
    problems.push({
      path: `bpmn:${elementId}`,
      elementId,
      message: `Bước "${elementId}" gọi bảng quyết định "${decisionId}" nhưng thủ tục không có bảng nào như vậy / Business rule task "${elementId}" calls decision "${decisionId}", which none of the procedure's decision tables holds`,
    })
  }
  return problems
}
