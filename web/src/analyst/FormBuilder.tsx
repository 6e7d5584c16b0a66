// The visual form builder: a palette of field kinds, the form's fields as a tree ordered by drag and drop or by the
// move buttons (the keyboard's way), and the chosen field's properties — labels and help in Vietnamese and English,
// required, shown-when, length and pattern, choices. Every change is one operation of form-builder.ts on the JSON
// Schema itself; the dossier components (giấy tờ kèm theo) are edited below the fields the same way.
import { useId, useState, type DragEvent, type ReactNode } from 'react'
import { useLang } from '../i18n.js'
import {
  FIELD_KINDS,
  KIND_LABELS,
  addComponent,
  addField,
  childrenOf,
  choiceValue,
  conditionCandidates,
  editComponent,
  fieldAt,
  hasField,
  holdsFields,
  isRequired,
  kindOf,
  moveComponent,
  moveField,
  optionsOf,
  patternProblem,
  removeComponent,
  removeField,
  setFieldText,
  setOptions,
  setRequired,
  setShowWhen,
  setValidation,
  showWhenOf,
  type Component,
  type FieldKind,
  type FieldPath,
  type Json,
  type Localized,
  type ShowWhen,
} from './form-builder.js'

/** What a drag carries: a palette kind (a new field) or a field of the tree. */
const DRAG_KIND = 'application/x-motcua-field-kind'
const DRAG_FIELD = 'application/x-motcua-field'
const DRAG_COMPONENT = 'application/x-motcua-component'
/** The field being dragged: drag data cannot be read before the drop, and a field moves among its siblings only. */
let dragged: { parent: string; name: string } | null = null

const samePath = (a: FieldPath | null, b: FieldPath) => !!a && a.length === b.length && a.every((n, i) => n === b[i])

