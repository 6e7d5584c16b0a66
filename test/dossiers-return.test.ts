// Specification: an officer of a later step sends the dossier back to the step before it (returnToPrevious, with a
// reason) — the leader who must sign back to the site inspection or the consultation, the consulted agency back to
// the inspection, the inspector back to the appraisal — through the HTTP API and the reference BPMN on the embedded
// engine. The hand-off back is in the timeline, the control sheet, the audit log and the receiver's mail; the
// dossier keeps its due date and the step it returns to gets a new step deadline.
import t from 'tap'
import { seedProcedures } from '../src/catalogue/service.js'
import { loadWorkingCalendar, seedCalendar } from '../src/db/calendar-repository.js'
import { computeDeadline } from '../src/domain/deadlines/index.js'
import { buildTestApp } from './helpers/app.js'
import { apiClient } from './helpers/api.js'
import { birthForm, constructionForm, requiredUploads } from './helpers/dossiers.js'
import { eventually } from './helpers/eventually.js'

const built = await buildTestApp(t)
const { app, db } = built
const knex = db.knex
await seedCalendar(knex)
const report = await seedProcedures(knex, app.engine)
if (report.failed.length) throw new Error(JSON.stringify(report.failed))
const { call } = apiClient(built)
const service = built.dossiers.service

const userId = async (username: string) => ((await knex('users').where({ username }).first('id')) as { id: string }).id
const principal = async (username: string) => {
  const u = await knex('users as u')
    .leftJoin('units as n', 'n.id', 'u.unit_id')
    .where('u.username', username)
    .first('u.id', 'u.username', 'u.kind', 'u.unit_id', 'n.path', 'u.groups')
  return { userId: u.id, username: u.username, kind: u.kind, unitId: u.unit_id, unitPath: u.path, groups: u.groups }
}
/** The open task of a step, once the engine and the read model have created it. */
const openTask = (dossierId: string, elementId: string) =>
  eventually(`${elementId} of ${dossierId}`, () =>
    knex('tasks').where({ dossier_id: dossierId, element_id: elementId, state: 'CREATED' }).first(),
  )
const complete = (who: string, taskKey: string, body: Record<string, unknown>) =>
  call('POST', `/api/tasks/${taskKey}/complete`, who, body)
async function work(who: string, dossierId: string, elementId: string, body: Record<string, unknown>) {
  const task = await openTask(dossierId, elementId)
  const res = await complete(who, task.user_task_key, body)
  if (res.statusCode !== 200) throw new Error(`${elementId} by ${who}: ${res.statusCode} ${res.body}`)
  return task
}

/** A dossier submitted by congdan and accepted at the counter of xa-an-binh (the first processing task is open). */
async function accepted(procedure: string, formData: Record<string, unknown>, key: string): Promise<string> {
  const citizen = await principal('congdan')
  const owner = await userId('congdan')
  const attachments = []
  for (const componentId of requiredUploads[procedure]!) {
    const sha256 = `${key}-${componentId}`
      .padEnd(64, '0')
      .replace(/[^0-9a-f]/g, 'a')
      .slice(0, 64)
    const [row] = await knex('files')
      .insert({
        sha256,
        size: 100,
        mime: 'application/pdf',
        original_name: 'giay-to.pdf',
        storage_key: sha256,
        created_by: owner,
      })
      .returning('id')
    attachments.push({ componentId, fileId: (row as { id: string }).id })
  }
  const { dossierId } = await service.submit(citizen as never, {
    procedure,
    agencyUnitId: 'xa-an-binh',
    formData,
    deliveryMethod: 'counter',
    attachments,
    idempotencyKey: key,
  })
  await work('motcua-xa', dossierId, 'Task_Receive', { decision: 'accept' })
  await eventually('status 2 or 4', async () =>
    [2, 4].includes((await knex('dossiers').where({ id: dossierId }).first('status')).status),
  )
  return dossierId
}

