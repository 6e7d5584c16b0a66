// "Thủ tục mới": the analyst names a procedure and picks the one whose process and dossier form it starts from;
// the first version is saved as a draft and the editor opens on it.
import { useState, type FormEvent } from 'react'
import { useNavigate } from 'react-router'
import { useLang } from '../i18n.js'
import { ProblemAlert, useAction } from '../ui.js'
import { catalogue, type ProcedureSummary } from './catalogue.js'
import { newProcedureFrom, slugOf, type NewProcedureIdentity } from './new-procedure.js'

export function NewProcedureForm({ templates, onCancel }: { templates: ProcedureSummary[]; onCancel(): void }) {
  const { tr } = useLang()
  const navigate = useNavigate()
  const published = templates.filter((p) => p.publishedVersion !== null)
  const [identity, setIdentity] = useState<NewProcedureIdentity>({
    name: '',
    code: '',
    field: '',
    agencyLevel: 'xa',
    agency: '',
  })
  const [template, setTemplate] = useState(published[0]?.slug ?? '')
  const set = (patch: Partial<NewProcedureIdentity>) => setIdentity((x) => ({ ...x, ...patch }))
  const create = useAction(async () => {
    const from = published.find((p) => p.slug === template)!
    const [detail, bpmnXml] = await Promise.all([
      catalogue.version(from.slug, from.publishedVersion!),
      catalogue.bpmn(from.slug, from.publishedVersion!),
    ])
    const next = newProcedureFrom({ definition: detail.definition, bpmnXml }, identity)
    const created = await catalogue.create(next.definition, next.bpmnXml)
    navigate(`/thiet-ke/${created.slug}/${created.version}`)
  })
  const submit = (e: FormEvent) => {
    e.preventDefault()
    void create.run()
  }
  const slug = slugOf(identity.name)
  return (
    <form className="panel form" onSubmit={submit} aria-labelledby="new-procedure-title">
      <h2 id="new-procedure-title">{tr('Thủ tục mới', 'New procedure')}</h2>
      <label htmlFor="np-name">{tr('Tên thủ tục', 'Name')}</label>
      <input
        id="np-name"
        required
        maxLength={300}
        value={identity.name}
        onChange={(e) => set({ name: e.target.value })}
      />
      {slug && (
        <p className="muted small" data-testid="new-procedure-slug">
          {tr('Mã đường dẫn', 'Slug')}: {slug}
        </p>
      )}
      <label htmlFor="np-code">{tr('Mã thủ tục (Cơ sở dữ liệu quốc gia)', 'Code (national database)')}</label>
      <input
        id="np-code"
        required
        inputMode="decimal"
        pattern="[12]\.[0-9]{6}"
        placeholder="1.001193"
        aria-describedby="np-code-help"
        value={identity.code}
        onChange={(e) => set({ code: e.target.value })}
      />
      <p id="np-code-help" className="muted small">
        {tr('Dạng 1.xxxxxx hoặc 2.xxxxxx, ví dụ 1.001193.', 'Like 1.xxxxxx or 2.xxxxxx, e.g. 1.001193.')}
      </p>
      <label htmlFor="np-field">{tr('Lĩnh vực', 'Field')}</label>
      <input id="np-field" required value={identity.field} onChange={(e) => set({ field: e.target.value })} />
      <fieldset>
        <legend>{tr('Cấp thực hiện', 'Level')}</legend>
        <label>
          <input
            type="radio"
            name="np-level"
            checked={identity.agencyLevel === 'xa'}
            onChange={() => set({ agencyLevel: 'xa' })}
          />{' '}
          {tr('Cấp xã', 'Commune')}
        </label>{' '}
        <label>
          <input
            type="radio"
            name="np-level"
            checked={identity.agencyLevel === 'tinh'}
            onChange={() => set({ agencyLevel: 'tinh' })}
          />{' '}
          {tr('Cấp tỉnh', 'Province')}
        </label>
      </fieldset>
      <label htmlFor="np-agency">{tr('Cơ quan thực hiện', 'Implementing agency')}</label>
      <input id="np-agency" required value={identity.agency} onChange={(e) => set({ agency: e.target.value })} />
      <label htmlFor="np-template">
        {tr('Bắt đầu từ quy trình và biểu mẫu của', 'Start from the process and form of')}
      </label>
      <select id="np-template" required value={template} onChange={(e) => setTemplate(e.target.value)}>
        {published.map((p) => (
          <option key={p.slug} value={p.slug}>
            {p.name}
          </option>
        ))}
      </select>
      <p className="muted small">
        {tr(
          'Bản nháp mới chép các bước và biểu mẫu của thủ tục đã chọn; căn cứ pháp lý và nguồn để trống cho bạn nhập.',
          'The new draft copies the steps and form of the chosen procedure; the legal basis and sources start empty.',
        )}
      </p>
      <ProblemAlert error={create.error} />
      <div className="row">
        <button type="submit" disabled={create.busy || !template}>
          {tr('Tạo bản nháp', 'Create the draft')}
        </button>
        <button type="button" className="secondary" onClick={onCancel}>
          {tr('Hủy', 'Cancel')}
        </button>
      </div>
    </form>
  )
}