export function FormBuilder({
  form,
  components,
  readOnly,
  onForm,
  onComponents,
}: {
  form: Json
  components: Component[] | null
  readOnly: boolean
  onForm(form: Json): void
  onComponents(components: Component[]): void
}) {
  const { tr, lang } = useLang()
  const [chosen, setSelected] = useState<FieldPath | null>(null)
  const selected = chosen && hasField(form, chosen) ? chosen : null
  const [announce, setAnnounce] = useState('')
  const labelOf = (path: FieldPath) => {
    const l = (fieldAt(form, path)['x-ui'] as { label?: Localized } | undefined)?.label
    return (lang === 'en' && l?.en ? l.en : l?.vi) || path[path.length - 1]!
  }
  // A new field goes into the chosen group, or after the chosen field, or at the end of the form.
  const target = (): { parent: FieldPath; index?: number } => {
    if (!selected) return { parent: [] }
    if (holdsFields(fieldAt(form, selected))) return { parent: selected }
    const parent = selected.slice(0, -1)
    return { parent, index: childrenOf(form, parent).indexOf(selected[selected.length - 1]!) + 1 }
  }
  const add = (kind: FieldKind, parent: FieldPath, index?: number) => {
    const added = addField(form, parent, kind, index)
    onForm(added.form)
    setSelected(added.path)
    setAnnounce(tr(`Đã thêm trường ${KIND_LABELS[kind].vi}.`, `${KIND_LABELS[kind].en} field added.`))
  }
  const move = (path: FieldPath, index: number) => {
    onForm(moveField(form, path, index))
    setAnnounce(
      tr(`Đã chuyển “${labelOf(path)}” tới vị trí ${index + 1}.`, `“${labelOf(path)}” moved to position ${index + 1}.`),
    )
  }

  return (
    <div className="form-builder">
      <p className="visually-hidden" aria-live="polite">
        {announce}
      </p>
      {!readOnly && (
        <section className="builder-palette" aria-labelledby="palette-title">
          <h2 id="palette-title">{tr('Thêm trường', 'Add a field')}</h2>
          <p className="muted small">
            {tr(
              'Bấm để thêm sau trường đang chọn (hoặc vào nhóm đang chọn), hoặc kéo vào danh sách.',
              'Click to add after the chosen field (or into the chosen group), or drag into the list.',
            )}
          </p>
          <ul>
            {FIELD_KINDS.map((kind) => (
              <li key={kind}>
                <button
                  type="button"
                  className="secondary palette-entry"
                  draggable
                  data-kind={kind}
                  onDragStart={(e) => {
                    e.dataTransfer.setData(DRAG_KIND, kind)
                    e.dataTransfer.effectAllowed = 'copy'
                  }}
                  onClick={() => {
                    const { parent, index } = target()
                    add(kind, parent, index)
                  }}
                >
                  + {tr(KIND_LABELS[kind].vi, KIND_LABELS[kind].en)}
                </button>
              </li>
            ))}
            {components && (
              <li>
                <button
                  type="button"
                  className="secondary palette-entry"
                  onClick={() => {
                    onComponents(addComponent(components))
                    setAnnounce(tr('Đã thêm thành phần hồ sơ.', 'Dossier component added.'))
                  }}
                >
                  + {tr('Thành phần hồ sơ (tệp)', 'Dossier component (file)')}
                </button>
              </li>
            )}
          </ul>
        </section>
      )}

      <section className="builder-fields" aria-labelledby="fields-title">
        <h2 id="fields-title">{tr('Các trường của biểu mẫu', 'The form’s fields')}</h2>
        <FieldList
          form={form}
          path={[]}
          selected={selected}
          readOnly={readOnly}
          labelOf={labelOf}
          onSelect={setSelected}
          onMove={move}
          onAdd={add}
          onRemove={(path) => {
            onForm(removeField(form, path))
            setSelected(null)
            setAnnounce(tr(`Đã xoá “${labelOf(path)}”.`, `“${labelOf(path)}” removed.`))
          }}
        />
        {components && (
          <ComponentList components={components} readOnly={readOnly} onChange={onComponents} announce={setAnnounce} />
        )}
      </section>

      <section className="builder-properties" aria-labelledby="properties-title">
        <h2 id="properties-title">{tr('Thuộc tính trường', 'Field properties')}</h2>
        {selected ? (
          <FieldProperties
            key={selected.join('.')}
            form={form}
            path={selected}
            readOnly={readOnly}
            labelOf={labelOf}
            onForm={onForm}
          />
        ) : (
          <p className="muted">{tr('Chọn một trường để sửa.', 'Choose a field to edit it.')}</p>
        )}
      </section>
    </div>
  )
}

