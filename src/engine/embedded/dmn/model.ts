// Reads a DMN 1.3 resource with dmn-moddle (+ zeebe-dmn-moddle for zeebe:versionTag) into a decision requirements
// graph the evaluator walks: decision tables and literal expressions, with their required decisions. Anything else
// Zeebe's DMN engine would not run either (or that this engine does not) is reported per decision at deploy.
import { DmnModdle } from 'dmn-moddle'
import { parseExpression, parseUnaryTests } from 'feelin'
import { createRequire } from 'node:module'
import type { DeployProblem } from '../../port.js'

const require = createRequire(import.meta.url)
const zeebeDmn = require('zeebe-dmn-moddle/resources/zeebe.json') as object

/* eslint-disable @typescript-eslint/no-explicit-any */
type DmnElement = any

export type HitPolicy = 'UNIQUE' | 'FIRST' | 'PRIORITY' | 'ANY' | 'COLLECT' | 'RULE ORDER' | 'OUTPUT ORDER'
export type Aggregation = 'SUM' | 'MIN' | 'MAX' | 'COUNT'

export interface TableOutput {
  name: string
  /** The allowed values in priority order (PRIORITY and OUTPUT ORDER sort by them), as FEEL texts. */
  values: string[]
  /** Used when no rule matches. */
  defaultValue?: string
}

export interface DecisionTable {
  kind: 'table'
  hitPolicy: HitPolicy
  aggregation?: Aggregation
  inputs: Array<{ id: string; expression: string }>
  outputs: TableOutput[]
  rules: Array<{ id: string; inputEntries: string[]; outputEntries: string[] }>
}

export interface LiteralExpression {
  kind: 'literal'
  expression: string
}

export interface Decision {
  id: string
  name?: string
  versionTag?: string
  /** Ids of the decisions whose results this one reads (information requirements). */
  requires: string[]
  logic: DecisionTable | LiteralExpression
}

export interface DecisionGraph {
  id: string
  name?: string
  decisions: Map<string, Decision>
}

const HIT_POLICIES = new Set<string>(['UNIQUE', 'FIRST', 'PRIORITY', 'ANY', 'COLLECT', 'RULE ORDER', 'OUTPUT ORDER'])
const AGGREGATIONS = new Set<string>(['SUM', 'MIN', 'MAX', 'COUNT'])

function text(el: DmnElement): string {
  return String(el?.text ?? '').trim()
}

function versionTagOf(el: DmnElement): string | undefined {
  const tag = (el.extensionElements?.values ?? []).find((v: DmnElement) => v.$type === 'zeebe:VersionTag')
  return tag?.value ? String(tag.value) : undefined
}

/** Splits an output's allowed values (`"high","low"`, `1, 2`) at top-level commas. */
export function splitValues(list: string): string[] {
  const out: string[] = []
  let cur = ''
  let quoted = false
  for (const ch of list) {
    if (ch === '"') quoted = !quoted
    if (ch === ',' && !quoted) {
      out.push(cur.trim())
      cur = ''
    } else cur += ch
  }
  if (cur.trim()) out.push(cur.trim())
  return out
}

function syntaxError(tree: ReturnType<typeof parseExpression>): boolean {
  let bad = false
  tree.iterate({
    enter: (node) => {
      if (node.type.isError) bad = true
    },
  })
  return bad
}

export interface ParsedDmn {
  graph?: DecisionGraph
  problems: DeployProblem[]
}

