// Electronic results in a real browser: the leader signs the trích lục khai sinh at the signing step from the task
// page and approves; the citizen downloads the signed PDF from the dossier page; anyone opens the QR link's
// verification page and checks the downloaded file (valid, unmodified, issued here) and a tampered copy (modified).
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t from 'tap'
import { apiClient } from '../helpers/api.js'
import { screenshot, startWebWorld } from '../helpers/browser.js'
import { birthForm } from '../helpers/dossiers.js'
import { eventually } from '../helpers/eventually.js'
import { makePng } from '../helpers/files.js'
import { testSigning } from '../helpers/signing.js'

const signing = testSigning({ 'lanhdao-xa': 'Đặng Văn Long' }, { 'X99.30': 'UBND xã An Bình' })
const world = await startWebWorld(t, { RATE_LIMIT_ALLOW: '127.0.0.1', ...signing.env })
const api = apiClient(world)
const knex = world.db.knex
const tmp = mkdtempSync(join(tmpdir(), 'motcua-web-results-'))

const openTask = (id: string, elementId: string) =>
  eventually(
    `${elementId} of ${id}`,
    async () =>
      (await knex('tasks').where({ dossier_id: id, element_id: elementId, state: 'CREATED' }).first('user_task_key'))
        ?.user_task_key as string | undefined,
    30_000,
  )
async function complete(id: string, elementId: string, who: string, body: Record<string, unknown>): Promise<void> {
  const taskKey = await openTask(id, elementId)
  await api.call('POST', `/api/tasks/${taskKey}/claim`, who)
  const done = await api.call('POST', `/api/tasks/${taskKey}/complete`, who, body)
  if (done.statusCode !== 200) throw new Error(`${elementId}: ${done.body}`)
}

// An online birth registration, received and reviewed: it waits at the leader's signing step.
const draft = (
  await api.call('POST', '/api/dossiers/drafts', 'congdan', {
    procedure: 'dang-ky-khai-sinh',
    agencyUnitId: 'xa-an-binh',
    formData: birthForm,
    deliveryMethod: 'online',
  })
).json() as { id: string }
for (const c of ['to-khai', 'giay-chung-sinh'])
  await api.upload('congdan', `/api/dossiers/drafts/${draft.id}/attachments/${c}`, makePng(), `${c}.png`, 'image/png')
const dossierId = (
  await api.call('POST', `/api/dossiers/drafts/${draft.id}/submit`, 'congdan', undefined, {
    'idempotency-key': `results-web-${draft.id}`,
  })
).json().dossierId as string
await complete(dossierId, 'Task_Receive', 'motcua-xa', { decision: 'accept' })
await complete(dossierId, 'Task_Review', 'tuphap-xa', { decision: 'approve' })
const signKey = await openTask(dossierId, 'Task_Sign')

let downloaded: Buffer

t.test('the leader signs the result at the signing step, then approves', async (t) => {
  const { page } = await world.newPage()
  await world.login(page, 'lanhdao-xa')
  await page.goto(`${world.baseUrl}/can-bo/nhiem-vu/${signKey}`)
  await page.getByRole('button', { name: 'Nhận xử lý' }).click()
  const panel = page.locator('section.sign-result')
  await panel.getByRole('button', { name: 'Ký số kết quả' }).waitFor()
  t.match(await panel.textContent(), /Trích lục khai sinh.*đóng dấu số của cơ quan/)
  await panel.getByRole('button', { name: 'Ký số kết quả' }).click()
  await panel.getByRole('status').filter({ hasText: 'Đã ký số' }).waitFor()
  t.match(await panel.textContent(), /Người ký: Đặng Văn Long/, 'the signer is named')
  t.match(await panel.textContent(), /Chữ ký số của cơ quan: UBND xã An Bình/, 'the seal follows')
  await screenshot(page, 'officer-sign-result')
  // The signing step offers what its model routes after it: approve, or return to the previous step with a reason.
  // Nothing of a supplement request (the missing components) shows here.
  const form = page.locator('form').filter({ has: page.getByRole('button', { name: 'Hoàn thành' }) })
  t.same(
    await form.getByRole('radio').evaluateAll((radios) => radios.map((r) => r.closest('label')?.textContent?.trim())),
    ['Đồng ý, chuyển bước tiếp theo', 'Trả lại bước trước'],
    'approve or return, nothing else',
  )
  await page.getByRole('radio', { name: 'Trả lại bước trước' }).check()
  await form.getByText('Lý do', { exact: false }).first().waitFor()
  t.equal(await form.getByText('Thành phần còn thiếu').count(), 0, 'no missing components to list at signing')
  await page.getByRole('radio', { name: 'Đồng ý, chuyển bước tiếp theo' }).check()
  await form.getByText('Lý do', { exact: false }).first().waitFor({ state: 'detached' })
  t.equal(
    await form.getByRole('checkbox').count(),
    0,
    'no verification or consultation box: nothing after signing reads one',
  )
  await page.getByRole('button', { name: 'Hoàn thành' }).click()
  await page.getByText('Đã hoàn thành công việc.').waitFor()
  await eventually(
    'status 10',
    async () => (await knex('dossiers').where({ id: dossierId }).first('status')).status === 10,
    30_000,
  )
})

