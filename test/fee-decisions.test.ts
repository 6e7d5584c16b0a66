// Fees by case from a DMN table (docs/payments.md "Fees"): the household-business procedure carries
// workflows/dang-ky-thanh-lap-ho-kinh-doanh.dmn beside its BPMN (workflow.decisions), deployed with it on publish; a
// business rule task (zeebe:calledDecision, binding type deployment) evaluates it when the counter accepts, and its
// result variable `fee` ({lines, totalVnd}) is what dossier.request-payment asks instead of the static rule.
// Zeebe's business rule task and binding types: https://docs.camunda.io/docs/components/modeler/bpmn/business-rule-tasks/
// Given the procedure published from forms/ and workflows/:
// - an online dossier is asked the table's online amount, a counter dossier the counter amount, each with the table's
//   line; paid, the receipt prints that line and its amount in words;
// - the catalogue still shows the procedure's price (the static rule);
// - a draft whose decision table is missing, broken, or lacks the decision a task calls is refused on publish (and
//   on validate) with a Vietnamese and English message, and nothing is deployed.
import { readFileSync } from 'node:fs'
import t, { type Test } from 'tap'
import { dossierContext } from '../src/api/dossiers/context.js'
import { seedProcedures } from '../src/catalogue/service.js'
import { seedCalendar } from '../src/db/calendar-repository.js'
import { buildTestApp } from './helpers/app.js'
import { apiClient } from './helpers/api.js'
import { householdForm } from './helpers/dossiers.js'
import { eventually } from './helpers/eventually.js'
import { makePdf } from './helpers/files.js'

const built = await buildTestApp(t)
const { app, db } = built
const knex = db.knex
const api = apiClient(built)
await seedCalendar(knex)
const seeded = await seedProcedures(knex, app.engine)
if (seeded.failed.length) throw new Error(JSON.stringify(seeded.failed))

const slug = 'dang-ky-thanh-lap-ho-kinh-doanh'
const dmnFile = `${slug}.dmn`
const dmnXml = readFileSync(`workflows/${dmnFile}`, 'utf8')
const bpmnXml = readFileSync(`workflows/${slug}.bpmn`, 'utf8')
const definition = JSON.parse(readFileSync(`forms/${slug}.json`, 'utf8'))
const timeoutMs = 30_000
const detail = async (id: string, who = 'congdan') => (await api.call('GET', `/api/dossiers/${id}`, who)).json()
const statusOf = async (id: string) => (await knex('dossiers').where({ id }).first('status')).status as number

async function accept(t: Test, id: string): Promise<void> {
  const task = await eventually(
    'the reception task',
    () => knex('tasks').where({ dossier_id: id, element_id: 'Task_Receive', state: 'CREATED' }).first('user_task_key'),
    timeoutMs,
  )
  await api.call('POST', `/api/tasks/${task.user_task_key}/claim`, 'motcua-xa')
  const done = await api.call('POST', `/api/tasks/${task.user_task_key}/complete`, 'motcua-xa', { decision: 'accept' })
  t.equal(done.statusCode, 200, `accepted: ${done.body}`)
  await eventually('the fee asked (status 6)', async () => ((await statusOf(id)) === 6 ? true : undefined), timeoutMs)
}

async function submittedOnline(t: Test, key: string): Promise<string> {
  const draft = await api.call('POST', '/api/dossiers/drafts', 'congdan', {
    procedure: slug,
    agencyUnitId: 'xa-an-binh',
  })
  const draftId = draft.json().id as string
  await api.call('PATCH', `/api/dossiers/drafts/${draftId}`, 'congdan', {
    formData: householdForm,
    deliveryMethod: 'counter',
  })
  for (const c of ['giay-de-nghi', 'giay-to-tuy-than'])
    await api.upload('congdan', `/api/dossiers/drafts/${draftId}/attachments/${c}`, makePdf(), `${c}.pdf`)
  const submitted = await api.call('POST', `/api/dossiers/drafts/${draftId}/submit`, 'congdan', undefined, {
    'idempotency-key': key,
  })
  t.equal(submitted.statusCode, 201, submitted.body)
  return submitted.json().dossierId as string
}

