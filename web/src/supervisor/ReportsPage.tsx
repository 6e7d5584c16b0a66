// Biểu II.06a/VPCP/KSTT for a unit subtree and period (the 13 columns by field, with totals; CSV and XLSX exports)
// and the Decision 766 indicators, each number opening onto the list of dossiers behind it.
import { useState } from 'react'
import { api } from '../api.js'
import { useLang } from '../i18n.js'
import { Loading, PageTitle, ProblemAlert, useAsync } from '../ui.js'
import { DownloadButton, PeriodPicker, SupervisorNav, UnitPicker, useUnits } from './controls.js'
import {
  currentMonth,
  percent,
  type Counts06a,
  type DossierRef,
  type Indicators,
  type PeriodQuery,
  type Ratio,
  type Report06a,
  type ScoredRatio,
} from './data.js'

const columns: (keyof Counts06a)[] = [
  'receivedTotal',
  'receivedOnline',
  'receivedCounterOrPost',
  'carriedOver',
  'resolvedTotal',
  'resolvedEarly',
  'resolvedOnTime',
  'resolvedLate',
  'inProgressTotal',
  'inProgressWithin',
  'inProgressOverdue',
  'closed',
]

export function ReportsPage() {
  const { tr } = useLang()
  const units = useUnits()
  const [unit, setUnit] = useState('')
  const [period, setPeriod] = useState<PeriodQuery>({ month: currentMonth() })
  const query = { unit, ...period }
  const key = JSON.stringify(query)
  const report = useAsync((signal) => api<Report06a>('/api/supervision/reports/06a', { query, signal }), [key])
  const indicators = useAsync((signal) => api<Indicators>('/api/supervision/indicators', { query, signal }), [key])
  return (
    <section>
      <PageTitle title={tr('Báo cáo', 'Reports')}>
        {tr('Báo cáo 06a và chỉ số Quyết định 766', 'Report 06a and Decision 766 indicators')}
      </PageTitle>
      <SupervisorNav />
      <div className="sv-controls">
        <UnitPicker id="sv-report-unit" units={units.data} value={unit} onChange={setUnit} />
        <PeriodPicker idPrefix="sv-report-period" value={period} onChange={setPeriod} />
      </div>
      <Report06aPanel report={report.data} loading={report.loading} error={report.error} query={query} />
      <IndicatorsPanel data={indicators.data} loading={indicators.loading} error={indicators.error} />
    </section>
  )
}

