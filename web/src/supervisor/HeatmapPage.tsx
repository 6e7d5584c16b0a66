// The process heatmap: a procedure version's BPMN diagram with, per element, the open tasks now (a count badge) and
// the mean dwell time (a colour in five buckets), a legend, and the same numbers as a table; plus the procedure picker.
// The tasks are those of the dossiers the unit received, or those the unit handled (liên thông), as the switch says.
import { useEffect, useRef, useState } from 'react'
import { Link, useNavigate, useParams } from 'react-router'
import { api } from '../api.js'
import { useLang } from '../i18n.js'
import { Loading, PageTitle, ProblemAlert, useAsync } from '../ui.js'
import { SupervisorNav, UnitPicker, UnitViewSwitch, useUnits } from './controls.js'
import { hours, type HeatElement, type ProcessDiagram, type ProcessSummary, type UnitView } from './data.js'
import { bucketLabels, dwellBucket } from './heat.js'
import type { DrawnHeatmap } from './heatmap-viewer.js'

export function useProcesses() {
  return useAsync(
    (signal) => api<{ items: ProcessSummary[] }>('/api/supervision/processes', { signal }).then((r) => r.items),
    [],
  )
}

export function ProcessesPage() {
  const { tr } = useLang()
  const processes = useProcesses()
  return (
    <section>
      <PageTitle title={tr('Bản đồ nhiệt quy trình', 'Process heatmap')}>
        {tr('Bản đồ nhiệt quy trình', 'Process heatmap')}
      </PageTitle>
      <SupervisorNav />
      <p>
        {tr(
          'Chọn thủ tục để xem hồ sơ đang chờ và thời gian xử lý ở từng bước trên sơ đồ quy trình.',
          'Choose a procedure to see, on its process diagram, the dossiers waiting and the time spent at each step.',
        )}
      </p>
      <ProblemAlert error={processes.error} />
      {processes.loading ? (
        <Loading />
      ) : (
        <ul className="sv-process-list">
          {processes.data?.map((p) => (
            <li key={p.slug}>
              <Link to={`/giam-sat/quy-trinh/${p.slug}/${p.publishedVersion ?? p.versions[0]}`}>{p.name}</Link>{' '}
              <span className="muted small">
                {p.field} · {tr('phiên bản', 'version')} {p.publishedVersion ?? p.versions[0]}
              </span>
            </li>
          ))}
        </ul>
      )}
    </section>
  )
}

