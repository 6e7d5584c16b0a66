// On time and late per handling unit (liên thông): for each unit of the subtree that handled steps, the steps it
// finished in the period judged against their own step deadlines (R11), its open steps and those past their deadline,
// and under it the same per procedure step. Whoever received the dossier: an agency sees the steps it handled.
import { Fragment, useState } from 'react'
import { api } from '../api.js'
import { useLang } from '../i18n.js'
import { Loading, ProblemAlert, useAsync } from '../ui.js'
import { PeriodPicker, UnitPicker } from './controls.js'
import { currentMonth, percent, unitAt, type HandlingUnitFigures, type PeriodQuery, type SubtreeUnit } from './data.js'

export function HandlingUnitSection({ units }: { units: SubtreeUnit[] | undefined }) {
  const { tr, number, lang } = useLang()
  const [unit, setUnit] = useState('')
  const [period, setPeriod] = useState<PeriodQuery>({ month: currentMonth() })
  const list = useAsync(
    (signal) =>
      api<{ items: HandlingUnitFigures[] }>('/api/supervision/handling-units', {
        query: { unit, ...period },
        signal,
      }).then((r) => r.items),
    [unit, JSON.stringify(period)],
  )
  const figures = (
    f: Pick<HandlingUnitFigures, 'stepsHandled' | 'onTime' | 'late' | 'onTimeShare' | 'open' | 'openOverdue'>,
  ) => (
    <>
      <td className="num">{number(f.stepsHandled)}</td>
      <td className="num">{number(f.onTime)}</td>
      <td className="num">{number(f.late)}</td>
      <td className="num">{percent(f.onTimeShare, number)}</td>
      <td className="num">{number(f.open)}</td>
      <td className="num">{number(f.openOverdue)}</td>
    </>
  )

  return (
    <section className="panel" aria-labelledby="sv-handling-title">
      <h2 id="sv-handling-title">{tr('Đúng hạn theo đơn vị xử lý', 'On time per handling unit')}</h2>
      <div className="sv-controls">
        <UnitPicker id="sv-handling-unit" units={units} value={unit} onChange={setUnit} />
        <PeriodPicker idPrefix="sv-handling-period" value={period} onChange={setPeriod} />
      </div>
      <ProblemAlert error={list.error} />
      {list.loading && !list.data ? (
        <Loading />
      ) : (
        <div className="table-scroll">
          <table className="data" data-testid="handling-unit-table">
            <caption>
              {tr(
                'Các bước mỗi đơn vị đã xử lý, kể cả cho hồ sơ do nơi khác tiếp nhận, so với thời hạn của từng bước. Hoàn thành trước hạn được tính là đúng hạn; bước không có thời hạn (như tiếp nhận) không tính vào tỷ lệ. Bước đang mở tính đến hiện tại.',
                'The steps each unit handled, including for dossiers received elsewhere, against each step’s own deadline. Early counts as on time; a step without a deadline (such as reception) is left out of the share. Open steps are counted as of now.',
              )}
            </caption>
            <thead>
              <tr>
                <th scope="col">{tr('Đơn vị xử lý / bước', 'Handling unit / step')}</th>
                <th scope="col" className="num">
                  {tr('Hoàn thành trong kỳ', 'Finished in period')}
                </th>
                <th scope="col" className="num">
                  {tr('Đúng hạn', 'On time')}
                </th>
                <th scope="col" className="num">
                  {tr('Trễ hạn', 'Late')}
                </th>
                <th scope="col" className="num">
                  {tr('Tỷ lệ đúng hạn', 'Share on time')}
                </th>
                <th scope="col" className="num">
                  {tr('Đang mở', 'Open')}
                </th>
                <th scope="col" className="num">
                  {tr('Đang mở, quá hạn bước', 'Open, past the step deadline')}
                </th>
              </tr>
            </thead>
            <tbody>
              {(list.data ?? []).length === 0 && (
                <tr>
                  <td colSpan={7} className="muted">
                    {tr('Chưa có bước nào được xử lý trong kỳ này.', 'No step handled in this period.')}
                  </td>
                </tr>
              )}
              {(list.data ?? []).map((u) => (
                <Fragment key={u.unitPath}>
                  <tr className="sv-unit-row" data-unit-id={u.unitId ?? ''}>
                    <th scope="row">{unitAt(units, u.unitPath, lang) ?? u.unitName ?? '—'}</th>
                    {figures(u)}
                  </tr>
                  {u.steps.map((s) => (
                    <tr key={`${s.procedureCode}|${s.stepId}`} className="sv-step-row" data-step-id={s.stepId}>
                      <th scope="row" className="sv-step-name">
                        {s.stepName ?? s.stepId}
                        <span className="muted small"> · {s.procedureName}</span>
                      </th>
                      {figures(s)}
                    </tr>
                  ))}
                </Fragment>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  )
}
