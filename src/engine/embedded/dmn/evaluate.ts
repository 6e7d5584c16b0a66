// Evaluates a decision of a decision requirements graph with the process variables, as Zeebe's DMN engine
// (dmn-scala) does: required decisions first (their results are visible by their variable's name, else their id),
// business knowledge models as FEEL functions named by the model, then the decision's boxed expression: a decision
// table (input expressions, unary tests with feelin, hit policy, aggregation), a literal expression, a context, a
// list, a relation or an invocation of a business knowledge model.
// Result shapes: one output gives its value, several a context; single-hit policies give one result (null when no
// rule matched and no output has a default), multi-hit policies a list, COLLECT with an aggregator a number.
import { evaluate as feelEvaluate, isFunction, unaryTest } from 'feelin'
import type { Variables } from '../../port.js'
import { withCamundaBuiltins } from '../feel-builtins.js'
import { evalValue } from '../feel.js'
import type { BusinessKnowledgeModel, Decision, DecisionGraph, DecisionTable, Logic, TableOutput } from './model.js'

export type DecisionOutcome = { ok: true; output: unknown } | { ok: false; message: string; failedDecisionId: string }

/** Where a failure happened: a decision (the one evaluated or a required one) or a business knowledge model. */
interface Owner {
  id: string
  kind: 'required decision' | 'business knowledge model'
}

class DecisionFailure extends Error {
  constructor(
    readonly owner: Owner,
    message: string,
  ) {
    super(message)
  }
}

function isCallable(value: unknown): boolean {
  return typeof value === 'function' || isFunction(value)
}

/**
 * Evaluates a FEEL expression of a decision. Expressions that see functions (business knowledge models, boxed
 * function definitions) or define one are evaluated here with feelin directly, since functions cannot be sent to
 * the budgeted worker; all others go through the engine's `evalValue` (and its budget).
 */
