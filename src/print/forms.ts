// The printable one-stop forms of Thông tư 01/2018/TT-VPCP (Mẫu 01–05) as a layout model that the HTML and PDF
// renderers share.
import { formatInstant, toInstant } from '../domain/calendar/index.js'

export type PrintableForm = 'receipt' | 'supplement-request' | 'refusal' | 'apology' | 'control-sheet' | 'fee-receipt'

export interface PrintAgency {
  /** Tên cơ quan chủ quản, e.g. "ỦY BAN NHÂN DÂN TỈNH HÀ TĨNH". */
  parent?: string
  /** Tên cơ quan / đơn vị, e.g. "ỦY BAN NHÂN DÂN XÃ THẠCH HÀ". */
  name: string
  /** Địa danh in the date line ("Thạch Hà, ngày …"). */
  place: string
  /** Bộ phận tiếp nhận và trả kết quả (or the department) that issues the form. */
  unit?: string
}

export interface PrintApplicant {
  name: string
  address?: string
  phone?: string
  email?: string
}

export interface PrintProcedure {
  code?: string
  name: string
}

export interface PrintPerson {
  name: string
  title?: string
}

type Time = string | Date | number

interface Common {
  /** The dossier's code; null before it has one (a supplement asked or a refusal at reception): the form then says so
   * and carries the submission time instead, never the internal id. */
  dossierCode: string | null
  /** When the dossier was submitted: identifies it on a form issued before it has a code. */
  submittedAt?: Time
  agency: PrintAgency
  applicant: PrintApplicant
  procedure: PrintProcedure
  /** Số of the form, e.g. "15/GTN"; left as dots when absent. */
  number?: string
  /** When the form is issued (the date line); defaults to the form's main time. */
  issuedAt?: Time
}

export interface ReceiptData extends Common {
  /** What was received, as what (bản chính, bản sao, bản điện tử …), and how many: not the procedure's full list. */
  components: Array<{ name: string; form: string; quantity: number }>
  /** Số lượng hồ sơ (bộ). */
  sets?: number
  /** Thời gian giải quyết theo quy định, as people read it: "05 ngày làm việc". */
  durationText: string
  acceptedAt: Time
  appointmentAt: Time
  /** Đăng ký nhận kết quả tại: the counter, online, or a postal address. */
  resultDelivery: string
  /** Reception regardless of place: the agency competent for the dossier, when it is not the receiving one. */
  competentAgency?: string
  officer: PrintPerson
  ledger?: { book: string; sequence: string }
}

export interface SupplementRequestData extends Common {
  requests: string[]
  reason: string
  contact: { name: string; phone?: string }
  officer: PrintPerson
}

export interface RefusalData extends Common {
  reasons: string[]
  officer: PrintPerson
}

export interface ApologyData extends Common {
  acceptedAt: Time
  originalAppointmentAt: Time
  reason: string
  newAppointmentAt: Time
  signer: PrintPerson
}

export interface ControlSheetData extends Common {
  resolvingUnit: string
  coordinatingUnits?: string[]
  handoffs: Array<{ from: string; to: string; at: Time; result?: 'early' | 'on_time' | 'late'; note?: string }>
}

/** Biên lai thu phí, lệ phí: what was paid for the dossier, how, and the amount in words. */
export interface FeeReceiptData extends Common {
  lines: Array<{ name: string; quantity: number; unitVnd: number; amountVnd: number }>
  totalVnd: number
  /** The total in Vietnamese words ("Năm mươi nghìn đồng"). */
  totalInWords: string
  paidAt: Time
  /** How it was paid: the gateway or the bank transfer, as payers read it. */
  method: string
  reference: string
  transaction?: string
}

export interface PrintableData {
  receipt: ReceiptData
  'fee-receipt': FeeReceiptData
  'supplement-request': SupplementRequestData
  refusal: RefusalData
  apology: ApologyData
  'control-sheet': ControlSheetData
}

/** A run of text with its emphasis; renderers escape and lay it out. */
export interface Run {
  text: string
  bold?: boolean
  italic?: boolean
}

export type Block =
  | { kind: 'paragraph'; runs: Run[]; align?: 'left' | 'center' | 'justify'; indent?: boolean }
  | { kind: 'table'; headers: string[]; rows: string[][]; widths: number[] }
  | { kind: 'signatures'; items: Array<{ title: string; note: string; name?: string }> }