/** The fields of one group as an ordered list; a group's own fields nest under it. */
function FieldList({
  form,
  path,
  selected,
  readOnly,
  labelOf,
  onSelect,
  onMove,
  onAdd,
  onRemove,
}: {
  form: Json
  path: FieldPath
  selected: FieldPath | null
  readOnly: boolean
  labelOf(path: FieldPath): string
  onSelect(path: FieldPath): void
  onMove(path: FieldPath, index: number): void
  onAdd(kind: FieldKind, parent: FieldPath, index?: number): void
  onRemove(path: FieldPath): void
}) {
  const { tr } = useLang()
  const [dropAt, setDropAt] = useState<number | null>(null)
  const names = childrenOf(form, path)
  const parentKey = JSON.stringify(path)
  /** A drop lands before the item at index: a palette kind anywhere, a field only among its siblings. */
  const accepts = (e: DragEvent) =>
    e.dataTransfer.types.includes(DRAG_KIND) ||
    (e.dataTransfer.types.includes(DRAG_FIELD) && dragged?.parent === parentKey)
  const over = (e: DragEvent, index: number) => {
    if (readOnly || !accepts(e)) return
    e.preventDefault()
    e.stopPropagation()
    setDropAt(index)
  }
  const drop = (e: DragEvent, index: number) => {
    if (readOnly || !accepts(e)) return
    e.preventDefault()
    e.stopPropagation()
    setDropAt(null)
    const kind = e.dataTransfer.getData(DRAG_KIND) as FieldKind
    if (kind) return onAdd(kind, path, index)
    const name = dragged?.name ?? ''
    dragged = null
    const from = names.indexOf(name)
    if (from >= 0) onMove([...path, name], index > from ? index - 1 : index)
  }
  return (
    <ol
      className={`field-list${dropAt === names.length ? ' drop-end' : ''}`}
      data-testid={`fields-${path.join('.') || 'root'}`}
      onDragOver={(e) => over(e, names.length)}
      onDragLeave={() => setDropAt(null)}
      onDrop={(e) => drop(e, names.length)}
    >
      {names.length === 0 && (
        <li className="muted small empty">{tr('Chưa có trường nào: kéo vào đây.', 'No field yet: drag one here.')}</li>
      )}
      {names.map((name, i) => {
        const fieldPath = [...path, name]
        const field = fieldAt(form, fieldPath)
        const kind = kindOf(field)
        const label = labelOf(fieldPath)
        const when = showWhenOf(field)
        return (
          <li
            key={name}
            className={`field-item${dropAt === i ? ' drop-before' : ''}`}
            data-field={name}
            draggable={!readOnly}
            onDragStart={(e) => {
              e.stopPropagation()
              e.dataTransfer.setData(DRAG_FIELD, name)
              e.dataTransfer.effectAllowed = 'move'
              dragged = { parent: parentKey, name }
            }}
            onDragEnd={() => {
              dragged = null
              setDropAt(null)
            }}
            onDragOver={(e) => over(e, i)}
            onDrop={(e) => drop(e, i)}
          >
            <div className={`field-row${samePath(selected, fieldPath) ? ' selected' : ''}`}>
              {!readOnly && (
                <span className="drag-handle" aria-hidden="true" title={tr('Kéo để sắp xếp', 'Drag to reorder')}>
                  ⠿
                </span>
              )}
              <button
                type="button"
                className="link-button field-select"
                aria-pressed={samePath(selected, fieldPath)}
                onClick={() => onSelect(fieldPath)}
              >
                {label}
                {isRequired(form, fieldPath) && <span aria-label={tr('bắt buộc', 'required')}> *</span>}
              </button>
              <span className="badge small">{tr(KIND_LABELS[kind].vi, KIND_LABELS[kind].en)}</span>
              {when && <ConditionBadge form={form} parent={path} when={when} labelOf={labelOf} />}
              {!readOnly && (
                <span className="field-actions">
                  <button
                    type="button"
                    className="icon-button"
                    disabled={i === 0}
                    aria-label={tr(`Chuyển lên: ${label}`, `Move up: ${label}`)}
                    title={tr('Chuyển lên', 'Move up')}
                    onClick={() => onMove(fieldPath, i - 1)}
                  >
                    ↑
                  </button>
                  <button
                    type="button"
                    className="icon-button"
                    disabled={i === names.length - 1}
                    aria-label={tr(`Chuyển xuống: ${label}`, `Move down: ${label}`)}
                    title={tr('Chuyển xuống', 'Move down')}
                    onClick={() => onMove(fieldPath, i + 1)}
                  >
                    ↓
                  </button>
                  <button
                    type="button"
                    className="icon-button danger"
                    aria-label={tr(`Xoá: ${label}`, `Remove: ${label}`)}
                    title={tr('Xoá', 'Remove')}
                    onClick={() => onRemove(fieldPath)}
                  >
                    ✕
                  </button>
                </span>
              )}
            </div>
            {holdsFields(field) && (
              <FieldList
                form={form}
                path={fieldPath}
                selected={selected}
                readOnly={readOnly}
                labelOf={labelOf}
                onSelect={onSelect}
                onMove={onMove}
                onAdd={onAdd}
                onRemove={onRemove}
              />
            )}
          </li>
        )
      })}
    </ol>
  )
}

/** "when <field>" (ticked, or filled) or "when <field> is <option>", in the tree. */
function ConditionBadge({
  form,
  parent,
  when,
  labelOf,
}: {
  form: Json
  parent: FieldPath
  when: ShowWhen
  labelOf(path: FieldPath): string
}) {
  const { tr, lang } = useLang()
  const source = [...parent, when.field]
  if (!hasField(form, source)) return null
  const option =
    typeof when.value === 'string' ? optionsOf(fieldAt(form, source)).find((o) => o.value === when.value) : undefined
  const optionLabel = option && (lang === 'en' && option.label.en ? option.label.en : option.label.vi)
  return (
    <span className="badge small condition">
      {tr('chỉ hiện khi có', 'shown when')} “{labelOf(source)}”
      {optionLabel ? ` ${tr('là', 'is')} “${optionLabel}”` : ''}
    </span>
  )
}

