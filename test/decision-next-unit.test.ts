// The officer chooses the next agency at hand-off (issue #17): when the step an approval leads to has the handling
// unit rule `chosen`, the task shows the agencies the model allows (its unitChoices, by name), an approval must name
// one of them (anything else: 400 problem+json, nothing changed), and the chosen agency gets the next step. The
// fixture (test/fixtures/next-unit/) is the liên thông test procedure with its police step made `chosen` between the
// police (X99.50) and social insurance (X99.60).
import { fileURLToPath } from 'node:url'
import t from 'tap'
import { lienThongWorld } from './helpers/lien-thong.js'

const fixtures = fileURLToPath(new URL('./fixtures/next-unit/', import.meta.url))
const { knex, call, worklist, openTask, submitDossier, work, pathOf } = await lienThongWorld(t, {
  formsDir: `${fixtures}forms`,
  workflowsDir: `${fixtures}workflows`,
  slug: 'chuyen-co-quan-thu-nghiem',
})

/** What a refused completion must leave as it was: the task, the dossier and its timeline. */
async function snapshot(dossierId: string, taskKey: string) {
  return {
    task: await knex('tasks').where({ user_task_key: taskKey }).first('state', 'assignee', 'completed_at'),
    dossier: await knex('dossiers').where({ id: dossierId }).first('status', 'version'),
    events: (
      (await knex('dossier_events').where({ dossier_id: dossierId }).count('* as n')) as Array<{ n: unknown }>
    )[0]!.n,
  }
}

t.test('the officer picks the next agency among those the model allows', async (t) => {
  const dossierId = await submitDossier()
  const reception = await openTask(dossierId, 'Task_Receive')
  const receptionDetail = await call('GET', `/api/tasks/${reception.user_task_key}`, 'motcua-xa')
  t.same(receptionDetail.json().nextUnitChoices, [], 'reception offers no agency to choose')
  await work(t, 'motcua-xa', reception.user_task_key, { decision: 'accept' })

  const review = await openTask(dossierId, 'Task_Review')
  const detail = await call('GET', `/api/tasks/${review.user_task_key}`, 'tuphap-xa')
  t.equal(detail.statusCode, 200, detail.body)
  const names = Object.fromEntries(
    (
      (await knex('units').whereIn('agency_code', ['X99.50', 'X99.60']).select('agency_code', 'name')) as Array<{
        agency_code: string
        name: string
      }>
    ).map((u) => [u.agency_code, u.name]),
  )
  t.same(
    detail.json().nextUnitChoices,
    [
      { code: 'X99.50', name: names['X99.50'] },
      { code: 'X99.60', name: names['X99.60'] },
    ],
    'the choices are the next step’s unitChoices with the agencies’ names, in model order',
  )
  const form = detail.json().decisionForm as {
    properties: Record<string, { enum?: string[]; title?: string }>
    allOf: unknown[]
  }
  t.same(form.properties['nextUnit']?.enum, ['X99.50', 'X99.60'], 'the decision form offers them as nextUnit')
  t.match(form.properties['nextUnit']?.title, /^Chuyển đến cơ quan \/ Send to agency$/)

  t.equal((await call('POST', `/api/tasks/${review.user_task_key}/claim`, 'tuphap-xa')).statusCode, 200)
  const before = await snapshot(dossierId, review.user_task_key)
  for (const [body, what] of [
    [{ decision: 'approve', nextUnit: 'X99.10' }, 'an agency the model does not allow (Sở Xây dựng)'],
    [{ decision: 'approve', nextUnit: 'X99.99' }, 'a code no unit has'],
    [{ decision: 'approve', nextUnit: '' }, 'an empty choice'],
    [{ decision: 'approve', nextUnit: ['X99.50'] }, 'a list'],
    [{ decision: 'approve' }, 'no choice'],
  ] as const) {
    const res = await call('POST', `/api/tasks/${review.user_task_key}/complete`, 'tuphap-xa', body)
    t.equal(res.statusCode, 400, `${what}: 400`)
    t.match(res.headers['content-type'], /^application\/problem\+json/, `${what}: problem+json`)
    const p = res.json() as { code: string; message?: { vi?: string; en?: string }; errors?: Array<{ field: string }> }
    t.equal(p.code, 'MC_ERR_VALIDATION', `${what}: MC_ERR_VALIDATION`)
    t.ok(p.message?.vi && p.message.en, `${what}: Vietnamese and English messages`)
    t.ok(
      p.errors?.some((e) => e.field === 'body.nextUnit'),
      `${what}: the problem names nextUnit (${JSON.stringify(p.errors)})`,
    )
  }
  t.same(await snapshot(dossierId, review.user_task_key), before, 'nothing changed: task, dossier, timeline')

  // The choice made, the approval goes through.
  const done = await call('POST', `/api/tasks/${review.user_task_key}/complete`, 'tuphap-xa', {
    decision: 'approve',
    nextUnit: 'X99.60',
    note: 'Chuyển BHXH',
  })
  t.equal(done.statusCode, 200, done.body)

  const next = await openTask(dossierId, 'Task_Sign')
  t.equal(next.unit_path, await pathOf('bhxh-tinh'), 'the next step is at the chosen agency (BHXH), not the police')
  t.notOk(
    await knex('dossier_events').where({ dossier_id: dossierId, kind: 'handlingUnitProblem' }).first(),
    'the rule was followed: no handling-unit problem',
  )
  const handoff = await knex('dossier_events')
    .where({ dossier_id: dossierId, kind: 'handoff', step_id: 'Task_Sign' })
    .first('receiver_unit_path')
  t.equal(handoff?.receiver_unit_path, await pathOf('bhxh-tinh'), 'the hand-off records the chosen agency')
  t.ok(
    (await worklist('bhxh')).some((i) => i.taskKey === next.user_task_key),
    'the step is in the BHXH officer’s worklist',
  )
  t.notOk(
    (await worklist('congan')).some((i) => i.taskKey === next.user_task_key),
    'and not in the police officer’s',
  )
  const decision = await knex('dossier_events')
    .where({ dossier_id: dossierId, kind: 'decision', step_id: 'Task_Review' })
    .first('data')
  t.equal((decision?.data as { nextUnit?: string } | undefined)?.nextUnit, 'X99.60', 'the timeline keeps the choice')

  // The chosen step leads to a step with a fixed agency: nothing to choose, and a nextUnit is refused.
  const signDetail = await call('GET', `/api/tasks/${next.user_task_key}`, 'bhxh')
  t.same(signDetail.json().nextUnitChoices, [], 'the step after is agency:X99.60: no choice')
  t.notOk(signDetail.json().decisionForm.properties.nextUnit, 'and no nextUnit field')
  t.equal((await call('POST', `/api/tasks/${next.user_task_key}/claim`, 'bhxh')).statusCode, 200)
  const extra = await call('POST', `/api/tasks/${next.user_task_key}/complete`, 'bhxh', {
    decision: 'approve',
    nextUnit: 'X99.50',
  })
  t.equal(extra.statusCode, 400, 'a nextUnit where the model has no choice: 400')
  t.equal(extra.json().code, 'MC_ERR_VALIDATION')
  await work(t, 'bhxh', next.user_task_key, { decision: 'approve' })
  const card = await openTask(dossierId, 'Task_Card')
  t.equal(card.unit_path, await pathOf('bhxh-tinh'), 'then social insurance (agency:X99.60)')
})

