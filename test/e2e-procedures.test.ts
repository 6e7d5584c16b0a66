// End to end through the HTTP API and the embedded engine: a dossier of each of the five reference procedures goes
// from the citizen's draft to the returned result (status 10), every step worked by the officer group the
// workflow names, as those users see it — the code after acceptance, the appointment date and receipt, the task in
// the right worklist, and the timeline. Across the file: a supplement round trip at reception and a refusal in review.
// The household business asks for its fee when the counter accepts (status 6): the citizen pays through the sandbox
// gateway (signed callback) and the receipt follows. E2E_ONLY=<slug> runs one procedure.
import t, { type Test } from 'tap'
import type { LightMyRequestResponse } from 'fastify'
import { seedProcedures } from '../src/catalogue/service.js'
import { seedCalendar } from '../src/db/calendar-repository.js'
import { dossierContext } from '../src/api/dossiers/context.js'
import { buildTestApp } from './helpers/app.js'
import { birthForm, constructionForm, householdForm } from './helpers/dossiers.js'
import { makePdf } from './helpers/files.js'
import { eventually } from './helpers/eventually.js'

const built = await buildTestApp(t)
const { app, db } = built
await seedCalendar(db.knex)
const report = await seedProcedures(db.knex, app.engine)
if (report.failed.length) throw new Error(JSON.stringify(report.failed))

// Login is rate-limited: each account logs in once for the file.
const sessions = new Map<string, Promise<{ authorization: string }>>()
const as = (username: string) => {
  if (!sessions.has(username))
    sessions.set(
      username,
      built.loginAs(username).then(({ authorization }) => ({ authorization })),
    )
  return sessions.get(username)!
}

type Method = 'GET' | 'POST' | 'PATCH'
async function call(
  method: Method,
  url: string,
  who?: string,
  payload?: unknown,
  headers: Record<string, string> = {},
): Promise<LightMyRequestResponse> {
  return app.inject({
    method,
    url,
    headers: { ...(who ? await as(who) : {}), ...headers },
    ...(payload !== undefined ? { payload: payload as object } : {}),
  })
}

