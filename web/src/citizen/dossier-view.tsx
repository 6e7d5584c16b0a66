// Pieces of a dossier that the applicant and the officer both read: the facts, the progress through the steps (which
// department, who, since when, due when, step result), the events, and the documents with preview and download.
import { Fragment, useEffect, useState } from 'react'
import { apiRaw } from '../api.js'
import { useLang } from '../i18n.js'
import { ProblemAlert, StatusBadge } from '../ui.js'
import { componentForms, events, label, roles, stepResults, decisions } from './labels.js'
import type { Component, DossierDetail } from './types.js'

export function DossierFacts({ d }: { d: DossierDetail }) {
  const { tr, date, dateTime, lang } = useLang()
  return (
    <dl className="facts">
      <dt>{tr('Mã hồ sơ', 'Dossier code')}</dt>
      <dd data-testid="dossier-code">{d.code ?? tr('Chưa có (cấp khi tiếp nhận)', 'Not yet (given at reception)')}</dd>
      <dt>{tr('Thủ tục', 'Procedure')}</dt>
      <dd>{d.procedure.name}</dd>
      <dt>{tr('Trạng thái', 'Status')}</dt>
      <dd>
        <StatusBadge status={d.status} />
        {d.overdue && <span className="badge status-refused">{tr('Quá hạn', 'Overdue')}</span>}
      </dd>
      <dt>{tr('Cơ quan tiếp nhận', 'Receiving agency')}</dt>
      <dd>{d.agency.name}</dd>
      <dt>{tr('Người nộp', 'Applicant')}</dt>
      <dd>{d.applicant.name}</dd>
      <dt>{tr('Ngày nộp', 'Submitted')}</dt>
      <dd>{dateTime(d.submittedAt)}</dd>
      <dt>{tr('Ngày tiếp nhận', 'Received')}</dt>
      <dd>{dateTime(d.acceptedAt)}</dd>
      <dt>{tr('Ngày hẹn trả kết quả', 'Appointment date')}</dt>
      <dd data-testid="appointment-date">
        {date(d.dueDate)}
        {d.originalDueDate && d.originalDueDate !== d.dueDate && (
          <span className="muted small">
            {' '}
            ({tr('hẹn ban đầu', 'first set for')} {date(d.originalDueDate)})
          </span>
        )}
      </dd>
      <dt>{tr('Nhận kết quả', 'Result delivery')}</dt>
      <dd>
        {label(
          {
            online: { vi: 'Trực tuyến', en: 'Online' },
            counter: { vi: 'Tại Bộ phận Một cửa', en: 'At the counter' },
            post: { vi: 'Qua bưu chính', en: 'By post' },
          },
          d.deliveryMethod,
          lang,
        )}
      </dd>
      {d.deliveryAddress && (
        <>
          <dt>{tr('Địa chỉ nhận kết quả', 'Delivery address')}</dt>
          <dd data-testid="delivery-address">
            {d.deliveryAddress.street}, {d.deliveryAddress.communeName}, {d.deliveryAddress.provinceName}
            {d.deliveryAddress.phone && ` — ${tr('điện thoại', 'phone')} ${d.deliveryAddress.phone}`}
          </dd>
        </>
      )}
      {d.shipments.map((s) => (
        <Fragment key={s.id}>
          <dt>{tr('Đã gửi qua bưu chính', 'Posted')}</dt>
          <dd data-testid="shipment">
            {s.carrier.name}, {tr('ngày', 'on')} {date(s.shippedOn)} — {tr('số hiệu bưu gửi', 'tracking number')}{' '}
            <strong className="tracking-number">{s.trackingNumber}</strong>
          </dd>
        </Fragment>
      ))}
      {d.closeReason && (
        <>
          <dt>{tr('Lý do', 'Reason')}</dt>
          <dd>{d.closeReason}</dd>
        </>
      )}
    </dl>
  )
}