t.test('a return to the previous step needs no choice', async (t) => {
  const dossierId = await submitDossier()
  const reception = await openTask(dossierId, 'Task_Receive')
  await work(t, 'motcua-xa', reception.user_task_key, { decision: 'accept' })
  const review = await openTask(dossierId, 'Task_Review')
  await work(t, 'tuphap-xa', review.user_task_key, { decision: 'approve', nextUnit: 'X99.50' })
  const police = await openTask(dossierId, 'Task_Sign')
  t.equal(police.unit_path, await pathOf('cong-an-tinh'), 'the police this time')
  t.ok(
    (await worklist('congan')).some((i) => i.taskKey === police.user_task_key),
    'in the police officer’s worklist',
  )
  t.notOk(
    (await worklist('bhxh')).some((i) => i.taskKey === police.user_task_key),
    'not in the BHXH officer’s',
  )
  await work(t, 'congan', police.user_task_key, { decision: 'returnToPrevious', reason: 'Thiếu thông tin nơi cư trú' })
  const again = await openTask(dossierId, 'Task_Review')
  t.not(again.user_task_key, review.user_task_key, 'the review is open again')
  const detail = await call('GET', `/api/tasks/${again.user_task_key}`, 'tuphap-xa')
  t.same(
    (detail.json().nextUnitChoices as Array<{ code: string }>).map((c) => c.code),
    ['X99.50', 'X99.60'],
    'the choices are offered again',
  )
  await work(t, 'tuphap-xa', again.user_task_key, { decision: 'refuse', reason: 'Không đủ điều kiện' })
  t.equal(
    await knex('tasks').where({ dossier_id: dossierId, element_id: 'Task_Sign', state: 'CREATED' }).first(),
    undefined,
    'a refusal without a choice is taken and sends the dossier nowhere',
  )
})
