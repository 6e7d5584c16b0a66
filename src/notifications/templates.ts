// E-mail templates: pure functions from typed data to subject, plain text and HTML (Vietnamese first, then English).
//
// A template is a list of blocks rendered twice, to text and to HTML, so the two never drift apart
// and every piece of data passes through one escaping function on its way into HTML.

export const BUSINESS_TIME_ZONE = 'Asia/Ho_Chi_Minh'

/** A calendar date `YYYY-MM-DD` (a due date is a day, not an instant) or an instant. */
export type DateLike = string | Date

export interface OverdueDossier {
  dossierCode: string
  procedureName: string
  dueDate: DateLike
  /** The step or department holding it, e.g. "Phòng Tư pháp — thẩm định". */
  heldBy?: string
}

/**
 * Why an identity notice is mailed: sign-up answers the same whatever is taken and tells the truth by mail instead.
 * `email-taken` to the address's owner; `username-taken` to the registrant; `number-taken` to the account holding the
 * ID number someone registered with; `number-held` to the registrant whose account was made without that number;
 * `number-reclaimed` to the self-declared account whose number moved to the owner verified at a counter.
 */
export type IdentityNoticeReason =
  'email-taken' | 'username-taken' | 'number-taken' | 'number-held' | 'number-reclaimed'

export type EmailTemplate =
  | {
      name: 'dossier-received'
      data: {
        applicantName: string
        dossierCode: string | null
        procedureName: string
        agencyName: string
        receivedAt: Date
        appointmentDate: DateLike
        lookupUrl?: string
      }
    }
  | {
      name: 'supplement-requested'
      data: {
        applicantName: string
        dossierCode: string | null
        procedureName: string
        missing: string[]
        note?: string
        lookupUrl?: string
      }
    }
  | {
      name: 'dossier-refused'
      data: { applicantName: string; dossierCode: string | null; procedureName: string; reason: string }
    }
  | {
      name: 'result-ready'
      data: {
        applicantName: string
        dossierCode: string | null
        procedureName: string
        returnMethod: 'online' | 'counter' | 'post'
        place?: string
        lookupUrl?: string
      }
    }
  | {
      name: 'result-shipped'
      data: {
        applicantName: string
        dossierCode: string
        procedureName: string
        carrierName: string
        trackingNumber: string
        shippedOn: DateLike
        address: { street: string; communeName: string; provinceName: string }
      }
    }
  | {
      name: 'dossier-late'
      data: {
        applicantName: string
        dossierCode: string | null
        procedureName: string
        agencyName: string
        originalDueDate: DateLike
        newDueDate: DateLike
        reason: string
      }
    }
  | { name: 'overdue-officer'; data: { recipientName: string; dossiers: OverdueDossier[]; workspaceUrl?: string } }
  | {
      name: 'overdue-supervisor'
      data: { recipientName: string; unitName: string; dossiers: OverdueDossier[]; dashboardUrl?: string }
    }
  | { name: 'verify-email'; data: { recipientName: string; link: string; expiresAt: Date } }
  | { name: 'password-reset'; data: { recipientName: string; username: string; link: string; expiresAt: Date } }
  | { name: 'password-reset-unknown'; data: Record<string, never> }
  | { name: 'password-changed'; data: { recipientName: string; username: string } }
  | { name: 'email-change'; data: { recipientName: string; link: string; expiresAt: Date } }
  | { name: 'identity-notice'; data: { recipientName: string; reason: IdentityNoticeReason; username?: string } }
  | {
      name: 'payment-requested'
      data: {
        applicantName: string
        dossierCode: string | null
        procedureName: string
        agencyName: string
        amountVnd?: number
        payBy?: DateLike
        reason?: string
        payUrl?: string
      }
    }
  | {
      name: 'withdrawal-confirmed'
      data: {
        applicantName: string
        dossierCode: string | null
        procedureName: string
        agencyName: string
        withdrawnAt: Date
        reason?: string
      }
    }
  | {
      name: 'dossier-stopped'
      data: {
        applicantName: string
        dossierCode: string | null
        procedureName: string
        agencyName: string
        stoppedAt: Date
        reason: string
      }
    }
  | {
      name: 'step-returned'
      data: {
        recipientName: string
        dossierCode: string | null
        procedureName: string
        fromStep: string
        toStep: string
        reason: string
        dueDate?: DateLike | null
      }
    }

export type EmailTemplateName = EmailTemplate['name']

export interface RenderedEmail {
  template: EmailTemplateName
  subject: string
  text: string
  html: string
}

