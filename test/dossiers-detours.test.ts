// Specification: the detours a dossier can take — supplements (at reception; during processing under RESTART and
// PAUSE, R7), refusal, withdrawal, payment and suspension (R8), extension (R9) and the overdue timer (R10) — on the
// reference BPMN and the embedded engine, with a hand-moved clock shared by the engine and the dossier code.
import t from 'tap'
import {
  birthForm,
  createDossierWorld,
  householdForm,
  manualClock,
  publishVariant,
  requiredUploads,
} from './helpers/dossiers.js'
import { eventually } from './helpers/eventually.js'

// Worked example 6 of deadlines.md: accepted Mon 2026-03-02 09:00.
const clock = manualClock('2026-03-02T09:00:00+07:00')
const w = await createDossierWorld(t, { clock: clock.now, engineClock: clock.now })
await publishVariant(w, 'dang-ky-khai-sinh', {
  slug: 'kiem-thu-restart',
  code: '2.999901',
  duration: '10 WD',
  supplementPolicy: 'RESTART',
})
await publishVariant(w, 'dang-ky-khai-sinh', {
  slug: 'kiem-thu-pause',
  code: '2.999902',
  duration: '10 WD',
  supplementPolicy: 'PAUSE',
})
const { service, queries } = w.runtime
const citizen = await w.as('congdan')
const counter = await w.as('motcua-xa')
const registrar = await w.as('tuphap-xa')
const leader = await w.as('lanhdao-xa')

let n = 0
async function submitBirth(
  procedure: string,
  opts: { withoutBirthCertificate?: boolean; deliveryMethod?: 'online' | 'counter' } = {},
) {
  const components = requiredUploads['dang-ky-khai-sinh']!.filter(
    (c) => !(opts.withoutBirthCertificate && c === 'giay-chung-sinh'),
  )
  const attachments = await Promise.all(
    components.map(async (componentId) => ({ componentId, fileId: await w.file('congdan') })),
  )
  return service.submit(citizen, {
    procedure,
    agencyUnitId: 'xa-an-binh',
    formData: birthForm,
    deliveryMethod: opts.deliveryMethod ?? 'counter',
    attachments,
    idempotencyKey: `detour-${++n}`,
  })
}
const openTask = (dossierId: string, elementId: string) =>
  eventually(`task ${elementId}`, () =>
    w.db.knex('tasks').where({ dossier_id: dossierId, element_id: elementId, state: 'CREATED' }).first(),
  )
const dossier = (id: string) =>
  w.db
    .knex('dossiers')
    .select(
      '*',
      w.db.knex.raw('due_date::text AS due_date'),
      w.db.knex.raw('original_due_date::text AS original_due_date'),
    )
    .where({ id })
    .first()
const inStatus = (id: string, wanted: number) =>
  eventually(`status ${wanted}`, async () => ((await dossier(id))?.status === wanted ? dossier(id) : undefined))
async function acceptedBirth(procedure: string) {
  const { dossierId } = await submitBirth(procedure)
  await openTask(dossierId, 'Task_Receive')
  await service.receive(counter, dossierId)
  await openTask(dossierId, 'Task_Review')
  return dossierId
}