/** Where the dossier is now, then every step it went through. */
export function DossierProgress({ d }: { d: DossierDetail }) {
  const { tr, dateTime, lang } = useLang()
  const who = (userId: string | null, name?: string | null) =>
    name ??
    (userId && d.current.assignee?.id === userId
      ? d.current.assignee.name
      : userId
        ? tr('Cán bộ đã nhận xử lý', 'An officer')
        : '—')
  return (
    <section aria-labelledby="progress-title">
      <h2 id="progress-title">{tr('Tiến độ xử lý', 'Progress')}</h2>
      {d.current.stepName && (
        <p className={`current-step${d.current.stepOverdue ? ' due-overdue' : ''}`} data-testid="current-step">
          {tr('Đang ở bước', 'Now at')} <strong>{d.current.stepName}</strong> — {label(roles, d.current.unitRole, lang)}
          {d.current.assignee ? `, ${d.current.assignee.name}` : `, ${tr('chưa có cán bộ nhận', 'not yet claimed')}`}
          {d.current.since && `, ${tr('từ', 'since')} ${dateTime(d.current.since)}`}
          {d.current.stepDueAt && `, ${tr('hạn bước', 'step due')} ${dateTime(d.current.stepDueAt)}`}
          {d.current.stepOverdue && <strong> — {tr('Quá hạn', 'Overdue')}</strong>}
        </p>
      )}
      {d.steps.length > 0 && (
        // Wider than a narrow column: focusable so the keyboard can scroll it too.
        <div
          className="table-scroll"
          tabIndex={0}
          role="region"
          aria-label={tr('Bảng tiến độ xử lý', 'Progress table')}
        >
          <table className="data stack">
            <caption className="visually-hidden">
              {tr('Phiếu kiểm soát quá trình giải quyết', 'Process control sheet')}
            </caption>
            <thead>
              <tr>
                <th scope="col">{tr('Bước', 'Step')}</th>
                <th scope="col">{tr('Bộ phận', 'Department')}</th>
                <th scope="col">{tr('Người xử lý', 'Handled by')}</th>
                <th scope="col">{tr('Nhận lúc', 'Since')}</th>
                <th scope="col">{tr('Hạn', 'Due')}</th>
                <th scope="col">{tr('Kết quả bước', 'Step result')}</th>
              </tr>
            </thead>
            <tbody>
              {d.steps.map((s, i) => (
                <tr key={i} className={s.result === 'late' ? 'due-overdue' : ''}>
                  <td data-label={tr('Bước', 'Step')}>{s.stepName}</td>
                  <td data-label={tr('Bộ phận', 'Department')}>{label(roles, s.receiverRole, lang)}</td>
                  <td data-label={tr('Người xử lý', 'Handled by')}>{who(s.receiverUser, s.receiverUserName)}</td>
                  <td data-label={tr('Nhận lúc', 'Since')}>{dateTime(s.receivedAt)}</td>
                  <td data-label={tr('Hạn', 'Due')}>{dateTime(s.stepDueAt)}</td>
                  <td data-label={tr('Kết quả bước', 'Step result')}>
                    {s.outcome === 'returned'
                      ? `${tr('Trả lại bước trước', 'Sent back to the previous step')}${s.returnReason ? `: ${s.returnReason}` : ''}`
                      : s.result
                        ? label(stepResults, s.result, lang)
                        : s.finishedAt
                          ? '—'
                          : tr('Đang xử lý', 'In progress')}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  )
}

export function DossierEvents({ d }: { d: DossierDetail }) {
  const { tr, dateTime, lang, date } = useLang()
  const detail = (e: DossierDetail['timeline'][number]): string => {
    const x = e.data
    const parts: string[] = []
    if (typeof x['decision'] === 'string') parts.push(label(decisions, x['decision'], lang))
    if (typeof x['code'] === 'string') parts.push(`${tr('mã', 'code')} ${x['code']}`)
    if (typeof x['trackingNumber'] === 'string')
      parts.push(
        `${String(x['carrierName'] ?? '')}, ${tr('số hiệu bưu gửi', 'tracking number')} ${x['trackingNumber']}`,
      )
    if (typeof x['appointmentDate'] === 'string')
      parts.push(`${tr('hẹn trả', 'appointment')} ${date(x['appointmentDate'])}`)
    if (Array.isArray(x['missing']) && x['missing'].length)
      parts.push(`${tr('còn thiếu', 'missing')}: ${(x['missing'] as string[]).join('; ')}`)
    for (const k of ['reason', 'note', 'refusalReason'] as const)
      if (typeof x[k] === 'string' && x[k]) parts.push(String(x[k]))
    return parts.join(' — ')
  }
  return (
    <section aria-labelledby="events-title">
      <h2 id="events-title">{tr('Lịch sử hồ sơ', 'History')}</h2>
      <ol className="timeline">
        {d.timeline.map((e, i) => (
          <li key={i} data-kind={e.kind}>
            <time dateTime={e.at}>{dateTime(e.at)}</time> <strong>{label(events, e.kind, lang)}</strong>
            {detail(e) && <span className="muted"> — {detail(e)}</span>}
          </li>
        ))}
      </ol>
    </section>
  )
}

interface Preview {
  fileId: string
  url: string
  type: string
  name: string
}

function fileName(res: Response, fallback: string): string {
  const cd = res.headers.get('content-disposition') ?? ''
  const star = /filename\*=UTF-8''([^;]+)/i.exec(cd)
  if (star?.[1]) return decodeURIComponent(star[1])
  return /filename="([^"]+)"/i.exec(cd)?.[1] ?? fallback
}

/** The dossier's documents by component; images and PDFs open in the page (blob URLs), everything downloads. */
export function DossierDocuments({
  d,
  components,
  preview: canPreview = false,
}: {
  d: DossierDetail
  components: Component[]
  preview?: boolean
}) {
  const { tr, lang } = useLang()
  const [preview, setPreview] = useState<Preview | null>(null)
  const [error, setError] = useState<unknown>(null)
  useEffect(() => () => (preview ? URL.revokeObjectURL(preview.url) : undefined), [preview])
  const nameOf = (id: string) => components.find((c) => c.id === id)?.name ?? id
  const fetchFile = async (fileId: string) => {
    const res = await apiRaw(`/api/dossiers/${d.id}/attachments/${fileId}`)
    const blob = await res.blob()
    return { url: URL.createObjectURL(blob), type: blob.type, name: fileName(res, fileId) }
  }
  const show = async (fileId: string) => {
    setError(null)
    try {
      setPreview({ fileId, ...(await fetchFile(fileId)) })
    } catch (err) {
      setError(err)
    }
  }
  const download = async (fileId: string) => {
    setError(null)
    try {
      const f = await fetchFile(fileId)
      const a = document.createElement('a')
      a.href = f.url
      a.download = f.name
      document.body.append(a)
      a.click()
      a.remove()
      setTimeout(() => URL.revokeObjectURL(f.url), 60_000)
    } catch (err) {
      setError(err)
    }
  }
  return (
    <section aria-labelledby="docs-title">
      <h2 id="docs-title">{tr('Giấy tờ đã nộp', 'Documents')}</h2>
      <ProblemAlert error={error} />
      {d.attachments.length === 0 ? (
        <p className="muted">{tr('Chưa có giấy tờ đính kèm.', 'No documents attached.')}</p>
      ) : (
        <ul className="documents">
          {d.attachments.map((a) => (
            <li key={a.fileId}>
              <span>
                {nameOf(a.componentId)}
                {a.reusedFromDossierCode && (
                  <span className="muted small">
                    {' '}
                    (
                    {a.reusedFromResultId
                      ? tr('kết quả điện tử của hồ sơ', 'the electronic result of dossier')
                      : tr('dùng lại từ hồ sơ', 'reused from dossier')}{' '}
                    {a.reusedFromDossierCode})
                  </span>
                )}
                {components.find((c) => c.id === a.componentId) && (
                  <span className="muted small">
                    {' '}
                    — {label(componentForms, components.find((c) => c.id === a.componentId)!.form, lang)}
                  </span>
                )}
              </span>
              <span className="row">
                {canPreview && (
                  <button
                    type="button"
                    className="secondary"
                    onClick={() => void show(a.fileId)}
                    aria-label={`${tr('Xem', 'View')}: ${nameOf(a.componentId)}`}
                  >
                    {tr('Xem', 'View')}
                  </button>
                )}
                <button
                  type="button"
                  className="secondary"
                  onClick={() => void download(a.fileId)}
                  aria-label={`${tr('Tải về', 'Download')}: ${nameOf(a.componentId)}`}
                >
                  {tr('Tải về', 'Download')}
                </button>
              </span>
            </li>
          ))}
        </ul>
      )}
      {preview && (
        <figure className="preview" aria-label={tr('Xem trước giấy tờ', 'Document preview')}>
          <figcaption className="row">
            <span>{preview.name}</span>
            <button type="button" className="secondary" onClick={() => setPreview(null)}>
              {tr('Đóng xem trước', 'Close preview')}
            </button>
          </figcaption>
          {preview.type.startsWith('image/') ? (
            <img src={preview.url} alt={preview.name} />
          ) : preview.type === 'application/pdf' ? (
            <iframe src={preview.url} title={preview.name} />
          ) : (
            <p>
              {tr(
                'Không xem trước được loại tệp này; hãy tải về.',
                'This type of file cannot be previewed; download it.',
              )}
            </p>
          )}
        </figure>
      )}
    </section>
  )
}

/** Progress through the steps, then the history, each in its panel. */
export function DossierTrack({ d }: { d: DossierDetail }) {
  return (
    <>
      <div className="panel">
        <DossierProgress d={d} />
      </div>
      <div className="panel">
        <DossierEvents d={d} />
      </div>
    </>
  )
}
