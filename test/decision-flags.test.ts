// The yes/no questions a processing step's approval answers come from the model: a box is offered only where a
// gateway after the step routes on it, so an officer is never asked something nothing reads.
import { readFileSync } from 'node:fs'
import t from 'tap'
import { BpmnModdle } from 'bpmn-moddle'
import zeebe from 'zeebe-bpmn-moddle/resources/zeebe.json' with { type: 'json' }
import { flagsAfter } from '../src/tasks/next-unit.js'
import { decisionFormFor, validateDecision } from '../src/dossiers/decision-forms.js'

async function model(name: string) {
  const xml = readFileSync(new URL(`../workflows/${name}.bpmn`, import.meta.url), 'utf8')
  const { rootElement } = await new BpmnModdle({ zeebe }).fromXML(xml)
  return rootElement as unknown as Parameters<typeof flagsAfter>[0]
}

t.test('each reference step asks what its way routes on', async (t) => {
  const marriage = await model('xac-nhan-tinh-trang-hon-nhan')
  t.same(flagsAfter(marriage, 'Task_Review'), ['verificationNeeded'], 'the review decides on a verification')
  t.same(flagsAfter(marriage, 'Task_Verify'), [])
  t.same(flagsAfter(marriage, 'Task_Sign'), [], "signing: the return flows' use of it is not an approval's way")
  const permit = await model('cap-giay-phep-xay-dung-nha-o-rieng-le')
  t.same(flagsAfter(permit, 'Task_Appraise'), [])
  t.same(flagsAfter(permit, 'Task_SiteInspection'), ['consultationNeeded'], 'the inspection decides on consulting')
  t.same(flagsAfter(permit, 'Task_Sign'), [])
  const birth = await model('dang-ky-khai-sinh')
  for (const step of ['Task_Review', 'Task_Sign']) t.same(flagsAfter(birth, step), [], step)
})

t.test('the decision form offers and accepts only the asked questions', async (t) => {
  const sign = decisionFormFor('Task_Sign', ['approve', 'returnToPrevious'], [], []) as {
    properties: Record<string, unknown>
  }
  t.notOk('verificationNeeded' in sign.properties)
  t.notOk('consultationNeeded' in sign.properties)
  t.throws(
    () => validateDecision('Task_Sign', { decision: 'approve', verificationNeeded: true }, ['approve'], [], []),
    { code: 'MC_ERR_VALIDATION' },
    'a question the model does not read is refused',
  )
  const review = decisionFormFor('Task_Review', null, [], ['verificationNeeded']) as {
    properties: Record<string, unknown>
  }
  t.ok('verificationNeeded' in review.properties)
  t.notOk('consultationNeeded' in review.properties)
  t.same(
    validateDecision(
      'Task_Review',
      { decision: 'approve', verificationNeeded: true },
      null,
      [],
      ['verificationNeeded'],
    ),
    {
      decision: 'approve',
      verificationNeeded: true,
    },
  )
  const refuseOnly = decisionFormFor('Task_X', ['refuse'], [], ['verificationNeeded']) as {
    properties: Record<string, unknown>
  }
  t.notOk('verificationNeeded' in refuseOnly.properties, 'no approval, no question')
})
