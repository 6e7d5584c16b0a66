// The result documents of the reference procedures as print layouts filled from the dossier's form data: the birth
// extract (trích lục khai sinh), the marital status certificate, the household business registration certificate and
// the construction permit. Each carries the issuing body, its number and date, and a QR code to the public
// verification page; the signature block names the signing officer, whose digital signature the PDF then receives.
import { vnDate, type Block, type PrintAgency, type PrintDocument, type Run } from '../print/forms.js'

export const resultTemplates = ['birth-extract', 'marital-status', 'household-business', 'construction-permit'] as const
export type ResultTemplate = (typeof resultTemplates)[number]

export interface ResultInput {
  title: string
  number: string
  issuedAt: Date
  agency: PrintAgency
  dossierCode: string
  /** The verification link the QR code carries. */
  verificationUrl: string
  formData: Record<string, unknown>
  signer: { title: string; name: string }
}

type Data = Record<string, unknown>
const obj = (v: unknown): Data => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Data) : {})
const str = (v: unknown): string => (typeof v === 'string' || typeof v === 'number' ? String(v) : '')
const dots = '……………'
const or = (v: unknown) => str(v) || dots

/** "Số 1, Xã An Bình, Tỉnh Demo" from an address object of the forms (street, commune, province). */
function address(v: unknown): string {
  const a = obj(v)
  return [a['diaChiChiTiet'], a['soNha'], a['xa'], a['tinh']].map(str).filter(Boolean).join(', ') || dots
}

/** "01/11/2026" from "2026-11-01". */
function dateText(v: unknown): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(str(v))
  return m ? `${m[3]}/${m[2]}/${m[1]}` : dots
}

const line = (label: string, value: string): Block => ({
  kind: 'paragraph',
  align: 'left',
  runs: [{ text: `${label}: ` }, { text: value, bold: true }],
})
const para = (...runs: Run[]): Block => ({ kind: 'paragraph', runs })

const sexes: Record<string, string> = { nam: 'Nam', nu: 'Nữ' }
const maritalStatuses: Record<string, string> = {
  'chua-ket-hon': 'Chưa đăng ký kết hôn với ai',
  'dang-co-vo-chong': 'Đang có vợ/chồng',
  'da-ly-hon': 'Đã ly hôn, hiện chưa đăng ký kết hôn với ai',
  'vo-chong-da-chet': 'Vợ/chồng đã chết, hiện chưa đăng ký kết hôn với ai',
}

function birthExtract(f: Data): { basis: string; blocks: Block[] } {
  const child = obj(f['treEm'])
  const mother = obj(f['me'])
  const father = obj(f['cha'])
  return {
    basis: 'Luật Hộ tịch 2014; Thông tư 04/2024/TT-BTP',
    blocks: [
      line('Họ, chữ đệm, tên', or(child['hoTen']).toLocaleUpperCase('vi')),
      line('Ngày, tháng, năm sinh', dateText(child['ngaySinh'])),
      line('Giới tính', sexes[str(child['gioiTinh'])] ?? dots),
      line('Dân tộc', or(child['danToc'])),
      line('Quốc tịch', or(child['quocTich'])),
      line('Nơi sinh', or(child['noiSinh'])),
      ...(str(child['queQuan']) ? [line('Quê quán', str(child['queQuan']))] : []),
      line('Họ, chữ đệm, tên người mẹ', or(mother['hoTen'])),
      ...(str(father['hoTen']) ? [line('Họ, chữ đệm, tên người cha', str(father['hoTen']))] : []),
      line('Người đi đăng ký khai sinh', or(obj(f['nguoiYeuCau'])['hoTen'])),
    ],
  }
}

function maritalStatus(f: Data): { basis: string; blocks: Block[] } {
  const who = obj(f['nguoiYeuCau'])
  return {
    basis: 'Luật Hộ tịch 2014; Thông tư 04/2024/TT-BTP',
    blocks: [
      para({ text: 'Xác nhận:' }),
      line('Họ, chữ đệm, tên', or(who['hoTen'])),
      line('Số định danh cá nhân', or(who['soDinhDanh'])),
      line('Nơi cư trú', address(who['noiCuTru'])),
      line('Tình trạng hôn nhân', maritalStatuses[str(f['tinhTrangHonNhan'])] ?? dots),
      line('Giấy này được cấp để', or(f['mucDichSuDung'])),
      para({ text: 'Giấy này có giá trị sử dụng 06 tháng kể từ ngày cấp.', italic: true }),
    ],
  }
}

