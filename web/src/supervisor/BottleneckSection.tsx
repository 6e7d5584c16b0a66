// Bottlenecks per procedure, step and unit (Phiếu kiểm soát, R11): waiting now, median and p90 hours of the steps
// finished in the period, share of step deadlines missed; sortable; each procedure links to its heatmap. The unit is
// the one that received the dossier or the one that handled the step (liên thông), as the switch says.
import { useMemo, useState } from 'react'
import { Link } from 'react-router'
import { api } from '../api.js'
import { useLang } from '../i18n.js'
import { Loading, ProblemAlert, useAsync } from '../ui.js'
import { compareBy, PeriodPicker, SortHeader, UnitPicker, UnitViewSwitch, useSort } from './controls.js'
import {
  currentMonth,
  hours,
  percent,
  unitAt,
  type Bottleneck,
  type PeriodQuery,
  type ProcessSummary,
  type SubtreeUnit,
  type UnitView,
} from './data.js'

type Col = 'procedure' | 'step' | 'unit' | 'waitingNow' | 'finished' | 'medianHours' | 'p90Hours' | 'missedShare'

export function BottleneckSection({
  units,
  processes,
}: {
  units: SubtreeUnit[] | undefined
  processes: ProcessSummary[] | undefined
}) {
  const { tr, number, lang } = useLang()
  const [unit, setUnit] = useState('')
  const [period, setPeriod] = useState<PeriodQuery>({ month: currentMonth() })
  const [by, setBy] = useState<UnitView>('receivingUnit')
  const { sort, onSort } = useSort({ col: 'waitingNow', dir: 'descending' })
  const list = useAsync(
    (signal) =>
      api<{ items: Bottleneck[] }>('/api/supervision/bottlenecks', { query: { unit, ...period, by }, signal }).then(
        (r) => r.items,
      ),
    [unit, JSON.stringify(period), by],
  )
  const unitName = (b: Bottleneck) => unitAt(units, b.unitPath, lang) ?? '—'
  const rows = useMemo(() => {
    const key: Record<Col, (b: Bottleneck) => string | number | null> = {
      procedure: (b) => b.procedureName,
      step: (b) => b.stepName ?? b.stepId,
      unit: unitName,
      waitingNow: (b) => b.waitingNow,
      finished: (b) => b.finished,
      medianHours: (b) => b.medianHours,
      p90Hours: (b) => b.p90Hours,
      missedShare: (b) => b.missedShare,
    }
    return [...(list.data ?? [])].sort(compareBy(key[sort.col as Col], sort.dir))
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [list.data, sort, units, lang])
  const byCode = new Map((processes ?? []).map((p) => [p.code, p]))
  const header = (col: Col, label: string, numeric = false) => (
    <SortHeader col={col} label={label} sort={sort} onSort={onSort} numeric={numeric} />
  )

  return (
    <section className="panel" aria-labelledby="sv-bottleneck-title">
      <h2 id="sv-bottleneck-title">{tr('Điểm nghẽn theo bước xử lý', 'Bottlenecks by step')}</h2>
      <div className="sv-controls">
        <UnitPicker id="sv-bottleneck-unit" units={units} value={unit} onChange={setUnit} />
        <PeriodPicker idPrefix="sv-bottleneck-period" value={period} onChange={setPeriod} />
        <UnitViewSwitch name="sv-bottleneck-by" value={by} onChange={setBy} />
      </div>
      <ProblemAlert error={list.error} />
      {list.loading && !list.data ? (
        <Loading />
      ) : (
        <div className="table-scroll">
          <table className="data" data-testid="bottleneck-table">
            <caption>
              {tr(
                'Đang chờ: số hồ sơ đang ở bước này. Trung vị, P90 và tỷ lệ trễ hạn tính trên các bước hoàn thành trong kỳ. Bấm tiêu đề cột để sắp xếp.',
                'Waiting: dossiers at the step now. Median, p90 and share late are over the steps finished in the period. Click a column header to sort.',
              )}{' '}
              {by === 'receivingUnit'
                ? tr(
                    'Theo đơn vị tiếp nhận: mọi bước của hồ sơ do đơn vị tiếp nhận, kể cả bước do cơ quan khác xử lý.',
                    'By receiving unit: every step of the dossiers the unit received, including steps another agency handled.',
                  )
                : tr(
                    'Theo đơn vị xử lý: các bước đơn vị đã xử lý, kể cả cho hồ sơ do nơi khác tiếp nhận.',
                    'By handling unit: the steps the unit handled, including for dossiers received elsewhere.',
                  )}
            </caption>
            <thead>
              <tr>
                {header('procedure', tr('Thủ tục', 'Procedure'))}
                {header('step', tr('Bước', 'Step'))}
                {header(
                  'unit',
                  by === 'receivingUnit'
                    ? tr('Đơn vị tiếp nhận', 'Receiving unit')
                    : tr('Đơn vị xử lý', 'Handling unit'),
                )}
                {header('waitingNow', tr('Đang chờ', 'Waiting now'), true)}
                {header('finished', tr('Hoàn thành trong kỳ', 'Finished in period'), true)}
                {header('medianHours', tr('Trung vị (giờ)', 'Median (hours)'), true)}
                {header('p90Hours', tr('P90 (giờ)', 'p90 (hours)'), true)}
                {header('missedShare', tr('Tỷ lệ trễ hạn bước', 'Step deadlines missed'), true)}
              </tr>
            </thead>
            <tbody>
              {rows.length === 0 && (
                <tr>
                  <td colSpan={8} className="muted">
                    {tr('Chưa có số liệu các bước trong kỳ này.', 'No step figures for this period.')}
                  </td>
                </tr>
              )}
              {rows.map((b) => {
                const p = byCode.get(b.procedureCode)
                return (
                  <tr key={`${b.procedureCode}|${b.stepId}|${b.unitPath ?? ''}`}>
                    <td>
                      {p?.publishedVersion ? (
                        <Link to={`/giam-sat/quy-trinh/${p.slug}/${p.publishedVersion}`}>{b.procedureName}</Link>
                      ) : (
                        b.procedureName
                      )}
                    </td>
                    <td>{b.stepName ?? b.stepId}</td>
                    <td>{unitName(b)}</td>
                    <td className="num">{number(b.waitingNow)}</td>
                    <td className="num">{number(b.finished)}</td>
                    <td className="num">{hours(b.medianHours, number)}</td>
                    <td className="num">{hours(b.p90Hours, number)}</td>
                    <td className="num">{percent(b.missedShare, number)}</td>
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