/** A labelled input; its note (a refusal) is its description. */
function Input({
  label,
  value,
  onChange,
  readOnly,
  type = 'text',
  note,
  lang,
}: {
  label: string
  value: string
  onChange(v: string): void
  readOnly: boolean
  type?: string
  note?: ReactNode
  lang?: string
}) {
  const id = useId()
  return (
    <div className="builder-input">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        type={type}
        lang={lang}
        value={value}
        readOnly={readOnly}
        aria-invalid={note ? true : undefined}
        aria-describedby={note ? `${id}-note` : undefined}
        onChange={(e) => onChange(e.target.value)}
      />
      {note && (
        <p id={`${id}-note`} className="json-error small">
          {note}
        </p>
      )}
    </div>
  )
}

const numberOrUndefined = (v: string) => (v === '' || Number.isNaN(Number(v)) ? undefined : Number(v))

function FieldProperties({
  form,
  path,
  readOnly,
  labelOf,
  onForm,
}: {
  form: Json
  path: FieldPath
  readOnly: boolean
  labelOf(path: FieldPath): string
  onForm(form: Json): void
}) {
  const { tr, lang } = useLang()
  const field = fieldAt(form, path)
  const kind = kindOf(field)
  const ui = (field['x-ui'] ?? {}) as { label?: Localized; help?: Localized }
  const when = showWhenOf(field)
  const parent = path.slice(0, -1)
  // Conditions are read beside the field; inside a repeating group each item would need its own (not offered).
  const inList = parent.some((_, i) => fieldAt(form, parent.slice(0, i + 1))['type'] === 'array')
  const candidates = inList ? [] : conditionCandidates(form, path)
  const source = when && hasField(form, [...parent, when.field]) ? fieldAt(form, [...parent, when.field]) : null
  const sourceKind = source ? kindOf(source) : null
  const pattern = typeof field['pattern'] === 'string' ? field['pattern'] : ''
  const patternNote = pattern ? patternProblem(pattern) : undefined
  const text = (key: 'label' | 'help', l: 'vi' | 'en') => ui[key]?.[l] ?? ''
  const labelMissing = !text('label', 'vi')
  const isString = field['type'] === 'string' && kind !== 'choice' && kind !== 'date'
  const isNumber = kind === 'number'
  const num = (key: string) => (typeof field[key] === 'number' ? String(field[key]) : '')
  /** A number input for one of the field's numeric limits (`minLength`, `maximum` …): empty removes the limit. */
  const limit = (key: 'minLength' | 'maxLength' | 'minimum' | 'maximum', vi: string, en: string) => (
    <Input
      label={tr(vi, en)}
      type="number"
      value={num(key)}
      readOnly={readOnly}
      onChange={(v) => onForm(setValidation(form, path, { [key]: numberOrUndefined(v) }))}
    />
  )

  return (
    <div className="field-properties" data-testid="field-properties">
      <p className="small muted">
        {tr('Tên trường trong dữ liệu', 'Field name in the data')}: <code>{path.join('.')}</code> ·{' '}
        {tr(KIND_LABELS[kind].vi, KIND_LABELS[kind].en)}
      </p>
      <fieldset>
        <legend>{tr('Nhãn và hướng dẫn', 'Label and help')}</legend>
        <Input
          label={tr('Nhãn (tiếng Việt)', 'Label (Vietnamese)')}
          lang="vi"
          value={text('label', 'vi')}
          readOnly={readOnly}
          note={labelMissing ? tr('Cần có nhãn tiếng Việt.', 'A Vietnamese label is needed.') : undefined}
          onChange={(v) => onForm(setFieldText(form, path, 'label', 'vi', v))}
        />
        <Input
          label={tr('Nhãn (tiếng Anh)', 'Label (English)')}
          lang="en"
          value={text('label', 'en')}
          readOnly={readOnly}
          onChange={(v) => onForm(setFieldText(form, path, 'label', 'en', v))}
        />
        <Input
          label={tr('Hướng dẫn (tiếng Việt)', 'Help (Vietnamese)')}
          lang="vi"
          value={text('help', 'vi')}
          readOnly={readOnly}
          onChange={(v) => onForm(setFieldText(form, path, 'help', 'vi', v))}
        />
        <Input
          label={tr('Hướng dẫn (tiếng Anh)', 'Help (English)')}
          lang="en"
          value={text('help', 'en')}
          readOnly={readOnly || !text('help', 'vi')}
          onChange={(v) => onForm(setFieldText(form, path, 'help', 'en', v))}
        />
      </fieldset>

      <fieldset>
        <legend>{tr('Bắt buộc và điều kiện', 'Required and condition')}</legend>
        <label className="check">
          <input
            type="checkbox"
            checked={isRequired(form, path)}
            disabled={readOnly}
            onChange={(e) => onForm(setRequired(form, path, e.target.checked))}
          />{' '}
          {when ? tr('Bắt buộc khi hiển thị', 'Required when shown') : tr('Bắt buộc', 'Required')}
        </label>
        {!inList && (
          <div className="builder-input">
            <label htmlFor={`when-${path.join('.')}`}>{tr('Hiển thị', 'Shown')}</label>
            <select
              id={`when-${path.join('.')}`}
              value={when?.field ?? ''}
              disabled={readOnly}
              onChange={(e) => {
                const name = e.target.value
                if (!name) return onForm(setShowWhen(form, path, null))
                const dep = fieldAt(form, [...parent, name])
                const depKind = kindOf(dep)
                // A yes/no field "has a value" when it is yes; a choice starts at its first option.
                const value =
                  dep['type'] === 'boolean' ? true : depKind === 'choice' ? optionsOf(dep)[0]?.value : undefined
                onForm(setShowWhen(form, path, value === undefined ? { field: name } : { field: name, value }))
              }}
            >
              <option value="">{tr('Luôn hiển thị', 'Always')}</option>
              {candidates.map((n) => (
                <option key={n} value={n}>
                  {tr('Khi đã nhập', 'When filled')}: {labelOf([...parent, n])}
                </option>
              ))}
            </select>
          </div>
        )}
        {when && sourceKind === 'choice' && source && (
          <div className="builder-input">
            <label htmlFor={`when-value-${path.join('.')}`}>{tr('Khi giá trị là', 'When the value is')}</label>
            <select
              id={`when-value-${path.join('.')}`}
              value={String(when.value ?? '')}
              disabled={readOnly}
              onChange={(e) => onForm(setShowWhen(form, path, { field: when.field, value: e.target.value }))}
            >
              {optionsOf(source).map((o) => (
                <option key={o.value} value={o.value}>
                  {lang === 'en' && o.label.en ? o.label.en : o.label.vi}
                </option>
              ))}
            </select>
          </div>
        )}
      </fieldset>

      {(isString || isNumber) && (
        <fieldset>
          <legend>{tr('Kiểm tra giá trị', 'Validation')}</legend>
          {isString && (
            <>
              {limit('minLength', 'Độ dài tối thiểu', 'Minimum length')}
              {limit('maxLength', 'Độ dài tối đa', 'Maximum length')}
              <Input
                label={tr('Mẫu kiểm tra (biểu thức chính quy)', 'Pattern (regular expression)')}
                value={pattern}
                readOnly={readOnly}
                note={patternNote && (lang === 'en' ? patternNote.en : patternNote.vi)}
                onChange={(v) => onForm(setValidation(form, path, { pattern: v }))}
              />
            </>
          )}
          {isNumber && (
            <>
              {limit('minimum', 'Giá trị nhỏ nhất', 'Minimum')}
              {limit('maximum', 'Giá trị lớn nhất', 'Maximum')}
            </>
          )}
        </fieldset>
      )}

      {kind === 'choice' && <ChoiceOptions form={form} path={path} readOnly={readOnly} onForm={onForm} />}
    </div>
  )
}

