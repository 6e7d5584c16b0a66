// Supervision specified on a hand-built read model (March 2026 at xã Bình Minh): Biểu II.06a, Decision 766, overdue
// list, bottlenecks, heatmap, exports, roles.
import { randomUUID } from 'node:crypto'
import t from 'tap'
import ExcelJS from 'exceljs'
import { buildTestApp } from './helpers/app.js'

const app = await buildTestApp(t)
const knex = app.db.knex
const UNIT = 'xa-binh-minh'
const PATH = '/tinh-demo/xa-binh-minh/'

// Two procedures, one per field (lĩnh vực).
async function procedure(code: string, field: string) {
  const [p] = await knex('procedures')
    .insert({
      code,
      slug: `p-${code.toLowerCase()}`,
      name: `Thủ tục ${field}`,
      field,
      agency_level: 'xa',
      agency: 'UBND xã',
      online_level: 'toan-trinh',
      search_text: ' x ',
    })
    .returning('id')
  const [v] = await knex('procedure_versions')
    .insert({
      procedure_id: p.id,
      version: 1,
      status: 'published',
      definition: {},
      bpmn_xml: '<x/>',
      checksum: code,
      bpmn_process_id: `Process_${code}`,
    })
    .returning('id')
  return { id: p.id as string, versionId: v.id as string, code, name: `Thủ tục ${field}` }
}
const hoTich = await procedure('HT', 'Hộ tịch')
const xayDung = await procedure('XD', 'Xây dựng')
const citizen = (await knex('users').where({ username: 'congdan' }).first('id')).id as string

interface Spec {
  proc: typeof hoTich
  code: string
  channel: 'online' | 'counter'
  status: number
  /** receipt day; accepted at 09:00 that day. Omitted: never accepted. */
  receipt?: string
  due?: string
  /** R9: due in force after an extension. */
  extendedTo?: string
  finishedAt?: string
  paused?: boolean
  /** When the clock stopped, for a paused dossier. */
  pausedSince?: string
  /** Supplements asked during processing. */
  supplements?: number
  /** A supplement asked and handed in during processing. */
  supplementWait?: [string, string]
  fee?: number
  unitId?: string
  unitPath?: string
}

async function dossier(s: Spec): Promise<string> {
  const id = randomUUID()
  const dueAt = (d: string | undefined) => (d ? `${d}T23:59:59+07:00` : null)
  await knex('dossiers').insert({
    id,
    code: s.receipt ? s.code : null,
    procedure_id: s.proc.id,
    procedure_version_id: s.proc.versionId,
    procedure_code: s.proc.code,
    procedure_slug: 'x',
    procedure_name: s.proc.name,
    agency_unit_id: s.unitId ?? UNIT,
    unit_path: s.unitPath ?? PATH,
    applicant_name: 'Người nộp',
    channel: s.channel,
    delivery_method: 'counter',
    status: s.status,
    submitted_at: `${s.receipt ?? '2026-03-10'}T08:00:00+07:00`,
    accepted_at: s.receipt ? `${s.receipt}T09:00:00+07:00` : null,
    receipt_date: s.receipt ?? null,
    due_date: s.extendedTo ?? s.due ?? null,
    due_at: dueAt(s.extendedTo ?? s.due),
    original_due_date: s.due ?? null,
    original_due_at: dueAt(s.due),
    finished_at: s.finishedAt ?? null,
    paused: s.paused ?? false,
    paused_since: s.pausedSince ?? null,
    supplement_count: s.supplements ?? (s.supplementWait ? 1 : 0),
    deadline_events: JSON.stringify(
      s.supplementWait
        ? [
            { type: 'supplementRequested', at: s.supplementWait[0] },
            { type: 'supplementReceived', at: s.supplementWait[1] },
          ]
        : [],
    ),
    payment_amount_vnd: s.fee ?? null,
  })
  return id
}

