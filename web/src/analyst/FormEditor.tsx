// The dossier form editor: the visual form builder (FormBuilder.tsx) and, as an advanced tab, the form's JSON Schema
// and the procedure's catalogue metadata as JSON text side by side, each saying whether it parses; beside both, the
// form rendered live as applicants see it. The texts are the one state: the builder parses them and writes them back.
import { useId, useRef, useState } from 'react'
import { useLang } from '../i18n.js'
import { DossierFormPreview, RenderGuard } from './DossierFormPreview.js'
import { FormBuilder } from './FormBuilder.js'
import type { Component } from './form-builder.js'
import { formText, metadataText, parseObject, type FormTexts, type Parsed } from './form-texts.js'

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

type View = 'builder' | 'json'

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
  const [view, setView] = useState<View>('builder')
  const form = parseObject(texts.form)
  const metadata = parseObject(texts.metadata)
  // The preview keeps the last schema that parsed while the text is mid-edit.
  const lastValid = useRef<Record<string, unknown> | null>(null)
  if (form.ok) lastValid.current = form.value
  const shown = lastValid.current
  const components =
    metadata.ok && Array.isArray(metadata.value['components']) ? (metadata.value['components'] as Component[]) : null
  const views: Array<[View, string]> = [
    ['builder', tr('Trình thiết kế biểu mẫu', 'Form builder')],
    ['json', tr('JSON (nâng cao)', 'JSON (advanced)')],
  ]
  return (
    <>
      <div role="tablist" aria-label={tr('Cách sửa biểu mẫu', 'How to edit the form')} className="tabs sub-tabs">
        {views.map(([v, label]) => (
          <button
            key={v}
            type="button"
            role="tab"
            id={`form-view-${v}`}
            aria-controls={`form-view-panel-${v}`}
            aria-selected={view === v}
            tabIndex={view === v ? 0 : -1}
            className={view === v ? 'tab active' : 'tab'}
            onClick={() => setView(v)}
            onKeyDown={(e) => {
              if (e.key === 'ArrowRight' || e.key === 'ArrowLeft') {
                const next = v === 'builder' ? 'json' : 'builder'
                setView(next)
                document.getElementById(`form-view-${next}`)?.focus()
              }
            }}
          >
            {label}
          </button>
        ))}
      </div>
      <div className="form-editor">
        <div
          role="tabpanel"
          id="form-view-panel-builder"
          aria-labelledby="form-view-builder"
          hidden={view !== 'builder'}
        >
          {form.ok ? (
            // A form written by hand in the JSON tab may hold what the builder cannot read (a field that is not an
            // object): it says so instead of taking the editor down.
            <RenderGuard
              resetKey={texts.form}
              fallback={() => (
                <p className="alert alert-error" role="alert">
                  {tr(
                    'Trình thiết kế không đọc được biểu mẫu này: hãy sửa ở thẻ JSON (nâng cao).',
                    'The builder cannot read this form: edit it on the JSON (advanced) tab.',
                  )}
                </p>
              )}
            >
              <FormBuilder
                form={form.value}
                components={components}
                readOnly={readOnly}
                onForm={(next) => onChange({ ...texts, form: formText(next) })}
                onComponents={(next) =>
                  metadata.ok && onChange({ ...texts, metadata: metadataText({ ...metadata.value, components: next }) })
                }
              />
            </RenderGuard>
          ) : (
            <p className="alert alert-error" role="alert">
              {tr(
                'Biểu mẫu đang có lỗi cú pháp JSON: hãy sửa ở thẻ JSON (nâng cao).',
                'The form has a JSON syntax error: fix it on the JSON (advanced) tab.',
              )}
            </p>
          )}
        </div>
        <div
          role="tabpanel"
          id="form-view-panel-json"
          aria-labelledby="form-view-json"
          hidden={view !== 'json'}
          className="json-view"
        >
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
        </div>
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
    </>
  )
}
