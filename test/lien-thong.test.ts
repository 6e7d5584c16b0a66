// Liên thông end to end through the HTTP API and the embedded engine: a test procedure received at xã An Bình whose
// steps are handled by the commune's civil-status officer, the police (agency:X99.50) and social insurance
// (agency:X99.60). Each step is in the worklist of its handling agency only, works only for its officers (the others
// are told "not found"), has its own step deadline (R11 share) and is judged on time or late; the applicant and the
// receiving agency see the whole route; supervision counts steps per handling unit; report 06a still counts the
// dossier for the receiving agency. The rule of each step is a zeebe:taskHeaders entry (`unit`), as Zeebe passes
// custom headers on user tasks (https://docs.camunda.io/docs/components/modeler/bpmn/user-tasks/#task-headers).
import t, { type Test } from 'tap'
import type { LightMyRequestResponse } from 'fastify'
import { birthForm } from './helpers/dossiers.js'
import { eventually } from './helpers/eventually.js'
import { lienThongWorld } from './helpers/lien-thong.js'

const { knex, call, worklist, openTask, submitDossier, work, pathOf, nameOf, timeoutMs, period, month } =
  await lienThongWorld(t)

/** Everyone in `others` is told "not found" for the task, its claim and its completion, like for a key that is none. */
async function othersCannot(t: Test, taskKey: string, others: string[]) {
  for (const who of others) {
    const answers: LightMyRequestResponse[] = [
      await call('GET', `/api/tasks/${taskKey}`, who),
      await call('POST', `/api/tasks/${taskKey}/claim`, who),
      await call('POST', `/api/tasks/${taskKey}/complete`, who, { decision: 'approve' }),
    ]
    t.same(
      answers.map((a) => [a.statusCode, a.json().code]),
      [
        [404, 'MC_ERR_TASK_NOT_FOUND'],
        [404, 'MC_ERR_TASK_NOT_FOUND'],
        [404, 'MC_ERR_TASK_NOT_FOUND'],
      ],
      `${who} gets "not found" for ${taskKey}`,
    )
    t.notOk(
      (await worklist(who)).some((i) => i.taskKey === taskKey),
      `${taskKey} is not in the worklist of ${who}`,
    )
  }
}

