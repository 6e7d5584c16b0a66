// The dossier form editor: the form's JSON Schema and the procedure's catalogue metadata as JSON
// text side by side, each saying whether it parses, and the form rendered live as applicants see it.
import { useId, useRef } from 'react'
import { useLang } from '../i18n.js'
import { DossierFormPreview } from './DossierFormPreview.js'
import metaSchema from '../../../forms/procedure.schema.json'

/** The two texts the analyst edits; the definition is metadata + form. */
export interface FormTexts {
  form: string
  metadata: string
}

export type Parsed = { ok: true; value: Record<string, unknown> } | { ok: false; message: string; line?: number }

export function parseObject(text: string): Parsed {
  try {
    const value = JSON.parse(text) as unknown
    if (!value || typeof value !== 'object' || Array.isArray(value)) return { ok: false, message: 'not a JSON object' }
    return { ok: true, value: value as Record<string, unknown> }
  } catch (err) {
    const message = (err as Error).message
    // V8 says "… at position 123" (and newer ones "(line 4 column 7)").
    const pos = /position (\d+)/.exec(message)
    const line = /line (\d+)/.exec(message)
    return {
      ok: false,
      message,
      ...(line ? { line: Number(line[1]) } : pos ? { line: text.slice(0, Number(pos[1])).split('\n').length } : {}),
    }
  }
}

/** A textarea with line numbers; its validity is announced and tied to it with aria-describedby. */
function CodeEditor({
  label,
  value,
  onChange,
  parsed,
  readOnly,
  name,
}: {
  label: string
  value: string
  onChange(v: string): void
  parsed: Parsed
  readOnly: boolean
  name: string
}) {
  const { tr } = useLang()
  const id = useId()
  const gutter = useRef<HTMLPreElement>(null)
  const lines = value.split('\n').length
  return (
    <div className="code-field">
      <label htmlFor={id}>{label}</label>
      <div className="code-editor">
        <pre aria-hidden="true" ref={gutter} className="code-gutter">
          {Array.from({ length: lines }, (_, i) => i + 1).join('\n')}
        </pre>
        <textarea
          id={id}
          name={name}
          value={value}
          spellCheck={false}
          readOnly={readOnly}
          wrap="off"
          aria-invalid={!parsed.ok}
          aria-describedby={`${id}-status`}
          onChange={(e) => onChange(e.target.value)}
          onScroll={(e) => {
            if (gutter.current) gutter.current.scrollTop = e.currentTarget.scrollTop
          }}
        />
      </div>
      <p id={`${id}-status`} className={parsed.ok ? 'json-ok small' : 'json-error small'} aria-live="polite">
        {parsed.ok
          ? tr('JSON hợp lệ', 'Valid JSON')
          : `${tr('JSON không hợp lệ', 'Invalid JSON')}${parsed.line ? ` (${tr('dòng', 'line')} ${parsed.line})` : ''}: ${parsed.message}`}
      </p>
    </div>
  )
}

export function FormEditor({
  texts,
  onChange,
  readOnly,
}: {
  texts: FormTexts
  onChange(texts: FormTexts): void
  readOnly: boolean
}) {
  const { tr } = useLang()
  const form = parseObject(texts.form)
  const metadata = parseObject(texts.metadata)
  // The preview keeps the last schema that parsed while the text is mid-edit.
  const lastValid = useRef<Record<string, unknown> | null>(null)
  if (form.ok) lastValid.current = form.value
  const shown = lastValid.current
  return (
    <div className="form-editor">
      <CodeEditor
        name="form-schema"
        label={tr('Biểu mẫu hồ sơ (JSON Schema)', 'Dossier form (JSON Schema)')}
        value={texts.form}
        parsed={form}
        readOnly={readOnly}
        onChange={(v) => onChange({ ...texts, form: v })}
      />
      <CodeEditor
        name="metadata"
        label={tr('Thông tin thủ tục (danh mục)', 'Procedure metadata (catalogue)')}
        value={texts.metadata}
        parsed={metadata}
        readOnly={readOnly}
        onChange={(v) => onChange({ ...texts, metadata: v })}
      />
      <section className="form-preview" aria-labelledby="form-preview-title">
        <h2 id="form-preview-title">{tr('Xem trước biểu mẫu', 'Form preview')}</h2>
        {!form.ok && (
          <p className="muted small">{tr('Đang hiển thị bản hợp lệ gần nhất.', 'Showing the last valid version.')}</p>
        )}
        <div className="preview-body" data-testid="form-preview">
          {shown && (
            <DossierFormPreview
              schema={shown}
              fallback={(err) => (
                <p className="json-error" role="alert">
                  {tr('Không hiển thị được biểu mẫu', 'The form cannot be rendered')}: {err.message}
                </p>
              )}
            />
          )}
        </div>
      </section>
    </div>
  )
}

// The server stores definitions as jsonb, which reorders keys (shortest first); the texts put them
// back in the order people write them: the meta-schema's order, and in the form each field's type
// and label before its children.
const metadataOrder = Object.keys(metaSchema.properties)
const schemaOrder = [
  '$schema',
  'type',
  'title',
  'x-ui',
  'label',
  'vi',
  'en',
  'widget',
  'required',
  'additionalProperties',
  'format',
  'enum',
  'minLength',
  'maxLength',
  'items',
  'properties',
]

function ordered(value: unknown, order: string[], deep: boolean): unknown {
  if (Array.isArray(value)) return deep ? value.map((v) => ordered(v, order, deep)) : value
  if (!value || typeof value !== 'object') return value
  const rank = (k: string) => (order.includes(k) ? order.indexOf(k) : order.length - 2.5)
  const keys = Object.keys(value).sort((a, b) => rank(a) - rank(b))
  // Field names under "properties" all rank alike, so they keep their order (the sort is stable).
  return Object.fromEntries(
    keys.map((k) => [
      k,
      deep ? ordered((value as Record<string, unknown>)[k], order, deep) : (value as Record<string, unknown>)[k],
    ]),
  )
}

/** Splits a definition into the two texts (form and the rest) and joins them back. */
export function textsOf(definition: Record<string, unknown>): FormTexts {
  const { form, ...metadata } = definition
  return {
    form: JSON.stringify(ordered(form, schemaOrder, true), null, 2),
    metadata: JSON.stringify(ordered(metadata, metadataOrder, false), null, 2),
  }
}

export function definitionOf(texts: FormTexts): { ok: true; value: Record<string, unknown> } | { ok: false } {
  const form = parseObject(texts.form)
  const metadata = parseObject(texts.metadata)
  if (!form.ok || !metadata.ok) return { ok: false }
  return { ok: true, value: { ...metadata.value, form: form.value } }
}