export interface PrintDocument {
  /** A one-stop form, or a result document (src/results/templates.ts). */
  form: PrintableForm | 'result'
  /** A5 for the short receipts people carry home; A4 for the rest. */
  pageSize: 'A4' | 'A5'
  template: string
  /** The legal basis of the template, after its name in the top line; default Thông tư 01/2018/TT-VPCP. */
  basis?: string
  title: string
  subtitle?: string
  agency: PrintAgency
  number: string
  dateLine: string
  /** What the QR code carries: the dossier code (look-up at the counter or the portal), or a result's verification
   * link; none before the dossier has a code. */
  qr?: string
  blocks: Block[]
}

const dots = '……………'

/** The form's legal model as printed in its corner: the one-stop forms are Thông tư 01/2018's Mẫu 01–05. */
export function templateLine(doc: Pick<PrintDocument, 'template' | 'basis'>): string {
  if (doc.basis) return `${doc.template} — ${doc.basis}`
  return doc.template.startsWith('Mẫu') ? `${doc.template} — Thông tư 01/2018/TT-VPCP` : doc.template
}

function parts(at: Time) {
  const iso = formatInstant(toInstant(at as string | Date | number))
  return {
    year: iso.slice(0, 4),
    month: iso.slice(5, 7),
    day: iso.slice(8, 10),
    hour: iso.slice(11, 13),
    minute: iso.slice(14, 16),
  }
}

/** "ngày 02 tháng 03 năm 2026" */
export function vnDate(at: Time): string {
  const p = parts(at)
  return `ngày ${p.day} tháng ${p.month} năm ${p.year}`
}

/** "09 giờ 15 phút, ngày 02 tháng 03 năm 2026" */
export function vnDateTime(at: Time): string {
  const p = parts(at)
  return `${p.hour} giờ ${p.minute} phút, ${vnDate(at)}`
}

const p = (...runs: Array<Run | string>): Block => ({
  kind: 'paragraph',
  runs: runs.map((r) => (typeof r === 'string' ? { text: r } : r)),
})
const b = (text: string): Run => ({ text, bold: true })
const i = (text: string): Run => ({ text, italic: true })

/** "Mã hồ sơ: H21…"; before the dossier has a code, that it has none yet and when it was submitted. */
function codeLine(d: Common, label: Run | string = b('Mã hồ sơ: ')): Block {
  if (d.dossierCode) return p(label, b(d.dossierCode))
  return p(
    label,
    'chưa cấp (hồ sơ chưa được tiếp nhận)',
    ...(d.submittedAt ? ['. Nộp lúc ', vnDateTime(d.submittedAt)] : []),
  )
}

function applicantLines(a: PrintApplicant): Block[] {
  return [p('Địa chỉ: ', a.address ?? dots), p('Số điện thoại: ', a.phone ?? dots, '     Email: ', a.email ?? dots)]
}

function frame(
  form: PrintableForm,
  data: Common,
  at: Time,
  template: string,
  title: string,
  blocks: Block[],
  extra: Partial<PrintDocument> = {},
): PrintDocument {
  return {
    form,
    pageSize: 'A4',
    template,
    title,
    agency: data.agency,
    number: data.number ?? dots,
    dateLine: `${data.agency.place}, ${vnDate(data.issuedAt ?? at)}`,
    ...(data.dossierCode ? { qr: data.dossierCode } : {}),
    blocks,
    ...extra,
  }
}

const unitName = (a: PrintAgency) => a.unit ?? `Bộ phận tiếp nhận và trả kết quả ${a.name}`