type Block =
  | { p: string }
  | { list: string[] }
  | { link: string; label: string }
  /** Starts the English part. */
  | { english: true }

export function renderEmail(t: EmailTemplate): RenderedEmail {
  const { subject, blocks } = compose(t)
  return { template: t.name, subject, text: toText(blocks), html: toHtml(subject, blocks) }
}

/** A dossier as a subject names it: "Hồ sơ H21…", or before it has a code the procedure ("Hồ sơ Đăng ký khai sinh"). */
function dossierTitle(d: { dossierCode: string | null; procedureName: string }, lower = false): string {
  return `${lower ? 'hồ sơ' : 'Hồ sơ'} ${d.dossierCode ?? d.procedureName}`
}

/**
 * A dossier in a sentence: "hồ sơ H21… (thủ tục: …)"; before it has a code, "Hồ sơ của Ông/Bà (thủ tục: …)" opening a
 * sentence and "hồ sơ (thủ tục: …)" inside one (where the applicant is already its subject).
 */
function dossierRef(d: { dossierCode: string | null; procedureName: string }, capital = false): string {
  const which = d.dossierCode ? ` ${d.dossierCode}` : capital ? ' của Ông/Bà' : ''
  return `${capital ? 'Hồ sơ' : 'hồ sơ'}${which} (thủ tục: ${d.procedureName})`
}