async function upload(who: string, url: string, filename: string): Promise<LightMyRequestResponse> {
  const boundary = `----motcua${Math.random().toString(16).slice(2)}`
  const payload = Buffer.concat([
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: application/pdf\r\n\r\n`,
    ),
    makePdf(),
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ])
  return app.inject({
    method: 'POST',
    url,
    payload,
    headers: { ...(await as(who)), 'content-type': `multipart/form-data; boundary=${boundary}` },
  })
}

/** The whole procedure runs through the workers and the engine: waits are longer than elsewhere. */
const timeoutMs = 30_000

interface Detail {
  id: string
  code: string | null
  status: number
  dueDate: string | null
  timeline: Record<string, unknown>[]
  supplement?: { missing: string[] }
}
const detail = async (dossierId: string, who = 'congdan'): Promise<Detail> => {
  const res = await call('GET', `/api/dossiers/${dossierId}`, who)
  if (res.statusCode !== 200) throw new Error(`detail ${dossierId}: ${res.statusCode} ${res.body}`)
  return res.json() as Detail
}
/** For a failure message only: where the dossier and its process stand (status, step, incidents, tasks). */
async function diagnose(dossierId: string): Promise<string> {
  const d = await db
    .knex('dossiers')
    .where({ id: dossierId })
    .first('status', 'code', 'current_step', 'process_instance_key')
  const instance = d?.process_instance_key ? await app.engine.getProcessInstance(d.process_instance_key) : undefined
  const tasks = await db.knex('tasks').where({ dossier_id: dossierId }).select('element_id', 'state')
  const events = await db.knex('dossier_events').where({ dossier_id: dossierId }).select('kind', 'data')
  const commands = await db
    .knex('engine_commands')
    .where({ dossier_id: dossierId })
    .select('kind', 'status', 'attempts', 'last_error', 'payload')
  return JSON.stringify({ d, instance, tasks, events, commands })
}
const status = (dossierId: string, wanted: number) =>
  eventually(
    `status ${wanted} of ${dossierId}`,
    async () => {
      const d = await detail(dossierId)
      return d.status === wanted ? d : undefined
    },
    timeoutMs,
  ).catch(async (err) => {
    throw new Error(`${(err as Error).message}: ${await diagnose(dossierId)}`)
  })

interface WorkItem {
  taskKey: string
  elementId: string
  candidateGroups?: string[]
  dossier: { id: string; code: string | null }
}
/** Waits until the task shows in the officer's worklist (the API, not the database) and returns it. */
const inWorklist = (who: string, dossierId: string, elementId: string, procedure: string) =>
  eventually(
    `${elementId} of ${dossierId} in the worklist of ${who}`,
    async () => {
      const res = await call('GET', `/api/tasks?procedure=${procedure}&limit=200`, who)
      if (res.statusCode !== 200) throw new Error(`worklist ${who}: ${res.statusCode} ${res.body}`)
      return (res.json().items as WorkItem[]).find((i) => i.dossier.id === dossierId && i.elementId === elementId)
    },
    timeoutMs,
  )

const marriageForm = {
  nguoiYeuCau: {
    hoTen: 'Nguyễn Văn An',
    soDinhDanh: '001090000001',
    soDienThoai: '0912345678',
    noiCuTru: { tinh: 'Tỉnh Demo', xa: 'Xã An Bình' },
  },
  tinhTrangHonNhan: 'chua-ket-hon',
  mucDichSuDung: 'Đăng ký kết hôn tại UBND xã An Bình',
}
const extractForm = {
  nguoiYeuCau: {
    hoTen: 'Nguyễn Văn An',
    soDinhDanh: '001090000001',
    soDienThoai: '0912345678',
    noiCuTru: { tinh: 'Tỉnh Demo', xa: 'Xã An Bình' },
  },
  loaiTrichLuc: 'khai-sinh',
  nguoiDuocCap: { hoTen: 'Nguyễn Văn An', ngaySinh: '1990-05-01' },
  soBanSao: 2,
}

type Step = [elementId: string, officer: string, group: string, body: Record<string, unknown>]
interface Procedure {
  slug: string
  feeBeforeReception?: boolean
  formData: Record<string, unknown>
  uploads: string[]
  steps: Step[]
}

// Steps after reception, each worked by an officer of the group the BPMN names (seed.ts: commune officers).
const allProcedures: Procedure[] = [
  {
    slug: 'dang-ky-khai-sinh',
    formData: birthForm,
    uploads: ['to-khai', 'giay-chung-sinh', 'giay-to-tuy-than'],
    steps: [
      ['Task_Review', 'tuphap-xa', 'tu-phap-ho-tich', { decision: 'approve' }],
      ['Task_Sign', 'lanhdao-xa', 'lanh-dao-xa', { decision: 'approve' }],
    ],
  },
  {
    slug: 'xac-nhan-tinh-trang-hon-nhan',
    formData: marriageForm,
    uploads: ['to-khai', 'giay-to-tuy-than'],
    steps: [
      [
        'Task_Review',
        'tuphap-xa',
        'tu-phap-ho-tich',
        { decision: 'approve', verificationNeeded: true, note: 'Đã từng cư trú nơi khác: xác minh' },
      ],
      [
        'Task_Verify',
        'tuphap-xa',
        'xac-minh-lien-xa',
        { decision: 'approve', note: 'Xã Bình Minh trả lời: chưa đăng ký kết hôn' },
      ],
      ['Task_Sign', 'lanhdao-xa', 'lanh-dao-xa', { decision: 'approve' }],
    ],
  },
  {
    slug: 'cap-ban-sao-trich-luc-ho-tich',
    formData: extractForm,
    uploads: ['to-khai', 'giay-to-tuy-than'],
    steps: [
      ['Task_Extract', 'tuphap-xa', 'tu-phap-ho-tich', { decision: 'approve' }],
      ['Task_Sign', 'lanhdao-xa', 'lanh-dao-xa', { decision: 'approve' }],
    ],
  },
  {
    slug: 'cap-giay-phep-xay-dung-nha-o-rieng-le',
    formData: constructionForm,
    uploads: ['don-de-nghi', 'giay-to-quyen-su-dung-dat', 'ban-ve-thiet-ke', 'giay-to-tuy-than'],
    steps: [
      ['Task_Appraise', 'kinhte-xa', 'kinh-te-ha-tang-do-thi', { decision: 'approve' }],
      ['Task_SiteInspection', 'kinhte-xa', 'kinh-te-ha-tang-do-thi', { decision: 'approve', consultationNeeded: true }],
      ['Task_Consult', 'phoihop', 'co-quan-phoi-hop', { decision: 'approve', note: 'Không có ý kiến khác' }],
      ['Task_Sign', 'lanhdao-xa', 'lanh-dao-ubnd', { decision: 'approve' }],
    ],
  },
  {
    slug: 'dang-ky-thanh-lap-ho-kinh-doanh',
    feeBeforeReception: true,
    formData: householdForm,
    uploads: ['giay-de-nghi', 'giay-to-tuy-than'],
    steps: [
      ['Task_Review', 'kinhte-xa', 'dang-ky-kinh-doanh', { decision: 'approve' }],
      ['Task_Sign', 'lanhdao-xa', 'lanh-dao-phong', { decision: 'approve' }],
    ],
  },
]
const procedures = allProcedures.filter((p) => !process.env.E2E_ONLY || p.slug === process.env.E2E_ONLY)

/** The citizen drafts, autosaves, uploads the required documents and submits with an Idempotency-Key. */
async function submit(
  t: Test,
  slug: string,
  formData: Record<string, unknown>,
  uploads: string[],
  key: string,
): Promise<string> {
  const created = await call('POST', '/api/dossiers/drafts', 'congdan', { procedure: slug, agencyUnitId: 'xa-an-binh' })
  t.equal(created.statusCode, 201, `draft: ${created.body}`)
  const draftId = created.json().id as string
  const saved = await call('PATCH', `/api/dossiers/drafts/${draftId}`, 'congdan', {
    formData,
    deliveryMethod: 'counter',
  })
  t.equal(saved.statusCode, 200, `autosave: ${saved.body}`)
  for (const component of uploads) {
    const res = await upload('congdan', `/api/dossiers/drafts/${draftId}/attachments/${component}`, `${component}.pdf`)
    t.equal(res.statusCode, 201, `upload ${component}: ${res.body}`)
  }
  const submitted = await call('POST', `/api/dossiers/drafts/${draftId}/submit`, 'congdan', undefined, {
    'idempotency-key': key,
  })
  t.equal(submitted.statusCode, 201, `submit: ${submitted.body}`)
  t.match(submitted.json(), { status: 1, code: null }, 'submitted (status 1); no code before acceptance')
  const retried = await call('POST', `/api/dossiers/drafts/${draftId}/submit`, 'congdan', undefined, {
    'idempotency-key': key,
  })
  t.equal(retried.json().dossierId, submitted.json().dossierId, 'a retried submit is the same dossier')
  return submitted.json().dossierId as string
}

const codePattern = /^X99\.30-\d{6}-\d{4}$/

/** Completes a task from the worklist of `who` (claim, then complete) and checks the API accepted it. */
async function work(t: Test, who: string, item: WorkItem, body: Record<string, unknown>) {
  const claimed = await call('POST', `/api/tasks/${item.taskKey}/claim`, who)
  t.equal(claimed.statusCode, 200, `${who} claims ${item.elementId}: ${claimed.body}`)
  const done = await call('POST', `/api/tasks/${item.taskKey}/complete`, who, body)
  t.equal(done.statusCode, 200, `${who} completes ${item.elementId} (${String(body.decision)}): ${done.body}`)
}

/** Reception (accept) → every processing step → return at the counter → status 10; asserts what users see. */
async function driveToResult(t: Test, p: Procedure, dossierId: string) {
  const reception = await inWorklist('motcua-xa', dossierId, 'Task_Receive', p.slug)
  t.equal(
    (await call('GET', `/api/tasks/${reception.taskKey}`, 'canbo')).statusCode,
    404,
    'not the provincial service centre counter’s task',
  )
  await work(t, 'motcua-xa', reception, { decision: 'accept', note: 'đủ thành phần' })

  if (p.feeBeforeReception) {
    // The household-business workflow asks for the fee once the counter accepts (status 6); the receipt follows
    // payment.
    await status(dossierId, 6)
    const started = await call('POST', `/api/dossiers/${dossierId}/payments`, 'congdan', {})
    t.equal(started.statusCode, 201, `payment started: ${started.body}`)
    t.match(started.json(), { provider: 'sandbox', sandbox: true, status: 'pending' })
    const reference = started.json().reference as string
    const signature = dossierContext(app).sandbox.sign(reference, 'paid')
    const paid = await call('POST', '/api/payments/sandbox/callback', undefined, {
      reference,
      status: 'paid',
      signature,
    })
    t.equal(paid.statusCode, 200, `paid: ${paid.body}`)
  }
  const accepted = await eventually(
    `the code of ${dossierId}`,
    async () => {
      const d = await detail(dossierId)
      return d.code ? d : undefined
    },
    timeoutMs,
  ).catch(async (err) => {
    throw new Error(`${(err as Error).message}: ${await diagnose(dossierId)}`)
  })
  t.match(accepted.code, codePattern, `the code ${accepted.code} has the form <agency>-YYMMDD-XXXX`)
  t.match(accepted.dueDate, /^\d{4}-\d{2}-\d{2}/, `the appointment date ${accepted.dueDate} is on the dossier`)
  const receipt = await call('GET', `/api/dossiers/${dossierId}/print/receipt`, 'congdan')
  t.equal(receipt.statusCode, 200, 'the receipt prints')
  t.ok(receipt.body.includes(accepted.code!), 'the receipt carries the code')
  const lookup = await call('GET', `/api/public/dossiers/lookup?code=${accepted.code}&idNumber=001090000001`)
  t.equal(lookup.statusCode, 200, 'the public lookup finds it')

  for (const [elementId, officer, group, body] of p.steps) {
    const item = await inWorklist(officer, dossierId, elementId, p.slug)
    t.ok(item.candidateGroups?.includes(group), `${elementId} is for group ${group}`)
    t.equal(item.dossier.code, accepted.code, `${elementId} shows the code in the worklist of ${officer}`)
    await work(t, officer, item, body)
  }

  const back = await inWorklist('motcua-xa', dossierId, 'Task_Return', p.slug)
  await work(t, 'motcua-xa', back, { decision: 'returned' })
  const done = await status(dossierId, 10)
  t.equal(done.code, accepted.code)
  const timeline = done.timeline as Array<{ kind: string; stepId: string | null; data: Record<string, unknown> }>
  const decided = timeline.filter((e) => e.kind === 'decision').map((e) => `${e.stepId}:${String(e.data.decision)}`)
  for (const [elementId, , , body] of [
    ['Task_Receive', '', '', { decision: 'accept' }] as Step,
    ...p.steps,
    ['Task_Return', '', '', { decision: 'returned' }] as Step,
  ]) {
    t.ok(
      decided.includes(`${elementId}:${String(body.decision)}`),
      `the timeline shows ${elementId} (${String(body.decision)})`,
    )
  }
  for (const { stepId } of p.steps.map(([stepId]) => ({ stepId })))
    t.ok(
      timeline.some((e) => e.kind === 'handoff' && e.stepId === stepId),
      `the timeline shows the hand-off to ${stepId}`,
    )
  const kinds = timeline.map((e) => e.kind)
  t.equal(kinds[0], 'submitted', 'the timeline starts with the submission')
  t.ok(kinds.includes('completeness_checked'), 'the automatic completeness check')
  t.match(
    timeline.find((e) => e.kind === 'received')?.data,
    { code: accepted.code, appointmentDate: accepted.dueDate },
    'the receipt with the code and the appointment date',
  )
  t.match(
    timeline.find((e) => e.kind === 'result_issued')?.data,
    { resultNo: new RegExp(`^${accepted.code!.replaceAll('.', '\\.')}`) },
    'the result issued',
  )
  t.match(timeline.at(-1), { kind: 'closed', data: { status: 10, outcome: 'returned' } }, 'and ends returned')
  t.equal(
    (await call('POST', `/api/dossiers/${dossierId}/rating`, 'congdan', { score: 5, comment: 'Đúng hẹn' })).statusCode,
    201,
    'the applicant rates the result',
  )
  return done
}

for (const [i, p] of procedures.entries()) {
  t.test(`${p.slug}: submitted online, received, processed by each step, returned (status 10)`, async (t) => {
    const dossierId = await submit(t, p.slug, p.formData, p.uploads, `e2e-${p.slug}-${i}`)
    if (p.slug === 'dang-ky-khai-sinh') {
      // A supplement round trip at reception: the counter names what is missing, the citizen uploads and hands it in.
      const reception = await inWorklist('motcua-xa', dossierId, 'Task_Receive', p.slug)
      await work(t, 'motcua-xa', reception, {
        decision: 'supplement',
        missing: ['giay-chung-sinh'],
        note: 'Bản chụp mờ',
      })
      const waiting = await status(dossierId, 5)
      t.same(waiting.supplement?.missing, ['giay-chung-sinh'], 'the citizen sees what is missing')
      const slip = await call('GET', `/api/dossiers/${dossierId}/print/supplement-request`, 'congdan')
      t.equal(slip.statusCode, 200, 'the supplement request (Mẫu 02) prints')
      t.match(slip.body, 'PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ')
      t.match(slip.body, 'Bản chính Giấy chứng sinh', 'naming the missing component, not its id')
      t.match(slip.body, 'Bản chụp mờ', 'and why')
      t.equal(
        (await call('GET', `/api/dossiers/${dossierId}/print/refusal`, 'congdan')).statusCode,
        409,
        'no refusal to print',
      )
      const file = await upload(
        'congdan',
        `/api/dossiers/${dossierId}/attachments/giay-chung-sinh`,
        'giay-chung-sinh-ro.pdf',
      )
      t.equal(file.statusCode, 201, `supplement upload: ${file.body}`)
      const handedIn = await call('POST', `/api/dossiers/${dossierId}/supplement`, 'congdan', {
        attachments: [{ componentId: 'giay-chung-sinh', fileId: file.json().fileId }],
        note: 'Đã chụp lại',
      })
      t.equal(handedIn.statusCode, 200, `supplement: ${handedIn.body}`)
      t.equal(handedIn.json().status, 1, 'back at the counter')
    }
    const done = await driveToResult(t, p, dossierId)
    if (p.slug === 'dang-ky-khai-sinh')
      t.ok(
        done.timeline.some((e) => e.kind === 'supplement_received'),
        'the timeline shows the supplement',
      )
  })
}

t.test(
  'a refusal: the registrar refuses a marriage-status dossier in review with a reason; the applicant sees it closed',
  async (t) => {
    const slug = 'xac-nhan-tinh-trang-hon-nhan'
    const dossierId = await submit(t, slug, marriageForm, ['to-khai', 'giay-to-tuy-than'], 'e2e-refusal-1')
    await work(t, 'motcua-xa', await inWorklist('motcua-xa', dossierId, 'Task_Receive', slug), { decision: 'accept' })
    const review = await inWorklist('tuphap-xa', dossierId, 'Task_Review', slug)
    const noReason = await call('POST', `/api/tasks/${review.taskKey}/complete`, 'tuphap-xa', { decision: 'refuse' })
    t.equal(noReason.statusCode, 400, 'a refusal needs a reason')
    await work(t, 'tuphap-xa', review, { decision: 'refuse', reason: 'Người yêu cầu đang có vợ theo Sổ hộ tịch' })
    const refused = await status(dossierId, 3)
    t.ok(
      refused.timeline.some((e) => e.kind === 'submitted'),
      'the timeline is kept',
    )
    t.ok(JSON.stringify(refused.timeline).includes('đang có vợ'), 'the reason is on the timeline')
    const slip = await call('GET', `/api/dossiers/${dossierId}/print/refusal?format=pdf`, 'tuphap-xa')
    t.equal(slip.statusCode, 200, 'the refusal (Mẫu 03) prints as PDF')
    t.equal(slip.headers['content-type'], 'application/pdf')
    const html = await call('GET', `/api/dossiers/${dossierId}/print/refusal`, 'congdan')
    t.match(html.body, 'PHIẾU TỪ CHỐI TIẾP NHẬN, GIẢI QUYẾT HỒ SƠ')
    t.match(html.body, 'Người yêu cầu đang có vợ theo Sổ hộ tịch', 'with the reason')
    t.equal(
      (await call('GET', `/api/dossiers/${dossierId}/print/apology`, 'congdan')).statusCode,
      409,
      'no apology: the dossier was never extended',
    )
    const list = await call('GET', `/api/tasks?procedure=${slug}&limit=200`, 'lanhdao-xa')
    t.notOk(
      (list.json().items as WorkItem[]).some((i) => i.dossier.id === dossierId),
      'nothing left to sign',
    )
  },
)
