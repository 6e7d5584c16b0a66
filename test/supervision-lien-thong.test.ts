// Reports when several agencies handle one dossier (liên thông, issue #17), on a hand-built read model: ten dossiers of
// one linked procedure in March 2026, received at two communes, each going through the receiving commune (Task_Birth),
// the provincial police (Task_Residence) and provincial social insurance (Task_Card). Every expected number below is
// counted by hand from the tables in this file; the comments say which dossier counts where and why.
//
// What is asserted: Biểu II.06a and the Decision 766 timeliness indicators stay with the agency that RECEIVED the
// dossier (the police and social insurance received nothing); bottlenecks and the heatmap per receiving unit and per
// handling unit; on time / late per handling agency and per step.
import { randomUUID } from 'node:crypto'
import t from 'tap'
import { buildTestApp } from './helpers/app.js'
import { loginAny, seatAgencies } from './helpers/agencies.js'

const app = await buildTestApp(t)
const knex = app.db.knex
await seatAgencies(knex)

const pathOf = async (id: string) => ((await knex('units').where({ id }).first('path')) as { path: string }).path
const AB = { id: 'xa-an-binh', path: await pathOf('xa-an-binh') }
const BM = { id: 'xa-binh-minh', path: await pathOf('xa-binh-minh') }
const CA = { id: 'cong-an-tinh', path: await pathOf('cong-an-tinh') }
const BH = { id: 'bhxh-tinh', path: await pathOf('bhxh-tinh') }

const [proc] = await knex('procedures')
  .insert({
    code: 'LT',
    slug: 'p-lt',
    name: 'Liên thông khai sinh, thường trú, thẻ BHYT',
    field: 'Hộ tịch',
    agency_level: 'xa',
    agency: 'UBND xã',
    online_level: 'toan-trinh',
    search_text: ' x ',
  })
  .returning('id')
const [version] = await knex('procedure_versions')
  .insert({
    procedure_id: proc.id,
    version: 1,
    status: 'published',
    definition: {},
    bpmn_xml: '<x/>',
    checksum: 'LT',
    bpmn_process_id: 'Process_LT',
  })
  .returning('id')

const STEPS = {
  birth: { id: 'Task_Birth', name: 'Đăng ký khai sinh' },
  residence: { id: 'Task_Residence', name: 'Đăng ký thường trú' },
  card: { id: 'Task_Card', name: 'Cấp thẻ bảo hiểm y tế' },
} as const

/** A step: where it went, when (local, +07:00), its hours (null: still open), its deadline and its R11 result. */
interface Step {
  step: keyof typeof STEPS
  unit: { id: string; path: string }
  at: string
  hours: number | null
  dueAt: string
  result: 'early' | 'on_time' | 'late' | null
}

interface Spec {
  code: string
  unit: { id: string; path: string }
  channel: 'online' | 'counter'
  status: number
  receipt: string
  /** The dossier's due date (end of that day). */
  due: string
  finishedAt?: string
  steps: Step[]
}

const local = (s: string) => `${s}:00+07:00`
const hoursAfter = (at: string, h: number) => new Date(Date.parse(local(at)) + h * 3_600_000)

