// Renders a printable form as PDF with pdfkit and the DejaVu Serif TTF (full Vietnamese glyphs, embedded with a
// ToUnicode map so the text can be copied and searched).
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import type PDFDocument from 'pdfkit'
import type QRCode from 'qrcode'
import { templateLine, type Block, type PrintDocument, type Run } from './forms.js'
import { pdfkit, qrcode } from '../lib/lazy-modules.js'

// The PDF standard fonts (Times, Helvetica) have no Vietnamese letters; a shipped TTF does.
const fontDir = join(dirname(createRequire(import.meta.url).resolve('dejavu-fonts-ttf/package.json')), 'ttf')
// The condensed cut: its width is close to Times New Roman, the font of official documents.
const fonts = {
  regular: join(fontDir, 'DejaVuSerifCondensed.ttf'),
  bold: join(fontDir, 'DejaVuSerifCondensed-Bold.ttf'),
  italic: join(fontDir, 'DejaVuSerifCondensed-Italic.ttf'),
  boldItalic: join(fontDir, 'DejaVuSerifCondensed-BoldItalic.ttf'),
} as const

type Pdf = InstanceType<typeof PDFDocument>

const fontOf = (r: { bold?: boolean; italic?: boolean }): keyof typeof fonts =>
  r.bold && r.italic ? 'boldItalic' : r.bold ? 'bold' : r.italic ? 'italic' : 'regular'

function drawQr(pdf: Pdf, qrcode: typeof QRCode, text: string, x: number, y: number, size: number): void {
  const qr = qrcode.create(text, { errorCorrectionLevel: 'M' })
  const n = qr.modules.size
  const cell = size / n
  for (let row = 0; row < n; row++) {
    for (let col = 0; col < n; col++) {
      if (qr.modules.get(row, col)) pdf.rect(x + col * cell, y + row * cell, cell, cell)
    }
  }
  pdf.fill('#000')
}

function paragraph(
  pdf: Pdf,
  runs: Run[],
  align: 'left' | 'center' | 'justify',
  indent: boolean,
  fontSize: number,
): void {
  const x = pdf.page.margins.left
  const width = pdf.page.width - pdf.page.margins.left - pdf.page.margins.right
  // pdfkit drops a space that starts a continued run; move it to the end of the run before.
  const parts = runs.filter((r) => r.text !== '').map((r) => ({ ...r }))
  for (let n = 1; n < parts.length; n++) {
    const lead = /^\s+/.exec(parts[n]!.text)?.[0]
    if (lead) {
      parts[n - 1]!.text += lead
      parts[n]!.text = parts[n]!.text.slice(lead.length)
    }
  }
  // pdfkit misplaces centred text made of runs in several fonts: a one-line centred paragraph is set run by run.
  if (parts.length > 1 && align === 'center') {
    const widthOf = (r: Run) => pdf.font(fontOf(r)).fontSize(fontSize).widthOfString(r.text)
    const total = parts.reduce((sum, r) => sum + widthOf(r), 0)
    if (total <= width) {
      const y = pdf.y
      let at = x + (width - total) / 2
      for (const r of parts) {
        pdf.font(fontOf(r)).fontSize(fontSize).text(r.text, at, y, { lineBreak: false })
        at += widthOf(r)
      }
      pdf.x = x
      pdf.y = y + pdf.currentLineHeight(true)
      pdf.moveDown(0.2)
      return
    }
  }
  // Justified text with runs in several fonts spreads words badly in pdfkit; mixed runs are set ragged-right.
  if (parts.length > 1 && align !== 'left') align = 'left'
  parts.forEach((r, n) => {
    pdf.font(fontOf(r)).fontSize(fontSize)
    const options = { width, align, continued: n < parts.length - 1, ...(indent && n === 0 ? { indent: 28 } : {}) }
    if (n === 0) pdf.text(r.text, x, pdf.y, options)
    else pdf.text(r.text, options)
  })
  pdf.moveDown(0.2)
}