/** The options of a choice field: each label in both languages; a new option's value comes from its label. */
function ChoiceOptions({
  form,
  path,
  readOnly,
  onForm,
}: {
  form: Json
  path: FieldPath
  readOnly: boolean
  onForm(form: Json): void
}) {
  const { tr } = useLang()
  const options = optionsOf(fieldAt(form, path))
  const [draft, setDraft] = useState('')
  const value = choiceValue(draft)
  const taken = options.some((o) => o.value === value)
  return (
    <fieldset>
      <legend>{tr('Các lựa chọn', 'Options')}</legend>
      <ol className="choice-options">
        {options.map((o, i) => (
          <li key={o.value}>
            <code className="small">{o.value}</code>
            <Input
              label={tr(`Lựa chọn ${i + 1} (tiếng Việt)`, `Option ${i + 1} (Vietnamese)`)}
              lang="vi"
              value={o.label.vi}
              readOnly={readOnly}
              onChange={(v) =>
                onForm(
                  setOptions(
                    form,
                    path,
                    options.map((x, j) => (j === i ? { ...x, label: { ...x.label, vi: v } } : x)),
                  ),
                )
              }
            />
            <Input
              label={tr(`Lựa chọn ${i + 1} (tiếng Anh)`, `Option ${i + 1} (English)`)}
              lang="en"
              value={o.label.en ?? ''}
              readOnly={readOnly}
              onChange={(v) =>
                onForm(
                  setOptions(
                    form,
                    path,
                    options.map((x, j) => (j === i ? { ...x, label: { ...x.label, en: v } } : x)),
                  ),
                )
              }
            />
            {!readOnly && options.length > 1 && (
              <button
                type="button"
                className="link-button small"
                onClick={() =>
                  onForm(
                    setOptions(
                      form,
                      path,
                      options.filter((_, j) => j !== i),
                    ),
                  )
                }
              >
                {tr(`Xoá lựa chọn ${i + 1}`, `Remove option ${i + 1}`)}
              </button>
            )}
          </li>
        ))}
      </ol>
      {!readOnly && (
        <div className="row">
          <Input
            label={tr('Lựa chọn mới (tiếng Việt)', 'New option (Vietnamese)')}
            lang="vi"
            value={draft}
            readOnly={false}
            note={draft && taken ? tr('Đã có lựa chọn này.', 'This option exists already.') : undefined}
            onChange={setDraft}
          />
          <button
            type="button"
            className="secondary"
            disabled={!value || taken}
            onClick={() => {
              onForm(setOptions(form, path, [...options, { value, label: { vi: draft } }]))
              setDraft('')
            }}
          >
            {tr('Thêm lựa chọn', 'Add option')}
          </button>
        </div>
      )}
    </fieldset>
  )
}

