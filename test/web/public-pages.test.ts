// The public pages as a visitor reads them (#20), in Chromium: the catalogue shows what a procedure itself costs (birth
// registration is free; the optional copy fee is not its price) and per channel where the amounts differ; the
// procedure page speaks to applicants in Vietnamese, and in English as a translation, never in research notes; the
// lookup page's message carries no error code; the public daily figures have their page, linked from the footer.
import { randomUUID } from 'node:crypto'
import { readFileSync } from 'node:fs'
import t from 'tap'
import { CatalogueService } from '../../src/catalogue/service.js'
import type { ProcedureDefinition } from '../../src/catalogue/definition.js'
import { screenshot, startWebWorld } from '../helpers/browser.js'

const world = await startWebWorld(t)
const knex = world.db.knex
const researchNote =
  /not known here|see sources|as quoted|was not found|not confirmed|from memory|motcua's|also exempt/i

t.test('the catalogue shows the procedure’s own fee, per channel where they differ', async (t) => {
  // The household business fee as a provincial schedule may set it, lower online: published as its next version.
  const slug = 'dang-ky-thanh-lap-ho-kinh-doanh'
  const def = JSON.parse(readFileSync(`forms/${slug}.json`, 'utf8')) as ProcedureDefinition
  def.fees[0] = { ...def.fees[0]!, amountVnd: 100_000, onlineAmountVnd: 50_000 }
  const catalogue = new CatalogueService(knex, world.app.engine)
  const draft = await catalogue.createDraft({
    definition: def,
    bpmnXml: readFileSync(`workflows/${def.workflow.file}`, 'utf8'),
  })
  t.ok(draft.ok, 'a draft with per-channel fees')
  t.ok((await catalogue.publish(slug)).ok, 'published')
  const { page } = await world.newPage()
  await page.goto(`${world.baseUrl}/thu-tuc`)
  const fee = (name: string) =>
    page
      .getByRole('row')
      .filter({ has: page.getByRole('link', { name, exact: true }) })
      .locator('td[data-label="Phí, lệ phí"]')
      .textContent()
  await page.getByRole('link', { name: 'Đăng ký khai sinh', exact: true }).waitFor()
  t.equal(
    await fee('Đăng ký khai sinh'),
    'Miễn phí',
    'birth registration is free, the optional copies are not its price',
  )
  t.equal(await fee('Cấp bản sao trích lục hộ tịch'), '8.000\u00a0đ/bản', 'a fee per copy says so')
  t.equal(await fee('Cấp giấy phép xây dựng mới đối với nhà ở riêng lẻ'), 'Theo quy định của địa phương')
  t.equal(
    await fee('Đăng ký thành lập hộ kinh doanh'),
    'Trực tuyến: 50.000\u00a0đTại quầy: 100.000\u00a0đ',
    'per channel',
  )
  await screenshot(page, 'catalogue-fees')
})

t.test('the procedure page: Vietnamese for applicants, English as a translation, no research notes', async (t) => {
  const { page } = await world.newPage()
  await page.goto(`${world.baseUrl}/thu-tuc/dang-ky-khai-sinh`)
  await page.getByTestId('procedure-fee').waitFor()
  t.equal(await page.getByTestId('procedure-fee').textContent(), 'Miễn phí')
  const main = page.locator('main')
  t.match(await main.textContent(), 'Khi đề nghị cấp bản sao Giấy khai sinh', 'the copy fee says when it applies')
  t.match(await main.textContent(), '8.000\u00a0đ/bản')
  t.notMatch(await main.textContent(), researchNote, 'no research note in Vietnamese')
  await screenshot(page, 'procedure-fees')
  await page.getByRole('button', { name: 'Switch to English' }).click()
  await page.getByRole('heading', { name: 'Fees' }).waitFor()
  const english = (await main.textContent()) ?? ''
  t.match(english, 'Immediately after all the required papers are received', 'the duration note translated')
  t.match(english, 'When copies of the birth certificate are requested')
  t.notMatch(english, researchNote, 'no research note in English')
  t.notMatch(english, 'Ngay sau khi nhận đủ giấy tờ', 'the English page does not show the Vietnamese note')
  for (const slug of [
    'cap-giay-phep-xay-dung-nha-o-rieng-le',
    'xac-nhan-tinh-trang-hon-nhan',
    'cap-ban-sao-trich-luc-ho-tich',
    'dang-ky-thanh-lap-ho-kinh-doanh',
    'lien-thong-khai-sinh-thuong-tru-bhyt',
  ]) {
    await page.goto(`${world.baseUrl}/thu-tuc/${slug}`)
    await page.getByTestId('procedure-fee').waitFor()
    t.notMatch(await main.textContent(), researchNote, `${slug}: no research note`)
  }
})

t.test('the lookup page tells a visitor what went wrong without an error code', async (t) => {
  const { page } = await world.newPage()
  await page.goto(`${world.baseUrl}/tra-cuu`)
  await page.getByLabel('Mã hồ sơ').fill('X99-260101-0001')
  await page.getByLabel('Số CCCD / mã số thuế').fill('001203004567')
  await page.getByRole('button', { name: 'Tra cứu' }).click()
  const alert = page.getByRole('alert')
  await alert.waitFor()
  t.equal(await alert.getAttribute('data-code'), 'MC_ERR_DOSSIER_NOT_FOUND', 'the code stays for support tools')
  t.notMatch(await alert.textContent(), /MC_ERR_|Mã lỗi/, 'no error code on the page')
})

