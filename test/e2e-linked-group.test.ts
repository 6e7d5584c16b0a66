// The reference linked group for a child under six (liên thông đăng ký khai sinh, đăng ký thường trú, cấp thẻ BHYT,
// Nghị định 63/2024/NĐ-CP), end to end through the HTTP API with the real forms/ and workflows/ files: a citizen
// submits at xã An Bình; the commune's one-stop counter accepts and its tư pháp officer registers the birth; the
// residence step then belongs to the police only (agency:X99.50), the card step to social insurance only
// (agency:X99.60); each step has its own deadline (R11 share) and is judged on time or late; the applicant sees the
// route; the result is returned.
// The handling unit is a zeebe:taskHeaders entry, as Zeebe passes custom headers on user tasks
// (https://docs.camunda.io/docs/components/modeler/bpmn/user-tasks/#task-headers).
import { copyFileSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import t, { type Test } from 'tap'
import { eventually } from './helpers/eventually.js'
import { lienThongWorld } from './helpers/lien-thong.js'

const slug = 'lien-thong-khai-sinh-thuong-tru-bhyt'
const root = fileURLToPath(new URL('../', import.meta.url))
// Only this procedure is published (the directory holds its real definition file).
const formsDir = mkdtempSync(join(tmpdir(), 'motcua-linked-'))
copyFileSync(join(root, 'forms', `${slug}.json`), join(formsDir, `${slug}.json`))

const { knex, call, worklist, openTask, submitDossier, work, pathOf, nameOf, timeoutMs } = await lienThongWorld(t, {
  formsDir,
  workflowsDir: join(root, 'workflows'),
  slug,
})

/** Everyone in `others` is told "not found" for the task (read, claim, complete) and does not have it listed. */
async function othersCannot(t: Test, taskKey: string, others: string[]) {
  for (const who of others) {
    const answers = [
      await call('GET', `/api/tasks/${taskKey}`, who),
      await call('POST', `/api/tasks/${taskKey}/claim`, who),
      await call('POST', `/api/tasks/${taskKey}/complete`, who, { decision: 'approve' }),
    ]
    t.same(
      answers.map((a) => [a.statusCode, a.json().code]),
      Array(3).fill([404, 'MC_ERR_TASK_NOT_FOUND']),
      `${who} gets "not found" for ${taskKey}`,
    )
    t.notOk(
      (await worklist(who)).some((i) => i.taskKey === taskKey),
      `${taskKey} is not in the worklist of ${who}`,
    )
  }
}

t.test('the linked group goes commune → police → social insurance → commune with one dossier', async (t) => {
  const dossierId = await submitDossier()
  const [communePath, policePath, insurancePath] = await Promise.all(
    ['xa-an-binh', 'cong-an-tinh', 'bhxh-tinh'].map(pathOf),
  )

  const reception = await openTask(dossierId, 'Task_Receive')
  t.equal(reception.unit_path, communePath, 'reception at the receiving commune')
  await work(t, 'motcua-xa', reception.user_task_key, { decision: 'accept' })
  const code = await eventually(
    'the dossier code',
    async () => (await knex('dossiers').where({ id: dossierId }).first('code'))?.code as string | undefined,
    timeoutMs,
  )
  t.match(code, /^X99\.30-/, 'one dossier code for the whole group, from the receiving commune')

  const birth = await openTask(dossierId, 'Task_BirthRegistration')
  t.equal(birth.unit_path, communePath, 'the birth is registered at the commune (receiving unit)')
  t.ok(birth.due_at, 'with its own step deadline')
  t.ok(
    (await worklist('tuphap-xa')).some((i) => i.taskKey === birth.user_task_key),
    'in the tư pháp worklist',
  )
  await othersCannot(t, birth.user_task_key, ['congan', 'bhxh'])
  await work(t, 'tuphap-xa', birth.user_task_key, { decision: 'approve' })

  const residence = await openTask(dossierId, 'Task_Residence')
  t.equal(residence.unit_path, policePath, 'permanent residence: Công an tỉnh (agency:X99.50)')
  t.ok(
    (await worklist('congan')).some((i) => i.taskKey === residence.user_task_key),
    'in the police worklist',
  )
  await othersCannot(t, residence.user_task_key, ['tuphap-xa', 'motcua-xa', 'bhxh'])
  await work(t, 'congan', residence.user_task_key, { decision: 'approve' })

  const card = await openTask(dossierId, 'Task_HealthInsurance')
  t.equal(card.unit_path, insurancePath, 'the health-insurance card: BHXH tỉnh (agency:X99.60)')
  t.ok(
    (await worklist('bhxh')).some((i) => i.taskKey === card.user_task_key),
    'in the social-insurance worklist',
  )
  await othersCannot(t, card.user_task_key, ['tuphap-xa', 'motcua-xa', 'congan'])
  // The card step's deadline passes before BHXH completes it (the read model judges a step against its due time).
  const past = new Date(Date.now() - 3600_000)
  await knex('tasks').where({ user_task_key: card.user_task_key }).update({ due_at: past })
  await knex('dossier_events').where({ user_task_key: card.user_task_key, kind: 'step' }).update({ step_due_at: past })
  await work(t, 'bhxh', card.user_task_key, { decision: 'approve' })

  const back = await openTask(dossierId, 'Task_Return')
  t.equal(back.unit_path, communePath, 'the result set is returned by the receiving commune')
  await work(t, 'motcua-xa', back.user_task_key, { decision: 'returned' })
  await eventually(
    'status 10',
    async () => (await knex('dossiers').where({ id: dossierId }).first('status'))?.status === 10,
    timeoutMs,
  )
  await eventually(
    'every step closed',
    async () =>
      !(await knex('dossier_events').where({ dossier_id: dossierId, kind: 'step' }).whereNull('finished_at').first()),
    timeoutMs,
  )

  const [commune, police, insurance] = await Promise.all(['xa-an-binh', 'cong-an-tinh', 'bhxh-tinh'].map(nameOf))
  type Route = Array<{
    stepId: string
    agency: { name: string } | null
    dueAt: string | null
    timeliness: string | null
  }>
  const mine = await call('GET', `/api/dossiers/${dossierId}`, 'congdan')
  t.equal(mine.statusCode, 200, mine.body)
  t.equal(mine.json().status, 10, 'the applicant’s dossier is returned (status 10)')
  const route = mine.json().route as Route
  t.same(
    route.map((s) => [s.stepId, s.agency?.name]),
    [
      ['Task_Receive', commune],
      ['Task_BirthRegistration', commune],
      ['Task_Residence', police],
      ['Task_HealthInsurance', insurance],
      ['Task_Return', commune],
    ],
    'the applicant’s page shows the route across the three agencies',
  )
  const byStep = new Map(route.map((s) => [s.stepId, s]))
  t.same(
    ['Task_BirthRegistration', 'Task_Residence', 'Task_HealthInsurance'].map((s) => byStep.get(s)!.timeliness),
    ['on_time', 'on_time', 'late'],
    'on time / late per agency step',
  )
  // Each agency's step deadline is the one its hand-off set from the step's share (0.75 then 1 working day, R11).
  const handoffs = await knex('dossier_events')
    .where({ dossier_id: dossierId, kind: 'handoff' })
    .select('step_id', 'step_due_at', 'receiver_unit_path')
  const handedOff = new Map(handoffs.map((h) => [h.step_id as string, h]))
  t.same(
    ['Task_BirthRegistration', 'Task_Residence'].map((s) => new Date(byStep.get(s)!.dueAt!).getTime()),
    [birth.due_at!.getTime(), residence.due_at!.getTime()],
    'the route shows each step’s own deadline',
  )
  t.same(
    ['Task_BirthRegistration', 'Task_Residence', 'Task_HealthInsurance'].map((s) => [
      handedOff.get(s)?.receiver_unit_path,
      handedOff.get(s)?.step_due_at?.getTime(),
    ]),
    [
      [communePath, birth.due_at!.getTime()],
      [policePath, residence.due_at!.getTime()],
      [insurancePath, card.due_at!.getTime()],
    ],
    'each hand-off names the agency and sets that step’s deadline',
  )
  t.ok(birth.due_at! < residence.due_at!, 'the police’s deadline is its own, after the commune’s shorter share')
})
