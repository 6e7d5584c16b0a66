// Specification of what lint decides at deploy (issue #16): style rules warn as Zeebe deploys such models, a broken
// diagram does not hide the semantic checks, and a lint rule that throws refuses the resource.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import type { DeployProblem, DeployResource } from '../../src/engine/port.js'
import { validateBpmn as validate } from '../../src/engine/validation/index.js'
import { lintDefinitions } from '../../src/engine/validation/lint.js'
import { parseResource, type ModdleElement } from '../../src/engine/validation/xml.js'

const fixtures = join(import.meta.dirname, '../fixtures/validation')
const valid = readFileSync(join(fixtures, 'valid.bpmn'), 'utf8')
const known = new Set(['motcua.notify'])
const validateBpmn = (resources: DeployResource[]) => validate(resources, { knownJobTypes: known })
const errors = (problems: DeployProblem[]) => problems.filter((p) => p.severity === 'error')
const brief = (problems: DeployProblem[]) =>
  problems.map(({ rule, elementId, severity }) => ({ rule, elementId, severity }))

t.test('the valid fixture is the base of these cases: no problem at all', async (t) => {
  t.same(await validateBpmn([{ name: 'valid.bpmn', content: valid }]), [])
})

t.test('an unnamed event and task deploy with label-required warnings, as Zeebe deploys them', async (t) => {
  // Camunda Modeler does not require names; Zeebe's deployment never checks them.
  const xml = valid.replace(/(<bpmn:(?:startEvent|endEvent|serviceTask) id="[^"]+") name="[^"]*"/g, '$1')
  const problems = await validateBpmn([{ name: 'unnamed.bpmn', content: xml }])
  t.same(errors(problems), [])
  t.same(
    brief(problems).sort((a, b) => String(a.elementId).localeCompare(String(b.elementId))),
    [
      { rule: 'label-required', elementId: 'done', severity: 'warning' },
      { rule: 'label-required', elementId: 'notify', severity: 'warning' },
      { rule: 'label-required', elementId: 'received', severity: 'warning' },
    ],
  )
})

t.test('a process without a diagram deploys with no-bpmndi warnings', async (t) => {
  const xml = valid.replace(/<bpmndi:BPMNDiagram[\s\S]*<\/bpmndi:BPMNDiagram>/, '')
  const problems = await validateBpmn([{ name: 'no-di.bpmn', content: xml }])
  t.same(errors(problems), [])
  t.ok(problems.length > 0 && problems.every((p) => p.rule === 'no-bpmndi' && p.severity === 'warning'))
})

const notify = /<zeebe:taskDefinition type="motcua\.notify"/

t.test('a plane pointing at a missing process id and an invalid FEEL job type: refused for the job type', async (t) => {
  t.match(valid, notify)
  const xml = valid
    .replace(/(<bpmndi:BPMNPlane id="[^"]+" bpmnElement=")[^"]+"/, '$1no-such-process"')
    .replace(notify, '<zeebe:taskDefinition type="=dossier.type +"')
  const problems = await validateBpmn([{ name: 'broken-plane.bpmn', content: xml }])
  t.same(brief(errors(problems)), [{ rule: 'camunda-compat/feel', elementId: 'notify', severity: 'error' }])
  const diagram = problems.filter((p) => p.rule === 'motcua/diagram-reference')
  t.equal(diagram.length, 1, 'the broken plane is named once')
  t.match(diagram[0], { elementId: String(/<bpmndi:BPMNPlane id="([^"]+)"/.exec(valid)![1]), severity: 'warning' })
  t.match(diagram[0]!.message, /points at "no-such-process", which is not an element of this resource/)
  t.notOk(
    problems.some((p) => /Lint rule .* failed/.test(p.message)),
    'no rule crashed',
  )
})

t.test('the same broken plane with a valid job type deploys, with warnings only', async (t) => {
  const xml = valid.replace(/(<bpmndi:BPMNPlane id="[^"]+" bpmnElement=")[^"]+"/, '$1no-such-process"')
  const problems = await validateBpmn([{ name: 'broken-plane.bpmn', content: xml }])
  t.same(errors(problems), [])
  t.ok(problems.some((p) => p.rule === 'motcua/diagram-reference'))
})

t.test(
  'a shape pointing at a missing element is dropped with a warning; the rest of the diagram is checked',
  async (t) => {
    const shape = /<bpmndi:BPMNShape id="([^"]+)" bpmnElement="notify"/.exec(valid)
    t.ok(shape, 'the fixture draws the service task')
    const xml = valid
      .replace(/(<bpmndi:BPMNShape id="[^"]+" bpmnElement=")notify"/, '$1gone"')
      .replace(notify, '<zeebe:taskDefinition type="=dossier.type +"')
    const problems = await validateBpmn([{ name: 'broken-shape.bpmn', content: xml }])
    t.same(brief(errors(problems)), [{ rule: 'camunda-compat/feel', elementId: 'notify', severity: 'error' }])
    t.same(brief(problems.filter((p) => p.severity === 'warning')), [
      { rule: 'motcua/diagram-reference', elementId: shape![1], severity: 'warning' },
      { rule: 'no-bpmndi', elementId: 'notify', severity: 'warning' },
    ])
  },
)

t.test('a lint rule that throws refuses the resource: it never lets a model pass unchecked', async (t) => {
  const parsed = await parseResource({ name: 'valid.bpmn', content: valid })
  if (!parsed.ok) throw new Error('valid.bpmn does not parse')
  // What parseResource now removes, put back: a plane whose bpmnElement resolves to nothing. Every
  // camunda-compat rule reads the plane's process and throws on it.
  const diagrams = parsed.definitions.get('diagrams') as ModdleElement[]
  ;(diagrams[0]!.get('plane') as ModdleElement & { set(k: string, v: unknown): void }).set('bpmnElement', undefined)
  const problems = await lintDefinitions('valid.bpmn', parsed.definitions)
  const failed = problems.filter((p) => /^Lint rule \S+ failed on this resource/.test(p.message))
  t.ok(failed.length > 0, 'rules crashed')
  t.ok(
    failed.every((p) => p.severity === 'error'),
    'each crash is an error',
  )
  t.ok(failed.some((p) => p.rule === 'camunda-compat/implementation'))
  t.match(failed[0]!.message, /could not check it \(.+\); it is refused rather than deployed unchecked/)
})
