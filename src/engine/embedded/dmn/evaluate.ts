// Evaluates a decision of a decision requirements graph with the process variables, as Zeebe's DMN engine
// (dmn-scala) does: required decisions first (their results are visible by decision id), then the decision table
// (input expressions, unary tests with feelin, hit policy, aggregation) or the literal expression.
// Result shapes: one output gives its value, several a context; single-hit policies give one result (null when no
// rule matched and no output has a default), multi-hit policies a list, COLLECT with an aggregator a number.
import { unaryTest } from 'feelin'
import type { Variables } from '../../port.js'
import { evalValue } from '../feel.js'
import type { Decision, DecisionGraph, DecisionTable, TableOutput } from './model.js'

export type DecisionOutcome = { ok: true; output: unknown } | { ok: false; message: string; failedDecisionId: string }

class DecisionFailure extends Error {
  constructor(
    readonly decisionId: string,
    message: string,
  ) {
    super(message)
  }
}

function feel(expression: string, context: Variables, decisionId: string, what: string): unknown {
  if (expression === '') return null
  try {
    return evalValue(`=${expression}`, context)
  } catch (err) {
    throw new DecisionFailure(decisionId, `failed to evaluate ${what} '${expression}': ${(err as Error).message}`)
  }
}

/** Evaluates `decisionId` in `graph`; the failure message follows Zeebe's "Expected to evaluate decision …". */
export function evaluateDecision(graph: DecisionGraph, decisionId: string, variables: Variables): DecisionOutcome {
  const results = new Map<string, unknown>()
  const evaluate = (decision: Decision): unknown => {
    if (results.has(decision.id)) return results.get(decision.id)
    const context: Variables = { ...variables }
    for (const req of decision.requires) context[req] = evaluate(graph.decisions.get(req)!)
    const output =
      decision.logic.kind === 'literal'
        ? feel(decision.logic.expression, context, decision.id, 'the literal expression')
        : evaluateTable(decision.id, decision.logic, context)
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
    return { ok: true, output: evaluate(decision) }
  } catch (err) {
    if (!(err instanceof DecisionFailure)) throw err
    const where = err.decisionId === decisionId ? '' : `required decision '${err.decisionId}' failed: `
    return {
      ok: false,
      failedDecisionId: err.decisionId,
      message: `Expected to evaluate decision '${decisionId}', but ${where}${err.message}`,
    }
  }
}

type Row = Array<[string, unknown]>

function evaluateTable(decisionId: string, table: DecisionTable, context: Variables): unknown {
  const inputValues = table.inputs.map((inp, i) =>
    feel(inp.expression, context, decisionId, `input expression ${i + 1}`),
  )
  const matched = table.rules.filter((rule) =>
    rule.inputEntries.every((entry, i) => {
      if (entry === '' || entry === '-') return true
      let result: boolean | null
      try {
        result = unaryTest(entry, { ...context, '?': inputValues[i] }).value
      } catch (err) {
        throw new DecisionFailure(
          decisionId,
          `failed to evaluate input entry '${entry}' of rule '${rule.id}': ${(err as Error).message}`,
        )
      }
      // A test that cannot compare its input (null) does not match.
      return result === true
    }),
  )
  if (matched.length === 0) return defaultOutput(decisionId, table.outputs, context)
  const relevant = table.hitPolicy === 'FIRST' ? matched.slice(0, 1) : matched
  const rows: Row[] = relevant.map((rule) =>
    table.outputs.map((out, i): [string, unknown] => [
      out.name,
      feel(rule.outputEntries[i] ?? '', context, decisionId, `output entry of rule '${rule.id}'`),
    ]),
  )
  const ruleIds = relevant.map((r) => r.id).join(', ')
  switch (table.hitPolicy) {
    case 'FIRST':
      return single(rows[0]!)
    case 'UNIQUE':
      if (rows.length > 1)
        throw new DecisionFailure(
          decisionId,
          `multiple values aren't allowed for UNIQUE hit policy: rules ${ruleIds} matched (${show(rows)})`,
        )
      return single(rows[0]!)
    case 'ANY': {
      const distinct = new Set(rows.map((r) => JSON.stringify(r)))
      if (distinct.size > 1)
        throw new DecisionFailure(
          decisionId,
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
            decisionId,
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
function defaultOutput(decisionId: string, outputs: TableOutput[], context: Variables): unknown {
  const row: Row = outputs
    .filter((o) => o.defaultValue !== undefined)
    .map((o) => [o.name, feel(o.defaultValue!, context, decisionId, `default output of '${o.name}'`)])
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