async function dossier(s: Spec): Promise<void> {
  const id = randomUUID()
  const finished = s.finishedAt ? local(s.finishedAt) : null
  await knex('dossiers').insert({
    id,
    code: s.code,
    procedure_id: proc.id,
    procedure_version_id: version.id,
    procedure_code: 'LT',
    procedure_slug: 'p-lt',
    procedure_name: 'Liên thông khai sinh, thường trú, thẻ BHYT',
    agency_unit_id: s.unit.id,
    unit_path: s.unit.path,
    applicant_name: 'Người nộp',
    channel: s.channel,
    delivery_method: 'counter',
    status: s.status,
    submitted_at: `${s.receipt}T08:00:00+07:00`,
    accepted_at: `${s.receipt}T08:30:00+07:00`,
    receipt_date: s.receipt,
    due_date: s.due,
    due_at: `${s.due}T23:59:59+07:00`,
    original_due_date: s.due,
    original_due_at: `${s.due}T23:59:59+07:00`,
    finished_at: finished,
  })
  for (const [i, st] of s.steps.entries()) {
    const key = `${s.code}-${i}`
    const done = st.hours === null ? null : hoursAfter(st.at, st.hours)
    await knex('dossier_events').insert({
      dossier_id: id,
      kind: 'step',
      step_id: STEPS[st.step].id,
      step_name: STEPS[st.step].name,
      user_task_key: key,
      receiver_unit_path: st.unit.path,
      at: local(st.at),
      step_due_at: local(st.dueAt),
      finished_at: done,
      step_result: st.result,
    })
    // The officer's task for the same step: completed, open, or cancelled when the dossier ended while it was open.
    await knex('tasks').insert({
      user_task_key: key,
      dossier_id: id,
      process_instance_key: '1',
      element_id: STEPS[st.step].id,
      name: STEPS[st.step].name,
      unit_path: st.unit.path,
      state: done ? 'COMPLETED' : finished ? 'CANCELED' : 'CREATED',
      due_at: local(st.dueAt),
      created_at: local(st.at),
      completed_at: done ?? finished,
    })
  }
}

// ---- The fixture. Steps: birth at the receiving commune, residence at the police (CA), card at BHXH (BH).
// "hours" is the step's time from hand-off to completion; the result is the step judged against its own deadline
// (R11), written here as the read model would have.

