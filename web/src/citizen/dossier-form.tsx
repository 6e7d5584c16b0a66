// A procedure's JSON-schema dossier form in react-jsonschema-form: its x-ui hints (labels, help, order, widgets,
// select labels, address parts) become titles and a uiSchema, and validation speaks Vietnamese with the server's words.
import { forwardRef, useMemo, useState } from 'react'
import Form from '@rjsf/core'
import {
  ariaDescribedByIds,
  englishStringTranslator,
  TranslatableString,
  type ErrorListProps,
  type RJSFSchema,
  type RJSFValidationError,
  type UiSchema,
  type WidgetProps,
} from '@rjsf/utils'
import { formErrorMessage } from '../../../src/catalogue/form-rules.js'
import { useLang, type Lang } from '../i18n.js'
import { AddressField } from './address-field.js'
import { DateInput } from '../date-input.js'
import { ConditionHidden, conditionalUi, withoutHidden } from './conditions.js'
import { ProblemAlert, problemOf } from '../ui.js'
import { InterpretingValidator } from './form-validator.js'
import type { Localized } from './types.js'

interface UiHints {
  label?: Localized
  help?: Localized
  placeholder?: Localized
  widget?: string
  order?: string[]
  options?: Array<{ value: string | number | boolean; label: Localized }>
  addressParts?: Array<'province' | 'district' | 'commune' | 'street'>
}

/** The property names the forms give each address part. */
const addressNames: Record<'province' | 'district' | 'commune' | 'street', string[]> = {
  province: ['tinh', 'tinhThanhPho', 'province'],
  district: ['huyen', 'quanHuyen', 'district'],
  commune: ['xa', 'phuongXa', 'commune'],
  street: ['diaChiChiTiet', 'soNhaDuong', 'street'],
}

type Node = Record<string, unknown> & { 'x-ui'?: UiHints; properties?: Record<string, Node>; items?: Node }

const pick = (l: Localized | undefined, lang: Lang) => (l ? (lang === 'en' && l.en ? l.en : l.vi) : undefined)

/** Inputs each x-ui widget becomes (rjsf's own widgets, with input types where the browser helps). */
function widgetUi(ui: UiHints): UiSchema {
  switch (ui.widget) {
    case 'textarea':
      return { 'ui:widget': 'textarea' }
    case 'date':
      return { 'ui:widget': 'date' }
    case 'select':
      return { 'ui:widget': 'select' }
    case 'radio':
      return { 'ui:widget': 'radio' }
    case 'checkbox':
      return { 'ui:widget': 'checkbox' }
    case 'email':
      return { 'ui:widget': 'email', 'ui:autocomplete': 'email' }
    case 'phone':
      return { 'ui:options': { inputType: 'tel' }, 'ui:autocomplete': 'tel' }
    case 'cccd':
      return { 'ui:options': { inputType: 'text' }, 'ui:autocomplete': 'off' }
    case 'money':
    case 'number':
      return { 'ui:widget': 'updown' }
    default:
      return {}
  }
}

/** The schema with titles in the chosen language, and the matching uiSchema (addresses as their own field). */
export function toRjsf(form: Record<string, unknown>, lang: Lang): { schema: RJSFSchema; uiSchema: UiSchema } {
  const walk = (node: Node): { schema: Node; ui: UiSchema } => {
    const hints = node['x-ui'] ?? {}
    const schema: Node = { ...node }
    const ui: UiSchema = { ...widgetUi(hints) }
    const title = pick(hints.label, lang)
    if (title) schema['title'] = title
    const help = pick(hints.help, lang)
    if (help) ui['ui:help'] = help
    const placeholder = pick(hints.placeholder, lang)
    if (placeholder) ui['ui:placeholder'] = placeholder
    if (hints.options)
      ui['ui:enumNames'] = Object.fromEntries(
        hints.options.map((o) => [String(o.value), pick(o.label, lang) ?? String(o.value)]),
      )
    if (node.properties) {
      const props: Record<string, Node> = {}
      const names = Object.keys(node.properties)
      for (const name of names) {
        const child = walk(node.properties[name]!)
        props[name] = child.schema
        ui[name] = child.ui
      }
      // An address is its own field (address-field.tsx): the province and commune from the official list, the street
      // as text. Its parts are found by their conventional names: the API's JSON (jsonb) does not keep the authored
      // key order, so the order (of the validator's errors) must come from the hints.
      let order = hints.order
      if (hints.widget === 'address' && hints.addressParts) {
        const found = hints.addressParts
          .map((part) => addressNames[part].find((n) => n in props))
          .filter((n): n is string => Boolean(n))
        ui['ui:field'] = 'address'
        if (!order) {
          order = found
          // The validator reports errors in this order too.
          schema['x-ui'] = { ...hints, order }
        }
        ui['ui:classNames'] = 'address-field'
      }
      schema.properties = props
      if (order) ui['ui:order'] = [...order, '*']
    }
    if (node.items && typeof node.items === 'object' && !Array.isArray(node.items)) {
      const item = walk(node.items)
      schema.items = item.schema
      ui['items'] = item.ui
    }
    return { schema, ui }
  }
  const { $schema: _s, $id: _i, ...root } = form as Node
  const { schema, ui } = walk(root as Node)
  return { schema: schema as RJSFSchema, uiSchema: ui }
}

