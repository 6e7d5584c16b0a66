// /quan-tri/nhat-ky: the audit log of my subtree for supervisors and administrators, newest first, filtered by action,
// who did it, what it concerns and when, with "Xem thêm" pages.
import { useEffect, useState } from 'react'
import { api } from '../api.js'
import { useLang } from '../i18n.js'
import { PageTitle, ProblemAlert } from '../ui.js'
import { DateInput } from '../date-input.js'
import { AdminNav } from './AdminNav.js'
import type { AuditEntry } from './types.js'

interface Filters {
  action: string
  actor: string
  subjectId: string
  from: string
  to: string
}

/** A day's start in the business time zone (UTC+7) as the API's instant. */
const dayStart = (day: string, plusDays = 0) =>
  day ? new Date(new Date(`${day}T00:00:00+07:00`).getTime() + plusDays * 86_400_000).toISOString() : undefined

export function AuditPage() {
  const { tr, dateTime } = useLang()
  const [filters, setFilters] = useState<Filters>({ action: '', actor: '', subjectId: '', from: '', to: '' })
  const [applied, setApplied] = useState(filters)
  const [items, setItems] = useState<AuditEntry[]>([])
  const [cursor, setCursor] = useState<string | null>(null)
  const [error, setError] = useState<unknown>(null)
  const load = async (after: string | null) => {
    setError(null)
    try {
      const page = await api<{ items: AuditEntry[]; nextCursor: string | null }>('/api/admin/audit', {
        query: {
          action: applied.action || undefined,
          actor: applied.actor || undefined,
          subjectId: applied.subjectId || undefined,
          from: dayStart(applied.from),
          to: dayStart(applied.to, 1),
          cursor: after ?? undefined,
          limit: 50,
        },
      })
      setItems((old) => (after ? [...old, ...page.items] : page.items))
      setCursor(page.nextCursor)
    } catch (err) {
      setError(err)
    }
  }
  useEffect(() => {
    void load(null)
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [applied])
  const field = (k: keyof Filters) => ({
    value: filters[k],
    onChange: (e: { target: { value: string } }) => setFilters({ ...filters, [k]: e.target.value }),
  })
  return (
    <section>
      <PageTitle title={tr('Nhật ký kiểm toán', 'Audit log')}>{tr('Nhật ký kiểm toán', 'Audit log')}</PageTitle>
      <AdminNav />
      <form
        className="row panel"
        onSubmit={(e) => {
          e.preventDefault()
          setApplied(filters)
        }}
      >
        <label>
          {tr('Thao tác', 'Action')} <input placeholder="admin.accountCreated" {...field('action')} />
        </label>
        <label>
          {tr('Người thực hiện', 'By')} <input placeholder="quantri" {...field('actor')} />
        </label>
        <label>
          {tr('Đối tượng (mã)', 'Subject id')} <input {...field('subjectId')} />
        </label>
        <label>
          {tr('Từ ngày', 'From')}{' '}
          <DateInput value={filters.from} onValue={(from) => setFilters({ ...filters, from })} />
        </label>
        <label>
          {tr('Đến ngày', 'To')} <DateInput value={filters.to} onValue={(to) => setFilters({ ...filters, to })} />
        </label>
        <button type="submit">{tr('Lọc', 'Filter')}</button>
      </form>
      <ProblemAlert error={error} />
      <div className="table-scroll">
        <table className="data" data-testid="audit-log">
          <caption>{tr('Mới nhất trước', 'Newest first')}</caption>
          <thead>
            <tr>
              <th scope="col">{tr('Thời điểm', 'When')}</th>
              <th scope="col">{tr('Người thực hiện', 'By')}</th>
              <th scope="col">{tr('Thao tác', 'Action')}</th>
              <th scope="col">{tr('Đối tượng', 'Subject')}</th>
              <th scope="col">{tr('Chi tiết', 'Details')}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((e) => (
              <tr key={e.id}>
                <td>{dateTime(e.at)}</td>
                <td>{e.actor ?? tr('hệ thống', 'system')}</td>
                <td>
                  <code>{e.action}</code>
                </td>
                <td className="small">
                  {e.subjectType} {e.subjectId}
                </td>
                <td className="small">
                  <code>{JSON.stringify(e.data ?? {}).slice(0, 200)}</code>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {cursor && (
        <button type="button" className="secondary" onClick={() => void load(cursor)}>
          {tr('Xem thêm', 'More')}
        </button>
      )}
    </section>
  )
}
