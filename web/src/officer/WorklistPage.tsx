// /can-bo: the officer's worklist — tasks of my units and groups by due time, filters, "Của tôi", cursor pages
// ("Xem thêm"), overdue in red and due within a working day in amber (always with the words too), claim and unclaim
// with another officer's claim (409) said plainly.
import { useCallback, useEffect, useState } from 'react'
import { Link, useSearchParams } from 'react-router'
import { api } from '../api.js'
import { useAuth } from '../auth.js'
import { useLang } from '../i18n.js'
import { PageTitle, ProblemAlert, StatusBadge, dueClass, problemOf, useAsync } from '../ui.js'
import { DateInput } from '../date-input.js'
import { dossierStatuses } from '../../../src/domain/dossier/status.js'
import type { DossierSummary, ProcedureSummary } from '../citizen/types.js'
import { dueState } from './due.js'

export interface WorkItem {
  taskKey: string
  taskName: string
  elementId: string
  candidateGroups: string[]
  assignee: string | null
  dueAt: string | null
  createdAt: string
  dossier: DossierSummary
}

export function DueText({
  dueAt,
  overdue,
  dossierOverdue,
}: {
  dueAt: string | null
  overdue?: boolean
  dossierOverdue: boolean
}) {
  const { tr, dateTime } = useLang()
  const s = dueState(dueAt, dossierOverdue)
  return (
    <>
      {dateTime(dueAt)}
      {(overdue ?? s.overdue) && <strong className="due-word"> {tr('Quá hạn', 'Overdue')}</strong>}
      {!(overdue ?? s.overdue) && s.dueSoon && <strong className="due-word"> {tr('Sắp đến hạn', 'Due soon')}</strong>}
    </>
  )
}

/** Claim or give back a task; a 409 answers with who holds it in the problem. */
export async function claimTask(taskKey: string, claim: boolean): Promise<void> {
  await api(`/api/tasks/${encodeURIComponent(taskKey)}/${claim ? 'claim' : 'unclaim'}`, { method: 'POST' })
}

interface Filters {
  procedure: string
  status: string
  dueBefore: string
  overdue: boolean
  q: string
  mine: boolean
}

/** The end of a chosen day in the business time zone (UTC+7, no daylight saving), as the API's instant. */
const endOfDay = (day: string) => (day ? new Date(`${day}T23:59:59+07:00`).toISOString() : undefined)

