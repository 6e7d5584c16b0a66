// Specification: dossiers go from submission to the returned result through the dossier service, the real
// reference BPMN files and the embedded engine — online and at the counter, for a commune procedure and an
// inter-agency one.
import t from 'tap'
import { defaultCarriers } from '../src/delivery/carriers.js'
import { DeliveryService } from '../src/delivery/service.js'
import { loadWorkingCalendar } from '../src/db/calendar-repository.js'
import { computeDeadline } from '../src/domain/deadlines/index.js'
import { parseDossierCode } from '../src/domain/dossier/code.js'
import {
  birthForm,
  constructionForm,
  createDossierWorld,
  requiredUploads,
  type DossierWorld,
} from './helpers/dossiers.js'
import { eventually } from './helpers/eventually.js'

// One world for the file (publishing the five procedures takes seconds); each test has its own dossiers.
const w = await createDossierWorld(t)

async function uploads(w: DossierWorld, slug: string, owner: string) {
  return Promise.all(requiredUploads[slug]!.map(async (componentId) => ({ componentId, fileId: await w.file(owner) })))
}

const openTask = (w: DossierWorld, dossierId: string, elementId: string) =>
  eventually(`task ${elementId}`, () =>
    w.db.knex('tasks').where({ dossier_id: dossierId, element_id: elementId, state: 'CREATED' }).first(),
  )

const status = (w: DossierWorld, id: string, wanted: number) =>
  eventually(`status ${wanted}`, async () => {
    const d = await w.db.knex('dossiers').where({ id }).first()
    return d?.status === wanted ? d : undefined
  })

