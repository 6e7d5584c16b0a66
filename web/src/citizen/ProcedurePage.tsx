// /thu-tuc/:slug: one published procedure — documents, fees, duration, legal basis, delivery options — and
// "Nộp hồ sơ trực tuyến", which starts a draft (after logging in when needed).
import { useState } from 'react'
import { Link, useNavigate, useParams } from 'react-router'
import { api } from '../api.js'
import { applicantKinds, useAuth } from '../auth.js'
import { useLang } from '../i18n.js'
import { Loading, PageTitle, ProblemAlert, useAction, useAsync } from '../ui.js'
import { agencyLevels, componentForms, deliveries, durationText, label, onlineLevels, roles } from './labels.js'
import { AmountText, FeeText } from './CataloguePage.js'
import { amountBy } from './fees.js'
import type { Draft, DraftSummary, ProcedureDetail } from './types.js'

export function ProcedurePage() {
  const { slug = '' } = useParams()
  const { tr, lang, date, dateTime } = useLang()
  const [openDraft, setOpenDraft] = useState<DraftSummary | null>(null)
  const { user } = useAuth()
  const navigate = useNavigate()
  const procedure = useAsync(
    (signal) => api<ProcedureDetail>(`/api/procedures/${encodeURIComponent(slug)}`, { signal }),
    [slug],
  )
  // Starting again offers the open draft of this procedure instead of making another (`fresh` makes one anyway).
  const start = useAction(async (fresh: boolean) => {
    if (!user) {
      navigate(`/dang-nhap?next=${encodeURIComponent(`/thu-tuc/${slug}`)}`)
      return
    }
    if (!fresh) {
      const open = await api<{ items: DraftSummary[] }>('/api/dossiers/drafts', { query: { procedure: slug } })
      if (open.items[0]) {
        setOpenDraft(open.items[0])
        return
      }
    }
    const draft = await api<Draft>('/api/dossiers/drafts', { method: 'POST', body: { procedure: slug } })
    navigate(`/nop-ho-so/${draft.id}`)
  })
  if (procedure.error) return <ProblemAlert error={procedure.error} />
  const p = procedure.data
  if (!p) return <Loading />
  const canApply = !user || applicantKinds.includes(user.kind)
  return (
    <article className="procedure">
      <PageTitle title={p.name}>{lang === 'en' && p.nameEn ? p.nameEn : p.name}</PageTitle>
      <div className="panel apply-box">
        <dl className="facts">
          <dt>{tr('Mã thủ tục', 'Procedure code')}</dt>
          <dd>{p.code}</dd>
          <dt>{tr('Lĩnh vực', 'Field')}</dt>
          <dd>{p.field}</dd>
          <dt>{tr('Cơ quan thực hiện', 'Agency')}</dt>
          <dd>
            {p.agency} ({label(agencyLevels, p.agencyLevel, lang)})
          </dd>
          <dt>{tr('Mức độ', 'Online level')}</dt>
          <dd>{label(onlineLevels, p.onlineLevel, lang)}</dd>
          <dt>{tr('Thời hạn giải quyết', 'Duration')}</dt>
          <dd>
            {durationText(p.duration, lang)}
            {p.durationNote && (
              <div className="muted small">{lang === 'en' && p.durationNoteEn ? p.durationNoteEn : p.durationNote}</div>
            )}
          </dd>
          {p.result && (
            <>
              <dt>{tr('Kết quả', 'Result')}</dt>
              <dd>{p.result}</dd>
            </>
          )}
          <dt>{tr('Cách nhận kết quả', 'Result delivery')}</dt>
          <dd>{p.resultDelivery.map((d) => label(deliveries, d, lang)).join('; ')}</dd>
        </dl>
        <ProblemAlert error={start.error} />
        {canApply && openDraft ? (
          <div className="alert alert-ok" role="status">
            <p>
              {tr(
                `Bạn đang có một hồ sơ nháp của thủ tục này (sửa lần cuối ${dateTime(openDraft.updatedAt)}).`,
                `You have a draft of this procedure (last changed ${dateTime(openDraft.updatedAt)}).`,
              )}
            </p>
            <div className="row">
              <Link className="button" to={`/nop-ho-so/${openDraft.id}`}>
                {tr('Tiếp tục hồ sơ nháp', 'Resume the draft')}
              </Link>
              <button type="button" className="secondary" onClick={() => void start.run(true)} disabled={start.busy}>
                {tr('Tạo hồ sơ mới', 'Start a new one')}
              </button>
            </div>
          </div>
        ) : canApply ? (
          <button type="button" className="apply" onClick={() => void start.run(false)} disabled={start.busy}>
            {tr('Nộp hồ sơ trực tuyến', 'Apply online')}
          </button>
        ) : (
          <p className="muted">
            {tr(
              'Chỉ công dân, tổ chức, doanh nghiệp nộp hồ sơ trực tuyến.',
              'Only citizens, organisations and enterprises apply online.',
            )}
          </p>
        )}
        {!user && <p className="muted small">{tr('Bạn sẽ được yêu cầu đăng nhập.', 'You will be asked to log in.')}</p>}
      </div>

      <h2>{tr('Thành phần hồ sơ', 'Documents to provide')}</h2>
      <div className="table-scroll">
        <table className="data stack">
          <thead>
            <tr>
              <th scope="col">{tr('Giấy tờ', 'Document')}</th>
              <th scope="col">{tr('Hình thức', 'Form')}</th>
              <th scope="col">{tr('Số lượng', 'Quantity')}</th>
              <th scope="col">{tr('Bắt buộc', 'Required')}</th>
            </tr>
          </thead>
          <tbody>
            {p.components.map((c) => (
              <tr key={c.id}>
                <td data-label={tr('Giấy tờ', 'Document')}>
                  {c.name}
                  {c.condition && (
                    <div className="muted small">
                      {/* A condition written as a sentence ("Khi cơ quan …") is not prefixed again. */}
                      {/^khi\b/i.test(c.condition) ? c.condition : `${tr('Khi', 'When')}: ${c.condition}`}
                    </div>
                  )}
                </td>
                <td data-label={tr('Hình thức', 'Form')}>{label(componentForms, c.form, lang)}</td>
                <td data-label={tr('Số lượng', 'Quantity')}>{c.quantity}</td>
                <td data-label={tr('Bắt buộc', 'Required')}>
                  {c.required && !c.condition ? tr('Có', 'Yes') : tr('Không', 'No')}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>

      <h2>{tr('Phí, lệ phí', 'Fees')}</h2>
      <p>
        {tr('Phí, lệ phí của thủ tục', 'What the procedure costs')}:{' '}
        <strong data-testid="procedure-fee">
          <FeeText fees={p.fees} />
        </strong>
      </p>
      <ul>
        {p.fees.map((f, i) => {
          const online = amountBy(f, 'online')
          const counter = amountBy(f, 'counter')
          const perUnit = f.perField !== undefined
          return (
            <li key={i}>
              {f.name}:{' '}
              {online === counter ? (
                <strong>
                  <AmountText amount={{ amountVnd: counter, perUnit }} />
                </strong>
              ) : (
                <>
                  <strong>
                    <AmountText amount={{ amountVnd: online, perUnit }} />
                  </strong>{' '}
                  {tr('khi nộp trực tuyến', 'online')},{' '}
                  <strong>
                    <AmountText amount={{ amountVnd: counter, perUnit }} />
                  </strong>{' '}
                  {tr('khi nộp tại quầy', 'at the counter')}
                </>
              )}
              {f.condition && (
                <div className="small">{lang === 'en' && f.conditionEn ? f.conditionEn : f.condition}</div>
              )}
              {f.note && <div className="muted small">{lang === 'en' && f.noteEn ? f.noteEn : f.note}</div>}
            </li>
          )
        })}
      </ul>

      <h2>{tr('Trình tự thực hiện', 'Steps')}</h2>
      <ol>
        {p.steps.map((s) => (
          <li key={s.id}>
            {s.name} <span className="muted small">— {label(roles, s.unitRole, lang)}</span>
          </li>
        ))}
      </ol>

      <h2>{tr('Căn cứ pháp lý', 'Legal basis')}</h2>
      <ul>
        {p.legalBasis.map((l) => (
          <li key={l.number}>
            {l.number} — {l.title}
            {l.issuedOn && <span className="muted small"> ({date(l.issuedOn)})</span>}
          </li>
        ))}
      </ul>
    </article>
  )
}
