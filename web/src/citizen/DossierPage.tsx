// /ho-so-cua-toi/:id: one of my dossiers — facts, progress, history, documents — and what I can do in its status:
// hand in a supplement (5), pay the fee (6, the sandbox clearly labelled), withdraw (with confirmation), rate once the
// result is returned (10), print the receipt once received.
import { useEffect, useState } from 'react'
import { Link, useParams } from 'react-router'
import { api, openProtected } from '../api.js'
import { useLang } from '../i18n.js'
import { Loading, PageTitle, ProblemAlert, useAction, useAsync } from '../ui.js'
import { DossierDocuments, DossierFacts, DossierTrack } from './dossier-view.js'
import type { CommandResult, Component, DossierDetail, ProcedureDetail, Uploaded } from './types.js'
import { uploadWithProgress } from './upload.js'

const withdrawable = [1, 2, 4, 5, 6]

export function DossierPage() {
  const { id = '' } = useParams()
  const { tr } = useLang()
  const loaded = useAsync(
    async (signal) => {
      const d = await api<DossierDetail>(`/api/dossiers/${id}`, { signal })
      const procedure = await api<ProcedureDetail>(`/api/procedures/${d.procedure.slug}`, { signal }).catch(
        () => undefined,
      )
      return { d, components: procedure?.components ?? [] }
    },
    [id],
  )
  const print = useAction(async () => openProtected(`/api/dossiers/${id}/print/receipt`))
  // Officers move the dossier on while the page is open: look again every half minute until it is finished.
  const status = loaded.data?.d.status
  const { reload } = loaded
  useEffect(() => {
    if (status === undefined || [3, 7, 8, 10].includes(status)) return
    const timer = setInterval(() => document.visibilityState === 'visible' && reload(), 30_000)
    return () => clearInterval(timer)
  }, [status, reload])
  if (loaded.error) return <ProblemAlert error={loaded.error} />
  if (!loaded.data) return <Loading />
  const { d, components } = loaded.data
  return (
    <article className="dossier">
      <PageTitle title={tr('Chi tiết hồ sơ', 'Dossier')}>
        {tr('Hồ sơ', 'Dossier')} {d.code ?? ''}
      </PageTitle>
      <p className="row">
        <Link to="/ho-so-cua-toi">← {tr('Hồ sơ của tôi', 'My dossiers')}</Link>
        <button type="button" className="secondary" onClick={loaded.reload}>
          {tr('Làm mới', 'Refresh')}
        </button>
        {d.acceptedAt && (
          <button type="button" className="secondary" onClick={() => void print.run()}>
            {tr('In giấy tiếp nhận', 'Print the receipt')}
          </button>
        )}
      </p>
      <ProblemAlert error={print.error} />
      <div className="panel">
        <DossierFacts d={d} />
        {!d.code && d.status === 1 && (
          <p className="muted small">
            {tr(
              'Mã hồ sơ được cấp khi Bộ phận Một cửa tiếp nhận hồ sơ.',
              'The code is given when the one-stop counter receives the dossier.',
            )}
          </p>
        )}
      </div>
      {d.status === 5 && <SupplementPanel d={d} components={components} onDone={loaded.reload} />}
      {d.status === 6 && <PaymentPanel d={d} />}
      {d.status === 10 && <RatingPanel d={d} />}
      <DossierTrack d={d} />
      <div className="panel">
        <DossierDocuments d={d} components={components} />
      </div>
      {withdrawable.includes(d.status) && <WithdrawPanel d={d} onDone={loaded.reload} />}
    </article>
  )
}