function compose(t: EmailTemplate): { subject: string; blocks: Block[] } {
  const signature: Block = { p: 'Trân trọng,\nBộ phận Một cửa' }
  switch (t.name) {
    case 'dossier-received': {
      const d = t.data
      return {
        subject: `${dossierTitle(d)} đã được tiếp nhận — hẹn trả kết quả ngày ${formatDate(d.appointmentDate)}`,
        blocks: [
          { p: `Kính gửi ${d.applicantName},` },
          {
            p: `${d.agencyName} đã tiếp nhận ${dossierRef(d)} lúc ${formatDateTime(d.receivedAt)}.`,
          },
          { p: `Ngày hẹn trả kết quả: ${formatDate(d.appointmentDate)}.` },
          ...lookup(d.lookupUrl),
          signature,
          { english: true },
          {
            p: `Your dossier${d.dossierCode ? ` ${d.dossierCode}` : ''} was received; the result is due on ${formatDate(d.appointmentDate)}.`,
          },
        ],
      }
    }
    case 'supplement-requested': {
      const d = t.data
      return {
        subject: `${dossierTitle(d)} cần bổ sung giấy tờ`,
        blocks: [
          { p: `Kính gửi ${d.applicantName},` },
          { p: `${dossierRef(d, true)} chưa đầy đủ. Đề nghị Ông/Bà bổ sung:` },
          { list: d.missing },
          ...(d.note ? [{ p: `Ghi chú của cán bộ: ${d.note}` }] : []),
          ...lookup(d.lookupUrl),
          signature,
          { english: true },
          {
            p: `Your dossier${d.dossierCode ? ` ${d.dossierCode}` : ''} is incomplete; please supply the documents listed above.`,
          },
        ],
      }
    }
    case 'dossier-refused': {
      const d = t.data
      return {
        subject: `${dossierTitle(d)} không được tiếp nhận`,
        blocks: [
          { p: `Kính gửi ${d.applicantName},` },
          { p: `${dossierRef(d, true)} không được tiếp nhận.` },
          { p: `Lý do: ${d.reason}` },
          signature,
          { english: true },
          { p: `Your dossier${d.dossierCode ? ` ${d.dossierCode}` : ''} was not accepted; the reason is given above.` },
        ],
      }
    }
    case 'result-ready': {
      const d = t.data
      const how = {
        online: 'Kết quả đã được trả trực tuyến, Ông/Bà có thể tải về từ cổng dịch vụ công.',
        counter: `Mời Ông/Bà đến nhận kết quả tại ${d.place ?? 'Bộ phận Một cửa'}.`,
        // The parcel is recorded afterwards, with its tracking number in a mail of its own (result-shipped).
        post: `Kết quả sẽ được gửi qua dịch vụ bưu chính${d.place ? ` đến ${d.place}` : ''}; Ông/Bà sẽ nhận được số hiệu bưu gửi khi kết quả được gửi đi.`,
      }[d.returnMethod]
      return {
        subject: `${dossierTitle(d)} đã có kết quả`,
        blocks: [
          { p: `Kính gửi ${d.applicantName},` },
          { p: `${dossierRef(d, true)} đã có kết quả.` },
          { p: how },
          ...lookup(d.lookupUrl),
          signature,
          { english: true },
          { p: `The result of your dossier${d.dossierCode ? ` ${d.dossierCode}` : ''} is ready.` },
        ],
      }
    }
    case 'result-shipped': {
      const d = t.data
      const to = `${d.address.street}, ${d.address.communeName}, ${d.address.provinceName}`
      return {
        subject: `Hồ sơ ${d.dossierCode}: kết quả đã được gửi qua bưu chính — số hiệu ${d.trackingNumber}`,
        blocks: [
          { p: `Kính gửi ${d.applicantName},` },
          {
            p:
              `Kết quả hồ sơ ${d.dossierCode} (thủ tục: ${d.procedureName}) đã được gửi qua ${d.carrierName} ` +
              `ngày ${formatDate(d.shippedOn)} đến địa chỉ: ${to}.`,
          },
          { p: `Số hiệu bưu gửi: ${d.trackingNumber}` },
          signature,
          { english: true },
          {
            p:
              `The result of your dossier ${d.dossierCode} was posted on ${formatDate(d.shippedOn)}; ` +
              `tracking number ${d.trackingNumber}.`,
          },
        ],
      }
    }
    case 'dossier-late': {
      const d = t.data
      return {
        subject: `Phiếu xin lỗi và hẹn lại ngày trả kết quả — ${dossierTitle(d, true)}`,
        blocks: [
          { p: `Kính gửi ${d.applicantName},` },
          {
            p:
              `${d.agencyName} xin lỗi Ông/Bà vì ${dossierRef(d)} ` +
              `không thể trả kết quả đúng hẹn ngày ${formatDate(d.originalDueDate)}.`,
          },
          { p: `Lý do: ${d.reason}` },
          { p: `Ngày hẹn trả kết quả mới: ${formatDate(d.newDueDate)}.` },
          { p: 'Mong Ông/Bà thông cảm.' },
          signature,
          { english: true },
          {
            p: `We apologise: dossier${d.dossierCode ? ` ${d.dossierCode}` : ''} is late. The new date for the result is ${formatDate(d.newDueDate)}.`,
          },
        ],
      }
    }
    case 'overdue-officer': {
      const d = t.data
      return {
        subject: `Cảnh báo: ${d.dossiers.length} hồ sơ quá hạn đang chờ anh/chị xử lý`,
        blocks: [
          { p: `Kính gửi ${d.recipientName},` },
          { p: 'Các hồ sơ sau đã quá hạn xử lý:' },
          { list: d.dossiers.map(overdueLine) },
          ...(d.workspaceUrl ? [{ link: d.workspaceUrl, label: 'Mở danh sách công việc' }] : []),
          { english: true },
          { p: `${d.dossiers.length} dossier(s) assigned to you are overdue.` },
        ],
      }
    }
    case 'overdue-supervisor': {
      const d = t.data
      return {
        subject: `Cảnh báo: ${d.dossiers.length} hồ sơ quá hạn tại ${d.unitName}`,
        blocks: [
          { p: `Kính gửi ${d.recipientName},` },
          { p: `Các hồ sơ sau của ${d.unitName} đã quá hạn:` },
          { list: d.dossiers.map(overdueLine) },
          ...(d.dashboardUrl ? [{ link: d.dashboardUrl, label: 'Mở bảng theo dõi' }] : []),
          { english: true },
          { p: `${d.dossiers.length} dossier(s) of ${d.unitName} are overdue.` },
        ],
      }
    }
    case 'payment-requested': {
      const d = t.data
      // A fee set by the provincial council is not known to motcua until the agency configures it.
      const amount = d.amountVnd !== undefined ? formatVnd(d.amountVnd) : 'theo mức thu cơ quan đã thông báo'
      return {
        subject: `${dossierTitle(d)}: đề nghị thực hiện nghĩa vụ tài chính${d.amountVnd !== undefined ? ` (${formatVnd(d.amountVnd)})` : ''}`,
        blocks: [
          { p: `Kính gửi ${d.applicantName},` },
          {
            p: `Để ${d.agencyName} tiếp tục giải quyết ${dossierRef(d)}, đề nghị Ông/Bà thực hiện nghĩa vụ tài chính.`,
          },
          {
            p: [
              `Số tiền: ${amount}.`,
              ...(d.reason ? [`Nội dung: ${d.reason}`] : []),
              ...(d.payBy ? [`Hạn nộp: ${formatDate(d.payBy)}.`] : []),
            ].join('\n'),
          },
          {
            p:
              'Cách nộp: trực tuyến trên cổng dịch vụ công (mục "Thanh toán" của hồ sơ), hoặc trực tiếp tại Bộ phận Một cửa. ' +
              'Thời hạn giải quyết tạm dừng cho đến khi nhận được khoản nộp.',
          },
          ...(d.payUrl ? [{ link: d.payUrl, label: 'Nộp trực tuyến' }] : []),
          signature,
          { english: true },
          {
            p:
              `Please pay ${d.amountVnd !== undefined ? formatVnd(d.amountVnd) : 'the amount the agency told you'} for dossier${d.dossierCode ? ` ${d.dossierCode}` : ''}${d.payBy ? ` by ${formatDate(d.payBy)}` : ''}, online ` +
              'through the portal or at the one-stop counter. The processing time stands still until the payment is received.',
          },
        ],
      }
    }
    case 'withdrawal-confirmed': {
      const d = t.data
      return {
        subject: `Xác nhận rút ${dossierTitle(d, true)}`,
        blocks: [
          { p: `Kính gửi ${d.applicantName},` },
          {
            p: `${d.agencyName} xác nhận Ông/Bà đã rút ${dossierRef(d)} lúc ${formatDateTime(d.withdrawnAt)}. Hồ sơ không tiếp tục được giải quyết.`,
          },
          ...(d.reason ? [{ p: `Lý do: ${d.reason}` }] : []),
          { p: 'Nếu Ông/Bà không yêu cầu rút hồ sơ, xin liên hệ ngay Bộ phận Một cửa.' },
          signature,
          { english: true },
          {
            p: `Your dossier${d.dossierCode ? ` ${d.dossierCode}` : ''} was withdrawn at your request and will not be processed further. If you did not ask for this, contact the one-stop counter at once.`,
          },
        ],
      }
    }
    case 'dossier-stopped': {
      const d = t.data
      return {
        subject: `${dossierTitle(d)} bị dừng xử lý`,
        blocks: [
          { p: `Kính gửi ${d.applicantName},` },
          {
            p: `${d.agencyName} thông báo dừng xử lý ${dossierRef(d)} từ ${formatDateTime(d.stoppedAt)}.`,
          },
          { p: `Lý do: ${d.reason}` },
          signature,
          { english: true },
          {
            p: `Processing of your dossier${d.dossierCode ? ` ${d.dossierCode}` : ''} has been stopped; the reason is given above.`,
          },
        ],
      }
    }
    case 'step-returned': {
      const d = t.data
      return {
        subject: `${dossierTitle(d)} được trả lại bước "${d.toStep}"`,
        blocks: [
          { p: `Kính gửi ${d.recipientName},` },
          {
            p: `${dossierRef(d, true)} được bước "${d.fromStep}" trả lại để xử lý lại ở bước "${d.toStep}".`,
          },
          { p: `Lý do: ${d.reason}` },
          ...(d.dueDate ? [{ p: `Hạn trả kết quả của hồ sơ không đổi: ${formatDate(d.dueDate)}.` }] : []),
          { english: true },
          {
            p: `Dossier${d.dossierCode ? ` ${d.dossierCode}` : ''} was sent back to you from "${d.fromStep}" for "${d.toStep}" again; the reason is given above. The dossier's due date is unchanged.`,
          },
        ],
      }
    }
    case 'identity-notice': {
      const d = t.data
      const text: Record<IdentityNoticeReason, { subject: string; vi: string; en: string }> = {
        'email-taken': {
          subject: 'Có người đăng ký tài khoản bằng địa chỉ thư điện tử của Ông/Bà',
          vi: 'Vừa có yêu cầu đăng ký tài khoản mới bằng địa chỉ thư điện tử này, địa chỉ đã thuộc một tài khoản. Không có tài khoản mới nào được tạo. Nếu đó là Ông/Bà, hãy đăng nhập bằng tài khoản hiện có; nếu không, xin bỏ qua thư này.',
          en: 'Someone asked to register a new account with this e-mail address, which already belongs to an account. No account was created. If it was you, log in with your existing account; otherwise ignore this message.',
        },
        'username-taken': {
          subject: 'Tên đăng nhập đã có người dùng',
          vi: `Tên đăng nhập "${d.username ?? ''}" đã có người dùng nên tài khoản chưa được tạo. Xin đăng ký lại với tên đăng nhập khác.`,
          en: `The username "${d.username ?? ''}" is taken, so no account was created. Please register again with another username.`,
        },
        'number-taken': {
          subject: 'Có người đăng ký tài khoản bằng số định danh của Ông/Bà',
          vi: 'Vừa có yêu cầu đăng ký tài khoản mới với số định danh (CCCD / mã số thuế) đang gắn với tài khoản của Ông/Bà. Số này không được gắn vào tài khoản mới. Nếu số định danh không phải của Ông/Bà, người chủ thật có thể đến Bộ phận Một cửa xuất trình giấy tờ để nhận lại số.',
          en: 'Someone asked to register a new account with the ID number (CCCD / tax code) held by your account. The number was not given to the new account. If the number is not yours, its real owner may show their card at a one-stop counter to take it back.',
        },
        'number-held': {
          subject: 'Số định danh chưa được gắn vào tài khoản',
          vi: 'Tài khoản của Ông/Bà đã được tạo (xem thư xác nhận địa chỉ thư điện tử), nhưng số định danh (CCCD / mã số thuế) đã khai đang gắn với một tài khoản khác nên chưa được gắn vào tài khoản này. Nếu đó là số của Ông/Bà, xin mang CCCD đến Bộ phận Một cửa: cán bộ xác minh và chuyển số về tài khoản của Ông/Bà.',
          en: 'Your account was created (see the e-mail confirmation message), but the ID number (CCCD / tax code) you gave is held by another account, so it was not attached to yours. If it is yours, bring your card to a one-stop counter: the officer verifies it and moves the number to your account.',
        },
        'number-reclaimed': {
          subject: 'Số định danh đã được gỡ khỏi tài khoản',
          vi: 'Chủ sở hữu số định danh (CCCD) đang gắn với tài khoản của Ông/Bà đã được xác minh trực tiếp tại Bộ phận Một cửa; số này đã được chuyển về tài khoản của người đó và gỡ khỏi tài khoản của Ông/Bà.',
          en: 'The owner of the ID number (CCCD) held by your account was verified in person at a one-stop counter; the number moved to their account and was removed from yours.',
        },
      }
      const m = text[d.reason]
      return {
        subject: m.subject,
        blocks: [{ p: `Kính gửi ${d.recipientName},` }, { p: m.vi }, signature, { english: true }, { p: m.en }],
      }
    }
    case 'password-reset': {
      const d = t.data
      return {
        subject: 'Đặt lại mật khẩu',
        blocks: [
          { p: `Kính gửi ${d.recipientName},` },
          {
            p: `Có yêu cầu đặt lại mật khẩu của tài khoản "${d.username}". Liên kết sau dùng được một lần, đến ${formatDateTime(d.expiresAt)}:`,
          },
          { link: d.link, label: 'Đặt lại mật khẩu' },
          { p: 'Nếu Ông/Bà không yêu cầu, xin bỏ qua thư này: mật khẩu hiện tại vẫn giữ nguyên.' },
          { english: true },
          {
            p: `Someone asked to reset the password of the account "${d.username}". The link above works once, until the time given. If it was not you, ignore this message: your password is unchanged.`,
          },
        ],
      }
    }
    case 'password-reset-unknown':
      return {
        subject: 'Yêu cầu đặt lại mật khẩu',
        blocks: [
          {
            p: 'Vừa có yêu cầu đặt lại mật khẩu cho địa chỉ thư điện tử này, nhưng không có tài khoản công dân, tổ chức hay doanh nghiệp nào dùng địa chỉ này. Nếu Ông/Bà đăng ký bằng địa chỉ khác, xin yêu cầu lại với địa chỉ đó; nếu không, xin bỏ qua thư này.',
          },
          signature,
          { english: true },
          {
            p: 'Someone asked to reset a password for this e-mail address, but no citizen, organisation or enterprise account uses it. If you registered with another address, ask again with that one; otherwise ignore this message.',
          },
        ],
      }
    case 'password-changed': {
      const d = t.data
      return {
        subject: 'Mật khẩu đã được thay đổi',
        blocks: [
          { p: `Kính gửi ${d.recipientName},` },
          {
            p: `Mật khẩu của tài khoản "${d.username}" vừa được thay đổi và mọi phiên đăng nhập đã kết thúc. Nếu không phải Ông/Bà thay đổi, xin đặt lại mật khẩu ngay và liên hệ Bộ phận Một cửa.`,
          },
          signature,
          { english: true },
          {
            p: `The password of the account "${d.username}" was just changed and every session was ended. If it was not you, reset your password at once and contact the one-stop counter.`,
          },
        ],
      }
    }
    case 'email-change': {
      const d = t.data
      return {
        subject: 'Xác nhận địa chỉ thư điện tử mới',
        blocks: [
          { p: `Kính gửi ${d.recipientName},` },
          {
            p: `Vui lòng mở liên kết sau để dùng địa chỉ này cho tài khoản (hiệu lực đến ${formatDateTime(d.expiresAt)}); đến khi đó tài khoản vẫn dùng địa chỉ cũ:`,
          },
          { link: d.link, label: 'Xác nhận địa chỉ thư điện tử mới' },
          { p: 'Nếu Ông/Bà không yêu cầu, xin bỏ qua thư này.' },
          { english: true },
          {
            p: 'Please open the link above to use this address for your account; until then the account keeps its old address. If you did not ask for this, ignore this message.',
          },
        ],
      }
    }
    case 'verify-email': {
      const d = t.data
      return {
        subject: 'Xác nhận địa chỉ thư điện tử',
        blocks: [
          { p: `Kính gửi ${d.recipientName},` },
          {
            p: `Vui lòng mở liên kết sau để xác nhận địa chỉ thư điện tử (hiệu lực đến ${formatDateTime(d.expiresAt)}):`,
          },
          { link: d.link, label: 'Xác nhận địa chỉ thư điện tử' },
          { p: 'Nếu Ông/Bà không đăng ký tài khoản, xin bỏ qua thư này.' },
          { english: true },
          {
            p: 'Please open the link above to confirm your e-mail address. If you did not register, ignore this message.',
          },
        ],
      }
    }
  }
}