t.test(
  'birth registration online: submitted, checked, accepted with a receipt, reviewed, signed, result issued and returned',
  async (t) => {
    const citizen = await w.as('congdan')
    const counter = await w.as('motcua-xa')
    const registrar = await w.as('tuphap-xa')
    const leader = await w.as('lanhdao-xa')
    const { service, queries } = w.runtime

    // Given a citizen submits online with every required document, choosing to collect the result at the counter
    const submitted = await service.submit(citizen, {
      procedure: 'dang-ky-khai-sinh',
      agencyUnitId: 'xa-an-binh',
      formData: birthForm,
      deliveryMethod: 'counter',
      attachments: await uploads(w, 'dang-ky-khai-sinh', 'congdan'),
      idempotencyKey: 'birth-1',
    })
    t.match(submitted, { status: 1, code: null }, 'status 1, no code before acceptance')

    // a retried submission returns the same dossier
    const again = await service.submit(citizen, {
      procedure: 'dang-ky-khai-sinh',
      agencyUnitId: 'xa-an-binh',
      formData: birthForm,
      deliveryMethod: 'counter',
      idempotencyKey: 'birth-1',
    })
    t.equal(again.dossierId, submitted.dossierId, 'a retried submit never creates a second dossier')
    t.equal(Number((await w.db.knex('dossiers').where({ idempotency_key: 'birth-1' }).count({ n: '*' }).first())!.n), 1)

    // When the automatic completeness check has run, the counter sees the reception task
    const reception = await openTask(w, submitted.dossierId, 'Task_Receive')
    const check = await w.db
      .knex('dossier_events')
      .where({ dossier_id: submitted.dossierId, kind: 'completeness_checked' })
      .first()
    t.match(check.data, { complete: true, missingComponents: [] })
    const list = await queries.worklist(counter)
    t.same(
      list.items.map((i) => i.taskKey),
      [reception.user_task_key],
      'the reception task is in the counter officer’s worklist',
    )
    t.same((await queries.worklist(registrar)).items, [], 'not in the registrar’s: another group')

    // When the counter officer accepts it
    await service.receive(counter, submitted.dossierId)
    const received = await eventually('code', async () => {
      const d = await w.db
        .knex('dossiers')
        .select('*', w.db.knex.raw('due_date::text as due_date'))
        .where({ id: submitted.dossierId })
        .first()
      return d?.code ? d : undefined
    })

    // Then it has a code of the agency's receipt day and an appointment date equal to computeDeadline's
    const calendar = await loadWorkingCalendar(w.db.knex, 2025, 2028)
    const expected = computeDeadline(calendar, {
      acceptedAt: received.accepted_at,
      duration: 'SAME_DAY',
      now: received.accepted_at,
    })
    t.match(parseDossierCode(received.code), {
      agencyCode: 'X99.30',
      receiptDate: expected.receiptDate,
      sequence: 1,
    })
    t.equal(received.due_date, expected.due.date, 'appointment date = computeDeadline')
    const receipt = await w.db
      .knex('dossier_events')
      .where({ dossier_id: submitted.dossierId, kind: 'received' })
      .first()
    t.match(receipt.data, { code: received.code, appointmentDate: expected.due.date, dueAt: expected.due.at })
    const mail = await w.db.knex('outbox_messages').whereRaw(`payload->>'template' = 'dossier-received'`).first()
    t.ok(mail, 'the receipt is mailed to the applicant through the outbox')

    // And the registrar reviews it: the hand-off gave the step its deadline
    await openTask(w, submitted.dossierId, 'Task_Review')
    const processing = await status(w, submitted.dossierId, 4)
    t.ok(processing.step_due_at, 'the step has a deadline (R11)')
    await service.claim(registrar, (await openTask(w, submitted.dossierId, 'Task_Review')).user_task_key)
    await service.handOff(registrar, submitted.dossierId, { note: 'Đủ điều kiện' })

    // And the leader signs
    await openTask(w, submitted.dossierId, 'Task_Sign')
    await service.handOff(leader, submitted.dossierId)

    // Then the result is issued (status 9) and the counter returns it (status 10)
    const resolved = await status(w, submitted.dossierId, 9)
    t.match(resolved, { result_no: `${received.code}/KQ`, result: /^(early|on_time|late)$/ })
    await openTask(w, submitted.dossierId, 'Task_Return')
    await service.returnResult(counter, submitted.dossierId)
    await status(w, submitted.dossierId, 10)

    // The citizen sees the whole story: steps with their holders, deadlines and results
    const detail = await eventually('instance finished', async () => {
      const d = await queries.get(citizen, submitted.dossierId)
      return d.current.step === null ? d : undefined
    })
    t.same(
      detail.steps.map((s) => s.stepId),
      ['Task_Receive', 'Task_Review', 'Task_Sign', 'Task_Return'],
    )
    t.ok(
      detail.steps.every((s) => s.finishedAt),
      'every step finished',
    )
    t.equal(detail.steps[1]!.receiverUser, registrar.userId, 'the registrar handled the review')
    t.equal(detail.steps[2]!.giver, registrar.userId, 'and handed it to the leader')
    t.same(
      detail.timeline
        .map((e) => e.kind)
        .filter((k) => ['submitted', 'received', 'result_issued', 'closed'].includes(k)),
      ['submitted', 'received', 'result_issued', 'closed'],
    )

    // And anyone with the code and the ID number can look it up, learning nothing else
    const lookup = await queries.lookup(received.code, '001090000001')
    t.same(Object.keys(lookup).sort(), [
      'agency',
      'appointmentDate',
      'code',
      'currentStep',
      'procedureName',
      'status',
      'statusLabel',
    ])
    t.match(lookup, { status: 10, appointmentDate: expected.due.date })
    await t.rejects(
      queries.lookup(received.code, '001090000002'),
      { code: 'MC_ERR_DOSSIER_NOT_FOUND' },
      'a wrong ID number looks like an unknown code',
    )

    // Every change left an audit event
    const actions = (await w.db
      .knex('audit_events')
      .where({ subject_type: 'dossier', subject_id: submitted.dossierId })
      .orderBy('id')
      .pluck('action')) as string[]
    t.match(actions, [
      'dossier.submit',
      'dossier.receive',
      'dossier.received',
      'task.claim',
      'dossier.handOff',
      'dossier.handOff',
      'dossier.resolved',
      'dossier.returnResult',
      'dossier.closed',
    ])
  },
)