t.test(
  'deadlines: a return is a hand-off back — the step returned to gets its share again from the return, the dossier keeps its due (R11)',
  async (t) => {
    // The inter-agency example of deadlines.md: 15 WD from Mon 2026-06-01 09:00, overall due Mon 06-22.
    const calendar = await loadWorkingCalendar(knex, 2025, 2027)
    const steps = [
      { id: 'counter', shareDays: 0.5 },
      { id: 'specialist', shareDays: 8 },
      { id: 'tax', shareDays: 5 },
      { id: 'leader', shareDays: 1 },
    ]
    const events = [
      { type: 'stepHandedOff' as const, at: '2026-06-01T11:00:00+07:00', toStep: 'specialist' },
      { type: 'stepHandedOff' as const, at: '2026-06-11T16:00:00+07:00', toStep: 'tax' },
      { type: 'stepHandedOff' as const, at: '2026-06-19T10:00:00+07:00', toStep: 'leader' },
      // The leader returns the dossier to the tax office on Fri 06-19 11:00.
      { type: 'stepHandedOff' as const, at: '2026-06-19T11:00:00+07:00', toStep: 'tax' },
    ]
    const r = computeDeadline(calendar, {
      acceptedAt: '2026-06-01T09:00:00+07:00',
      duration: '15 WD',
      steps,
      events,
      now: '2026-06-19T11:30:00+07:00',
    })
    t.equal(r.due.date, '2026-06-22', 'the dossier’s due date does not move')
    t.same(
      r.steps.map((s) => s.id),
      ['counter', 'specialist', 'tax', 'leader', 'tax'],
      'the tax office holds the dossier a second time',
    )
    t.match(
      r.steps[3],
      { finishedAt: '2026-06-19T11:00:00+07:00', result: 'early' },
      'the leader’s step ends at the return, judged on its own',
    )
    t.match(
      r.steps[4],
      { receivedAt: '2026-06-19T11:00:00+07:00', deadline: '2026-06-26T11:00:00+07:00', status: 'within' },
      'the returned step’s deadline restarts: 5 WD from the return',
    )
  },
)

