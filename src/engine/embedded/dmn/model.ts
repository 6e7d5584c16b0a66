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

/** A boxed context: entries in order (each sees the ones before); `result` is the last entry when it has no name. */
export interface ContextLogic {
  kind: 'context'
  entries: Array<{ name: string; logic: Logic }>
  result?: Logic
}

/** A boxed list: a list of the values of its elements. */
export interface ListLogic {
  kind: 'list'
  elements: Logic[]
}

/** A boxed relation: a list of contexts, one per row, keyed by the column names. */
export interface RelationLogic {
  kind: 'relation'
  columns: string[]
  rows: Logic[][]
}

/** A boxed invocation of a business knowledge model (by its name), with its parameters bound to FEEL expressions. */
export interface InvocationLogic {
  kind: 'invocation'
  bkm: string
  bindings: Array<{ name: string; expression: string }>
}

/** A boxed function definition (inside a context, list or relation): a FEEL function value. */
export interface FunctionLogic {
  kind: 'function'
  parameters: string[]
  body: string
}

export type Logic =
  DecisionTable | LiteralExpression | ContextLogic | ListLogic | RelationLogic | InvocationLogic | FunctionLogic

export interface Decision {
  id: string
  name?: string
  versionTag?: string
  /** The name other decisions read this one's result by: its variable's name, else its id (as dmn-scala). */
  resultName: string
  /** Ids of the decisions whose results this one reads (information requirements). */
  requires: string[]
  /** Names of the business knowledge models it calls (knowledge requirements), visible as FEEL functions. */
  knowledge: string[]
  logic: Logic
}

/** A business knowledge model: a function (named by the model's name) over its parameters. */
export interface BusinessKnowledgeModel {
  id: string
  name: string
  parameters: string[]
  /** Names of the business knowledge models its logic calls. */
  knowledge: string[]
  /** Null when the model has no encapsulated logic (its result is null, as in dmn-scala). */
  logic: Logic | null
}

export interface DecisionGraph {
  id: string
  name?: string
  decisions: Map<string, Decision>
  /** By name, the way decisions and invocations call them. */
  bkms: Map<string, BusinessKnowledgeModel>
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

  const graph: DecisionGraph = { id: String(definitions.id), decisions: new Map(), bkms: new Map() }
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

