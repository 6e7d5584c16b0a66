// The partner agency in a real browser (issue #17): a dossier of the reference linked group (khai sinh → thường trú →
// thẻ BHYT) reaches the police step; the police officer (demo account congan) sees it in their worklist, opens the
// task, reads the route across agencies and approves; the commune's officers do not have the police step in their
// worklists. Then the officer choosing the next agency: on a test procedure whose second step is `chosen`
// (test/fixtures/next-unit/), the commune's tư pháp officer must pick the agency in the required select, and the step
// goes to the one picked.
// The earlier steps are driven through the API (the browser tests of the commune's steps are citizen-officer.test.ts).
import { fileURLToPath } from 'node:url'
import t from 'tap'
import type { Page } from 'playwright-core'
import { seedProcedures } from '../../src/catalogue/service.js'
import { apiClient } from '../helpers/api.js'
import { audit, screenshot, startWebWorld } from '../helpers/browser.js'
import { birthForm } from '../helpers/dossiers.js'
import { eventually } from '../helpers/eventually.js'
import { makePng } from '../helpers/files.js'

const world = await startWebWorld(t, { RATE_LIMIT_ALLOW: '127.0.0.1' })
const api = apiClient(world)
const knex = world.db.knex
const fixtures = fileURLToPath(new URL('../fixtures/next-unit/', import.meta.url))
const seeded = await seedProcedures(knex, world.app.engine, {
  formsDir: `${fixtures}forms`,
  workflowsDir: `${fixtures}workflows`,
})
if (seeded.failed.length) throw new Error(JSON.stringify(seeded.failed))

/** A dossier of `procedure` submitted by the demo citizen at xã An Bình (address in An Bình, commune code 99901). */
async function submitted(procedure: string): Promise<string> {
  const draft = await api.call('POST', '/api/dossiers/drafts', 'congdan', {
    procedure,
    agencyUnitId: 'xa-an-binh',
    formData: {
      ...birthForm,
      nguoiYeuCau: { ...birthForm.nguoiYeuCau, noiCuTru: { tinh: 'Tỉnh Demo', xa: '99901' } },
    },
    deliveryMethod: 'counter',
  })
  if (draft.statusCode !== 201) throw new Error(`draft: ${draft.body}`)
  const id = (draft.json() as { id: string }).id
  for (const c of ['to-khai', 'giay-chung-sinh']) {
    const up = await api.upload(
      'congdan',
      `/api/dossiers/drafts/${id}/attachments/${c}`,
      makePng(),
      `${c}.png`,
      'image/png',
    )
    if (up.statusCode !== 201) throw new Error(`upload ${c}: ${up.body}`)
  }
  const sub = await api.call('POST', `/api/dossiers/drafts/${id}/submit`, 'congdan', undefined, {
    'idempotency-key': `partner-${id}`,
  })
  if (sub.statusCode !== 201) throw new Error(`submit: ${sub.body}`)
  return (sub.json() as { dossierId: string }).dossierId
}

/** The open task of a step of the dossier, once the engine has created it. */
const openTask = (dossierId: string, elementId: string) =>
  eventually(
    `${elementId} of ${dossierId}`,
    () =>
      knex('tasks').where({ dossier_id: dossierId, element_id: elementId, state: 'CREATED' }).first() as Promise<
        { user_task_key: string; unit_path: string } | undefined
      >,
    90_000,
  )

/** Claims and completes a task through the API. */
async function work(who: string, taskKey: string, body: Record<string, unknown>) {
  const claimed = await api.call('POST', `/api/tasks/${taskKey}/claim`, who)
  if (claimed.statusCode !== 200) throw new Error(`${who} claims ${taskKey}: ${claimed.body}`)
  const done = await api.call('POST', `/api/tasks/${taskKey}/complete`, who, body)
  if (done.statusCode !== 200) throw new Error(`${who} completes ${taskKey}: ${done.body}`)
}

const taskLink = (page: Page, taskKey: string) =>
  page.locator(`a[href="/can-bo/nhiem-vu/${encodeURIComponent(taskKey)}"]`)
const dossierCode = async (dossierId: string) =>
  eventually(
    'the dossier code',
    async () => (await knex('dossiers').where({ id: dossierId }).first('code'))?.code as string | undefined,
  )
const unitName = async (id: string) => ((await knex('units').where({ id }).first('name')) as { name: string }).name

