// Reading a list of officers from a CSV or XLSX file (exceljs): the header row names the columns (English or
// Vietnamese, with or without diacritics), each later row is one account with its line number for error reports.
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import type ExcelJS from 'exceljs'
import { inspectZip } from '../attachments/sniff.js'
import { newWorkbook } from '../lib/lazy-modules.js'

/** One account as the file gives it (text, trimmed; absent columns are empty). */
export interface ImportedOfficer {
  /** The row's line in the file (the header is line 1). */
  line: number
  username: string
  fullName: string
  email: string
  phone: string
  kind: string
  unit: string
  groups: string[]
  signingCertificateRef: string
}

export class ImportFileError extends Error {}

/** At most this many accounts per file: a province's officers are imported unit by unit. */
export const maxImportRows = 2000

const columnAliases: Record<Exclude<keyof ImportedOfficer, 'line'>, string[]> = {
  username: ['username', 'ten_dang_nhap', 'tai_khoan'],
  fullName: ['full_name', 'fullname', 'name', 'ho_ten', 'ho_va_ten'],
  email: ['email', 'e-mail', 'thu_dien_tu'],
  phone: ['phone', 'dien_thoai', 'so_dien_thoai'],
  kind: ['kind', 'role', 'vai_tro'],
  unit: ['unit', 'unit_id', 'don_vi', 'ma_don_vi'],
  groups: ['groups', 'group', 'nhom'],
  signingCertificateRef: ['signing_certificate_ref', 'signing_certificate', 'chung_thu_so'],
}

/** `Họ và tên` → `ho_va_ten`. */
export const headerKey = (text: string): string =>
  text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[đĐ]/g, 'd')
    .trim()
    .toLowerCase()
    .replace(/\s+/g, '_')

/** The column each field is read from, by the header row; a file without a username and name column is refused. */
function columnsOf(header: string[]): Map<keyof typeof columnAliases, number> {
  const found = new Map<keyof typeof columnAliases, number>()
  header.forEach((text, index) => {
    const key = headerKey(text)
    for (const [field, aliases] of Object.entries(columnAliases) as Array<[keyof typeof columnAliases, string[]]>)
      if (aliases.includes(key) && !found.has(field)) found.set(field, index)
  })
  for (const required of ['username', 'fullName', 'unit'] as const)
    if (!found.has(required)) throw new ImportFileError(`the header row has no "${columnAliases[required][0]}" column`)
  return found
}

function officersOf(rows: Array<{ line: number; cells: string[] }>): ImportedOfficer[] {
  const [header, ...data] = rows
  if (!header) throw new ImportFileError('the file is empty')
  const columns = columnsOf(header.cells)
  const nonEmpty = data.filter((r) => r.cells.some((c) => c.trim() !== ''))
  if (nonEmpty.length === 0) throw new ImportFileError('the file has no account rows')
  if (nonEmpty.length > maxImportRows)
    throw new ImportFileError(`the file has more than ${maxImportRows} rows; split it`)
  const cell = (r: { cells: string[] }, field: keyof typeof columnAliases) => {
    const index = columns.get(field)
    return index === undefined ? '' : (r.cells[index] ?? '').trim()
  }
  return nonEmpty.map((r) => ({
    line: r.line,
    username: cell(r, 'username').toLowerCase(),
    fullName: cell(r, 'fullName'),
    email: cell(r, 'email'),
    phone: cell(r, 'phone'),
    kind: cell(r, 'kind').toLowerCase(),
    unit: cell(r, 'unit'),
    groups: cell(r, 'groups')
      .split(/[;,|\s]+/)
      .map((g) => g.trim().toLowerCase())
      .filter(Boolean),
    signingCertificateRef: cell(r, 'signingCertificateRef'),
  }))
}

const textOf = (value: ExcelJS.CellValue): string => {
  if (value === null || value === undefined) return ''
  if (typeof value === 'object') {
    if ('richText' in value) return value.richText.map((p) => p.text).join('')
    if ('text' in value) return String(value.text)
    if ('result' in value) return String(value.result ?? '')
    if (value instanceof Date) return value.toISOString().slice(0, 10)
  }
  return String(value)
}

function rowsOf(sheet: ExcelJS.Worksheet | undefined): Array<{ line: number; cells: string[] }> {
  const rows: Array<{ line: number; cells: string[] }> = []
  sheet?.eachRow({ includeEmpty: false }, (row, line) => {
    const cells: string[] = []
    row.eachCell({ includeEmpty: true }, (cell, column) => {
      cells[column - 1] = textOf(cell.value)
    })
    rows.push({ line, cells: Array.from(cells, (c) => c ?? '') })
  })
  return rows
}

/** The officers of a CSV file (UTF-8, comma-separated, quoted as RFC 4180; a byte-order mark is skipped). */
export async function readOfficersCsv(text: string): Promise<ImportedOfficer[]> {
  const workbook = await newWorkbook()
  let sheet: ExcelJS.Worksheet
  try {
    // Every value stays text: a phone number keeps its leading zero, a code is never read as a date.
    sheet = await workbook.csv.read(Readable.from([text.replace(/^\uFEFF/, '')]), {
      map: (value: unknown) => value,
      parserOptions: { ignoreEmpty: true },
    })
  } catch (err) {
    throw new ImportFileError(`not a readable CSV file: ${(err as Error).message}`)
  }
  return officersOf(rowsOf(sheet))
}

/** The officers of the first sheet of an XLSX file; the container is checked for ZIP bombs before it is opened. */
export async function readOfficersXlsx(bytes: Buffer): Promise<ImportedOfficer[]> {
  const dir = await mkdtemp(join(tmpdir(), 'motcua-import-'))
  try {
    const file = join(dir, 'officers.xlsx')
    await writeFile(file, bytes)
    await inspectZip(file, bytes.length, {
      maxEntries: 200,
      maxTotalUncompressed: 20 * 1024 * 1024,
      maxRatio: 100,
    }).catch((err: Error) => {
      throw new ImportFileError(`not a readable XLSX file: ${err.message}`)
    })
    const workbook = await newWorkbook()
    try {
      await workbook.xlsx.load(bytes as unknown as ArrayBuffer)
    } catch (err) {
      throw new ImportFileError(`not a readable XLSX file: ${(err as Error).message}`)
    }
    return officersOf(rowsOf(workbook.worksheets[0]))
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}
