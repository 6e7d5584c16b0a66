// On-time rate and volumes month by month for a unit subtree: two charts (Chart.js, loaded on this page only), each
// with a text summary, and the table of the same numbers. One Biểu II.06a request per month gives the counts.
import { useEffect, useRef, useState } from 'react'
import type { ChartConfiguration } from 'chart.js'
import { api } from '../api.js'
import { useLang } from '../i18n.js'
import { Loading, PageTitle, ProblemAlert, useAsync } from '../ui.js'
import { SupervisorNav, UnitPicker, useUnits } from './controls.js'
import { currentMonth, monthsEndingWith, percent, type Report06a } from './data.js'

interface MonthFigures {
  month: string
  received: number
  resolved: number
  onTime: number
  late: number
  overdueOpen: number
  onTimeRate: number | null
}

function figures(month: string, r: Report06a): MonthFigures {
  const t = r.total
  const onTime = t.resolvedEarly + t.resolvedOnTime
  return {
    month,
    received: t.receivedOnline + t.receivedCounterOrPost,
    resolved: t.resolvedTotal,
    onTime,
    late: t.resolvedLate,
    overdueOpen: t.inProgressOverdue,
    onTimeRate: t.resolvedTotal === 0 ? null : onTime / t.resolvedTotal,
  }
}

function ChartCanvas({ config, label, testId }: { config: ChartConfiguration; label: string; testId: string }) {
  const ref = useRef<HTMLCanvasElement>(null)
  const [error, setError] = useState<unknown>(null)
  useEffect(() => {
    const canvas = ref.current
    if (!canvas) return
    let chart: { destroy(): void } | undefined
    let cancelled = false
    import('./charts.js').then(
      ({ drawChart }) => {
        if (!cancelled) chart = drawChart(canvas, config)
      },
      (err) => setError(err),
    )
    return () => {
      cancelled = true
      chart?.destroy()
    }
  }, [config])
  return (
    <>
      <div className="sv-chart">
        <canvas ref={ref} role="img" aria-label={label} data-testid={testId} />
      </div>
      <ProblemAlert error={error} />
    </>
  )
}