t.test('a dossier received at the commune crosses the police and social insurance and comes back', async (t) => {
  const dossierId = await submitDossier()
  const [communePath, policePath, insurancePath] = await Promise.all(
    ['xa-an-binh', 'cong-an-tinh', 'bhxh-tinh'].map(pathOf),
  )

  const reception = await openTask(dossierId, 'Task_Receive')
  t.equal(reception.unit_path, communePath, 'reception: the receiving commune (no unit header)')
  await work(t, 'motcua-xa', reception.user_task_key, { decision: 'accept' })

  // Tư pháp xã: the receiving unit.
  const review = await openTask(dossierId, 'Task_Review')
  t.equal(review.unit_path, communePath, 'the civil-status step goes to the applicant’s commune (99901: An Bình)')
  t.notOk(
    await knex('dossier_events').where({ dossier_id: dossierId, kind: 'handlingUnitProblem' }).first(),
    'its rule was followed: no problem on the timeline',
  )
  t.ok(
    (await worklist('tuphap-xa')).some((i) => i.taskKey === review.user_task_key),
    'in the tư pháp worklist',
  )
  await othersCannot(t, review.user_task_key, ['congan', 'bhxh'])
  t.equal((await call('GET', `/api/dossiers/${dossierId}`, 'congan')).statusCode, 404, 'the police cannot read it yet')
  await work(t, 'tuphap-xa', review.user_task_key, { decision: 'approve' })

  // Công an: agency:X99.50.
  const police = await openTask(dossierId, 'Task_Sign')
  t.equal(police.unit_path, policePath, 'the residence step is in Công an tỉnh (agency:X99.50)')
  t.ok(police.due_at, 'the police step has its own step deadline')
  const handoff = await knex('dossier_events')
    .where({ dossier_id: dossierId, kind: 'handoff', step_id: 'Task_Sign' })
    .first('receiver_unit_path', 'step_due_at')
  t.equal(handoff?.receiver_unit_path, policePath, 'the hand-off records the police as the receiving unit')
  t.same(handoff?.step_due_at, police.due_at, 'the hand-off set the step deadline the task carries (R11 share)')
  t.ok(
    (await worklist('congan')).some((i) => i.taskKey === police.user_task_key),
    'in the police worklist',
  )
  await othersCannot(t, police.user_task_key, ['motcua-xa', 'tuphap-xa', 'bhxh'])
  const read = await call('GET', `/api/dossiers/${dossierId}`, 'congan')
  t.equal(read.statusCode, 200, 'the police officer reads the dossier whose step they handle')
  t.same(read.json().formData.treEm.hoTen, birthForm.treEm.hoTen, '…its data')
  const stop = await call('POST', `/api/dossiers/${dossierId}/stop`, 'congan', { reason: 'thử' })
  t.not(stop.statusCode, 200, 'but may not run the receiving agency’s commands on it (read-only)')
  t.equal(
    (await call('GET', `/api/tasks/${police.user_task_key}`, 'lanhdao-tinh')).statusCode,
    200,
    'the province supervisor above Công an sees the task',
  )
  t.equal(
    (await call('GET', `/api/tasks/${police.user_task_key}`, 'lanhdao-xa')).statusCode,
    404,
    'the commune supervisor (not above Công an) does not',
  )
  await work(t, 'congan', police.user_task_key, { decision: 'approve' })

  // BHXH: agency:X99.60; its deadline passes before it is done.
  const card = await openTask(dossierId, 'Task_Card')
  t.equal(card.unit_path, insurancePath, 'the card step is in BHXH tỉnh (agency:X99.60)')
  t.ok(card.due_at && police.due_at && card.due_at.getTime() > police.due_at.getTime(), 'a later step deadline')
  await othersCannot(t, card.user_task_key, ['motcua-xa', 'tuphap-xa', 'congan'])
  // Time passes beyond the step deadline (the read model judges the step against the task's due time).
  const past = new Date(Date.now() - 3600_000)
  await knex('tasks').where({ user_task_key: card.user_task_key }).update({ due_at: past })
  await knex('dossier_events').where({ user_task_key: card.user_task_key, kind: 'step' }).update({ step_due_at: past })
  const overdue = await call('GET', `/api/supervision/handling-units?${period}`, 'lanhdao-tinh')
  t.equal(overdue.statusCode, 200, overdue.body)
  t.match(
    overdue.json().items.find((i: { unitId: string }) => i.unitId === 'bhxh-tinh'),
    { open: 1, openOverdue: 1 },
    'the open BHXH step is overdue in supervision',
  )
  await work(t, 'bhxh', card.user_task_key, { decision: 'approve' })

  const back = await openTask(dossierId, 'Task_Return')
  t.equal(back.unit_path, communePath, 'the result returns to the receiving commune')
  await work(t, 'motcua-xa', back.user_task_key, { decision: 'returned' })
  await eventually(
    'status 10',
    async () => (await knex('dossiers').where({ id: dossierId }).first('status'))?.status === 10,
    timeoutMs,
  )
  // The step of the last completion is closed by the engine's event.
  await eventually(
    'every step closed',
    async () =>
      !(await knex('dossier_events').where({ dossier_id: dossierId, kind: 'step' }).whereNull('finished_at').first()),
    timeoutMs,
  )

  const names = {
    commune: await nameOf('xa-an-binh'),
    police: await nameOf('cong-an-tinh'),
    insurance: await nameOf('bhxh-tinh'),
  }
  const expected = [
    ['Task_Receive', names.commune],
    ['Task_Review', names.commune],
    ['Task_Sign', names.police],
    ['Task_Card', names.insurance],
    ['Task_Return', names.commune],
  ]
  type Route = Array<{
    stepId: string
    agency: { name: string } | null
    officer: { name: string } | null
    dueAt: string | null
    since: string
    state: string
    timeliness: string | null
  }>
  const mine = await call('GET', `/api/dossiers/${dossierId}`, 'congdan')
  t.equal(mine.statusCode, 200)
  const route = mine.json().route as Route
  t.same(
    route.map((s) => [s.stepId, s.agency?.name]),
    expected,
    'the applicant sees every step with its handling agency',
  )
  t.ok(
    route.every((s) => s.officer === null && s.since && s.state === 'done'),
    'the applicant sees agencies, not officers’ names',
  )
  const byStep = new Map(route.map((s) => [s.stepId, s]))
  t.equal(byStep.get('Task_Card')!.timeliness, 'late', 'BHXH was late on its step')
  t.equal(byStep.get('Task_Sign')!.timeliness, 'on_time', 'the police were on time')
  t.equal(byStep.get('Task_Review')!.timeliness, 'on_time', 'tư pháp was on time')
  const dues = ['Task_Review', 'Task_Sign', 'Task_Card'].map((s) => byStep.get(s)!.dueAt)
  t.equal(new Set(dues).size, 3, 'each agency’s step has its own deadline')

  const staff = (await call('GET', `/api/dossiers/${dossierId}`, 'motcua-xa')).json().route as Route
  t.same(
    staff.map((s) => [s.stepId, s.agency?.name]),
    expected,
    'the receiving agency sees the same route',
  )
  t.equal(staff.find((s) => s.stepId === 'Task_Sign')!.officer?.name, 'Lê Công An', '…with the officers’ names')

  const perUnit = await call('GET', `/api/supervision/handling-units?${period}`, 'lanhdao-tinh')
  t.equal(perUnit.statusCode, 200, perUnit.body)
  const items = perUnit.json().items as Array<{ unitId: string }>
  t.match(
    items.find((i) => i.unitId === 'cong-an-tinh'),
    { stepsHandled: 1, onTime: 1, late: 0, openOverdue: 0 },
  )
  t.match(
    items.find((i) => i.unitId === 'bhxh-tinh'),
    { stepsHandled: 1, onTime: 0, late: 1, openOverdue: 0 },
  )
  t.match(
    items.find((i) => i.unitId === 'xa-an-binh'),
    { stepsHandled: 3, late: 0 },
  )
  const policeOnly = await call('GET', `/api/supervision/handling-units?${period}`, 'lanhdao-ca')
  t.same(
    (policeOnly.json().items as Array<{ unitId: string }>).map((i) => i.unitId),
    ['cong-an-tinh'],
    'a police supervisor sees the steps the police handled, for a dossier received elsewhere',
  )
  const bottlenecks = await call('GET', `/api/supervision/bottlenecks?${period}`, 'lanhdao-ca')
  t.same(
    (bottlenecks.json().items as Array<{ stepId: string; unitPath: string }>).map((b) => [b.stepId, b.unitPath]),
    [['Task_Sign', policePath]],
    'bottlenecks by handling unit: the police supervisor sees their step',
  )

  const commune06a = await call('GET', `/api/supervision/reports/06a?${month}`, 'lanhdao-xa')
  t.equal(commune06a.statusCode, 200, commune06a.body)
  t.equal(commune06a.json().total.receivedTotal, 1, 'report 06a counts the dossier for the receiving commune')
  t.equal(commune06a.json().total.resolvedTotal, 1, '…resolved there')
  const police06a = await call('GET', `/api/supervision/reports/06a?${month}`, 'lanhdao-ca')
  t.equal(police06a.statusCode, 200, police06a.body)
  t.equal(police06a.json().total.receivedTotal, 0, 'and not for the police, who only handled a step')
})

t.test('a step whose rule cannot be followed stays with the receiving unit, and its supervisors see why', async (t) => {
  // The applicant wrote the commune's name, not its code: the applicant-commune rule has nothing to go on.
  const dossierId = await submitDossier('Xã An Bình')
  const reception = await openTask(dossierId, 'Task_Receive')
  await work(t, 'motcua-xa', reception.user_task_key, { decision: 'accept' })
  const review = await openTask(dossierId, 'Task_Review')
  t.equal(review.unit_path, await pathOf('xa-an-binh'), 'the task is not lost: the receiving commune has it')
  t.ok(
    (await worklist('tuphap-xa')).some((i) => i.taskKey === review.user_task_key),
    'in its worklist',
  )
  const seen = await call('GET', `/api/dossiers/${dossierId}`, 'lanhdao-xa')
  t.equal(seen.statusCode, 200)
  const problem = (seen.json().timeline as Array<{ kind: string; stepId: string; data: Record<string, unknown> }>).find(
    (e) => e.kind === 'handlingUnitProblem',
  )
  t.match(
    problem,
    { stepId: 'Task_Review', data: { rule: 'applicant-commune', reason: /no commune code/ } },
    'the timeline says which rule failed and why',
  )
})