export function receiptDocument(d: ReceiptData): PrintDocument {
  return frame(
    'receipt',
    d,
    d.acceptedAt,
    'Mẫu 01',
    'GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ',
    [
      codeLine(d),
      p(unitName(d.agency), ' tiếp nhận hồ sơ của: ', b(d.applicant.name)),
      ...applicantLines(d.applicant),
      p('Nội dung yêu cầu giải quyết: ', d.procedure.name, d.procedure.code ? ` (mã thủ tục ${d.procedure.code})` : ''),
      ...(d.competentAgency ? [p('Cơ quan có thẩm quyền giải quyết: ', b(d.competentAgency))] : []),
      p(b('1. Thành phần hồ sơ nộp gồm:')),
      {
        kind: 'table',
        headers: ['STT', 'Tên giấy tờ', 'Hình thức (bản chính, bản sao hoặc bản photo)', 'Số lượng'],
        widths: [8, 56, 24, 12],
        rows: d.components.length
          ? d.components.map((c, n) => [String(n + 1), c.name, c.form, String(c.quantity)])
          : [['', 'Không có giấy tờ kèm theo', '', '']],
      },
      p(b('2. Số lượng hồ sơ: '), `${String(d.sets ?? 1).padStart(2, '0')} (bộ)`),
      p(b('3. Thời gian giải quyết hồ sơ theo quy định là: '), d.durationText),
      p(b('4. Thời gian nhận hồ sơ: '), vnDateTime(d.acceptedAt)),
      p(b('5. Thời gian trả kết quả giải quyết hồ sơ: '), b(vnDateTime(d.appointmentAt))),
      p(b('6. Đăng ký nhận kết quả tại: '), d.resultDelivery),
      p('Vào Sổ theo dõi hồ sơ, Quyển số: ', d.ledger?.book ?? dots, '  Số thứ tự: ', d.ledger?.sequence ?? dots),
      {
        kind: 'signatures',
        items: [
          { title: 'NGƯỜI NỘP HỒ SƠ', note: '(Ký và ghi rõ họ tên)', name: d.applicant.name },
          { title: 'NGƯỜI TIẾP NHẬN HỒ SƠ', note: '(Ký và ghi rõ họ tên)', name: d.officer.name },
        ],
      },
    ],
    { pageSize: 'A5' },
  )
}

const vnd = (n: number) => `${new Intl.NumberFormat('vi-VN').format(n)} đ`

export function feeReceiptDocument(d: FeeReceiptData): PrintDocument {
  return frame(
    'fee-receipt',
    { ...d, number: d.number ?? d.reference },
    d.paidAt,
    'Biên lai thu phí, lệ phí — Nghị định 123/2020/NĐ-CP',
    'BIÊN LAI THU PHÍ, LỆ PHÍ',
    [
      codeLine(d),
      p('Tên người nộp: ', b(d.applicant.name)),
      ...applicantLines(d.applicant),
      p('Thủ tục: ', d.procedure.name, d.procedure.code ? ` (mã thủ tục ${d.procedure.code})` : ''),
      {
        kind: 'table',
        headers: ['STT', 'Nội dung thu', 'Số lượng', 'Đơn giá', 'Thành tiền'],
        widths: [8, 44, 12, 18, 18],
        rows: [
          ...d.lines.map((l, n) => [String(n + 1), l.name, String(l.quantity), vnd(l.unitVnd), vnd(l.amountVnd)]),
          ['', 'Tổng cộng', '', '', vnd(d.totalVnd)],
        ],
      },
      p(b('Số tiền bằng chữ: '), i(d.totalInWords)),
      p(
        'Hình thức nộp: ',
        d.method,
        '. Mã thanh toán: ',
        d.reference,
        d.transaction ? `. Mã giao dịch: ${d.transaction}` : '',
      ),
      p('Thời gian nộp: ', vnDateTime(d.paidAt)),
      {
        kind: 'signatures',
        items: [
          { title: 'NGƯỜI NỘP TIỀN', note: '(Ký và ghi rõ họ tên)', name: d.applicant.name },
          { title: 'NGƯỜI THU TIỀN', note: '(Ký và ghi rõ họ tên)' },
        ],
      },
    ],
    { pageSize: 'A5' },
  )
}

export function supplementRequestDocument(d: SupplementRequestData): PrintDocument {
  return frame('supplement-request', d, d.issuedAt ?? Date.now(), 'Mẫu 02', 'PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ', [
    codeLine(d),
    p('Hồ sơ của: ', b(d.applicant.name)),
    p('Nội dung yêu cầu giải quyết: ', d.procedure.name),
    ...applicantLines(d.applicant),
    p('Yêu cầu hoàn thiện hồ sơ gồm những nội dung sau:'),
    ...d.requests.map((r, n) => p(`${n + 1}. ${r}`)),
    p('Lý do: ', d.reason),
    p(
      'Trong quá trình hoàn thiện hồ sơ nếu có vướng mắc, ông/bà liên hệ với ',
      b(d.contact.name),
      ' số điện thoại ',
      d.contact.phone ?? dots,
      ' để được hướng dẫn./.',
    ),
    { kind: 'paragraph', runs: [i('Xin trân trọng cảm ơn!')], align: 'center' },
    { kind: 'signatures', items: [{ title: 'NGƯỜI HƯỚNG DẪN', note: '(Ký và ghi rõ họ tên)', name: d.officer.name }] },
  ])
}