// L1 (An Bình, online): received 2 Mar, due 5 Mar, result 4 Mar 10:00 → resolved EARLY.
await dossier({
  code: 'LT-01',
  unit: AB,
  channel: 'online',
  status: 10,
  receipt: '2026-03-02',
  due: '2026-03-05',
  finishedAt: '2026-03-04T10:00',
  steps: [
    { step: 'birth', unit: AB, at: '2026-03-02T09:00', hours: 6, dueAt: '2026-03-02T17:00', result: 'on_time' },
    { step: 'residence', unit: CA, at: '2026-03-02T16:00', hours: 4, dueAt: '2026-03-03T17:00', result: 'on_time' },
    { step: 'card', unit: BH, at: '2026-03-03T08:00', hours: 4, dueAt: '2026-03-03T17:00', result: 'on_time' },
  ],
})
// L2 (An Bình, counter): received 3 Mar, due 6 Mar, result 6 Mar 16:00 → ON TIME (the due day itself).
await dossier({
  code: 'LT-02',
  unit: AB,
  channel: 'counter',
  status: 10,
  receipt: '2026-03-03',
  due: '2026-03-06',
  finishedAt: '2026-03-06T16:00',
  steps: [
    { step: 'birth', unit: AB, at: '2026-03-03T09:00', hours: 4, dueAt: '2026-03-03T17:00', result: 'on_time' },
    { step: 'residence', unit: CA, at: '2026-03-04T08:00', hours: 6, dueAt: '2026-03-04T17:00', result: 'on_time' },
    { step: 'card', unit: BH, at: '2026-03-05T08:00', hours: 8, dueAt: '2026-03-05T17:00', result: 'on_time' },
  ],
})
// L3 (An Bình, online): received 4 Mar, due 9 Mar, result 11 Mar → LATE; BHXH took 50 hours, past its step deadline.
await dossier({
  code: 'LT-03',
  unit: AB,
  channel: 'online',
  status: 10,
  receipt: '2026-03-04',
  due: '2026-03-09',
  finishedAt: '2026-03-11T10:00',
  steps: [
    { step: 'birth', unit: AB, at: '2026-03-04T09:00', hours: 2, dueAt: '2026-03-04T17:00', result: 'on_time' },
    { step: 'residence', unit: CA, at: '2026-03-05T08:00', hours: 10, dueAt: '2026-03-05T20:00', result: 'on_time' },
    { step: 'card', unit: BH, at: '2026-03-06T08:00', hours: 50, dueAt: '2026-03-06T17:00', result: 'late' },
  ],
})
// L4 (An Bình, counter): received 10 Mar, due 13 Mar, still open at BHXH (step due 12 Mar): IN PROGRESS, OVERDUE.
await dossier({
  code: 'LT-04',
  unit: AB,
  channel: 'counter',
  status: 4,
  receipt: '2026-03-10',
  due: '2026-03-13',
  steps: [
    { step: 'birth', unit: AB, at: '2026-03-10T09:00', hours: 8, dueAt: '2026-03-10T17:00', result: 'on_time' },
    { step: 'residence', unit: CA, at: '2026-03-11T08:00', hours: 5, dueAt: '2026-03-11T17:00', result: 'on_time' },
    { step: 'card', unit: BH, at: '2026-03-12T08:00', hours: null, dueAt: '2026-03-12T17:00', result: null },
  ],
})
// L5 (An Bình, online): received Friday 27 Feb, CARRIED OVER into March, due 4 Mar, result 4 Mar → ON TIME. Its birth
// step finished in February: outside March's step figures (but in the heatmap, which has no period).
await dossier({
  code: 'LT-05',
  unit: AB,
  channel: 'online',
  status: 10,
  receipt: '2026-02-27',
  due: '2026-03-04',
  finishedAt: '2026-03-04T15:00',
  steps: [
    { step: 'birth', unit: AB, at: '2026-02-27T09:00', hours: 5, dueAt: '2026-02-27T17:00', result: 'on_time' },
    { step: 'residence', unit: CA, at: '2026-03-02T08:00', hours: 2, dueAt: '2026-03-02T17:00', result: 'early' },
    { step: 'card', unit: BH, at: '2026-03-03T08:00', hours: 6, dueAt: '2026-03-03T17:00', result: 'on_time' },
  ],
})
// L6 (Bình Minh, online): received 5 Mar, due 10 Mar, result 9 Mar → EARLY, although the police were late (20 hours).
await dossier({
  code: 'LT-06',
  unit: BM,
  channel: 'online',
  status: 10,
  receipt: '2026-03-05',
  due: '2026-03-10',
  finishedAt: '2026-03-09T10:00',
  steps: [
    { step: 'birth', unit: BM, at: '2026-03-05T09:00', hours: 3, dueAt: '2026-03-05T17:00', result: 'on_time' },
    { step: 'residence', unit: CA, at: '2026-03-06T08:00', hours: 20, dueAt: '2026-03-06T17:00', result: 'late' },
    { step: 'card', unit: BH, at: '2026-03-08T08:00', hours: 2, dueAt: '2026-03-08T17:00', result: 'early' },
  ],
})
// L7 (Bình Minh, counter): received 16 Mar, due 19 Mar, open at the police (step due 17 Mar): IN PROGRESS, OVERDUE.
await dossier({
  code: 'LT-07',
  unit: BM,
  channel: 'counter',
  status: 4,
  receipt: '2026-03-16',
  due: '2026-03-19',
  steps: [
    { step: 'birth', unit: BM, at: '2026-03-16T09:00', hours: 6, dueAt: '2026-03-16T17:00', result: 'on_time' },
    { step: 'residence', unit: CA, at: '2026-03-17T08:00', hours: null, dueAt: '2026-03-17T17:00', result: null },
  ],
})
// L8 (Bình Minh, online): received 20 Mar, WITHDRAWN (status 7) on 23 Mar while at the police: received, never resolved
// (06a column 14); its open police step is not "waiting" (the dossier is finished) and its task was cancelled.
await dossier({
  code: 'LT-08',
  unit: BM,
  channel: 'online',
  status: 7,
  receipt: '2026-03-20',
  due: '2026-03-25',
  finishedAt: '2026-03-23T10:00',
  steps: [
    { step: 'birth', unit: BM, at: '2026-03-20T09:00', hours: 2, dueAt: '2026-03-20T17:00', result: 'on_time' },
    { step: 'residence', unit: CA, at: '2026-03-20T14:00', hours: null, dueAt: '2026-03-23T17:00', result: null },
  ],
})
// L9 (An Bình, counter): received 24 Mar, due 27 Mar, result 27 Mar → ON TIME; the commune's own step was LATE (30 h).
await dossier({
  code: 'LT-09',
  unit: AB,
  channel: 'counter',
  status: 10,
  receipt: '2026-03-24',
  due: '2026-03-27',
  finishedAt: '2026-03-27T11:00',
  steps: [
    { step: 'birth', unit: AB, at: '2026-03-24T09:00', hours: 30, dueAt: '2026-03-24T17:00', result: 'late' },
    { step: 'residence', unit: CA, at: '2026-03-25T16:00', hours: 1, dueAt: '2026-03-26T17:00', result: 'early' },
    { step: 'card', unit: BH, at: '2026-03-26T08:00', hours: 6, dueAt: '2026-03-26T17:00', result: 'on_time' },
  ],
})
// L10 (Bình Minh, online): received 25 Mar, due 3 April: IN PROGRESS WITHIN TIME on 31 March; open at BHXH, whose step
// deadline (1 April) has passed by now (the test runs after it).
await dossier({
  code: 'LT-10',
  unit: BM,
  channel: 'online',
  status: 4,
  receipt: '2026-03-25',
  due: '2026-04-03',
  steps: [
    { step: 'birth', unit: BM, at: '2026-03-25T09:00', hours: 4, dueAt: '2026-03-25T17:00', result: 'on_time' },
    { step: 'residence', unit: CA, at: '2026-03-26T08:00', hours: 4, dueAt: '2026-03-26T17:00', result: 'on_time' },
    { step: 'card', unit: BH, at: '2026-03-27T08:00', hours: null, dueAt: '2026-04-01T17:00', result: null },
  ],
})

