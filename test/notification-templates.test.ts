// E-mail templates: Vietnamese first then English, data escaped in HTML, dates in the business time zone.
import t from 'tap'
import {
  escapeHtml,
  formatDate,
  formatDateTime,
  renderEmail,
  type EmailTemplate,
} from '../src/notifications/templates.js'

const base = { applicantName: 'Trần Văn Bình', dossierCode: 'H21.65-260302-0001', procedureName: 'Đăng ký khai sinh' }
const overdue = [
  {
    dossierCode: 'H21.65-260302-0001',
    procedureName: 'Đăng ký khai sinh',
    dueDate: '2026-03-09',
    heldBy: 'Phòng Tư pháp',
  },
]

const every: EmailTemplate[] = [
  {
    name: 'dossier-received',
    data: {
      ...base,
      agencyName: 'UBND xã',
      receivedAt: new Date('2026-03-02T02:15:00Z'),
      appointmentDate: '2026-03-09',
    },
  },
  {
    name: 'supplement-requested',
    data: { ...base, missing: ['Bản sao CCCD của người cha', 'Giấy chứng sinh'], note: 'Bản chụp bị mờ' },
  },
  { name: 'dossier-refused', data: { ...base, reason: 'Không thuộc thẩm quyền giải quyết' } },
  { name: 'result-ready', data: { ...base, returnMethod: 'counter', place: 'Bộ phận Một cửa UBND xã' } },
  {
    name: 'dossier-late',
    data: {
      ...base,
      agencyName: 'UBND xã',
      originalDueDate: '2026-03-09',
      newDueDate: '2026-03-13',
      reason: 'Chờ xác minh',
    },
  },
  {
    name: 'result-shipped',
    data: {
      ...base,
      carrierName: 'Bưu điện Việt Nam (VNPost)',
      trackingNumber: 'EB123456785VN',
      shippedOn: '2026-03-10',
      address: {
        street: 'Số 5, ngõ 12 <phố> Huế',
        communeName: 'Phường Hai Bà Trưng',
        provinceName: 'Thành phố Hà Nội',
      },
    },
  },
  { name: 'overdue-officer', data: { recipientName: 'Lê Văn Cường', dossiers: overdue } },
  {
    name: 'overdue-supervisor',
    data: { recipientName: 'Phạm Thị Dung', unitName: 'Phòng Tư pháp', dossiers: overdue },
  },
  {
    name: 'verify-email',
    data: {
      recipientName: 'Trần Văn Bình',
      link: 'https://motcua.example/verify?t=abc',
      expiresAt: new Date('2026-03-03T10:00:00Z'),
    },
  },
  {
    name: 'payment-requested',
    data: {
      ...base,
      agencyName: 'UBND xã',
      amountVnd: 150_000,
      payBy: '2026-03-09',
      reason: 'Lệ phí đăng ký hộ kinh doanh',
      payUrl: 'https://motcua.example/ho-so-cua-toi',
    },
  },
  {
    name: 'withdrawal-confirmed',
    data: { ...base, agencyName: 'UBND xã', withdrawnAt: new Date('2026-03-03T03:30:00Z'), reason: 'Nộp nhầm thủ tục' },
  },
  {
    name: 'dossier-stopped',
    data: {
      ...base,
      agencyName: 'UBND xã',
      stoppedAt: new Date('2026-03-04T08:00:00Z'),
      reason: 'Quá hạn bổ sung hồ sơ',
    },
  },
  {
    name: 'step-returned',
    data: {
      recipientName: 'Vũ Văn Hải',
      dossierCode: base.dossierCode,
      procedureName: base.procedureName,
      fromStep: 'Chủ tịch UBND xã ký',
      toStep: 'Kiểm tra, ghi Sổ hộ tịch',
      reason: 'Sai tên mẹ',
      dueDate: '2026-03-09',
    },
  },
]

t.test('every template has a Vietnamese subject and text, then an English part, in text and HTML', async (t) => {
  for (const template of every) {
    const mail = renderEmail(template)
    t.equal(mail.template, template.name)
    t.ok(mail.subject.length > 5, `${template.name}: subject`)
    const english = mail.text.indexOf('English:')
    t.ok(english > 0, `${template.name}: English part in the text`)
    t.ok(
      /[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]/i.test(mail.text.slice(0, english)),
      `${template.name}: Vietnamese first`,
    )
    t.match(mail.html, /^<!doctype html><html lang="vi">/)
    t.match(mail.html, '<meta charset="utf-8">')
  }
})

