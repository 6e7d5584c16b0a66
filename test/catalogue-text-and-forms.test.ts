// Specification of Vietnamese search folding and of dossier form validation.
import { readFileSync } from 'node:fs'
import t from 'tap'
import { foldVietnamese, searchDocument, searchPatterns } from '../src/catalogue/search-text.js'
import { isCccd, isPhoneVn, validateForm } from '../src/catalogue/form-validation.js'
import type { ProcedureDefinition } from '../src/catalogue/definition.js'

t.test('folding removes case and diacritics, đ/Đ included', async (t) => {
  t.equal(foldVietnamese('Đăng ký khai sinh'), 'dang ky khai sinh')
  t.equal(foldVietnamese('CẤP GIẤY PHÉP XÂY DỰNG'), 'cap giay phep xay dung')
  t.equal(foldVietnamese('Hộ tịch – Ủy ban nhân dân'), 'ho tich – uy ban nhan dan')
  // Decomposed input (as some keyboards produce) folds the same as precomposed.
  t.equal(foldVietnamese('Đăng ký'.normalize('NFD')), 'dang ky')
})

t.test('the search document is folded words between spaces; the query becomes word-prefix patterns', async (t) => {
  t.equal(searchDocument('1.001193', 'Đăng ký khai sinh', undefined), ' 1.001193 dang ky khai sinh ')
  t.same(searchPatterns('KHAI  sinh, khai'), ['% khai%', '% sinh%'])
  t.same(searchPatterns('50%_'), ['% 50%'])
  t.same(searchPatterns('   '), [])
})

t.test('CCCD: 12 digits starting with a province code', async (t) => {
  t.ok(isCccd('001203012345'))
  t.ok(isCccd('079099000001'))
  t.notOk(isCccd('003203012345'), '003 is not a province code')
  t.notOk(isCccd('097203012345'), 'above 096')
  t.notOk(isCccd('00120301234'), '11 digits')
  t.notOk(isCccd('00120301234a'))
})

t.test('phone numbers: mobile and landline, with 0 or +84', async (t) => {
  for (const ok of ['0912345678', '+84912345678', '84 912 345 678', '0386.123.456', '02438123456', '024-3812-3456'])
    t.ok(isPhoneVn(ok), ok)
  for (const bad of ['0112345678', '091234567', '09123456789', '0243812345', 'abc']) t.notOk(isPhoneVn(bad), bad)
})

t.test('form data is checked against the procedure form with messages naming the field', async (t) => {
  const def = JSON.parse(readFileSync('forms/dang-ky-khai-sinh.json', 'utf8')) as ProcedureDefinition
  const valid = {
    treEm: {
      hoTen: 'Nguyễn Văn An',
      gioiTinh: 'nam',
      ngaySinh: '2026-03-01',
      noiSinh: 'Bệnh viện Phụ sản Hà Nội',
      danToc: 'Kinh',
      quocTich: 'Việt Nam',
    },
    me: { hoTen: 'Trần Thị Bình', soDinhDanh: '001190012345' },
    nguoiYeuCau: {
      hoTen: 'Trần Thị Bình',
      soDinhDanh: '001190012345',
      soDienThoai: '0912345678',
      noiCuTru: { tinh: 'Hà Nội', xa: 'Phường Hà Đông' },
    },
    quanHeVoiTreEm: 'me',
  }
  t.same(validateForm('dang-ky-khai-sinh@test', def.form, valid), { ok: true })

  type Fields = Record<string, unknown>
  const invalid = structuredClone(valid) as { treEm: Fields; me: Fields; nguoiYeuCau: Fields; quanHeVoiTreEm: string }
  delete invalid.treEm.hoTen
  invalid.treEm.ngaySinh = '01/03/2026'
  invalid.me.soDinhDanh = '12345'
  invalid.nguoiYeuCau.soDienThoai = '12345'
  invalid.nguoiYeuCau.email = 'khong-phai-email'
  invalid.quanHeVoiTreEm = 'ban'
  const result = validateForm('dang-ky-khai-sinh@test', def.form, invalid)
  t.equal(result.ok, false)
  const errors = result.ok ? [] : result.errors
  const byField = Object.fromEntries(errors.map((e) => [e.field, e]))
  t.match(byField['/treEm/hoTen'], {
    keyword: 'required',
    label: { vi: 'Họ, chữ đệm và tên' },
    message: { vi: 'Bắt buộc nhập', en: 'Required' },
  })
  t.match(byField['/treEm/ngaySinh'], {
    keyword: 'format',
    label: { vi: 'Ngày, tháng, năm sinh' },
    message: { vi: /ngày theo dạng YYYY-MM-DD/ },
  })
  t.match(byField['/me/soDinhDanh'], { keyword: 'format', message: { vi: /12 chữ số/, en: /12-digit/ } })
  t.match(byField['/nguoiYeuCau/soDienThoai'], {
    keyword: 'format',
    label: { vi: 'Số điện thoại' },
    message: { vi: /số điện thoại Việt Nam/ },
  })
  t.match(byField['/nguoiYeuCau/email'], { keyword: 'format', message: { vi: /thư điện tử/ } })
  t.match(byField['/quanHeVoiTreEm'], { keyword: 'enum', message: { vi: /Phải chọn một trong các giá trị/ } })
  t.equal(errors.length, 6, 'every problem, one per field')
})
