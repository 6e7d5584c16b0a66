// The dossier form as an applicant would see it, rendered by react-jsonschema-form from the
// procedure's JSON Schema: x-ui labels, help, options and order become rjsf titles and uiSchema.
import { Component, type ReactNode } from 'react'
import Form from '@rjsf/core'
import { customizeValidator } from '@rjsf/validator-ajv8'
import Ajv2020 from 'ajv/dist/2020.js'
import type { RJSFSchema, UiSchema } from '@rjsf/utils'
import type { Lang } from '../i18n.js'

type Localized = { vi?: string; en?: string }
interface XUi {
  label?: Localized
  help?: Localized
  widget?: string
  order?: string[]
  options?: Array<{ value: unknown; label?: Localized }>
}
type SchemaNode = Record<string, unknown> & { properties?: Record<string, SchemaNode>; items?: SchemaNode; 'x-ui'?: XUi }

// The forms are JSON Schema 2020-12, as the server validates them (src/catalogue/form-validation.ts).
const validator = customizeValidator({ AjvClass: Ajv2020 as never })

const widgets: Record<string, string> = { textarea: 'textarea', radio: 'radio', checkbox: 'checkbox', checkboxes: 'checkboxes' }

/** The schema with titles in the reader's language, and the uiSchema of x-ui widgets, help and order. */
export function toRjsf(node: SchemaNode, lang: Lang): { schema: RJSFSchema; uiSchema: UiSchema } {
  const ui = node['x-ui'] ?? {}
  const text = (l?: Localized) => (l ? (l[lang] ?? l.vi) : undefined)
  const schema: Record<string, unknown> = { ...node }
  delete schema['x-ui']
  const uiSchema: UiSchema = {}
  const title = text(ui.label)
  if (title) schema.title = title
  const help = text(ui.help)
  if (help) uiSchema['ui:help'] = help
  if (ui.widget && widgets[ui.widget]) uiSchema['ui:widget'] = widgets[ui.widget]
  if (ui.options && Array.isArray(node.enum)) {
    // Labelled options as oneOf/const, which rjsf shows by title.
    const labels = new Map(ui.options.map((o) => [JSON.stringify(o.value), text(o.label)]))
    schema.oneOf = (node.enum as unknown[]).map((v) => ({ const: v, title: labels.get(JSON.stringify(v)) ?? String(v) }))
    delete schema.enum
  }
  if (node.properties) {
    const properties: Record<string, RJSFSchema> = {}
    for (const [name, child] of Object.entries(node.properties)) {
      const converted = toRjsf(child, lang)
      properties[name] = converted.schema
      if (Object.keys(converted.uiSchema).length > 0) uiSchema[name] = converted.uiSchema
    }
    schema.properties = properties
    if (ui.order) uiSchema['ui:order'] = [...ui.order.filter((n) => n in properties), '*']
  }
  if (node.items) {
    const converted = toRjsf(node.items, lang)
    schema.items = converted.schema
    if (Object.keys(converted.uiSchema).length > 0) uiSchema.items = converted.uiSchema
  }
  return { schema: schema as RJSFSchema, uiSchema }
}

/** A schema rjsf cannot render shows a message instead of taking the page down. */
class RenderGuard extends Component<{ fallback: (error: Error) => ReactNode; children: ReactNode; resetKey: string }, { error: Error | null; key: string }> {
  override state = { error: null as Error | null, key: this.props.resetKey }
  static getDerivedStateFromProps(props: { resetKey: string }, state: { key: string }) {
    return props.resetKey === state.key ? null : { error: null, key: props.resetKey }
  }
  static getDerivedStateFromError(error: Error) {
    return { error }
  }
  override render() {
    return this.state.error ? this.props.fallback(this.state.error) : this.props.children
  }
}

export function DossierFormPreview({ schema, lang, fallback }: { schema: Record<string, unknown>; lang: Lang; fallback: (error: Error) => ReactNode }) {
  const converted = toRjsf(schema as SchemaNode, lang)
  return (
    <RenderGuard fallback={fallback} resetKey={JSON.stringify(schema)}>
      <Form schema={converted.schema} uiSchema={{ ...converted.uiSchema, 'ui:submitButtonOptions': { norender: true } }} validator={validator} liveValidate={false} noHtml5Validate />
    </RenderGuard>
  )
}
