// The supervisor dashboard's switch "Theo đơn vị tiếp nhận / Theo đơn vị xử lý" (liên thông, issue #17) in a real
// browser, as lanhdao (tỉnh Demo) sees it, on two dossiers of the published linked group written into the read model:
// the bottleneck table names the receiving commune for every step, or the agency that handled each step; on time and
// late per handling unit and step; the heatmap of the police shows nothing the police received and, per handling
// unit, the one dossier waiting at their step.
import { randomUUID } from 'node:crypto'
import t from 'tap'
import { audit, screenshot, startWebWorld } from '../helpers/browser.js'

const world = await startWebWorld(t)
const knex = world.db.knex
const SLUG = 'lien-thong-khai-sinh-thuong-tru-bhyt'
const proc = await knex('procedures as p')
  .join('procedure_versions as v', 'v.procedure_id', 'p.id')
  .where({ 'p.slug': SLUG, 'v.status': 'published' })
  .first('p.id', 'p.code', 'p.name', 'v.id as versionId', 'v.version')
const pathOf = async (id: string) => ((await knex('units').where({ id }).first('path')) as { path: string }).path
const unit = {
  anBinh: { id: 'xa-an-binh', path: await pathOf('xa-an-binh') },
  binhMinh: { id: 'xa-binh-minh', path: await pathOf('xa-binh-minh') },
  police: await pathOf('cong-an-tinh'),
  bhxh: await pathOf('bhxh-tinh'),
}
const names: Record<string, string> = {
  Task_BirthRegistration: 'Tư pháp xã đăng ký khai sinh',
  Task_Residence: 'Công an đăng ký thường trú',
  Task_HealthInsurance: 'Bảo hiểm xã hội cấp thẻ BHYT',
}

/** A dossier and its steps (element, handling unit path, start, hours or null while open, R11 result). */
async function dossier(
  code: string,
  at: { id: string; path: string },
  receipt: string,
  finishedAt: string | null,
  steps: [string, string, string, number | null, string | null][],
) {
  const id = randomUUID()
  await knex('dossiers').insert({
    id,
    code,
    procedure_id: proc.id,
    procedure_version_id: proc.versionId,
    procedure_code: proc.code,
    procedure_slug: SLUG,
    procedure_name: proc.name,
    agency_unit_id: at.id,
    unit_path: at.path,
    applicant_name: 'Người nộp',
    channel: 'online',
    delivery_method: 'counter',
    status: finishedAt ? 10 : 4,
    submitted_at: `${receipt}T08:00:00+07:00`,
    accepted_at: `${receipt}T08:30:00+07:00`,
    receipt_date: receipt,
    due_date: '2026-03-06',
    due_at: '2026-03-06T23:59:59+07:00',
    original_due_date: '2026-03-06',
    original_due_at: '2026-03-06T23:59:59+07:00',
    finished_at: finishedAt,
  })
  for (const [element, path, start, hours, result] of steps) {
    const key = `${code}-${element}`
    const done = hours === null ? null : new Date(Date.parse(start) + hours * 3_600_000)
    await knex('dossier_events').insert({
      dossier_id: id,
      kind: 'step',
      step_id: element,
      step_name: names[element],
      user_task_key: key,
      receiver_unit_path: path,
      at: start,
      finished_at: done,
      step_result: result,
    })
    await knex('tasks').insert({
      user_task_key: key,
      dossier_id: id,
      process_instance_key: '1',
      element_id: element,
      name: names[element],
      unit_path: path,
      state: done ? 'COMPLETED' : 'CREATED',
      created_at: start,
      completed_at: done,
    })
  }
}

// W1, received at An Bình: the commune registered the birth; it waits at the police now.
await dossier('X99.30-260302-0001', unit.anBinh, '2026-03-02', null, [
  ['Task_BirthRegistration', unit.anBinh.path, '2026-03-02T09:00:00+07:00', 3, 'on_time'],
  ['Task_Residence', unit.police, '2026-03-03T08:00:00+07:00', null, null],
])
// W2, received at Bình Minh and resolved: the police were late with its residence step.
await dossier('X99.31-260303-0001', unit.binhMinh, '2026-03-03', '2026-03-06T10:00:00+07:00', [
  ['Task_BirthRegistration', unit.binhMinh.path, '2026-03-03T09:00:00+07:00', 2, 'on_time'],
  ['Task_Residence', unit.police, '2026-03-04T08:00:00+07:00', 5, 'late'],
  ['Task_HealthInsurance', unit.bhxh, '2026-03-05T08:00:00+07:00', 4, 'on_time'],
])

const { page } = await world.newPage()
page.on('pageerror', (err) => console.error(`page error: ${err.message}`))
await world.login(page, 'lanhdao')

