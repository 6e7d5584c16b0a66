// Renders a printable form as one self-contained HTML page (A4/A5 print CSS, inline QR SVG); every value is escaped.
import { templateLine, type Block, type PrintDocument, type Run } from './forms.js'
import { qrcode } from '../lib/lazy-modules.js'

const entities: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => entities[c]!)
}

/** The dossier code as an inline SVG QR code (medium error correction survives a smudged print). */
export async function qrSvg(text: string): Promise<string> {
  return (await qrcode()).toString(text, { type: 'svg', errorCorrectionLevel: 'M', margin: 1 })
}

const lines = (text: string) => text.split('\n').map(escapeHtml).join('<br>')

function run(r: Run): string {
  let html = lines(r.text)
  if (r.bold) html = `<b>${html}</b>`
  if (r.italic) html = `<i>${html}</i>`
  return html
}

function block(bl: Block): string {
  switch (bl.kind) {
    case 'paragraph':
      return `<p class="${[bl.align ?? 'justify', bl.indent ? 'indent' : ''].join(' ').trim()}">${bl.runs.map(run).join('')}</p>`
    case 'table':
      return (
        `<table class="grid"><colgroup>${bl.widths.map((w) => `<col style="width:${w}%">`).join('')}</colgroup>` +
        `<thead><tr>${bl.headers.map((h) => `<th>${lines(h)}</th>`).join('')}</tr></thead>` +
        `<tbody>${bl.rows.map((row) => `<tr>${row.map((c) => `<td>${lines(c)}</td>`).join('')}</tr>`).join('')}</tbody></table>`
      )
    case 'signatures':
      return `<table class="signatures"><tr>${bl.items
        .map(
          (s) =>
            `<td><b>${escapeHtml(s.title)}</b><br><i>${escapeHtml(s.note)}</i><div class="sign-space"></div><b>${escapeHtml(s.name ?? '')}</b></td>`,
        )
        .join('')}</tr></table>`
  }
}

export async function renderHtml(doc: PrintDocument): Promise<string> {
  const a = doc.agency
  const qr = doc.qr ? await qrSvg(doc.qr) : undefined
  return `<!doctype html>
<html lang="vi">
<head>
<meta charset="utf-8">
<title>${escapeHtml(doc.title)}${doc.qr ? ` — ${escapeHtml(doc.qr)}` : ''}</title>
<style>
@page { size: ${doc.pageSize}; margin: ${doc.pageSize === 'A5' ? '12mm 12mm 12mm 15mm' : '20mm 15mm 20mm 30mm'}; }
body { font-family: "Times New Roman", "DejaVu Serif", serif; font-size: ${doc.pageSize === 'A5' ? '11pt' : '13pt'}; line-height: 1.35; color: #000; margin: 0; }
.header { width: 100%; border-collapse: collapse; }
.header td { vertical-align: top; text-align: center; padding: 0; }
.header .left { width: 42%; }
.header .parent { text-transform: uppercase; }
.header .agency { font-weight: bold; text-transform: uppercase; }
.header .motto { font-weight: bold; }
.header .freedom { font-weight: bold; text-decoration: underline; }
.date { text-align: right; font-style: italic; margin: 6pt 0; }
.template { text-align: right; font-size: 9pt; font-style: italic; }
h1 { text-align: center; font-size: 1.1em; margin: 10pt 0 2pt; }
.qr { float: right; width: 22mm; height: 22mm; margin: 0 0 4pt 8pt; }
.qr svg { width: 100%; height: 100%; }
p { margin: 3pt 0; }
p.justify { text-align: justify; } p.center { text-align: center; } p.left { text-align: left; }
p.indent { text-indent: 1cm; }
table.grid { width: 100%; border-collapse: collapse; margin: 4pt 0; }
table.grid th, table.grid td { border: 0.5pt solid #000; padding: 2pt 4pt; vertical-align: top; }
table.grid th { font-weight: bold; text-align: center; }
table.grid td:first-child { text-align: center; }
table.signatures { width: 100%; margin-top: 10pt; page-break-inside: avoid; }
table.signatures td { text-align: center; vertical-align: top; }
.sign-space { height: ${doc.pageSize === 'A5' ? '16mm' : '22mm'}; }
@media screen { body { max-width: ${doc.pageSize === 'A5' ? '148mm' : '210mm'}; margin: 10mm auto; padding: 10mm; box-shadow: 0 0 4px #999; } }
</style>
</head>
<body data-form="${escapeHtml(doc.form)}">
<div class="template">${escapeHtml(templateLine(doc))}</div>
<table class="header"><tr>
<td class="left">${a.parent ? `<div class="parent">${escapeHtml(a.parent)}</div>` : ''}<div class="agency">${escapeHtml(a.name)}</div>${a.unit ? `<div class="unit">${escapeHtml(a.unit)}</div>` : ''}<div>———</div><div>Số: ${escapeHtml(doc.number)}</div></td>
<td><div class="motto">CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM</div><div class="freedom">Độc lập - Tự do - Hạnh phúc</div></td>
</tr></table>
<div class="date">${escapeHtml(doc.dateLine)}</div>
${qr ? `<div class="qr" title="${escapeHtml(doc.qr!)}">${qr}</div>` : ''}
<h1>${escapeHtml(doc.title)}</h1>
${doc.subtitle ? `<p class="center"><i>${escapeHtml(doc.subtitle)}</i></p>` : ''}
<div style="clear:both"></div>
${doc.blocks.map(block).join('\n')}
</body>
</html>
`
}