t.test('the police officer works their step of a linked-group dossier; the commune does not see it', async (t) => {
  const slug = 'lien-thong-khai-sinh-thuong-tru-bhyt'
  // The dossier that goes to the police, and one left at the commune's civil-status step (what the commune does see).
  const dossierId = await submitted(slug)
  const staying = await submitted(slug)
  for (const id of [dossierId, staying])
    await work('motcua-xa', (await openTask(id, 'Task_Receive')).user_task_key, { decision: 'accept' })
  const birth = await openTask(dossierId, 'Task_BirthRegistration')
  const stayingBirth = await openTask(staying, 'Task_BirthRegistration')
  await work('tuphap-xa', birth.user_task_key, { decision: 'approve' })
  const residence = await openTask(dossierId, 'Task_Residence')
  const code = await dossierCode(dossierId)
  const [commune, police] = await Promise.all(['xa-an-binh', 'cong-an-tinh'].map(unitName))

  // The police officer's worklist has the step, by the dossier's code.
  const { page } = await world.newPage()
  await world.login(page, 'congan')
  await page.goto(`${world.baseUrl}/can-bo`)
  const link = taskLink(page, residence.user_task_key)
  await link.waitFor()
  const row = page.getByRole('row').filter({ has: link })
  t.match(await row.textContent(), code, 'the police worklist lists the dossier by its code')
  t.equal(await taskLink(page, stayingBirth.user_task_key).count(), 0, 'not the step still at the commune')
  await screenshot(page, 'officer-partner-agency-worklist')

  // The task: the route across agencies, then the decision.
  await link.first().click()
  await page.waitForURL(/\/can-bo\/nhiem-vu\//)
  const route = page.getByTestId('dossier-route')
  await route.waitFor()
  t.ok(await route.getByRole('heading', { name: 'Quy trình xử lý liên thông' }).isVisible(), 'the route is shown')
  const rows = route.locator('tbody tr')
  const cells = await rows.evaluateAll((trs) =>
    trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent?.trim() ?? '')),
  )
  t.equal(cells.length, 3, 'one row per step held so far')
  t.match(cells[0]?.[0], commune, 'reception at the commune')
  t.match(cells[1]?.[0], commune, 'the birth at the commune')
  t.match(cells[2]?.[0], police, 'the residence step at the police')
  t.match(cells[1]?.[1], /khai sinh/i, 'the second step is the birth registration')
  t.match(cells[2]?.[1], /thường trú/, 'the third is the residence registration')
  t.match(cells[1]?.[5], /^Đúng hạn$/, 'the commune’s step was done on time')
  t.match(cells[2]?.[5], /^Đang xử lý — trong hạn$/, 'the police step is in progress, on time')
  t.notOk(
    cells.flat().some((c) => /X99\.|cong-an|Task_/.test(c)),
    'no codes or ids in the route table',
  )
  t.equal(await page.getByLabel('Chuyển đến cơ quan').count(), 0, 'the next agency is fixed: no agency select')

  await page.getByRole('button', { name: 'Nhận xử lý' }).click()
  await page.getByText('Bạn đã nhận xử lý công việc này.').waitFor()
  await page.getByRole('radio', { name: 'Đồng ý, chuyển bước tiếp theo' }).check()
  await screenshot(page, 'officer-partner-agency-task')
  await page.getByRole('button', { name: 'Hoàn thành' }).click()
  await page.getByText('Đã hoàn thành công việc.').waitFor()
  const card = await openTask(dossierId, 'Task_HealthInsurance')
  t.equal(
    card.unit_path,
    (await knex('units').where({ id: 'bhxh-tinh' }).first('path'))?.path,
    'on to social insurance',
  )

  // The commune's officers: the civil-status officer sees the dossier still at the commune, not the police step.
  for (const who of ['tuphap-xa', 'motcua-xa']) {
    const { page: p } = await world.newPage()
    await world.login(p, who)
    await p.goto(`${world.baseUrl}/can-bo`)
    if (who === 'tuphap-xa') await taskLink(p, stayingBirth.user_task_key).waitFor()
    else await p.getByRole('table').first().waitFor()
    t.equal(await taskLink(p, residence.user_task_key).count(), 0, `${who}: the police step is not in the worklist`)
    t.equal(await taskLink(p, card.user_task_key).count(), 0, `${who}: nor the social-insurance step`)
  }
})

t.test('the officer picks the next agency in a required select', async (t) => {
  const dossierId = await submitted('chuyen-co-quan-thu-nghiem')
  await work('motcua-xa', (await openTask(dossierId, 'Task_Receive')).user_task_key, { decision: 'accept' })
  const review = await openTask(dossierId, 'Task_Review')
  const insurance = await unitName('bhxh-tinh')

  const { page } = await world.newPage()
  await world.login(page, 'tuphap-xa')
  await page.goto(`${world.baseUrl}/can-bo/nhiem-vu/${encodeURIComponent(review.user_task_key)}`)
  await page.getByRole('button', { name: 'Nhận xử lý' }).click()
  await page.getByText('Bạn đã nhận xử lý công việc này.').waitFor()
  await page.getByRole('radio', { name: 'Đồng ý, chuyển bước tiếp theo' }).check()
  const select = page.getByLabel(/^Chuyển đến cơ quan/)
  await select.waitFor()
  const options = await select.locator('option').allTextContents()
  t.same(
    options.filter((o) => !o.startsWith('—')),
    [await unitName('cong-an-tinh'), insurance],
    'the agencies the model allows, by name',
  )
  // Without a choice the form does not go.
  await page.getByRole('button', { name: 'Hoàn thành' }).click()
  await page
    .locator('section.decision')
    .getByText(/Bắt buộc/)
    .first()
    .waitFor()
  await audit(page, 'officer-decision-required')
  t.equal(
    (await knex('tasks').where({ user_task_key: review.user_task_key }).first('state'))?.state,
    'CREATED',
    'nothing sent without an agency',
  )
  await select.selectOption({ label: insurance })
  await page.getByRole('button', { name: 'Hoàn thành' }).click()
  await page.getByText('Đã hoàn thành công việc.').waitFor()
  const next = await openTask(dossierId, 'Task_Sign')
  t.equal(next.unit_path, (await knex('units').where({ id: 'bhxh-tinh' }).first('path'))?.path, 'the step went to BHXH')
})