const province = await app.loginAs('lanhdao')
const commune = await app.loginAs('lanhdao-xa')
const police = await loginAny(app, 'lanhdao-ca')
const get = async (url: string, headers: { authorization: string }) => {
  const res = await app.app.inject({ method: 'GET', url, headers })
  if (res.statusCode !== 200) throw new Error(`${url}: ${res.statusCode} ${res.body}`)
  return res.json()
}
const MARCH = 'month=2026-03'

t.test(
  'report 06a counts each dossier for the agency that received it, never for the agencies of its steps',
  async (t) => {
    const total = async (headers: { authorization: string }, unit?: string) =>
      (await get(`/api/supervision/reports/06a?${MARCH}${unit ? `&unit=${unit}` : ''}`, headers)).total
    // An Bình received L1, L2, L3, L4, L9 in March (online L1, L3; counter L2, L4, L9) and carries over L5 (received
    // 27 Feb, open on 1 March) = 6. Resolved: L1 early (4 < 5 Mar), L2 on time (6 = 6 Mar), L5 on time (4 = 4 Mar),
    // L9 on time (27 = 27 Mar), L3 late (11 > 9 Mar) = 5. In progress: L4, due 13 Mar, overdue on 31 March = 1.
    t.same(await total(commune), {
      receivedTotal: 6,
      receivedOnline: 2,
      receivedCounterOrPost: 3,
      carriedOver: 1,
      resolvedTotal: 5,
      resolvedEarly: 1,
      resolvedOnTime: 3,
      resolvedLate: 1,
      inProgressTotal: 1,
      inProgressWithin: 0,
      inProgressOverdue: 1,
      closed: 0,
    })
    // Bình Minh received L6, L8, L10 online and L7 at the counter = 4. Resolved: L6 early = 1. In progress: L7 (due 19
    // Mar: overdue) and L10 (due 3 April: within) = 2. L8 withdrawn = column 14.
    t.same(await total(province, BM.id), {
      receivedTotal: 4,
      receivedOnline: 3,
      receivedCounterOrPost: 1,
      carriedOver: 0,
      resolvedTotal: 1,
      resolvedEarly: 1,
      resolvedOnTime: 0,
      resolvedLate: 0,
      inProgressTotal: 2,
      inProgressWithin: 1,
      inProgressOverdue: 1,
      closed: 1,
    })
    // The police handled a step of all ten dossiers and BHXH of eight: they received none, so their 06a is empty.
    for (const [who, headers, unit] of [
      ['the police, asked by their own supervisor', police, undefined],
      ['the police, asked by the province', province, CA.id],
      ['BHXH, asked by the province', province, BH.id],
    ] as const) {
      const r = await get(`/api/supervision/reports/06a?${MARCH}${unit ? `&unit=${unit}` : ''}`, headers)
      t.same(r.rows, [], `${who}: no row`)
      t.equal(r.total.receivedTotal, 0, `${who}: nothing received`)
      t.equal(r.total.resolvedTotal, 0, `${who}: nothing resolved`)
    }
    // The province: the two communes' sums, each dossier once (10 = 6 + 4), in one field.
    const p = await get(`/api/supervision/reports/06a?${MARCH}`, province)
    t.same(
      p.rows.map((r: { field: string; receivedTotal: number }) => [r.field, r.receivedTotal]),
      [['Hộ tịch', 10]],
    )
    t.match(p.total, {
      receivedTotal: 10,
      resolvedTotal: 6,
      resolvedEarly: 2,
      resolvedOnTime: 3,
      resolvedLate: 1,
      inProgressTotal: 3,
      inProgressOverdue: 2,
      closed: 1,
    })
  },
)