function householdBusiness(f: Data): { basis: string; blocks: Block[] } {
  const owner = obj(f['chuHo'])
  const trades = Array.isArray(f['nganhNghe']) ? (f['nganhNghe'] as unknown[]) : []
  const tradeText = trades
    .map((t) => (typeof t === 'object' ? [str(obj(t)['ma']), str(obj(t)['ten'])].filter(Boolean).join(' — ') : str(t)))
    .filter(Boolean)
  return {
    basis: 'Nghị định 168/2025/NĐ-CP',
    blocks: [
      line('Tên hộ kinh doanh', or(f['tenHoKinhDoanh']).toLocaleUpperCase('vi')),
      line('Địa điểm kinh doanh', address(f['diaDiemKinhDoanh'])),
      line('Ngành, nghề kinh doanh', tradeText.join('; ') || dots),
      line('Vốn kinh doanh', f['vonKinhDoanh'] ? `${Number(f['vonKinhDoanh']).toLocaleString('vi-VN')} đồng` : dots),
      line('Chủ hộ kinh doanh', or(owner['hoTen'])),
      line('Số định danh cá nhân', or(owner['soDinhDanh'])),
      line('Nơi cư trú', address(owner['noiCuTru'])),
    ],
  }
}

function constructionPermit(f: Data): { basis: string; blocks: Block[] } {
  const owner = obj(f['chuDauTu'])
  const site = obj(f['diaDiemXayDung'])
  const scale = obj(f['quyMo'])
  const num = (v: unknown, unit: string) => (typeof v === 'number' ? `${v.toLocaleString('vi-VN')} ${unit}` : dots)
  return {
    basis: 'Luật Xây dựng 2014 (sửa đổi 2020); Nghị định 175/2024/NĐ-CP',
    blocks: [
      line('1. Cấp cho', or(owner['hoTen'])),
      line('Địa chỉ', address(owner['noiCuTru'])),
      line('2. Được phép xây dựng công trình', 'Nhà ở riêng lẻ'),
      line('Theo thiết kế do', or(f['donViThietKe'])),
      line(
        'Vị trí xây dựng',
        `${address(site['diaChi'])}; lô đất số ${or(site['soThua'])}, tờ bản đồ số ${or(site['soToBanDo'])}`,
      ),
      line('Diện tích xây dựng tầng 1 (tầng trệt)', num(scale['dienTichXayDung'], 'm²')),
      line('Tổng diện tích sàn', num(scale['tongDienTichSan'], 'm²')),
      line('Chiều cao công trình', num(scale['chieuCao'], 'm')),
      line('Số tầng', num(scale['soTang'], 'tầng')),
      para({ text: '3. Giấy phép này có hiệu lực khởi công xây dựng trong thời hạn 12 tháng kể từ ngày cấp.' }),
    ],
  }
}

const bodies: Record<ResultTemplate, (f: Data) => { basis: string; blocks: Block[] }> = {
  'birth-extract': birthExtract,
  'marital-status': maritalStatus,
  'household-business': householdBusiness,
  'construction-permit': constructionPermit,
}

/** The result document laid out for the PDF renderer. */
export function resultDocument(template: ResultTemplate, input: ResultInput): PrintDocument {
  const body = bodies[template](input.formData)
  return {
    form: 'result',
    pageSize: 'A4',
    template: input.title,
    basis: body.basis,
    title: input.title.toLocaleUpperCase('vi'),
    subtitle: `Hồ sơ số ${input.dossierCode}`,
    agency: input.agency,
    number: input.number,
    dateLine: `${input.agency.place}, ${vnDate(input.issuedAt)}`,
    qr: input.verificationUrl,
    blocks: [
      ...body.blocks,
      para({
        text: `Văn bản điện tử được ký số. Kiểm tra chữ ký và tính toàn vẹn tại: ${input.verificationUrl}`,
        italic: true,
      }),
      { kind: 'signatures', items: [{ title: input.signer.title, note: '(Đã ký số)', name: input.signer.name }] },
    ],
  }
}