async function enteredAtCounter(t: Test, key: string): Promise<string> {
  const attachments = []
  for (const c of ['giay-de-nghi', 'giay-to-tuy-than']) {
    const scan = await api.upload(
      'motcua-xa',
      `/api/counter/procedures/${slug}/attachments/${c}`,
      makePdf(),
      `${c}.pdf`,
    )
    t.equal(scan.statusCode, 201, scan.body)
    attachments.push({ componentId: c, fileId: scan.json().fileId })
  }
  const intake = await api.call(
    'POST',
    '/api/counter/dossiers',
    'motcua-xa',
    {
      procedure: slug,
      agencyUnitId: 'xa-an-binh',
      formData: householdForm,
      deliveryMethod: 'counter',
      applicant: { name: 'Nguyễn Văn An', idNumber: '001090000001' },
      attachments,
    },
    { 'idempotency-key': key },
  )
  t.equal(intake.statusCode, 201, intake.body)
  return intake.json().dossierId as string
}

const asked = async (id: string, who = 'congdan') =>
  (await detail(id, who)).timeline.find((e: { kind: string }) => e.kind === 'payment_requested').data as {
    amountVnd: number
    paymentDueAt: string
    source?: string
    lines: Array<{ name: string; kind: string; unitVnd: number; quantity: number; amountVnd: number }>
  }

t.test('the procedure carries its decision table, deployed with its BPMN', async (t) => {
  const versions = (await api.call('GET', `/api/procedures/${slug}/versions`, 'phantich')).json()
  const version = (await api.call('GET', `/api/procedures/${slug}/versions/${versions[0].version}`, 'phantich')).json()
  t.same(version.decisions, [dmnFile], 'the version names its DMN file')
  const deployed = await knex('engine_decisions').where({ decision_id: 'le-phi-dang-ky-ho-kinh-doanh' }).first()
  t.ok(deployed, 'the engine holds the decision')
})

t.test('the catalogue still shows the procedure’s price', async (t) => {
  const res = await api.call('GET', `/api/procedures/${slug}`, undefined)
  t.equal(res.statusCode, 200)
  t.match(res.json().fees[0], { name: 'Lệ phí đăng ký hộ kinh doanh', amountVnd: 100000, onlineAmountVnd: 50000 })
  const hits = (await api.call('GET', `/api/procedures?q=ho%20kinh%20doanh`, undefined)).json()
  t.match(hits.items.find((i: { slug: string }) => i.slug === slug).fees[0], { amountVnd: 100000 })
})

t.test('online: the table’s amount is asked, paid, and printed on the receipt', async (t) => {
  const id = await submittedOnline(t, 'fee-decision-online')
  await accept(t, id)
  const fee = await asked(id)
  t.same(
    fee,
    {
      amountVnd: 50000,
      paymentDueAt: fee.paymentDueAt,
      source: 'decision',
      lines: [
        {
          name: 'Lệ phí đăng ký hộ kinh doanh (nộp trực tuyến)',
          kind: 'le-phi',
          unitVnd: 50000,
          quantity: 1,
          amountVnd: 50000,
        },
      ],
    },
    'the line and the total the decision gave',
  )
  t.equal(Number((await knex('dossiers').where({ id }).first('payment_amount_vnd')).payment_amount_vnd), 50000)
  const started = await api.call('POST', `/api/dossiers/${id}/payments`, 'congdan', {})
  t.equal(started.statusCode, 201, started.body)
  t.equal(started.json().amountVnd, 50000, 'the applicant is asked the table’s amount')
  const reference = started.json().reference as string
  const signature = dossierContext(app).sandbox.sign(reference, 'paid')
  const paid = await api.call('POST', '/api/payments/sandbox/callback', undefined, {
    reference,
    status: 'paid',
    signature,
  })
  t.equal(paid.statusCode, 200, paid.body)
  await eventually('the code after payment', async () => (await detail(id)).code ?? undefined, timeoutMs)
  const receipt = await api.call('GET', `/api/dossiers/${id}/print/fee-receipt`, 'congdan')
  t.equal(receipt.statusCode, 200)
  t.match(receipt.body, 'Lệ phí đăng ký hộ kinh doanh (nộp trực tuyến)', 'the receipt prints the table’s line')
  t.match(receipt.body, 'Năm mươi nghìn đồng')
})