// ---- Hộ tịch
// D1 received in February, still open on 1 March (carried over), result 5 March after its due of 4 March: late.
await dossier({
  proc: hoTich,
  code: 'D1',
  channel: 'counter',
  status: 10,
  receipt: '2026-02-25',
  due: '2026-03-04',
  finishedAt: '2026-03-05T10:00:00+07:00',
})
// D2 online, due 9 March, result 6 March: early. Paid its fee online, reused a document, rated 5.
const d2 = await dossier({
  proc: hoTich,
  code: 'D2',
  channel: 'online',
  status: 10,
  receipt: '2026-03-02',
  due: '2026-03-09',
  finishedAt: '2026-03-06T10:00:00+07:00',
  fee: 200000,
})
// D3 at the counter, due 10 March, extended to 13 March, result 12 March: late against the original due (R9), rated 2.
// A supplement asked Thursday 5 March was handed in Monday 9 March (2 working days of the applicant's).
const d3 = await dossier({
  proc: hoTich,
  code: 'D3',
  channel: 'counter',
  status: 9,
  receipt: '2026-03-03',
  due: '2026-03-10',
  extendedTo: '2026-03-13',
  finishedAt: '2026-03-12T10:00:00+07:00',
  supplementWait: ['2026-03-05T10:00:00+07:00', '2026-03-09T09:00:00+07:00'],
})
// D4 online, withdrawn by the applicant on 6 March: received, never resolved (column 14).
await dossier({
  proc: hoTich,
  code: 'D4',
  channel: 'online',
  status: 7,
  receipt: '2026-03-04',
  due: '2026-03-11',
  finishedAt: '2026-03-06T15:00:00+07:00',
})
// D5 online, due 12 March but waiting for a supplement asked on 10 March: paused, so within time (R10; for 766 the
// request on 10 March is its end, before the due).
await dossier({
  proc: hoTich,
  code: 'D5',
  channel: 'online',
  status: 5,
  receipt: '2026-03-05',
  due: '2026-03-12',
  paused: true,
  pausedSince: '2026-03-10T14:00:00+07:00',
})
// D6 received and withdrawn in February: not in March's report at all.
await dossier({
  proc: hoTich,
  code: 'D6',
  channel: 'online',
  status: 7,
  receipt: '2026-02-10',
  due: '2026-02-24',
  finishedAt: '2026-02-12T10:00:00+07:00',
})
// D7 received in April: not in March's report.
await dossier({
  proc: hoTich,
  code: 'D7',
  channel: 'online',
  status: 4,
  receipt: '2026-04-02',
  due: '2026-04-09',
  finishedAt: '2026-04-08T10:00:00+07:00',
})
// ---- Xây dựng
// D8 at the counter, due 27 March, still open and not paused: overdue at the end of March. Owes a fee, not paid online.
// Its application form was scanned at the counter: digitised.
const d8 = await dossier({
  proc: xayDung,
  code: 'D8',
  channel: 'counter',
  status: 4,
  receipt: '2026-03-16',
  due: '2026-03-27',
  fee: 500000,
})
// D9 received in February, due 15 April: carried over and within time on 31 March.
const d9 = await dossier({
  proc: xayDung,
  code: 'D9',
  channel: 'counter',
  status: 4,
  receipt: '2026-02-26',
  due: '2026-04-15',
})
// D10 online, due 20 March, result 20 March 15:00: on time; rated 4. Two supplements were asked during processing (data
// from an earlier system: motcua itself allows one, R7): late for 766 whatever the dates.
const d10 = await dossier({
  proc: xayDung,
  code: 'D10',
  channel: 'online',
  status: 10,
  receipt: '2026-03-09',
  due: '2026-03-20',
  finishedAt: '2026-03-20T15:00:00+07:00',
  supplements: 2,
})
// D11 online, due 30 March, result only on 3 April: in progress and overdue on 31 March.
const d11 = await dossier({
  proc: xayDung,
  code: 'D11',
  channel: 'online',
  status: 10,
  receipt: '2026-03-23',
  due: '2026-03-30',
  finishedAt: '2026-04-03T10:00:00+07:00',
})
// D12 refused at reception: never accepted, so never received.
await dossier({ proc: xayDung, code: 'D12', channel: 'online', status: 3, finishedAt: '2026-03-10T10:00:00+07:00' })
// D13 belongs to Sở Xây dựng, outside xã Bình Minh's subtree.
await dossier({
  proc: xayDung,
  code: 'D13',
  channel: 'online',
  status: 10,
  receipt: '2026-03-10',
  due: '2026-03-20',
  finishedAt: '2026-03-11T10:00:00+07:00',
  unitId: 'so-xay-dung',
  unitPath: '/tinh-demo/so-xay-dung/',
})

