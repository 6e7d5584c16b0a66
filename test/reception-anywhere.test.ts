// Reception regardless of place (tiếp nhận không phụ thuộc địa giới hành chính, Nghị định 118/2025/NĐ-CP), end to end
// through the HTTP API and the embedded engine: the provincial service centre receives a birth registration for xã An
// Bình at its counter; the receipt names the competent commune and its appointment date; the dossier is forwarded to
// the commune (a step on the timeline with its own deadline); the commune's officers work the processing steps, which
// the centre's officers cannot (they are told "not found") though they still read the dossier; the result is
// returned where the dossier was handed in. And the refusals: a procedure not receivable anywhere, a competent unit
// that is not a commune of the province, none at all; each leaves the database unchanged.
import { cpSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import t, { type Test } from 'tap'
import type { LightMyRequestResponse } from 'fastify'
import { calendarAround } from '../src/dossiers/deadlines.js'
import { forwardingDueAt } from '../src/dossiers/reception-anywhere.js'
import { vnDateTime } from '../src/print/forms.js'
import { birthForm } from './helpers/dossiers.js'
import { eventually } from './helpers/eventually.js'
import { lienThongWorld } from './helpers/lien-thong.js'

// The birth registration (receptionAnywhere) and the extract copy (not marked) of the real catalogue, published alone.
const root = fileURLToPath(new URL('../', import.meta.url))
const formsDir = mkdtempSync(join(tmpdir(), 'motcua-reception-forms-'))
for (const slug of ['dang-ky-khai-sinh', 'cap-ban-sao-trich-luc-ho-tich'])
  cpSync(join(root, 'forms', `${slug}.json`), join(formsDir, `${slug}.json`))

const { knex, call, worklist, openTask, work, pathOf, timeoutMs } = await lienThongWorld(t, {
  formsDir,
  workflowsDir: join(root, 'workflows'),
  slug: 'dang-ky-khai-sinh',
})

/** The birth registration's form with the applicant living in the commune with this administrative code. */
const formLivingIn = (commune: string) => ({
  ...birthForm,
  nguoiYeuCau: { ...birthForm.nguoiYeuCau, noiCuTru: { tinh: 'Tỉnh Demo', xa: commune } },
})

let keys = 0
/** Counter intake by `who`, at `receiving`, for the competent unit `competent` (omitted: none named). */
const intake = (
  who: string,
  body: { procedure?: string; receiving: string; competent?: string; formData?: Record<string, unknown> },
) =>
  call(
    'POST',
    '/api/counter/dossiers',
    who,
    {
      procedure: body.procedure ?? 'dang-ky-khai-sinh',
      agencyUnitId: body.receiving,
      ...(body.competent ? { competentUnitId: body.competent } : {}),
      formData: body.formData ?? formLivingIn('99901'),
      deliveryMethod: 'counter',
      applicant: { name: 'Nguyễn Văn An', idNumber: '001090000001', phone: '0912345678' },
    },
    { 'idempotency-key': `reception-anywhere-${++keys}` },
  )

/** Everyone in `others` is told "not found" for the task, its claim and its completion, like for a key that is none. */
async function othersCannot(t: Test, taskKey: string, others: string[], decision: string) {
  for (const who of others) {
    const answers: LightMyRequestResponse[] = [
      await call('GET', `/api/tasks/${taskKey}`, who),
      await call('POST', `/api/tasks/${taskKey}/claim`, who),
      await call('POST', `/api/tasks/${taskKey}/complete`, who, { decision }),
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

t.test('the forwarding deadline: the same working day, or the start of the next one after 15:00', async (t) => {
  // December 2026 has no public holiday: Wednesday the 2nd, Friday the 4th, Monday the 7th.
  const at = (iso: string) => new Date(iso)
  const due = async (iso: string) => forwardingDueAt(await calendarAround(knex, at(iso)), at(iso)).toISOString()
  t.equal(await due('2026-12-02T10:00:00+07:00'), at('2026-12-02T17:00:00+07:00').toISOString(), 'morning: that day')
  t.equal(await due('2026-12-02T14:59:00+07:00'), at('2026-12-02T17:00:00+07:00').toISOString(), '14:59: that day')
  t.equal(await due('2026-12-02T15:00:00+07:00'), at('2026-12-03T08:00:00+07:00').toISOString(), '15:00: next day')
  t.equal(await due('2026-12-04T16:30:00+07:00'), at('2026-12-07T08:00:00+07:00').toISOString(), 'Friday → Monday')
  t.equal(await due('2026-12-05T09:00:00+07:00'), at('2026-12-07T08:00:00+07:00').toISOString(), 'Saturday → Monday')
})

t.test('refusals: nothing is written', async (t) => {
  // A commune of another province, to name as the competent unit.
  await knex('units').insert([
    {
      id: 'tinh-khac',
      name: 'UBND tỉnh Khác',
      level: 'province',
      kind: 'tinh',
      agency_code: 'X98',
      path: '/tinh-khac/',
    },
    {
      id: 'xa-tinh-khac',
      parent_id: 'tinh-khac',
      name: 'UBND xã Tỉnh Khác',
      level: 'commune',
      kind: 'xa',
      agency_code: 'X98.30',
      path: '/tinh-khac/xa-tinh-khac/',
    },
  ])
  const count = async () => {
    const [d, e, c] = await Promise.all(
      ['dossiers', 'dossier_events', 'engine_commands'].map(async (table) =>
        Number(((await knex(table).count('* as n').first()) as { n: string | number }).n),
      ),
    )
    return { d, e, c }
  }
  const before = await count()
  const cases: Array<[string, Parameters<typeof intake>[1], string]> = [
    [
      'a procedure not marked receptionAnywhere',
      { procedure: 'cap-ban-sao-trich-luc-ho-tich', receiving: 'tinh-demo-hcc', competent: 'xa-an-binh' },
      'MC_ERR_RECEPTION_NOT_ALLOWED',
    ],
    [
      'a department as the competent unit',
      { receiving: 'tinh-demo-hcc', competent: 'so-xay-dung' },
      'MC_ERR_COMPETENT_AGENCY_INVALID',
    ],
    [
      'a unit that does not exist',
      { receiving: 'tinh-demo-hcc', competent: 'xa-khong-co' },
      'MC_ERR_COMPETENT_AGENCY_INVALID',
    ],
    [
      'a commune of another province',
      { receiving: 'tinh-demo-hcc', competent: 'xa-tinh-khac' },
      'MC_ERR_COMPETENT_AGENCY_INVALID',
    ],
    [
      'no competent unit and an address without a commune code',
      { receiving: 'tinh-demo-hcc', formData: birthForm },
      'MC_ERR_COMPETENT_AGENCY_INVALID',
    ],
    [
      'no competent unit and a commune code of no unit',
      { receiving: 'tinh-demo-hcc', formData: formLivingIn('99977') },
      'MC_ERR_COMPETENT_AGENCY_INVALID',
    ],
  ]
  for (const [what, body, code] of cases) {
    const res = await intake('canbo', body)
    t.equal(res.statusCode, 422, `${what}: 422`)
    const problem = res.json() as { code: string; title: string; detail?: string }
    t.equal(problem.code, code, `${what}: ${code}`)
    t.match(res.headers['content-type'], /application\/problem\+json/, `${what}: problem+json`)
  }
  t.same(await count(), before, 'no dossier, timeline entry or engine command was written')
  // The centre may still not enter a dossier in the name of a commune it does not cover (the commune receives).
  const asCommune = await intake('canbo', { receiving: 'xa-an-binh' })
  t.equal(asCommune.statusCode, 403, 'the centre cannot receive as the commune')
  t.same(await count(), before, 'still nothing written')
})

t.test('no competent unit named: the commune of the applicant’s address', async (t) => {
  const res = await intake('canbo', { receiving: 'tinh-demo-hcc', formData: formLivingIn('99902') })
  t.equal(res.statusCode, 201, res.body)
  const row = (await knex('dossiers').where({ id: res.json().dossierId }).first()) as {
    agency_unit_id: string
    competent_unit_id: string
    competent_unit_path: string
  }
  t.equal(row.agency_unit_id, 'tinh-demo-hcc', 'received at the centre')
  t.equal(row.competent_unit_id, 'xa-binh-minh', 'for the commune of the address (99902: Bình Minh)')
  t.equal(row.competent_unit_path, await pathOf('xa-binh-minh'))
  // A commune receives for itself as before: no competent unit is recorded.
  const own = await intake('motcua-xa', { receiving: 'xa-an-binh', competent: 'xa-an-binh' })
  t.equal(own.statusCode, 201, own.body)
  t.equal(
    (
      (await knex('dossiers').where({ id: own.json().dossierId }).first('competent_unit_id')) as {
        competent_unit_id: string | null
      }
    ).competent_unit_id,
    null,
    'the commune’s own dossier has no competent unit of its own',
  )
})

t.test('received at the provincial centre for xã An Bình, forwarded, processed there, returned', async (t) => {
  const [centrePath, communePath] = await Promise.all(['tinh-demo-hcc', 'xa-an-binh'].map(pathOf))
  const entered = await intake('canbo', { receiving: 'tinh-demo-hcc', competent: 'xa-an-binh' })
  t.equal(entered.statusCode, 201, entered.body)
  const dossierId = entered.json().dossierId as string

  // Reception at the centre's counter.
  const reception = await openTask(dossierId, 'Task_Receive')
  t.equal(reception.unit_path, centrePath, 'reception: the centre that received it')
  t.notOk(
    (await worklist('motcua-xa')).some((i) => i.taskKey === reception.user_task_key),
    'not in the commune counter’s worklist',
  )
  await work(t, 'canbo', reception.user_task_key, { decision: 'accept' })

  // The processing step is the commune's: in its worklist, not the centre's.
  const review = await openTask(dossierId, 'Task_Review')
  t.equal(review.unit_path, communePath, 'the civil-status step goes to the competent commune')
  t.ok(
    (await worklist('tuphap-xa')).some((i) => i.taskKey === review.user_task_key),
    'in the commune tư pháp worklist',
  )
  await othersCannot(t, review.user_task_key, ['canbo'], 'approve')

  // The dossier: received (and numbered) by the centre, for the commune, with the commune's appointment date.
  const detail = await eventually(
    'the dossier accepted with its code',
    async () => {
      const res = await call('GET', `/api/dossiers/${dossierId}`, 'canbo')
      const body = res.json() as {
        code: string | null
        dueAt: string | null
        acceptedAt: string | null
        agency: { unitId: string }
        competentAgency: { unitId: string; name: string } | null
        timeline: Array<{ kind: string; stepId: string | null; data: Record<string, unknown> }>
        route: Array<{ stepId: string; agency: { unitId: string } | null; state: string }>
      }
      return res.statusCode === 200 && body.code && body.timeline.some((e) => e.kind === 'forwarded') ? body : undefined
    },
    timeoutMs,
  )
  t.match(detail.code, /^X99\.01-/, 'numbered by the receiving centre')
  t.equal(detail.agency.unitId, 'tinh-demo-hcc', 'the receiving agency is the centre (report 06a counts it there)')
  t.same(detail.competentAgency, { unitId: 'xa-an-binh', name: 'UBND xã An Bình' }, 'the competent agency')
  t.ok(detail.dueAt, 'the appointment date')

  // The receipt (Mẫu 01) names the competent commune and the appointment date.
  const receipt = await call('GET', `/api/dossiers/${dossierId}/print/receipt`, 'canbo')
  t.equal(receipt.statusCode, 200, receipt.body.slice(0, 300))
  t.match(receipt.body, /Cơ quan có thẩm quyền giải quyết: <[^>]+>UBND xã An Bình</, 'the receipt names the commune')
  t.ok(
    receipt.body.includes(vnDateTime(detail.dueAt!)),
    `the receipt gives the appointment ${vnDateTime(detail.dueAt!)}`,
  )

  // The forwarding: a step on the timeline with its own deadline, done when the dossier was handed to the commune.
  const forwarded = detail.timeline.filter((e) => e.kind === 'forwarded')
  t.equal(forwarded.length, 1, 'forwarded once')
  const f = forwarded[0]!
  t.equal(f.stepId, 'forward')
  t.same(f.data['stepName'], { vi: 'Chuyển hồ sơ đến cơ quan có thẩm quyền', en: 'Forward to the competent agency' })
  t.same(f.data['to'], { unitId: 'xa-an-binh', name: 'UBND xã An Bình', agencyCode: 'X99.30' }, 'to the commune')
  t.same(f.data['from'], { unitId: 'tinh-demo-hcc', name: 'Trung tâm Phục vụ hành chính công tỉnh Demo' })
  const acceptedAt = new Date(detail.acceptedAt!)
  t.equal(
    f.data['dueAt'],
    forwardingDueAt(await calendarAround(knex, acceptedAt), acceptedAt).toISOString(),
    'its deadline: the same working day, or the start of the next one',
  )
  t.equal(f.data['timeliness'], 'on_time', 'forwarded in time')
  const row = (await knex('dossier_events').where({ dossier_id: dossierId, kind: 'forwarded' }).first()) as {
    receiver_unit_path: string
    step_due_at: Date
  }
  t.equal(row.receiver_unit_path, communePath, 'the timeline row records the commune as the receiver')
  t.equal(row.step_due_at.toISOString(), f.data['dueAt'], 'and the deadline')
  const handoff = (await knex('dossier_events')
    .where({ dossier_id: dossierId, kind: 'handoff', step_id: 'Task_Review' })
    .first('receiver_unit_path')) as { receiver_unit_path: string }
  t.equal(handoff.receiver_unit_path, communePath, 'the hand-off to the first step records the commune')

  // The commune reads the dossier (it handles a step); another agency still cannot.
  t.equal((await call('GET', `/api/dossiers/${dossierId}`, 'tuphap-xa')).statusCode, 200, 'the commune reads it')
  t.equal((await call('GET', `/api/dossiers/${dossierId}`, 'bhxh')).statusCode, 404, 'social insurance does not')

  await work(t, 'tuphap-xa', review.user_task_key, { decision: 'approve' })
  const sign = await openTask(dossierId, 'Task_Sign')
  t.equal(sign.unit_path, communePath, 'the signature is the commune chairman’s')
  await othersCannot(t, sign.user_task_key, ['canbo'], 'approve')
  await work(t, 'lanhdao-xa', sign.user_task_key, { decision: 'approve' })

  // The result goes back to where the applicant handed the dossier in.
  const back = await openTask(dossierId, 'Task_Return')
  t.equal(back.unit_path, centrePath, 'the result is returned at the centre')
  await othersCannot(t, back.user_task_key, ['motcua-xa'], 'returned')
  await work(t, 'canbo', back.user_task_key, { decision: 'returned' })
  const done = await eventually(
    'the dossier returned',
    async () => {
      const res = await call('GET', `/api/dossiers/${dossierId}`, 'canbo')
      const body = res.json() as { status: number; route: Array<{ stepId: string; agency: { unitId: string } | null }> }
      return body.status === 10 ? body : undefined
    },
    timeoutMs,
  )
  t.same(
    done.route.map((s) => [s.stepId, s.agency?.unitId]),
    [
      ['Task_Receive', 'tinh-demo-hcc'],
      ['Task_Review', 'xa-an-binh'],
      ['Task_Sign', 'xa-an-binh'],
      ['Task_Return', 'tinh-demo-hcc'],
    ],
    'the route: received and returned at the centre, processed at the commune',
  )
})
