// /ho-so-cua-toi/:id: one of my dossiers — facts, progress, history, documents — and what I can do in its status:
// hand in a supplement (5), pay the fee (6: through VNPAY, by VietQR bank transfer, or the sandbox clearly labelled),
// withdraw (with confirmation), rate once the result is returned (10), print the receipt once received and the fee
// receipt once paid.
import { useEffect, useState } from 'react'
import { Link, useParams } from 'react-router'
import { api, openProtected } from '../api.js'
import { useLang } from '../i18n.js'
import { Loading, PageTitle, ProblemAlert, useAction, useAsync } from '../ui.js'
import { DossierDocuments, DossierFacts, DossierTrack } from './dossier-view.js'
import { DossierResults } from '../common/results.js'
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
  const print = useAction(async (form: string) => openProtected(`/api/dossiers/${id}/print/${form}`))
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
          <button type="button" className="secondary" onClick={() => void print.run('receipt')}>
            {tr('In giấy tiếp nhận', 'Print the receipt')}
          </button>
        )}
        {d.timeline.some((e) => e.kind === 'paid') && (
          <button type="button" className="secondary" onClick={() => void print.run('fee-receipt')}>
            {tr('In biên lai thu phí, lệ phí', 'Print the fee receipt')}
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
      {d.timeline.some((e) => e.kind === 'refund_due') && <RefundPanel d={d} />}
      <DossierResults dossierId={d.id} reload={d.status} />
      {d.status === 10 && <RatingPanel d={d} />}
      <DossierTrack d={d} />
      <div className="panel">
        <DossierDocuments d={d} components={components} />
      </div>
      {withdrawable.includes(d.status) && <WithdrawPanel d={d} onDone={loaded.reload} />}
    </article>
  )
}