function Report06aPanel({
  report,
  loading,
  error,
  query,
}: {
  report: Report06a | undefined
  loading: boolean
  error: unknown
  query: Record<string, string | number>
}) {
  const { tr, number } = useLang()
  const cells = (c: Counts06a) =>
    columns.map((k) => (
      <td key={k} className="num">
        {number(c[k])}
      </td>
    ))
  return (
    <section className="panel" aria-labelledby="sv-06a-title">
      <h2 id="sv-06a-title">
        {tr(
          'Biểu số II.06a/VPCP/KSTT — Tình hình, kết quả giải quyết TTHC',
          'Form II.06a/VPCP/KSTT — dossiers received and resolved',
        )}
      </h2>
      <div className="row sv-exports">
        <DownloadButton
          path="/api/supervision/reports/06a"
          query={{ ...query, format: 'csv' }}
          fallbackName="bieu-II.06a.csv"
        >
          {tr('Tải CSV', 'Download CSV')}
        </DownloadButton>
        <DownloadButton
          path="/api/supervision/reports/06a"
          query={{ ...query, format: 'xlsx' }}
          fallbackName="bieu-II.06a.xlsx"
        >
          {tr('Tải Excel (XLSX)', 'Download Excel (XLSX)')}
        </DownloadButton>
      </div>
      <ProblemAlert error={error} />
      {loading && !report ? (
        <Loading />
      ) : report ? (
        <div className="table-scroll">
          <table className="data sv-06a" data-testid="report-06a">
            <caption>
              {tr('Kỳ báo cáo', 'Period')}: {report.period.label} ({report.period.from} – {report.period.to})
            </caption>
            <thead>
              <tr>
                <th scope="col" rowSpan={3}>
                  {tr('STT', 'No.')}
                </th>
                <th scope="col" rowSpan={3}>
                  {tr('Lĩnh vực', 'Field')}
                </th>
                <th scope="colgroup" colSpan={4}>
                  {tr('Số hồ sơ nhận giải quyết', 'Dossiers received')}
                </th>
                <th scope="colgroup" colSpan={4}>
                  {tr('Số hồ sơ đã giải quyết', 'Dossiers resolved')}
                </th>
                <th scope="colgroup" colSpan={3}>
                  {tr('Số hồ sơ đang giải quyết', 'Dossiers in progress')}
                </th>
                <th scope="col" rowSpan={2}>
                  {tr('Rút, dừng, không tiếp nhận (motcua bổ sung)', 'Withdrawn, stopped, refused (motcua’s addition)')}
                </th>
              </tr>
              <tr>
                <th scope="col" rowSpan={1}>
                  {tr('Tổng số', 'Total')}
                </th>
                <th scope="col">{tr('Trực tuyến', 'Online')}</th>
                <th scope="col">{tr('Trực tiếp, bưu chính', 'Counter or post')}</th>
                <th scope="col">{tr('Kỳ trước chuyển qua', 'Carried over')}</th>
                <th scope="col">{tr('Tổng số', 'Total')}</th>
                <th scope="col">{tr('Trước hạn', 'Early')}</th>
                <th scope="col">{tr('Đúng hạn', 'On time')}</th>
                <th scope="col">{tr('Quá hạn', 'Late')}</th>
                <th scope="col">{tr('Tổng số', 'Total')}</th>
                <th scope="col">{tr('Trong hạn', 'Within time')}</th>
                <th scope="col">{tr('Quá hạn', 'Overdue')}</th>
              </tr>
              <tr className="sv-colnos">
                {Array.from({ length: 12 }, (_, i) => (
                  <th scope="col" key={i}>
                    ({i + 3})
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {report.rows.length === 0 && (
                <tr>
                  <td colSpan={14} className="muted">
                    {tr('Không có hồ sơ trong kỳ.', 'No dossiers in the period.')}
                  </td>
                </tr>
              )}
              {report.rows.map((r) => (
                <tr key={r.field}>
                  <td>{r.no}</td>
                  <th scope="row">{r.field}</th>
                  {cells(r)}
                </tr>
              ))}
            </tbody>
            <tfoot>
              <tr>
                <td />
                <th scope="row">{tr('Tổng cộng', 'Total')}</th>
                {cells(report.total)}
              </tr>
            </tfoot>
          </table>
        </div>
      ) : null}
    </section>
  )
}

function DossierList({ title, refs }: { title: string; refs: DossierRef[] }) {
  const { tr } = useLang()
  return (
    <div>
      <h4>
        {title} ({refs.length})
      </h4>
      {refs.length === 0 ? (
        <p className="muted small">{tr('Không có hồ sơ.', 'None.')}</p>
      ) : (
        <ul className="sv-refs">
          {refs.map((r) => (
            <li key={r.id}>{r.code ?? r.id}</li>
          ))}
        </ul>
      )}
    </div>
  )
}

function RatioCard({
  title,
  ratio,
  numLabel,
  denLabel,
  extra,
}: {
  title: string
  ratio: Ratio | ScoredRatio | { value: 'no data' }
  numLabel: string
  denLabel: string
  extra?: string
}) {
  const { tr, number } = useLang()
  const score =
    'scoreShare' in ratio && ratio.scoreShare !== null
      ? tr(
          `Điểm: ${percent(ratio.scoreShare, number)} điểm tối đa (tối đa từ ${percent(ratio.threshold, number)})`,
          `Score: ${percent(ratio.scoreShare, number)} of the maximum (full from ${percent(ratio.threshold, number)})`,
        )
      : null
  if (!('numerator' in ratio)) {
    return (
      <article className="sv-indicator" data-testid="indicator">
        <h3>{title}</h3>
        <p className="sv-big">{tr('Chưa có dữ liệu', 'No data')}</p>
        <p className="small">
          {tr('Chưa có hồ sơ nào được đánh giá trong kỳ.', 'No dossier was rated in the period.')}
        </p>
      </article>
    )
  }
  return (
    <article className="sv-indicator" data-testid="indicator">
      <h3>{title}</h3>
      <p className="sv-big">{percent(ratio.value, number)}</p>
      <p className="small">
        {numLabel}: {number(ratio.numerator)} / {denLabel}: {number(ratio.denominator)}
        {extra ? ` · ${extra}` : ''}
      </p>
      {score && (
        <p className="small" data-testid="indicator-score">
          {score}
        </p>
      )}
      <details>
        <summary>{tr('Xem hồ sơ được tính', 'Show the dossiers counted')}</summary>
        <DossierList title={numLabel} refs={ratio.dossiers.numerator} />
        <DossierList title={denLabel} refs={ratio.dossiers.denominator} />
      </details>
    </article>
  )
}

function IndicatorsPanel({ data, loading, error }: { data: Indicators | undefined; loading: boolean; error: unknown }) {
  const { tr, number } = useLang()
  return (
    <section className="panel" aria-labelledby="sv-766-title">
      <h2 id="sv-766-title">{tr('Chỉ số theo Quyết định 766/QĐ-TTg', 'Decision 766/QĐ-TTg indicators')}</h2>
      <ProblemAlert error={error} />
      {loading && !data ? (
        <Loading />
      ) : data ? (
        <div className="sv-indicators">
          <RatioCard
            title={tr('2.1 Tỷ lệ hồ sơ xử lý trước hạn, đúng hạn', '2.1 Dossiers handled early or on time')}
            ratio={data.onTimeRate}
            numLabel={tr('Đã xử lý đúng hạn hoặc đang trong hạn', 'Finished on time or still within time')}
            denLabel={tr('Tiếp nhận, xử lý trong kỳ', 'Received or handled in the period')}
          />
          <RatioCard
            title={tr('Tỷ lệ giải quyết đúng hạn (Biểu 06a)', 'On-time resolution rate (report 06a)')}
            ratio={data.resolvedOnTimeRate}
            numLabel={tr('Trước hạn và đúng hạn', 'Early or on time')}
            denLabel={tr('Đã giải quyết', 'Resolved')}
          />
          <article className="sv-indicator" data-testid="indicator">
            <h3>{tr('2.2 Thời gian giải quyết trung bình', '2.2 Average resolution time')}</h3>
            <p className="sv-big">
              {data.averageResolutionDays.value === null
                ? '—'
                : tr(
                    `${number(data.averageResolutionDays.value)} ngày làm việc`,
                    `${number(data.averageResolutionDays.value)} working days`,
                  )}
            </p>
            <p className="small">
              {tr('Hồ sơ tiếp nhận trong kỳ đã giải quyết', 'Received in the period and resolved')}:{' '}
              {number(data.averageResolutionDays.count)}
            </p>
            <details>
              <summary>{tr('Xem hồ sơ được tính', 'Show the dossiers counted')}</summary>
              <DossierList title={tr('Đã giải quyết', 'Resolved')} refs={data.averageResolutionDays.dossiers} />
            </details>
          </article>
          <RatioCard
            title={tr('3.3 Tỷ lệ hồ sơ nộp trực tuyến', '3.3 Online share')}
            ratio={data.onlineShare}
            numLabel={tr('Nộp trực tuyến', 'Online')}
            denLabel={tr('Tiếp nhận mới', 'New receipts')}
          />
          <RatioCard
            title={tr('3.6 Tỷ lệ hồ sơ thanh toán trực tuyến', '3.6 Online payment share')}
            ratio={data.onlinePaymentShare}
            numLabel={tr('Đã thanh toán trực tuyến', 'Paid online')}
            denLabel={tr('Phải nộp phí, lệ phí', 'Owed a fee')}
          />
          <RatioCard
            title={tr('4.1 Tỷ lệ hồ sơ có cấp kết quả điện tử', '4.1 Electronic results')}
            ratio={data.electronicResultShare}
            numLabel={tr('Có kết quả điện tử ký số', 'A signed electronic result')}
            denLabel={tr('Đã giải quyết, kết quả là giấy tờ', 'Resolved, the result is a document')}
          />
          <RatioCard
            title={tr('4.2 Tỷ lệ hồ sơ thực hiện số hoá', '4.2 Digitised dossiers')}
            ratio={data.digitisedShare}
            numLabel={tr('Có thành phần hồ sơ số hoá', 'A component digitised')}
            denLabel={tr('Tiếp nhận mới', 'New receipts')}
          />
          <RatioCard
            title={tr('4.3 Tỷ lệ khai thác, sử dụng lại dữ liệu số hoá', '4.3 Reuse of digitised documents')}
            ratio={data.reuseShare}
            numLabel={tr('Có giấy tờ dùng lại', 'Reused a document')}
            denLabel={tr('Tiếp nhận mới', 'New receipts')}
          />
          <RatioCard
            title={tr('Mức độ hài lòng (đánh giá trên motcua)', 'Satisfaction (motcua ratings)')}
            ratio={data.satisfaction}
            numLabel={tr('Đánh giá 4–5 sao', 'Rated 4–5')}
            denLabel={tr('Lượt đánh giá', 'Ratings')}
            {...('averageScore' in data.satisfaction && typeof data.satisfaction.averageScore === 'number'
              ? {
                  extra: tr(
                    `điểm trung bình ${number(data.satisfaction.averageScore)}`,
                    `mean score ${number(data.satisfaction.averageScore)}`,
                  ),
                }
              : {})}
          />
        </div>
      ) : null}
    </section>
  )
}
