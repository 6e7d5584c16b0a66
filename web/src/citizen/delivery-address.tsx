// Where the result is posted, when the applicant chooses delivery by post: the province, then a commune of that
// province, from the official list (the same directory as the forms' address fields), the house number and street,
// and a phone for the postman if not the applicant's own. The server checks it all when the dossier is submitted.
import { useLang } from '../i18n.js'
import { useDivisions } from './address-field.js'
import type { DeliveryAddressInput } from './types.js'

export function DeliveryAddressFields(props: {
  idPrefix: string
  value: DeliveryAddressInput
  /** Every change; `final` is false while the applicant types (the caller saves on the final one). */
  onChange(next: DeliveryAddressInput, final: boolean): void
}) {
  const { tr } = useLang()
  const { idPrefix: id, value } = props
  const provinces = useDivisions('/api/public/addresses/provinces')
  const communes = useDivisions(
    value.provinceCode
      ? `/api/public/addresses/provinces/${encodeURIComponent(value.provinceCode)}/communes`
      : undefined,
  )
  const text = (key: 'street' | 'phone', label: string, extra: { autoComplete: string; inputMode?: 'tel' }) => (
    <>
      <label htmlFor={`${id}-${key}`}>{label}</label>
      <input
        id={`${id}-${key}`}
        value={value[key] ?? ''}
        {...extra}
        onChange={(e) => props.onChange({ ...value, [key]: e.target.value }, false)}
        onBlur={() => props.onChange(value, true)}
      />
    </>
  )
  return (
    <fieldset className="delivery-address">
      <legend>{tr('Địa chỉ nhận kết quả qua bưu chính', 'Where the result is posted')}</legend>
      <label htmlFor={`${id}-province`}>
        {tr('Tỉnh/thành phố', 'Province')}
        <span className="required">*</span>
      </label>
      <select
        id={`${id}-province`}
        value={value.provinceCode ?? ''}
        onChange={(e) => {
          const { communeCode: _c, ...rest } = value
          props.onChange({ ...rest, provinceCode: e.target.value }, true)
        }}
      >
        <option value="">{tr('— Chọn tỉnh/thành phố —', '— Choose a province —')}</option>
        {provinces.items.map((p) => (
          <option key={p.code} value={p.code}>
            {p.name}
          </option>
        ))}
      </select>
      <label htmlFor={`${id}-commune`}>
        {tr('Xã/phường/đặc khu', 'Commune')}
        <span className="required">*</span>
      </label>
      <select
        id={`${id}-commune`}
        value={value.communeCode ?? ''}
        disabled={!value.provinceCode}
        onChange={(e) => props.onChange({ ...value, communeCode: e.target.value }, true)}
      >
        <option value="">
          {value.provinceCode
            ? tr('— Chọn xã/phường/đặc khu —', '— Choose a commune —')
            : tr('— Chọn tỉnh/thành phố trước —', '— Choose the province first —')}
        </option>
        {communes.items.map((c) => (
          <option key={c.code} value={c.code}>
            {c.name}
          </option>
        ))}
      </select>
      {(provinces.failed || communes.failed) && (
        <p className="text-danger">
          {tr('Không tải được danh mục địa chỉ.', 'The list of addresses could not be loaded.')}
        </p>
      )}
      {text('street', tr('Số nhà, đường, thôn/xóm *', 'House number, street, hamlet *'), {
        autoComplete: 'street-address',
      })}
      {text('phone', tr('Điện thoại người nhận (nếu khác)', 'Recipient’s phone (if different)'), {
        autoComplete: 'tel',
        inputMode: 'tel',
      })}
    </fieldset>
  )
}
