// /thu-tuc: the public catalogue — keyword (with or without diacritics), field, agency level, online level; each hit
// with its duration and fees. The filters live in the URL so a search can be shared and the home page's box lands here.
import { useState } from 'react'
import { Link, useSearchParams } from 'react-router'
import { api } from '../api.js'
import { useLang } from '../i18n.js'
import { Loading, PageTitle, ProblemAlert, useAsync } from '../ui.js'
import { agencyLevels, durationText, label, onlineLevels } from './labels.js'
import { feeSummary, type ChannelAmount } from './fees.js'
import type { Fee, ProcedureSummary } from './types.js'

interface Hit extends ProcedureSummary {
  duration?: string
  fees?: Fee[]
}

/** One channel's amount as people read it: "Miễn phí", "8.000 đ/bản", "Theo quy định của địa phương". */
export function AmountText({ amount }: { amount: ChannelAmount }) {
  const { tr, number } = useLang()
  if (amount.amountVnd === null) return <>{tr('Theo quy định của địa phương', 'Set by the province')}</>
  if (amount.amountVnd === 0) return <>{tr('Miễn phí', 'Free')}</>
  return (
    <>
      {/* A no-break space keeps "50.000 đ" on one line in a narrow column. */}
      {`${number(amount.amountVnd)}\u00a0đ`}
      {amount.perUnit && tr('/bản', ' per copy')}
    </>
  )
}

/** The procedure's own fee (not optional or conditional ones), per channel where the amounts differ. */
export function FeeText({ fees }: { fees: Fee[] | undefined }) {
  const { tr } = useLang()
  const summary = feeSummary(fees)
  if (summary.kind === 'none') return <>{tr('Không mất phí', 'Free')}</>
  if (summary.kind === 'same') return <AmountText amount={summary.amount} />
  return (
    <>
      {tr('Trực tuyến', 'Online')}: <AmountText amount={summary.online} />
      <br />
      {tr('Tại quầy', 'At the counter')}: <AmountText amount={summary.counter} />
    </>
  )
}

export function CataloguePage() {
  const { tr, lang } = useLang()
  const [params, setParams] = useSearchParams()
  const filters = {
    q: params.get('q') ?? '',
    field: params.get('field') ?? '',
    agencyLevel: params.get('agencyLevel') ?? '',
    onlineLevel: params.get('onlineLevel') ?? '',
  }
  const [q, setQ] = useState(filters.q)
  const fields = useAsync(async (signal) => {
    const all = await api<{ items: Hit[] }>('/api/procedures', { query: { limit: 100 }, signal })
    return [...new Set(all.items.map((p) => p.field))].sort((a, b) => a.localeCompare(b, 'vi'))
  }, [])
  const result = useAsync(
    (signal) => api<{ items: Hit[]; total: number }>('/api/procedures', { query: { ...filters, limit: 50 }, signal }),
    [filters.q, filters.field, filters.agencyLevel, filters.onlineLevel],
  )
  const set = (key: string, value: string) => {
    const next = new URLSearchParams(params)
    if (value) next.set(key, value)
    else next.delete(key)
    setParams(next)
  }
  return (
    <section>
      <PageTitle title={tr('Thủ tục hành chính', 'Administrative procedures')}>
        {tr('Thủ tục hành chính', 'Administrative procedures')}
      </PageTitle>
      <form
        role="search"
        className="filters panel"
        onSubmit={(e) => {
          e.preventDefault()
          set('q', q.trim())
        }}
      >
        <div className="filter">
          <label htmlFor="cat-q">{tr('Từ khoá (có thể gõ không dấu)', 'Keywords (diacritics optional)')}</label>
          <input
            id="cat-q"
            type="search"
            value={q}
            onChange={(e) => setQ(e.target.value)}
            placeholder={tr('Ví dụ: khai sinh', 'E.g. khai sinh')}
          />
        </div>
        <div className="filter">
          <label htmlFor="cat-field">{tr('Lĩnh vực', 'Field')}</label>
          <select id="cat-field" value={filters.field} onChange={(e) => set('field', e.target.value)}>
            <option value="">{tr('Tất cả', 'All')}</option>
            {(fields.data ?? []).map((f) => (
              <option key={f} value={f}>
                {f}
              </option>
            ))}
          </select>
        </div>
        <div className="filter">
          <label htmlFor="cat-level">{tr('Cấp thực hiện', 'Agency level')}</label>
          <select id="cat-level" value={filters.agencyLevel} onChange={(e) => set('agencyLevel', e.target.value)}>
            <option value="">{tr('Tất cả', 'All')}</option>
            {Object.entries(agencyLevels).map(([k, v]) => (
              <option key={k} value={k}>
                {v[lang]}
              </option>
            ))}
          </select>
        </div>
        <div className="filter">
          <label htmlFor="cat-online">{tr('Mức độ trực tuyến', 'Online level')}</label>
          <select id="cat-online" value={filters.onlineLevel} onChange={(e) => set('onlineLevel', e.target.value)}>
            <option value="">{tr('Tất cả', 'All')}</option>
            {Object.entries(onlineLevels).map(([k, v]) => (
              <option key={k} value={k}>
                {v[lang]}
              </option>
            ))}
          </select>
        </div>
        <div className="filter filter-submit">
          <button type="submit">{tr('Tìm kiếm', 'Search')}</button>
        </div>
      </form>
      <ProblemAlert error={result.error} />
      {result.loading && !result.data ? (
        <Loading />
      ) : (
        result.data && (
          <>
            <p role="status" aria-live="polite">
              {tr(`Tìm thấy ${result.data.total} thủ tục`, `${result.data.total} procedure(s) found`)}
            </p>
            <div className="table-scroll">
              <table className="data stack">
                <thead>
                  <tr>
                    <th scope="col">{tr('Tên thủ tục', 'Procedure')}</th>
                    <th scope="col">{tr('Lĩnh vực', 'Field')}</th>
                    <th scope="col">{tr('Cấp', 'Level')}</th>
                    <th scope="col">{tr('Trực tuyến', 'Online')}</th>
                    <th scope="col">{tr('Thời hạn giải quyết', 'Duration')}</th>
                    <th scope="col">{tr('Phí, lệ phí', 'Fees')}</th>
                  </tr>
                </thead>
                <tbody>
                  {result.data.items.map((p) => (
                    <tr key={p.slug}>
                      <td data-label={tr('Tên thủ tục', 'Procedure')}>
                        <Link to={`/thu-tuc/${p.slug}`}>{p.name}</Link>
                        <div className="muted small">
                          {tr('Mã', 'Code')} {p.code}
                        </div>
                      </td>
                      <td data-label={tr('Lĩnh vực', 'Field')}>{p.field}</td>
                      <td data-label={tr('Cấp', 'Level')}>{label(agencyLevels, p.agencyLevel, lang)}</td>
                      <td data-label={tr('Trực tuyến', 'Online')}>{label(onlineLevels, p.onlineLevel, lang)}</td>
                      <td data-label={tr('Thời hạn giải quyết', 'Duration')}>
                        {p.duration ? durationText(p.duration, lang) : '—'}
                      </td>
                      <td data-label={tr('Phí, lệ phí', 'Fees')}>
                        <FeeText fees={p.fees} />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </>
        )
      )}
    </section>
  )
}
