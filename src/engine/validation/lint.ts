// bpmnlint in-process with the recommended rules and Camunda 8.8 compatibility rules.
import { createRequire } from 'node:module'
import type { DeployProblem } from '../port.js'
import type { ModdleElement } from './xml.js'

const require = createRequire(import.meta.url)

interface Report {
  id?: string
  message: string
  category: 'error' | 'warn' | 'info' | 'rule-error'
}
interface Linter {
  lint(definitions: ModdleElement): Promise<Record<string, Report[]>>
}
const { Linter } = require('bpmnlint') as { Linter: new (opts: { config: unknown; resolver: unknown }) => Linter }
// The resolver the bpmnlint CLI uses, scoped to this module so rules and plugins come from our node_modules.
const NodeResolver = require('bpmnlint/lib/resolver/node-resolver.js') as new (opts: {
  require: NodeRequire
}) => unknown

/**
 * bpmnlint's recommended rules that judge how a diagram reads, not what it executes. Zeebe deploys and runs such
 * models (an unnamed event, no diagram, a task with two outgoing flows as a parallel split, a path ending without an
 * end event), and so does the embedded engine, so at deploy they are warnings. The product's own workflows/ are held
 * to them: test/validation/workflow-style.test.ts fails on any warning of these rules there.
 */
export const STYLE_RULES = [
  'label-required',
  'no-bpmndi',
  'end-event-required',
  'no-implicit-split',
  'no-implicit-end',
  'no-gateway-join-fork',
  // Already warnings in bpmnlint:recommended.
  'fake-join',
  'no-overlapping-elements',
  'superfluous-gateway',
  'superfluous-label',
  'superfluous-termination',
] as const

export const lintConfig = {
  extends: ['bpmnlint:recommended', 'plugin:camunda-compat/camunda-cloud-8-8'],
  // Job-based user tasks (no <zeebe:userTask/>) stay the compat rules' warning: deprecated in 8.8 but executed, and
  // the embedded engine runs them as Zeebe does and lists them in the worklist (engine/embedded/elements/tasks.ts).
  rules: Object.fromEntries(STYLE_RULES.map((rule) => [rule, 'warn'])),
}

/** Runs the linter; rule names are bpmnlint's (`label-required`, `camunda-compat/implementation`). */
export async function lintDefinitions(resourceName: string, definitions: ModdleElement): Promise<DeployProblem[]> {
  // A linter per resource: it caches rule instances, and some rules keep state in their closure
  // (no-duplicate-sequence-flows remembered every flow it had seen, so a second lint of the same
  // file reported each flow as a duplicate). Rule modules themselves stay in require's cache.
  const linter = new Linter({ config: lintConfig, resolver: new NodeResolver({ require }) })
  let results: Record<string, Report[]>
  try {
    results = await linter.lint(definitions)
  } catch (err) {
    return [
      {
        resourceName,
        rule: 'motcua/lint',
        message: `The linter could not check this resource: ${(err as Error).message}`,
        severity: 'error',
      },
    ]
  }
  const problems: DeployProblem[] = []
  for (const [rule, reports] of Object.entries(results)) {
    for (const report of reports) {
      problems.push({
        resourceName,
        ...(report.id ? { elementId: report.id } : {}),
        rule,
        message: report.category === 'rule-error' ? ruleFailedMessage(rule, report.message) : report.message,
        // A rule that threw checked nothing: the model may break what it checks (an invalid FEEL job type behind a
        // broken diagram deployed this way), so the resource may not deploy. 'info' is shown and does not block.
        severity: report.category === 'error' || report.category === 'rule-error' ? 'error' : 'warning',
      })
    }
  }
  return problems
}

/** What a deployer reads when a lint rule threw on the resource instead of checking it. */
export function ruleFailedMessage(rule: string, error: string): string {
  return (
    `Lint rule ${rule} failed on this resource and could not check it (${error}); ` +
    'it is refused rather than deployed unchecked'
  )
}
