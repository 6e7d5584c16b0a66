// /nop-ho-so/:draftId/da-nop: the confirmation after submitting — what happens next, and that the code comes at
// reception.
import { Link, useSearchParams } from 'react-router'
import { api } from '../api.js'
import { useLang } from '../i18n.js'
import { Loading, PageTitle, ProblemAlert, StatusBadge, useAsync } from '../ui.js'
import type { DossierDetail } from './types.js'

export function SubmittedPage() {
  const { tr, dateTime } = useLang()
  const [params] = useSearchParams()
  const id = params.get('ho-so') ?? ''
  const dossier = useAsync((signal) => api<DossierDetail>(`/api/dossiers/${id}`, { signal }), [id])
  return (
    <section className="narrow">
      <PageTitle title={tr('Đã nộp hồ sơ', 'Dossier submitted')}>{tr('Đã nộp hồ sơ', 'Dossier submitted')}</PageTitle>
      <ProblemAlert error={dossier.error} />
      {!dossier.data && !dossier.error && <Loading />}
      {dossier.data && (
        <div className="panel" data-testid="submitted">
          <p className="alert alert-ok" role="status">
            {tr('Hồ sơ của bạn đã được gửi đến', 'Your dossier was sent to')}{' '}
            <strong>{dossier.data.agency.name}</strong> {tr('lúc', 'at')} {dateTime(dossier.data.submittedAt)}.
          </p>
          <dl className="facts">
            <dt>{tr('Thủ tục', 'Procedure')}</dt>
            <dd>{dossier.data.procedure.name}</dd>
            <dt>{tr('Trạng thái', 'Status')}</dt>
            <dd>
              <StatusBadge status={dossier.data.status} />
            </dd>
            <dt>{tr('Mã hồ sơ', 'Dossier code')}</dt>
            <dd>
              {dossier.data.code ?? tr('Sẽ được cấp khi hồ sơ được tiếp nhận', 'Given when the dossier is received')}
            </dd>
          </dl>
          <h2>{tr('Tiếp theo', 'What happens next')}</h2>
          <ol>
            <li>
              {tr(
                'Cán bộ Bộ phận Một cửa kiểm tra tính đầy đủ của hồ sơ.',
                'An officer of the one-stop counter checks that the dossier is complete.',
              )}
            </li>
            <li>
              {tr(
                'Khi hồ sơ được tiếp nhận, bạn nhận được mã hồ sơ, giấy tiếp nhận và ngày hẹn trả kết quả (qua thư điện tử và tại trang hồ sơ).',
                'Once it is received you get the dossier code, the receipt and the appointment date (by e-mail and on the dossier page).',
              )}
            </li>
            <li>
              {tr(
                'Nếu hồ sơ còn thiếu, bạn sẽ được yêu cầu bổ sung.',
                'If something is missing, you will be asked for a supplement.',
              )}
            </li>
          </ol>
          <p className="row">
            <Link className="button" to={`/ho-so-cua-toi/${dossier.data.id}`}>
              {tr('Theo dõi hồ sơ', 'Follow the dossier')}
            </Link>
            <Link to="/ho-so-cua-toi">{tr('Hồ sơ của tôi', 'My dossiers')}</Link>
          </p>
        </div>
      )}
    </section>
  )
}