export function TrendsPage() {
  const { tr, number, lang } = useLang()
  const units = useUnits()
  const [unit, setUnit] = useState('')
  const [count, setCount] = useState(6)
  const data = useAsync(
    async (signal) => {
      const months = monthsEndingWith(currentMonth(), count)
      return Promise.all(
        months.map(async (month) =>
          figures(month, await api<Report06a>('/api/supervision/reports/06a', { query: { unit, month }, signal })),
        ),
      )
    },
    [unit, count],
  )

  const months = data.data ?? []
  const monthLabel = (m: string) =>
    lang === 'vi' ? `${m.slice(5)}/${m.slice(0, 4)}` : `${m.slice(0, 4)}-${m.slice(5)}`
  const [rateConfig, volumeConfig] = useChartConfigs(months, monthLabel)
  const rates = months.map((m) => `${monthLabel(m.month)}: ${percent(m.onTimeRate, number)}`).join('; ')
  const volumes = months
    .map((m) =>
      tr(
        `${monthLabel(m.month)}: nhận ${m.received}, đúng hạn ${m.onTime}, quá hạn ${m.late}`,
        `${monthLabel(m.month)}: received ${m.received}, on time ${m.onTime}, late ${m.late}`,
      ),
    )
    .join('; ')

  return (
    <section>
      <PageTitle title={tr('Xu hướng', 'Trends')}>{tr('Xu hướng giải quyết hồ sơ', 'Dossier trends')}</PageTitle>
      <SupervisorNav />
      <div className="sv-controls">
        <UnitPicker id="sv-trend-unit" units={units.data} value={unit} onChange={setUnit} />
        <div className="sv-field">
          <label htmlFor="sv-trend-months">{tr('Số tháng', 'Months')}</label>
          <select id="sv-trend-months" value={count} onChange={(e) => setCount(Number(e.target.value))}>
            {[3, 6, 12].map((n) => (
              <option key={n} value={n}>
                {n}
              </option>
            ))}
          </select>
        </div>
      </div>
      <ProblemAlert error={data.error} />
      {data.loading && !data.data && <Loading />}
      {rateConfig && volumeConfig && (
        <div className="sv-charts">
          <figure className="panel">
            <figcaption>
              <h2>{tr('Tỷ lệ giải quyết đúng hạn (trước hạn + đúng hạn)', 'On-time rate (early + on time)')}</h2>
            </figcaption>
            <ChartCanvas
              testId="chart-on-time"
              config={rateConfig}
              label={tr(`Tỷ lệ đúng hạn theo tháng. ${rates}`, `On-time rate by month. ${rates}`)}
            />
          </figure>
          <figure className="panel">
            <figcaption>
              <h2>{tr('Số hồ sơ theo tháng', 'Dossiers by month')}</h2>
            </figcaption>
            <ChartCanvas
              testId="chart-volume"
              config={volumeConfig}
              label={tr(`Số hồ sơ theo tháng. ${volumes}`, `Dossiers by month. ${volumes}`)}
            />
          </figure>
        </div>
      )}
      {months.length > 0 && (
        <div className="table-scroll">
          <table className="data" data-testid="trend-table">
            <caption>{tr('Số liệu của hai biểu đồ theo tháng', 'The figures of both charts by month')}</caption>
            <thead>
              <tr>
                <th scope="col">{tr('Tháng', 'Month')}</th>
                <th scope="col" className="num">
                  {tr('Tiếp nhận mới', 'New receipts')}
                </th>
                <th scope="col" className="num">
                  {tr('Đã giải quyết', 'Resolved')}
                </th>
                <th scope="col" className="num">
                  {tr('Trước hạn và đúng hạn', 'Early or on time')}
                </th>
                <th scope="col" className="num">
                  {tr('Quá hạn', 'Late')}
                </th>
                <th scope="col" className="num">
                  {tr('Tỷ lệ đúng hạn', 'On-time rate')}
                </th>
                <th scope="col" className="num">
                  {tr('Đang giải quyết quá hạn (cuối tháng)', 'In progress overdue (month end)')}
                </th>
              </tr>
            </thead>
            <tbody>
              {months.map((m) => (
                <tr key={m.month}>
                  <th scope="row">{monthLabel(m.month)}</th>
                  <td className="num">{number(m.received)}</td>
                  <td className="num">{number(m.resolved)}</td>
                  <td className="num">{number(m.onTime)}</td>
                  <td className="num">{number(m.late)}</td>
                  <td className="num">{percent(m.onTimeRate, number)}</td>
                  <td className="num">{number(m.overdueOpen)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  )
}

/** The two chart configurations, rebuilt only when the numbers or the language change. */
function useChartConfigs(
  months: MonthFigures[],
  monthLabel: (m: string) => string,
): [ChartConfiguration | null, ChartConfiguration | null] {
  const { tr, lang } = useLang()
  const [configs, setConfigs] = useState<[ChartConfiguration | null, ChartConfiguration | null]>([null, null])
  const key = JSON.stringify(months) + lang
  useEffect(() => {
    if (months.length === 0) return setConfigs([null, null])
    const labels = months.map((m) => monthLabel(m.month))
    const common = { responsive: true, maintainAspectRatio: false, animation: false as const }
    setConfigs([
      {
        type: 'line',
        data: {
          labels,
          datasets: [
            {
              label: tr('Tỷ lệ đúng hạn (%)', 'On-time rate (%)'),
              data: months.map((m) => (m.onTimeRate === null ? null : Math.round(m.onTimeRate * 1000) / 10)),
              borderColor: '#1b6e3a',
              backgroundColor: '#1b6e3a',
              spanGaps: true,
            },
          ],
        },
        options: { ...common, scales: { y: { min: 0, max: 100, title: { display: true, text: '%' } } } },
      },
      {
        type: 'bar',
        data: {
          labels,
          datasets: [
            {
              label: tr('Tiếp nhận mới', 'New receipts'),
              data: months.map((m) => m.received),
              backgroundColor: '#1a56db',
            },
            {
              label: tr('Giải quyết đúng hạn', 'Resolved on time'),
              data: months.map((m) => m.onTime),
              backgroundColor: '#1b6e3a',
            },
            {
              label: tr('Giải quyết quá hạn', 'Resolved late'),
              data: months.map((m) => m.late),
              backgroundColor: '#9b1c1c',
            },
          ],
        },
        options: { ...common, scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } },
      },
    ])
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key])
  return configs
}