// Payment, reuse and ratings (the citizen portal's tables).
await knex('payments').insert({
  dossier_id: d2,
  provider: 'sandbox',
  reference: 'R-D2',
  amount_vnd: 200000,
  status: 'paid',
  paid_at: '2026-03-03T10:00:00+07:00',
})
const [file] = await knex('files')
  .insert({ sha256: 'a'.repeat(64), size: 1, mime: 'application/pdf', original_name: 'a.pdf', storage_key: 'k' })
  .returning('id')
await knex('dossier_attachments').insert({
  dossier_id: d2,
  component_id: 'c1',
  file_id: file.id,
  reused_from_dossier_code: 'OLD-1',
  digitisation: 'reused',
})
await knex('dossier_attachments').insert({
  dossier_id: d8,
  component_id: 'to-khai',
  file_id: file.id,
  digitisation: 'scanned_at_counter',
})
for (const [dossierId, score] of [
  [d2, 5],
  [d3, 2],
  [d10, 4],
] as const)
  await knex('dossier_ratings').insert({ dossier_id: dossierId, user_id: citizen, score })

// The leader of xã Bình Minh: Sở Xây dựng (D13) is outside the subtree.
const lanhdao = await app.loginAs('lanhdao-bm')
const get = (url: string, headers = lanhdao) => app.app.inject({ method: 'GET', url, headers })

const columns = [
  'receivedTotal',
  'receivedOnline',
  'receivedCounterOrPost',
  'carriedOver',
  'resolvedTotal',
  'resolvedEarly',
  'resolvedOnTime',
  'resolvedLate',
  'inProgressTotal',
  'inProgressWithin',
  'inProgressOverdue',
  'closed',
] as const
const pick = (row: Record<string, unknown>) => columns.map((k) => row[k])

// Hand-worked answers for March 2026 (columns 3–13, then 14 = withdrawn/stopped/refused after acceptance).
// Hộ tịch: received D1 (carried), D2, D4, D5 (online), D3 (counter) = 5; resolved D2 early, D1 and D3 late = 3;
// in progress D5 (paused → within) = 1; D4 withdrawn = 1.   5 = 3 + 1 + 1.
const hoTichRow = [5, 3, 1, 1, 3, 1, 0, 2, 1, 1, 0, 1]
// Xây dựng: received D9 (carried), D10, D11 (online), D8 (counter) = 4; resolved D10 on time = 1;
// in progress D9 within, D8 and D11 overdue = 3.   4 = 1 + 3.
const xayDungRow = [4, 2, 1, 1, 1, 0, 1, 0, 3, 1, 2, 0]
const totalRow = [9, 5, 2, 2, 4, 1, 1, 2, 4, 2, 2, 1]

t.test('Biểu II.06a for March 2026 over xã Bình Minh', async (t) => {
  const res = await get(`/api/supervision/reports/06a?month=2026-03`)
  t.equal(res.statusCode, 200, res.body)
  const body = res.json()
  t.same(body.period, { from: '2026-03-01', to: '2026-03-31', label: 'Tháng 03 năm 2026' })
  t.same(
    body.rows.map((r: { no: number; field: string }) => [r.no, r.field]),
    [
      [1, 'Hộ tịch'],
      [2, 'Xây dựng'],
    ],
  )
  t.same(pick(body.rows[0]), hoTichRow)
  t.same(pick(body.rows[1]), xayDungRow)
  t.same(pick(body.total), totalRow, 'D6, D7, D12 and D13 (another subtree) are not counted')
  for (const c of [...body.rows, body.total]) {
    t.equal(
      c.receivedTotal,
      c.carriedOver + c.receivedOnline + c.receivedCounterOrPost,
      'received = carried over + new',
    )
    t.equal(
      c.receivedTotal,
      c.resolvedTotal + c.inProgressTotal + c.closed,
      'received = resolved + in progress + withdrawn/stopped',
    )
  }
})

