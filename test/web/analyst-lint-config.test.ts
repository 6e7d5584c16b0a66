// The modeler lints with the rules deploy validation uses: the web app's packed bpmnlint config gives
// the same reports as the server's linter, on every reference workflow and on a broken one.
import { readdirSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import t from 'tap'
import webLint from '../../web/src/analyst/bpmnlint-config.js'
import { lintConfig, lintDefinitions, ruleFailedMessage } from '../../src/engine/validation/lint.js'
import { parseResource, type ModdleElement } from '../../src/engine/validation/xml.js'
import { workflowsDir } from '../../src/catalogue/definition.js'

const require = createRequire(import.meta.url)
const { Linter } = require('bpmnlint') as {
  Linter: new (opts: { config: unknown; resolver: unknown }) => {
    lint(d: ModdleElement): Promise<Record<string, Array<{ id?: string; message: string; category: string }>>>
  }
}

async function definitionsOf(name: string, xml: string): Promise<ModdleElement> {
  const parsed = await parseResource({ name, content: xml })
  if (!parsed.ok) throw new Error(`${name} does not parse`)
  return parsed.definitions
}

/** The web linter's reports in the server's shape, sorted, so the two lists compare as sets. */
async function webReports(name: string, definitions: ModdleElement) {
  const results = await new Linter({ config: webLint.config, resolver: webLint.resolver }).lint(definitions)
  return Object.entries(results)
    .flatMap(([rule, reports]) =>
      reports.map((r) => ({
        elementId: r.id,
        rule,
        message: r.category === 'rule-error' ? ruleFailedMessage(rule, r.message) : r.message,
        severity: r.category === 'error' || r.category === 'rule-error' ? 'error' : 'warning',
      })),
    )
    .map((r) => JSON.stringify(r))
    .sort()
}

async function serverReports(name: string, definitions: ModdleElement) {
  return (await lintDefinitions(name, definitions))
    .map((p) => JSON.stringify({ elementId: p.elementId, rule: p.rule, message: p.message, severity: p.severity }))
    .sort()
}

t.test('the editor config is the deploy config', async (t) => {
  t.same(webLint.config, lintConfig)
})

t.test('every reference workflow gets the same reports in the editor and at deploy', async (t) => {
  const files = readdirSync(workflowsDir).filter((f) => f.endsWith('.bpmn'))
  t.ok(files.length >= 5)
  for (const file of files) {
    const definitions = await definitionsOf(file, readFileSync(`${workflowsDir}${file}`, 'utf8'))
    t.same(await webReports(file, definitions), await serverReports(file, definitions), file)
  }
})

t.test('a broken workflow: the same errors, named by element, in both', async (t) => {
  const file = readdirSync(workflowsDir).find((f) => f.endsWith('.bpmn'))!
  // A service task without a job type and a task connected to nothing.
  const xml = readFileSync(`${workflowsDir}${file}`, 'utf8')
    .replace(/<zeebe:taskDefinition type="[^"]*"/, '<zeebe:taskDefinition')
    .replace(/(<bpmn:process [^>]*>)/, '$1<bpmn:task id="Loose" />')
  const definitions = await definitionsOf(file, xml)
  const web = await webReports(file, definitions)
  t.same(web, await serverReports(file, definitions))
  const errors = web
    .map((r) => JSON.parse(r) as { elementId?: string; rule: string; severity: string })
    .filter((r) => r.severity === 'error')
  t.ok(
    errors.some((r) => r.elementId === 'Loose' && r.rule === 'no-disconnected'),
    'the loose task is reported',
  )
  t.ok(
    errors.some((r) => r.rule === 'camunda-compat/implementation'),
    'the missing job type is reported',
  )
})
