// FEEL lint of the expressions camunda-compat's `feel` rule never sees: those on messages, signals, errors, escalations.
// @ts-ignore -- @bpmn-io/feel-lint ships no types; the one function used is typed below
import { lintExpression as untypedLintExpression } from '@bpmn-io/feel-lint'
import type { DeployProblem } from '../port.js'
import { traverse, type ModdleElement } from './xml.js'

interface FeelLintError {
  from: number
  to: number
  severity: 'error' | 'warning' | 'info'
  type: string
  message: string
}
const lintExpression = untypedLintExpression as (expression: string) => FeelLintError[]

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