t.test('the citizen downloads the signed result from the dossier page', async (t) => {
  const { page } = await world.newPage()
  await world.login(page, 'congdan')
  await page.goto(`${world.baseUrl}/ho-so-cua-toi/${dossierId}`)
  const results = page.locator('section.results')
  await results.getByRole('heading', { name: 'Kết quả giải quyết điện tử' }).waitFor()
  t.match(await results.textContent(), /Trích lục khai sinh số X99\.30-\d{6}-\d{4}\/KQ — UBND xã An Bình/)
  await screenshot(page, 'citizen-result-download')
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    results.getByRole('button', { name: 'Tải kết quả (PDF đã ký số)' }).click(),
  ])
  const path = join(tmp, 'ket-qua.pdf')
  await download.saveAs(path)
  downloaded = readFileSync(path)
  t.equal(downloaded.subarray(0, 5).toString(), '%PDF-', 'a PDF')
  const kinds = await knex('dossier_events').where({ dossier_id: dossierId, kind: 'result_downloaded' }).count('* as n')
  t.equal(Number(kinds[0]!.n), 1, 'the download is on the timeline')
})

t.test('the public verification page: the QR link, a genuine copy and a tampered one', async (t) => {
  const { verification_code: code } = await knex('dossier_results')
    .where({ dossier_id: dossierId })
    .first('verification_code')
  const { page } = await world.newPage({ viewport: { width: 390, height: 844 } })
  await page.goto(`${world.baseUrl}/xac-minh/${code}`)
  await page.getByRole('heading', { name: 'Xác minh văn bản điện tử' }).waitFor()
  await page.getByText('UBND xã An Bình').first().waitFor()
  t.match(await page.locator('dl.facts').first().textContent(), /Trích lục khai sinh.*UBND xã An Bình.*Đặng Văn Long/)

  await page.getByLabel('Chọn tệp PDF cần kiểm tra').setInputFiles(join(tmp, 'ket-qua.pdf'))
  await page.getByRole('button', { name: 'Kiểm tra', exact: true }).click()
  const verdict = page.getByRole('status').filter({ hasText: 'Chữ ký số hợp lệ' })
  await verdict.waitFor()
  t.match(await verdict.textContent(), /không bị thay đổi.*trùng khớp với kết quả do hệ thống cấp/)
  t.match(await page.locator('table').textContent(), /Đặng Văn Long.*UBND xã An Bình/)
  await screenshot(page, 'public-verify-result')

  const tampered = Buffer.from(downloaded)
  const at = tampered.indexOf('stream\n') + 40
  tampered[at] = tampered[at]! ^ 0x01
  writeFileSync(join(tmp, 'sua-doi.pdf'), tampered)
  await page.getByLabel('Chọn tệp PDF cần kiểm tra').setInputFiles(join(tmp, 'sua-doi.pdf'))
  await page.getByRole('button', { name: 'Kiểm tra', exact: true }).click()
  const modified = page.getByRole('status').filter({ hasText: 'đã bị thay đổi sau khi ký' })
  await modified.waitFor()
  t.match(await modified.textContent(), /không trùng khớp/)
  await screenshot(page, 'public-verify-tampered')
})
