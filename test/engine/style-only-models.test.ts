// Contract: a model that only bpmnlint's style rules object to (no names, no diagram, an implicit parallel split,
// paths ending without an end event) deploys with warnings and runs as Zeebe runs it: Zeebe takes every outgoing flow
// of a task and completes a scope when no token is left
// (https://docs.camunda.io/docs/components/modeler/bpmn/bpmn-primer/#sequence-flow-controlling-the-flow-of-execution).
import t from 'tap'
import { validateBpmn } from '../../src/engine/validation/index.js'
import { STYLE_RULES } from '../../src/engine/validation/lint.js'
import { activateOne, createContractEngine, fixture, waitForState } from './contract-engine.js'

t.test('deploy validation: only warnings, every one from a style rule', async (t) => {
  const problems = await validateBpmn([fixture('style-only.bpmn')])
  t.same(
    problems.filter((p) => p.severity === 'error'),
    [],
  )
  const rules = new Set(problems.map((p) => p.rule))
  for (const rule of ['label-required', 'no-bpmndi', 'end-event-required', 'no-implicit-split', 'no-implicit-end'])
    t.ok(rules.has(rule), `${rule} warns`)
  t.ok(
    [...rules].every((r) => (STYLE_RULES as readonly string[]).includes(r)),
    'no other rule reports',
  )
})

t.test('the model runs: both branches of the implicit split, then the instance completes', async (t) => {
  const engine = await createContractEngine(t)
  await engine.deploy([fixture('style-only.bpmn')])
  const ref = await engine.createProcessInstance({ bpmnProcessId: 'style-only' })
  await engine.completeJob((await activateOne(engine, 'style-split')).key)
  const left = await activateOne(engine, 'style-left')
  const right = await activateOne(engine, 'style-right')
  await engine.completeJob(left.key)
  await engine.completeJob(right.key)
  await waitForState(engine, ref.processInstanceKey, 'COMPLETED')
})