t.test('a from–to period starting 6 March carries over what was open on 5 March', async (t) => {
  // D1 finished 5 March: outside. Carried over: D2, D3, D4, D5 (received 2–5 March) and D9 = 5. New: D10, D11 online,
  // D8 counter. Resolved: D2 early (6 March), D3 late, D10 on time. In progress: D5, D9 within; D8, D11 overdue. D4
  // withdrawn 6 March. 8 = 5 + 2 + 1 = 3 + 4 + 1.
  const res = await get(`/api/supervision/reports/06a?from=2026-03-06&to=2026-03-31`)
  t.same(pick(res.json().total), [8, 2, 1, 5, 3, 1, 1, 1, 4, 2, 2, 1])
})

t.test('Decision 766 indicators for March 2026', async (t) => {
  const res = await get(`/api/supervision/indicators?month=2026-03`)
  t.equal(res.statusCode, 200, res.body)
  const b = res.json()
  const codes = (refs: { code: string }[]) => refs.map((r) => r.code).sort()
  // 2.1: received or handled in March: D1, D2, D3, D4, D5, D8, D9, D10, D11 (= 06a column 3). Finished or still within
  // time: D2 (result 6 March, due 9), D4 (withdrawn 6 March, due 11: finished in time), D5 (supplement asked 10 March,
  // due 12), D9 (due 15 April). Late: D1 and D3 (results after their dues), D8 and D11 (open past their dues on 31
  // March), D10 (two supplement requests). 4 ÷ 9.
  t.match(b.onTimeRate, { value: 0.4444, numerator: 4, denominator: 9 })
  t.same(codes(b.onTimeRate.dossiers.numerator), ['D2', 'D4', 'D5', 'D9'])
  t.same(codes(b.onTimeRate.dossiers.denominator), ['D1', 'D10', 'D11', 'D2', 'D3', 'D4', 'D5', 'D8', 'D9'])
  // Biểu II.06a's figure: resolved D1, D2, D3, D10; early or on time D2, D10.
  t.match(b.resolvedOnTimeRate, { value: 0.5, numerator: 2, denominator: 4 })
  t.same(codes(b.resolvedOnTimeRate.dossiers.numerator), ['D10', 'D2'])
  // 2.2: received in March and resolved, whenever: D2 4 working days (3–6 March), D3 7 (4–12) less its supplement's 2
  // (6 and 9 March) = 5, D10 9 (10–20), D11 9 (24 March – 3 April) → 27 ÷ 4. D1 was received in February; D4 was
  // withdrawn.
  t.match(b.averageResolutionDays, { value: 6.75, count: 4 })
  t.same(codes(b.averageResolutionDays.dossiers), ['D10', 'D11', 'D2', 'D3'])
  // Received in March (not carried): D2, D3, D4, D5, D8, D10, D11 = 7; online D2, D4, D5, D10, D11 = 5.
  t.match(b.onlineShare, { value: 0.7143, numerator: 5, denominator: 7, threshold: 0.5, scoreShare: 1 })
  // Owed a fee: D2 (paid online), D8 (not).
  t.match(b.onlinePaymentShare, { value: 0.5, numerator: 1, denominator: 2 })
  t.same(codes(b.onlinePaymentShare.dossiers.denominator), ['D2', 'D8'])
  // 4.2: a file in a component: D2 (reused) and D8 (scanned at the counter) of 7; 0.2857 ÷ 0.8 of the points.
  t.match(b.digitisedShare, { value: 0.2857, numerator: 2, denominator: 7, threshold: 0.8, scoreShare: 0.3571 })
  t.same(codes(b.digitisedShare.dossiers.numerator), ['D2', 'D8'])
  // 4.3: reused a document: D2 of 7; 0.1429 ÷ 0.8 of the points.
  t.match(b.reuseShare, { value: 0.1429, numerator: 1, denominator: 7, scoreShare: 0.1786 })
  // Ratings of resolved dossiers: D2 5, D3 2, D10 4 → satisfied (4–5) 2 of 3, mean 3.67.
  t.match(b.satisfaction, { value: 0.6667, numerator: 2, denominator: 3, averageScore: 3.67 })
})