/** Interprets the schema (ajv's generated code is refused by the page's CSP); the forms' formats included. */
export const formValidator = new InterpretingValidator()

/** Each error in the language of the page, in the server's words, named by its field's label. */
export function localizeErrors(lang: Lang) {
  return (errors: RJSFValidationError[]): RJSFValidationError[] =>
    errors.map((e) => {
      // An error without a keyword is rjsf's own (a schema that did not compile): keep its words.
      if (!e.name) return e
      const message = formErrorMessage(e.name ?? '', (e.params ?? {}) as Record<string, unknown>, e.message)[lang]
      return { ...e, message, stack: e.title ? `${e.title}: ${message}` : message }
    })
}

const viStrings: Partial<Record<TranslatableString, string>> = {
  [TranslatableString.ErrorsLabel]: 'Vui lòng sửa các lỗi sau',
  [TranslatableString.AddItemButton]: 'Thêm mục',
  [TranslatableString.AddButton]: 'Thêm',
  [TranslatableString.RemoveButton]: 'Xoá',
  [TranslatableString.MoveUpButton]: 'Lên trên',
  [TranslatableString.MoveDownButton]: 'Xuống dưới',
  [TranslatableString.CopyButton]: 'Sao chép',
  [TranslatableString.YesLabel]: 'Có',
  [TranslatableString.NoLabel]: 'Không',
  [TranslatableString.ArrayItemTitle]: 'Mục',
  [TranslatableString.EmptyArray]: 'Chưa có mục nào. Bấm nút bên dưới để thêm.',
  [TranslatableString.OptionalObjectAdd]: 'Thêm thông tin (không bắt buộc)',
  [TranslatableString.OptionalObjectRemove]: 'Bỏ thông tin này',
  [TranslatableString.OptionalObjectEmptyMsg]: 'Không có thông tin',
  [TranslatableString.ClearLabel]: 'Xoá',
  [TranslatableString.NowLabel]: 'Hôm nay',
  [TranslatableString.IncrementAriaLabel]: 'Tăng 1',
  [TranslatableString.DecrementAriaLabel]: 'Giảm 1',
}

/**
 * rjsf's date widget as the app's dd/mm/yyyy box: the form data gets the ISO date; a half-typed or impossible date
 * goes in as typed, so the form's `format: date` check names it instead of calling the field empty.
 */
function DateWidget({ id, value, onChange, onBlur, onFocus, disabled, readonly, required, rawErrors }: WidgetProps) {
  return (
    <DateInput
      id={id}
      name={id}
      value={typeof value === 'string' ? value : ''}
      onValue={(iso, text) => onChange(iso || text || undefined)}
      onBlur={(e) => onBlur(id, e.target.value)}
      onFocus={(e) => onFocus(id, e.target.value)}
      disabled={disabled}
      readOnly={readonly}
      required={required}
      aria-invalid={rawErrors && rawErrors.length > 0 ? true : undefined}
      aria-describedby={ariaDescribedByIds(id)}
      className="form-control"
    />
  )
}

/** The list of mistakes above the form, announced when it appears. */
function ErrorList({ errors, registry }: ErrorListProps) {
  return (
    <div className="alert alert-error form-errors" role="alert">
      <strong>{registry.translateString(TranslatableString.ErrorsLabel)}</strong>
      <ul>
        {errors.map((e, i) => (
          <li key={i}>{e.stack}</li>
        ))}
      </ul>
    </div>
  )
}

