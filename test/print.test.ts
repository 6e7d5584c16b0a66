// Specification of the printable forms: every value escaped, a QR code with the dossier code, and a
// PDF whose text (read back with pdftotext when installed) keeps Vietnamese diacritics intact.
import { execFileSync } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t from 'tap'
import QRCode from 'qrcode'
import { printableForms, renderPrintable, renderReceipt, type ReceiptData } from '../src/print/index.js'
import { samplePrintData } from '../src/print/samples.js'

const hasPdftotext = (() => {
  try {
    execFileSync('pdftotext', ['-v'], { stdio: 'ignore' })
    return true
  } catch {
    return false
  }
})()

function pdfText(pdf: Buffer): string {
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
  }
  for (const form of printableForms) {
    const html = await renderPrintable(form, samplePrintData[form], 'html')
    t.match(html, `<h1>${titles[form]}</h1>`, form)
    t.match(html, samplePrintData[form].dossierCode, `${form} names the dossier`)
    t.match(html, '<svg', `${form} has its QR code`)
  }
  const apology = await renderPrintable('apology', samplePrintData.apology, 'html')
  t.match(apology, 'hẹn lại ngày trả kết quả vào <b>ngày 04 tháng 03 năm 2026</b>')
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