t.test(
  'construction permit: the leader returns the dossier to the site inspection, with a reason, through the task API',
  async (t) => {
    const dossierId = await accepted('cap-giay-phep-xay-dung-nha-o-rieng-le', constructionForm, 'return-1')
    const appraise = await openTask(dossierId, 'Task_Appraise')
    const appraiseForm = (await call('GET', `/api/tasks/${appraise.user_task_key}`, 'kinhte-xa')).json().decisionForm
    t.same(
      appraiseForm.properties.decision.enum,
      ['approve', 'supplement', 'refuse'],
      'the first step has no previous step to return to',
    )
    const early = await complete('kinhte-xa', appraise.user_task_key, { decision: 'returnToPrevious', reason: 'x' })
    t.equal(early.statusCode, 400, 'so returnToPrevious does not fit its form')
    await work('kinhte-xa', dossierId, 'Task_Appraise', { decision: 'approve' })
    const inspection = await work('kinhte-xa', dossierId, 'Task_SiteInspection', {
      decision: 'approve',
      consultationNeeded: false,
      note: 'Đúng hiện trạng',
    })
    const { due_date: dueBefore } = await knex('dossiers')
      .where({ id: dossierId })
      .first(knex.raw('due_date::text AS due_date'))

    // Given the signing step is open
    const sign = await openTask(dossierId, 'Task_Sign')
    const detail = (await call('GET', `/api/tasks/${sign.user_task_key}`, 'lanhdao-xa')).json()
    t.same(
      detail.decisionForm.properties.decision.enum,
      ['approve', 'returnToPrevious'],
      'the leader approves or returns',
    )
    t.match(detail.decisionForm.allOf, [
      {},
      {},
      { if: { properties: { decision: { const: 'returnToPrevious' } } }, then: { required: ['reason'] } },
    ])

    // Then only the holder of the step may return it, with a reason, while the dossier is being processed
    const noReason = await complete('lanhdao-xa', sign.user_task_key, { decision: 'returnToPrevious' })
    t.equal(noReason.statusCode, 400)
    t.match(noReason.json(), { code: 'MC_ERR_VALIDATION', errors: [{ field: 'body.reason', keyword: 'required' }] })
    t.equal(
      (await complete('lanhdao-xa', sign.user_task_key, { decision: 'returnToPrevious', reason: '   ' })).statusCode,
      400,
      'a blank reason is no reason',
    )
    t.equal(
      (await complete('congdan', sign.user_task_key, { decision: 'returnToPrevious', reason: 'x' })).statusCode,
      404,
      'not the applicant (to whom the task does not exist)',
    )
    t.equal(
      (await complete('canbo', sign.user_task_key, { decision: 'returnToPrevious', reason: 'x' })).statusCode,
      404,
      'not an officer of another unit',
    )
    t.match(
      (await complete('phoihop', sign.user_task_key, { decision: 'returnToPrevious', reason: 'x' })).json(),
      { code: 'MC_ERR_TASK_NOT_FOUND' },
      'not an officer outside the step’s group',
    )
    const suspended = await call('POST', `/api/dossiers/${dossierId}/suspend-for-payment`, 'lanhdao-xa', {
      amountVnd: 75_000,
      reason: 'Lệ phí cấp giấy phép xây dựng',
    })
    t.equal(suspended.statusCode, 200, suspended.body)
    const payment = await knex('outbox_messages')
      .whereRaw(`payload->>'template' = 'payment-requested'`)
      .andWhereRaw(`payload->>'to' = 'congdan@example.invalid'`)
      .first()
    t.match(
      payment.payload.text,
      `Số tiền: 75.000 đồng.\nNội dung: Lệ phí cấp giấy phép xây dựng`,
      'the applicant is asked to pay, through the outbox',
    )
    t.match(payment.payload.text, `Nộp trực tuyến: ${built.config.publicBaseUrl}/ho-so-cua-toi`, 'with the portal link')
    const whilePaused = await complete('lanhdao-xa', sign.user_task_key, {
      decision: 'returnToPrevious',
      reason: 'Thiếu biên bản',
    })
    t.match(
      { status: whilePaused.statusCode, ...whilePaused.json() },
      { status: 409, code: 'MC_ERR_DOSSIER_STATE' },
      'not while waiting for the fee (status 6)',
    )
    t.equal((await call('POST', `/api/dossiers/${dossierId}/resume`, 'lanhdao-xa', { note: 'Đã nộp' })).statusCode, 200)
    t.equal(
      (await knex('tasks').where({ user_task_key: sign.user_task_key }).first('state')).state,
      'CREATED',
      'the refusals changed nothing',
    )

    // When the leader returns it
    const leader = await userId('lanhdao-xa')
    const inspector = await userId('kinhte-xa')
    const reason = 'Biên bản kiểm tra thực địa thiếu chữ ký của chủ đầu tư'
    const returned = await complete('lanhdao-xa', sign.user_task_key, {
      decision: 'returnToPrevious',
      reason,
      note: 'Bổ sung rồi trình lại',
    })
    t.equal(returned.statusCode, 200, returned.body)
    t.match(returned.json(), { dossierId, status: 4 })

    // Then the site inspection is open again in the inspector's worklist, with a new step deadline
    const again = await openTask(dossierId, 'Task_SiteInspection')
    t.not(again.user_task_key, inspection.user_task_key, 'a new task of the same step')
    const worklist = (
      await call('GET', '/api/tasks?procedure=cap-giay-phep-xay-dung-nha-o-rieng-le&limit=200', 'kinhte-xa')
    ).json()
    t.ok(
      worklist.items.some((i: { taskKey: string }) => i.taskKey === again.user_task_key),
      'in the inspector’s worklist',
    )
    t.ok(
      new Date(again.due_at).getTime() >= new Date(inspection.due_at).getTime(),
      'the step deadline counts again from the return',
    )
    const dossier = await knex('dossiers').where({ id: dossierId }).first('*', knex.raw('due_date::text AS due_date'))
    t.equal(dossier.due_date, dueBefore, 'the dossier keeps its due date')
    t.match(dossier, { status: 4, current_step: 'Task_SiteInspection' })
    t.same(
      dossier.deadline_events
        .filter((e: { type: string }) => e.type === 'stepHandedOff')
        .map((e: { toStep: string }) => e.toStep),
      ['Task_Appraise', 'Task_SiteInspection', 'Task_Sign', 'Task_SiteInspection'],
    )

    // And the hand-off back is written down: timeline, control sheet, audit, the receiver's mail, the engine call
    const entry = await knex('dossier_events').where({ dossier_id: dossierId, kind: 'step_returned' }).first()
    t.match(entry, {
      actor_id: leader,
      giver: leader,
      receiver_user: inspector,
      receiver_role: 'kinh-te-ha-tang-do-thi',
      step_id: 'Task_Sign',
    })
    t.match(entry.data, {
      decision: 'returnToPrevious',
      result: 'returned',
      reason,
      note: 'Bổ sung rồi trình lại',
      toStep: 'Task_SiteInspection',
      receiverUser: inspector,
    })
    const signRow = await eventually('the signing step closed on the control sheet', () =>
      knex('dossier_events')
        .where({ user_task_key: sign.user_task_key, kind: 'step' })
        .whereNotNull('finished_at')
        .first(),
    )
    t.match(signRow, { receiver_user: leader, data: { outcome: 'returned', reason, toStep: 'Task_SiteInspection' } })
    const inspectionRow = await eventually('the step row of the new task', () =>
      knex('dossier_events').where({ user_task_key: again.user_task_key, kind: 'step' }).first(),
    )
    t.equal(inspectionRow.giver, leader, 'the leader gave the dossier back')
    const detailView = (await call('GET', `/api/dossiers/${dossierId}`, 'kinhte-xa')).json()
    t.match(
      detailView.timeline.find((e: { kind: string }) => e.kind === 'step_returned'),
      { stepId: 'Task_Sign', actorId: leader, data: { reason, toStepName: 'Kiểm tra thực địa' } },
    )
    const leaderName = ((await knex('users').where({ id: leader }).first('full_name')) as { full_name: string })
      .full_name
    t.match(
      detailView.steps.find((s: { stepId: string }) => s.stepId === 'Task_Sign'),
      { outcome: 'returned', returnReason: reason, receiverUser: leader, receiverUserName: leaderName },
      'the step row says it was sent back, why, and who held it',
    )
    t.match(
      detailView.steps.find(
        (s: { stepId: string; giver: string | null }) => s.stepId === 'Task_SiteInspection' && s.giver === leader,
      ),
      { giverName: leaderName },
      'and the row of the step it went back to names the giver',
    )
    const sheet = await call('GET', `/api/dossiers/${dossierId}/print/control-sheet?format=html`, 'kinhte-xa')
    t.equal(sheet.statusCode, 200)
    t.match(sheet.body, `trả lại bước trước: ${reason}`, 'the control sheet (Mẫu 05) shows the return and its reason')
    t.match(
      await knex('audit_events').where({ subject_id: dossierId, action: 'dossier.returnToPreviousStep' }).first(),
      { actor_id: leader, data: { step: 'Task_Sign', decision: 'returnToPrevious', returnReason: reason } },
    )
    const mail = await knex('outbox_messages')
      .whereRaw(`payload->>'template' = 'step-returned'`)
      .andWhereRaw(`payload->>'to' = 'kinhte-xa@example.invalid'`)
      .first()
    t.match(mail.payload.text, reason)
    t.match(mail.payload.subject, 'Kiểm tra thực địa')
    const command = await knex('engine_commands')
      .where({ dossier_id: dossierId, kind: 'completeTask' })
      .whereRaw(`payload->>'userTaskKey' = ?`, [sign.user_task_key])
      .first()
    t.match(command, {
      status: 'done',
      payload: { variables: { decision: 'returnToPrevious', decidedBy: leader, returnReason: reason } },
    })
    const repeated = await complete('lanhdao-xa', sign.user_task_key, { decision: 'returnToPrevious', reason })
    t.equal(repeated.statusCode, 200, 'the same decision sent again (its answer lost) is answered as done…')
    t.equal(
      (await complete('lanhdao-xa', sign.user_task_key, { decision: 'approve' })).statusCode,
      404,
      'a different decision on the closed task is refused',
    )
    t.equal(
      Number(
        (await knex('dossier_events')
          .where({ dossier_id: dossierId, kind: 'step_returned' })
          .count({ n: '*' })
          .first())!.n,
      ),
      1,
      '…and changes nothing',
    )

    // When the inspection asks for a consultation, the leader's return goes to the consulted agency; the
    // consulted agency returns to the inspection; and then the dossier goes to its end
    await work('kinhte-xa', dossierId, 'Task_SiteInspection', { decision: 'approve', consultationNeeded: true })
    await work('phoihop', dossierId, 'Task_Consult', { decision: 'approve' })
    await work('lanhdao-xa', dossierId, 'Task_Sign', {
      decision: 'returnToPrevious',
      reason: 'Ý kiến chưa nêu rõ chỉ giới xây dựng',
    })
    const consultAgain = await openTask(dossierId, 'Task_Consult')
    t.ok(consultAgain, 'back to the consulted agency, the step before the signature this time')
    t.match(
      await knex('dossier_events')
        .where({ dossier_id: dossierId, kind: 'step_returned' })
        .orderBy('id', 'desc')
        .first(),
      { receiver_user: await userId('phoihop'), data: { toStep: 'Task_Consult' } },
    )
    await work('phoihop', dossierId, 'Task_Consult', { decision: 'returnToPrevious', reason: 'Cần đo lại khoảng lùi' })
    await work('kinhte-xa', dossierId, 'Task_SiteInspection', { decision: 'approve', consultationNeeded: false })
    await work('lanhdao-xa', dossierId, 'Task_Sign', { decision: 'approve' })
    await work('motcua-xa', dossierId, 'Task_Return', { decision: 'returned' })
    const done = await eventually('status 10', async () => {
      const d = await knex('dossiers').where({ id: dossierId }).first('status', 'due_date')
      return d.status === 10 ? d : undefined
    })
    t.equal(done.status, 10)
    t.same(
      (await knex('tasks').where({ dossier_id: dossierId }).orderBy('created_at').select('element_id')).map(
        (r: { element_id: string }) => r.element_id,
      ),
      [
        'Task_Receive',
        'Task_Appraise',
        'Task_SiteInspection',
        'Task_Sign',
        'Task_SiteInspection',
        'Task_Consult',
        'Task_Sign',
        'Task_Consult',
        'Task_SiteInspection',
        'Task_Sign',
        'Task_Return',
      ],
      'the path the dossier took, back and forth',
    )
  },
)

