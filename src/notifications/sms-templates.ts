// SMS wordings of the notices an applicant gets about their dossier: the same templates and data as the e-mails,
// each said in a few wordings from the most informative to the shortest, fitted into one segment (./sms-text.ts).
// Vietnamese only: an SMS has no room for a second language, and the e-mail carries the English.
import { formatDate, formatVnd, type EmailTemplate } from './templates.js'
import { fitSms, type SmsPiece, type SmsText } from './sms-text.js'

/** Both forms of a notice, rendered at enqueue time; the transport sends the one its gateway takes. */
export interface RenderedSms {
  template: EmailTemplate['name']
  /** With diacritics (UCS-2 unless the text happens to be GSM-7). */
  unicode: SmsText
  /** Without diacritics, always GSM-7. */
  ascii: SmsText
}

/**
 * The SMS for a dossier notice, or undefined for templates that are not dossier notices (password and identity mail
 * stays e-mail only). `link` is where the applicant follows the dossier (their dossiers in the portal).
 */
export function renderSms(t: EmailTemplate, link?: string): RenderedSms | undefined {
  const wordings = wordingsOf(t, link)
  if (!wordings) return undefined
  return {
    template: t.name,
    unicode: fitSms(wordings, { diacritics: true }),
    ascii: fitSms(wordings, { diacritics: false }),
  }
}

function wordingsOf(t: EmailTemplate, portalLink: string | undefined): SmsPiece[][] | undefined {
  const see = (url: string | undefined): string => (url ? ` Xem: ${url}` : '')
  switch (t.name) {
    case 'dossier-received': {
      const d = t.data
      const tail = `Hẹn trả kết quả ngày ${formatDate(d.appointmentDate)}.${see(d.lookupUrl ?? portalLink)}`
      return [
        [`${d.agencyName} đã tiếp nhận hồ sơ ${d.dossierCode} (`, { shorten: d.procedureName }, `). ${tail}`],
        [`Hồ sơ ${d.dossierCode} (`, { shorten: d.procedureName }, `) đã được tiếp nhận. ${tail}`],
        [`Hồ sơ ${d.dossierCode} đã được tiếp nhận. ${tail}`],
        [
          `HS ${d.dossierCode} đã tiếp nhận, hẹn trả ${formatDate(d.appointmentDate)}.${see(d.lookupUrl ?? portalLink)}`,
        ],
      ]
    }
    case 'supplement-requested': {
      const d = t.data
      const tail = see(d.lookupUrl ?? portalLink)
      return [
        [`Hồ sơ ${d.dossierCode} cần bổ sung: `, { shorten: d.missing.join('; ') }, `.${tail}`],
        [`Hồ sơ ${d.dossierCode} cần bổ sung giấy tờ.${tail}`],
        [`HS ${d.dossierCode} cần bổ sung giấy tờ.${tail}`],
      ]
    }
    case 'dossier-refused': {
      const d = t.data
      return [
        [`Hồ sơ ${d.dossierCode} không được tiếp nhận. Lý do: `, { shorten: d.reason }, `.${see(portalLink)}`],
        [`Hồ sơ ${d.dossierCode} không được tiếp nhận.${see(portalLink)}`],
        [`HS ${d.dossierCode} không được tiếp nhận.${see(portalLink)}`],
      ]
    }
    case 'result-ready': {
      const d = t.data
      const how = {
        online: 'Kết quả điện tử có trên cổng dịch vụ công.',
        counter: 'Mời Ông/Bà nhận kết quả tại Bộ phận Một cửa.',
        post: 'Kết quả được gửi qua bưu chính.',
      }[d.returnMethod]
      const tail = see(d.lookupUrl ?? portalLink)
      return [
        [`Hồ sơ ${d.dossierCode} (`, { shorten: d.procedureName }, `) đã có kết quả. ${how}${tail}`],
        [`Hồ sơ ${d.dossierCode} đã có kết quả. ${how}${tail}`],
        [`HS ${d.dossierCode} đã có kết quả.${tail}`],
      ]
    }
    case 'dossier-late': {
      const d = t.data
      const head = `Hồ sơ ${d.dossierCode} trả kết quả chậm, hẹn lại ngày ${formatDate(d.newDueDate)}.`
      return [
        [`${head} Lý do: `, { shorten: d.reason }, `. ${d.agencyName} xin lỗi Ông/Bà.`],
        [`${head} Lý do: `, { shorten: d.reason }, '. Xin lỗi Ông/Bà.'],
        [`${head} Xin lỗi Ông/Bà.`],
        [`HS ${d.dossierCode} hẹn lại ngày ${formatDate(d.newDueDate)}.`],
      ]
    }
    case 'payment-requested': {
      const d = t.data
      const amount = d.amountVnd !== undefined ? ` ${formatVnd(d.amountVnd)}` : ''
      const by = d.payBy ? ` trước ngày ${formatDate(d.payBy)}` : ''
      const pay = see(d.payUrl ?? portalLink).replace(' Xem:', ' Nộp tại:')
      return [
        [`Hồ sơ ${d.dossierCode}: đề nghị nộp${amount}${by} (`, { shorten: d.reason ?? d.procedureName }, `).${pay}`],
        [`Hồ sơ ${d.dossierCode}: đề nghị nộp${amount}${by}.${pay}`],
        [`HS ${d.dossierCode}: đề nghị nộp${amount}.${pay}`],
      ]
    }
    case 'withdrawal-confirmed': {
      const d = t.data
      return [
        [
          `${d.agencyName} xác nhận Ông/Bà đã rút hồ sơ ${d.dossierCode}. Nếu không phải Ông/Bà, xin báo Bộ phận Một cửa.`,
        ],
        [`Đã rút hồ sơ ${d.dossierCode}. Nếu không phải Ông/Bà, xin báo Bộ phận Một cửa.`],
        [`Đã rút HS ${d.dossierCode}. Nếu không phải Ông/Bà, báo Một cửa.`],
      ]
    }
    case 'dossier-stopped': {
      const d = t.data
      return [
        [`Hồ sơ ${d.dossierCode} bị dừng xử lý. Lý do: `, { shorten: d.reason }, `.${see(portalLink)}`],
        [`Hồ sơ ${d.dossierCode} bị dừng xử lý.${see(portalLink)}`],
        [`HS ${d.dossierCode} bị dừng xử lý.${see(portalLink)}`],
      ]
    }
    default:
      return undefined
  }
}