function SupplementPanel({ d, components, onDone }: { d: DossierDetail; components: Component[]; onDone(): void }) {
  const { tr, dateTime } = useLang()
  const [componentId, setComponentId] = useState(components[0]?.id ?? '')
  const [files, setFiles] = useState<Array<{ componentId: string; fileId: string; name: string }>>([])
  const [progress, setProgress] = useState<number | null>(null)
  const [note, setNote] = useState('')
  const upload = useAction(async (f: File) => {
    setProgress(0)
    try {
      const res = await uploadWithProgress<Uploaded>(`/api/dossiers/${d.id}/attachments/${componentId}`, f, setProgress)
      setFiles((xs) => [...xs, { componentId: res.componentId, fileId: res.fileId, name: res.name }])
    } finally {
      setProgress(null)
    }
  })
  const send = useAction(async () => {
    await api<CommandResult>(`/api/dossiers/${d.id}/supplement`, {
      method: 'POST',
      body: {
        attachments: files.map(({ componentId, fileId }) => ({ componentId, fileId })),
        ...(note.trim() ? { note: note.trim() } : {}),
      },
    })
    onDone()
  })
  return (
    <section className="panel attention" aria-labelledby="supplement-title">
      <h2 id="supplement-title">{tr('Cơ quan yêu cầu bổ sung hồ sơ', 'The agency asks for a supplement')}</h2>
      {d.supplement.missing.length > 0 && (
        <>
          <p>{tr('Giấy tờ còn thiếu:', 'Missing:')}</p>
          <ul data-testid="missing-list">
            {d.supplement.missing.map((m) => (
              <li key={m}>{m}</li>
            ))}
          </ul>
        </>
      )}
      {d.supplement.note && <p>{d.supplement.note}</p>}
      {d.supplement.dueAt && (
        <p>
          {tr('Hạn bổ sung', 'Supplement due')}: <strong>{dateTime(d.supplement.dueAt)}</strong>
        </p>
      )}
      <div className="form">
        <label htmlFor="supp-component">{tr('Giấy tờ bổ sung cho thành phần', 'Document for')}</label>
        <select id="supp-component" value={componentId} onChange={(e) => setComponentId(e.target.value)}>
          {components.map((c) => (
            <option key={c.id} value={c.id}>
              {c.name}
            </option>
          ))}
        </select>
        <label htmlFor="supp-file">{tr('Chọn tệp', 'Choose a file')}</label>
        <input
          id="supp-file"
          type="file"
          accept={components.find((c) => c.id === componentId)?.accept.join(',')}
          onChange={(e) => {
            const f = e.target.files?.[0]
            if (f) void upload.run(f)
            e.target.value = ''
          }}
        />
        {progress !== null && (
          <progress max={1} value={progress} aria-label={tr('Đang tải lên', 'Uploading')}>
            {Math.round(progress * 100)}%
          </progress>
        )}
        <ProblemAlert error={upload.error} />
        {files.length > 0 && (
          <ul>
            {files.map((f) => (
              <li key={f.fileId}>
                {components.find((c) => c.id === f.componentId)?.name ?? f.componentId}: {f.name}
              </li>
            ))}
          </ul>
        )}
        <label htmlFor="supp-note">{tr('Ghi chú cho cán bộ', 'Note to the officer')}</label>
        <textarea id="supp-note" value={note} onChange={(e) => setNote(e.target.value)} rows={3} />
        <ProblemAlert error={send.error} />
        <button
          type="button"
          disabled={send.busy || (files.length === 0 && !note.trim())}
          onClick={() => void send.run()}
        >
          {tr('Nộp bổ sung', 'Hand in the supplement')}
        </button>
      </div>
    </section>
  )
}

function PaymentPanel({ d }: { d: DossierDetail }) {
  const { tr } = useLang()
  const pay = useAction(async () => {
    const p = await api<{ redirectUrl?: string }>(`/api/dossiers/${d.id}/payments`, {
      method: 'POST',
      body: { provider: 'sandbox', returnUrl: `/ho-so-cua-toi/${d.id}` },
    })
    if (p.redirectUrl) window.location.assign(p.redirectUrl)
  })
  const asked = [...d.timeline].reverse().find((e) => e.kind === 'payment_requested' || e.kind === 'suspended')
  const amount = (asked?.data['amountVnd'] as number | null | undefined) ?? null
  return (
    <section className="panel attention" aria-labelledby="pay-title">
      <h2 id="pay-title">{tr('Thực hiện nghĩa vụ tài chính', 'Pay the fee')}</h2>
      {amount !== null && (
        <p>
          {tr('Số tiền', 'Amount')}: <strong>{new Intl.NumberFormat('vi-VN').format(amount)} đ</strong>
        </p>
      )}
      <p className="sandbox-label">
        <strong>SANDBOX — {tr('môi trường thử nghiệm, không thu tiền thật', 'test gateway, no real money')}</strong>
      </p>
      <ProblemAlert error={pay.error} />
      <button type="button" onClick={() => void pay.run()} disabled={pay.busy}>
        {tr('Thanh toán qua cổng thử nghiệm (sandbox)', 'Pay through the sandbox gateway')}
      </button>
    </section>
  )
}

