// Words the portal and the workspace show for the API's codes: agency and online levels, delivery, document forms,
// departments (candidate groups), timeline events, step results and durations — Vietnamese first, English beside.
type Pair = { vi: string; en: string }

export const agencyLevels: Record<string, Pair> = {
  tinh: { vi: 'Cấp tỉnh', en: 'Province' },
  huyen: { vi: 'Cấp huyện', en: 'District' },
  xa: { vi: 'Cấp xã', en: 'Commune' },
}

export const onlineLevels: Record<string, Pair> = {
  'toan-trinh': { vi: 'Trực tuyến toàn trình', en: 'Fully online' },
  'mot-phan': { vi: 'Trực tuyến một phần', en: 'Partly online' },
}

export const deliveries: Record<string, Pair> = {
  online: { vi: 'Nhận trực tuyến', en: 'Online' },
  counter: { vi: 'Nhận tại Bộ phận Một cửa', en: 'At the one-stop counter' },
  post: { vi: 'Qua dịch vụ bưu chính', en: 'By post' },
}

export const componentForms: Record<string, Pair> = {
  original: { vi: 'Bản chính', en: 'Original' },
  copy: { vi: 'Bản sao', en: 'Copy' },
  'original-or-copy': { vi: 'Bản chính hoặc bản sao', en: 'Original or copy' },
  'present-original': { vi: 'Xuất trình bản chính khi nhận kết quả', en: 'Show the original at the counter' },
}

/** Departments by the candidate group that works the step. */
export const roles: Record<string, Pair> = {
  'mot-cua': { vi: 'Bộ phận Tiếp nhận và Trả kết quả (Một cửa)', en: 'One-stop counter' },
  'tu-phap-ho-tich': { vi: 'Công chức Tư pháp – Hộ tịch', en: 'Justice and civil status officer' },
  'lanh-dao-xa': { vi: 'Lãnh đạo UBND xã', en: 'Commune leadership' },
  'lanh-dao-ubnd': { vi: 'Lãnh đạo UBND', en: 'People’s Committee leadership' },
  'lanh-dao-phong': { vi: 'Lãnh đạo phòng chuyên môn', en: 'Head of the specialist office' },
  'kinh-te-ha-tang-do-thi': { vi: 'Phòng Kinh tế, Hạ tầng và Đô thị', en: 'Economy, infrastructure and urban office' },
  'dang-ky-kinh-doanh': { vi: 'Bộ phận Đăng ký kinh doanh', en: 'Business registration' },
  'co-quan-phoi-hop': { vi: 'Cơ quan phối hợp', en: 'Consulted agency' },
  'xac-minh-lien-xa': { vi: 'Xác minh liên xã', en: 'Inter-commune verification' },
  'cong-an-cu-tru': { vi: 'Công an – Đăng ký cư trú', en: 'Police – residence registration' },
  'bhxh-the-bhyt': { vi: 'Bảo hiểm xã hội – Cấp thẻ BHYT', en: 'Social insurance – health insurance card' },
}

export const events: Record<string, Pair> = {
  submitted: { vi: 'Nộp hồ sơ', en: 'Submitted' },
  received: { vi: 'Tiếp nhận hồ sơ, cấp mã và hẹn ngày trả kết quả', en: 'Received: code and appointment date given' },
  completeness_checked: { vi: 'Kiểm tra tính đầy đủ', en: 'Completeness checked' },
  decision: { vi: 'Quyết định của cán bộ', en: 'Officer’s decision' },
  supplement_requested: { vi: 'Yêu cầu bổ sung hồ sơ', en: 'Supplement requested' },
  supplement_received: { vi: 'Đã nộp bổ sung', en: 'Supplement handed in' },
  refused: { vi: 'Từ chối tiếp nhận', en: 'Refused' },
  handoff: { vi: 'Chuyển bước xử lý', en: 'Handed to the next step' },
  forwarded: { vi: 'Chuyển hồ sơ đến cơ quan có thẩm quyền', en: 'Forwarded to the competent agency' },
  result_issued: { vi: 'Có kết quả giải quyết', en: 'Result issued' },
  result_signed: { vi: 'Ký số kết quả giải quyết', en: 'Result signed digitally' },
  result_downloaded: { vi: 'Tải kết quả điện tử', en: 'Electronic result downloaded' },
  closed: { vi: 'Kết thúc hồ sơ', en: 'Closed' },
  withdrawn: { vi: 'Công dân rút hồ sơ', en: 'Withdrawn by the applicant' },
  stopped: { vi: 'Dừng xử lý', en: 'Stopped' },
  suspended: { vi: 'Tạm dừng chờ nghĩa vụ tài chính', en: 'Suspended for payment' },
  resumed: { vi: 'Tiếp tục xử lý', en: 'Resumed' },
  extended: { vi: 'Gia hạn, hẹn lại ngày trả kết quả', en: 'Extended: new appointment date' },
  escalated: { vi: 'Cảnh báo quá hạn', en: 'Overdue warning' },
  payment_requested: { vi: 'Yêu cầu nộp phí, lệ phí', en: 'Fee requested' },
  paid: { vi: 'Đã thanh toán', en: 'Paid' },
  refund_due: { vi: 'Hoàn trả phí, lệ phí đã nộp', en: 'Fee to be refunded' },
  refund_paid: { vi: 'Đã chi trả khoản hoàn trả phí, lệ phí', en: 'Fee refund paid' },
  result_shipped: { vi: 'Gửi kết quả qua bưu chính', en: 'Result posted' },
}

export const decisions: Record<string, Pair> = {
  accept: { vi: 'Tiếp nhận', en: 'Accept' },
  supplement: { vi: 'Yêu cầu bổ sung', en: 'Ask for a supplement' },
  refuse: { vi: 'Từ chối', en: 'Refuse' },
  approve: { vi: 'Đồng ý, chuyển bước tiếp theo', en: 'Approve and hand on' },
  returnToPrevious: { vi: 'Trả lại bước trước', en: 'Return to the previous step' },
  returned: { vi: 'Đã trả kết quả', en: 'Result returned' },
}

export const stepResults: Record<string, Pair> = {
  early: { vi: 'Trước hạn', en: 'Early' },
  on_time: { vi: 'Đúng hạn', en: 'On time' },
  late: { vi: 'Quá hạn', en: 'Late' },
}

/** "5 WD" → "5 ngày làm việc", "SAME_DAY" → "Trong ngày". */
export function durationText(duration: string, lang: 'vi' | 'en'): string {
  if (duration === 'SAME_DAY') return lang === 'vi' ? 'Trong ngày' : 'Same day'
  const m = /^([0-9.]+)\s*(WD|WH|CD)$/.exec(duration)
  if (!m) return duration
  const n = m[1]!
  const unit = {
    WD: { vi: 'ngày làm việc', en: 'working days' },
    WH: { vi: 'giờ làm việc', en: 'working hours' },
    CD: { vi: 'ngày', en: 'days' },
  }[m[2] as 'WD' | 'WH' | 'CD']
  return `${n} ${unit[lang]}`
}

export function label(map: Record<string, Pair>, key: string | null | undefined, lang: 'vi' | 'en'): string {
  if (!key) return '—'
  return map[key]?.[lang] ?? key
}