const COMPONENT_FORMS: Record<string, Localized & { en: string }> = {
  original: { vi: 'Bản chính', en: 'Original' },
  copy: { vi: 'Bản sao', en: 'Copy' },
  'original-or-copy': { vi: 'Bản chính hoặc bản sao', en: 'Original or copy' },
  'present-original': { vi: 'Xuất trình bản chính', en: 'Original shown' },
}

/** The dossier components (the files an applicant attaches), ordered and edited like the fields. */
function ComponentList({
  components,
  readOnly,
  onChange,
  announce,
}: {
  components: Component[]
  readOnly: boolean
  onChange(components: Component[]): void
  announce(text: string): void
}) {
  const { tr } = useLang()
  const [open, setOpen] = useState<number | null>(null)
  const move = (from: number, to: number) => {
    onChange(moveComponent(components, from, to))
    setOpen(open === from ? to : open)
    announce(tr(`Đã chuyển thành phần tới vị trí ${to + 1}.`, `Component moved to position ${to + 1}.`))
  }
  return (
    <>
      <h2 id="components-title">{tr('Thành phần hồ sơ (tệp đính kèm)', 'Dossier components (attached files)')}</h2>
      <ol className="field-list" data-testid="components">
        {components.map((c, i) => (
          <li
            key={c.id}
            className="field-item"
            draggable={!readOnly}
            onDragStart={(e) => {
              e.dataTransfer.setData(DRAG_COMPONENT, String(i))
              e.dataTransfer.effectAllowed = 'move'
            }}
            onDragOver={(e) => {
              if (!readOnly && e.dataTransfer.types.includes(DRAG_COMPONENT)) e.preventDefault()
            }}
            onDrop={(e) => {
              const from = Number(e.dataTransfer.getData(DRAG_COMPONENT))
              if (readOnly || Number.isNaN(from)) return
              e.preventDefault()
              move(from, i)
            }}
          >
            <div className={`field-row${open === i ? ' selected' : ''}`}>
              {!readOnly && (
                <span className="drag-handle" aria-hidden="true">
                  ⠿
                </span>
              )}
              <button
                type="button"
                className="link-button field-select"
                aria-expanded={open === i}
                onClick={() => setOpen(open === i ? null : i)}
              >
                {c.name}
                {c['required'] === true && <span aria-label={tr('bắt buộc', 'required')}> *</span>}
              </button>
              {!readOnly && (
                <span className="field-actions">
                  <button
                    type="button"
                    className="icon-button"
                    disabled={i === 0}
                    aria-label={tr(`Chuyển lên: ${c.name}`, `Move up: ${c.name}`)}
                    onClick={() => move(i, i - 1)}
                  >
                    ↑
                  </button>
                  <button
                    type="button"
                    className="icon-button"
                    disabled={i === components.length - 1}
                    aria-label={tr(`Chuyển xuống: ${c.name}`, `Move down: ${c.name}`)}
                    onClick={() => move(i, i + 1)}
                  >
                    ↓
                  </button>
                  <button
                    type="button"
                    className="icon-button danger"
                    aria-label={tr(`Xoá: ${c.name}`, `Remove: ${c.name}`)}
                    onClick={() => {
                      onChange(removeComponent(components, i))
                      setOpen(null)
                    }}
                  >
                    ✕
                  </button>
                </span>
              )}
            </div>
            {open === i && (
              <div className="component-properties">
                <Input
                  label={tr('Tên giấy tờ', 'Document name')}
                  lang="vi"
                  value={c.name}
                  readOnly={readOnly}
                  onChange={(v) => onChange(editComponent(components, i, { name: v }))}
                />
                <div className="builder-input">
                  <label htmlFor={`component-form-${i}`}>{tr('Hình thức', 'Form')}</label>
                  <select
                    id={`component-form-${i}`}
                    value={String(c['form'])}
                    disabled={readOnly}
                    onChange={(e) => onChange(editComponent(components, i, { form: e.target.value }))}
                  >
                    {Object.entries(COMPONENT_FORMS).map(([value, label]) => (
                      <option key={value} value={value}>
                        {tr(label.vi, label.en)}
                      </option>
                    ))}
                  </select>
                </div>
                <Input
                  label={tr('Số lượng', 'Quantity')}
                  type="number"
                  value={String(c['quantity'] ?? 1)}
                  readOnly={readOnly}
                  onChange={(v) => onChange(editComponent(components, i, { quantity: numberOrUndefined(v) ?? 1 }))}
                />
                <label className="check">
                  <input
                    type="checkbox"
                    checked={c['required'] === true}
                    disabled={readOnly}
                    onChange={(e) => onChange(editComponent(components, i, { required: e.target.checked }))}
                  />{' '}
                  {tr('Bắt buộc', 'Required')}
                </label>
                <Input
                  label={tr('Khi nào cần (để trống nếu luôn cần)', 'When it is needed (empty when always)')}
                  lang="vi"
                  value={String(c['condition'] ?? '')}
                  readOnly={readOnly}
                  onChange={(v) => onChange(editComponent(components, i, { condition: v }))}
                />
              </div>
            )}
          </li>
        ))}
      </ol>
    </>
  )
}
