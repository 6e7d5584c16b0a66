// Specification of reading a bank statement: the header found under a bank's title rows by its column names (with or
// without diacritics), CSV with quotes and either separator, XLSX through exceljs, Vietnamese amount formats, and the
// lines that are not credits left out.
import t from 'tap'
import ExcelJS from 'exceljs'
import { csvRows, parseAmount, readStatement } from '../src/dossiers/bank-statement.js'

t.test('amounts: whole đồng in the formats banks print; anything else is unreadable', async (t) => {
  for (const [text, n] of [
    ['50000', 50000],
    ['50.000', 50000],
    ['50,000', 50000],
    ['1.250.000', 1250000],
    ['50.000,00', 50000],
    ['50 000 VND', 50000],
    [8000, 8000],
  ] as const)
    t.equal(parseAmount(text), n, String(text))
  for (const text of ['năm mươi', '50.5', '-50000', '5,0000', '', '1e6']) t.equal(parseAmount(text), undefined, text)
})

t.test('CSV: quoted fields keep separators, quotes and line breaks', async (t) => {
  t.same(csvRows('a;b\r\n"x;y";"say ""hi""\nthere"\n'), [
    ['a', 'b'],
    ['x;y', 'say "hi"\nthere'],
  ])
})

t.test('an XLSX statement with a title above the header, without diacritics', async (t) => {
  const workbook = new ExcelJS.Workbook()
  const sheet = workbook.addWorksheet('Sao ke')
  sheet.addRow(['NGAN HANG TMCP CONG THUONG VIET NAM'])
  sheet.addRow([])
  sheet.addRow(['Ngay giao dich', 'So tham chieu', 'Dien giai', 'Ghi co'])
  sheet.addRow([new Date('2026-12-05T00:00:00Z'), 'FT9', 'CT MCMXAC60KZ797A054F', 50000])
  sheet.addRow([new Date('2026-12-05T00:00:00Z'), 'FT10', 'phi dich vu', null])
  const bytes = Buffer.from(await workbook.xlsx.writeBuffer())
  const { lines, unreadable } = await readStatement(bytes, 'xlsx')
  t.same(lines, [
    { line: 1, amountVnd: 50000, content: 'CT MCMXAC60KZ797A054F', transaction: 'FT9', date: '2026-12-05' },
  ])
  t.same(unreadable, [], 'a line without a credit is not one')
})
