// FEEL lint of the expressions camunda-compat's `feel` rule never sees: those on messages, signals, errors,
// escalations.
// @ts-expect-error -- @bpmn-io/feel-lint ships no types; the one function used is typed below
import { lintExpression as untypedLintExpression } from '@bpmn-io/feel-lint'
import { parseExpression } from 'feelin'
import type { DeployProblem } from '../port.js'
import { camundaBuiltinNames } from '../embedded/feel-builtins.js'
import { traverse, type ModdleElement } from './xml.js'

interface FeelLintError {
  from: number
  to: number
  severity: 'error' | 'warning' | 'info'
  type: string
  message: string
}
const lintFeel = untypedLintExpression as (
  expression: string,
  options: { builtins: Array<{ name: string }> },
) => FeelLintError[]
// Camunda's built-ins by name: without them `get or else(x, 1)` is a syntax error (`or` is a keyword), although the
// engine evaluates it (and so does Zeebe).
const builtins = camundaBuiltinNames.map((name) => ({ name }))
const lintExpression = (expression: string): FeelLintError[] => lintFeel(expression, { builtins })
const builtinContext = Object.fromEntries(camundaBuiltinNames.map((name) => [name, null]))

const REFERENCES = ['messageRef', 'signalRef', 'errorRef', 'escalationRef'] as const

/** The flow elements that point at each root element (a message's catch events, receive tasks …). */
function referrers(definitions: ModdleElement): Map<ModdleElement, string[]> {
  const byTarget = new Map<ModdleElement, string[]>()
  traverse(definitions, (el) => {
    for (const ref of REFERENCES) {
      const target = el[ref] as ModdleElement | undefined
      if (!target) continue
      // An event definition is not what a modeler clicks on; its event is.
      const owner = el.$instanceOf('bpmn:EventDefinition') ? el.$parent : el
      const id = owner?.id ?? el.id
      if (!id) continue
      const ids = byTarget.get(target) ?? []
      if (!ids.includes(id)) ids.push(id)
      byTarget.set(target, ids)
    }
  })
  return byTarget
}

/**
 * camunda-compat's `feel` rule reports only under flow elements, so a message's
 * `zeebe:subscription correlationKey` (a root element's extension) is never checked, yet a bad
 * key fails every instance that reaches the catch event. Each problem is reported on the elements
 * that use the message, or on the message itself when nothing uses it.
 */
export function lintRootExpressions(resourceName: string, definitions: ModdleElement): DeployProblem[] {
  const problems: DeployProblem[] = []
  const users = referrers(definitions)
  const roots = (definitions.get('rootElements') as ModdleElement[] | undefined) ?? []
  for (const root of roots) {
    if (root.$instanceOf('bpmn:Process') || root.$instanceOf('bpmn:Collaboration')) continue
    traverse(root, (el) => {
      if (el.$descriptor.isGeneric) return
      for (const property of el.$descriptor.properties) {
        if (!property.isAttr || property.type !== 'String' || property.name === 'id') continue
        const value = el[property.name]
        if (typeof value !== 'string' || !value.startsWith('=')) continue
        const errors = lintExpression(value.slice(1)).filter((e) => e.severity === 'error')
        if (errors.length === 0) continue
        const isKey = el.$type === 'zeebe:Subscription' && property.name === 'correlationKey'
        const what = isKey ? 'Correlation key' : `Property <${property.name}>`
        const detail = errors.map((e) => `${e.message} at ${e.from + 1}`).join('; ')
        for (const elementId of users.get(root) ?? [root.id ?? '']) {
          problems.push({
            resourceName,
            ...(elementId ? { elementId } : {}),
            rule: isKey ? 'motcua/feel-correlation-key' : 'motcua/feel',
            message: `${what} ${JSON.stringify(value)} of <${root.id}> is not a valid FEEL expression: ${detail}`,
            severity: 'error',
          })
        }
      }
    })
  }
  return problems
}

/**
 * Deepest bracket nesting accepted in a FEEL expression: deeper ones exhausted the FEEL linters' stack (and would the
 * evaluator's).
 */
export const MAX_FEEL_DEPTH = 64
/**
 * Most elements a literal range may hold: `for x in 1..1000000000` would allocate until the process dies, on every
 * instance.
 */
export const MAX_FEEL_RANGE = 100_000