function table(pdf: Pdf, bl: Extract<Block, { kind: 'table' }>, fontSize: number): void {
  const left = pdf.page.margins.left
  const width = pdf.page.width - left - pdf.page.margins.right
  const widths = bl.widths.map((w) => (w / 100) * width)
  const pad = 3
  const drawRow = (cells: string[], bold: boolean) => {
    pdf.font(bold ? 'bold' : 'regular').fontSize(fontSize)
    const height = Math.max(...cells.map((c, k) => pdf.heightOfString(c, { width: widths[k]! - 2 * pad }))) + 2 * pad
    if (pdf.y + height > pdf.page.height - pdf.page.margins.bottom) pdf.addPage()
    const top = pdf.y
    let x = left
    cells.forEach((c, k) => {
      pdf.rect(x, top, widths[k]!, height).lineWidth(0.5).stroke()
      pdf.text(c, x + pad, top + pad, { width: widths[k]! - 2 * pad, align: bold || k === 0 ? 'center' : 'left' })
      x += widths[k]!
    })
    pdf.x = left
    pdf.y = top + height
  }
  drawRow(bl.headers, true)
  for (const row of bl.rows) drawRow(row, false)
  pdf.moveDown(0.3)
}

function signatures(pdf: Pdf, bl: Extract<Block, { kind: 'signatures' }>, fontSize: number, gap: number): void {
  const left = pdf.page.margins.left
  const width = pdf.page.width - left - pdf.page.margins.right
  // One signer signs on the right half, as on the official forms; two share the width.
  const columns =
    bl.items.length === 1
      ? [{ x: left + width / 2, w: width / 2 }]
      : bl.items.map((_, k) => ({ x: left + (k * width) / bl.items.length, w: width / bl.items.length }))
  if (pdf.y + gap + 4 * fontSize > pdf.page.height - pdf.page.margins.bottom) pdf.addPage()
  const top = pdf.y + fontSize * 0.6
  bl.items.forEach((s, k) => {
    const { x, w } = columns[k]!
    pdf.font('bold').fontSize(fontSize).text(s.title, x, top, { width: w, align: 'center' })
    pdf
      .font('italic')
      .fontSize(fontSize - 1)
      .text(s.note, x, pdf.y, { width: w, align: 'center' })
    if (s.name)
      pdf
        .font('bold')
        .fontSize(fontSize)
        .text(s.name, x, pdf.y + gap, { width: w, align: 'center' })
  })
}

/** What an archived document adds: PDF/A-1b (fonts embedded, XMP metadata, sRGB output intent) and its metadata. */
export interface ArchivalOptions {
  author: string
  createdAt: Date
  keywords?: string
}

