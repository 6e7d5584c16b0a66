// /so-lieu-cong-khai: the public daily figures (GET /api/supervision/public/daily) — per agency, the dossiers received
// that day, those settled early, on time and late, the on-time share and those in progress past their due date, as
// provincial portals publish them. Counts only, no personal data. The day lives in the URL (?ngay=YYYY-MM-DD).
import { useState } from 'react'
import { useSearchParams } from 'react-router'
import { api } from '../api.js'
import { useLang } from '../i18n.js'
import { Loading, PageTitle, ProblemAlert, useAsync } from '../ui.js'

interface AgencyDay {
  agency: string
  agencyEn: string | null
  agencyCode: string | null
  received: number
  resolved: number
  early: number
  onTime: number
  late: number
  onTimeRate: number | null
  inProgressOverdue: number
}

const MS_PER_DAY = 86_400_000
/** Today in Vietnam (UTC+7), as YYYY-MM-DD. */
const today = () => new Date(Date.now() + 7 * 3_600_000).toISOString().slice(0, 10)
const shift = (day: string, days: number) =>
  new Date(Date.parse(`${day}T00:00:00Z`) + days * MS_PER_DAY).toISOString().slice(0, 10)
const isDay = (s: string | null): s is string =>
  !!s && /^\d{4}-\d{2}-\d{2}$/.test(s) && !Number.isNaN(Date.parse(`${s}T00:00:00Z`))

/** "25/11/2026" → "2026-11-25"; anything else → undefined. */
function parseTyped(text: string): string | undefined {
  const m = /^\s*(\d{1,2})\/(\d{1,2})\/(\d{4})\s*$/.exec(text)
  if (!m) return undefined
  const day = `${m[3]}-${m[2]!.padStart(2, '0')}-${m[1]!.padStart(2, '0')}`
  // A day that does not exist (31/02) comes back from Date as another day.
  return isDay(day) && new Date(`${day}T00:00:00Z`).toISOString().startsWith(day) ? day : undefined
}

const columns = [
  ['received', 'Tiếp nhận', 'Received'],
  ['resolved', 'Đã giải quyết', 'Settled'],
  ['early', 'Trước hạn', 'Early'],
  ['onTime', 'Đúng hạn', 'On time'],
  ['late', 'Quá hạn', 'Late'],
] as const

