// /ho-so-cua-toi: the applicant's dossiers, newest first, with status, current step and appointment date.
import { Link } from 'react-router'
import { api } from '../api.js'
import { useLang } from '../i18n.js'
import { Loading, PageTitle, ProblemAlert, StatusBadge, dueClass, useAsync } from '../ui.js'
import type { DossierSummary } from './types.js'

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