export async function renderPdf(doc: PrintDocument, archival?: ArchivalOptions): Promise<Buffer> {
  const a5 = doc.pageSize === 'A5'
  const mm = 72 / 25.4
  const [PdfDocument, qr] = await Promise.all([pdfkit(), qrcode()])
  const pdf = new PdfDocument({
    ...(archival ? { subset: 'PDF/A-1b' as const, pdfVersion: '1.4' as const } : {}),
    size: doc.pageSize,
    margins: a5
      ? { top: 12 * mm, bottom: 12 * mm, left: 15 * mm, right: 12 * mm }
      : { top: 20 * mm, bottom: 20 * mm, left: 30 * mm, right: 15 * mm },
    info: archival
      ? {
          Title: `${doc.title} — ${doc.number}`,
          Author: archival.author,
          Subject: doc.title,
          Keywords: archival.keywords ?? doc.number,
          Creator: 'motcua',
          CreationDate: archival.createdAt,
          ModDate: archival.createdAt,
        }
      : { Title: doc.qr ? `${doc.title} — ${doc.qr}` : doc.title, Subject: doc.qr ?? doc.title, Creator: 'motcua' },
    lang: 'vi',
  })
  for (const [name, file] of Object.entries(fonts)) pdf.registerFont(name, file)
  const chunks: Buffer[] = []
  pdf.on('data', (chunk: Buffer) => chunks.push(chunk))
  const done = new Promise<Buffer>((resolve, reject) => {
    pdf.on('end', () => resolve(Buffer.concat(chunks)))
    pdf.on('error', reject)
  })

  const size = a5 ? 9.5 : 12
  const small = size - 1
  const left = pdf.page.margins.left
  const width = pdf.page.width - left - pdf.page.margins.right
  const leftW = width * 0.42
  const top = pdf.page.margins.top

  pdf
    .font('italic')
    .fontSize(7)
    .text(templateLine(doc), left, top - (10 * (a5 ? 0.8 : 1) * mm) / 2, {
      width,
      align: 'right',
    })
  // Header: the agency on the left, the national motto on the right, each centred in its column.
  pdf.y = top
  if (doc.agency.parent)
    pdf
      .font('regular')
      .fontSize(small)
      .text(doc.agency.parent.toUpperCase(), left, pdf.y, { width: leftW, align: 'center' })
  pdf.font('bold').fontSize(small).text(doc.agency.name.toUpperCase(), left, pdf.y, { width: leftW, align: 'center' })
  if (doc.agency.unit)
    pdf
      .font('regular')
      .fontSize(small - 1)
      .text(doc.agency.unit, left, pdf.y, { width: leftW, align: 'center' })
  const ruleY = pdf.y + 2
  pdf
    .moveTo(left + leftW * 0.35, ruleY)
    .lineTo(left + leftW * 0.65, ruleY)
    .lineWidth(0.5)
    .stroke()
  pdf
    .font('regular')
    .fontSize(small)
    .text(`Số: ${doc.number}`, left, ruleY + 4, { width: leftW, align: 'center' })
  const leftBottom = pdf.y

  pdf
    .font('bold')
    .fontSize(small)
    .text('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM', left + leftW, top, { width: width - leftW, align: 'center' })
  pdf
    .font('bold')
    .fontSize(small)
    .text('Độc lập - Tự do - Hạnh phúc', left + leftW, pdf.y, { width: width - leftW, align: 'center' })
  const mottoW = pdf.widthOfString('Độc lập - Tự do - Hạnh phúc')
  const mottoX = left + leftW + (width - leftW - mottoW) / 2
  pdf
    .moveTo(mottoX, pdf.y + 1)
    .lineTo(mottoX + mottoW, pdf.y + 1)
    .lineWidth(0.5)
    .stroke()
  pdf
    .font('italic')
    .fontSize(small)
    .text(doc.dateLine, left + leftW, pdf.y + 8, { width: width - leftW, align: 'center' })

  pdf.y = Math.max(leftBottom, pdf.y) + 6
  const qrSize = (a5 ? 18 : 22) * mm
  const qrTop = pdf.y
  if (doc.qr) drawQr(pdf, qr, doc.qr, left + width - qrSize, qrTop, qrSize)
  pdf.y = qrTop + 4
  // The title is centred on the page, kept clear of the QR code on its right.
  const inset = qrSize + 6
  pdf
    .font('bold')
    .fontSize(size + 1)
    .text(doc.title, left + inset, pdf.y, { width: width - 2 * inset, align: 'center' })
  if (doc.subtitle)
    pdf
      .font('italic')
      .fontSize(size)
      .text(doc.subtitle, left + inset, pdf.y, { width: width - 2 * inset, align: 'center' })
  pdf.x = left
  // Without a QR code (no dossier code yet) the text follows the title.
  pdf.y = doc.qr ? Math.max(pdf.y + 6, qrTop + qrSize + 4) : pdf.y + 6

  for (const bl of doc.blocks) {
    if (bl.kind === 'paragraph') paragraph(pdf, bl.runs, bl.align ?? 'justify', bl.indent ?? false, size)
    else if (bl.kind === 'table') table(pdf, bl, small)
    else signatures(pdf, bl, size, (a5 ? 14 : 22) * mm)
  }
  pdf.end()
  return done
}
