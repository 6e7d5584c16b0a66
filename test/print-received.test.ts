// Specification (#20): the printed one-stop forms say what the dossier really holds. The receipt (Mẫu 01) lists the
// documents received — as what (paper digitised at the counter, electronic copy submitted online, reused) and how
// many — and not the procedure's conditional components; it prints the applicant's address from the form. A form
// printed before the dossier has a code (Mẫu 02 at reception, Mẫu 03) says it has none yet: never the internal id.
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t from 'tap'
import { DossierPrintouts } from '../src/dossiers/printouts.js'
import { addressLine, receivedDocuments } from '../src/dossiers/received-documents.js'
import type { DossierComponent } from '../src/catalogue/definition.js'
import { birthForm, createDossierWorld } from './helpers/dossiers.js'
import { eventually } from './helpers/eventually.js'

const hasPdftotext = (() => {
  try {
    execFileSync('pdftotext', ['-v'], { stdio: 'ignore' })
    return true
  } catch {
    return false
  }
})()
const pdfText = (pdf: Buffer | string) => {
  const file = join(mkdtempSync(join(tmpdir(), 'motcua-print-')), 'form.pdf')
  writeFileSync(file, pdf)
  return execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ')
}

const birth = JSON.parse(readFileSync(new URL('../forms/dang-ky-khai-sinh.json', import.meta.url), 'utf8')) as {
  components: DossierComponent[]
}
const nameOf = (id: string) => birth.components.find((c) => c.id === id)!.name

t.test('receivedDocuments: only what came, as what, counted; addressLine joins the parts', async (t) => {
  const got = receivedDocuments(birth.components, [
    { component_id: 'giay-chung-sinh', digitisation: 'scanned_at_counter', reused_from_dossier_code: null },
    { component_id: 'to-khai', digitisation: 'submitted_online', reused_from_dossier_code: null },
    { component_id: 'to-khai', digitisation: 'submitted_online', reused_from_dossier_code: null },
    { component_id: 'giay-to-cu-tru', digitisation: 'reused', reused_from_dossier_code: 'H21.65-260302-0001' },
  ])
  t.same(got, [
    { name: nameOf('to-khai'), form: 'Bản điện tử (nộp trực tuyến)', quantity: 2 },
    { name: nameOf('giay-chung-sinh'), form: 'Bản chính, đã số hóa', quantity: 1 },
    { name: nameOf('giay-to-cu-tru'), form: 'Bản điện tử, dùng lại từ hồ sơ H21.65-260302-0001', quantity: 1 },
  ])
  t.equal(
    addressLine({ tinh: 'Tỉnh Demo', maTinh: '99', xa: 'Xã An Bình', maXa: '99901', diaChiChiTiet: 'Số 5 ngõ 2' }),
    'Số 5 ngõ 2, Xã An Bình, Tỉnh Demo',
  )
  t.equal(addressLine({}), undefined)
  t.equal(addressLine('x'), undefined)
})

const w = await createDossierWorld(t)
const { service, queries } = w.runtime
const printouts = new DossierPrintouts(w.db.knex, queries)
const counter = await w.as('motcua-xa')
const citizen = await w.as('congdan')
const form = {
  ...birthForm,
  nguoiYeuCau: {
    ...birthForm.nguoiYeuCau,
    noiCuTru: { ...birthForm.nguoiYeuCau.noiCuTru, diaChiChiTiet: 'Số 5 ngõ 2' },
  },
}
const address = 'Số 5 ngõ 2, Xã An Bình, Tỉnh Demo'
const openTask = (dossierId: string, elementId: string) =>
  eventually(`task ${elementId}`, () =>
    w.db.knex('tasks').where({ dossier_id: dossierId, element_id: elementId, state: 'CREATED' }).first(),
  )
const text = (body: string | Buffer) =>
  String(body)
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ')

t.test('the receipt of a paper dossier lists what the counter scanned, with the address on the form', async (t) => {
  const intake = await service.intakeAtCounter(counter, {
    procedure: 'dang-ky-khai-sinh',
    agencyUnitId: 'xa-an-binh',
    formData: form,
    deliveryMethod: 'counter',
    attachments: [
      { componentId: 'to-khai', fileId: await w.file('motcua-xa') },
      { componentId: 'giay-chung-sinh', fileId: await w.file('motcua-xa') },
    ],
    idempotencyKey: 'print-received-counter',
    applicant: { name: 'Nguyễn Văn An', idNumber: '001090000001', phone: '0912345678' },
  })
  await openTask(intake.dossierId, 'Task_Receive')
  await service.receive(counter, intake.dossierId)
  const receipt = await eventually('the receipt', () =>
    printouts.render(counter, intake.dossierId, 'receipt', 'html').catch(() => undefined),
  )
  const html = text(receipt.body)
  t.match(html, `${nameOf('to-khai')} Bản chính, đã số hóa 1`)
  t.match(html, `${nameOf('giay-chung-sinh')} Bản chính, đã số hóa 1`)
  for (const c of birth.components.filter((c) => c.condition))
    t.notMatch(html, c.name, `the conditional ${c.id}, not received, is not listed`)
  t.match(html, `Địa chỉ: ${address}`, 'the address the form holds')
  t.notMatch(html, 'Địa chỉ: ……', 'not dots for an address the form has')

  const pdf = await printouts.render(counter, intake.dossierId, 'receipt', 'pdf')
  if (hasPdftotext) {
    const read = pdfText(pdf.body)
    t.match(read, address, 'the address read back from the PDF')
    t.match(read, 'Bản chính, đã số', 'the form, read back (the narrow column wraps the rest)')
    t.notMatch(read, nameOf('van-ban-mang-thai-ho'))
  }
})