t.test(
  'commune procedures: the leader returns the dossier to the registrar who reviewed it; the review cannot return',
  async (t) => {
    const dossierId = await accepted('dang-ky-khai-sinh', birthForm, 'return-2')
    const review = await openTask(dossierId, 'Task_Review')
    t.match((await complete('tuphap-xa', review.user_task_key, { decision: 'returnToPrevious', reason: 'x' })).json(), {
      code: 'MC_ERR_VALIDATION',
    })
    await t.rejects(
      service.returnToPreviousStep((await principal('tuphap-xa')) as never, dossierId, { reason: 'x' }),
      { code: 'MC_ERR_DECISION_INVALID', status: 422 },
      'the command checks the workflow’s decisions too',
    )
    await work('tuphap-xa', dossierId, 'Task_Review', { decision: 'approve' })
    await work('lanhdao-xa', dossierId, 'Task_Sign', {
      decision: 'returnToPrevious',
      reason: 'Sai tên mẹ trong Sổ hộ tịch',
    })
    const again = await openTask(dossierId, 'Task_Review')
    t.not(again.user_task_key, review.user_task_key)
    t.match(await knex('dossier_events').where({ dossier_id: dossierId, kind: 'step_returned' }).first(), {
      receiver_user: await userId('tuphap-xa'),
      receiver_role: 'tu-phap-ho-tich',
      data: { toStep: 'Task_Review' },
    })
    const notTheirs = await complete('lanhdao-xa', again.user_task_key, { decision: 'approve' })
    t.equal(notTheirs.statusCode, 404, 'the leader is not in the registrar’s group')
  },
)