t.test('at the counter: the counter amount', async (t) => {
  const id = await enteredAtCounter(t, 'fee-decision-counter')
  await accept(t, id)
  const fee = await asked(id, 'motcua-xa')
  t.equal(fee.amountVnd, 100000)
  t.same(
    fee.lines.map((l) => [l.name, l.amountVnd]),
    [['Lệ phí đăng ký hộ kinh doanh', 100000]],
  )
})

t.test('publishing refuses a missing, broken or incomplete decision table', async (t) => {
  const expectRefused = async (
    t: Test,
    decisions: Array<{ name: string; xml: string }>,
    expected: Array<{ path: RegExp | string; message: RegExp }>,
  ) => {
    const draft = await api.call('POST', '/api/procedures', 'phantich', { definition, bpmnXml, decisions })
    t.equal(draft.statusCode, 201, draft.body)
    const version = draft.json().version as number
    const deploymentsBefore = (await knex('engine_decision_requirements').count({ n: '*' }).first())!.n
    const checked = await api.call('POST', `/api/procedures/${slug}/versions/${version}/validate`, 'phantich')
    t.equal(checked.json().valid, false)
    const res = await api.call('POST', `/api/procedures/${slug}/versions/${version}/publish`, 'phantich')
    t.equal(res.statusCode, 422, res.body)
    t.match(res.headers['content-type'], /application\/problem\+json/)
    t.match(res.json().errors, expected)
    t.match(checked.json().errors, expected, 'validate says the same')
    t.equal(
      (await knex('engine_decision_requirements').count({ n: '*' }).first())!.n,
      deploymentsBefore,
      'nothing deployed',
    )
    const discarded = await api.call('DELETE', `/api/procedures/${slug}/versions/${version}`, 'phantich')
    t.equal(discarded.statusCode, 200)
  }

  await t.test('missing', (t) =>
    expectRefused(
      t,
      [],
      [
        {
          path: '/workflow/decisions/0',
          message: /^Thiếu bảng quyết định dang-ky-thanh-lap-ho-kinh-doanh\.dmn.*\/ The decision table .* is missing/,
        },
        {
          path: 'bpmn:Task_ComputeFee',
          message: /gọi bảng quyết định "le-phi-dang-ky-ho-kinh-doanh".*\/ Business rule task/,
        },
      ],
    ),
  )
  await t.test('broken FEEL', (t) =>
    expectRefused(
      t,
      [{ name: dmnFile, xml: dmnXml.replace('<text>50000</text>', '<text>50000 +</text>') }],
      [
        {
          path: '/workflow/decisions/0',
          message: /^Bảng quyết định .* bị lỗi \/ The decision table .* is broken: .*not valid FEEL/,
        },
      ],
    ),
  )
  await t.test('not DMN at all', (t) =>
    expectRefused(
      t,
      [{ name: dmnFile, xml: '<definitions>' }],
      [{ path: '/workflow/decisions/0', message: /bị lỗi \/ The decision table .* is broken: Cannot read DMN/ }],
    ),
  )
  await t.test('without the decision the task calls', (t) =>
    expectRefused(
      t,
      [{ name: dmnFile, xml: dmnXml.replaceAll('le-phi-dang-ky-ho-kinh-doanh"', 'le-phi-khac"') }],
      [{ path: 'bpmn:Task_ComputeFee', message: /calls decision "le-phi-dang-ky-ho-kinh-doanh", which none/ }],
    ),
  )
  await t.test('a file the definition does not name', (t) =>
    expectRefused(
      t,
      [
        { name: dmnFile, xml: dmnXml },
        { name: 'thua.dmn', xml: dmnXml },
      ],
      [{ path: '/workflow/decisions', message: /thua\.dmn is not listed/ }],
    ),
  )
})
