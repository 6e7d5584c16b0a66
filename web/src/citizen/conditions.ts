// Conditional fields (x-ui.showWhen, written by the analyst's form builder): a field shown only when another field of
// the same group has a value, or the value given. Hidden, the field is not rendered and its value is dropped, so the
// dossier holds only what the applicant was asked; whether it is required when shown is the parent's `if … then`.
import type { UiSchema } from '@rjsf/utils'

type Node = Record<string, unknown> & { 'x-ui'?: { showWhen?: { field: string; value?: unknown } } }
type Data = Record<string, unknown>

const isObject = (v: unknown): v is Data => !!v && typeof v === 'object' && !Array.isArray(v)

/** "Has a value": not empty, and for a yes/no field, yes. */
const hasValue = (v: unknown): boolean =>
  v !== undefined && v !== null && v !== '' && v !== false && !(Array.isArray(v) && v.length === 0)

function shown(field: Node, siblings: Data): boolean {
  const when = field['x-ui']?.showWhen
  if (!when) return true
  const value = siblings[when.field]
  return when.value === undefined ? hasValue(value) : value === when.value
}

/** The uiSchema with the fields whose condition is not met rendered as nothing (the `conditionHidden` field). */
export function conditionalUi(form: Node, data: unknown, ui: UiSchema): UiSchema {
  const props = form['properties']
  if (!isObject(props)) return ui
  const values = isObject(data) ? data : {}
  let out = ui
  for (const [name, field] of Object.entries(props) as Array<[string, Node]>) {
    const childUi = (ui[name] ?? {}) as UiSchema
    const next = shown(field, values)
      ? conditionalUi(field, values[name], childUi)
      : { ...childUi, 'ui:field': 'conditionHidden' }
    if (next !== childUi) out = { ...out, [name]: next }
  }
  return out
}

/** The data without the values of hidden fields (a field hidden after it was filled keeps nothing). */
export function withoutHidden(form: Node, data: Data): Data {
  const props = form['properties']
  if (!isObject(props)) return data
  let out = data
  for (const [name, field] of Object.entries(props) as Array<[string, Node]>) {
    if (!(name in out)) continue
    if (!shown(field, out)) {
      const { [name]: _dropped, ...rest } = out
      out = rest
    } else if (isObject(out[name])) {
      const inner = withoutHidden(field, out[name])
      if (inner !== out[name]) out = { ...out, [name]: inner }
    }
  }
  // A field hidden in this pass may be what another field's condition reads: repeat until nothing changes.
  return out === data ? out : withoutHidden(form, out)
}

/** What a hidden field renders. */
export function ConditionHidden() {
  return null
}