export function refusalDocument(d: RefusalData): PrintDocument {
  return frame('refusal', d, d.issuedAt ?? Date.now(), 'Mẫu 03', 'PHIẾU TỪ CHỐI TIẾP NHẬN, GIẢI QUYẾT HỒ SƠ', [
    codeLine(d),
    p(unitName(d.agency), ' tiếp nhận hồ sơ của: ', b(d.applicant.name)),
    ...applicantLines(d.applicant),
    p('Đề nghị giải quyết thủ tục hành chính: ', d.procedure.name),
    p(
      'Sau khi xem xét hồ sơ, đối chiếu với các quy định hiện hành, ',
      d.agency.name,
      ' từ chối tiếp nhận, giải quyết hồ sơ này với lý do cụ thể như sau:',
    ),
    ...d.reasons.map((r, n) => p(`${n + 1}. ${r}`)),
    p('Xin thông báo để ông/bà được biết và thực hiện./.'),
    {
      kind: 'signatures',
      items: [{ title: 'NGƯỜI TIẾP NHẬN HỒ SƠ', note: '(Ký và ghi rõ họ tên)', name: d.officer.name }],
    },
  ])
}

export function apologyDocument(d: ApologyData): PrintDocument {
  return frame('apology', d, d.issuedAt ?? Date.now(), 'Mẫu 04', 'PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ', [
    { kind: 'paragraph', runs: [{ text: 'Kính gửi: ' }, b(d.applicant.name)], align: 'center' },
    p(
      `Ngày ${vnDate(d.acceptedAt).slice('ngày '.length)}, `,
      d.agency.name,
      ' tiếp nhận giải quyết hồ sơ của ông/bà: ',
      b(d.applicant.name),
    ),
    p('Nội dung yêu cầu giải quyết: ', d.procedure.name),
    codeLine(d, 'Mã hồ sơ: '),
    p('Ngày hẹn trả kết quả: ', vnDate(d.originalAppointmentAt)),
    p('Tuy nhiên đến nay, ', d.agency.name, ' chưa trả kết quả giải quyết hồ sơ của ông/bà đúng hẹn như trên.'),
    p('Lý do: ', d.reason),
    p(
      'Sự chậm trễ này đã gây phiền hà cho ông/bà, chúng tôi xin lỗi và hẹn lại ngày trả kết quả vào ',
      b(vnDate(d.newAppointmentAt)),
      '.',
    ),
    p('Rất mong nhận được sự thông cảm của ông/bà vì sự chậm trễ này./.'),
    {
      kind: 'signatures',
      items: [
        {
          title: (d.signer.title ?? 'Thủ trưởng cơ quan').toUpperCase(),
          note: '(Ký, ghi rõ họ tên và đóng dấu)',
          name: d.signer.name,
        },
      ],
    },
  ])
}

const resultLabel = { early: 'Trước hạn', on_time: 'Đúng hạn', late: 'Quá hạn' } as const

export function controlSheetDocument(d: ControlSheetData): PrintDocument {
  return frame(
    'control-sheet',
    d,
    d.issuedAt ?? d.handoffs[0]?.at ?? Date.now(),
    'Mẫu 05',
    'PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ',
    [
      codeLine(d),
      p('(Kèm theo hồ sơ của: ', d.applicant.name, ')'),
      p('Thủ tục: ', d.procedure.name),
      p('Cơ quan (bộ phận) giải quyết hồ sơ: ', d.resolvingUnit),
      p('Cơ quan phối hợp giải quyết hồ sơ: ', d.coordinatingUnits?.length ? d.coordinatingUnits.join('; ') : dots),
      {
        kind: 'table',
        headers: [
          'Tên cơ quan',
          'Thời gian giao, nhận hồ sơ',
          'Kết quả giải quyết hồ sơ (trước hạn/đúng hạn/quá hạn)',
          'Ghi chú',
        ],
        widths: [30, 30, 22, 18],
        rows: d.handoffs.map((h, n) => [
          `${n + 1}. Giao: ${h.from}\nNhận: ${h.to}`,
          `${vnDateTime(h.at)}\nNgười giao ……… Người nhận ………`,
          h.result ? resultLabel[h.result] : '',
          h.note ?? '',
        ]),
      },
    ],
  )
}