export interface DossierFormProps {
  form: Record<string, unknown>
  formData: Record<string, unknown>
  onChange?: (data: Record<string, unknown>) => void
  readonly?: boolean
  idPrefix?: string
}

/** The rjsf form; its own submit button is hidden (the page submits through the ref's validateForm()). */
export const DossierForm = forwardRef<Form, DossierFormProps>(function DossierForm(
  { form, formData, onChange, readonly, idPrefix = 'root' },
  ref,
) {
  const { lang } = useLang()
  const { schema, uiSchema } = useMemo(() => toRjsf(form, lang), [form, lang])
  const transformErrors = useMemo(() => localizeErrors(lang), [lang])
  // Once a check has found mistakes, every change checks again: the list above the form shrinks as they are fixed and
  // goes when none is left.
  const [recheck, setRecheck] = useState(false)
  // Conditional fields follow what is typed, also where no parent keeps the data (the analyst's preview): rjsf takes
  // the formData prop again whenever another prop (the uiSchema that hides fields) changes, so it is given what was
  // typed since the parent last passed data.
  const [typed, setTyped] = useState<{ from: Record<string, unknown>; data: Record<string, unknown> }>({
    from: formData,
    data: formData,
  })
  const current = typed.from === formData ? typed.data : formData
  const shownUi = useMemo(() => conditionalUi(form, current, uiSchema), [form, current, uiSchema])
  return (
    <Form
      ref={ref}
      className={`dossier-form${readonly ? ' readonly' : ''}`}
      schema={schema}
      uiSchema={shownUi}
      formData={current}
      validator={formValidator}
      idPrefix={idPrefix}
      readonly={readonly}
      noHtml5Validate
      showErrorList="top"
      liveValidate={recheck ? 'onChange' : false}
      onError={() => setRecheck(true)}
      focusOnFirstError
      transformErrors={transformErrors}
      templates={{ ErrorListTemplate: ErrorList }}
      fields={{ address: AddressField, conditionHidden: ConditionHidden }}
      widgets={{ DateWidget }}
      translateString={(key, params) =>
        lang === 'vi' && viStrings[key] ? viStrings[key]! : englishStringTranslator(key, params)
      }
      onChange={(e) => {
        const data = withoutHidden(form, (e.formData ?? {}) as Record<string, unknown>)
        setTyped({ from: formData, data })
        onChange?.(data)
      }}
    >
      <></>
    </Form>
  )
})

/** One reason the server gave for not submitting: the agency, the delivery, a document or a form field. */
interface SubmitError {
  part?: 'agency' | 'delivery' | 'attachment' | 'form'
  field: string
  component?: string
  label?: { vi: string; en?: string }
  message: { vi: string; en: string }
}

/** The server's refusal of a submission, every reason listed (the agency, the delivery, documents, form fields). */
export function SubmitProblem({ error }: { error: unknown }) {
  const { lang } = useLang()
  if (!error) return null
  const p = problemOf(error)
  if (p.code === 'MC_ERR_DELIVERY_ADDRESS') {
    // Each message names its part of the address ("Chọn xã/phường…"): no field ids on the page.
    const parts = (p.errors ?? []) as unknown as Array<{ message: { vi: string; en: string } }>
    return (
      <div className="alert alert-error" role="alert" data-code={p.code}>
        <strong>{p.message[lang]}</strong>
        <ul>
          {parts.map((e, i) => (
            <li key={i}>{e.message[lang]}</li>
          ))}
        </ul>
      </div>
    )
  }
  if (p.code === 'MC_ERR_FORM_INVALID' || p.code === 'MC_ERR_DOSSIER_INCOMPLETE') {
    const errors = (p.errors ?? []) as unknown as SubmitError[]
    return (
      <div className="alert alert-error" role="alert" data-code={p.code} data-testid="submit-problem">
        <strong>{p.message[lang]}</strong>
        <ul>
          {errors.map((e, i) => {
            const name = e.label && (lang === 'en' && e.label.en ? e.label.en : e.label.vi)
            return (
              <li key={i} data-part={e.part ?? 'form'}>
                {name ? `${name}: ` : ''}
                {e.message[lang]}
              </li>
            )
          })}
        </ul>
      </div>
    )
  }
  return <ProblemAlert error={error} />
}
