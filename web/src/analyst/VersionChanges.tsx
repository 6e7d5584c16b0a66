// What a version changed from the one before: the server's diff of the definition (metadata,
// duration, steps, components, fees, legal basis, form fields) and the BPMN element by element.
import { useLang } from '../i18n.js'
import { ProblemAlert, useAsync } from '../ui.js'
import { diffBpmn, type BpmnElementChange } from './bpmn-diff.js'
import { catalogue, type ItemChanges } from './catalogue.js'

/** A changed value in a line of text: long ones (a field's whole x-ui) cut short. */
function show(v: unknown): string {
  const text = v === undefined || v === null ? '—' : typeof v === 'string' ? v : JSON.stringify(v)
  return text.length > 80 ? `${text.slice(0, 79)}…` : text
}

export function VersionChanges({ slug, version }: { slug: string; version: number }) {
  const { tr } = useLang()
  const state = useAsync(
    async (signal) => {
      const diff = await catalogue.changes(slug, version, undefined, signal)
      const bpmn = diff.bpmnChanged
        ? diffBpmn(
            ...(await Promise.all([catalogue.bpmn(slug, version - 1, signal), catalogue.bpmn(slug, version, signal)])),
          )
        : []
      return { diff, bpmn }
    },
    [slug, version],
  )
  if (state.error) return <ProblemAlert error={state.error} />
  if (!state.data) return <span className="muted small">{tr('Đang tải…', 'Loading…')}</span>
  const { diff, bpmn } = state.data
  if (!diff.changed) return <span className="muted">{tr('Không có thay đổi', 'No changes')}</span>

  const property = (p: BpmnElementChange['changes'][number]['property']) =>
    ({
      name: tr('tên', 'name'),
      type: tr('loại phần tử', 'element type'),
      jobType: tr('loại công việc (job type)', 'job type'),
      candidateGroups: tr('nhóm xử lý', 'candidate groups'),
    })[p]
  const items = (label: string, c: ItemChanges) => [
    ...c.added.map((i) => `${label}: ${tr('thêm', 'added')} ${i.name ?? i.key}`),
    ...c.removed.map((i) => `${label}: ${tr('bỏ', 'removed')} ${i.name ?? i.key}`),
    ...c.changed.map(
      (i) =>
        `${label}: ${tr('sửa', 'changed')} ${i.name ?? i.key} (${i.changes.map((ch) => `${ch.property}: ${show(ch.from)} → ${show(ch.to)}`).join('; ')})`,
    ),
  ]
  const lines = [
    ...diff.metadata.map((m) => `${tr('Thông tin', 'Metadata')} ${m.property}: ${show(m.from)} → ${show(m.to)}`),
    ...(diff.duration ? [`${tr('Thời hạn', 'Duration')}: ${diff.duration.from} → ${diff.duration.to}`] : []),
    ...items(tr('Bước', 'Step'), diff.steps),
    ...items(tr('Thành phần hồ sơ', 'Document'), diff.components),
    ...items(tr('Phí, lệ phí', 'Fee'), diff.fees),
    ...items(tr('Căn cứ pháp lý', 'Legal basis'), diff.legalBasis),
    ...items(tr('Trường biểu mẫu', 'Form field'), diff.formFields),
    ...bpmn.map((e) =>
      e.kind === 'added'
        ? `BPMN: ${tr('thêm', 'added')} ${e.type} ${e.name || e.id}`
        : e.kind === 'removed'
          ? `BPMN: ${tr('bỏ', 'removed')} ${e.type} ${e.name || e.id}`
          : `BPMN ${e.id}: ${e.changes.map((c) => `${property(c.property)} “${c.from ?? ''}” → “${c.to ?? ''}”`).join('; ')}`,
    ),
    ...(diff.bpmnChanged && bpmn.length === 0
      ? [tr('BPMN: thay đổi bố cục sơ đồ', 'BPMN: diagram layout changed')]
      : []),
  ]
  return (
    <ul className="changes small" data-testid={`changes-${version}`}>
      {lines.map((l, i) => (
        <li key={i}>{l}</li>
      ))}
    </ul>
  )
}