t.test(
  'a supplement asked at reception starts no clock; the re-submitted dossier is checked again and accepted',
  async (t) => {
    clock.set('2026-03-02T09:00:00+07:00')
    const { dossierId } = await submitBirth('dang-ky-khai-sinh', { withoutBirthCertificate: true })
    await openTask(dossierId, 'Task_Receive')
    const check = await w.db
      .knex('dossier_events')
      .where({ dossier_id: dossierId, kind: 'completeness_checked' })
      .first()
    t.match(
      check.data,
      { complete: false, missingComponents: ['giay-chung-sinh'] },
      'the automatic check names what is missing',
    )

    await service.requestSupplement(counter, dossierId, { missing: ['giay-chung-sinh'], note: 'Thiếu giấy chứng sinh' })
    const waiting = await inStatus(dossierId, 5)
    t.match(
      waiting,
      { code: null, due_date: null, supplement_stage: 'reception', supplement_count: 0 },
      'no code, no appointment, not counted as the processing supplement',
    )
    t.ok(
      await w.db.knex('outbox_messages').whereRaw(`payload->>'template' = 'supplement-requested'`).first(),
      'the request reaches the applicant',
    )

    await service.submitSupplement(citizen, dossierId, {
      attachments: [{ componentId: 'giay-chung-sinh', fileId: await w.file('congdan') }],
    })
    await inStatus(dossierId, 1)
    await openTask(dossierId, 'Task_Receive')
    const checks = await w.db
      .knex('dossier_events')
      .where({ dossier_id: dossierId, kind: 'completeness_checked' })
      .orderBy('id')
    t.match(checks[1].data, { complete: true }, 'checked again, complete now')
    await service.receive(counter, dossierId)
    t.match(await inStatus(dossierId, 4), { code: /^X99\.30-260302-\d{4}$/, due_date: '2026-03-02' })
  },
)

for (const [policy, expectedDue] of [
  ['restart', '2026-03-25'],
  ['pause', '2026-03-20'],
] as const) {
  t.test(
    `a supplement during processing under ${policy.toUpperCase()} moves the due date as R7 says (worked example 6)`,
    async (t) => {
      clock.set('2026-03-02T09:00:00+07:00')
      const dossierId = await acceptedBirth(`kiem-thu-${policy}`)
      t.equal((await dossier(dossierId)).due_date, '2026-03-16', '10 working days from Mon 03-02')

      // When the registrar asks for a supplement on Thu 03-05
      clock.set('2026-03-05T10:00:00+07:00')
      await service.requestSupplement(registrar, dossierId, { missing: ['to-khai'], note: 'Tờ khai sai tên mẹ' })
      const waiting = await inStatus(dossierId, 5)
      t.match(waiting, { paused: true, supplement_stage: 'processing', supplement_count: 1 })
      t.match(await queries.lookup(waiting.code, '001090000001'), { status: 5 }, 'the applicant sees it waits for them')

      // And the applicant hands it in on Wed 03-11 10:00
      clock.set('2026-03-11T10:00:00+07:00')
      await service.submitSupplement(citizen, dossierId, {
        attachments: [{ componentId: 'to-khai', fileId: await w.file('congdan') }],
      })
      const resumed = await inStatus(dossierId, 4)
      t.equal(resumed.due_date, expectedDue, `${policy.toUpperCase()} → ${expectedDue}`)

      // Then processing goes on at the same step, and a second supplement is refused (once only)
      await eventually(
        'review again',
        async () =>
          (await w.db
            .knex('tasks')
            .where({ dossier_id: dossierId, element_id: 'Task_Review' })
            .count({ n: '*' })
            .first())!.n == 2,
      )
      await t.rejects(service.requestSupplement(registrar, dossierId, { missing: ['to-khai'] }), {
        code: 'MC_ERR_SUPPLEMENT_ALREADY_REQUESTED',
        status: 409,
      })
      await service.handOff(registrar, dossierId)
      await openTask(dossierId, 'Task_Sign')
      await service.handOff(leader, dossierId)
      await openTask(dossierId, 'Task_Return')
      await service.returnResult(counter, dossierId)
      t.match(await inStatus(dossierId, 10), { result: 'early' })
    },
  )
}

