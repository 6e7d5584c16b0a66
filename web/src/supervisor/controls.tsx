// Pieces every supervision page shares: the area's sub-menu, the unit-subtree and period pickers, sortable headers,
// and a download button for protected exports.
import { useState, type ReactNode } from 'react'
import { NavLink } from 'react-router'
import { api, apiRaw } from '../api.js'
import { useLang } from '../i18n.js'
import { ProblemAlert, useAction, useAsync, type AsyncState } from '../ui.js'
import { DateInput } from '../date-input.js'
import { currentMonth, type PeriodQuery, type SubtreeUnit, type UnitView } from './data.js'
import './supervisor.css'

export function SupervisorNav() {
  const { tr } = useLang()
  const links: [string, string, string][] = [
    ['/giam-sat', 'Quá hạn và điểm nghẽn', 'Overdue and bottlenecks'],
    ['/giam-sat/quy-trinh', 'Bản đồ nhiệt quy trình', 'Process heatmap'],
    ['/giam-sat/xu-huong', 'Xu hướng', 'Trends'],
    ['/giam-sat/bao-cao', 'Báo cáo 06a và chỉ số 766', 'Report 06a and 766 indicators'],
  ]
  return (
    <nav className="sv-tabs" aria-label={tr('Các trang giám sát', 'Supervision pages')}>
      <ul>
        {links.map(([to, vi, en]) => (
          <li key={to}>
            <NavLink to={to} end>
              {tr(vi, en)}
            </NavLink>
          </li>
        ))}
      </ul>
    </nav>
  )
}

/** The units of my subtree (my own first), loaded once per page. */
export function useUnits(): AsyncState<SubtreeUnit[]> {
  return useAsync(
    (signal) => api<{ items: SubtreeUnit[] }>('/api/supervision/units', { signal }).then((r) => r.items),
    [],
  )
}

/** '' = my own unit (the API's default); otherwise a unit below it. Indented by depth. */
export function UnitPicker({
  units,
  value,
  onChange,
  id,
}: {
  units: SubtreeUnit[] | undefined
  value: string
  onChange(v: string): void
  id: string
}) {
  const { tr, lang } = useLang()
  const depth0 = units?.[0]?.path.split('/').length ?? 0
  return (
    <div className="sv-field">
      <label htmlFor={id}>{tr('Đơn vị (cả các đơn vị trực thuộc)', 'Unit (with the units below it)')}</label>
      <select id={id} value={value} onChange={(e) => onChange(e.target.value)}>
        {(units ?? []).map((u, i) => (
          <option key={u.id} value={i === 0 ? '' : u.id}>
            {'\u00a0\u00a0'.repeat(Math.max(0, u.path.split('/').length - depth0))}
            {lang === 'en' && u.nameEn ? u.nameEn : u.name}
          </option>
        ))}
      </select>
    </div>
  )
}

/**
 * Liên thông: whose figures a step is. Per receiving unit: every step of the dossiers the unit received, wherever it
 * was handled. Per handling unit: the steps the unit handled, whoever received the dossier.
 */
export function UnitViewSwitch({
  value,
  onChange,
  name,
}: {
  value: UnitView
  onChange(v: UnitView): void
  name: string
}) {
  const { tr } = useLang()
  const options: [UnitView, string][] = [
    ['receivingUnit', tr('Theo đơn vị tiếp nhận', 'By receiving unit')],
    ['handlingUnit', tr('Theo đơn vị xử lý', 'By handling unit')],
  ]
  return (
    <fieldset className="sv-period sv-unit-view">
      <legend>{tr('Tính các bước', 'Count the steps')}</legend>
      {options.map(([v, label]) => (
        <label key={v} className="sv-radio">
          <input type="radio" name={name} value={v} checked={value === v} onChange={() => onChange(v)} /> {label}
        </label>
      ))}
    </fieldset>
  )
}

type PeriodKind = 'month' | 'quarter' | 'year' | 'range'

