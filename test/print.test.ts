// Specification of the printable forms: every value escaped, a QR code with the dossier code, and a
// PDF whose text (read back with pdftotext when installed) keeps Vietnamese diacritics intact.
import { execFileSync } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t from 'tap'
import QRCode from 'qrcode'
import {
  issuerOf,
  placeName,
  printableForms,
  renderPrintable,
  renderReceipt,
  type ReceiptData,
} from '../src/print/index.js'
import { samplePrintData } from '../src/print/samples.js'
import { eventually } from './helpers/eventually.js'
import { lienThongWorld } from './helpers/lien-thong.js'

const hasPdftotext = (() => {
  try {
    execFileSync('pdftotext', ['-v'], { stdio: 'ignore' })
    return true
  } catch {
    return false
  }
})()

function pdfText(pdf: Buffer | string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'motcua-print-')), 'form.pdf')
  writeFileSync(file, pdf)
  return execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' })
}

t.test('the receipt (Mẫu 01) shows the national motto, the agency, the dossier and the appointment', async (t) => {
  const html = await renderReceipt(samplePrintData.receipt)
  t.match(html, /^<!doctype html>/)
  t.match(html, /<html lang="vi">/)
  t.match(html, 'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM')
  t.match(html, 'Độc lập - Tự do - Hạnh phúc')
  t.match(html, 'GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ')
  t.match(html, 'Ủy ban nhân dân xã Thạch Hà')
  t.match(html, 'Số: 11/GTN')
  t.match(html, 'Thạch Hà, ngày 02 tháng 03 năm 2026')
  t.match(html, 'Nguyễn Thị Hằng')
  t.match(html, '09 giờ 15 phút, ngày 02 tháng 03 năm 2026', 'accepted at, in Vietnam time')
  t.match(html, '16 giờ 30 phút, ngày 02 tháng 03 năm 2026', 'the appointment')
  t.match(html, 'Giấy chứng sinh')
  t.match(html, 'NGƯỜI TIẾP NHẬN HỒ SƠ')
  t.match(html, /@page \{ size: A5;/, 'the receipt prints on A5')
})

t.test('every value is HTML-escaped', async (t) => {
  const hostile: ReceiptData = {
    ...samplePrintData.receipt,
    dossierCode: 'H21.65-260302-0099',
    applicant: { name: '<script>alert("x")</script> Lê & Co', address: '"><img src=x onerror=alert(1)>' },
    components: [{ name: "Bản sao <b>giả</b> 'mạo'", form: 'Bản chính', quantity: 1 }],
    officer: { name: 'Phạm </td></tr>' },
  }
  const html = await renderReceipt(hostile)
  t.notMatch(html, '<script>')
  t.notMatch(html, '<img')
  t.notMatch(html, '<b>giả</b>')
  t.match(html, '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; Lê &amp; Co')
  t.match(html, '&quot;&gt;&lt;img src=x onerror=alert(1)&gt;')
  t.match(html, 'Bản sao &lt;b&gt;giả&lt;/b&gt; &#39;mạo&#39;')
  t.match(html, 'Phạm &lt;/td&gt;&lt;/tr&gt;')
})

t.test('the QR code is an inline SVG carrying the dossier code', async (t) => {
  const html = await renderReceipt(samplePrintData.receipt)
  const svg = /<div class="qr"[^>]*>(<svg[\s\S]*?<\/svg>)/.exec(html)?.[1]
  t.ok(svg, 'an inline SVG')
  const expected = await QRCode.toString('H21.65-260302-0011', { type: 'svg', errorCorrectionLevel: 'M', margin: 1 })
  t.equal(svg, expected.trim(), 'the QR of the dossier code')
})

t.test('each form renders to HTML with its official title', async (t) => {
  const titles = {
    receipt: 'GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ',
    'supplement-request': 'PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ',
    refusal: 'PHIẾU TỪ CHỐI TIẾP NHẬN, GIẢI QUYẾT HỒ SƠ',
    apology: 'PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ',
    'control-sheet': 'PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ',
    'fee-receipt': 'BIÊN LAI THU PHÍ, LỆ PHÍ',
  }
  for (const form of printableForms) {
    const html = await renderPrintable(form, samplePrintData[form], 'html')
    t.match(html, `<h1>${titles[form]}</h1>`, form)
    t.match(html, samplePrintData[form].dossierCode, `${form} names the dossier`)
    t.match(html, '<svg', `${form} has its QR code`)
  }
  const apology = await renderPrintable('apology', samplePrintData.apology, 'html')
  t.match(apology, 'hẹn lại ngày trả kết quả vào <b>ngày 04 tháng 03 năm 2026</b>')
  const fee = await renderPrintable('fee-receipt', samplePrintData['fee-receipt'], 'html')
  t.match(fee, 'Năm mươi nghìn đồng', 'the fee receipt writes the amount in words')
  const control = await renderPrintable('control-sheet', samplePrintData['control-sheet'], 'html')
  t.match(control, 'Quá hạn')
  t.match(control, 'Trước hạn')
})

t.test('the PDF is a PDF whose text keeps Vietnamese diacritics', async (t) => {
  const pdf = await renderPrintable('receipt', samplePrintData.receipt, 'pdf')
  t.ok(Buffer.isBuffer(pdf))
  t.equal(pdf.subarray(0, 5).toString('latin1'), '%PDF-')
  t.match(pdf.toString('latin1'), /\/FontFile2/, 'a TrueType font is embedded')
  if (!hasPdftotext) {
    t.comment('pdftotext is not installed (apt-get install poppler-utils): the text is not read back')
    return
  }
  const text = pdfText(pdf)
  t.match(text, 'Giấy tiếp nhận'.toUpperCase())
  t.match(text, 'Nguyễn Thị Hằng', 'the applicant, diacritics intact')
  t.match(text, 'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM')
  t.match(text, 'H21.65-260302-0011')
  t.match(text, 'Đăng ký khai sinh')

  for (const form of printableForms) {
    const other = await renderPrintable(form, samplePrintData[form], 'pdf')
    t.match(pdfText(other), samplePrintData[form].applicant.name, `${form}: the applicant's name reads back`)
  }
})

const province = { name: 'UBND tỉnh Demo', level: 'province', divisionName: 'Tỉnh Demo' }

t.test('the letterhead is the issuing unit under the units above it (two levels, from 1 July 2025)', async (t) => {
  t.same(
    issuerOf([province, { name: 'UBND xã An Bình', level: 'commune', divisionName: 'Xã An Bình' }]),
    {
      parent: 'UBND TỈNH DEMO',
      name: 'UBND XÃ AN BÌNH',
      place: 'An Bình',
      unit: 'Bộ phận Tiếp nhận và Trả kết quả',
    },
    "a commune: under its province's People's Committee, dated at the commune",
  )
  t.same(
    issuerOf([province, { name: 'Công an tỉnh Demo', level: 'vertical_agency' }]),
    { name: 'CÔNG AN TỈNH DEMO', place: 'Demo', unit: 'Bộ phận Tiếp nhận và Trả kết quả' },
    "the police: on its own (its ministry governs it, not the province's committee), dated in the province",
  )
  t.same(
    issuerOf([province, { name: 'Trung tâm Phục vụ hành chính công tỉnh Demo', level: 'service_centre' }]),
    { parent: 'UBND TỈNH DEMO', name: 'TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG TỈNH DEMO', place: 'Demo' },
    'the service centre: its own name, no counter line under it',
  )
  t.same(
    issuerOf([province, { name: 'Sở Xây dựng', level: 'department' }, { name: 'Phòng Cấp phép', level: 'office' }]),
    { parent: 'UBND TỈNH DEMO', name: 'SỞ XÂY DỰNG', place: 'Demo', unit: 'Bộ phận Tiếp nhận và Trả kết quả' },
    'an office issues under its department',
  )
  t.same(issuerOf([province]), { name: 'UBND TỈNH DEMO', place: 'Demo', unit: 'Bộ phận Tiếp nhận và Trả kết quả' })
  t.equal(placeName({ name: 'UBND phường Ba Đình' }), 'Ba Đình')
  t.equal(placeName({ name: 'UBND thành phố Hà Nội', divisionName: 'Thành phố Hà Nội' }), 'Hà Nội')
  t.equal(placeName({ name: 'Đặc khu Phú Quốc' }), 'Phú Quốc')
})

t.test('printed from dossiers: the commune that received it, and the agencies of a liên thông route', async (t) => {
  const { call, openTask, submitDossier, work } = await lienThongWorld(t)
  const dossierId = await submitDossier()
  const reception = await openTask(dossierId, 'Task_Receive')
  await work(t, 'motcua-xa', reception.user_task_key, { decision: 'accept' })

  // The receipt is there once the acceptance is in the read model (the dossier's code and time of acceptance).
  const receipt = await eventually('the receipt', async () => {
    const res = await call('GET', `/api/dossiers/${dossierId}/print/receipt`, 'congdan')
    return res.statusCode === 200 ? res : undefined
  })
  t.match(receipt.body, '<div class="parent">UBND TỈNH DEMO</div><div class="agency">UBND XÃ AN BÌNH</div>')
  t.match(receipt.body, /An Bình, ngày \d{2} tháng \d{2} năm \d{4}/, 'dated at the commune')
  const pdf = await call('GET', `/api/dossiers/${dossierId}/print/receipt?format=pdf`, 'congdan')
  t.equal(pdf.statusCode, 200)
  if (hasPdftotext) {
    const text = pdfText(pdf.rawPayload)
    t.match(
      text,
      /UBND TỈNH DEMO[\s\S]*UBND XÃ AN BÌNH[\s\S]*Bộ phận Tiếp nhận và Trả kết quả/,
      'the two-level letterhead',
    )
    t.match(text, /An Bình, ngày \d{2} tháng \d{2} năm \d{4}/)
    t.notMatch(text, /HUYỆN/, 'no district in the chain')
  }

  // Through the commune's civil-status officer, the police and social insurance.
  await work(t, 'tuphap-xa', (await openTask(dossierId, 'Task_Review')).user_task_key, { decision: 'approve' })
  await work(t, 'congan', (await openTask(dossierId, 'Task_Sign')).user_task_key, { decision: 'approve' })
  await openTask(dossierId, 'Task_Card')
  const sheet = await call('GET', `/api/dossiers/${dossierId}/print/control-sheet`, 'motcua-xa')
  t.equal(sheet.statusCode, 200, sheet.body)
  t.match(sheet.body, '<div class="agency">UBND XÃ AN BÌNH</div>', 'Mẫu 05 of the receiving commune')
  t.match(sheet.body, 'Cơ quan (bộ phận) giải quyết hồ sơ: UBND xã An Bình')
  t.match(
    sheet.body,
    'Cơ quan phối hợp giải quyết hồ sơ: Công an tỉnh Demo; Bảo hiểm xã hội tỉnh Demo',
    'the agencies that handled steps are the coordinating bodies',
  )
  t.match(sheet.body, /Nhận: [^<]*\(Công an tỉnh Demo\)/, 'the police step names the police')
  t.match(sheet.body, /Giao: [^<]*\(Công an tỉnh Demo\)<br>Nhận: [^<]*\(Bảo hiểm xã hội tỉnh Demo\)/, 'police → BHXH')
  const sheetPdf = await call('GET', `/api/dossiers/${dossierId}/print/control-sheet?format=pdf`, 'motcua-xa')
  t.equal(sheetPdf.statusCode, 200)
  if (hasPdftotext) {
    const text = pdfText(sheetPdf.rawPayload).replace(/\s+/g, ' ')
    t.match(text, 'Công an tỉnh Demo; Bảo hiểm xã hội tỉnh Demo', 'read back from the PDF')
  }
})
