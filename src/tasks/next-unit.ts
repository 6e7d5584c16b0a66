// The agencies an officer may send the dossier to when they approve a step: the choices (`unitChoices`) of the next
// user task the model reaches on approval when that task's handling unit is `chosen` (handling-unit.ts). The process
// variable `nextUnit` the officer sets is what the `chosen` rule then reads.
import type { Knex } from 'knex'
import { BpmnModdle } from 'bpmn-moddle'
import zeebe from 'zeebe-bpmn-moddle/resources/zeebe.json' with { type: 'json' }
import { handlingRuleOf } from '../dossiers/handling-unit.js'
import { handlingUnitRepository } from '../dossiers/handling-unit-repository.js'
import { decisionFlags, type DecisionFlag } from '../dossiers/decision-forms.js'

interface Node {
  $type: string
  id?: string
  $parent?: Node
  outgoing?: Flow[]
  flowElements?: Node[]
  rootElements?: Node[]
  eventDefinitions?: Node[]
  default?: Flow
  extensionElements?: { values?: Array<{ $type: string; values?: Array<{ key?: string; value?: string }> }> }
}
interface Flow {
  id?: string
  targetRef?: Node
  conditionExpression?: { body?: string }
}

/** A condition that routes on one decision (`=decision = "approve"`), read as that decision. */
const decisionCondition = /\bdecision\s*=\s*"([A-Za-z]+)"/

function headersOf(node: Node): Record<string, string> {
  const headers: Record<string, string> = {}
  const block = node.extensionElements?.values?.find((v) => v.$type === 'zeebe:TaskHeaders')
  for (const h of block?.values ?? [])
    if (typeof h.key === 'string' && typeof h.value === 'string') headers[h.key] = h.value
  return headers
}

/** The flows an approval may take out of `node`: not those on another decision, nor a default they shadow. */
function approvedFlows(node: Node): Flow[] {
  const out = node.outgoing ?? []
  if (!node.$type.endsWith('Gateway')) return out
  const decisionOf = (f: Flow) => decisionCondition.exec(f.conditionExpression?.body ?? '')?.[1]
  const onApprove = out.some((f) => decisionOf(f) === 'approve')
  return out.filter((f) => {
    const d = decisionOf(f)
    if (d !== undefined) return d === 'approve'
    return !(onApprove && f === node.default)
  })
}

/**
 * Walks the way an approval of the user task `elementId` may take, up to the next user tasks: `atUserTask` sees each of
 * those tasks, `atFlow` each flow an approval may take out of a gateway on the way.
 */
function walkApproval(
  root: Node,
  elementId: string,
  atUserTask: (node: Node) => void,
  atFlow: (flow: Flow) => void = () => {},
): void {
  const byId = new Map<string, Node>()
  const index = (container: Node) => {
    for (const el of container.flowElements ?? []) {
      if (el.id) byId.set(el.id, el)
      if (el.flowElements) index(el)
    }
  }
  for (const p of root.rootElements ?? []) if (p.$type === 'bpmn:Process') index(p)
  const start = byId.get(elementId)
  if (!start) return
  const seen = new Set<Node>()
  const visit = (node: Node) => {
    if (seen.has(node)) return
    seen.add(node)
    if (node !== start && node.$type === 'bpmn:UserTask') return atUserTask(node)
    if (node.$type === 'bpmn:SubProcess') {
      for (const s of node.flowElements ?? []) if (s.$type === 'bpmn:StartEvent') visit(s)
      return
    }
    if (node.$type === 'bpmn:EndEvent') {
      // The end of a sub-process continues after it; an error end (refusal, expiry) is not an approval's way.
      if ((node.eventDefinitions ?? []).length === 0 && node.$parent?.$type === 'bpmn:SubProcess')
        for (const f of node.$parent.outgoing ?? []) if (f.targetRef) visit(f.targetRef)
      return
    }
    const flows = node === start ? (node.outgoing ?? []) : approvedFlows(node)
    if (node !== start && node.$type.endsWith('Gateway')) flows.forEach(atFlow)
    for (const f of flows) if (f.targetRef) visit(f.targetRef)
  }
  visit(start)
}

/**
 * The agency codes of `chosen` steps the process reaches from the user task `elementId` on approval (before any other
 * user task), in model order without repeats; empty when the next step's unit is not chosen.
 */
export function choicesAfter(root: Node, elementId: string): string[] {
  const choices: string[] = []
  walkApproval(root, elementId, (task) => {
    const read = handlingRuleOf(headersOf(task))
    if ('rule' in read && read.rule.kind === 'chosen')
      for (const c of read.rule.choices) if (!choices.includes(c)) choices.push(c)
  })
  return choices
}

/**
 * The yes/no questions an approval of `elementId` answers: those a gateway on the approval's way routes on
 * (`=verificationNeeded = true` before an optional verification step). A step whose way reads neither asks neither.
 */
export function flagsAfter(root: Node, elementId: string): DecisionFlag[] {
  const flags = new Set<DecisionFlag>()
  walkApproval(
    root,
    elementId,
    () => {},
    (flow) => {
      for (const flag of decisionFlags)
        if (new RegExp(`\\b${flag}\\b`).test(flow.conditionExpression?.body ?? '')) flags.add(flag)
    },
  )
  return decisionFlags.filter((f) => flags.has(f))
}

/** The parsed BPMN of each procedure version (a published version never changes). */
const models = new Map<string, Promise<Node | undefined>>()

function modelOf(knex: Knex, procedureVersionId: string): Promise<Node | undefined> {
  let model = models.get(procedureVersionId)
  if (!model) {
    model = (async () => {
      const xml = await handlingUnitRepository(knex).bpmnOf(procedureVersionId)
      if (!xml) return undefined
      const { rootElement } = await new BpmnModdle({ zeebe }).fromXML(xml)
      return rootElement as unknown as Node
    })()
    models.set(procedureVersionId, model)
    model.catch(() => models.delete(procedureVersionId))
  }
  return model
}

export interface NextUnitChoice {
  code: string
  name: string
}

/** The agencies the officer completing `elementId` chooses among (none when the next step's unit is not chosen). */
export async function nextUnitChoices(
  knex: Knex,
  procedureVersionId: string,
  elementId: string,
): Promise<NextUnitChoice[]> {
  const model = await modelOf(knex, procedureVersionId)
  if (!model) return []
  const units = handlingUnitRepository(knex)
  const out: NextUnitChoice[] = []
  // Publish refuses codes no unit has; a unit removed since then is not offered.
  for (const code of choicesAfter(model, elementId)) {
    const unit = await units.byAgencyCode(code)
    if (unit) out.push({ code, name: unit.name })
  }
  return out
}

/**
 * The questions an approval of `elementId` answers (flagsAfter); both when the model cannot be read, as before the
 * model was consulted.
 */
export async function decisionFlagsOf(
  knex: Knex,
  procedureVersionId: string,
  elementId: string,
): Promise<DecisionFlag[]> {
  const model = await modelOf(knex, procedureVersionId)
  return model ? flagsAfter(model, elementId) : [...decisionFlags]
}