t.test('the public daily figures: per agency and day, in Vietnamese, from the footer', async (t) => {
  // Three dossiers at xã An Bình around Friday 20 March 2026: one received that day, one settled early and one late.
  const proc = await knex('procedures as p')
    .join('procedure_versions as v', 'v.procedure_id', 'p.id')
    .where({ 'p.slug': 'dang-ky-khai-sinh', 'v.status': 'published' })
    .first('p.id', 'p.code', 'p.name', 'v.id as version_id')
  const dossier = async (code: string, receipt: string, due: string, status: number, finishedAt: string | null) =>
    knex('dossiers').insert({
      id: randomUUID(),
      code,
      procedure_id: proc.id,
      procedure_version_id: proc.version_id,
      procedure_code: proc.code,
      procedure_slug: 'dang-ky-khai-sinh',
      procedure_name: proc.name,
      agency_unit_id: 'xa-an-binh',
      unit_path: (await knex('units').where({ id: 'xa-an-binh' }).first('path')).path,
      applicant_name: 'Người nộp',
      channel: 'online',
      delivery_method: 'counter',
      status,
      submitted_at: `${receipt}T08:00:00+07:00`,
      accepted_at: `${receipt}T09:00:00+07:00`,
      receipt_date: receipt,
      due_date: due,
      due_at: `${due}T23:59:59+07:00`,
      original_due_date: due,
      original_due_at: `${due}T23:59:59+07:00`,
      finished_at: finishedAt,
      deadline_events: JSON.stringify([]),
    })
  await dossier('P1', '2026-03-20', '2026-03-27', 4, null)
  await dossier('P2', '2026-03-18', '2026-03-25', 10, '2026-03-20T10:00:00+07:00')
  await dossier('P3', '2026-03-10', '2026-03-13', 10, '2026-03-20T11:00:00+07:00')

  const { page } = await world.newPage()
  await page.goto(world.baseUrl)
  await page.getByRole('contentinfo').getByRole('link', { name: 'Kết quả giải quyết hồ sơ theo ngày' }).click()
  await page.getByRole('heading', { level: 1, name: 'Kết quả giải quyết hồ sơ theo ngày' }).waitFor()
  t.equal(new URL(page.url()).pathname, '/so-lieu-cong-khai')
  // Type the day as people write it.
  await page.getByLabel('Xem ngày (dd/mm/yyyy)').fill('20/03/2026')
  await page.getByRole('button', { name: 'Xem', exact: true }).click()
  await page.getByTestId('figures-day').filter({ hasText: '20/03/2026' }).waitFor()
  const row = page.getByTestId('public-figures').getByRole('row').filter({ hasText: 'UBND xã An Bình' })
  await row.waitFor()
  const cells = await row.locator('td').allTextContents()
  t.same(cells, ['1', '2', '1', '0', '1', '50 %', '0'], 'received 1; settled 2: one early, one late; 50 % on time')
  const table = (await page.getByTestId('public-figures').textContent()) ?? ''
  t.notMatch(table, /xa-an-binh|Người nộp|P1|P2|P3/, 'no unit id, name or dossier code')
  await screenshot(page, 'public-daily-figures')

  // The day before: nothing received or settled, but the late one was then in progress past its due date.
  await page.getByRole('button', { name: '← Ngày trước' }).click()
  await page.getByTestId('figures-day').filter({ hasText: '19/03/2026' }).waitFor()
  t.match(new URL(page.url()).search, 'ngay=2026-03-19', 'the day lives in the URL')
  await row.filter({ hasText: '—' }).waitFor()
  t.same(await row.locator('td').allTextContents(), ['0', '0', '0', '0', '0', '—', '1'], 'one in progress, overdue')
  await page.getByRole('button', { name: 'Ngày sau →' }).click()
  await page.getByTestId('figures-day').filter({ hasText: '20/03/2026' }).waitFor()
  await row.filter({ hasText: '50 %' }).waitFor()
  // A day with nothing says so; a day that does not exist is refused in Vietnamese.
  await page.getByLabel('Xem ngày (dd/mm/yyyy)').fill('01/01/2026')
  await page.getByRole('button', { name: 'Xem', exact: true }).click()
  await page.getByTestId('figures-empty').waitFor()
  await page.getByLabel('Xem ngày (dd/mm/yyyy)').fill('31/02/2026')
  await page.getByRole('button', { name: 'Xem', exact: true }).click()
  t.match(await page.getByRole('alert').textContent(), 'Ngày không hợp lệ')

  // At 390 px the table stacks: nothing scrolls sideways.
  const phone = (await world.newPage({ viewport: { width: 390, height: 844 } })).page
  await phone.goto(`${world.baseUrl}/so-lieu-cong-khai?ngay=2026-03-20`)
  await phone.getByTestId('public-figures').waitFor()
  const overflow = await phone.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)
  t.ok(overflow <= 0, `no sideways scroll at 390 px (${overflow})`)
  await screenshot(phone, 'public-daily-figures-phone')
})
