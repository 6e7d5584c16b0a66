// Reading a bank statement a finance officer exports from the bank (CSV or XLSX): the credit lines with their amount,
// transfer content, transaction id and date. Banks differ in layout, so the header row is found by its column names
// (Vietnamese or English, with or without diacritics) among the first rows, and everything else is ignored.
import { AppError } from '../errors.js'
import type { StatementLine } from './payments.js'
import { newWorkbook } from '../lib/lazy-modules.js'

/** The largest statement accepted, and the most lines read from it. */
export const statementLimits = { bytes: 2 * 1024 * 1024, lines: 5000 }

export type StatementFormat = 'csv' | 'xlsx'

const plain = (text: string) =>
  text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/đ/gi, 'd')
    .toLowerCase()
    .trim()

const columns = {
  amount: /^(so tien( ghi co| co)?|ghi co|phat sinh co|credit( amount)?|amount)$/,
  content: /^(noi dung( chuyen khoan| giao dich)?|dien giai|mo ta|description|content|remark|narrative)$/,
  transaction: /^(ma giao dich|so giao dich|so tham chieu|ma tham chieu|transaction( id| no)?|reference( no)?)$/,
  date: /^(ngay( giao dich| hieu luc)?|date|transaction date|value date)$/,
}

/** A statement's amount in whole đồng: digits with '.', ',' or spaces grouping thousands, optionally ",00"/".00". */
export function parseAmount(cell: unknown): number | undefined {
  if (typeof cell === 'number') return Number.isSafeInteger(cell) ? cell : undefined
  const text = String(cell ?? '')
    .trim()
    .replace(/\s*(vnd|đ|d)$/i, '')
  if (!/^\d{1,3}([.,\s]?\d{3})*([.,]00)?$/.test(text)) return undefined
  const amount = Number(text.replace(/[.,]00$/, '').replace(/[.,\s]/g, ''))
  return Number.isSafeInteger(amount) ? amount : undefined
}

/** RFC 4180 rows: quoted fields may hold commas, quotes ("") and line breaks; ';' separates when the file uses it. */
export function csvRows(text: string): string[][] {
  const body = text.replace(/^\uFEFF/, '')
  // Banks put a title above the header: the separator is the one the first lines use most.
  const head = body.split('\n', 20).join('\n')
  const sep = (head.match(/;/g)?.length ?? 0) > (head.match(/,/g)?.length ?? 0) ? ';' : ','
  const rows: string[][] = []
  let row: string[] = []
  let field = ''
  let quoted = false
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!
    if (quoted) {
      if (c === '"' && body[i + 1] === '"') {
        field += '"'
        i++
      } else if (c === '"') quoted = false
      else field += c
    } else if (c === '"' && field === '') quoted = true
    else if (c === sep) {
      row.push(field)
      field = ''
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && body[i + 1] === '\n') i++
      row.push(field)
      rows.push(row)
      row = []
      field = ''
    } else field += c
    if (rows.length > statementLimits.lines + 20) break
  }
  if (quoted) throw unreadable('an unterminated quoted field')
  if (field !== '' || row.length) rows.push([...row, field])
  return rows
}

async function xlsxRows(bytes: Buffer): Promise<string[][]> {
  const workbook = await newWorkbook()
  try {
    await workbook.xlsx.load(bytes as unknown as ArrayBuffer)
  } catch {
    throw unreadable('not an XLSX workbook')
  }
  const sheet = workbook.worksheets[0]
  if (!sheet) throw unreadable('the workbook has no sheet')
  const rows: string[][] = []
  sheet.eachRow({ includeEmpty: true }, (r) => {
    if (rows.length > statementLimits.lines + 20) return
    const values = (r.values as unknown[]).slice(1)
    rows.push(values.map((v) => cellText(v)))
  })
  return rows
}

function cellText(v: unknown): string {
  if (v === null || v === undefined) return ''
  if (v instanceof Date) return v.toISOString().slice(0, 10)
  if (typeof v === 'object') {
    const o = v as { text?: unknown; result?: unknown; richText?: Array<{ text: string }> }
    if (o.richText) return o.richText.map((t) => t.text).join('')
    if (o.text !== undefined) return String(o.text)
    if (o.result !== undefined) return String(o.result)
    return ''
  }
  return String(v)
}

function unreadable(why: string): AppError {
  return new AppError('MC_ERR_STATEMENT_UNREADABLE', `The bank statement could not be read: ${why}`)
}

/** The credit lines of a statement; a line with no credit amount (a debit, a subtotal) is not one. */
export async function readStatement(
  bytes: Buffer,
  format: StatementFormat,
): Promise<{ lines: StatementLine[]; unreadable: number[] }> {
  if (bytes.length > statementLimits.bytes) throw new AppError('MC_ERR_PAYLOAD_TOO_LARGE')
  const rows = format === 'csv' ? csvRows(decodeText(bytes)) : await xlsxRows(bytes)
  const headerAt = rows.slice(0, 20).findIndex((r) => {
    const names = r.map(plain)
    return names.some((n) => columns.amount.test(n)) && names.some((n) => columns.content.test(n))
  })
  if (headerAt < 0) throw unreadable('no header row with an amount and a transfer content column')
  const names = rows[headerAt]!.map(plain)
  const at = (re: RegExp) => names.findIndex((n) => re.test(n))
  const col = {
    amount: at(columns.amount),
    content: at(columns.content),
    transaction: at(columns.transaction),
    date: at(columns.date),
  }
  const data = rows.slice(headerAt + 1)
  if (data.length > statementLimits.lines) throw unreadable(`more than ${statementLimits.lines} lines`)
  const lines: StatementLine[] = []
  const bad: number[] = []
  data.forEach((r, i) => {
    const raw = (r[col.amount] ?? '').trim()
    if (raw === '' || r.every((c) => c.trim() === '')) return
    const amountVnd = parseAmount(raw)
    if (amountVnd === undefined || amountVnd <= 0) {
      bad.push(i + 1)
      return
    }
    const text = (j: number) => (j >= 0 ? (r[j] ?? '').trim().slice(0, 500) : '')
    lines.push({
      line: i + 1,
      amountVnd,
      content: text(col.content),
      ...(text(col.transaction) ? { transaction: text(col.transaction).slice(0, 100) } : {}),
      ...(text(col.date) ? { date: text(col.date).slice(0, 40) } : {}),
    })
  })
  return { lines, unreadable: bad }
}

/** UTF-8 (with or without BOM); a file with bytes that are not UTF-8 is refused rather than misread. */
function decodeText(bytes: Buffer): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes)
  } catch {
    throw unreadable('the CSV file is not UTF-8 text')
  }
}