export function WorklistPage() {
  const { tr, lang } = useLang()
  const { user } = useAuth()
  const [params, setParams] = useSearchParams()
  const filters: Filters = {
    procedure: params.get('procedure') ?? '',
    status: params.get('status') ?? '',
    dueBefore: params.get('dueBefore') ?? '',
    overdue: params.get('overdue') === '1',
    q: params.get('q') ?? '',
    mine: params.get('mine') === '1',
  }
  const [q, setQ] = useState(filters.q)
  const [items, setItems] = useState<WorkItem[]>([])
  const [cursor, setCursor] = useState<string | null>(null)
  const [loading, setLoading] = useState(true)
  const [error, setError] = useState<unknown>(null)
  const [notice, setNotice] = useState<unknown>(null)
  const [tick, setTick] = useState(0)
  const procedures = useAsync(
    (signal) => api<{ items: ProcedureSummary[] }>('/api/procedures', { query: { limit: 100 }, signal }),
    [],
  )

  const query = useCallback(
    (after?: string) => ({
      procedure: filters.procedure || undefined,
      status: filters.status || undefined,
      dueBefore: endOfDay(filters.dueBefore),
      overdue: filters.overdue ? true : undefined,
      q: filters.q || undefined,
      mine: filters.mine ? true : undefined,
      limit: 25,
      cursor: after,
    }),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [params.toString()],
  )

  useEffect(() => {
    const ctl = new AbortController()
    setLoading(true)
    setError(null)
    api<{ items: WorkItem[]; nextCursor: string | null }>('/api/tasks', { query: query(), signal: ctl.signal }).then(
      (page) => {
        setItems(page.items)
        setCursor(page.nextCursor)
        setLoading(false)
      },
      (err) => {
        if (ctl.signal.aborted) return
        setError(err)
        setLoading(false)
      },
    )
    return () => ctl.abort()
  }, [query, tick])

  const more = async () => {
    if (!cursor) return
    setLoading(true)
    try {
      const page = await api<{ items: WorkItem[]; nextCursor: string | null }>('/api/tasks', { query: query(cursor) })
      setItems((xs) => [...xs, ...page.items])
      setCursor(page.nextCursor)
    } catch (err) {
      setError(err)
    } finally {
      setLoading(false)
    }
  }

  const set = (patch: Partial<Record<keyof Filters, string>>) => {
    const next = new URLSearchParams(params)
    for (const [k, v] of Object.entries(patch)) {
      if (v) next.set(k, v)
      else next.delete(k)
    }
    setParams(next)
  }

  const toggleClaim = async (item: WorkItem, claim: boolean) => {
    setNotice(null)
    try {
      await claimTask(item.taskKey, claim)
      // Shown at once; the reload below confirms it.
      setItems((xs) =>
        xs.map((x) => (x.taskKey === item.taskKey ? { ...x, assignee: claim ? (user?.userId ?? null) : null } : x)),
      )
      setNotice({
        ok: claim
          ? tr(
              `Bạn đã nhận xử lý: ${item.taskName} — ${item.dossier.code ?? item.dossier.applicantName ?? ''}.`,
              `You claimed: ${item.taskName} — ${item.dossier.code ?? item.dossier.applicantName ?? ''}.`,
            )
          : tr('Đã trả công việc về nhóm.', 'The task is back with the group.'),
      })
    } catch (err) {
      setNotice(err)
    }
    setTick((n) => n + 1)
  }

  return (
    <section>
      <PageTitle title={tr('Nhiệm vụ', 'Tasks')}>{tr('Danh sách công việc', 'Worklist')}</PageTitle>
      <p className="row">
        <Link className="button secondary" to="/can-bo/tiep-nhan">
          {tr('Tiếp nhận hồ sơ trực tiếp', 'Enter a walk-in dossier')}
        </Link>
      </p>
      <form
        className="filters panel"
        role="search"
        aria-label={tr('Lọc công việc', 'Filter tasks')}
        onSubmit={(e) => {
          e.preventDefault()
          set({ q: q.trim() })
          // The same filter again still looks again: new tasks arrive all the time.
          setTick((n) => n + 1)
        }}
      >
        <div className="filter">
          <label htmlFor="wl-q">{tr('Mã hồ sơ hoặc tên người nộp', 'Dossier code or applicant')}</label>
          <input id="wl-q" type="search" value={q} onChange={(e) => setQ(e.target.value)} />
        </div>
        <div className="filter">
          <label htmlFor="wl-procedure">{tr('Thủ tục', 'Procedure')}</label>
          <select id="wl-procedure" value={filters.procedure} onChange={(e) => set({ procedure: e.target.value })}>
            <option value="">{tr('Tất cả', 'All')}</option>
            {(procedures.data?.items ?? []).map((p) => (
              <option key={p.slug} value={p.slug}>
                {p.name}
              </option>
            ))}
          </select>
        </div>
        <div className="filter">
          <label htmlFor="wl-status">{tr('Trạng thái hồ sơ', 'Dossier status')}</label>
          <select id="wl-status" value={filters.status} onChange={(e) => set({ status: e.target.value })}>
            <option value="">{tr('Tất cả', 'All')}</option>
            {Object.entries(dossierStatuses).map(([n, s]) => (
              <option key={n} value={n}>
                {s[lang]}
              </option>
            ))}
          </select>
        </div>
        <div className="filter">
          <label htmlFor="wl-due">{tr('Hạn trước ngày', 'Due before')}</label>
          <DateInput id="wl-due" value={filters.dueBefore} onValue={(dueBefore) => set({ dueBefore })} />
        </div>
        <div className="filter checks">
          <label>
            <input
              type="checkbox"
              checked={filters.overdue}
              onChange={(e) => set({ overdue: e.target.checked ? '1' : '' })}
            />{' '}
            {tr('Chỉ hồ sơ quá hạn', 'Overdue only')}
          </label>
          <label>
            <input
              type="checkbox"
              checked={filters.mine}
              onChange={(e) => set({ mine: e.target.checked ? '1' : '' })}
            />{' '}
            {tr('Của tôi', 'Mine')}
          </label>
        </div>
        <div className="filter filter-submit">
          <button type="submit">{tr('Lọc', 'Filter')}</button>
        </div>
      </form>
      <ClaimNotice notice={notice} />
      <ProblemAlert error={error} />
      <div className="table-scroll">
        <table className="data stack worklist">
          <caption className="visually-hidden">{tr('Công việc, sắp xếp theo hạn xử lý', 'Tasks by due time')}</caption>
          <thead>
            <tr>
              <th scope="col">{tr('Hạn xử lý', 'Due')}</th>
              <th scope="col">{tr('Mã hồ sơ', 'Code')}</th>
              <th scope="col">{tr('Công việc', 'Task')}</th>
              <th scope="col">{tr('Thủ tục', 'Procedure')}</th>
              <th scope="col">{tr('Người nộp', 'Applicant')}</th>
              <th scope="col">{tr('Trạng thái', 'Status')}</th>
              <th scope="col">{tr('Người xử lý', 'Holder')}</th>
              <th scope="col">{tr('Thao tác', 'Actions')}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((it) => {
              const due = dueState(it.dueAt, it.dossier.overdue)
              const ref = it.dossier.code ?? tr('(chưa có mã)', '(no code yet)')
              return (
                <tr key={it.taskKey} className={dueClass(due)} data-task={it.taskKey}>
                  <td data-label={tr('Hạn xử lý', 'Due')}>
                    <DueText dueAt={it.dueAt} overdue={due.overdue} dossierOverdue={it.dossier.overdue} />
                  </td>
                  <td data-label={tr('Mã hồ sơ', 'Code')}>
                    <Link
                      to={`/can-bo/nhiem-vu/${encodeURIComponent(it.taskKey)}`}
                      aria-label={`${tr('Mở công việc', 'Open task')} ${it.taskName} — ${ref}`}
                    >
                      {ref}
                    </Link>
                  </td>
                  <td data-label={tr('Công việc', 'Task')}>{it.taskName}</td>
                  <td data-label={tr('Thủ tục', 'Procedure')}>{it.dossier.procedureName}</td>
                  <td data-label={tr('Người nộp', 'Applicant')}>{it.dossier.applicantName}</td>
                  <td data-label={tr('Trạng thái', 'Status')}>
                    <StatusBadge status={it.dossier.status} />
                  </td>
                  <td data-label={tr('Người xử lý', 'Holder')}>
                    {it.assignee === null
                      ? tr('Chưa ai nhận', 'Unclaimed')
                      : it.assignee === user?.userId
                        ? tr('Tôi', 'Me')
                        : tr('Cán bộ khác', 'Another officer')}
                  </td>
                  <td data-label={tr('Thao tác', 'Actions')}>
                    {it.assignee === user?.userId ? (
                      <button
                        type="button"
                        className="secondary"
                        onClick={() => void toggleClaim(it, false)}
                        aria-label={`${tr('Trả lại', 'Give back')} ${ref}`}
                      >
                        {tr('Trả lại', 'Give back')}
                      </button>
                    ) : (
                      <button
                        type="button"
                        onClick={() => void toggleClaim(it, true)}
                        aria-label={`${tr('Nhận xử lý', 'Claim')} ${ref}`}
                      >
                        {tr('Nhận xử lý', 'Claim')}
                      </button>
                    )}
                  </td>
                </tr>
              )
            })}
          </tbody>
        </table>
      </div>
      {!loading && items.length === 0 && !error && <p>{tr('Không có công việc nào.', 'No tasks.')}</p>}
      {loading && (
        <p role="status" className="muted">
          {tr('Đang tải…', 'Loading…')}
        </p>
      )}
      {cursor && !loading && (
        <p>
          <button type="button" className="secondary" onClick={() => void more()}>
            {tr('Xem thêm', 'Show more')}
          </button>
        </p>
      )}
    </section>
  )
}

/** The result of a claim: a success line, or the refusal — another officer's claim said in plain words. */
export function ClaimNotice({ notice }: { notice: unknown }) {
  const { tr } = useLang()
  if (!notice) return null
  if (typeof notice === 'object' && notice !== null && 'ok' in notice) {
    return (
      <p className="alert alert-ok" role="status">
        {(notice as { ok: string }).ok}
      </p>
    )
  }
  const p = problemOf(notice)
  if (p.code === 'MC_ERR_TASK_CLAIMED') {
    return (
      <div className="alert alert-error" role="alert" data-code={p.code}>
        <strong>
          {tr('Công việc này đã được cán bộ khác nhận xử lý.', 'Another officer has already claimed this task.')}
        </strong>{' '}
        {tr(
          'Danh sách đã được cập nhật; hãy chọn công việc khác hoặc liên hệ lãnh đạo để phân công lại.',
          'The list is refreshed; pick another task or ask your supervisor to reassign it.',
        )}
      </div>
    )
  }
  return <ProblemAlert error={notice} />
}