/** Month, quarter, year or a from–to range: exactly one, as the API wants. */
export function PeriodPicker({
  value,
  onChange,
  idPrefix,
}: {
  value: PeriodQuery
  onChange(p: PeriodQuery): void
  idPrefix: string
}) {
  const { tr } = useLang()
  const kind: PeriodKind =
    'month' in value ? 'month' : 'quarter' in value ? 'quarter' : 'year' in value ? 'year' : 'range'
  const month = currentMonth()
  const year = Number(month.slice(0, 4))
  const setKind = (k: PeriodKind) => {
    if (k === 'month') onChange({ month })
    else if (k === 'quarter') onChange({ quarter: `${year}-Q${Math.floor((Number(month.slice(5)) - 1) / 3) + 1}` })
    else if (k === 'year') onChange({ year })
    else onChange({ from: `${month}-01`, to: `${month}-28` })
  }
  return (
    <fieldset className="sv-period">
      <legend>{tr('Kỳ báo cáo', 'Reporting period')}</legend>
      <div className="sv-field">
        <label htmlFor={`${idPrefix}-kind`}>{tr('Loại kỳ', 'Kind of period')}</label>
        <select id={`${idPrefix}-kind`} value={kind} onChange={(e) => setKind(e.target.value as PeriodKind)}>
          <option value="month">{tr('Tháng', 'Month')}</option>
          <option value="quarter">{tr('Quý', 'Quarter')}</option>
          <option value="year">{tr('Năm', 'Year')}</option>
          <option value="range">{tr('Từ ngày – đến ngày', 'From – to')}</option>
        </select>
      </div>
      {'month' in value && (
        <div className="sv-field">
          <label htmlFor={`${idPrefix}-month`}>{tr('Tháng', 'Month')}</label>
          <DateInput
            month
            id={`${idPrefix}-month`}
            required
            value={value.month}
            onValue={(month) => month && onChange({ month })}
          />
        </div>
      )}
      {'quarter' in value && (
        <div className="sv-field">
          <label htmlFor={`${idPrefix}-quarter`}>{tr('Quý', 'Quarter')}</label>
          <select
            id={`${idPrefix}-quarter`}
            value={value.quarter}
            onChange={(e) => onChange({ quarter: e.target.value })}
          >
            {[year - 1, year]
              .flatMap((y) => [1, 2, 3, 4].map((q) => `${y}-Q${q}`))
              .map((q) => (
                <option key={q} value={q}>
                  {q.replace('-Q', ' – ' + tr('Quý ', 'Q'))}
                </option>
              ))}
          </select>
        </div>
      )}
      {'year' in value && (
        <div className="sv-field">
          <label htmlFor={`${idPrefix}-year`}>{tr('Năm', 'Year')}</label>
          <input
            id={`${idPrefix}-year`}
            type="number"
            min={2000}
            max={2100}
            value={value.year}
            onChange={(e) => e.target.value && onChange({ year: Number(e.target.value) })}
          />
        </div>
      )}
      {'from' in value && (
        <>
          <div className="sv-field">
            <label htmlFor={`${idPrefix}-from`}>{tr('Từ ngày', 'From')}</label>
            <DateInput
              id={`${idPrefix}-from`}
              value={value.from}
              onValue={(from) => from && onChange({ from, to: value.to })}
            />
          </div>
          <div className="sv-field">
            <label htmlFor={`${idPrefix}-to`}>{tr('Đến ngày', 'To')}</label>
            <DateInput
              id={`${idPrefix}-to`}
              value={value.to}
              onValue={(to) => to && onChange({ from: value.from, to })}
            />
          </div>
        </>
      )}
    </fieldset>
  )
}

export type SortDir = 'ascending' | 'descending'

/** A column header that sorts the table: a real button, and aria-sort on the header cell. */
export function SortHeader({
  label,
  col,
  sort,
  onSort,
  numeric,
}: {
  label: string
  col: string
  sort: { col: string; dir: SortDir }
  onSort(col: string): void
  numeric?: boolean
}) {
  const { tr } = useLang()
  const active = sort.col === col
  return (
    <th scope="col" aria-sort={active ? sort.dir : 'none'} className={numeric ? 'num' : undefined}>
      <button
        type="button"
        className="sv-sort"
        onClick={() => onSort(col)}
        title={tr('Sắp xếp theo cột này', 'Sort by this column')}
      >
        {label}
        <span aria-hidden="true" className="sv-sort-mark">
          {active ? (sort.dir === 'ascending' ? ' ▲' : ' ▼') : ' ↕'}
        </span>
      </button>
    </th>
  )
}

/** Sort state: a second click on the same column turns the order round. */
export function useSort(initial: { col: string; dir: SortDir }) {
  const [sort, setSort] = useState(initial)
  const onSort = (col: string) =>
    setSort((s) =>
      s.col === col ? { col, dir: s.dir === 'ascending' ? 'descending' : 'ascending' } : { col, dir: 'descending' },
    )
  return { sort, onSort }
}

export function compareBy<T>(key: (row: T) => string | number | null, dir: SortDir) {
  return (a: T, b: T) => {
    const x = key(a)
    const y = key(b)
    if (x === y) return 0
    if (x === null) return 1
    if (y === null) return -1
    const c = typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y), 'vi')
    return dir === 'ascending' ? c : -c
  }
}

/** Fetches a protected file with the session's token and saves it under the name the server gives. */
export function DownloadButton({
  path,
  query,
  children,
  fallbackName,
}: {
  path: string
  query: Record<string, string | number | undefined>
  children: ReactNode
  fallbackName: string
}) {
  const download = useAction(async () => {
    const res = await apiRaw(path, { query })
    const name = /filename="([^"]+)"/.exec(res.headers.get('content-disposition') ?? '')?.[1] ?? fallbackName
    const url = URL.createObjectURL(await res.blob())
    const a = document.createElement('a')
    a.href = url
    a.download = name
    document.body.appendChild(a)
    a.click()
    a.remove()
    setTimeout(() => URL.revokeObjectURL(url), 60_000)
  })
  return (
    <>
      <button type="button" className="secondary" onClick={() => void download.run()} disabled={download.busy}>
        {children}
      </button>
      <ProblemAlert error={download.error} />
    </>
  )
}
