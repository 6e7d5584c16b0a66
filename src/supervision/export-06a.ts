// Biểu II.06a/VPCP/KSTT as files: CSV (UTF-8 with BOM, so Excel shows Vietnamese) and XLSX, with the form's title and
// header rows.
import { type Counts06a, type Report06a, countKeys } from '../domain/statistics/index.js'
import { formatInstant } from '../domain/calendar/index.js'
import { newWorkbook } from '../lib/lazy-modules.js'

export interface ExportContext {
  unitName: string
  /** When the file was made (shown under the table). */
  madeAt: Date
}

/** Title rows of the form (Thông tư 01/2018/TT-VPCP), then the two header rows and the column numbers. */
export function titleRows(report: Report06a, ctx: ExportContext): string[][] {
  return [
    ['Biểu số II.06a/VPCP/KSTT'],
    [`Đơn vị báo cáo: ${ctx.unitName}`],
    ['Đơn vị nhận báo cáo: Văn phòng Ủy ban nhân dân cấp trên'],
    ['TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH TẠI CƠ QUAN, ĐƠN VỊ TRỰC TIẾP GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH'],
    [`Kỳ báo cáo: ${report.period.label}`],
    ['Đơn vị tính: Số hồ sơ TTHC'],
  ]
}

export const headerRows: string[][] = [
  [
    'STT',
    'Lĩnh vực giải quyết',
    'Số hồ sơ nhận giải quyết',
    '',
    '',
    '',
    'Kết quả giải quyết',
    '',
    '',
    '',
    '',
    '',
    '',
    'Rút, dừng, không tiếp nhận sau khi đã nhận (motcua bổ sung)',
  ],
  ['', '', 'Tổng số', 'Trong đó', '', '', 'Số hồ sơ đã giải quyết', '', '', '', 'Số hồ sơ đang giải quyết', '', '', ''],
  [
    '',
    '',
    '',
    'Số mới tiếp nhận trực tuyến',
    'Số mới tiếp nhận trực tiếp và qua dịch vụ bưu chính công ích',
    'Số kỳ trước chuyển qua',
    'Tổng số',
    'Trả đúng thời hạn: Trước hạn',
    'Trả đúng thời hạn: Đúng hạn',
    'Trả quá hạn',
    'Tổng số',
    'Chưa đến hạn',
    'Quá hạn',
    '',
  ],
  ['(1)', '(2)', '(3)', '(4)', '(5)', '(6)', '(7)', '(8)', '(9)', '(10)', '(11)', '(12)', '(13)', '(14)'],
]

function numbers(c: Counts06a): number[] {
  return countKeys.map((k) => c[k])
}

/** Data rows then the total row: STT, field, columns 3–13 and 14. */
export function dataRows(report: Report06a): (string | number)[][] {
  return [...report.rows.map((r) => [r.no, r.field, ...numbers(r)]), ['', 'Tổng cộng', ...numbers(report.total)]]
}

function csvCell(v: string | number): string {
  const s = String(v)
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s
}

/** "Lập lúc 14:05 ngày 05/12/2026": Vietnamese local time, as a reader of the form expects (not UTC). */
export function madeAtLine(madeAt: Date): string {
  const [date, time] = formatInstant(madeAt.getTime()).split('T') as [string, string]
  const [y, m, d] = date.split('-')
  return `Lập lúc ${time.slice(0, 5)} ngày ${d}/${m}/${y}`
}

export function toCsv(report: Report06a, ctx: ExportContext): string {
  const lines = [...titleRows(report, ctx), ...headerRows, ...dataRows(report), [madeAtLine(ctx.madeAt)]]
  return '\uFEFF' + lines.map((row) => row.map(csvCell).join(',')).join('\r\n') + '\r\n'
}

export async function toXlsx(report: Report06a, ctx: ExportContext): Promise<Buffer> {
  const book = await newWorkbook()
  book.creator = 'motcua'
  book.created = ctx.madeAt
  const sheet = book.addWorksheet('II.06a', {
    pageSetup: { orientation: 'landscape', paperSize: 9, fitToPage: true, fitToWidth: 1 },
  })
  const titles = titleRows(report, ctx)
  for (const row of titles) sheet.addRow(row)
  // The form's title is centred over the whole table.
  for (const n of [4, 5, 6]) {
    sheet.mergeCells(n, 1, n, 14)
    sheet.getRow(n).alignment = { horizontal: 'center' }
  }
  sheet.getRow(4).font = { bold: true }
  const headerStart = titles.length + 1
  for (const row of headerRows) sheet.addRow(row)
  // Grouped headers as on the printed form.
  sheet.mergeCells(headerStart, 1, headerStart + 2, 1)
  sheet.mergeCells(headerStart, 2, headerStart + 2, 2)
  sheet.mergeCells(headerStart, 3, headerStart, 6)
  sheet.mergeCells(headerStart, 7, headerStart, 13)
  sheet.mergeCells(headerStart, 14, headerStart + 2, 14)
  sheet.mergeCells(headerStart + 1, 3, headerStart + 2, 3)
  sheet.mergeCells(headerStart + 1, 4, headerStart + 1, 6)
  sheet.mergeCells(headerStart + 1, 7, headerStart + 1, 10)
  sheet.mergeCells(headerStart + 1, 11, headerStart + 1, 13)
  for (let r = headerStart; r < headerStart + headerRows.length; r++) {
    sheet.getRow(r).font = { bold: true }
    sheet.getRow(r).alignment = { horizontal: 'center', vertical: 'middle', wrapText: true }
  }
  for (const row of dataRows(report)) sheet.addRow(row)
  sheet.getRow(sheet.rowCount).font = { bold: true }
  sheet.addRow([madeAtLine(ctx.madeAt)])
  sheet.getColumn(2).width = 40
  for (let c = 3; c <= 14; c++) sheet.getColumn(c).width = 14
  return Buffer.from(await book.xlsx.writeBuffer())
}