t.test('the 766 timeliness indicators follow the receiving agency too', async (t) => {
  const codes = (refs: { code: string }[]) => refs.map((r) => r.code).sort()
  // An Bình (Biểu II.06a's rate): early or on time L1, L2, L5, L9 of resolved L1, L2, L3, L5, L9 → 4 / 5.
  const ab = await get(`/api/supervision/indicators?${MARCH}`, commune)
  t.match(ab.resolvedOnTimeRate, { value: 0.8, numerator: 4, denominator: 5 })
  t.same(codes(ab.resolvedOnTimeRate.dossiers.numerator), ['LT-01', 'LT-02', 'LT-05', 'LT-09'])
  t.same(codes(ab.resolvedOnTimeRate.dossiers.denominator), ['LT-01', 'LT-02', 'LT-03', 'LT-05', 'LT-09'])
  // 766 (2.2), dossiers received in March and resolved: working days in (receipt, result]: L1 2 Mar → 4 Mar = 2; L2 3 →
  // 6 Mar = 3; L3 4 → 11 Mar = 5 (5, 6, 9, 10, 11); L9 24 → 27 Mar = 3. Mean 13 / 4 = 3.25. L5, received Fri 27 Feb,
  // counts in February's figure.
  t.match(ab.averageResolutionDays, { value: 3.25, count: 4 })
  // Bình Minh: L6 early, the only one resolved → 1 / 1, in 2 working days (Thu 5 → Mon 9 Mar: 6 and 9 Mar).
  const bm = await get(`/api/supervision/indicators?${MARCH}&unit=${BM.id}`, province)
  t.match(bm.resolvedOnTimeRate, { value: 1, numerator: 1, denominator: 1 })
  t.match(bm.averageResolutionDays, { value: 2, count: 1 })
  // The police resolved no dossier: no rate (its steps are judged in the per-agency figures below).
  const ca = await get(`/api/supervision/indicators?${MARCH}`, police)
  t.match(ca.resolvedOnTimeRate, { value: null, numerator: 0, denominator: 0 })
  t.match(ca.averageResolutionDays, { value: null, count: 0 })
  // The province: 5 of 6.
  const p = await get(`/api/supervision/indicators?${MARCH}`, province)
  t.match(p.resolvedOnTimeRate, { value: 0.8333, numerator: 5, denominator: 6 })
})