t.test('the bottleneck table per receiving unit, then per handling unit', async (t) => {
  await page.goto(`${world.baseUrl}/giam-sat`)
  await page.locator('#sv-bottleneck-period-month').fill('03/2026')
  const table = page.getByTestId('bottleneck-table')
  const receiving = page.getByRole('radio', { name: 'Theo đơn vị tiếp nhận' })
  t.ok(await receiving.isChecked(), 'per receiving unit by default')
  await table.getByRole('columnheader', { name: /Đơn vị tiếp nhận/ }).waitFor()
  const residence = table.locator('tbody tr').filter({ hasText: names.Task_Residence })
  // Each commune's police step is a row of that commune: W1 waits there (An Bình), W2's finished (Bình Minh).
  // W2's finished police step is March's only (W1's open one shows in every month).
  await residence.filter({ hasText: 'UBND xã Bình Minh' }).waitFor()
  t.equal(await residence.count(), 2, 'one police-step row per receiving commune')
  t.match(await residence.filter({ hasText: 'UBND xã An Bình' }).locator('td').nth(3).textContent(), /^1$/, 'W1 waits')
  t.match(await residence.filter({ hasText: 'UBND xã Bình Minh' }).locator('td').nth(4).textContent(), /^1$/)
  t.notMatch(await table.textContent(), /Công an tỉnh Demo|Bảo hiểm xã hội tỉnh Demo/, 'no agency named')

  await page.getByRole('radio', { name: 'Theo đơn vị xử lý' }).check()
  await table.getByRole('columnheader', { name: /Đơn vị xử lý/ }).waitFor()
  const police = table.locator('tbody tr').filter({ hasText: 'Công an tỉnh Demo' })
  await police.waitFor()
  t.equal(await residence.count(), 1, 'one police-step row: the police handled both dossiers')
  const cells = await police.locator('td').allTextContents()
  t.same(
    cells.slice(1, 5),
    [names.Task_Residence, 'Công an tỉnh Demo', '1', '1'],
    'step, agency, waiting 1, finished 1',
  )
  t.match(cells[7], /100/, 'its one finished step was late')
  t.match(
    await table.locator('tbody tr').filter({ hasText: names.Task_HealthInsurance }).textContent(),
    /Bảo hiểm xã hội tỉnh Demo/,
  )
  t.equal(
    await table.locator('tbody tr').filter({ hasText: names.Task_BirthRegistration }).count(),
    2,
    'each commune its own birth step',
  )
})

t.test('on time and late per handling unit, and per step under it', async (t) => {
  await page.locator('#sv-handling-period-month').fill('03/2026')
  const table = page.getByTestId('handling-unit-table')
  // BHXH has no open step: its row appears with March's figures (the police's open step shows in every month).
  await table.locator('tr[data-unit-id="bhxh-tinh"]').waitFor()
  const police = table.locator('tr[data-unit-id="cong-an-tinh"]')
  // The police: W2's step finished late; W1's is open (no step deadline recorded, so not past it).
  const figures = async (row: typeof police) => (await row.locator('td').allTextContents()).map((c) => c.trim())
  t.equal((await police.locator('th').textContent())?.trim(), 'Công an tỉnh Demo')
  t.same(await figures(police), ['1', '0', '1', '0 %', '1', '0'], 'finished 1, on time 0, late 1, 0 %, open 1')
  const step = police.locator('xpath=following-sibling::tr[1]')
  t.equal(await step.getAttribute('data-step-id'), 'Task_Residence', 'the police step under the police')
  t.same(await figures(step), ['1', '0', '1', '0 %', '1', '0'])
  t.same(await figures(table.locator('tr[data-unit-id="bhxh-tinh"]')), ['1', '1', '0', '100 %', '0', '0'])
  t.same(await figures(table.locator('tr[data-unit-id="xa-an-binh"]')), ['1', '1', '0', '100 %', '0', '0'])
  await screenshot(page, 'supervisor-by-handling-unit')
})

t.test('the heatmap of the police: nothing received, one dossier waiting at the step they handle', async (t) => {
  await page.goto(`${world.baseUrl}/giam-sat/quy-trinh/${SLUG}/${proc.version}`)
  await page.locator('#sv-heat-unit').selectOption('cong-an-tinh')
  const table = page.getByTestId('heatmap-table')
  await table.getByText('Chưa có hồ sơ nào của phiên bản này do đơn vị tiếp nhận.').waitFor()
  await page.getByRole('radio', { name: 'Theo đơn vị xử lý' }).check()
  const row = table.locator('tbody tr[data-element-id="Task_Residence"]')
  await row.waitFor()
  t.equal(await table.locator('tbody tr').count(), 1, 'only the police step')
  t.same((await row.locator('td').allTextContents()).slice(1, 3), ['1', '1'], 'waiting 1, completed 1')
  await page.locator('[data-testid="heatmap-canvas"][data-drawn="yes"]').waitFor()
  t.equal(
    await page.locator('.djs-overlays[data-container-id="Task_Residence"] .heat-badge').textContent(),
    '1',
    'the badge is on the police step',
  )
  t.equal(await page.locator('[data-testid="heatmap-canvas"] .djs-overlays .heat-badge').count(), 1)
  await audit(page, 'supervisor-heatmap-handling-unit')
})