export function PublicFiguresPage() {
  const { tr, lang, date, number } = useLang()
  const [params, setParams] = useSearchParams()
  const asked = params.get('ngay')
  const day = isDay(asked) && asked <= today() ? asked : today()
  const [typed, setTyped] = useState('')
  const [typedWrong, setTypedWrong] = useState(false)
  const figures = useAsync(
    (signal) =>
      api<{ date: string; units: AgencyDay[] }>('/api/supervision/public/daily', { query: { date: day }, signal }),
    [day],
  )
  const go = (next: string) => setParams(next === today() ? {} : { ngay: next })
  const rate = (r: number | null) =>
    r === null
      ? '—'
      : `${new Intl.NumberFormat(lang === 'vi' ? 'vi-VN' : 'en-GB', { maximumFractionDigits: 1 }).format(r * 100)} %`
  // The figures of the day shown, never those of the day before while the new day loads: the caption names the day.
  const shown = figures.data?.date === day ? figures.data : undefined
  const units = shown?.units ?? []
  const total = columns.map(([key]) => units.reduce((sum, u) => sum + u[key], 0))
  const totalResolved = units.reduce((s, u) => s + u.resolved, 0)
  const totalOnTime = units.reduce((s, u) => s + u.early + u.onTime, 0)
  return (
    <section>
      <PageTitle title={tr('Kết quả giải quyết hồ sơ theo ngày', 'Dossiers settled, day by day')}>
        {tr('Kết quả giải quyết hồ sơ theo ngày', 'Dossiers settled, day by day')}
      </PageTitle>
      <p>
        {tr(
          'Số hồ sơ mỗi cơ quan tiếp nhận trong ngày, số hồ sơ đã giải quyết (trước hạn, đúng hạn, quá hạn) và số hồ sơ đang giải quyết đã quá hạn. Chỉ có số liệu tổng hợp, không có thông tin cá nhân.',
          'For each agency: the dossiers received that day, those settled (early, on time, late) and those still in progress past their due date. Totals only, no personal data.',
        )}
      </p>
      <div className="row figures-day" role="group" aria-label={tr('Chọn ngày', 'Choose the day')}>
        <button type="button" className="secondary" onClick={() => go(shift(day, -1))}>
          {tr('← Ngày trước', '← Previous day')}
        </button>
        <strong data-testid="figures-day">{date(day)}</strong>
        <button type="button" className="secondary" onClick={() => go(shift(day, 1))} disabled={day >= today()}>
          {tr('Ngày sau →', 'Next day →')}
        </button>
        {day !== today() && (
          <button type="button" className="link-button" onClick={() => go(today())}>
            {tr('Hôm nay', 'Today')}
          </button>
        )}
      </div>
      <form
        className="row"
        onSubmit={(e) => {
          e.preventDefault()
          const next = parseTyped(typed)
          setTypedWrong(!next || next > today())
          if (next && next <= today()) go(next)
        }}
      >
        <label htmlFor="figures-date">{tr('Xem ngày (dd/mm/yyyy)', 'Show the day (dd/mm/yyyy)')}</label>
        <input
          id="figures-date"
          inputMode="numeric"
          placeholder="25/11/2026"
          value={typed}
          onChange={(e) => setTyped(e.target.value)}
          aria-invalid={typedWrong}
          aria-describedby={typedWrong ? 'figures-date-error' : undefined}
        />
        <button type="submit">{tr('Xem', 'Show')}</button>
      </form>
      {typedWrong && (
        <p id="figures-date-error" className="alert alert-error" role="alert">
          {tr(
            'Ngày không hợp lệ: nhập theo dạng ngày/tháng/năm, không sau hôm nay.',
            'Not a valid day: type day/month/year, not after today.',
          )}
        </p>
      )}
      <ProblemAlert error={figures.error} />
      {!shown ? (
        !figures.error && <Loading />
      ) : units.length === 0 ? (
        <p className="muted" data-testid="figures-empty">
          {tr(
            'Ngày này chưa có hồ sơ nào được tiếp nhận hoặc giải quyết.',
            'No dossier was received or settled that day.',
          )}
        </p>
      ) : (
        <div className="table-scroll">
          <table className="data stack" data-testid="public-figures">
            <caption className="muted small">{tr(`Số liệu ngày ${date(day)}`, `Figures for ${date(day)}`)}</caption>
            <thead>
              <tr>
                <th scope="col">{tr('Cơ quan', 'Agency')}</th>
                {columns.map(([key, vi, en]) => (
                  <th scope="col" key={key}>
                    {tr(vi, en)}
                  </th>
                ))}
                <th scope="col">{tr('Tỉ lệ đúng hạn', 'On-time share')}</th>
                <th scope="col">{tr('Đang giải quyết quá hạn', 'In progress, overdue')}</th>
              </tr>
            </thead>
            <tbody>
              {units.map((u) => (
                <tr key={`${u.agencyCode ?? ''}${u.agency}`}>
                  <th scope="row" data-label={tr('Cơ quan', 'Agency')}>
                    {lang === 'en' && u.agencyEn ? u.agencyEn : u.agency}
                  </th>
                  {columns.map(([key, vi, en]) => (
                    <td key={key} data-label={tr(vi, en)}>
                      {number(u[key])}
                    </td>
                  ))}
                  <td data-label={tr('Tỉ lệ đúng hạn', 'On-time share')}>{rate(u.onTimeRate)}</td>
                  <td data-label={tr('Đang giải quyết quá hạn', 'In progress, overdue')}>
                    {number(u.inProgressOverdue)}
                  </td>
                </tr>
              ))}
            </tbody>
            {units.length > 1 && (
              <tfoot>
                <tr>
                  <th scope="row" data-label={tr('Cơ quan', 'Agency')}>
                    {tr('Tổng cộng', 'Total')}
                  </th>
                  {columns.map(([key, vi, en], i) => (
                    <td key={key} data-label={tr(vi, en)}>
                      {number(total[i]!)}
                    </td>
                  ))}
                  <td data-label={tr('Tỉ lệ đúng hạn', 'On-time share')}>
                    {rate(totalResolved === 0 ? null : totalOnTime / totalResolved)}
                  </td>
                  <td data-label={tr('Đang giải quyết quá hạn', 'In progress, overdue')}>
                    {number(units.reduce((s, u) => s + u.inProgressOverdue, 0))}
                  </td>
                </tr>
              </tfoot>
            )}
          </table>
        </div>
      )}
    </section>
  )
}
