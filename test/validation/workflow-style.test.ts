// The product's own workflows are held to the style rules that only warn at deploy (an unnamed event, a missing
// diagram, an implicit split …): a warning of one of those rules on a file in workflows/ fails here.
import { readdirSync, readFileSync } from 'node:fs'
import t from 'tap'
import { workflowsDir } from '../../src/catalogue/definition.js'
import { validateBpmn } from '../../src/engine/validation/index.js'
import { STYLE_RULES } from '../../src/engine/validation/lint.js'

const held = new Set<string>([...STYLE_RULES, 'motcua/diagram-reference', 'motcua/xml-import'])
const files = readdirSync(workflowsDir).filter((f) => f.endsWith('.bpmn'))

t.test('there are reference workflows to check', async (t) => {
  t.ok(files.length >= 5)
})

for (const file of files) {
  t.test(`${file}: no style warning (label, diagram, implicit flow) and no error`, async (t) => {
    const problems = await validateBpmn([{ name: file, content: readFileSync(`${workflowsDir}${file}`, 'utf8') }])
    t.same(
      problems.filter((p) => p.severity === 'error' || held.has(p.rule)),
      [],
    )
  })
}

t.test('the check can fail: an unnamed event in a workflow is reported by label-required', async (t) => {
  const file = files[0]!
  const xml = readFileSync(`${workflowsDir}${file}`, 'utf8').replace(/(<bpmn:endEvent id="[^"]+") name="[^"]*"/, '$1')
  const problems = await validateBpmn([{ name: file, content: xml }])
  const unnamed = problems.filter((p) => held.has(p.rule))
  t.equal(unnamed.length, 1)
  t.match(unnamed[0], { rule: 'label-required', severity: 'warning' })
})