t.test('the texts say what the citizen needs to know', async (t) => {
  const [received, supplement, refused, ready, late] = every.map(renderEmail)
  t.match(received!.text, 'Ngày hẹn trả kết quả: 09/03/2026')
  t.match(received!.text, '09:15 ngày 02/03/2026', 'instants in Asia/Ho_Chi_Minh')
  t.match(supplement!.text, '- Bản sao CCCD của người cha\n- Giấy chứng sinh')
  t.match(supplement!.html, '<li>Giấy chứng sinh</li>')
  t.match(refused!.text, 'Lý do: Không thuộc thẩm quyền giải quyết')
  t.match(ready!.text, 'Bộ phận Một cửa UBND xã')
  t.match(late!.subject, 'Phiếu xin lỗi và hẹn lại ngày trả kết quả')
  t.match(late!.text, 'Ngày hẹn trả kết quả mới: 13/03/2026')
  t.match(late!.text, 'đúng hẹn ngày 09/03/2026')
})

t.test(
  'the mails of a payment request, a withdrawal, a stop and a return say what happened and what to do',
  async (t) => {
    const [payment, withdrawn, stopped, returned] = every.slice(-4).map(renderEmail)
    t.equal(payment!.subject, 'Hồ sơ H21.65-260302-0001: đề nghị thực hiện nghĩa vụ tài chính (150.000 đồng)')
    t.match(payment!.text, 'Số tiền: 150.000 đồng.\nNội dung: Lệ phí đăng ký hộ kinh doanh\nHạn nộp: 09/03/2026.')
    t.match(payment!.text, 'Cách nộp: trực tuyến trên cổng dịch vụ công')
    t.match(payment!.text, 'Nộp trực tuyến: https://motcua.example/ho-so-cua-toi')
    t.match(payment!.html, '<a href="https://motcua.example/ho-so-cua-toi">Nộp trực tuyến</a>')
    t.match(payment!.text, /English:\n\nPlease pay 150\.000 đồng for dossier H21\.65-260302-0001 by 09\/03\/2026/)
    const unknown = renderEmail({ name: 'payment-requested', data: { ...base, agencyName: 'UBND xã' } })
    t.notMatch(unknown.subject, 'đồng', 'a fee not known here is not invented')
    t.match(unknown.text, 'Số tiền: theo mức thu cơ quan đã thông báo.')
    t.notMatch(unknown.text, 'Nộp trực tuyến:', 'no link when the portal address is not known')
    t.equal(withdrawn!.subject, 'Xác nhận rút hồ sơ H21.65-260302-0001')
    t.match(withdrawn!.text, 'lúc 10:30 ngày 03/03/2026')
    t.match(withdrawn!.text, 'Lý do: Nộp nhầm thủ tục')
    t.equal(stopped!.subject, 'Hồ sơ H21.65-260302-0001 bị dừng xử lý')
    t.match(stopped!.text, 'Lý do: Quá hạn bổ sung hồ sơ')
    t.match(returned!.subject, 'được trả lại bước "Kiểm tra, ghi Sổ hộ tịch"')
    t.match(returned!.text, 'Lý do: Sai tên mẹ')
    t.match(returned!.text, 'Hạn trả kết quả của hồ sơ không đổi: 09/03/2026.')
  },
)

t.test('data is escaped in HTML and only http(s) links are linked', async (t) => {
  const mail = renderEmail({
    name: 'dossier-refused',
    data: { ...base, applicantName: '<script>alert("x")</script>', reason: 'A & B' },
  })
  t.notMatch(mail.html, '<script>')
  t.match(mail.html, '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;')
  t.match(mail.html, 'A &amp; B')
  t.match(mail.text, '<script>', 'the plain text keeps the data as it is')
  const evil = renderEmail({
    name: 'verify-email',
    data: { recipientName: 'x', link: 'javascript:alert(1)', expiresAt: new Date() },
  })
  t.notMatch(evil.html, 'javascript:')
  t.equal(escapeHtml(`'"<>&`), '&#39;&quot;&lt;&gt;&amp;')
})

t.test('dates: a calendar day is not shifted by time zones; an instant is shown in Vietnam time', async (t) => {
  t.equal(formatDate('2026-12-31'), '31/12/2026')
  t.equal(formatDate(new Date('2026-03-01T18:00:00Z')), '02/03/2026', '01:00 on 2 March in Vietnam')
  t.equal(formatDateTime(new Date('2026-03-01T18:05:00Z')), '01:05 ngày 02/03/2026')
})
