// Printable one-stop forms (Thông tư 01/2018/TT-VPCP): typed data in, HTML or PDF out. Pure: no database, no clock
// unless a date is left out.
import {
  apologyDocument,
  controlSheetDocument,
  feeReceiptDocument,
  receiptDocument,
  refusalDocument,
  supplementRequestDocument,
  type ApologyData,
  type ControlSheetData,
  type PrintableData,
  type PrintableForm,
  type PrintDocument,
  type ReceiptData,
  type RefusalData,
  type SupplementRequestData,
} from './forms.js'
import { renderHtml } from './html.js'
import { renderPdf } from './pdf.js'

export type * from './forms.js'
export { escapeHtml } from './html.js'
export { counterUnit, issuerOf, placeName, type IssuerUnit } from './issuer.js'

const documents: { [F in PrintableForm]: (data: PrintableData[F]) => PrintDocument } = {
  receipt: receiptDocument,
  'supplement-request': supplementRequestDocument,
  refusal: refusalDocument,
  apology: apologyDocument,
  'control-sheet': controlSheetDocument,
  'fee-receipt': feeReceiptDocument,
}

export const printableForms = Object.keys(documents) as PrintableForm[]

/** Giấy tiếp nhận hồ sơ và hẹn trả kết quả (Mẫu 01), A5. */
export const renderReceipt = (data: ReceiptData): Promise<string> => renderHtml(receiptDocument(data))
/** Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ (Mẫu 02). */
export const renderSupplementRequest = (data: SupplementRequestData): Promise<string> =>
  renderHtml(supplementRequestDocument(data))
/** Phiếu từ chối tiếp nhận, giải quyết hồ sơ (Mẫu 03). */
export const renderRefusal = (data: RefusalData): Promise<string> => renderHtml(refusalDocument(data))
/** Phiếu xin lỗi và hẹn lại ngày trả kết quả (Mẫu 04). */
export const renderApology = (data: ApologyData): Promise<string> => renderHtml(apologyDocument(data))
/** Phiếu kiểm soát quá trình giải quyết hồ sơ (Mẫu 05). */
export const renderControlSheet = (data: ControlSheetData): Promise<string> => renderHtml(controlSheetDocument(data))

export function renderPrintable<F extends PrintableForm>(
  form: F,
  data: PrintableData[F],
  format: 'html',
): Promise<string>
export function renderPrintable<F extends PrintableForm>(
  form: F,
  data: PrintableData[F],
  format: 'pdf',
): Promise<Buffer>
export function renderPrintable<F extends PrintableForm>(
  form: F,
  data: PrintableData[F],
  format: 'html' | 'pdf',
): Promise<string | Buffer>
export function renderPrintable<F extends PrintableForm>(
  form: F,
  data: PrintableData[F],
  format: 'html' | 'pdf',
): Promise<string | Buffer> {
  const build = documents[form] as (data: PrintableData[F]) => PrintDocument
  const doc = build(data)
  return format === 'pdf' ? renderPdf(doc) : renderHtml(doc)
}