t.test(
  'construction permit at the counter, with consultation of another agency: every hand-off on the process control sheet',
  async (t) => {
    const counter = await w.as('motcua-xa')
    const specialist = await w.as('kinhte-xa')
    const partner = await w.as('phoihop')
    const leader = await w.as('lanhdao-xa')
    const { service, queries } = w.runtime

    // Given the counter officer enters a dossier handed in on paper (scans attached)
    const intake = await service.intakeAtCounter(counter, {
      procedure: 'cap-giay-phep-xay-dung-nha-o-rieng-le',
      agencyUnitId: 'xa-an-binh',
      formData: constructionForm,
      deliveryMethod: 'post',
      deliveryAddress: { provinceCode: '99', communeCode: '99902', street: 'Thôn Đông, số 8' },
      attachments: await uploads(w, 'cap-giay-phep-xay-dung-nha-o-rieng-le', 'motcua-xa'),
      idempotencyKey: 'counter-1',
      applicant: { name: 'Lê Thị Cúc', idNumber: '001190099999', phone: '0987654321' },
    })
    t.equal(intake.status, 1)
    await openTask(w, intake.dossierId, 'Task_Receive')
    await service.receive(counter, intake.dossierId)
    const accepted = await status(w, intake.dossierId, 4)
    const calendar = await loadWorkingCalendar(w.db.knex, 2025, 2028)
    const expected = computeDeadline(calendar, {
      acceptedAt: accepted.accepted_at,
      duration: '15 WD',
      now: accepted.accepted_at,
    })
    t.equal(accepted.due_at.toISOString(), new Date(expected.due.at).toISOString(), '15 working days from acceptance')

    // When the specialist appraises, inspects the site and asks for consultation
    await openTask(w, intake.dossierId, 'Task_Appraise')
    // The partner department (Sở Xây dựng) has no step of this dossier yet, so it does not see the dossier at all.
    await t.rejects(
      service.handOff(partner, intake.dossierId),
      { code: 'MC_ERR_DOSSIER_NOT_FOUND' },
      'not the partner agency’s task',
    )
    await service.handOff(specialist, intake.dossierId)
    await openTask(w, intake.dossierId, 'Task_SiteInspection')
    await service.handOff(specialist, intake.dossierId, { consultationNeeded: true })
    await openTask(w, intake.dossierId, 'Task_Consult')
    const held = await queries.get(specialist, intake.dossierId)
    t.match(
      held.current,
      { step: 'Task_Consult', unitRole: 'co-quan-phoi-hop', since: Date },
      'which department has it, since when',
    )
    await service.handOff(partner, intake.dossierId)
    await openTask(w, intake.dossierId, 'Task_Sign')
    await service.handOff(leader, intake.dossierId)
    const returnTask = await openTask(w, intake.dossierId, 'Task_Return')
    // Sent by post: the parcel is recorded before the result counts as returned.
    await t.rejects(service.returnResult(counter, intake.dossierId), { code: 'MC_ERR_SHIPMENT_MISSING' })
    await new DeliveryService(w.db.knex, defaultCarriers()).record(counter, returnTask.user_task_key, {
      carrier: 'vnpost',
      trackingNumber: 'EB123456785VN',
    })
    await service.returnResult(counter, intake.dossierId)
    const returned = await status(w, intake.dossierId, 10)
    t.equal(returned.result, 'early', 'finished long before the 15 working days')

    // Then the control sheet lists each holding with its deadline from the step's share
    const detail = await eventually('closed', async () => {
      const d = await queries.get(counter, intake.dossierId)
      return d.steps.length === 6 && d.steps.every((s) => s.finishedAt) ? d : undefined
    })
    t.same(
      detail.steps.map((s) => [s.stepId, s.receiverRole]),
      [
        ['Task_Receive', 'mot-cua'],
        ['Task_Appraise', 'kinh-te-ha-tang-do-thi'],
        ['Task_SiteInspection', 'kinh-te-ha-tang-do-thi'],
        ['Task_Consult', 'co-quan-phoi-hop'],
        ['Task_Sign', 'lanh-dao-ubnd'],
        ['Task_Return', 'mot-cua'],
      ],
    )
    const appraise = detail.steps[1]!
    const expectedAppraise = computeDeadline(calendar, {
      acceptedAt: accepted.accepted_at,
      duration: '15 WD',
      now: appraise.receivedAt,
      steps: [
        { id: 'Task_Receive', shareDays: 0.5 },
        { id: 'Task_Appraise', shareDays: 4 },
      ],
      events: [
        {
          type: 'stepHandedOff',
          at: (
            await w.db
              .knex('dossier_events')
              .where({ dossier_id: intake.dossierId, kind: 'handoff', step_id: 'Task_Appraise' })
              .first()
          ).at,
          toStep: 'Task_Appraise',
        },
      ],
    }).steps[1]!.deadline
    t.equal(
      appraise.stepDueAt!.toISOString(),
      new Date(expectedAppraise).toISOString(),
      'appraisal due 4 working days after it was received',
    )
    t.ok(
      detail.steps.slice(1, 5).every((s) => s.result === 'early'),
      'each step judged on its own',
    )
  },
)