t.test('refusal: at reception (status 3, reason mailed) and during processing', async (t) => {
  clock.set('2026-03-02T09:00:00+07:00')
  const { dossierId } = await submitBirth('dang-ky-khai-sinh')
  await openTask(dossierId, 'Task_Receive')
  await t.rejects(
    service.refuse(counter, dossierId, { reason: ' ' }),
    { code: 'MC_ERR_VALIDATION' },
    'a refusal needs a reason',
  )
  await service.refuse(counter, dossierId, { reason: 'Không thuộc thẩm quyền của UBND xã' })
  t.match(await inStatus(dossierId, 3), { close_reason: 'Không thuộc thẩm quyền của UBND xã', code: null })
  const mail = await w.db.knex('outbox_messages').whereRaw(`payload->>'template' = 'dossier-refused'`).first()
  t.match(mail.payload.text, /Không thuộc thẩm quyền/)
  await t.rejects(service.receive(counter, dossierId), { code: 'MC_ERR_TASK_NOT_FOUND' }, 'nothing left to decide')

  const inProcessing = await acceptedBirth('dang-ky-khai-sinh')
  await service.refuse(registrar, inProcessing, { reason: 'Giấy chứng sinh giả mạo' })
  t.match(await inStatus(inProcessing, 3), { close_reason: 'Giấy chứng sinh giả mạo' })
})

t.test('withdrawal by the applicant: status 7, the process cancelled, no task left in any worklist', async (t) => {
  clock.set('2026-03-02T09:00:00+07:00')
  const dossierId = await acceptedBirth('dang-ky-khai-sinh')
  const stranger = await w.as('doanhnghiep')
  await t.rejects(service.withdraw(stranger, dossierId), { code: 'MC_ERR_DOSSIER_NOT_FOUND' }, 'only the applicant')
  await service.withdraw(citizen, dossierId, { reason: 'Nộp nhầm' })
  const withdrawn = await inStatus(dossierId, 7)
  const instance = await w.engine.getProcessInstance(withdrawn.process_instance_key)
  t.equal(instance?.state, 'TERMINATED')
  t.equal((await queries.worklist(registrar)).items.filter((i) => i.dossier.id === dossierId).length, 0)
  await t.rejects(service.withdraw(citizen, dossierId), { code: 'MC_ERR_DOSSIER_STATE', status: 409 })
})

t.test(
  'household business: the fee is asked before acceptance (status 6) and confirmed; a suspension during processing moves the due (R8)',
  async (t) => {
    clock.set('2026-03-02T09:00:00+07:00')
    const attachments = [{ componentId: 'giay-de-nghi', fileId: await w.file('congdan') }]
    const { dossierId } = await service.submit(citizen, {
      procedure: 'dang-ky-thanh-lap-ho-kinh-doanh',
      agencyUnitId: 'xa-an-binh',
      formData: householdForm,
      deliveryMethod: 'online',
      attachments,
      idempotencyKey: 'household-1',
    })
    await openTask(dossierId, 'Task_Receive')
    await service.receive(counter, dossierId)
    t.match(await inStatus(dossierId, 6), { code: null, paused: true }, 'waiting for the fee')
    await service.resume(counter, dossierId, { note: 'Đã nộp lệ phí tại quầy' })
    // Accepted (status 2) then at once in processing (4): either may be what the poll sees.
    const accepted = await eventually('accepted', async () => {
      const d = await dossier(dossierId)
      return d && [2, 4].includes(d.status) ? d : undefined
    })
    t.match(accepted, { code: /^X99\.30-260302-/, due_date: '2026-03-05' }, '3 working days from acceptance')

    // During processing the agency waits for a tax obligation from Tue 03-03 to Thu 03-05
    await openTask(dossierId, 'Task_Review')
    clock.set('2026-03-03T09:00:00+07:00')
    await service.suspendForPayment(counter, dossierId, { amountVnd: 100_000, reason: 'Chờ nộp thuế môn bài' })
    t.match(await inStatus(dossierId, 6), { suspended: true })
    await t.rejects(
      service.extend(counter, dossierId, { newDueDate: '2026-03-10', reason: 'x' }),
      { code: 'MC_ERR_DOSSIER_STATE' },
      'no extension while suspended',
    )
    clock.set('2026-03-05T09:00:00+07:00')
    await service.resume(counter, dossierId)
    t.match(
      await inStatus(dossierId, 4),
      { suspended: false, due_date: '2026-03-09' },
      'due moved by the 2 working days paused',
    )
  },
)