export function HeatmapPage() {
  const { tr, number } = useLang()
  const { slug = '', version = '1' } = useParams()
  const navigate = useNavigate()
  const units = useUnits()
  const processes = useProcesses()
  const [unit, setUnit] = useState('')
  const [by, setBy] = useState<UnitView>('receivingUnit')
  const diagram = useAsync(
    (signal) =>
      api<ProcessDiagram>(
        `/api/supervision/processes/${encodeURIComponent(slug)}/versions/${encodeURIComponent(version)}`,
        { signal },
      ),
    [slug, version],
  )
  const heat = useAsync(
    (signal) =>
      diagram.data
        ? api<{ elements: HeatElement[] }>('/api/supervision/heatmap', {
            query: { unit, procedureVersionId: diagram.data.procedureVersionId, by },
            signal,
          }).then((r) => r.elements)
        : Promise.resolve(undefined),
    [diagram.data, unit, by],
  )
  const container = useRef<HTMLDivElement>(null)
  const [drawError, setDrawError] = useState<unknown>(null)
  const [missing, setMissing] = useState<string[]>([])
  const [drawn, setDrawn] = useState(false)
  const view = useRef<DrawnHeatmap | null>(null)
  useEffect(() => {
    const el = container.current
    if (!el || !diagram.data || !heat.data) return
    let destroy: (() => void) | undefined
    let cancelled = false
    setDrawn(false)
    import('./heatmap-viewer.js')
      .then(({ drawHeatmap }) =>
        drawHeatmap(el, diagram.data!.bpmnXml, heat.data!, (n) => tr(`${n} hồ sơ đang chờ`, `${n} dossier(s) waiting`)),
      )
      .then(
        (h) => {
          if (cancelled) return h.destroy()
          destroy = h.destroy
          view.current = h
          setMissing(h.missing)
          setDrawn(true)
        },
        (err) => !cancelled && setDrawError(err),
      )
    return () => {
      cancelled = true
      view.current = null
      destroy?.()
    }
  }, [diagram.data, heat.data, tr])

  const labels = bucketLabels(tr)
  const p = diagram.data
  const versions = processes.data?.find((x) => x.slug === slug)?.versions ?? []
  const title = p
    ? tr(`Bản đồ nhiệt: ${p.name}`, `Heatmap: ${p.name}`)
    : tr('Bản đồ nhiệt quy trình', 'Process heatmap')
  const elements = [...(heat.data ?? [])].sort(
    (a, b) => b.active - a.active || (b.meanDwellHours ?? -1) - (a.meanDwellHours ?? -1),
  )
  const activeTotal = elements.reduce((s, e) => s + e.active, 0)

  return (
    <section>
      <PageTitle title={title}>{title}</PageTitle>
      <SupervisorNav />
      <p>
        <Link to="/giam-sat/quy-trinh">{tr('← Chọn thủ tục khác', '← Choose another procedure')}</Link>
      </p>
      <div className="sv-controls">
        <UnitPicker id="sv-heat-unit" units={units.data} value={unit} onChange={setUnit} />
        <UnitViewSwitch name="sv-heat-by" value={by} onChange={setBy} />
        {versions.length > 1 && (
          <div className="sv-field">
            <label htmlFor="sv-heat-version">{tr('Phiên bản quy trình', 'Process version')}</label>
            <select
              id="sv-heat-version"
              value={version}
              onChange={(e) => navigate(`/giam-sat/quy-trinh/${slug}/${e.target.value}`)}
            >
              {versions.map((v) => (
                <option key={v} value={v}>
                  {v}
                </option>
              ))}
            </select>
          </div>
        )}
      </div>
      <ProblemAlert error={diagram.error ?? heat.error ?? drawError} />
      {(diagram.loading || heat.loading) && <Loading />}
      <div className="sv-heatmap-tools" role="toolbar" aria-label={tr('Thu phóng sơ đồ', 'Diagram zoom')}>
        <button type="button" className="secondary" disabled={!drawn} onClick={() => view.current?.zoomBy(1.25)}>
          {tr('Phóng to', 'Zoom in')}
        </button>
        <button type="button" className="secondary" disabled={!drawn} onClick={() => view.current?.zoomBy(0.8)}>
          {tr('Thu nhỏ', 'Zoom out')}
        </button>
        <button type="button" className="secondary" disabled={!drawn} onClick={() => view.current?.readable()}>
          {tr('Cỡ dễ đọc', 'Readable size')}
        </button>
        <button type="button" className="secondary" disabled={!drawn} onClick={() => view.current?.whole()}>
          {tr('Xem toàn bộ', 'Whole diagram')}
        </button>
        <span className="muted small">
          {tr('Kéo sơ đồ để di chuyển; Ctrl + cuộn chuột để thu phóng.', 'Drag to move; Ctrl + scroll to zoom.')}
        </span>
      </div>
      <div className="sv-heatmap-wrap">
        {/* A figure, not an image: bpmn-js puts a focusable canvas and its bpmn.io link inside, which an image
            would hide from screen readers while the keyboard still reaches them. */}
        <div
          ref={container}
          className="sv-heatmap"
          role="figure"
          data-testid="heatmap-canvas"
          data-drawn={drawn ? 'yes' : 'no'}
          aria-label={tr(
            `Sơ đồ quy trình ${p?.name ?? ''} phiên bản ${version}: ${activeTotal} hồ sơ đang chờ. Số liệu từng bước ở bảng bên dưới.`,
            `Process diagram of ${p?.name ?? ''} version ${version}: ${activeTotal} dossiers waiting. The figures per step are in the table below.`,
          )}
        />
        <div className="sv-legend" aria-hidden="true">
          <strong>{tr('Thời gian xử lý trung bình', 'Mean time at the step')}</strong>
          <ul>
            {labels.map((l, i) => (
              <li key={l}>
                <span className={`sv-swatch heat-swatch-${i}`} /> {l}
              </li>
            ))}
            <li>
              <span className="sv-swatch sv-swatch-none" /> {tr('chưa có bước hoàn thành', 'none finished yet')}
            </li>
            <li>
              <span className="heat-badge heat-badge-legend">N</span>{' '}
              {tr('số hồ sơ đang chờ ở bước', 'dossiers waiting at the step')}
            </li>
          </ul>
        </div>
      </div>
      {missing.length > 0 && (
        <p className="muted small">
          {tr('Các bước không có trên sơ đồ phiên bản này:', 'Steps not on this version’s diagram:')}{' '}
          {missing.join(', ')}
        </p>
      )}
      {heat.data && (
        <div className="table-scroll">
          <table className="data" data-testid="heatmap-table">
            <caption>
              {tr(
                'Số liệu bản đồ nhiệt theo bước (cùng số liệu với sơ đồ)',
                'Heatmap figures per step (the same numbers as the diagram)',
              )}
            </caption>
            <thead>
              <tr>
                <th scope="col">{tr('Bước', 'Step')}</th>
                <th scope="col">{tr('Mã phần tử BPMN', 'BPMN element')}</th>
                <th scope="col" className="num">
                  {tr('Đang chờ', 'Waiting now')}
                </th>
                <th scope="col" className="num">
                  {tr('Đã hoàn thành', 'Completed')}
                </th>
                <th scope="col" className="num">
                  {tr('Thời gian trung bình (giờ)', 'Mean time (hours)')}
                </th>
                <th scope="col">{tr('Mức màu', 'Colour band')}</th>
              </tr>
            </thead>
            <tbody>
              {elements.length === 0 && (
                <tr>
                  <td colSpan={6} className="muted">
                    {by === 'receivingUnit'
                      ? tr(
                          'Chưa có hồ sơ nào của phiên bản này do đơn vị tiếp nhận.',
                          'No dossier of this version received by the unit yet.',
                        )
                      : tr(
                          'Đơn vị chưa xử lý bước nào của phiên bản này.',
                          'The unit has not handled a step of this version yet.',
                        )}
                  </td>
                </tr>
              )}
              {elements.map((e) => {
                const b = dwellBucket(e.meanDwellHours)
                return (
                  <tr key={e.elementId} data-element-id={e.elementId}>
                    <th scope="row">{e.name}</th>
                    <td>
                      <code>{e.elementId}</code>
                    </td>
                    <td className="num">{number(e.active)}</td>
                    <td className="num">{number(e.completed)}</td>
                    <td className="num">{hours(e.meanDwellHours, number)}</td>
                    <td>
                      {b === null ? (
                        '—'
                      ) : (
                        <>
                          <span className={`sv-swatch heat-swatch-${b}`} aria-hidden="true" /> {labels[b]}
                        </>
                      )}
                    </td>
                  </tr>
                )
              })}
            </tbody>
          </table>
        </div>
      )}
    </section>
  )
}
