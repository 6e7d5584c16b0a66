// The one catalogue of coded errors: each code's HTTP status, title and Vietnamese and English messages. Plain data,
// importing nothing, so every layer (the domain's errors included) can name its messages from here.

export interface ProblemDefinition {
  status: number
  title: string
  /** Vietnamese message, shown first to users. */
  vi: string
  /** English message. */
  en: string
}

export const problems = {
  MC_ERR_VALIDATION: {
    status: 400,
    title: 'Invalid request',
    vi: 'Yêu cầu không hợp lệ',
    en: 'The request is invalid',
  },
  MC_ERR_BAD_JSON: {
    status: 400,
    title: 'Malformed body',
    vi: 'Nội dung yêu cầu không đúng định dạng',
    en: 'The request body could not be parsed',
  },
  MC_ERR_PAYLOAD_TOO_LARGE: {
    status: 413,
    title: 'Payload too large',
    vi: 'Nội dung yêu cầu quá lớn',
    en: 'The request body is too large',
  },
  MC_ERR_UNSUPPORTED_MEDIA_TYPE: {
    status: 415,
    title: 'Unsupported media type',
    vi: 'Kiểu nội dung không được hỗ trợ',
    en: 'The content type is not supported',
  },
  MC_ERR_UNAUTHENTICATED: {
    status: 401,
    title: 'Unauthenticated',
    vi: 'Bạn cần đăng nhập',
    en: 'Authentication is required',
  },
  MC_ERR_FORBIDDEN: {
    status: 403,
    title: 'Forbidden',
    vi: 'Bạn không có quyền thực hiện thao tác này',
    en: 'You are not allowed to do this',
  },
  MC_ERR_NOT_FOUND: {
    status: 404,
    title: 'Not found',
    vi: 'Không tìm thấy tài nguyên',
    en: 'The resource was not found',
  },
  MC_ERR_ROUTE_NOT_FOUND: { status: 404, title: 'Route not found', vi: 'Không có địa chỉ này', en: 'No such route' },
  MC_ERR_METHOD_NOT_ALLOWED: {
    status: 405,
    title: 'Method not allowed',
    vi: 'Phương thức không được hỗ trợ',
    en: 'Method not allowed',
  },
  MC_ERR_CONFLICT: {
    status: 409,
    title: 'Conflict',
    vi: 'Xung đột với trạng thái hiện tại',
    en: 'Conflicts with the current state',
  },
  MC_ERR_LOGIN_FAILED: {
    status: 401,
    title: 'Login failed',
    vi: 'Tên đăng nhập hoặc mật khẩu không đúng',
    en: 'Wrong username or password',
  },
  MC_ERR_LOGIN_LOCKED: {
    status: 429,
    title: 'Account temporarily locked',
    vi: 'Tài khoản tạm khoá do đăng nhập sai nhiều lần, vui lòng thử lại sau',
    en: 'Too many failed logins; the account is locked for a while',
  },
  MC_ERR_TOKEN_INVALID: {
    status: 401,
    title: 'Invalid token',
    vi: 'Phiên đăng nhập không hợp lệ hoặc đã hết hạn, vui lòng đăng nhập lại',
    en: 'The token is invalid or expired; log in again',
  },
  MC_ERR_RATE_LIMITED: {
    status: 429,
    title: 'Too many requests',
    vi: 'Quá nhiều yêu cầu, vui lòng thử lại sau',
    en: 'Too many requests, try again later',
  },
  MC_ERR_BPMN_INVALID: {
    status: 422,
    title: 'Invalid BPMN',
    vi: 'Quy trình BPMN không hợp lệ',
    en: 'The BPMN process is invalid',
  },
  MC_ERR_FILE_TYPE_NOT_ALLOWED: {
    status: 415,
    title: 'File type not allowed',
    vi: 'Loại tệp không được chấp nhận',
    en: 'This type of file is not accepted',
  },
  MC_ERR_FILE_TOO_LARGE: {
    status: 413,
    title: 'File too large',
    vi: 'Tệp vượt quá dung lượng cho phép',
    en: 'The file is larger than allowed',
  },
  MC_ERR_FILE_EMPTY: { status: 422, title: 'Empty file', vi: 'Tệp rỗng, không có nội dung', en: 'The file is empty' },
  MC_ERR_FILE_SUSPICIOUS: {
    status: 422,
    title: 'Suspicious file',
    vi: 'Tệp có cấu trúc bất thường, nghi ngờ không an toàn nên không được chấp nhận',
    en: 'The file has an abnormal structure and was refused as unsafe',
  },
  MC_ERR_PROCEDURE_NOT_FOUND: {
    status: 404,
    title: 'Procedure not found',
    vi: 'Không tìm thấy thủ tục hành chính',
    en: 'The procedure was not found',
  },
  MC_ERR_PROCEDURE_INVALID: {
    status: 422,
    title: 'Invalid procedure definition',
    vi: 'Định nghĩa thủ tục hành chính không hợp lệ',
    en: 'The procedure definition is invalid',
  },
  MC_ERR_FORM_INVALID: {
    status: 422,
    title: 'Invalid form data',
    vi: 'Thông tin tờ khai không hợp lệ',
    en: 'The form data is invalid',
  },
  MC_ERR_DOSSIER_NOT_FOUND: {
    status: 404,
    title: 'Dossier not found',
    vi: 'Không tìm thấy hồ sơ',
    en: 'The dossier was not found',
  },
  MC_ERR_DOSSIER_STATE: {
    status: 409,
    title: 'Not allowed in this dossier status',
    vi: 'Trạng thái hiện tại của hồ sơ không cho phép thao tác này',
    en: 'The dossier’s current status does not allow this',
  },
  MC_ERR_DOSSIER_INCOMPLETE: {
    status: 422,
    title: 'Dossier incomplete',
    vi: 'Hồ sơ còn thiếu thành phần bắt buộc',
    en: 'The dossier lacks required components',
  },
  MC_ERR_AGENCY_INVALID: {
    status: 422,
    title: 'Invalid agency',
    vi: 'Cơ quan tiếp nhận không hợp lệ',
    en: 'The receiving agency is invalid',
  },
  MC_ERR_RECEPTION_NOT_ALLOWED: {
    status: 422,
    title: 'Reception not allowed here',
    vi: 'Thủ tục này không được tiếp nhận tại đơn vị này; đề nghị hướng dẫn người nộp đến cơ quan có thẩm quyền',
    en: 'This procedure cannot be received at this unit; direct the applicant to the competent agency',
  },
  MC_ERR_COMPETENT_AGENCY_INVALID: {
    status: 422,
    title: 'Invalid competent agency',
    vi: 'Cơ quan có thẩm quyền giải quyết không hợp lệ (phải là cơ quan, đơn vị của tỉnh giải quyết thủ tục này)',
    en: 'The competent agency is invalid (it must be a unit of this province that handles this procedure)',
  },
  MC_ERR_ATTACHMENT_INVALID: {
    status: 422,
    title: 'Invalid attachment',
    vi: 'Tệp đính kèm hoặc giấy tờ dùng lại không hợp lệ',
    en: 'An attachment or reused document is invalid',
  },
  MC_ERR_SUPPLEMENT_ALREADY_REQUESTED: {
    status: 409,
    title: 'Supplement already requested',
    vi: 'Trong quá trình giải quyết chỉ được yêu cầu bổ sung hồ sơ một lần',
    en: 'A supplement may be requested only once during processing',
  },
  MC_ERR_TASK_NOT_FOUND: {
    status: 404,
    title: 'Task not found',
    vi: 'Không có công việc đang chờ xử lý cho hồ sơ này',
    en: 'There is no open task for this dossier',
  },
  MC_ERR_TASK_CLAIMED: {
    status: 409,
    title: 'Task claimed by someone else',
    vi: 'Công việc đã được cán bộ khác nhận xử lý',
    en: 'Another officer has claimed this task',
  },
  MC_ERR_DECISION_INVALID: {
    status: 422,
    title: 'Invalid decision',
    vi: 'Quyết định xử lý không phù hợp với bước hiện tại',
    en: 'The decision does not fit the current step',
  },
  MC_ERR_EXTENSION_NOT_ALLOWED: {
    status: 422,
    title: 'Extension not allowed',
    vi: 'Không được gia hạn hồ sơ',
    en: 'The extension is not allowed',
  },
  MC_ERR_SUPPLEMENT_NOT_ALLOWED: {
    status: 422,
    title: 'Supplement not allowed',
    vi: 'Không được yêu cầu bổ sung hồ sơ',
    en: 'The supplement request is not allowed',
  },
  MC_ERR_DOSSIER_EVENTS_INVALID: {
    status: 422,
    title: 'Invalid dossier events',
    vi: 'Chuỗi sự kiện của hồ sơ không hợp lệ',
    en: 'The sequence of dossier events is invalid',
  },
  MC_ERR_DURATION_INVALID: {
    status: 422,
    title: 'Invalid duration',
    vi: 'Thời hạn giải quyết không hợp lệ',
    en: 'The processing duration is invalid',
  },
  MC_ERR_CALENDAR_RANGE: {
    status: 422,
    title: 'Outside the calendar',
    vi: 'Ngày nằm ngoài lịch làm việc đã có',
    en: 'The date lies outside the working calendar',
  },
  MC_ERR_PROCEDURE_VERSION_PUBLISHED: {
    status: 409,
    title: 'Procedure version is published',
    vi: 'Phiên bản thủ tục đã công bố, không được sửa; hãy tạo phiên bản mới',
    en: 'A published procedure version cannot be changed; create a new version',
  },
  MC_ERR_CALENDAR_CHANGE_INVALID: {
    status: 422,
    title: 'Invalid calendar change',
    vi: 'Thay đổi lịch làm việc không hợp lệ',
    en: 'The calendar change is invalid',
  },
  MC_ERR_CALENDAR_DAY_NOT_FOUND: {
    status: 404,
    title: 'Calendar day not found',
    vi: 'Không có ngày nghỉ hoặc ngày làm bù này',
    en: 'No such holiday or make-up working day',
  },
  MC_ERR_IDEMPOTENCY_KEY_REQUIRED: {
    status: 400,
    title: 'Idempotency-Key required',
    vi: 'Thiếu khoá chống gửi trùng (Idempotency-Key)',
    en: 'An Idempotency-Key header is required',
  },
  MC_ERR_EMAIL_NOT_VERIFIED: {
    status: 403,
    title: 'E-mail not verified',
    vi: 'Bạn cần xác thực địa chỉ e-mail trước khi nộp hồ sơ',
    en: 'Verify your e-mail address before submitting a dossier',
  },
  MC_ERR_ACCOUNT_EXISTS: {
    status: 409,
    title: 'Account exists',
    vi: 'Tên đăng nhập, e-mail hoặc số định danh đã được đăng ký',
    en: 'The username, e-mail or identity number is already registered',
  },
  MC_ERR_PASSWORD_WEAK: {
    status: 422,
    title: 'Weak password',
    vi: 'Mật khẩu phải có ít nhất 10 ký tự, gồm nhiều loại ký tự và khác tên đăng nhập',
    en: 'The password needs at least 10 characters of more than one kind and must differ from the username',
  },
  MC_ERR_VERIFICATION_INVALID: {
    status: 400,
    title: 'Invalid verification link',
    vi: 'Liên kết xác thực không hợp lệ hoặc đã hết hạn',
    en: 'The verification link is invalid or expired',
  },
  MC_ERR_DRAFT_NOT_FOUND: {
    status: 404,
    title: 'Draft not found',
    vi: 'Không tìm thấy hồ sơ nháp',
    en: 'The draft was not found',
  },
  MC_ERR_ALREADY_RATED: {
    status: 409,
    title: 'Already rated',
    vi: 'Hồ sơ này đã được đánh giá',
    en: 'This dossier has already been rated',
  },
  MC_ERR_PAYMENT_NOT_DUE: {
    status: 409,
    title: 'No payment due',
    vi: 'Hồ sơ không có khoản phí cần thanh toán',
    en: 'No payment is due for this dossier',
  },
  MC_ERR_PAYMENT_SIGNATURE: {
    status: 400,
    title: 'Invalid payment confirmation',
    vi: 'Xác nhận thanh toán không hợp lệ (sai chữ ký)',
    en: 'The payment confirmation is invalid (bad signature)',
  },
  MC_ERR_NOT_READY: { status: 503, title: 'Not ready', vi: 'Hệ thống chưa sẵn sàng', en: 'The service is not ready' },
  MC_ERR_INTERNAL: {
    status: 500,
    title: 'Internal error',
    vi: 'Lỗi hệ thống, vui lòng thử lại sau',
    en: 'Internal error, please try again later',
  },
  // Identity
  MC_ERR_IDENTITY_CONFLICT: {
    status: 409,
    title: 'Identity conflict',
    vi: 'Số định danh đang gắn với một tài khoản đã được xác minh khác; cần lãnh đạo xem xét',
    en: 'The ID number belongs to another verified account; a supervisor must look into it',
  },
  // Input refused at the edge of the API
  MC_ERR_INPUT_CHARACTERS: {
    status: 400,
    title: 'Invalid characters',
    vi: 'Dữ liệu gửi lên chứa ký tự không hợp lệ (ký tự điều khiển hoặc ký tự Unicode không hoàn chỉnh)',
    en: 'The request contains invalid characters (control characters or ill-formed Unicode)',
  },
  MC_ERR_FILE_NAME_TOO_LONG: {
    status: 400,
    title: 'File name too long',
    vi: 'Tên tệp quá dài (tối đa 1.000 ký tự); hãy đổi tên tệp ngắn hơn rồi tải lên lại',
    en: 'The file name is too long (at most 1,000 characters); rename the file and upload it again',
  },
  MC_ERR_PROVINCE_NOT_FOUND: {
    status: 404,
    title: 'Province not found',
    vi: 'Không có tỉnh/thành phố với mã này trong danh mục đơn vị hành chính',
    en: 'No province with this code in the list of administrative units',
  },
} as const satisfies Record<string, ProblemDefinition>

export type ProblemCode = keyof typeof problems