t.test('a period without ratings says so', async (t) => {
  const b = (await get(`/api/supervision/indicators?month=2026-06`)).json()
  t.equal(b.satisfaction.value, 'no data')
  t.equal(b.resolvedOnTimeRate.value, null, 'nothing resolved in June')
  // Still open in June: D5 (its supplement asked 10 March, before its due: within time), D8 and D9 (past their dues).
  t.match(b.onTimeRate, { value: 0.3333, numerator: 1, denominator: 3 })
})

t.test('CSV and XLSX exports parse back to the same numbers', async (t) => {
  const csv = await get(`/api/supervision/reports/06a?month=2026-03&format=csv`)
  t.equal(csv.statusCode, 200)
  t.match(csv.headers['content-type'], /text\/csv; charset=utf-8/)
  t.ok(csv.rawPayload.subarray(0, 3).equals(Buffer.from([0xef, 0xbb, 0xbf])), 'starts with the UTF-8 BOM')
  const lines = csv.body
    .replace(/^\uFEFF/, '')
    .split('\r\n')
    .map((l) => l.split(','))
  t.equal(lines[0]![0], 'Biểu số II.06a/VPCP/KSTT')
  t.ok(lines.some((l) => l[0] === 'Kỳ báo cáo: Tháng 03 năm 2026'))
  const row = (name: string) =>
    lines
      .find((l) => l[1] === name)!
      .slice(2)
      .map(Number)
  t.same(row('Hộ tịch'), hoTichRow)
  t.same(row('Xây dựng'), xayDungRow)
  t.same(row('Tổng cộng'), totalRow)
  // The footer in Vietnamese local time, dd/mm/yyyy HH:mm, never an ISO UTC timestamp (#20).
  const footer = lines
    .filter((l) => l.join('') !== '')
    .at(-1)!
    .join(',')
  t.match(footer, /^Lập lúc \d{2}:\d{2} ngày \d{2}\/\d{2}\/\d{4}$/)
  const local = new Date(Date.now() + 7 * 3_600_000).toISOString()
  t.ok(footer.endsWith(`${local.slice(8, 10)}/${local.slice(5, 7)}/${local.slice(0, 4)}`), 'the local (UTC+7) day')

  const xlsx = await get(`/api/supervision/reports/06a?month=2026-03&format=xlsx`)
  t.equal(xlsx.statusCode, 200)
  const book = new ExcelJS.Workbook()
  await book.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer)
  const sheet = book.getWorksheet('II.06a')!
  t.equal(sheet.getCell('A1').value, 'Biểu số II.06a/VPCP/KSTT')
  const rows: Record<string, number[]> = {}
  sheet.eachRow((r) => {
    const values = (r.values as unknown[]).slice(1)
    if (typeof values[1] === 'string' && ['Hộ tịch', 'Xây dựng', 'Tổng cộng'].includes(values[1]))
      rows[values[1]] = values.slice(2).map(Number)
  })
  t.same(rows, { 'Hộ tịch': hoTichRow, 'Xây dựng': xayDungRow, 'Tổng cộng': totalRow })
  const last = (sheet.getRow(sheet.rowCount).values as unknown[]).slice(1)
  t.match(String(last[0]), /^Lập lúc \d{2}:\d{2} ngày \d{2}\/\d{2}\/\d{4}$/, 'the same footer in the XLSX')
})