/**
 * Expressions no process needs and any instance would choke on: brackets nested deeper than MAX_FEEL_DEPTH, or a
 * literal range over MAX_FEEL_RANGE elements. Checked before the linters, which are slow or crash on them.
 */
export function feelBudgetProblems(resourceName: string, definitions: ModdleElement): DeployProblem[] {
  const problems: DeployProblem[] = []
  traverse(definitions, (el) => {
    for (const [property, value] of Object.entries(el)) {
      if (property.startsWith('$') || typeof value !== 'string' || !value.trimStart().startsWith('=')) continue
      const owner = el.id ?? (el.$parent?.id as string | undefined) ?? el.$parent?.$parent?.id
      const where = { resourceName, ...(owner ? { elementId: owner } : {}), severity: 'error' as const }
      let depth = 0
      let deepest = 0
      for (const c of value) {
        if (c === '(' || c === '[' || c === '{') deepest = Math.max(deepest, ++depth)
        else if (c === ')' || c === ']' || c === '}') depth--
      }
      if (deepest > MAX_FEEL_DEPTH)
        problems.push({
          ...where,
          rule: 'motcua/feel-depth',
          message: `A FEEL expression of <${property}> nests brackets ${deepest} deep; the limit is ${MAX_FEEL_DEPTH}`,
        })
      if (deepest <= MAX_FEEL_DEPTH)
        for (const problem of loopProblems(value.trimStart().slice(1)))
          problems.push({ ...where, ...problem, message: `${problem.message} in <${property}>` })
      for (const m of value.matchAll(/(-?\d+)\s*\.\.\s*(-?\d+)/g)) {
        const span = Math.abs(Number(m[2]) - Number(m[1])) + 1
        if (span > MAX_FEEL_RANGE)
          problems.push({
            ...where,
            rule: 'motcua/feel-range',
            message: `The range ${m[0]} in <${property}> holds ${span} values; the limit is ${MAX_FEEL_RANGE}`,
          })
      }
    }
  })
  return problems
}

/**
 * Deepest nesting of iterations accepted (`for`, `some`, `every`; each `x in …` of one `for` counts, as they iterate
 * their cartesian product): three nested loops over a 2,000-character note are 8·10⁹ steps.
 */
export const MAX_FEEL_LOOP_DEPTH = 2

/**
 * Loops whose cost grows as a power of the input: nested deeper than MAX_FEEL_LOOP_DEPTH (`motcua/feel-loop-depth`),
 * or a range with a bound that is not a number literal inside another loop (`for i in 1..n return for j in
 * 1..string length(note)`, `motcua/feel-loop-range`). The evaluator's budget stops the rest at run time; these are
 * refused at deploy so that an analyst learns it before any instance runs.
 */
export function loopProblems(expr: string): Array<{ rule: string; message: string }> {
  let tree
  try {
    tree = parseExpression(expr, builtinContext, undefined)
  } catch {
    return [] // not FEEL: the linters say so
  }
  const problems: Array<{ rule: string; message: string }> = []
  let depth = 0
  let deepest = 0
  let variableRange: string | undefined
  // Per open loop, how many iteration variables it has bound so far.
  const open: number[] = []
  tree.iterate({
    enter(node) {
      if (node.name === 'ForExpression' || node.name === 'QuantifiedExpression') open.push(0)
      else if (node.name === 'IterationContext' && depth >= 1 && !variableRange) {
        const range = node.node.getChild('..')
        const bounds = [range?.prevSibling, range?.nextSibling]
        if (range && bounds.some((b) => b?.name !== 'NumericLiteral')) variableRange = expr.slice(node.from, node.to)
      }
    },
    leave(node) {
      if (node.name === 'InExpression' && open.length > 0) {
        open[open.length - 1]!++
        deepest = Math.max(deepest, ++depth)
      } else if (node.name === 'ForExpression' || node.name === 'QuantifiedExpression') depth -= open.pop() ?? 0
    },
  })
  if (deepest > MAX_FEEL_LOOP_DEPTH)
    problems.push({
      rule: 'motcua/feel-loop-depth',
      message: `A FEEL expression nests loops ${deepest} deep (for/some/every); the limit is ${MAX_FEEL_LOOP_DEPTH}`,
    })
  if (variableRange !== undefined)
    problems.push({
      rule: 'motcua/feel-loop-range',
      message: `A FEEL expression iterates over the range ${variableRange}, whose bound is not a number, inside another loop`,
    })
  return problems
}
