// Specification of the dossier API by role: what a citizen, an enterprise, an officer of the agency, an officer of
// another unit, a supervisor and the public can and cannot reach — drafts, uploads, reuse, idempotent submission,
// worklist, decisions, downloads, payment, rating, registration and the public lookup; bad input changes nothing.
import { existsSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import type { LightMyRequestResponse } from 'fastify'
import { seedProcedures } from '../src/catalogue/service.js'
import { seedCalendar } from '../src/db/calendar-repository.js'
import { buildTestApp } from './helpers/app.js'
import { apiClient } from './helpers/api.js'
import { birthForm } from './helpers/dossiers.js'
import { makeDocx, makePdf } from './helpers/files.js'
import { eventually } from './helpers/eventually.js'

const built = await buildTestApp(t)
const { app, db } = built
const knex = db.knex
await seedCalendar(knex)
const report = await seedProcedures(knex, app.engine)
if (report.failed.length) throw new Error(JSON.stringify(report.failed))

// Login is rate-limited (10 a minute): each account logs in once.
const { call, upload } = apiClient(built)

const tables = [
  'dossiers',
  'dossier_drafts',
  'files',
  'dossier_attachments',
  'payments',
  'dossier_ratings',
  'users',
  'email_verifications',
  'engine_commands',
] as const
async function counts(): Promise<Record<string, number>> {
  const out: Record<string, number> = {}
  for (const table of tables) out[table] = Number((await knex(table).count({ n: '*' }).first())!.n)
  return out
}

/** Every file under the blob store (uploads and their spool), to show a refusal leaves none behind. */
function blobs(): string[] {
  const dir = built.config.filesDir
  return existsSync(dir)
    ? readdirSync(dir, { recursive: true, withFileTypes: true })
        .filter((e) => e.isFile())
        .map((e) => join(e.parentPath, e.name))
        .sort()
    : []
}

const openTask = (dossierId: string, elementId?: string) =>
  eventually(`open task of ${dossierId}`, () =>
    knex('tasks')
      .where({ dossier_id: dossierId, state: 'CREATED' })
      .modify((q) => void (elementId && q.andWhere({ element_id: elementId })))
      .first(),
  ).catch(async (err) => {
    const d = await knex('dossiers').where({ id: dossierId }).first('status', 'current_step', 'process_instance_key')
    const incidents = d?.process_instance_key
      ? (await app.engine.getProcessInstance(d.process_instance_key))?.incidents
      : undefined
    throw new Error(
      `${(err as Error).message}: ${JSON.stringify({ d, incidents, tasks: await knex('tasks').where({ dossier_id: dossierId }).select('element_id', 'state') })}`,
    )
  })

/** A birth-registration draft of congdan with the required documents, ready to submit. */
async function readyDraft(who = 'congdan'): Promise<string> {
  const created = await call('POST', '/api/dossiers/drafts', who, {
    procedure: 'dang-ky-khai-sinh',
    agencyUnitId: 'xa-an-binh',
  })
  const id = created.json().id as string
  await call('PATCH', `/api/dossiers/drafts/${id}`, who, { formData: birthForm, deliveryMethod: 'counter' })
  for (const component of ['to-khai', 'giay-chung-sinh', 'giay-to-tuy-than'])
    await upload(who, `/api/dossiers/drafts/${id}/attachments/${component}`, makePdf(), `${component}.pdf`)
  return id
}

let first: { dossierId: string; code: string; fileId: string } | undefined

t.test(
  'a citizen drafts, autosaves, uploads, chooses the delivery and submits once — a retried submit is the same dossier',
  async (t) => {
    const created = await call('POST', '/api/dossiers/drafts', 'congdan', {
      procedure: 'dang-ky-khai-sinh',
      agencyUnitId: 'xa-an-binh',
    })
    t.equal(created.statusCode, 201)
    const draftId = created.json().id as string
    const saved = await call('PATCH', `/api/dossiers/drafts/${draftId}`, 'congdan', {
      formData: birthForm,
      deliveryMethod: 'counter',
    })
    t.equal(saved.statusCode, 200)
    t.same(saved.json().formData, birthForm, 'the form data is autosaved')
    t.equal(saved.json().deliveryMethod, 'counter')
    t.equal(
      (await call('PATCH', `/api/dossiers/drafts/${draftId}`, 'congdan', { deliveryMethod: 'drone' })).statusCode,
      400,
      'an unknown delivery method is refused',
    )

    await t.test(
      'uploads: the component’s types and size apply, and a refused file leaves nothing stored',
      async (t) => {
        const before = await counts()
        const blobsBefore = blobs()
        const wrong = await upload(
          'congdan',
          `/api/dossiers/drafts/${draftId}/attachments/to-khai`,
          makeDocx(),
          'to-khai.pdf',
        )
        t.equal(wrong.statusCode, 415)
        t.equal(wrong.json().code, 'MC_ERR_FILE_TYPE_NOT_ALLOWED', 'the bytes decide, not the name')
        t.match(wrong.headers['content-type'], /application\/problem\+json/)
        const big = Buffer.concat([makePdf(), Buffer.alloc(10 * 1024 * 1024 + 10, 0x20)])
        const tooLarge = await upload(
          'congdan',
          `/api/dossiers/drafts/${draftId}/attachments/to-khai`,
          big,
          'to-khai.pdf',
        )
        t.equal(tooLarge.statusCode, 413)
        t.equal(tooLarge.json().code, 'MC_ERR_FILE_TOO_LARGE')
        const notMultipart = await call('POST', `/api/dossiers/drafts/${draftId}/attachments/to-khai`, 'congdan', {
          file: 'x',
        })
        t.equal(notMultipart.statusCode, 415)
        t.same(await counts(), before, 'no file row, no attachment')
        t.same(blobs(), blobsBefore, 'no blob on disk')
        t.equal(
          (await upload('doanhnghiep', `/api/dossiers/drafts/${draftId}/attachments/to-khai`, makePdf(), 'a.pdf'))
            .statusCode,
          404,
          'another account cannot add to my draft',
        )
      },
    )

    for (const component of ['to-khai', 'giay-chung-sinh', 'giay-to-tuy-than']) {
      const res = await upload(
        'congdan',
        `/api/dossiers/drafts/${draftId}/attachments/${component}`,
        makePdf(),
        `${component}.pdf`,
      )
      t.equal(res.statusCode, 201, `upload ${component}`)
      t.equal(res.json().mime, 'application/pdf')
    }

    const before = await counts()
    const noKey = await call('POST', `/api/dossiers/drafts/${draftId}/submit`, 'congdan')
    t.equal(noKey.statusCode, 400)
    t.equal(noKey.json().code, 'MC_ERR_IDEMPOTENCY_KEY_REQUIRED')
    t.same(await counts(), before, 'nothing submitted without a key')

    const submitted = await call('POST', `/api/dossiers/drafts/${draftId}/submit`, 'congdan', undefined, {
      'idempotency-key': 'submit-birth-0001',
    })
    t.equal(submitted.statusCode, 201)
    t.match(submitted.json(), { status: 1, code: null }, 'submitted; the code comes with the receipt')
    const again = await call('POST', `/api/dossiers/drafts/${draftId}/submit`, 'congdan', undefined, {
      'idempotency-key': 'submit-birth-0001',
    })
    t.same(again.json(), submitted.json(), 'the retried submit answers the same')
    const otherKey = await call('POST', `/api/dossiers/drafts/${draftId}/submit`, 'congdan', undefined, {
      'idempotency-key': 'submit-birth-0002',
    })
    const raceDraft = await readyDraft()
    const racing = await Promise.all(
      ['race-key-0001', 'race-key-0002'].map((key) =>
        call('POST', `/api/dossiers/drafts/${raceDraft}/submit`, 'congdan', undefined, { 'idempotency-key': key }),
      ),
    )
    t.same(
      racing.map((r) => r.statusCode),
      [201, 201],
    )
    t.equal(
      racing[0]!.json().dossierId,
      racing[1]!.json().dossierId,
      'two tabs submitting one draft with different keys: one dossier',
    )
    t.equal(otherKey.json().dossierId, submitted.json().dossierId, 'a submitted draft never becomes a second dossier')
    t.equal((await counts()).dossiers, before.dossiers! + 2, 'one dossier per draft')
    t.equal(
      (await call('PATCH', `/api/dossiers/drafts/${draftId}`, 'congdan', { formData: {} })).statusCode,
      409,
      'a submitted draft is no longer edited',
    )

    const dossierId = submitted.json().dossierId as string
    const mine = await call('GET', '/api/dossiers/mine', 'congdan')
    t.ok(
      mine.json().items.some((d: { id: string }) => d.id === dossierId),
      'in my dossiers',
    )

    // The counter officer of the commune accepts it through the task API; the code and appointment date follow.
    const task = await openTask(dossierId, 'Task_Receive')
    t.equal((await call('POST', `/api/tasks/${task.user_task_key}/claim`, 'motcua-xa')).statusCode, 200)
    const bad = await call('POST', `/api/tasks/${task.user_task_key}/complete`, 'motcua-xa', { decision: 'refuse' })
    t.equal(bad.statusCode, 400, 'a refusal needs a reason')
    t.ok(bad.json().errors.some((e: { field: string }) => e.field === 'body.reason'))
    t.equal(
      (await call('POST', `/api/tasks/${task.user_task_key}/complete`, 'motcua-xa', { decision: 'supplement' }))
        .statusCode,
      400,
      'a supplement request names what is missing',
    )
    t.equal(
      (await call('POST', `/api/tasks/${task.user_task_key}/complete`, 'motcua-xa', { decision: 'approve' }))
        .statusCode,
      400,
      'reception has no approve',
    )
    const accepted = await call('POST', `/api/tasks/${task.user_task_key}/complete`, 'motcua-xa', {
      decision: 'accept',
      note: 'đủ thành phần',
    })
    t.equal(accepted.statusCode, 200, accepted.body)
    const code = await eventually(
      'the code',
      async () => (await knex('dossiers').where({ id: dossierId }).first('code')).code as string | null,
    )
    const detail = await call('GET', `/api/dossiers/${dossierId}`, 'congdan')
    t.equal(detail.statusCode, 200)
    t.equal(detail.json().code, code)
    t.ok(detail.json().dueDate, 'my dossier shows the appointment date')
    t.ok(
      detail.json().timeline.some((e: { kind: string }) => e.kind === 'submitted'),
      'and its timeline',
    )
    const fileId = detail.json().attachments[0].fileId as string
    first = { dossierId, code, fileId }
  },
)

t.test(
  'who reaches the dossier: a citizen guessing another’s id and an officer of another unit get 404 (audited); the agency and its supervisor see it',
  async (t) => {
    const { dossierId } = first!
    const denied = Number(
      (await knex('audit_events').where({ action: 'access.denied', subject_id: dossierId }).count({ n: '*' }).first())!
        .n,
    )
    const guess = await call('GET', `/api/dossiers/${dossierId}`, 'doanhnghiep')
    t.equal(guess.statusCode, 404)
    t.equal(guess.json().code, 'MC_ERR_DOSSIER_NOT_FOUND')
    const unknown = await call('GET', `/api/dossiers/00000000-0000-4000-8000-000000000000`, 'doanhnghiep')
    t.equal(unknown.statusCode, 404, 'exactly like an id that does not exist')
    t.equal(unknown.json().code, guess.json().code)
    t.equal(
      (await call('GET', `/api/dossiers/${dossierId}`, 'canbo')).statusCode,
      404,
      'the provincial service centre’s counter does not cover the commune',
    )
    t.ok(
      Number(
        (await knex('audit_events')
          .where({ action: 'access.denied', subject_id: dossierId })
          .count({ n: '*' })
          .first())!.n,
      ) >=
        denied + 2,
      'the attempts are audited',
    )
    t.equal((await call('GET', `/api/dossiers/${dossierId}`, 'motcua-xa')).statusCode, 200, 'the commune’s counter')
    t.equal(
      (await call('GET', `/api/dossiers/${dossierId}`, 'lanhdao')).statusCode,
      200,
      'the province supervisor (subtree)',
    )
    t.equal((await call('GET', `/api/dossiers/${dossierId}`)).statusCode, 401, 'nobody without login')
    t.equal(
      (await call('GET', `/api/dossiers/${dossierId}`, 'phantich')).statusCode,
      404,
      'an analyst has no business with dossiers',
    )
    const unitList = await call('GET', '/api/dossiers?limit=200', 'lanhdao')
    t.ok(
      unitList.json().items.some((d: { id: string }) => d.id === dossierId),
      'in the province supervisor’s open dossiers',
    )
    t.notOk(
      (await call('GET', '/api/dossiers?limit=200', 'canbo'))
        .json()
        .items.some((d: { id: string }) => d.id === dossierId),
      'not in the provincial service centre counter’s',
    )
  },
)

t.test(
  'downloads: the owner and the agency get the file as stored, as an attachment, never sniffed; others 404',
  async (t) => {
    const { dossierId, fileId } = first!
    const url = `/api/dossiers/${dossierId}/attachments/${fileId}`
    const own = await call('GET', url, 'congdan')
    t.equal(own.statusCode, 200)
    t.equal(own.headers['content-type'], 'application/pdf')
    t.match(own.headers['content-disposition'], /^attachment; filename="/)
    t.equal(own.headers['x-content-type-options'], 'nosniff')
    t.same(own.rawPayload, makePdf())
    t.equal((await call('GET', url, 'motcua-xa')).statusCode, 200)
    t.equal((await call('GET', url, 'doanhnghiep')).statusCode, 404)
    t.equal((await call('GET', url, 'canbo')).statusCode, 404)
  },
)

t.test('printing: the receipt and the control sheet as HTML or PDF, for those who may read the dossier', async (t) => {
  const { dossierId, code } = first!
  const html = await call('GET', `/api/dossiers/${dossierId}/print/receipt`, 'congdan')
  t.equal(html.statusCode, 200)
  t.match(html.headers['content-type'], /^text\/html/)
  t.match(html.body, code, 'the receipt carries the code')
  const pdf = await call('GET', `/api/dossiers/${dossierId}/print/control-sheet?format=pdf`, 'motcua-xa')
  t.equal(pdf.statusCode, 200)
  t.equal(pdf.rawPayload.subarray(0, 5).toString(), '%PDF-')
  t.equal((await call('GET', `/api/dossiers/${dossierId}/print/receipt`, 'canbo')).statusCode, 404)
  t.equal((await call('GET', `/api/dossiers/${dossierId}/print/nothing`, 'congdan')).statusCode, 400)
  t.equal(
    (await call('GET', `/api/dossiers/${dossierId}/print/apology`, 'congdan')).statusCode,
    409,
    'no apology before an extension',
  )
  // An extension recorded on the timeline (the extension itself, R9, is tested with a manual clock in
  // dossiers-detours).
  const officerId = ((await knex('users').where({ username: 'motcua-xa' }).first('id')) as { id: string }).id
  const [event] = await knex('dossier_events')
    .insert({
      dossier_id: dossierId,
      kind: 'extended',
      actor_id: officerId,
      data: { originalDueDate: '2026-03-16', newDueDate: '2026-03-20', reason: 'Chờ kết quả xác minh của xã khác' },
    })
    .returning('id')
  const apology = await call('GET', `/api/dossiers/${dossierId}/print/apology`, 'congdan')
  t.equal(apology.statusCode, 200, 'the apology with the new date (Mẫu 04) prints once extended')
  t.match(apology.body, 'PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ')
  t.match(apology.body, 'Chờ kết quả xác minh của xã khác')
  t.match(apology.body, 'ngày 20 tháng 03 năm 2026', 'the new appointment date')
  await knex('dossier_events')
    .where({ id: (event as { id: string }).id })
    .delete()
})

t.test('the worklist and tasks: my unit and groups only; another unit’s task is not found', async (t) => {
  const draftId = await readyDraft()
  const { dossierId } = (
    await call('POST', `/api/dossiers/drafts/${draftId}/submit`, 'congdan', undefined, {
      'idempotency-key': 'submit-birth-0003',
    })
  ).json()
  const task = await openTask(dossierId, 'Task_Receive')
  const list = await call('GET', '/api/tasks?limit=200', 'motcua-xa')
  t.equal(list.statusCode, 200)
  t.ok(
    list.json().items.some((i: { taskKey: string }) => i.taskKey === task.user_task_key),
    'the commune counter sees it',
  )
  const other = await call('GET', '/api/tasks?limit=200', 'canbo')
  t.notOk(
    other.json().items.some((i: { taskKey: string }) => i.taskKey === task.user_task_key),
    'the provincial service centre’s counter does not',
  )
  t.equal((await call('GET', `/api/tasks/${task.user_task_key}`, 'canbo')).statusCode, 404)
  t.equal((await call('POST', `/api/tasks/${task.user_task_key}/claim`, 'canbo')).statusCode, 404)
  t.equal((await call('GET', '/api/tasks', 'congdan')).statusCode, 403, 'citizens have no worklist')
  const filtered = await call(
    'GET',
    `/api/tasks?q=${encodeURIComponent('nguyễn văn an')}&procedure=dang-ky-khai-sinh&limit=1`,
    'motcua-xa',
  )
  t.equal(filtered.json().items.length, 1, 'filtered by applicant name without case and by procedure')

  const detail = await call('GET', `/api/tasks/${task.user_task_key}`, 'motcua-xa')
  t.equal(detail.statusCode, 200)
  t.same(detail.json().decisionForm.properties.decision.enum, ['accept', 'supplement', 'refuse'])
  t.same(detail.json().dossier.formData, birthForm, 'with the form data')
  t.equal(detail.json().dossier.attachments.length, 3, 'and the attachments')

  // Claimed by the counter officer: a second officer of the group gets 409; the supervisor reassigns.
  t.equal((await call('POST', `/api/tasks/${task.user_task_key}/claim`, 'motcua-xa')).statusCode, 200)
  t.equal(
    (
      await call('POST', `/api/tasks/${task.user_task_key}/assign`, 'motcua-xa', {
        assigneeId: '00000000-0000-4000-8000-000000000000',
      })
    ).statusCode,
    403,
    'officers do not assign',
  )
  const leaderClaims = await call('POST', `/api/tasks/${task.user_task_key}/claim`, 'lanhdao-xa')
  t.equal(leaderClaims.statusCode, 404, 'not in the counter group: no such task for them')
  const counterId = (await knex('users').where({ username: 'motcua-xa' }).first('id')).id as string
  t.equal(
    (await call('POST', `/api/tasks/${task.user_task_key}/assign`, 'lanhdao-xa', { assigneeId: counterId })).statusCode,
    200,
    'the commune supervisor assigns',
  )
  t.equal((await call('POST', `/api/tasks/${task.user_task_key}/unclaim`, 'motcua-xa')).statusCode, 200)

  // The citizen withdraws; the task goes away.
  const withdrawn = await call('POST', `/api/dossiers/${dossierId}/withdraw`, 'congdan', { reason: 'nộp nhầm' })
  t.equal(withdrawn.statusCode, 200)
  t.equal(withdrawn.json().status, 7)
  t.equal((await call('POST', `/api/dossiers/${dossierId}/withdraw`, 'congdan', {})).statusCode, 409, 'once')
})

t.test(
  'a supplement when asked: the counter names what is missing, the applicant uploads it and hands it in',
  async (t) => {
    const draftId = await readyDraft()
    const { dossierId } = (
      await call('POST', `/api/dossiers/drafts/${draftId}/submit`, 'congdan', undefined, {
        'idempotency-key': 'submit-birth-0004',
      })
    ).json()
    const task = await openTask(dossierId, 'Task_Receive')
    const asked = await call('POST', `/api/tasks/${task.user_task_key}/complete`, 'motcua-xa', {
      decision: 'supplement',
      missing: ['giay-chung-sinh'],
      note: 'Bản chụp mờ',
    })
    t.equal(asked.statusCode, 200, asked.body)
    await eventually(
      'status 5',
      async () => (await knex('dossiers').where({ id: dossierId }).first('status')).status === 5,
    )
    const detail = (await call('GET', `/api/dossiers/${dossierId}`, 'congdan')).json()
    t.same(detail.supplement.missing, ['giay-chung-sinh'], 'the applicant sees what is missing')
    t.equal(
      (await upload('doanhnghiep', `/api/dossiers/${dossierId}/attachments/giay-chung-sinh`, makePdf(), 'x.pdf'))
        .statusCode,
      404,
      'not into someone else’s dossier',
    )
    const file = await upload(
      'congdan',
      `/api/dossiers/${dossierId}/attachments/giay-chung-sinh`,
      makePdf(),
      'giay-chung-sinh-ro.pdf',
    )
    t.equal(file.statusCode, 201)
    t.equal((await call('POST', `/api/dossiers/${dossierId}/supplement`, 'doanhnghiep', {})).statusCode, 404)

    // Nothing, or not what was asked without a word why: refused, naming what is missing; the request stays open.
    const empty = await call('POST', `/api/dossiers/${dossierId}/supplement`, 'congdan', {})
    t.equal(empty.statusCode, 422)
    t.equal(empty.json().code, 'MC_ERR_SUPPLEMENT_EMPTY')
    t.match(empty.json().message, { vi: /chưa có gì/, en: /empty/ })
    const formOnly = await call('POST', `/api/dossiers/${dossierId}/supplement`, 'congdan', {
      formData: (await knex('dossiers').where({ id: dossierId }).first('form_data')).form_data,
    })
    t.equal(formOnly.statusCode, 422)
    t.match(formOnly.json(), {
      code: 'MC_ERR_SUPPLEMENT_INCOMPLETE',
      message: { vi: /^Chưa bổ sung: Bản chính Giấy chứng sinh/, en: /^Not handed in yet: Bản chính Giấy chứng sinh/ },
      missing: [{ componentId: 'giay-chung-sinh', name: /^Bản chính Giấy chứng sinh/ }],
    })
    t.match(
      await knex('dossiers').where({ id: dossierId }).first('status', 'supplement_request'),
      { status: 5, supplement_request: { missing: ['giay-chung-sinh'] } },
      'nothing changed',
    )

    const handedIn = await call('POST', `/api/dossiers/${dossierId}/supplement`, 'congdan', {
      attachments: [{ componentId: 'giay-chung-sinh', fileId: file.json().fileId }],
      note: 'Đã chụp lại',
    })
    t.equal(handedIn.statusCode, 200, handedIn.body)
    t.equal(handedIn.json().status, 1, 'back at the counter')
    t.same(handedIn.json().stillMissing, [], 'everything asked was handed in')

    // Asked again at the counter; this time the applicant cannot bring it and says why: taken, and the answer
    // names what is still missing.
    const again = await openTask(dossierId, 'Task_Receive')
    const askedAgain = await call('POST', `/api/tasks/${again.user_task_key}/complete`, 'motcua-xa', {
      decision: 'supplement',
      missing: ['giay-chung-sinh'],
      note: 'Vẫn còn mờ',
    })
    t.equal(askedAgain.statusCode, 200, askedAgain.body)
    await eventually(
      'status 5 again',
      async () => (await knex('dossiers').where({ id: dossierId }).first('status')).status === 5,
    )
    const explained = await call('POST', `/api/dossiers/${dossierId}/supplement`, 'congdan', {
      note: 'Giấy chứng sinh bị mất; tôi nộp giấy cam đoan tại quầy',
    })
    t.equal(explained.statusCode, 200, explained.body)
    t.match(explained.json().stillMissing, [{ componentId: 'giay-chung-sinh', name: /Giấy chứng sinh/ }])
    const received = await knex('dossier_events')
      .where({ dossier_id: dossierId, kind: 'supplement_received' })
      .orderBy('id', 'desc')
      .first('data')
    t.same(received.data.stillMissing, ['giay-chung-sinh'], 'the timeline keeps what is still missing')
    await openTask(dossierId, 'Task_Receive')
    t.equal(
      (await call('POST', `/api/dossiers/${dossierId}/supplement`, 'congdan', {})).statusCode,
      409,
      'nothing is asked any more',
    )
  },
)

t.test('reuse: a document of my own earlier dossier by its code, not someone else’s', async (t) => {
  const { code } = first!
  const mineDraft = (
    await call('POST', '/api/dossiers/drafts', 'congdan', {
      procedure: 'dang-ky-khai-sinh',
      agencyUnitId: 'xa-an-binh',
    })
  ).json().id as string
  const reused = await call('POST', `/api/dossiers/drafts/${mineDraft}/attachments/giay-to-tuy-than/reuse`, 'congdan', {
    dossierCode: code,
  })
  t.equal(reused.statusCode, 200)
  t.same(reused.json().attachments, [{ componentId: 'giay-to-tuy-than', reuseFromDossierCode: code }], 'no re-upload')
  t.equal(
    (
      await call('POST', `/api/dossiers/drafts/${mineDraft}/attachments/to-khai/reuse`, 'congdan', {
        dossierCode: code,
      })
    ).statusCode,
    422,
    'a component that is not reusable',
  )
  const theirs = (
    await call('POST', '/api/dossiers/drafts', 'doanhnghiep', {
      procedure: 'dang-ky-khai-sinh',
      agencyUnitId: 'xa-an-binh',
    })
  ).json().id as string
  const stolen = await call(
    'POST',
    `/api/dossiers/drafts/${theirs}/attachments/giay-to-tuy-than/reuse`,
    'doanhnghiep',
    { dossierCode: code },
  )
  t.equal(stolen.statusCode, 422)
  t.equal(stolen.json().code, 'MC_ERR_ATTACHMENT_INVALID')
  const nothing = await call(
    'POST',
    `/api/dossiers/drafts/${theirs}/attachments/giay-to-tuy-than/reuse`,
    'doanhnghiep',
    { dossierCode: 'X99.30-261123-9999' },
  )
  t.same(nothing.json().message, stolen.json().message, 'answered like a code that does not exist')
})

t.test(
  'the fee: a sandbox payment (no real money) confirmed by a signed callback resumes the dossier; a forged one is refused',
  async (t) => {
    const { dossierId } = first!
    const task = await openTask(dossierId)
    const officer = task.candidate_groups.includes('tu-phap-ho-tich') ? 'tuphap-xa' : 'lanhdao-xa'
    t.equal(
      (await call('POST', `/api/dossiers/${dossierId}/payments`, 'congdan', {})).statusCode,
      409,
      'nothing to pay yet',
    )
    t.equal(
      (
        await call('POST', `/api/dossiers/${dossierId}/suspend-for-payment`, 'congdan', {
          amountVnd: 8000,
          reason: 'lệ phí',
        })
      ).statusCode,
      404,
      'the applicant does not suspend',
    )
    t.equal(
      (
        await call('POST', `/api/dossiers/${dossierId}/suspend-for-payment`, 'canbo', {
          amountVnd: 8000,
          reason: 'lệ phí',
        })
      ).statusCode,
      404,
      'nor another unit',
    )
    t.equal(
      (await call('POST', `/api/dossiers/${dossierId}/suspend-for-payment`, officer, { amountVnd: 8000 })).statusCode,
      400,
      'a reason is required',
    )
    const suspended = await call('POST', `/api/dossiers/${dossierId}/suspend-for-payment`, officer, {
      amountVnd: 8000,
      reason: 'lệ phí',
    })
    t.equal(suspended.statusCode, 200, suspended.body)
    t.equal(suspended.json().status, 6)
    t.equal(
      (await call('POST', `/api/dossiers/${dossierId}/payments`, 'doanhnghiep', {})).statusCode,
      404,
      'only the applicant pays through the portal',
    )
    const started = await call('POST', `/api/dossiers/${dossierId}/payments`, 'congdan', {})
    t.equal(started.statusCode, 201)
    t.match(started.json(), {
      provider: 'sandbox',
      sandbox: true,
      providerLabel: /SANDBOX — không thu tiền thật/,
      amountVnd: 8000,
      status: 'pending',
      redirectUrl: /^\/api\/payments\/sandbox/,
    })
    const again = await Promise.all([
      call('POST', `/api/dossiers/${dossierId}/payments`, 'congdan', {}),
      call('POST', `/api/dossiers/${dossierId}/payments`, 'congdan', {}),
    ])
    t.same(
      again.map((r) => [r.statusCode, r.json().reference, r.json().reused]),
      [
        [201, started.json().reference, true],
        [201, started.json().reference, true],
      ],
      'a retried start (even two at once) answers the open payment again',
    )
    t.equal(
      Number((await knex('payments').where({ dossier_id: dossierId }).count({ n: '*' }).first())!.n),
      1,
      'so the applicant cannot be charged twice',
    )
    const page = await call('GET', started.json().redirectUrl)
    t.equal(page.statusCode, 200, 'the sandbox checkout page')
    t.match(page.body, 'SANDBOX — không thu tiền thật / no real money')
    const cancel = await app.inject({
      method: 'POST',
      url: '/api/payments/sandbox/checkout',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({
        reference: started.json().reference,
        returnUrl: '/ho-so',
        status: 'failed',
        // The payer's checkout token, as the page's form carries it.
        checkoutToken: new URL(started.json().redirectUrl, 'http://x').searchParams.get('checkoutToken')!,
      }).toString(),
    })
    t.equal(cancel.statusCode, 303)
    t.match(cancel.headers.location, /^\/ho-so\?payment=.*&status=failed$/)
    t.equal(
      (await knex('dossiers').where({ id: dossierId }).first('status')).status,
      6,
      'a cancelled payment leaves the dossier waiting',
    )

    const retry = await call('POST', `/api/dossiers/${dossierId}/payments`, 'congdan', {})
    const reference = retry.json().reference as string
    t.not(reference, started.json().reference, 'after a cancelled payment a new one is opened')
    const forged = await call('POST', '/api/payments/sandbox/callback', undefined, {
      reference,
      status: 'paid',
      signature: 'f'.repeat(64),
    })
    t.equal(forged.statusCode, 400)
    t.equal(forged.json().code, 'MC_ERR_PAYMENT_SIGNATURE')
    t.equal((await knex('dossiers').where({ id: dossierId }).first('status')).status, 6, 'still waiting for payment')
    const signature = (await import('../src/api/dossiers/context.js'))
      .dossierContext(app)
      .sandbox.sign(reference, 'paid')
    const paid = await call('POST', '/api/payments/sandbox/callback', undefined, {
      reference,
      status: 'paid',
      signature,
    })
    t.equal(paid.statusCode, 200)
    t.equal(paid.json().status, 'paid')
    t.equal((await knex('dossiers').where({ id: dossierId }).first('status')).status, 4, 'processing again')
    const twice = await call('POST', '/api/payments/sandbox/callback', undefined, {
      reference,
      status: 'paid',
      signature,
    })
    t.equal(twice.json().status, 'paid', 'the same callback again changes nothing')
    t.equal(
      Number(
        (await knex('dossier_events').where({ dossier_id: dossierId, kind: 'paid' }).count({ n: '*' }).first())!.n,
      ),
      1,
    )
  },
)

t.test('the result is returned and rated once (1–5 with a comment), by its applicant only', async (t) => {
  const { dossierId } = first!
  t.equal(
    (await call('POST', `/api/dossiers/${dossierId}/rating`, 'congdan', { score: 5 })).statusCode,
    409,
    'not before the result is returned',
  )
  // review → sign → (issue result) → return at the counter, all through the task API
  for (const [element, who, body] of [
    ['Task_Review', 'tuphap-xa', { decision: 'approve' }],
    ['Task_Sign', 'lanhdao-xa', { decision: 'approve' }],
    ['Task_Return', 'motcua-xa', { decision: 'returned' }],
  ] as const) {
    const task = await openTask(dossierId, element)
    const res = await call('POST', `/api/tasks/${task.user_task_key}/complete`, who, body)
    t.equal(res.statusCode, 200, `${element}: ${res.body}`)
  }
  await eventually(
    'status 10',
    async () => (await knex('dossiers').where({ id: dossierId }).first('status')).status === 10,
  )
  t.equal(
    (await call('POST', `/api/dossiers/${dossierId}/rating`, 'doanhnghiep', { score: 1 })).statusCode,
    404,
    'not someone else’s',
  )
  t.equal((await call('POST', `/api/dossiers/${dossierId}/rating`, 'congdan', { score: 6 })).statusCode, 400)
  const rated = await call('POST', `/api/dossiers/${dossierId}/rating`, 'congdan', {
    score: 5,
    comment: 'Nhanh, đúng hẹn',
  })
  t.equal(rated.statusCode, 201)
  t.match(rated.json(), { score: 5, comment: 'Nhanh, đúng hẹn' })
  const again = await call('POST', `/api/dossiers/${dossierId}/rating`, 'congdan', { score: 1 })
  t.equal(again.statusCode, 409)
  t.equal(again.json().code, 'MC_ERR_ALREADY_RATED')
})

t.test('counter intake: an officer enters a walk-in dossier for an applicant; not for another unit', async (t) => {
  const file = await upload(
    'motcua-xa',
    '/api/dossiers/drafts/00000000-0000-4000-8000-000000000000/attachments/to-khai',
    makePdf(),
    'x.pdf',
  )
  t.equal(file.statusCode, 403, 'officers have no drafts')
  const body = {
    procedure: 'dang-ky-khai-sinh',
    agencyUnitId: 'xa-an-binh',
    formData: birthForm,
    deliveryMethod: 'counter',
    applicant: { name: 'Trần Văn Khách', idNumber: '001090000077' },
  }
  const entered = await call('POST', '/api/counter/dossiers', 'motcua-xa', body, { 'idempotency-key': 'counter-0001' })
  t.equal(entered.statusCode, 201, entered.body)
  const retried = await call('POST', '/api/counter/dossiers', 'motcua-xa', body, { 'idempotency-key': 'counter-0001' })
  t.same(retried.json(), entered.json())
  t.equal(
    (await call('POST', '/api/counter/dossiers', 'canbo', body, { 'idempotency-key': 'counter-0002' })).statusCode,
    403,
    'the provincial service centre’s counter does not receive for the commune',
  )
  t.equal(
    (await call('POST', '/api/counter/dossiers', 'congdan', body, { 'idempotency-key': 'counter-0003' })).statusCode,
    403,
  )
})

t.test(
  'public lookup: right ID answers status, step, agency and appointment date only; a wrong ID answers like an unknown code',
  async (t) => {
    const { code } = first!
    const right = await call('GET', `/api/public/dossiers/lookup?code=${code}&idNumber=001090000001`)
    t.equal(right.statusCode, 200)
    t.same(Object.keys(right.json()).sort(), [
      'agency',
      'appointmentDate',
      'code',
      'currentStep',
      'procedureName',
      'status',
      'statusLabel',
    ])
    // Whether their timing differs is measured, interleaved and against chance, by scripts/bench-api.ts
    // (docs/benchmarks.md).
    const wrongId = await call('GET', `/api/public/dossiers/lookup?code=${code}&idNumber=001090000002`)
    const noCode = await call('GET', `/api/public/dossiers/lookup?code=X99.30-010101-0001&idNumber=001090000001`)
    t.equal(wrongId.statusCode, 404)
    t.equal(noCode.statusCode, 404)
    const strip = (r: LightMyRequestResponse) => ({ ...r.json(), instance: undefined })
    t.same(strip(wrongId), strip(noCode), 'the same problem')
    t.equal((await call('GET', `/api/public/dossiers/lookup?code=${code}`)).statusCode, 400)
  },
)