t.test('overdue list: most late first, paused and finished left out, cursor paging', async (t) => {
  const all = (await get(`/api/supervision/overdue?dueSoonDays=0`)).json()
  // Open and not paused: D8 (due 27 March) and D9 (due 15 April); D5 is paused.
  t.same(
    all.items.map((i: { code: string }) => i.code),
    ['D8', 'D9'],
  )
  // Working days between the two dues: 30, 31 March and 1–3, 6–10, 13–15 April = 13.
  t.equal(all.items[0].workingDaysLate - all.items[1].workingDaysLate, 13)
  t.match(all.items[0], { overdue: true, dueDate: '2026-03-27', agency: { unitId: UNIT } })
  const page1 = (await get(`/api/supervision/overdue?limit=1`)).json()
  t.same(
    page1.items.map((i: { code: string }) => i.code),
    ['D8'],
  )
  const page2 = (await get(`/api/supervision/overdue?limit=1&cursor=${page1.nextCursor}`)).json()
  t.same(
    page2.items.map((i: { code: string }) => i.code),
    ['D9'],
  )
  t.equal(page2.nextCursor, null)
})

t.test('bottlenecks and heatmap from the step control rows and tasks', async (t) => {
  const step = (dossierId: string, key: string, at: string, hours: number | null, result: string | null) =>
    knex('dossier_events').insert({
      dossier_id: dossierId,
      kind: 'step',
      step_id: 'Task_Appraise',
      step_name: 'Thẩm định',
      user_task_key: key,
      receiver_unit_path: PATH,
      at,
      finished_at: hours === null ? null : new Date(Date.parse(at) + hours * 3_600_000),
      step_result: result,
    })
  // Finished in March after 2, 4 and 10 hours (one late); D8 is waiting there now.
  await step(d2, 's1', '2026-03-03T08:00:00+07:00', 2, 'early')
  await step(d3, 's2', '2026-03-04T08:00:00+07:00', 4, 'on_time')
  await step(d10, 's3', '2026-03-10T08:00:00+07:00', 10, 'late')
  await step(d8, 's4', '2026-03-17T08:00:00+07:00', null, null)
  const b = (await get(`/api/supervision/bottlenecks?month=2026-03`)).json()
  // Median of 2, 4, 10 = 4; p90 = 4 + 0.8 × (10 − 4) = 8.8; 1 late of 3 judged.
  t.same(b.items, [
    {
      procedureCode: 'XD',
      procedureName: 'Thủ tục Xây dựng',
      stepId: 'Task_Appraise',
      stepName: 'Thẩm định',
      unitPath: PATH,
      waitingNow: 1,
      finished: 1,
      medianHours: 10,
      p90Hours: 10,
      missedShare: 1,
    },
    {
      procedureCode: 'HT',
      procedureName: 'Thủ tục Hộ tịch',
      stepId: 'Task_Appraise',
      stepName: 'Thẩm định',
      unitPath: PATH,
      waitingNow: 0,
      finished: 2,
      medianHours: 3,
      p90Hours: 3.8,
      missedShare: 0,
    },
  ])

  const task = (dossierId: string, key: string, state: string, created: string, hours: number | null) =>
    knex('tasks').insert({
      user_task_key: key,
      dossier_id: dossierId,
      process_instance_key: '1',
      element_id: 'Task_Appraise',
      name: 'Thẩm định',
      unit_path: PATH,
      state,
      created_at: created,
      completed_at: hours === null ? null : new Date(Date.parse(created) + hours * 3_600_000),
    })
  await task(d8, 't1', 'CREATED', '2026-03-17T08:00:00+07:00', null)
  await task(d10, 't2', 'COMPLETED', '2026-03-10T08:00:00+07:00', 10)
  await task(d11, 't3', 'COMPLETED', '2026-03-24T08:00:00+07:00', 6)
  const h = (await get(`/api/supervision/heatmap?procedureVersionId=${xayDung.versionId}`)).json()
  // One open, two completed after 10 and 6 hours → mean 8.
  t.same(h.elements, [{ elementId: 'Task_Appraise', name: 'Thẩm định', active: 1, completed: 2, meanDwellHours: 8 }])
})