function feel(expression: string, context: Variables, owner: Owner, what: string): unknown {
  if (expression === '') return null
  try {
    if (!/^\s*function\s*\(/.test(expression) && !Object.values(context).some(isCallable))
      return evalValue(`=${expression}`, context)
    const value: unknown = feelEvaluate(expression, withCamundaBuiltins(context, expression)).value
    return value === undefined ? null : isCallable(value) ? value : plain(value)
  } catch (err) {
    if (err instanceof DecisionFailure) throw err
    throw new DecisionFailure(owner, `failed to evaluate ${what} '${expression}': ${(err as Error).message}`)
  }
}

/** A JSON value: functions become null (a decision result is a process variable). */
function plain(value: unknown): unknown {
  if (value === undefined || isCallable(value)) return null
  if (value === null || typeof value !== 'object') return value
  return JSON.parse(JSON.stringify(value, (_key, v: unknown) => (isCallable(v) ? null : v)))
}

/** Evaluates `decisionId` in `graph`; the failure message follows Zeebe's "Expected to evaluate decision …". */
export function evaluateDecision(graph: DecisionGraph, decisionId: string, variables: Variables): DecisionOutcome {
  const results = new Map<string, unknown>()
  const evaluate = (decision: Decision): unknown => {
    if (results.has(decision.id)) return results.get(decision.id)
    const context: Variables = { ...variables }
    for (const req of decision.requires) {
      const required = graph.decisions.get(req)!
      context[required.resultName] = evaluate(required)
    }
    // Business knowledge models are functions named by the model, over the variables (dmn-scala's DecisionEvaluator).
    Object.assign(context, bkmFunctions(graph, decision.knowledge, variables))
    const output = evaluateLogic(graph, decision.logic, context, { id: decision.id, kind: 'required decision' })
    results.set(decision.id, output)
    return output
  }
  const decision = graph.decisions.get(decisionId)
  if (!decision)
    return {
      ok: false,
      failedDecisionId: decisionId,
      message: `Expected to evaluate decision '${decisionId}', but no decision found for id '${decisionId}'`,
    }
  try {
    return { ok: true, output: plain(evaluate(decision)) }
  } catch (err) {
    if (!(err instanceof DecisionFailure)) throw err
    const { id, kind } = err.owner
    const where = kind === 'required decision' && id === decisionId ? '' : `${kind} '${id}' failed: `
    return {
      ok: false,
      failedDecisionId: kind === 'required decision' ? id : decisionId,
      message: `Expected to evaluate decision '${decisionId}', but ${where}${err.message}`,
    }
  }
}

/** The business knowledge models `names` as FEEL functions (with their parameter names), closed over `scope`. */
function bkmFunctions(graph: DecisionGraph, names: string[], scope: Variables): Variables {
  const functions: Variables = {}
  for (const name of names) {
    const bkm = graph.bkms.get(name)!
    const invoke = (...args: unknown[]): unknown => {
      const local: Variables = { ...scope, ...bkmFunctions(graph, bkm.knowledge, scope) }
      bkm.parameters.forEach((p, i) => (local[p] = args[i] ?? null))
      return evaluateBkm(graph, bkm, local)
    }
    functions[name] = Object.assign(invoke, { $args: bkm.parameters })
  }
  return functions
}

function evaluateBkm(graph: DecisionGraph, bkm: BusinessKnowledgeModel, context: Variables): unknown {
  if (!bkm.logic) return null
  return evaluateLogic(graph, bkm.logic, context, { id: bkm.name, kind: 'business knowledge model' })
}

/** Evaluates a boxed expression, as dmn-scala's evaluators for each kind do. */
function evaluateLogic(graph: DecisionGraph, logic: Logic, context: Variables, owner: Owner): unknown {
  switch (logic.kind) {
    case 'literal':
      return feel(logic.expression, context, owner, 'the literal expression')
    case 'table':
      return evaluateTable(owner, logic, context)
    case 'context': {
      // Each entry sees the entries before it; without a result entry the value is the context of all entries.
      const entries: Variables = {}
      for (const e of logic.entries) entries[e.name] = evaluateLogic(graph, e.logic, { ...context, ...entries }, owner)
      return logic.result ? evaluateLogic(graph, logic.result, { ...context, ...entries }, owner) : entries
    }
    case 'list':
      return logic.elements.map((e) => evaluateLogic(graph, e, context, owner))
    case 'relation':
      return logic.rows.map((row) =>
        Object.fromEntries(logic.columns.map((c, i) => [c, evaluateLogic(graph, row[i]!, context, owner)])),
      )
    case 'function': {
      const { parameters, body } = logic
      const fn = (...args: unknown[]): unknown => {
        const local: Variables = { ...context }
        parameters.forEach((p, i) => (local[p] = args[i] ?? null))
        return feel(body, local, owner, 'the function body')
      }
      return Object.assign(fn, { $args: parameters })
    }
    case 'invocation': {
      // The bindings are evaluated first and added to the variables; every parameter must then have a value
      // (dmn-scala's InvocationEvaluator and BusinessKnowledgeEvaluator).
      const bkm = graph.bkms.get(logic.bkm)!
      const local: Variables = { ...context }
      for (const b of logic.bindings)
        local[b.name] = feel(b.expression, context, owner, `the binding of parameter '${b.name}'`)
      for (const p of bkm.parameters)
        if (!(p in local))
          throw new DecisionFailure(owner, `no parameter found with name '${p}' to invoke '${bkm.name}'`)
      Object.assign(local, bkmFunctions(graph, bkm.knowledge, context))
      return evaluateBkm(graph, bkm, local)
    }
  }
}

type Row = Array<[string, unknown]>

function evaluateTable(owner: Owner, table: DecisionTable, context: Variables): unknown {
  const inputValues = table.inputs.map((inp, i) => feel(inp.expression, context, owner, `input expression ${i + 1}`))
  const matched = table.rules.filter((rule) =>
    rule.inputEntries.every((entry, i) => {
      if (entry === '' || entry === '-') return true
      let result: boolean | null
      try {
        result = unaryTest(entry, { ...context, '?': inputValues[i] }).value
      } catch (err) {
        throw new DecisionFailure(
          owner,
          `failed to evaluate input entry '${entry}' of rule '${rule.id}': ${(err as Error).message}`,
        )
      }
      // A test that cannot compare its input (null) does not match.
      return result === true
    }),
  )
  if (matched.length === 0) return defaultOutput(owner, table.outputs, context)
  const relevant = table.hitPolicy === 'FIRST' ? matched.slice(0, 1) : matched
  const rows: Row[] = relevant.map((rule) =>
    table.outputs.map((out, i): [string, unknown] => [
      out.name,
      feel(rule.outputEntries[i] ?? '', context, owner, `output entry of rule '${rule.id}'`),
    ]),
  )
  const ruleIds = relevant.map((r) => r.id).join(', ')
  switch (table.hitPolicy) {
    case 'FIRST':
      return single(rows[0]!)
    case 'UNIQUE':
      if (rows.length > 1)
        throw new DecisionFailure(
          owner,
          `multiple values aren't allowed for UNIQUE hit policy: rules ${ruleIds} matched (${show(rows)})`,
        )
      return single(rows[0]!)
    case 'ANY': {
      const distinct = new Set(rows.map((r) => JSON.stringify(r)))
      if (distinct.size > 1)
        throw new DecisionFailure(
          owner,
          `different values aren't allowed for ANY hit policy: rules ${ruleIds} matched (${show(rows)})`,
        )
      return single(rows[0]!)
    }
    case 'PRIORITY':
      return single(byPriority(rows, table.outputs)[0]!)
    case 'OUTPUT ORDER':
      return multiple(byPriority(rows, table.outputs))
    case 'RULE ORDER':
      return multiple(rows)
    case 'COLLECT': {
      if (!table.aggregation) return multiple(rows)
      if (table.aggregation === 'COUNT') return rows.length
      const numbers = rows.map((r) => {
        const v = r[0]![1]
        if (typeof v !== 'number')
          throw new DecisionFailure(
            owner,
            `COLLECT ${table.aggregation} expected numbers but found '${JSON.stringify(v)}'`,
          )
        return v
      })
      if (table.aggregation === 'SUM') return numbers.reduce((a, b) => a + b, 0)
      return table.aggregation === 'MIN' ? Math.min(...numbers) : Math.max(...numbers)
    }
  }
}

function show(rows: Row[]): string {
  return rows.map((r) => JSON.stringify(single(r))).join(', ')
}

function single(row: Row): unknown {
  return row.length === 1 ? row[0]![1] : Object.fromEntries(row)
}

function multiple(rows: Row[]): unknown[] {
  return rows.map(single)
}

/** No rule matched: the outputs' default values (null when none has one), as dmn-scala does for every hit policy. */
function defaultOutput(owner: Owner, outputs: TableOutput[], context: Variables): unknown {
  const row: Row = outputs
    .filter((o) => o.defaultValue !== undefined)
    .map((o) => [o.name, feel(o.defaultValue!, context, owner, `default output of '${o.name}'`)])
  return row.length === 0 ? null : single(row)
}

/** Orders rows by the position of each output's value in that output's list of values (first output first). */
function byPriority(rows: Row[], outputs: TableOutput[]): Row[] {
  const rank = (row: Row): number[] =>
    outputs.map((out, i) => {
      const v = row[i]?.[1]
      const idx = out.values.findIndex((text) => text.replace(/^"|"$/g, '') === String(v))
      return idx === -1 ? Number.MAX_SAFE_INTEGER : idx
    })
  const ranked = rows.map((row, index) => ({ row, index, rank: rank(row) }))
  ranked.sort((a, b) => {
    for (let i = 0; i < a.rank.length; i++) if (a.rank[i] !== b.rank[i]) return a.rank[i]! - b.rank[i]!
    return a.index - b.index
  })
  return ranked.map((r) => r.row)
}