const lookup = (url: string | undefined): Block[] => (url ? [{ link: url, label: 'Tra cứu hồ sơ' }] : [])

const overdueLine = (d: OverdueDossier): string =>
  `${d.dossierCode} — ${d.procedureName} — hạn ${formatDate(d.dueDate)}${d.heldBy ? ` — đang ở: ${d.heldBy}` : ''}`

function toText(blocks: Block[]): string {
  const parts = blocks.map((b) => {
    if ('p' in b) return b.p
    if ('list' in b) return b.list.map((item) => `- ${item}`).join('\n')
    if ('link' in b) return `${b.label}: ${b.link}`
    return '---\nEnglish:'
  })
  return parts.join('\n\n') + '\n'
}

function toHtml(subject: string, blocks: Block[]): string {
  const body = blocks.map((b) => {
    if ('p' in b) return `<p>${escapeHtml(b.p).replace(/\n/g, '<br>')}</p>`
    if ('list' in b) return `<ul>${b.list.map((item) => `<li>${escapeHtml(item)}</li>`).join('')}</ul>`
    if ('link' in b) return `<p><a href="${escapeHtml(safeUrl(b.link))}">${escapeHtml(b.label)}</a></p>`
    return '<hr><p lang="en"><em>English</em></p>'
  })
  return (
    `<!doctype html><html lang="vi"><head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head>` +
    `<body>${body.join('')}</body></html>`
  )
}

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!)
}

