// Example data for each printable form: the samples in docs/print-samples/ and the print tests use it.
import type { PrintableData } from './forms.js'

const agency = {
  parent: 'Ủy ban nhân dân tỉnh Hà Tĩnh',
  name: 'Ủy ban nhân dân xã Thạch Hà',
  place: 'Thạch Hà',
  unit: 'Bộ phận tiếp nhận và trả kết quả',
}
const applicant = {
  name: 'Nguyễn Thị Hằng',
  address: 'Thôn Đông Tiến, xã Thạch Hà, tỉnh Hà Tĩnh',
  phone: '0912 345 678',
  email: 'hang.nguyen@example.vn',
}
const procedure = { code: '1.001193', name: 'Đăng ký khai sinh' }

export const samplePrintData: PrintableData = {
  'fee-receipt': {
    dossierCode: 'H21.65-260302-0014',
    agency,
    applicant,
    procedure: { code: '1.001612', name: 'Đăng ký thành lập hộ kinh doanh' },
    lines: [{ name: 'Lệ phí đăng ký hộ kinh doanh (nộp trực tuyến)', quantity: 1, unitVnd: 50000, amountVnd: 50000 }],
    totalVnd: 50000,
    totalInWords: 'Năm mươi nghìn đồng',
    paidAt: '2026-03-02T10:12:00+07:00',
    method: 'Thanh toán trực tuyến qua cổng VNPAY',
    reference: 'MCMXAC5TXLAEE98235',
    transaction: '14226112',
  },
  receipt: {
    dossierCode: 'H21.65-260302-0011',
    number: '11/GTN',
    agency,
    applicant,
    procedure,
    components: [
      // What was received, as what (src/dossiers/received-documents.ts): the form filled at the counter and scanned,
      // the birth certificate given on paper and scanned.
      { name: 'Tờ khai đăng ký khai sinh theo mẫu', form: 'Bản chính, đã số hóa', quantity: 1 },
      { name: 'Giấy chứng sinh', form: 'Bản chính, đã số hóa', quantity: 1 },
    ],
    sets: 1,
    durationText: 'Trong ngày làm việc (hồ sơ nhận sau 15 giờ trả trong ngày làm việc tiếp theo)',
    acceptedAt: '2026-03-02T09:15:00+07:00',
    appointmentAt: '2026-03-02T16:30:00+07:00',
    resultDelivery: 'Bộ phận tiếp nhận và trả kết quả UBND xã Thạch Hà',
    officer: { name: 'Trần Văn Đức' },
    ledger: { book: '01/2026', sequence: '11' },
  },
  'supplement-request': {
    dossierCode: 'H21.65-260302-0012',
    number: '03/PBS',
    agency,
    applicant,
    procedure,
    issuedAt: '2026-03-02T10:05:00+07:00',
    requests: [
      'Bổ sung bản chính Giấy chứng sinh (bản đã nộp là bản chụp, không rõ dấu của cơ sở y tế)',
      'Ghi đầy đủ quê quán của người mẹ tại mục 3 tờ khai',
    ],
    reason: 'Thành phần hồ sơ chưa đúng quy định tại Điều 16 Luật Hộ tịch 2014',
    contact: { name: 'Trần Văn Đức', phone: '0239 3856 111' },
    officer: { name: 'Trần Văn Đức' },
  },
  refusal: {
    dossierCode: 'H21.65-260302-0013',
    number: '01/PTC',
    agency,
    applicant,
    procedure,
    issuedAt: '2026-03-02T14:20:00+07:00',
    reasons: [
      'Việc khai sinh của trẻ đã được đăng ký tại UBND phường Bắc Hà (Giấy khai sinh số 125/2025); không đăng ký khai sinh lần thứ hai',
    ],
    officer: { name: 'Trần Văn Đức' },
  },
  apology: {
    dossierCode: 'H21.65-260224-0007',
    number: '02/PXL',
    agency,
    applicant,
    procedure: { code: '1.004873', name: 'Cấp Giấy xác nhận tình trạng hôn nhân' },
    issuedAt: '2026-02-26T08:30:00+07:00',
    acceptedAt: '2026-02-24T09:00:00+07:00',
    originalAppointmentAt: '2026-02-27T09:00:00+07:00',
    reason: 'Cần xác minh tình trạng hôn nhân tại nơi cư trú trước đây của người yêu cầu (tỉnh Nghệ An)',
    newAppointmentAt: '2026-03-04T09:00:00+07:00',
    signer: { title: 'Chủ tịch', name: 'Lê Quang Vinh' },
  },
  'control-sheet': {
    dossierCode: 'H21.65-260601-0003',
    agency,
    applicant: { name: 'Hộ kinh doanh Phạm Văn Hùng' },
    procedure: { code: '1.009994', name: 'Cấp giấy phép xây dựng nhà ở riêng lẻ' },
    resolvingUnit: 'Phòng Kinh tế, Hạ tầng và Đô thị',
    coordinatingUnits: ['Chi cục Thuế khu vực'],
    handoffs: [
      {
        from: 'Bộ phận tiếp nhận và trả kết quả',
        to: 'Phòng Kinh tế, Hạ tầng và Đô thị',
        at: '2026-06-01T11:00:00+07:00',
        result: 'early',
      },
      {
        from: 'Phòng Kinh tế, Hạ tầng và Đô thị',
        to: 'Chi cục Thuế khu vực',
        at: '2026-06-11T16:00:00+07:00',
        result: 'late',
        note: 'Quá hạn 5 giờ làm việc',
      },
      { from: 'Chi cục Thuế khu vực', to: 'Lãnh đạo UBND (ký duyệt)', at: '2026-06-19T10:00:00+07:00', result: 'late' },
      {
        from: 'Lãnh đạo UBND',
        to: 'Bộ phận tiếp nhận và trả kết quả',
        at: '2026-06-22T09:00:00+07:00',
        result: 'early',
      },
    ],
  },
}