function RatingPanel({ d }: { d: DossierDetail }) {
  const { tr } = useLang()
  const [score, setScore] = useState(0)
  const [comment, setComment] = useState('')
  const [done, setDone] = useState(false)
  const rate = useAction(async () => {
    await api(`/api/dossiers/${d.id}/rating`, {
      method: 'POST',
      body: { score, ...(comment.trim() ? { comment: comment.trim() } : {}) },
    })
    setDone(true)
  })
  if (done)
    return (
      <p className="alert alert-ok" role="status">
        {tr('Cảm ơn bạn đã đánh giá.', 'Thank you for your rating.')}
      </p>
    )
  return (
    <section className="panel" aria-labelledby="rate-title">
      <h2 id="rate-title">{tr('Đánh giá mức độ hài lòng', 'Rate the service')}</h2>
      <form
        className="form"
        onSubmit={(e) => {
          e.preventDefault()
          void rate.run()
        }}
      >
        <fieldset className="choices stars">
          <legend>{tr('Điểm (1 kém – 5 rất hài lòng)', 'Score (1 poor – 5 very satisfied)')}</legend>
          {[1, 2, 3, 4, 5].map((n) => (
            <label key={n} className="choice">
              <input type="radio" name="score" value={n} checked={score === n} onChange={() => setScore(n)} /> {n}
            </label>
          ))}
        </fieldset>
        <label htmlFor="rate-comment">{tr('Góp ý', 'Comment')}</label>
        <textarea
          id="rate-comment"
          rows={3}
          maxLength={2000}
          value={comment}
          onChange={(e) => setComment(e.target.value)}
        />
        <ProblemAlert error={rate.error} />
        <button type="submit" disabled={score === 0 || rate.busy}>
          {tr('Gửi đánh giá', 'Send the rating')}
        </button>
      </form>
    </section>
  )
}

function WithdrawPanel({ d, onDone }: { d: DossierDetail; onDone(): void }) {
  const { tr } = useLang()
  const [confirming, setConfirming] = useState(false)
  const [reason, setReason] = useState('')
  const withdraw = useAction(async () => {
    await api<CommandResult>(`/api/dossiers/${d.id}/withdraw`, {
      method: 'POST',
      body: reason.trim() ? { reason: reason.trim() } : {},
    })
    setConfirming(false)
    onDone()
  })
  return (
    <section className="panel" aria-labelledby="withdraw-title">
      <h2 id="withdraw-title">{tr('Rút hồ sơ', 'Withdraw the dossier')}</h2>
      {!confirming ? (
        <button type="button" className="secondary" onClick={() => setConfirming(true)}>
          {tr('Rút hồ sơ…', 'Withdraw…')}
        </button>
      ) : (
        <div className="form" role="group" aria-labelledby="withdraw-confirm">
          <p id="withdraw-confirm">
            <strong>
              {tr(
                'Bạn chắc chắn muốn rút hồ sơ này? Việc xử lý sẽ dừng và không thể hoàn tác.',
                'Withdraw this dossier? Processing stops and this cannot be undone.',
              )}
            </strong>
          </p>
          <label htmlFor="withdraw-reason">{tr('Lý do (không bắt buộc)', 'Reason (optional)')}</label>
          <textarea id="withdraw-reason" rows={2} value={reason} onChange={(e) => setReason(e.target.value)} />
          <ProblemAlert error={withdraw.error} />
          <div className="row">
            <button type="button" onClick={() => void withdraw.run()} disabled={withdraw.busy}>
              {tr('Xác nhận rút hồ sơ', 'Confirm withdrawal')}
            </button>
            <button type="button" className="secondary" onClick={() => setConfirming(false)}>
              {tr('Không rút', 'Keep the dossier')}
            </button>
          </div>
        </div>
      )}
    </section>
  )
}