/** Only http(s) links go into an href: a `javascript:` link in a mail would be an attack. */
function safeUrl(url: string): string {
  return /^https?:\/\//i.test(url) ? url : '#'
}

const dateFmt = new Intl.DateTimeFormat('en-GB', {
  timeZone: BUSINESS_TIME_ZONE,
  day: '2-digit',
  month: '2-digit',
  year: 'numeric',
})
const timeFmt = new Intl.DateTimeFormat('en-GB', {
  timeZone: BUSINESS_TIME_ZONE,
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
})

/** dd/mm/yyyy, the Vietnamese way; a `YYYY-MM-DD` string is a calendar day and is not shifted by time zones. */
export function formatDate(d: DateLike): string {
  if (typeof d === 'string') {
    const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(d)
    if (m) return `${m[3]}/${m[2]}/${m[1]}`
    return formatDate(new Date(d))
  }
  return dateFmt.format(d)
}

const vnd = new Intl.NumberFormat('vi-VN', { maximumFractionDigits: 0 })

/** `150.000 đồng`: whole dong, grouped the Vietnamese way. */
export function formatVnd(amount: number): string {
  return `${vnd.format(amount)} đồng`
}

/** `09:15 ngày 02/03/2026` in the business time zone. */
export function formatDateTime(d: Date): string {
  return `${timeFmt.format(d)} ngày ${dateFmt.format(d)}`
}