interface Row {
  stepId: string
  unitPath: string
  waitingNow: number
  finished: number
  medianHours: number | null
  p90Hours: number | null
  missedShare: number | null
}
const row = (
  stepId: string,
  unitPath: string,
  [waitingNow, finished, medianHours, p90Hours, missedShare]: [number, number, number, number, number],
) => ({
  procedureCode: 'LT',
  procedureName: 'Liên thông khai sinh, thường trú, thẻ BHYT',
  stepId,
  stepName: Object.values(STEPS).find((s) => s.id === stepId)!.name,
  unitPath,
  waitingNow,
  finished,
  medianHours,
  p90Hours,
  missedShare,
})
const bottlenecks = async (headers: { authorization: string }, query: string) =>
  (await get(`/api/supervision/bottlenecks?${MARCH}${query}`, headers)).items as Row[]

// percentile_cont: over n sorted values, position (n − 1) × q, interpolated between its neighbours.
t.test('bottlenecks per handling unit: the unit that worked the step', async (t) => {
  t.same(await bottlenecks(province, '&by=handlingUnit'), [
    // BHXH: card steps finished in March L1 4, L2 8, L3 50, L5 6, L6 2, L9 6 h → [2, 4, 6, 6, 8, 50]: median 6, p90 at
    // 4.5 → 8 + 0.5 × 42 = 29; late L3 of 6 → 0.17. Waiting now: L4 and L10 (open steps of open dossiers) = 2.
    row('Task_Card', BH.path, [2, 6, 6, 29, 0.17]),
    // Police: L1 4, L2 6, L3 10, L4 5, L5 2, L6 20, L9 1, L10 4 → [1, 2, 4, 4, 5, 6, 10, 20]: median 4.5, p90 at 6.3 →
    // 10 + 0.3 × 10 = 13; late L6 of 8 = 0.13 (0.125 rounded). Waiting: L7; L8's open step is not (L8 was withdrawn).
    row('Task_Residence', CA.path, [1, 8, 4.5, 13, 0.13]),
    // An Bình's birth steps finished in March: L1 6, L2 4, L3 2, L4 8, L9 30 (L5's was in February) → [2, 4, 6, 8, 30]:
    // median 6, p90 at 3.6 → 8 + 0.6 × 22 = 21.2; late L9 of 5 = 0.2.
    row('Task_Birth', AB.path, [0, 5, 6, 21.2, 0.2]),
    // Bình Minh: L6 3, L7 6, L8 2, L10 4 → [2, 3, 4, 6]: median 3.5, p90 at 2.7 → 4 + 0.7 × 2 = 5.4; none late.
    row('Task_Birth', BM.path, [0, 4, 3.5, 5.4, 0]),
  ])
  // The police's own supervisor: the police step only, for both communes' dossiers.
  t.same(await bottlenecks(police, '&by=handlingUnit'), [row('Task_Residence', CA.path, [1, 8, 4.5, 13, 0.13])])
  // An Bình's supervisor: the one step An Bình handled.
  t.same(await bottlenecks(commune, '&by=handlingUnit'), [row('Task_Birth', AB.path, [0, 5, 6, 21.2, 0.2])])
})

t.test('bottlenecks per receiving unit: every step of the dossiers the unit received, wherever handled', async (t) => {
  const anBinh = [
    // Card steps of An Bình's dossiers: L1 4, L2 8, L3 50, L5 6, L9 6 → [4, 6, 6, 8, 50]: median 6, p90 at 3.6 →
    // 8 + 0.6 × 42 = 33.2; late L3 of 5 = 0.2; waiting L4.
    row('Task_Card', AB.path, [1, 5, 6, 33.2, 0.2]),
    // Birth steps: as the commune handled them (above).
    row('Task_Birth', AB.path, [0, 5, 6, 21.2, 0.2]),
    // Police steps of An Bình's dossiers: L1 4, L2 6, L3 10, L4 5, L5 2, L9 1 → [1, 2, 4, 5, 6, 10]: median 4.5, p90 at
    // 4.5 → 6 + 0.5 × 4 = 8; none late.
    row('Task_Residence', AB.path, [0, 6, 4.5, 8, 0]),
  ]
  t.same(await bottlenecks(commune, '&by=receivingUnit'), anBinh)
  t.same(await bottlenecks(province, '&by=receivingUnit'), [
    anBinh[0],
    // Police steps of Bình Minh's dossiers: L6 20, L10 4 → median 12, p90 at 0.9 → 4 + 0.9 × 16 = 18.4; late L6 of 2 =
    // 0.5; waiting L7.
    row('Task_Residence', BM.path, [1, 2, 12, 18.4, 0.5]),
    // Card steps of Bình Minh's: L6 2 h, early; waiting L10.
    row('Task_Card', BM.path, [1, 1, 2, 2, 0]),
    anBinh[1],
    anBinh[2],
    row('Task_Birth', BM.path, [0, 4, 3.5, 5.4, 0]),
  ])
  // The police received nothing.
  t.same(await bottlenecks(police, '&by=receivingUnit'), [])
})

