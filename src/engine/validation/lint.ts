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

export const lintConfig = {
  extends: ['bpmnlint:recommended', 'plugin:camunda-compat/camunda-cloud-8-8'],
  // Job-based user tasks (no <zeebe:userTask/>) stay the compat rules' warning: deprecated in 8.8 but executed, and
  // the embedded engine runs them as Zeebe does and lists them in the worklist (engine/embedded/elements/tasks.ts).
  rules: {},
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
        message: report.category === 'rule-error' ? `Lint rule failed: ${report.message}` : report.message,
        // 'info' and a crashed rule do not block a deployment; they are still shown. A rule that ran out of stack did
        // so on this resource's nesting (a FEEL expression 20,000 parentheses deep): nothing checked it, so it may not
        // deploy.
        severity:
          report.category === 'error' || (report.category === 'rule-error' && /call stack/i.test(report.message))
            ? 'error'
            : 'warning',
      })
    }
  }
  return problems
}
