// /ho-so-cua-toi: the applicant's drafts (procedure, last change; resume or delete), then the dossiers, newest first,
// with status, current step and appointment date.
import { Link } from 'react-router'
import { api } from '../api.js'
import { useLang } from '../i18n.js'
import { Loading, PageTitle, ProblemAlert, StatusBadge, dueClass, useAction, useAsync } from '../ui.js'
import type { DossierSummary, DraftSummary } from './types.js'

function MyDrafts() {
  const { tr, dateTime } = useLang()
  const drafts = useAsync((signal) => api<{ items: DraftSummary[] }>('/api/dossiers/drafts', { signal }), [])
  const remove = useAction(async (d: DraftSummary) => {
    const name = d.procedureName ?? d.procedure
    if (!window.confirm(tr(`Xóa hồ sơ nháp "${name}"?`, `Delete the draft "${name}"?`))) return
    await api(`/api/dossiers/drafts/${d.id}`, { method: 'DELETE' })
    drafts.reload()
  })
  const items = drafts.data?.items ?? []
  return (
    <>
      <ProblemAlert error={drafts.error ?? remove.error} />
      {items.length > 0 && (
        <div className="table-scroll">
          <table className="data stack">
            <caption>{tr('Hồ sơ đang soạn (chưa nộp)', 'Drafts (not submitted yet)')}</caption>
            <thead>
              <tr>
                <th scope="col">{tr('Thủ tục', 'Procedure')}</th>
                <th scope="col">{tr('Sửa lần cuối', 'Last change')}</th>
                <th scope="col">{tr('Thao tác', 'Actions')}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((d) => (
                <tr key={d.id}>
                  <td data-label={tr('Thủ tục', 'Procedure')}>{d.procedureName ?? d.procedure}</td>
                  <td data-label={tr('Sửa lần cuối', 'Last change')}>{dateTime(d.updatedAt)}</td>
                  <td data-label={tr('Thao tác', 'Actions')}>
                    <div className="row">
                      <Link className="button" to={`/nop-ho-so/${d.id}`}>
                        {tr('Tiếp tục', 'Resume')}
                        <span className="visually-hidden"> {d.procedureName ?? d.procedure}</span>
                      </Link>
                      <button
                        type="button"
                        className="secondary"
                        disabled={remove.busy}
                        onClick={() => void remove.run(d)}
                      >
                        {tr('Xóa', 'Delete')}
                        <span className="visually-hidden"> {d.procedureName ?? d.procedure}</span>
                      </button>
                    </div>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  )
}

export function MyDossiersPage() {
  const { tr, date, dateTime } = useLang()
  const list = useAsync((signal) => api<{ items: DossierSummary[] }>('/api/dossiers/mine', { signal }), [])
  return (
    <section>
      <PageTitle title={tr('Hồ sơ của tôi', 'My dossiers')}>{tr('Hồ sơ của tôi', 'My dossiers')}</PageTitle>
      <p>
        <Link className="button" to="/thu-tuc">
          {tr('Nộp hồ sơ mới', 'Apply for a procedure')}
        </Link>
      </p>
      <MyDrafts />
      <ProblemAlert error={list.error} />
      {list.loading && !list.data && <Loading />}
      {list.data && list.data.items.length === 0 && (
        <p>{tr('Bạn chưa nộp hồ sơ nào.', 'You have not submitted any dossier yet.')}</p>
      )}
      {list.data && list.data.items.length > 0 && (
        <div className="table-scroll">
          <table className="data stack">
            <thead>
              <tr>
                <th scope="col">{tr('Mã hồ sơ', 'Code')}</th>
                <th scope="col">{tr('Thủ tục', 'Procedure')}</th>
                <th scope="col">{tr('Trạng thái', 'Status')}</th>
                <th scope="col">{tr('Đang ở bước', 'Current step')}</th>
                <th scope="col">{tr('Ngày nộp', 'Submitted')}</th>
                <th scope="col">{tr('Ngày hẹn trả', 'Appointment date')}</th>
              </tr>
            </thead>
            <tbody>
              {list.data.items.map((d) => (
                <tr key={d.id} className={dueClass(d)}>
                  <td data-label={tr('Mã hồ sơ', 'Code')}>
                    <Link to={`/ho-so-cua-toi/${d.id}`}>{d.code ?? tr('(chờ tiếp nhận)', '(awaiting reception)')}</Link>
                  </td>
                  <td data-label={tr('Thủ tục', 'Procedure')}>{d.procedureName}</td>
                  <td data-label={tr('Trạng thái', 'Status')}>
                    <StatusBadge status={d.status} />
                    {d.overdue && <strong> {tr('Quá hạn', 'Overdue')}</strong>}
                  </td>
                  <td data-label={tr('Đang ở bước', 'Current step')}>{d.currentStepName ?? '—'}</td>
                  <td data-label={tr('Ngày nộp', 'Submitted')}>{dateTime(d.submittedAt)}</td>
                  <td data-label={tr('Ngày hẹn trả', 'Appointment date')}>{date(d.dueDate)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  )
}