t.test('bottlenecks without "by" keep their earlier rows: the subtree’s dossiers and its units’ steps', async (t) => {
  // An Bình's dossiers' steps, per the unit that handled them: the police and BHXH rows hold An Bình's dossiers only.
  t.same(await bottlenecks(commune, ''), [
    row('Task_Card', BH.path, [1, 5, 6, 33.2, 0.2]),
    row('Task_Birth', AB.path, [0, 5, 6, 21.2, 0.2]),
    row('Task_Residence', CA.path, [0, 6, 4.5, 8, 0]),
  ])
  t.same(await bottlenecks(police, ''), [row('Task_Residence', CA.path, [1, 8, 4.5, 13, 0.13])])
})

t.test('on time and late per handling agency and per step', async (t) => {
  const items = (await get(`/api/supervision/handling-units?${MARCH}`, province)).items as Array<
    Record<string, unknown> & { unitId: string; steps: Record<string, unknown>[] }
  >
  const byUnit = new Map(items.map((i) => [i.unitId, i]))
  t.same([...byUnit.keys()].sort(), [BH.id, CA.id, AB.id, BM.id].sort(), 'the four units that handled steps')
  const step = (stepId: string, [stepsHandled, onTime, late, open, openOverdue]: number[], onTimeShare: number) => ({
    procedureCode: 'LT',
    procedureName: 'Liên thông khai sinh, thường trú, thẻ BHYT',
    stepId,
    stepName: Object.values(STEPS).find((s) => s.id === stepId)!.name,
    stepsHandled,
    onTime,
    late,
    onTimeShare,
    open,
    openOverdue,
  })
  // Police: 8 steps finished in March (L1–L6, L9, L10); on time 7 (early L5, L9 count as on time), late 1 (L6).
  // Open: L7 (its deadline of 17 March has passed) — L8's is not, L8 was withdrawn. Ten dossiers, all received by a
  // commune: from elsewhere 10.
  t.match(byUnit.get(CA.id), {
    unitName: 'Công an tỉnh Demo',
    agencyCode: 'X99.50',
    unitPath: CA.path,
    stepsHandled: 8,
    onTime: 7,
    late: 1,
    onTimeShare: 0.875,
    open: 1,
    openOverdue: 1,
    dossiersFromElsewhere: 10,
  })
  t.same(byUnit.get(CA.id)!.steps, [step('Task_Residence', [8, 7, 1, 1, 1], 0.875)])
  // BHXH: finished L1, L2, L3, L5, L6, L9 = 6; on time 5 (L6 early), late 1 (L3). Open L4 (due 12 March) and L10 (due
  // 1 April): both past their deadline now. From elsewhere: the 8 dossiers with a card step.
  t.match(byUnit.get(BH.id), {
    agencyCode: 'X99.60',
    stepsHandled: 6,
    onTime: 5,
    late: 1,
    onTimeShare: 0.8333,
    open: 2,
    openOverdue: 2,
    dossiersFromElsewhere: 8,
  })
  t.same(byUnit.get(BH.id)!.steps, [step('Task_Card', [6, 5, 1, 2, 2], 0.8333)])
  // An Bình: its birth steps finished in March L1, L2, L3, L4, L9 = 5, late L9; all its own dossiers.
  t.match(byUnit.get(AB.id), {
    stepsHandled: 5,
    onTime: 4,
    late: 1,
    onTimeShare: 0.8,
    open: 0,
    dossiersFromElsewhere: 0,
  })
  t.same(byUnit.get(AB.id)!.steps, [step('Task_Birth', [5, 4, 1, 0, 0], 0.8)])
  // Bình Minh: L6, L7, L8, L10, all on time.
  t.match(byUnit.get(BM.id), { stepsHandled: 4, onTime: 4, late: 0, onTimeShare: 1, open: 0, dossiersFromElsewhere: 0 })

  // Each agency sees its own: the police supervisor gets the police row only.
  const own = (await get(`/api/supervision/handling-units?${MARCH}`, police)).items as Array<{ unitId: string }>
  t.same(
    own.map((i) => i.unitId),
    [CA.id],
  )
  // Another period: nothing finished in April; the open steps still count (L7 at the police).
  const april = (await get(`/api/supervision/handling-units?month=2026-04`, police)).items
  t.match(april, [{ unitId: CA.id, stepsHandled: 0, onTime: 0, late: 0, onTimeShare: null, open: 1, openOverdue: 1 }])
})