/** The fees owed back to the applicant (a paid dossier refused, docs/payments.md "Refunds"), and when each was paid. */
function RefundPanel({ d }: { d: DossierDetail }) {
  const { tr, date } = useLang()
  const paid = new Map(
    d.timeline.filter((e) => e.kind === 'refund_paid').map((e) => [String(e.data['reference']), e.data]),
  )
  const owed = d.timeline.filter((e) => e.kind === 'refund_due')
  const vnd = (n: unknown) => `${new Intl.NumberFormat('vi-VN').format(Number(n))} đ`
  return (
    <section className="panel" aria-labelledby="refund-title">
      <h2 id="refund-title">{tr('Hoàn trả phí, lệ phí', 'Fee refund')}</h2>
      <ul data-testid="refunds">
        {owed.map((e) => {
          const p = paid.get(String(e.data['reference']))
          return (
            <li key={`${String(e.data['reference'])}-${e.at}`}>
              {tr('Số tiền hoàn trả', 'Amount refunded')}: <strong>{vnd(e.data['amountVnd'])}</strong> —{' '}
              {p ? (
                <span data-testid="refund-paid">
                  {tr('đã chi trả ngày', 'paid on')} {date(String(p['paidOn']))}{' '}
                  {p['method'] === 'cash' ? tr('(tiền mặt)', '(in cash)') : tr('(chuyển khoản)', '(by transfer)')}
                  {p['paidReference'] ? `, ${tr('số chứng từ', 'reference')} ${String(p['paidReference'])}` : ''}
                </span>
              ) : (
                <span>{tr('cơ quan đang làm thủ tục chi trả', 'the agency is paying it back')}</span>
              )}
            </li>
          )
        })}
      </ul>
    </section>
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

interface Transfer {
  bankName: string
  accountNumber: string
  accountName: string
  amountVnd: number
  content: string
  qrImage: string
}
interface PaymentStarted {
  redirectUrl?: string
  transfer?: Transfer
}
interface Provider {
  name: string
  label: string
  sandbox: boolean
}

const payLabel: Record<string, [string, string]> = {
  vnpay: ['Thanh toán qua VNPAY (thẻ, tài khoản ngân hàng)', 'Pay through VNPAY (card, bank account)'],
  vietqr: ['Chuyển khoản ngân hàng (VietQR)', 'Bank transfer (VietQR)'],
  sandbox: ['Thanh toán qua cổng thử nghiệm (sandbox)', 'Pay through the sandbox gateway'],
}

/** What the gateway's return said (`?payment=…&status=…`): the payment as recorded, not as the address claims. */
function ReturnedFromGateway() {
  const { tr } = useLang()
  const status = new URLSearchParams(window.location.search).get('status')
  if (status === 'pending')
    return (
      <p className="alert" role="status">
        {tr(
          'Đang chờ cổng thanh toán xác nhận giao dịch. Trang sẽ cập nhật khi có kết quả.',
          'Waiting for the gateway to confirm the payment. This page updates when it does.',
        )}
      </p>
    )
  if (status === 'failed')
    return (
      <p className="alert alert-error" role="status">
        {tr(
          'Thanh toán không thành công. Bạn có thể thanh toán lại.',
          'The payment did not go through. You may pay again.',
        )}
      </p>
    )
  return null
}

function TransferPanel({ transfer }: { transfer: Transfer }) {
  const { tr } = useLang()
  return (
    <div className="transfer" aria-label={tr('Thông tin chuyển khoản', 'Transfer details')}>
      <img
        src={transfer.qrImage}
        width={240}
        height={240}
        alt={tr('Mã VietQR để quét bằng ứng dụng ngân hàng', 'VietQR code to scan with a banking app')}
      />
      <dl>
        <dt>{tr('Ngân hàng', 'Bank')}</dt>
        <dd>{transfer.bankName}</dd>
        <dt>{tr('Số tài khoản', 'Account number')}</dt>
        <dd>{transfer.accountNumber}</dd>
        <dt>{tr('Chủ tài khoản', 'Account holder')}</dt>
        <dd>{transfer.accountName}</dd>
        <dt>{tr('Số tiền', 'Amount')}</dt>
        <dd>{new Intl.NumberFormat('vi-VN').format(transfer.amountVnd)} đ</dd>
        <dt>{tr('Nội dung chuyển khoản', 'Transfer content')}</dt>
        <dd>
          <strong data-testid="transfer-content">{transfer.content}</strong>
        </dd>
      </dl>
      <p className="small">
        {tr(
          'Quét mã bằng ứng dụng ngân hàng, hoặc chuyển khoản đúng số tiền và ghi đúng nội dung trên. Hồ sơ được xử lý tiếp khi bộ phận tài chính xác nhận đã nhận tiền.',
          'Scan the code with a banking app, or transfer exactly this amount with exactly this content. The dossier goes on once the finance officer confirms the money arrived.',
        )}
      </p>
    </div>
  )
}

function PaymentPanel({ d }: { d: DossierDetail }) {
  const { tr } = useLang()
  const providers = useAsync((signal) => api<Provider[]>('/api/payments/providers', { signal }), [])
  const [transfer, setTransfer] = useState<Transfer | undefined>()
  const pay = useAction(async (provider: string) => {
    const p = await api<PaymentStarted>(`/api/dossiers/${d.id}/payments`, {
      method: 'POST',
      body: { provider, returnUrl: `/ho-so-cua-toi/${d.id}` },
    })
    if (p.transfer) setTransfer(p.transfer)
    else if (p.redirectUrl) window.location.assign(p.redirectUrl)
  })
  const asked = [...d.timeline].reverse().find((e) => e.kind === 'payment_requested' || e.kind === 'suspended')
  const amount = (asked?.data['amountVnd'] as number | null | undefined) ?? null
  const offered = providers.data ?? []
  return (
    <section className="panel attention" aria-labelledby="pay-title">
      <h2 id="pay-title">{tr('Thực hiện nghĩa vụ tài chính', 'Pay the fee')}</h2>
      <ReturnedFromGateway />
      {amount !== null && (
        <p>
          {tr('Số tiền', 'Amount')}: <strong>{new Intl.NumberFormat('vi-VN').format(amount)} đ</strong>
        </p>
      )}
      {offered.some((p) => p.sandbox) && (
        <p className="sandbox-label">
          <strong>SANDBOX — {tr('môi trường thử nghiệm, không thu tiền thật', 'test gateway, no real money')}</strong>
        </p>
      )}
      <ProblemAlert error={pay.error ?? providers.error} />
      <p className="row">
        {offered.map((p) => {
          const label = payLabel[p.name]
          return (
            <button
              type="button"
              key={p.name}
              className={p.sandbox ? 'secondary' : undefined}
              onClick={() => void pay.run(p.name)}
              disabled={pay.busy}
            >
              {label ? tr(label[0], label[1]) : p.label}
            </button>
          )
        })}
      </p>
      {transfer && <TransferPanel transfer={transfer} />}
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