/** Parses and checks a .dmn resource; problems are errors that refuse the deployment (as Zeebe's DMN parser does). */
export async function parseDmn(xml: string, resourceName: string): Promise<ParsedDmn> {
  const problems: DeployProblem[] = []
  const report = (elementId: string | undefined, message: string): void => {
    problems.push({ resourceName, elementId, rule: 'dmn-parse', message, severity: 'error' })
  }
  let definitions: DmnElement
  try {
    const moddle = DmnModdle({ zeebe: zeebeDmn })
    const { rootElement, warnings } = await moddle.fromXML(xml, 'dmn:Definitions')
    definitions = rootElement
    for (const w of warnings ?? []) report(undefined, `Cannot read DMN: ${(w as { message: string }).message}`)
  } catch (err) {
    report(undefined, `Cannot read DMN: ${(err as Error).message}`)
    return { problems }
  }
  if (!definitions || definitions.$type !== 'dmn:Definitions' || !definitions.id) {
    report(undefined, 'Cannot read DMN: the resource has no <definitions> with an id (DMN 1.3).')
    return { problems }
  }

  const graph: DecisionGraph = { id: String(definitions.id), decisions: new Map() }
  if (definitions.name) graph.name = String(definitions.name)

  const checkFeel = (id: string, expr: string, what: string, unary: boolean): void => {
    if (expr === '' || (unary && expr === '-')) return
    try {
      const tree = unary ? parseUnaryTests(expr, {}, undefined) : parseExpression(expr, {}, undefined)
      if (syntaxError(tree)) report(id, `${what} '${expr}' of decision "${id}" is not valid FEEL.`)
    } catch (err) {
      report(id, `${what} '${expr}' of decision "${id}" is not valid FEEL: ${(err as Error).message}`)
    }
  }

  for (const el of definitions.drgElement ?? []) {
    if (el.$type !== 'dmn:Decision') {
      if (el.$type === 'dmn:BusinessKnowledgeModel')
        report(el.id, `Business knowledge model "${el.id}" is not supported by the embedded engine.`)
      continue // input data, knowledge sources: documentation only
    }
    const id = String(el.id ?? '')
    if (!id) {
      report(undefined, 'A decision has no id.')
      continue
    }
    const requires: string[] = []
    for (const req of el.informationRequirement ?? []) {
      const href = req.requiredDecision?.href
      if (href) requires.push(String(href).replace(/^.*#/, ''))
    }
    if ((el.knowledgeRequirement ?? []).length > 0)
      report(id, `Decision "${id}" requires a business knowledge model, which the embedded engine does not support.`)
    const logic = el.decisionLogic
    let compiled: DecisionTable | LiteralExpression | undefined
    if (logic?.$type === 'dmn:LiteralExpression') {
      compiled = { kind: 'literal', expression: text(logic) }
      if (!compiled.expression) report(id, `The literal expression of decision "${id}" is empty.`)
      checkFeel(id, compiled.expression, 'Literal expression', false)
    } else if (logic?.$type === 'dmn:DecisionTable') {
      const hitPolicy = String(logic.hitPolicy ?? 'UNIQUE')
      const aggregation = logic.aggregation ? String(logic.aggregation) : undefined
      if (!HIT_POLICIES.has(hitPolicy)) report(id, `Hit policy "${hitPolicy}" of decision "${id}" is not DMN 1.3.`)
      if (aggregation && (!AGGREGATIONS.has(aggregation) || hitPolicy !== 'COLLECT'))
        report(id, `Aggregation "${aggregation}" of decision "${id}" is only allowed with hit policy COLLECT.`)
      const outputs: TableOutput[] = (logic.output ?? []).map((o: DmnElement, i: number) => {
        const out: TableOutput = {
          name: String(o.name ?? o.label ?? o.id ?? `output${i + 1}`),
          values: o.outputValues ? splitValues(text(o.outputValues)) : [],
        }
        if (o.defaultOutputEntry && text(o.defaultOutputEntry)) out.defaultValue = text(o.defaultOutputEntry)
        return out
      })
      if (outputs.length === 0) report(id, `Decision table "${id}" has no output.`)
      if (outputs.length > 1 && (logic.output as DmnElement[]).some((o) => !o.name))
        report(id, `Decision table "${id}" has several outputs; each needs a name.`)
      if (aggregation && aggregation !== 'COUNT' && outputs.length > 1)
        report(id, `Decision table "${id}" aggregates (${aggregation}) several outputs; only one is allowed.`)
      const inputs = (logic.input ?? []).map((inp: DmnElement) => ({
        id: String(inp.id ?? ''),
        expression: text(inp.inputExpression),
      }))
      for (const inp of inputs) checkFeel(id, inp.expression, 'Input expression', false)
      const rules = (logic.rule ?? []).map((r: DmnElement) => ({
        id: String(r.id ?? ''),
        inputEntries: (r.inputEntry ?? []).map(text),
        outputEntries: (r.outputEntry ?? []).map(text),
      }))
      for (const r of rules) {
        if (r.inputEntries.length !== inputs.length || r.outputEntries.length !== outputs.length)
          report(id, `Rule "${r.id}" of decision "${id}" does not have one entry per input and output.`)
        for (const e of r.inputEntries) checkFeel(id, e, `Input entry of rule "${r.id}"`, true)
        for (const e of r.outputEntries) checkFeel(id, e, `Output entry of rule "${r.id}"`, false)
      }
      compiled = {
        kind: 'table',
        hitPolicy: hitPolicy as HitPolicy,
        ...(aggregation ? { aggregation: aggregation as Aggregation } : {}),
        inputs,
        outputs,
        rules,
      }
    } else {
      const what = logic ? String(logic.$type).replace(/^dmn:/, '') : 'no decision logic'
      report(
        id,
        `Decision "${id}" has ${logic ? `a ${what}` : what}; the engine evaluates decision tables and literal expressions.`,
      )
      continue
    }
    const decision: Decision = { id, requires, logic: compiled }
    if (el.name) decision.name = String(el.name)
    const tag = versionTagOf(el)
    if (tag) decision.versionTag = tag
    graph.decisions.set(id, decision)
  }
  if (graph.decisions.size === 0 && problems.length === 0) report(undefined, 'The DMN resource has no decision.')
  for (const d of graph.decisions.values())
    for (const r of d.requires)
      if (!graph.decisions.has(r))
        report(d.id, `Decision "${d.id}" requires decision "${r}", which is not in ${graph.id}.`)
  const cycle = findCycle(graph)
  if (cycle) report(cycle, `Decision "${cycle}" requires itself through its required decisions.`)
  return problems.length ? { problems } : { graph, problems }
}

function findCycle(graph: DecisionGraph): string | undefined {
  const state = new Map<string, 'open' | 'done'>()
  const visit = (id: string): string | undefined => {
    if (state.get(id) === 'done') return undefined
    if (state.get(id) === 'open') return id
    state.set(id, 'open')
    for (const r of graph.decisions.get(id)?.requires ?? []) {
      const c = visit(r)
      if (c) return c
    }
    state.set(id, 'done')
    return undefined
  }
  for (const id of graph.decisions.keys()) {
    const c = visit(id)
    if (c) return c
  }
  return undefined
}