t.test('heatmap per receiving unit and per handling unit', async (t) => {
  const heat = async (headers: { authorization: string }, query: string) =>
    (await get(`/api/supervision/heatmap?procedureVersionId=${version.id}${query}`, headers)).elements
  // No period: every task of the version. An Bình's dossiers (L1–L5, L9): birth 6 + 4 + 2 + 8 + 5 + 30 = 55 h over 6
  // → 9.17; card L1 4, L2 8, L3 50, L5 6, L9 6 = 74 over 5 → 14.8, L4 open; police L1 4, L2 6, L3 10, L4 5, L5 2, L9 1
  // = 28 over 6 → 4.67.
  const anBinh = [
    { elementId: 'Task_Birth', name: 'Đăng ký khai sinh', active: 0, completed: 6, meanDwellHours: 9.17 },
    { elementId: 'Task_Card', name: 'Cấp thẻ bảo hiểm y tế', active: 1, completed: 5, meanDwellHours: 14.8 },
    { elementId: 'Task_Residence', name: 'Đăng ký thường trú', active: 0, completed: 6, meanDwellHours: 4.67 },
  ]
  t.same(await heat(commune, ''), anBinh, 'the default is per receiving unit')
  t.same(await heat(commune, '&by=receivingUnit'), anBinh)
  t.same(await heat(commune, '&by=handlingUnit'), [anBinh[0]], 'An Bình handled only the birth steps')
  // The police handled every residence step: completed 8 (4 + 6 + 10 + 5 + 2 + 20 + 1 + 4 = 52 → 6.5), open L7; L8's
  // task was cancelled and counts nowhere.
  t.same(await heat(police, '&by=handlingUnit'), [
    { elementId: 'Task_Residence', name: 'Đăng ký thường trú', active: 1, completed: 8, meanDwellHours: 6.5 },
  ])
  t.same(await heat(police, ''), [], 'the police received no dossier')
  // BHXH: L1 4, L2 8, L3 50, L5 6, L6 2, L9 6 = 76 over 6 → 12.67; open L4, L10.
  t.same(await heat(province, `&by=handlingUnit&unit=${BH.id}`), [
    { elementId: 'Task_Card', name: 'Cấp thẻ bảo hiểm y tế', active: 2, completed: 6, meanDwellHours: 12.67 },
  ])
})

t.test('a wrong "by" is refused', async (t) => {
  for (const url of [
    `/api/supervision/bottlenecks?${MARCH}&by=agency`,
    `/api/supervision/heatmap?procedureVersionId=${version.id}&by=agency`,
  ]) {
    const res = await app.app.inject({ method: 'GET', url, headers: province })
    t.equal(res.statusCode, 400, url)
    t.equal(res.json().code, 'MC_ERR_VALIDATION')
  }
})
