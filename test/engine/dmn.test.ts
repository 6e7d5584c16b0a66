// Contract: business rule tasks calling DMN decisions (zeebe:calledDecision), and .dmn/.form resources at deploy.
// Specification: https://docs.camunda.io/docs/components/modeler/bpmn/business-rule-tasks/ (called decision,
// binding types, incidents), https://docs.camunda.io/docs/components/modeler/dmn/decision-table-hit-policy/ (hit
// policies) and Zeebe's DMN engine dmn-scala (DecisionTableEvaluator: result shapes per hit policy).
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import t from 'tap'
import { DeployValidationError, type Engine, type ProcessInstanceView } from '../../src/engine/port.js'
import { validateBpmn } from '../../src/engine/validation/index.js'
import { eventually } from '../helpers/eventually.js'
import { activateOne, contractTargets, waitForState } from './contract-engine.js'

function dmn(name: string): { name: string; content: string } {
  return { name, content: readFileSync(fileURLToPath(new URL(`../fixtures/dmn/${name}`, import.meta.url)), 'utf8') }
}

/** start → business rule task (zeebe:calledDecision with these attributes) → end. */
function brtProcess(id: string, attrs: Record<string, string>): { name: string; content: string } {
  const a = Object.entries(attrs)
    .map(([k, v]) => `${k}="${v.replace(/"/g, '&quot;')}"`)
    .join(' ')
  return {
    name: `${id}.bpmn`,
    content: `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0"
  id="defs_${id}" targetNamespace="http://motcua.test">
  <bpmn:process id="${id}" isExecutable="true">
    <bpmn:startEvent id="start" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="decide" />
    <bpmn:businessRuleTask id="decide">
      <bpmn:extensionElements><zeebe:calledDecision ${a} /></bpmn:extensionElements>
    </bpmn:businessRuleTask>
    <bpmn:sequenceFlow id="f2" sourceRef="decide" targetRef="end" />
    <bpmn:endEvent id="end" />
  </bpmn:process>
</bpmn:definitions>`,
  }
}

const byExpression = brtProcess('hit-policy', { decisionId: '=decision', resultVariable: 'result' })

async function resultOf(engine: Engine, bpmnProcessId: string, variables: Record<string, unknown>): Promise<unknown> {
  const ref = await engine.createProcessInstance({ bpmnProcessId, variables })
  const view = await waitForState(engine, ref.processInstanceKey, 'COMPLETED')
  return view.variables['result']
}

async function incidentOf(
  engine: Engine,
  bpmnProcessId: string,
  variables: Record<string, unknown>,
): Promise<{ view: ProcessInstanceView; incident: ProcessInstanceView['incidents'][number] }> {
  const ref = await engine.createProcessInstance({ bpmnProcessId, variables })
  const view = await eventually('an incident', async () => {
    const v = await engine.getProcessInstance(ref.processInstanceKey)
    return v && v.incidents.length > 0 ? v : undefined
  })
  return { view, incident: view.incidents[0]! }
}