t.test('extension (R9): once, with the apology letter; a second one is refused with its code', async (t) => {
  clock.set('2026-03-02T09:00:00+07:00')
  const dossierId = await acceptedBirth('kiem-thu-restart')
  clock.set('2026-03-12T09:00:00+07:00')
  await t.rejects(
    service.extend(registrar, dossierId, { newDueDate: '2026-03-13', reason: 'Chờ xác minh' }),
    { code: 'MC_ERR_EXTENSION_NOT_ALLOWED' },
    'not before the due date',
  )
  await service.extend(registrar, dossierId, { newDueDate: '2026-03-20', reason: 'Chờ kết quả xác minh của xã khác' })
  const extended = await dossier(dossierId)
  t.match(extended, {
    due_date: '2026-03-20',
    original_due_date: '2026-03-16',
    extension_reason: 'Chờ kết quả xác minh của xã khác',
  })
  const letter = await w.db.knex('outbox_messages').whereRaw(`payload->>'template' = 'dossier-late'`).first()
  t.ok(letter, 'the apology letter goes out through the outbox')
  await t.rejects(service.extend(registrar, dossierId, { newDueDate: '2026-03-27', reason: 'Lần nữa' }), {
    code: 'MC_ERR_EXTENSION_NOT_ALLOWED',
    extensions: { reason: 'already_extended' },
  })
  const detail = await queries.get(registrar, dossierId)
  t.match(detail, {
    dueDate: '2026-03-20',
    originalDueDate: '2026-03-16',
    extension: { reason: 'Chờ kết quả xác minh của xã khác' },
  })
})

t.test(
  'the due-date timer fires on the embedded engine: the dossier is flagged overdue and its officer and supervisor are told',
  async (t) => {
    clock.set('2026-03-02T09:00:00+07:00')
    const dossierId = await acceptedBirth('dang-ky-khai-sinh')
    const accepted = await dossier(dossierId)
    t.equal(
      accepted.due_at.toISOString(),
      new Date('2026-03-02T23:59:59+07:00').toISOString(),
      'same day: due at the end of the day',
    )
    t.equal(accepted.overdue, false)

    // When the engine's time passes the due (the timer loop polls the engine clock)
    clock.set('2026-03-03T08:30:00+07:00')
    const overdue = await eventually('overdue', async () =>
      (await dossier(dossierId)).overdue ? dossier(dossierId) : undefined,
    )
    t.equal(overdue.status, 4, 'non-interrupting: work goes on')
    // The overdue sweep may flag the dossier before the timer's escalation job has run, and the step's timer may
    // escalate before the dossier's: wait for the dossier-level escalation.
    const escalations = await eventually('escalated', async () => {
      const rows = (await w.db.knex('dossier_events').where({ dossier_id: dossierId, kind: 'escalated' })) as Array<{
        data: { level: string }
      }>
      return rows.some((e) => e.data.level === 'dossier') ? rows : undefined
    })
    t.ok(
      escalations.some((e) => e.data.level === 'dossier'),
      'the timer escalated the dossier',
    )
    const mails = await eventually('mails', async () => {
      const rows = (await w.db
        .knex('outbox_messages')
        .whereRaw(`payload->>'template' IN ('overdue-officer', 'overdue-supervisor')`)
        .select('payload')) as Array<{ payload: { to: string; template: string } }>
      return rows.some((r) => r.payload.template === 'overdue-supervisor') &&
        rows.some((r) => r.payload.template === 'overdue-officer')
        ? rows
        : undefined
    })
    t.ok(
      mails.some((m) => m.payload.to === 'tuphap-xa@example.invalid'),
      'the registrar holding it',
    )
    t.ok(
      mails.some((m) => m.payload.to === 'lanhdao-xa@example.invalid'),
      'the commune leader (supervisor)',
    )
    const worklist = await queries.worklist(registrar, { overdue: true })
    t.ok(
      worklist.items.some((i) => i.dossier.id === dossierId),
      'the worklist filters overdue work',
    )
  },
)