  const elements: DmnElement[] = definitions.drgElement ?? []
  const bkmNameById = new Map<string, string>()
  for (const el of elements)
    if (el.$type === 'dmn:BusinessKnowledgeModel' && el.id && el.name) bkmNameById.set(String(el.id), String(el.name))
  const knowledgeOf = (owner: string, el: DmnElement): string[] => {
    const names: string[] = []
    for (const req of el.knowledgeRequirement ?? []) {
      const href = String(req.requiredKnowledge?.href ?? '').replace(/^.*#/, '')
      const name = bkmNameById.get(href)
      if (name) names.push(name)
      else report(owner, `"${owner}" requires business knowledge model "${href}", which is not in ${graph.id}.`)
    }
    return names
  }
  const compiler = new LogicCompiler(report, checkFeel, new Set(bkmNameById.values()))

  for (const el of elements) {
    if (el.$type === 'dmn:BusinessKnowledgeModel') {
      const id = String(el.id ?? '')
      const name = el.name ? String(el.name) : ''
      if (!name) {
        report(id || undefined, `Business knowledge model "${id}" has no name; decisions call it by its name.`)
        continue
      }
      if (graph.bkms.has(name)) report(id, `Two business knowledge models are named "${name}".`)
      const fn = el.encapsulatedLogic
      let logic: Logic | null = null
      if (fn) {
        if (fn.kind && fn.kind !== 'FEEL')
          report(id, `Business knowledge model "${name}" is a ${fn.kind} function; only FEEL functions are evaluated.`)
        if (fn.body) logic = compiler.compile(fn.body, id, 'bkm') ?? null
      }
      graph.bkms.set(name, {
        id,
        name,
        parameters: (fn?.formalParameter ?? []).map((p: DmnElement) => String(p.name ?? '')),
        knowledge: knowledgeOf(id, el),
        logic,
      })
      continue
    }
    if (el.$type !== 'dmn:Decision') continue // input data, knowledge sources: documentation only
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
    const knowledge = knowledgeOf(id, el)
    const logic = el.decisionLogic
    if (!logic) {
      report(id, `Decision "${id}" has no decision logic; the engine evaluates ${DECISION_LOGIC}.`)
      continue
    }
    const compiled = compiler.compile(logic, id, 'decision')
    if (!compiled) continue
    const decision: Decision = {
      id,
      resultName: el.variable?.name ? String(el.variable.name) : id,
      requires,
      knowledge,
      logic: compiled,
    }
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
  const bkmCycle = findCycle({ ...graph, decisions: new Map() })
  if (bkmCycle)
    report(bkmCycle, `Business knowledge model "${bkmCycle}" requires itself through its knowledge requirements.`)
  return problems.length ? { problems } : { graph, problems }
}

const DECISION_LOGIC = 'decision tables, literal expressions, contexts, lists, relations and invocations'
const BKM_LOGIC = 'decision tables, literal expressions, contexts, lists and relations'

/**
 * Turns a decision's (or a business knowledge model's) boxed expression into the evaluator's logic, as dmn-scala's
 * DmnParser accepts it: a decision may be any boxed expression but a function definition; a business knowledge
 * model's encapsulated logic any but an invocation or a function definition; inside contexts, lists and relations
 * anything, with function definitions whose body is a FEEL literal expression.
 */
class LogicCompiler {
  constructor(
    private readonly report: (elementId: string | undefined, message: string) => void,
    private readonly checkFeel: (id: string, expr: string, what: string, unary: boolean) => void,
    private readonly bkmNames: Set<string>,
  ) {}

  compile(el: DmnElement, owner: string, where: 'decision' | 'bkm' | 'nested'): Logic | undefined {
    const type = String(el?.$type ?? '').replace(/^dmn:/, '')
    const refused =
      (where === 'decision' && type === 'FunctionDefinition') ||
      (where === 'bkm' && (type === 'Invocation' || type === 'FunctionDefinition'))
    if (refused || !COMPILERS.has(type)) {
      const allowed =
        where === 'bkm' ? BKM_LOGIC : where === 'decision' ? DECISION_LOGIC : `${DECISION_LOGIC}, functions`
      const of = where === 'bkm' ? `Business knowledge model "${owner}"` : `Decision "${owner}"`
      this.report(owner, `${of}: ${type || 'no expression'} is not evaluated there; the engine evaluates ${allowed}.`)
      return undefined
    }
    switch (type) {
      case 'LiteralExpression':
        return this.literal(el, owner)
      case 'DecisionTable':
        return this.table(el, owner)
      case 'Context':
        return this.context(el, owner)
      case 'List':
        return this.list(el, owner)
      case 'Relation':
        return this.relation(el, owner)
      case 'Invocation':
        return this.invocation(el, owner)
      default:
        return this.functionDefinition(el, owner)
    }
  }

  private literal(el: DmnElement, owner: string): LiteralExpression | undefined {
    const expression = text(el)
    if (el.expressionLanguage && !/feel/i.test(String(el.expressionLanguage))) {
      this.report(owner, `Expression language '${el.expressionLanguage}' of "${owner}" is not supported (FEEL only).`)
      return undefined
    }
    if (!expression) {
      this.report(owner, `A literal expression of "${owner}" is empty.`)
      return undefined
    }
    this.checkFeel(owner, expression, 'Literal expression', false)
    return { kind: 'literal', expression }
  }

  private context(el: DmnElement, owner: string): ContextLogic | undefined {
    const entries: DmnElement[] = el.contextEntry ?? []
    if (entries.length === 0) {
      this.report(owner, `A context of "${owner}" has no entry.`)
      return undefined
    }
    const out: ContextLogic = { kind: 'context', entries: [] }
    entries.forEach((entry, i) => {
      const name = entry.variable?.name ? String(entry.variable.name) : ''
      const logic = entry.value ? this.compile(entry.value, owner, 'nested') : undefined
      if (!entry.value) this.report(owner, `A context entry of "${owner}" has no value.`)
      if (!logic) return
      if (name) out.entries.push({ name, logic })
      else if (i === entries.length - 1) out.result = logic
      else this.report(owner, `Context entry ${i + 1} of "${owner}" has no name; only the last one (the result) may.`)
    })
    return out
  }

  private list(el: DmnElement, owner: string): ListLogic | undefined {
    const elements = (el.elements ?? []).map((e: DmnElement) => this.compile(e, owner, 'nested'))
    return elements.includes(undefined) ? undefined : { kind: 'list', elements }
  }

  private relation(el: DmnElement, owner: string): RelationLogic | undefined {
    const columns = (el.column ?? []).map((c: DmnElement) => String(c.name ?? ''))
    if (columns.some((c: string) => !c)) this.report(owner, `A relation column of "${owner}" has no name.`)
    const rows: Logic[][] = []
    for (const row of el.row ?? []) {
      const cells: DmnElement[] = row.elements ?? []
      if (cells.length !== columns.length) {
        this.report(owner, `A relation row of "${owner}" has ${cells.length} elements; expected ${columns.length}.`)
        return undefined
      }
      const compiled = cells.map((c) => this.compile(c, owner, 'nested'))
      if (compiled.includes(undefined)) return undefined
      rows.push(compiled as Logic[])
    }
    return { kind: 'relation', columns, rows }
  }

  private invocation(el: DmnElement, owner: string): InvocationLogic | undefined {
    const called = el.calledFunction
    const bkm = called?.$type === 'dmn:LiteralExpression' ? text(called) : ''
    if (!bkm || !this.bkmNames.has(bkm)) {
      this.report(
        owner,
        `The invocation in "${owner}" calls "${bkm}", which is no business knowledge model of this DRG.`,
      )
      return undefined
    }
    const bindings: InvocationLogic['bindings'] = []
    for (const b of el.binding ?? []) {
      const name = b.parameter?.name ? String(b.parameter.name) : ''
      const formula = b.bindingFormula
      if (!name || formula?.$type !== 'dmn:LiteralExpression') {
        this.report(owner, `A binding of the invocation in "${owner}" needs a parameter name and a literal expression.`)
        return undefined
      }
      const literal = this.literal(formula, owner)
      if (!literal) return undefined
      bindings.push({ name, expression: literal.expression })
    }
    return { kind: 'invocation', bkm, bindings }
  }

  private functionDefinition(el: DmnElement, owner: string): FunctionLogic | undefined {
    if ((el.kind && el.kind !== 'FEEL') || el.body?.$type !== 'dmn:LiteralExpression') {
      this.report(owner, `A function definition in "${owner}" must be a FEEL function with a literal expression body.`)
      return undefined
    }
    const body = this.literal(el.body, owner)
    if (!body) return undefined
    return {
      kind: 'function',
      parameters: (el.formalParameter ?? []).map((p: DmnElement) => String(p.name ?? '')),
      body: body.expression,
    }
  }

  private table(logic: DmnElement, id: string): DecisionTable {
    const report = this.report
    const checkFeel = this.checkFeel
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
    return {
      kind: 'table',
      hitPolicy: hitPolicy as HitPolicy,
      ...(aggregation ? { aggregation: aggregation as Aggregation } : {}),
      inputs,
      outputs,
      rules,
    }
  }
}

const COMPILERS = new Set([
  'LiteralExpression',
  'DecisionTable',
  'Context',
  'List',
  'Relation',
  'Invocation',
  'FunctionDefinition',
])

/** A decision (or, with no decisions, a business knowledge model) that requires itself, if any. */
function findCycle(graph: DecisionGraph): string | undefined {
  const edges = new Map<string, string[]>()
  if (graph.decisions.size > 0) for (const d of graph.decisions.values()) edges.set(d.id, d.requires)
  else for (const b of graph.bkms.values()) edges.set(b.name, b.knowledge)
  const state = new Map<string, 'open' | 'done'>()
  const visit = (id: string): string | undefined => {
    if (state.get(id) === 'done') return undefined
    if (state.get(id) === 'open') return id
    state.set(id, 'open')
    for (const r of edges.get(id) ?? []) {
      const c = visit(r)
      if (c) return c
    }
    state.set(id, 'done')
    return undefined
  }
  for (const id of edges.keys()) {
    const c = visit(id)
    if (c) return c
  }
  return undefined
}