t.test(
  'an online dossier: electronic copies on the receipt; Mẫu 02 and 03 before a code, without the id',
  async (t) => {
    const { dossierId } = await service.submit(citizen, {
      procedure: 'dang-ky-khai-sinh',
      agencyUnitId: 'xa-an-binh',
      formData: form,
      deliveryMethod: 'online',
      attachments: [{ componentId: 'to-khai', fileId: await w.file('congdan') }],
      idempotencyKey: 'print-received-online',
    })
    await openTask(dossierId, 'Task_Receive')
    await service.requestSupplement(counter, dossierId, { missing: ['giay-chung-sinh'] })
    const asked = await eventually('Mẫu 02', () =>
      printouts.render(citizen, dossierId, 'supplement-request', 'html').catch(() => undefined),
    )
    const html = text(asked.body)
    t.notMatch(html, dossierId, 'the internal id is not printed')
    t.match(html, /Mã hồ sơ: chưa cấp \(hồ sơ chưa được tiếp nhận\)\. Nộp lúc \d{2} giờ \d{2} phút/)
    t.match(html, `1. ${nameOf('giay-chung-sinh')}`, 'the component by its name')
    t.match(html, `Địa chỉ: ${address}`)
    t.notMatch(String(asked.body), 'class="qr"', 'no QR code without a code')
    const pdf = await printouts.render(citizen, dossierId, 'supplement-request', 'pdf')
    if (hasPdftotext) {
      const read = pdfText(pdf.body)
      t.notMatch(read, dossierId)
      t.match(read, 'Mã hồ sơ: chưa cấp')
    }

    // The applicant hands in the missing document; the counter refuses it at reception: Mẫu 03, still no code.
    const second = await service.submit(citizen, {
      procedure: 'dang-ky-khai-sinh',
      agencyUnitId: 'xa-an-binh',
      formData: form,
      deliveryMethod: 'online',
      attachments: [
        { componentId: 'to-khai', fileId: await w.file('congdan') },
        { componentId: 'giay-chung-sinh', fileId: await w.file('congdan') },
      ],
      idempotencyKey: 'print-received-refused',
    })
    await openTask(second.dossierId, 'Task_Receive')
    await service.refuse(counter, second.dossierId, { reason: 'Không thuộc thẩm quyền của UBND xã' })
    const refusal = await eventually('Mẫu 03', () =>
      printouts.render(citizen, second.dossierId, 'refusal', 'html').catch(() => undefined),
    )
    t.notMatch(text(refusal.body), second.dossierId)
    t.match(text(refusal.body), 'Mã hồ sơ: chưa cấp')
  },
)

t.test('the receipt of an online dossier says the documents came as electronic copies', async (t) => {
  const { dossierId } = await service.submit(citizen, {
    procedure: 'dang-ky-khai-sinh',
    agencyUnitId: 'xa-an-binh',
    formData: form,
    deliveryMethod: 'online',
    attachments: [
      { componentId: 'to-khai', fileId: await w.file('congdan') },
      { componentId: 'giay-chung-sinh', fileId: await w.file('congdan') },
    ],
    idempotencyKey: 'print-received-online-receipt',
  })
  await openTask(dossierId, 'Task_Receive')
  await service.receive(counter, dossierId)
  const receipt = await eventually('the receipt', () =>
    printouts.render(citizen, dossierId, 'receipt', 'html').catch(() => undefined),
  )
  const html = text(receipt.body)
  t.match(html, `${nameOf('to-khai')} Bản điện tử (nộp trực tuyến) 1`)
  t.match(html, `${nameOf('giay-chung-sinh')} Bản điện tử (nộp trực tuyến) 1`)
  t.notMatch(html, 'đã số hóa', 'nothing on paper was received')
  t.match(html, /Mã hồ sơ: [A-Z0-9.]+-\d{6}-\d{4}/, 'the code, once accepted')
})
