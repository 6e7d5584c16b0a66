// Paying a fee in a real browser, against the fake VNPAY gateway on loopback (test/helpers/vnpay.ts): the citizen
// chooses VNPAY, pays on the gateway's page and lands back on the dossier, paid once; a second dossier shows the
// VietQR transfer (the code a banking app reads, the account and the exact content), confirmed by the finance
// officer's statement import. Screenshots: citizen-payment-methods, citizen-payment-vnpay-gateway,
// citizen-payment-vietqr.
import { createServer } from 'node:net'
import t from 'tap'
import { apiClient } from '../helpers/api.js'
import { screenshot, startWebWorld } from '../helpers/browser.js'
import { birthForm } from '../helpers/dossiers.js'
import { readQrImage } from '../helpers/emvco.js'
import { eventually } from '../helpers/eventually.js'
import { makePng } from '../helpers/files.js'
import { paymentEnv, startFakeVnpay } from '../helpers/vnpay.js'

/** A free port: VNPAY's return URL must name the portal's address before the portal starts. */
const port = await new Promise<number>((resolve) => {
  const s = createServer().listen(0, '127.0.0.1', () => {
    const p = (s.address() as { port: number }).port
    s.close(() => resolve(p))
  })
})
const fake = await startFakeVnpay(t)
const world = await startWebWorld(t, {
  RATE_LIMIT_ALLOW: '127.0.0.1',
  PORT: String(port),
  ...paymentEnv(fake),
})
fake.ipnUrl = `${world.baseUrl}/api/payments/vnpay/ipn`
const api = apiClient(world)
const knex = world.db.knex

const detail = async (id: string) => (await api.call('GET', `/api/dossiers/${id}`, 'congdan')).json()

/** A birth registration accepted at the counter, then suspended for an 8,000 đ fee (status 6). */
async function feeDue(key: string): Promise<string> {
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
  const id = (
    await api.call('POST', `/api/dossiers/drafts/${draft.id}/submit`, 'congdan', undefined, { 'idempotency-key': key })
  ).json().dossierId as string
  const taskKey = await eventually(
    'the reception task',
    async () =>
      (await detail(id)).openTasks.find((x: { elementId: string }) => x.elementId === 'Task_Receive')?.taskKey,
    30_000,
  )
  await api.call('POST', `/api/tasks/${taskKey}/claim`, 'motcua-xa')
  await api.call('POST', `/api/tasks/${taskKey}/complete`, 'motcua-xa', { decision: 'accept' })
  await eventually('the code', async () => (await detail(id)).code, 30_000)
  const suspended = await api.call('POST', `/api/dossiers/${id}/suspend-for-payment`, 'motcua-xa', {
    amountVnd: 8000,
    reason: 'Phí cấp bản sao Giấy khai sinh',
  })
  if (suspended.statusCode !== 200) throw new Error(suspended.body)
  return id
}

t.test('the citizen pays through VNPAY and comes back to the dossier, paid once', async (t) => {
  const id = await feeDue('web-vnpay-1')
  const { page } = await world.newPage()
  await world.login(page, 'congdan')
  await page.goto(`${world.baseUrl}/ho-so-cua-toi/${id}`)
  await page.getByRole('heading', { name: 'Thực hiện nghĩa vụ tài chính' }).waitFor()
  await page.getByRole('button', { name: /Thanh toán qua VNPAY/ }).waitFor()
  t.ok(await page.getByRole('button', { name: /Chuyển khoản ngân hàng \(VietQR\)/ }).count(), 'VietQR is offered')
  await screenshot(page, 'citizen-payment-methods')
  fake.duplicateIpn = true
  await page.getByRole('button', { name: /Thanh toán qua VNPAY/ }).click()
  await page.waitForURL(/\/paymentv2\/vpcpay\.html/)
  t.match(await page.locator('#amount').textContent(), /8\.000 VND/, 'the gateway shows the fee')
  await screenshot(page, 'citizen-payment-vnpay-gateway')
  await page.getByRole('button', { name: 'Thanh toán', exact: true }).click()
  await page.waitForURL(new RegExp(`/ho-so-cua-toi/${id}\\?payment=MC[0-9A-Z]+&status=paid`))
  fake.duplicateIpn = false
  t.same(
    fake.ipnCalls.map((c) => c.answer?.RspCode),
    ['00', '02'],
    'the IPN came before the payer, twice, confirmed once',
  )
  await page.getByRole('heading', { name: 'Tiến độ xử lý' }).waitFor()
  await eventually('resumed', async () => ((await detail(id)).status === 4 ? true : undefined), 30_000)
  await page.reload()
  await page.getByRole('button', { name: 'In biên lai thu phí, lệ phí' }).waitFor()
  t.equal(await page.getByRole('heading', { name: 'Thực hiện nghĩa vụ tài chính' }).count(), 0, 'nothing left to pay')
  t.equal(
    (await detail(id)).timeline.filter((e: { kind: string }) => e.kind === 'paid').length,
    1,
    'paid once on the timeline',
  )
})

t.test('the VietQR screen: a code a banking app reads, confirmed by the officer’s statement import', async (t) => {
  const id = await feeDue('web-vietqr-1')
  const { page } = await world.newPage()
  await world.login(page, 'congdan')
  await page.goto(`${world.baseUrl}/ho-so-cua-toi/${id}`)
  await page.getByRole('button', { name: /Chuyển khoản ngân hàng \(VietQR\)/ }).click()
  const content = (await page.getByTestId('transfer-content').textContent())!
  t.match(content, /^MC[0-9A-Z]+$/, 'the content to type is the payment reference')
  const section = page.locator('section').filter({ hasText: 'Thực hiện nghĩa vụ tài chính' })
  t.match(await section.textContent(), /VietinBank.*113366668888.*UBND XA AN BINH.*8\.000 đ/s)
  await screenshot(page, 'citizen-payment-vietqr')
  // The code as the browser shows it, read back from the screen like a phone camera would.
  const read = readQrImage(await page.getByRole('img', { name: /Mã VietQR/ }).screenshot()) ?? ''
  t.match(read, new RegExp(`^000201010212.*970415.*113366668888.*5404800058.*${content}.*6304[0-9A-F]{4}$`))

  const imported = await world.app.inject({
    method: 'POST',
    url: '/api/payments/vietqr/statements',
    headers: { ...(await api.as('motcua-xa')), 'content-type': 'text/csv' },
    payload: `Ngày,Số tiền,Nội dung\n05/12/2026,8000,CT ${content}\n`,
  })
  t.match(imported.json(), { matched: [{ reference: content, dossierId: id }], unmatched: [] })
  await eventually('resumed', async () => ((await detail(id)).status === 4 ? true : undefined), 30_000)
  const row = await knex('payments').where({ reference: content }).first('status')
  t.equal(row.status, 'paid')
})
