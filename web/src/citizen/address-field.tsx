// An address of a dossier form, from the official list (two levels since 1 July 2025): the province, then a commune of
// that province, both chosen from the public address directory, and the street as text. The form data keeps the
// names people read (tinh, xa) and the official codes (maTinh, maXa) by which the commune's unit is found.
import { useEffect, useState } from 'react'
import type { FieldProps, RJSFSchema } from '@rjsf/utils'
import { api } from '../api.js'
import { useLang } from '../i18n.js'

export interface Division {
  code: string
  name: string
}

// The directory changes only when an administrator imports a new list: one request per page load is enough.
const cache = new Map<string, Promise<Division[]>>()
function load(path: string): Promise<Division[]> {
  let found = cache.get(path)
  if (!found) {
    found = api<{ items: Division[] }>(path).then((r) => r.items)
    found.catch(() => cache.delete(path))
    cache.set(path, found)
  }
  return found
}

/** The provinces, or one province's communes, of the public address directory (cached per page load). */
export function useDivisions(path: string | undefined): { items: Division[]; failed: boolean } {
  const [state, setState] = useState<{ path?: string; items: Division[]; failed: boolean }>({
    items: [],
    failed: false,
  })
  useEffect(() => {
    if (!path) return
    let live = true
    load(path).then(
      (items) => live && setState({ path, items, failed: false }),
      () => live && setState({ path, items: [], failed: true }),
    )
    return () => {
      live = false
    }
  }, [path])
  return state.path === path ? state : { items: [], failed: false }
}

type Address = Record<string, unknown>
const text = (v: unknown) => (typeof v === 'string' ? v : '')

/** The address as rjsf's field for an object with `x-ui.widget: "address"`. */
export function AddressField(props: FieldProps<Address>) {
  const { tr } = useLang()
  const { schema, formData, fieldPathId, onChange, errorSchema, readonly, disabled, required } = props
  const value: Address = formData ?? {}
  const props_ = (schema.properties ?? {}) as Record<string, RJSFSchema>
  const titleOf = (key: string, fallback: string) => (props_[key]?.title as string | undefined) ?? fallback
  const requiredParts = new Set((schema.required as string[] | undefined) ?? [])
  const id = fieldPathId.$id
  const street = ['diaChiChiTiet', 'soNhaDuong', 'street'].find((k) => k in props_)

  const provinces = useDivisions('/api/public/addresses/provinces')
  // An address written with names only (before the codes) still shows its province when the name is the list's.
  const provinceCode = text(value['maTinh']) || provinces.items.find((p) => p.name === text(value['tinh']))?.code || ''
  const communes = useDivisions(
    provinceCode ? `/api/public/addresses/provinces/${encodeURIComponent(provinceCode)}/communes` : undefined,
  )
  const communeCode = text(value['maXa']) || communes.items.find((c) => c.name === text(value['xa']))?.code || ''

  const change = (next: Address) => onChange(next, fieldPathId.path)
  const errorsOf = (key: string) => (errorSchema?.[key] as { __errors?: string[] } | undefined)?.__errors ?? []
  const errorList = (key: string) =>
    errorsOf(key).length > 0 ? (
      <ul className="error-detail">
        {errorsOf(key).map((e, n) => (
          <li key={n} className="text-danger">
            {e}
          </li>
        ))}
      </ul>
    ) : null
  const mark = (key: string) => (requiredParts.has(key) ? <span className="required">*</span> : null)
  const locked = Boolean(readonly || disabled)

  if (locked) {
    // Read only: the names as written (an old address may name a unit the list no longer has).
    return (
      <fieldset id={id}>
        {schema.title && <legend>{schema.title}</legend>}
        {[
          ['tinh', titleOf('tinh', 'Tỉnh/thành phố')],
          ['xa', titleOf('xa', 'Xã/phường/đặc khu')],
          ...(street ? [[street, titleOf(street, 'Địa chỉ chi tiết')]] : []),
        ].map(([key, label]) => (
          <div className="form-group" key={key}>
            <label htmlFor={`${id}_${key}`}>{label}</label>
            <input id={`${id}_${key}`} type="text" value={text(value[key!])} readOnly disabled={disabled} />
          </div>
        ))}
      </fieldset>
    )
  }

  return (
    <fieldset id={id}>
      {schema.title && (
        <legend>
          {schema.title}
          {required && <span className="required">*</span>}
        </legend>
      )}
      {schema.description && <p className="field-description">{schema.description}</p>}
      <div className={`form-group${errorsOf('tinh').length || errorsOf('maTinh').length ? ' has-error' : ''}`}>
        <label htmlFor={`${id}_tinh`}>
          {titleOf('tinh', 'Tỉnh/thành phố')}
          {mark('tinh')}
        </label>
        <select
          id={`${id}_tinh`}
          value={provinceCode}
          onChange={(e) => {
            const chosen = provinces.items.find((p) => p.code === e.target.value)
            const { tinh: _t, maTinh: _mt, xa: _x, maXa: _mx, ...rest } = value
            change(chosen ? { ...rest, tinh: chosen.name, maTinh: chosen.code } : rest)
          }}
        >
          <option value="">{tr('— Chọn tỉnh/thành phố —', '— Choose a province —')}</option>
          {provinces.items.map((p) => (
            <option key={p.code} value={p.code}>
              {p.name}
            </option>
          ))}
        </select>
        {provinces.failed && (
          <p className="text-danger">{tr('Không tải được danh mục tỉnh.', 'The provinces could not be loaded.')}</p>
        )}
        {errorList('tinh')}
        {errorList('maTinh')}
      </div>
      <div className={`form-group${errorsOf('xa').length || errorsOf('maXa').length ? ' has-error' : ''}`}>
        <label htmlFor={`${id}_xa`}>
          {titleOf('xa', 'Xã/phường/đặc khu')}
          {mark('xa')}
        </label>
        <select
          id={`${id}_xa`}
          value={communeCode}
          disabled={!provinceCode}
          onChange={(e) => {
            const chosen = communes.items.find((c) => c.code === e.target.value)
            const { xa: _x, maXa: _mx, ...rest } = value
            change(chosen ? { ...rest, xa: chosen.name, maXa: chosen.code } : rest)
          }}
        >
          <option value="">
            {provinceCode
              ? tr('— Chọn xã/phường/đặc khu —', '— Choose a commune —')
              : tr('— Chọn tỉnh/thành phố trước —', '— Choose the province first —')}
          </option>
          {communes.items.map((c) => (
            <option key={c.code} value={c.code}>
              {c.name}
            </option>
          ))}
        </select>
        {communes.failed && (
          <p className="text-danger">{tr('Không tải được danh mục xã.', 'The communes could not be loaded.')}</p>
        )}
        {errorList('xa')}
        {errorList('maXa')}
      </div>
      {street && (
        <div className={`form-group${errorsOf(street).length ? ' has-error' : ''}`}>
          <label htmlFor={`${id}_${street}`}>
            {titleOf(street, 'Địa chỉ chi tiết')}
            {mark(street)}
          </label>
          <input
            id={`${id}_${street}`}
            type="text"
            value={text(value[street])}
            onChange={(e) => {
              const { [street]: _s, ...rest } = value
              change(e.target.value === '' ? rest : { ...rest, [street]: e.target.value })
            }}
          />
          {errorList(street)}
        </div>
      )}
    </fieldset>
  )
}