t.test('public daily figures: per agency, no personal data, cacheable', async (t) => {
  const res = await app.app.inject({ method: 'GET', url: '/api/supervision/public/daily?date=2026-03-20' })
  t.equal(res.statusCode, 200)
  t.match(res.headers['cache-control'], /public, max-age=\d+/)
  // 20 March: D10 resolved on time at xã Bình Minh; nothing received that day.
  const unit = await knex('units').where({ id: UNIT }).first('name', 'agency_code')
  const row = res.json().units.find((u: { agency: string }) => u.agency === unit.name)
  t.match(row, { received: 0, resolved: 1, early: 0, onTime: 1, late: 0, onTimeRate: 1 })
  t.equal(row.agencyCode, unit.agency_code, 'the public agency code')
  t.notMatch(res.body, /Người nộp|D10/, 'no names or codes')
  // The agency by its name and public code, never by the internal unit id (#20).
  const ids = (await knex('units').pluck('id')) as string[]
  for (const id of ids) t.notOk(res.body.includes(`"${id}"`), `no internal unit id ${id}`)
})

t.test('roles: other subtrees, officers and citizens see nothing', async (t) => {
  const other = await app.loginAs('lanhdao-xa')
  // lanhdao-xa leads xã An Bình: our xã Bình Minh is another subtree.
  t.equal((await get(`/api/supervision/reports/06a?month=2026-03&unit=${UNIT}`, other)).statusCode, 403)
  t.equal((await get(`/api/supervision/overdue?unit=${UNIT}`, other)).statusCode, 403)
  const own = (await get(`/api/supervision/reports/06a?month=2026-03`, other)).json()
  t.same(own.rows, [])
  t.equal(own.total.receivedTotal, 0)
  t.same((await get(`/api/supervision/overdue`, other)).json().items, [])
  for (const user of ['canbo', 'congdan']) {
    const h = await app.loginAs(user)
    for (const url of [
      '/api/supervision/reports/06a?month=2026-03',
      '/api/supervision/indicators?month=2026-03',
      '/api/supervision/overdue',
    ]) {
      t.equal((await get(url, h)).statusCode, 403, `${user} ${url}`)
    }
  }
  t.equal((await app.app.inject({ method: 'GET', url: '/api/supervision/overdue' })).statusCode, 401)
  t.equal((await get(`/api/supervision/reports/06a?month=2026-03&year=2026`)).statusCode, 400, 'one period only')
})

t.test('reassigning from the overdue list goes through the lifecycle’s assign command', async (t) => {
  await knex('tasks').insert({
    user_task_key: 't-reassign',
    dossier_id: d9,
    process_instance_key: '1',
    element_id: 'Task_Appraise',
    name: 'Thẩm định',
    unit_path: PATH,
    state: 'CREATED',
    candidate_groups: ['mot-cua'],
    created_at: '2026-03-02T08:00:00+07:00',
  })
  const officer = await app.loginAs('motcua-bm')
  const assignee = (await knex('users').where({ username: 'motcua-bm' }).first('id')).id as string
  const post = (headers: { authorization: string }) =>
    app.app.inject({
      method: 'POST',
      url: '/api/supervision/tasks/t-reassign/assign',
      headers,
      payload: { assignee },
    })
  // motcua-bm has no task.assign: told so openly (403), decided before any lookup.
  t.equal((await post(officer)).statusCode, 403, 'an officer without the permission may not reassign')
  // lanhdao-xa leads xã An Bình: a task of xã Bình Minh answers like a missing key (404).
  const otherLeader = await app.loginAs('lanhdao-xa')
  t.equal((await post(otherLeader)).statusCode, 404, 'a supervisor of another commune may not reassign')
  t.equal((await knex('tasks').where({ user_task_key: 't-reassign' }).first('assignee')).assignee, null)
  const res = await post(lanhdao)
  t.equal(res.statusCode, 204, res.body)
  t.equal((await knex('tasks').where({ user_task_key: 't-reassign' }).first('assignee')).assignee, assignee)
})