for (const target of contractTargets) {
  t.test(target.name, async (t) => {
    t.test('hit policies and result shapes', async (t) => {
      const engine = await target.create(t)
      const deployed = await engine.deploy([dmn('hit-policies.dmn'), byExpression])
      t.equal(deployed.processes.length, 1)
      t.ok(deployed.decisions?.some((d) => d.decisionId === 'unique' && d.version === 1 && !d.duplicate))
      t.equal(deployed.decisions?.length, 17, 'every decision of the graph')
      const r = (decision: string, score: number): Promise<unknown> =>
        resultOf(engine, 'hit-policy', { decision, score })

      // UNIQUE: the one matching rule; single output → its value; no match → null.
      t.equal(await r('unique', 60), 'medium')
      t.equal(await r('unique', -1), null)
      // FIRST: the first matching rule in rule order.
      t.equal(await r('first', 90), 'low')
      // PRIORITY: the matching rule whose output comes first in the output values ("high","medium","low").
      t.equal(await r('priority', 90), 'high')
      t.equal(await r('priority', 60), 'medium')
      // ANY: several rules may match if their outputs are equal.
      t.equal(await r('any', 70), 'pass')
      // RULE ORDER / OUTPUT ORDER / COLLECT: a list.
      t.same(await r('rule_order', 90), ['low', 'medium', 'high'])
      t.same(await r('output_order', 90), ['high', 'medium', 'low'])
      t.same(await r('collect', 60), ['low', 'medium'])
      // COLLECT with an aggregator: a number.
      t.equal(await r('collect_sum', 90), 111)
      t.equal(await r('collect_min', 90), 1)
      t.equal(await r('collect_max', 90), 100)
      t.equal(await r('collect_count', 60), 2)
      // No rule matched: null for multi-hit policies too (dmn-scala applies the default outputs, none here).
      t.equal(await r('collect', -5), null)
      // Several outputs: a context per rule.
      t.same(await r('unique_multi', 60), { level: 'high', points: 120 })
      t.same(await r('rule_order_multi', 70), [
        { level: 'low', points: 1 },
        { level: 'medium', points: 10 },
      ])
      // Literal expression decision.
      t.equal(await r('double', 21), 42)
      // Required decisions (DRD): the required decision's result is visible by its id.
      t.equal(await r('drd_total', 21), 43)
      t.equal(await r('drd_table', 60), 'big')
      t.equal(await r('drd_table', 40), 'small')
    })

    t.test('business knowledge models and boxed expressions through a business rule task', async (t) => {
      // Zeebe 8.8 evaluates DMN with dmn-scala: business knowledge models, contexts, invocations, relations
      // (https://docs.camunda.io/docs/components/modeler/bpmn/business-rule-tasks/).
      const engine = await target.create(t)
      const deployed = await engine.deploy([dmn('le-phi-bkm.dmn'), byExpression])
      t.same(deployed.decisions?.map((d) => d.decisionId).sort(), ['bang_phi', 'le_phi', 'tong_phi'])
      const r = (decision: string, variables: Record<string, unknown>): Promise<unknown> =>
        resultOf(engine, 'hit-policy', { decision, ...variables })
      // A context decision's result is a context; its first entry invokes the model (a decision table).
      t.same(await r('le_phi', { soBanSao: 3, kenhNop: 'counter' }), { phiSao: 12_000, phiGui: 0, tong: 12_000 })
      t.same(await r('le_phi', { soBanSao: 12, kenhNop: 'buu chinh' }), {
        phiSao: 44_000,
        phiGui: 25_000,
        tong: 69_000,
      })
      // The required decision read by its variable name (lePhi), the model called as a FEEL function.
      t.equal(await r('tong_phi', { soBanSao: 3, kenhNop: 'online' }), 8000)
      t.same(await r('bang_phi', {}), [
        { kenh: 'online', phi: 2000 },
        { kenh: 'counter', phi: 4000 },
      ])
    })

    t.test('a failing decision raises DECISION_EVALUATION_ERROR; resolving it evaluates again', async (t) => {
      const engine = await target.create(t)
      await engine.deploy([dmn('hit-policies.dmn'), byExpression])
      const unique = await incidentOf(engine, 'hit-policy', { decision: 'unique_overlap', score: 60 })
      t.equal(unique.incident.errorType, 'DECISION_EVALUATION_ERROR')
      t.equal(unique.incident.elementId, 'decide')
      t.match(unique.incident.errorMessage, /^Expected to evaluate decision 'unique_overlap', but .*UNIQUE/)
      t.match(unique.incident.errorMessage, /unique_overlap_r1, unique_overlap_r2/, 'names the matching rules')

      const any = await incidentOf(engine, 'hit-policy', { decision: 'any', score: -1 })
      t.equal(any.incident.errorType, 'DECISION_EVALUATION_ERROR')
      t.match(any.incident.errorMessage, /ANY hit policy/)

      const missing = await incidentOf(engine, 'hit-policy', { decision: 'nope', score: 1 })
      t.equal(missing.incident.errorType, 'CALLED_DECISION_ERROR')
      t.equal(
        missing.incident.errorMessage,
        "Expected to evaluate decision 'nope', but no decision found for id 'nope'",
      )

      // The decision id expression is evaluated again when the incident is resolved (docs: "Defining a called
      // decision"); deploying the missing decision and resolving lets the instance finish.
      await engine.deploy([
        {
          name: 'nope.dmn',
          content: `<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="https://www.omg.org/spec/DMN/20191111/MODEL/" id="nope_drg" name="n" namespace="x">
  <decision id="nope"><literalExpression><text>"found"</text></literalExpression></decision>
</definitions>`,
        },
      ])
      await engine.resolveIncident(missing.incident.incidentKey)
      const done = await waitForState(engine, missing.view.processInstanceKey, 'COMPLETED')
      t.equal(done.variables['result'], 'found')
    })

    t.test('a decision id expression that fails raises EXTRACT_VALUE_ERROR', async (t) => {
      const engine = await target.create(t)
      await engine.deploy([dmn('hit-policies.dmn'), byExpression])
      const { incident } = await incidentOf(engine, 'hit-policy', { score: 1 })
      t.equal(incident.errorType, 'EXTRACT_VALUE_ERROR')
    })

    t.test('versions and binding types: latest, deployment, versionTag', async (t) => {
      const engine = await target.create(t)
      const latest = brtProcess('phi-latest', { decisionId: 'muc_phi', resultVariable: 'result' })
      const sameDeployment = brtProcess('phi-deployment', {
        decisionId: 'muc_phi',
        resultVariable: 'result',
        bindingType: 'deployment',
      })
      const tagged = brtProcess('phi-tag', {
        decisionId: 'muc_phi',
        resultVariable: 'result',
        bindingType: 'versionTag',
        versionTag: 'v1',
      })
      const v1 = await engine.deploy([dmn('muc-phi-v1.dmn'), latest, sameDeployment, tagged])
      t.match(v1.decisions, [{ decisionId: 'muc_phi', version: 1, versionTag: 'v1', duplicate: false }])
      t.equal(await resultOf(engine, 'phi-latest', {}), 100)
      t.equal(await resultOf(engine, 'phi-deployment', {}), 100)

      const again = await engine.deploy([dmn('muc-phi-v1.dmn')])
      t.match(again.decisions, [{ decisionId: 'muc_phi', version: 1, duplicate: true }], 'unchanged: no new version')

      const v2 = await engine.deploy([{ ...dmn('muc-phi-v2.dmn'), name: 'muc-phi.dmn' }])
      t.match(v2.decisions, [{ decisionId: 'muc_phi', version: 2, versionTag: 'v2', duplicate: false }])
      t.equal(await resultOf(engine, 'phi-latest', {}), 200, 'latest picks version 2')
      t.equal(await resultOf(engine, 'phi-deployment', {}), 100, 'deployment binding keeps version 1')
      t.equal(await resultOf(engine, 'phi-tag', {}), 100, 'version tag v1')

      const noTag = brtProcess('phi-tag-missing', {
        decisionId: 'muc_phi',
        resultVariable: 'result',
        bindingType: 'versionTag',
        versionTag: 'v9',
      })
      const alone = brtProcess('phi-alone', {
        decisionId: 'muc_phi',
        resultVariable: 'result',
        bindingType: 'deployment',
      })
      await engine.deploy([noTag])
      await engine.deploy([alone])
      const tagIncident = await incidentOf(engine, 'phi-tag-missing', {})
      t.equal(tagIncident.incident.errorType, 'CALLED_DECISION_ERROR')
      t.match(tagIncident.incident.errorMessage, /version tag 'v9'/)
      const deploymentIncident = await incidentOf(engine, 'phi-alone', {})
      t.equal(deploymentIncident.incident.errorType, 'CALLED_DECISION_ERROR')
      t.match(deploymentIncident.incident.errorMessage, /deployed together with process 'phi-alone'/)
    })

    t.test('lệ phí cấp bản sao: fee by channel and number of copies (multiple outputs, output mapping)', async (t) => {
      // The model passes the deploy validation of the API too (lint, camunda-compat 8.8, FEEL lint, job types).
      const resources = [dmn('le-phi-ban-sao.dmn'), dmn('le-phi-ban-sao.bpmn')]
      const problems = await validateBpmn(resources, {
        knownJobTypes: new Set(['thu-le-phi']),
        jobTypeSeverity: 'error',
      })
      t.same(problems, [])
      const engine = await target.create(t)
      await engine.deploy(resources)
      const cases: Array<[string, number, number]> = [
        ['online', 3, 12_000],
        ['counter', 3, 24_000],
        ['online', 20, 60_000],
        ['counter', 11, 66_000],
      ]
      for (const [kenhNop, soBanSao, tongPhi] of cases) {
        const ref = await engine.createProcessInstance({
          bpmnProcessId: 'cap-ban-sao',
          variables: { kenhNop, soBanSao },
        })
        const job = await activateOne(engine, 'thu-le-phi')
        t.equal(job.processInstanceKey, ref.processInstanceKey)
        t.equal(job.variables['tongPhi'], tongPhi, `${kenhNop} × ${soBanSao}`)
        // With an output mapping, the result variable stays local to the task (as a job's variables would).
        t.notOk('lePhi' in job.variables)
        await engine.completeJob(job.key)
        await waitForState(engine, ref.processInstanceKey, 'COMPLETED')
      }
    })

    t.test('deploy: .form and unknown resources are refused by name; a broken .dmn too', async (t) => {
      const engine = await target.create(t)
      const form = await engine
        .deploy([dmn('le-phi-ban-sao.bpmn'), dmn('le-phi-ban-sao.dmn'), { name: 'to-khai.form', content: '{}' }])
        .catch((e: unknown) => e)
      t.ok(form instanceof DeployValidationError)
      const problems = (form as DeployValidationError).problems
      t.equal(problems.length, 1, 'only the form is refused, not the BPMN or DMN beside it')
      t.equal(problems[0]!.resourceName, 'to-khai.form')
      t.match(problems[0]!.message, /"to-khai\.form" is a Camunda Form.*not support.*forms\//)

      const other = await engine.deploy([{ name: 'notes.txt', content: 'x' }]).catch((e: unknown) => e)
      t.match((other as DeployValidationError).problems, [{ resourceName: 'notes.txt', rule: 'resource-type' }])

      const broken = await engine
        .deploy([
          {
            name: 'broken.dmn',
            content: `<definitions xmlns="https://www.omg.org/spec/DMN/20191111/MODEL/" id="b" name="b" namespace="x">
  <decision id="b1"><decisionTable id="t"><input id="i"><inputExpression><text>x +</text></inputExpression></input>
  <output id="o" name="o" /></decisionTable></decision>
  <decision id="b2"><informationRequirement><requiredDecision href="#gone" /></informationRequirement>
  <literalExpression><text>1</text></literalExpression></decision></definitions>`,
          },
        ])
        .catch((e: unknown) => e)
      t.ok(broken instanceof DeployValidationError)
      const messages = (broken as DeployValidationError).problems.map((p) => p.message).join('\n')
      t.match(messages, /Input expression 'x \+' of decision "b1" is not valid FEEL/)
      t.match(messages, /requires decision "gone"/)
      t.same(await engine.deploy([dmn('le-phi-ban-sao.dmn')]).then((r) => r.decisions?.length), 1)
    })
  })
}
