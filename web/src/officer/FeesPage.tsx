// /can-bo/thu-phi: the finance officer's screen for fees paid by bank transfer (VietQR). The transfers still awaited on
// the dossiers of my units; confirming one after checking the amount and the transfer content on the account; importing
// the bank's statement (CSV or XLSX), with the lines that confirmed a dossier's fee and every other line with why; and
// the refunds owed on refused dossiers, each recorded as paid back after a confirmation step.
import { useCallback, useEffect, useRef, useState, type FormEvent } from 'react'
import { api } from '../api.js'
import { useLang } from '../i18n.js'
import { PageTitle, ProblemAlert, StatusBadge, useAction } from '../ui.js'

/** GET /api/payments/vietqr/pending */
interface PendingTransfer {
  reference: string
  amountVnd: number
  since: string
  expiresAt?: string
  dossierId: string
  dossierCode: string | null
  applicantName: string
  procedureName: string
  dossierStatus: number
}

interface StatementLine {
  line: number
  amountVnd?: number
  content?: string
  transaction?: string
  date?: string
  reference?: string
}

type UnmatchedReason = 'no-reference' | 'unknown-reference' | 'wrong-amount' | 'already-paid' | 'unreadable-amount'

/** POST /api/payments/vietqr/statements */
interface StatementReport {
  matched: Array<StatementLine & { dossierId: string; dossierCode: string | null }>
  unmatched: Array<StatementLine & { reason: UnmatchedReason }>
}

const statementTypes: Record<string, string> = {
  csv: 'text/csv',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
}

/** What the bank calls its transaction number: letters, digits and . _ / - (as the API takes it). */
const bankTransactionPattern = /^[A-Za-z0-9._/-]{1,100}$/

/** GET /api/payments/refunds */
interface Refund {
  id: string
  dossierId: string
  amountVnd: number
  rule: string
  status: 'due' | 'paid'
  recordedAt: string
  paymentReference: string
  provider: string
  dossierCode: string | null
  applicantName: string
  procedureName: string
}

/** How many rows a page of the lists shows; "Xem thêm" asks for the next page, like the worklist. */
export const feesPageSize = 25

/** An officer list read a page at a time (`nextCursor`), oldest first; reload starts again from the first page. */
function usePagedList<T>(url: string, query: Record<string, string> = {}) {
  const [items, setItems] = useState<T[] | undefined>(undefined)
  const [cursor, setCursor] = useState<string | null>(null)
  const [loading, setLoading] = useState(true)
  const [error, setError] = useState<unknown>(null)
  const [tick, setTick] = useState(0)
  const key = JSON.stringify(query)
  const page = useCallback(
    (after: string | null, signal?: AbortSignal) =>
      api<{ items: T[]; nextCursor: string | null }>(url, {
        query: { ...(JSON.parse(key) as Record<string, string>), limit: feesPageSize, cursor: after ?? undefined },
        ...(signal ? { signal } : {}),
      }),
    [url, key],
  )
  useEffect(() => {
    const ctl = new AbortController()
    setLoading(true)
    setError(null)
    page(null, ctl.signal).then(
      (p) => {
        setItems(p.items)
        setCursor(p.nextCursor)
        setLoading(false)
      },
      (err) => {
        if (ctl.signal.aborted) return
        setError(err)
        setLoading(false)
      },
    )
    return () => ctl.abort()
  }, [page, tick])
  const more = async () => {
    if (!cursor) return
    setLoading(true)
    try {
      const p = await page(cursor)
      setItems((xs) => [...(xs ?? []), ...p.items])
      setCursor(p.nextCursor)
    } catch (err) {
      setError(err)
    } finally {
      setLoading(false)
    }
  }
  return { items, loading, error, hasMore: cursor !== null, more, reload: () => setTick((n) => n + 1) }
}

function ShowMore({ list }: { list: { hasMore: boolean; loading: boolean; more(): Promise<void> } }) {
  const { tr } = useLang()
  if (!list.hasMore) return null
  return (
    <p className="row">
      <button type="button" className="secondary" onClick={() => void list.more()} disabled={list.loading}>
        {tr('Xem thêm', 'Show more')}
      </button>
    </p>
  )
}

export function FeesPage() {
  const { tr } = useLang()
  const pending = usePagedList<PendingTransfer>('/api/payments/vietqr/pending')
  const refunds = usePagedList<Refund>('/api/payments/refunds', { status: 'due' })
  const [notice, setNotice] = useState('')
  return (
    <section>
      <PageTitle title={tr('Thu phí', 'Fees')}>
        {tr('Thu phí, lệ phí qua chuyển khoản', 'Fees paid by bank transfer')}
      </PageTitle>
      <p className="lead">
        {tr(
          'Xác nhận các khoản người nộp hồ sơ đã chuyển vào tài khoản thu của cơ quan: từng khoản một, hoặc nhập sao kê ngân hàng để đối chiếu theo nội dung chuyển khoản và số tiền. Hồ sơ được tiếp tục xử lý ngay khi khoản phí được xác nhận.',
          'Confirm the transfers applicants made to the agency’s collection account: one by one, or by importing the bank statement, matched by transfer content and amount. A dossier resumes as soon as its fee is confirmed.',
        )}
      </p>
      {notice && (
        <p className="alert alert-ok" role="status">
          {notice}
        </p>
      )}
      <PendingTransfers
        items={pending.items}
        loading={pending.loading}
        error={pending.error}
        onConfirmed={(text) => {
          setNotice(text)
          pending.reload()
        }}
      />
      <ShowMore list={pending} />
      <StatementImport
        onImported={() => {
          setNotice('')
          pending.reload()
        }}
      />
      <RefundsDue
        items={refunds.items}
        loading={refunds.loading}
        error={refunds.error}
        onPaid={(text) => {
          setNotice(text)
          refunds.reload()
        }}
      />
      <ShowMore list={refunds} />
    </section>
  )
}

function PendingTransfers({
  items,
  loading,
  error,
  onConfirmed,
}: {
  items: PendingTransfer[] | undefined
  loading: boolean
  error: unknown
  onConfirmed(notice: string): void
}) {
  const { tr, number, dateTime } = useLang()
  const [chosen, setChosen] = useState<PendingTransfer | null>(null)
  const codeOf = (p: PendingTransfer) => p.dossierCode ?? tr('(chưa có mã)', '(no code yet)')
  return (
    <section className="panel" aria-labelledby="pending-title">
      <h2 id="pending-title">{tr('Chuyển khoản chờ xác nhận', 'Transfers awaiting confirmation')}</h2>
      <ProblemAlert error={error} />
      {loading && !items && (
        <p role="status" className="muted">
          {tr('Đang tải…', 'Loading…')}
        </p>
      )}
      {items && items.length === 0 && (
        <p className="muted" role="status">
          {tr('Không có khoản chuyển khoản nào đang chờ xác nhận.', 'No transfer is awaiting confirmation.')}
        </p>
      )}
      {items && items.length > 0 && (
        <div className="table-scroll">
          <table className="data stack fees">
            <caption className="visually-hidden">
              {tr(
                'Các khoản chuyển khoản chờ xác nhận, cũ nhất trước',
                'Transfers awaiting confirmation, oldest first',
              )}
            </caption>
            <thead>
              <tr>
                <th scope="col">{tr('Từ lúc', 'Since')}</th>
                <th scope="col">{tr('Mã hồ sơ', 'Dossier code')}</th>
                <th scope="col">{tr('Người nộp', 'Applicant')}</th>
                <th scope="col">{tr('Thủ tục', 'Procedure')}</th>
                <th scope="col">{tr('Số tiền', 'Amount')}</th>
                <th scope="col">{tr('Nội dung chuyển khoản', 'Transfer content')}</th>
                <th scope="col">{tr('Trạng thái hồ sơ', 'Dossier status')}</th>
                <th scope="col">{tr('Thao tác', 'Actions')}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((p) => (
                <tr key={p.reference} data-reference={p.reference}>
                  <td data-label={tr('Từ lúc', 'Since')}>{dateTime(p.since)}</td>
                  <td data-label={tr('Mã hồ sơ', 'Dossier code')} className="nowrap">
                    {codeOf(p)}
                  </td>
                  <td data-label={tr('Người nộp', 'Applicant')}>{p.applicantName}</td>
                  <td data-label={tr('Thủ tục', 'Procedure')}>{p.procedureName}</td>
                  <td data-label={tr('Số tiền', 'Amount')} className="nowrap">
                    {number(p.amountVnd)} đ
                  </td>
                  <td data-label={tr('Nội dung chuyển khoản', 'Transfer content')}>
                    <code>{p.reference}</code>
                  </td>
                  <td data-label={tr('Trạng thái hồ sơ', 'Dossier status')}>
                    <StatusBadge status={p.dossierStatus} />
                  </td>
                  <td data-label={tr('Thao tác', 'Actions')}>
                    <button
                      type="button"
                      className="secondary"
                      aria-label={`${tr('Xác nhận đã nhận tiền của hồ sơ', 'Confirm the money received for dossier')} ${codeOf(p)}`}
                      onClick={() => setChosen(p)}
                      disabled={chosen?.reference === p.reference}
                    >
                      {tr('Xác nhận đã nhận…', 'Confirm received…')}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {chosen && (
        <ConfirmTransfer
          key={chosen.reference}
          transfer={chosen}
          dossierCode={codeOf(chosen)}
          onCancel={() => setChosen(null)}
          onDone={(text) => {
            setChosen(null)
            onConfirmed(text)
          }}
        />
      )}
    </section>
  )
}

/** The confirmation step: the amount and the content to find on the account, then the officer's word. */
function ConfirmTransfer({
  transfer,
  dossierCode,
  onCancel,
  onDone,
}: {
  transfer: PendingTransfer
  dossierCode: string
  onCancel(): void
  onDone(notice: string): void
}) {
  const { tr, number } = useLang()
  const [bankTransaction, setBankTransaction] = useState('')
  const [invalid, setInvalid] = useState(false)
  const amount = `${number(transfer.amountVnd)} đ`
  const confirm = useAction(async () => {
    const tx = bankTransaction.trim()
    if (tx && !bankTransactionPattern.test(tx)) {
      setInvalid(true)
      return
    }
    setInvalid(false)
    await api(`/api/payments/vietqr/${encodeURIComponent(transfer.reference)}/confirm`, {
      method: 'POST',
      body: { amountVnd: transfer.amountVnd, ...(tx ? { bankTransaction: tx } : {}) },
    })
    onDone(
      tr(
        `Đã xác nhận khoản ${amount} của hồ sơ ${dossierCode}. Hồ sơ được tiếp tục xử lý.`,
        `The ${amount} of dossier ${dossierCode} is confirmed. The dossier resumes.`,
      ),
    )
  })
  return (
    <div className="panel confirm-transfer" role="group" aria-labelledby="confirm-title">
      <h3 id="confirm-title">{tr('Xác nhận đã nhận tiền', 'Confirm the money received')}</h3>
      <p>
        {tr(
          'Chỉ xác nhận khi tài khoản thu của cơ quan đã nhận đúng số tiền với đúng nội dung dưới đây.',
          'Confirm only when the agency’s account received exactly this amount with exactly this content.',
        )}
      </p>
      <dl className="facts">
        <dt>{tr('Hồ sơ', 'Dossier')}</dt>
        <dd>
          {dossierCode} — {transfer.applicantName}
        </dd>
        <dt>{tr('Số tiền', 'Amount')}</dt>
        <dd data-testid="confirm-amount">
          <strong>{amount}</strong>
        </dd>
        <dt>{tr('Nội dung chuyển khoản', 'Transfer content')}</dt>
        <dd data-testid="confirm-content">
          <code>{transfer.reference}</code>
        </dd>
      </dl>
      <div className="form">
        <label htmlFor="bank-transaction">
          {tr('Số giao dịch của ngân hàng (không bắt buộc)', 'The bank’s transaction number (optional)')}
        </label>
        <input
          id="bank-transaction"
          value={bankTransaction}
          maxLength={100}
          aria-invalid={invalid || undefined}
          aria-describedby={invalid ? 'bank-transaction-error' : undefined}
          onChange={(e) => setBankTransaction(e.target.value)}
        />
        {invalid && (
          <p id="bank-transaction-error" className="alert alert-error" role="alert">
            {tr(
              'Số giao dịch chỉ gồm chữ cái không dấu, chữ số và các ký tự . _ / -',
              'A transaction number has only letters without accents, digits and . _ / -',
            )}
          </p>
        )}
      </div>
      <ProblemAlert error={confirm.error} />
      <div className="row">
        <button type="button" onClick={() => void confirm.run()} disabled={confirm.busy}>
          {tr(`Xác nhận đã nhận ${amount}`, `Confirm ${amount} received`)}
        </button>
        <button type="button" className="secondary" onClick={onCancel}>
          {tr('Hủy', 'Cancel')}
        </button>
      </div>
    </div>
  )
}

function StatementImport({ onImported }: { onImported(): void }) {
  const { tr } = useLang()
  const input = useRef<HTMLInputElement>(null)
  const [wrongType, setWrongType] = useState(false)
  const [report, setReport] = useState<StatementReport | null>(null)
  const upload = useAction(async (file: File) => {
    const type = statementTypes[file.name.split('.').pop()?.toLowerCase() ?? '']
    if (!type) {
      setWrongType(true)
      return
    }
    const answer = await api<StatementReport>('/api/payments/vietqr/statements', {
      method: 'POST',
      body: file,
      headers: { 'content-type': type },
    })
    setReport(answer)
    onImported()
  })
  const submit = (e: FormEvent) => {
    e.preventDefault()
    const file = input.current?.files?.[0]
    setWrongType(false)
    setReport(null)
    if (file) void upload.run(file)
  }
  return (
    <section className="panel" aria-labelledby="statement-title">
      <h2 id="statement-title">{tr('Nhập sao kê ngân hàng', 'Import a bank statement')}</h2>
      <p className="muted">
        {tr(
          'Tệp CSV (UTF-8) hoặc XLSX tải từ ngân hàng, tối đa 2 MB và 5.000 dòng, có cột số tiền ghi có và cột nội dung chuyển khoản. Mỗi dòng có nội dung chứa mã thanh toán của một hồ sơ đang chờ và đúng số tiền sẽ được xác nhận; nhập lại cùng một sao kê không thu tiền hai lần.',
          'A CSV (UTF-8) or XLSX file from the bank, at most 2 MB and 5,000 lines, with a credit amount column and a transfer content column. Each line whose content carries the payment code of a dossier awaiting its fee, for exactly its amount, is confirmed; importing the same statement again collects nothing twice.',
        )}
      </p>
      <form className="form" onSubmit={submit}>
        <label htmlFor="statement-file">{tr('Tệp sao kê (CSV hoặc XLSX)', 'Statement file (CSV or XLSX)')}</label>
        <input id="statement-file" ref={input} type="file" accept=".csv,.xlsx,text/csv" required />
        {wrongType && (
          <p className="alert alert-error" role="alert">
            {tr(
              'Chỉ nhận tệp sao kê dạng CSV hoặc XLSX. Không có khoản nào được xác nhận.',
              'Only a CSV or XLSX statement is accepted. Nothing was confirmed.',
            )}
          </p>
        )}
        <ProblemAlert error={upload.error} />
        {upload.error != null && (
          <p className="muted">{tr('Không có khoản nào được xác nhận.', 'Nothing was confirmed.')}</p>
        )}
        <div className="row">
          <button type="submit" disabled={upload.busy}>
            {upload.busy ? tr('Đang đối chiếu…', 'Matching…') : tr('Nhập sao kê', 'Import the statement')}
          </button>
        </div>
      </form>
      {report && <StatementResult report={report} />}
    </section>
  )
}

function StatementResult({ report }: { report: StatementReport }) {
  const { tr, number } = useLang()
  const reasons: Record<UnmatchedReason, string> = {
    'no-reference': tr(
      'Nội dung không có mã thanh toán của hồ sơ nào',
      'The content carries no dossier’s payment code',
    ),
    'unknown-reference': tr(
      'Không có khoản chờ thanh toán nào với mã này trong đơn vị của bạn',
      'No payment awaited in your units has this code',
    ),
    'wrong-amount': tr('Số tiền không khớp với khoản phí của hồ sơ', 'The amount is not the dossier’s fee'),
    'already-paid': tr('Khoản phí này đã được xác nhận trước đó', 'This fee was already confirmed'),
    'unreadable-amount': tr('Không đọc được số tiền', 'The amount could not be read'),
  }
  const amount = (n: number | undefined) => (n === undefined ? '—' : `${number(n)} đ`)
  return (
    <div className="statement-report" aria-live="polite">
      <p className="alert alert-ok" role="status">
        {tr(
          `Đã đối chiếu sao kê: ${report.matched.length} khoản được xác nhận, ${report.unmatched.length} dòng không khớp.`,
          `Statement matched: ${report.matched.length} payment(s) confirmed, ${report.unmatched.length} line(s) not matched.`,
        )}
      </p>
      <h3 id="matched-title">{tr('Các dòng đã khớp', 'Matched lines')}</h3>
      {report.matched.length === 0 ? (
        <p className="muted">{tr('Không có dòng nào khớp.', 'No line matched.')}</p>
      ) : (
        <div className="table-scroll">
          <table className="data stack" aria-labelledby="matched-title">
            <thead>
              <tr>
                <th scope="col">{tr('Dòng', 'Line')}</th>
                <th scope="col">{tr('Mã hồ sơ', 'Dossier code')}</th>
                <th scope="col">{tr('Số tiền', 'Amount')}</th>
                <th scope="col">{tr('Nội dung', 'Content')}</th>
                <th scope="col">{tr('Số giao dịch', 'Transaction')}</th>
              </tr>
            </thead>
            <tbody>
              {report.matched.map((m) => (
                <tr key={m.line} data-line={m.line}>
                  <td data-label={tr('Dòng', 'Line')}>{m.line}</td>
                  <td data-label={tr('Mã hồ sơ', 'Dossier code')}>
                    {m.dossierCode ?? tr('(chưa có mã)', '(no code yet)')}
                  </td>
                  <td data-label={tr('Số tiền', 'Amount')} className="nowrap">
                    {amount(m.amountVnd)}
                  </td>
                  <td data-label={tr('Nội dung', 'Content')}>{m.content}</td>
                  <td data-label={tr('Số giao dịch', 'Transaction')}>{m.transaction ?? '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <h3 id="unmatched-title">{tr('Các dòng không khớp', 'Lines not matched')}</h3>
      {report.unmatched.length === 0 ? (
        <p className="muted">{tr('Mọi dòng ghi có đều đã khớp.', 'Every credit line matched.')}</p>
      ) : (
        <div className="table-scroll">
          <table className="data stack" aria-labelledby="unmatched-title">
            <thead>
              <tr>
                <th scope="col">{tr('Dòng', 'Line')}</th>
                <th scope="col">{tr('Số tiền', 'Amount')}</th>
                <th scope="col">{tr('Nội dung', 'Content')}</th>
                <th scope="col">{tr('Lý do', 'Why')}</th>
              </tr>
            </thead>
            <tbody>
              {report.unmatched.map((u) => (
                <tr key={u.line} data-line={u.line}>
                  <td data-label={tr('Dòng', 'Line')}>{u.line}</td>
                  <td data-label={tr('Số tiền', 'Amount')} className="nowrap">
                    {amount(u.amountVnd)}
                  </td>
                  <td data-label={tr('Nội dung', 'Content')}>{u.content ?? '—'}</td>
                  <td data-label={tr('Lý do', 'Why')}>{reasons[u.reason]}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  )
}

/** The calendar day today in Việt Nam (UTC+7), as a date input holds it. */
const todayLocal = () => new Date(Date.now() + 7 * 3_600_000).toISOString().slice(0, 10)

/** The refunds owed on the dossiers of my units (a paid dossier refused), each recorded paid after a step. */
function RefundsDue({
  items,
  loading,
  error,
  onPaid,
}: {
  items: Refund[] | undefined
  loading: boolean
  error: unknown
  onPaid(notice: string): void
}) {
  const { tr, number, dateTime } = useLang()
  const [chosen, setChosen] = useState<Refund | null>(null)
  const codeOf = (r: Refund) => r.dossierCode ?? tr('(chưa có mã)', '(no code yet)')
  return (
    <section className="panel" aria-labelledby="refunds-title">
      <h2 id="refunds-title">{tr('Khoản hoàn trả chờ chi trả', 'Refunds to pay back')}</h2>
      <ProblemAlert error={error} />
      {loading && !items && (
        <p role="status" className="muted">
          {tr('Đang tải…', 'Loading…')}
        </p>
      )}
      {items && items.length === 0 && (
        <p className="muted" role="status">
          {tr('Không có khoản hoàn trả nào chờ chi trả.', 'No refund is waiting to be paid back.')}
        </p>
      )}
      {items && items.length > 0 && (
        <div className="table-scroll">
          <table className="data stack fees">
            <caption className="visually-hidden">
              {tr('Các khoản hoàn trả chờ chi trả, cũ nhất trước', 'Refunds to pay back, oldest first')}
            </caption>
            <thead>
              <tr>
                <th scope="col">{tr('Ghi nhận lúc', 'Recorded')}</th>
                <th scope="col">{tr('Mã hồ sơ', 'Dossier code')}</th>
                <th scope="col">{tr('Người nộp', 'Applicant')}</th>
                <th scope="col">{tr('Thủ tục', 'Procedure')}</th>
                <th scope="col">{tr('Số tiền', 'Amount')}</th>
                <th scope="col">{tr('Khoản đã thu', 'Payment')}</th>
                <th scope="col">{tr('Thao tác', 'Actions')}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((r) => (
                <tr key={r.id} data-refund={r.id}>
                  <td data-label={tr('Ghi nhận lúc', 'Recorded')}>{dateTime(r.recordedAt)}</td>
                  <td data-label={tr('Mã hồ sơ', 'Dossier code')} className="nowrap">
                    {codeOf(r)}
                  </td>
                  <td data-label={tr('Người nộp', 'Applicant')}>{r.applicantName}</td>
                  <td data-label={tr('Thủ tục', 'Procedure')}>{r.procedureName}</td>
                  <td data-label={tr('Số tiền', 'Amount')} className="nowrap">
                    {number(r.amountVnd)} đ
                  </td>
                  <td data-label={tr('Khoản đã thu', 'Payment')}>
                    <code>{r.paymentReference}</code>
                  </td>
                  <td data-label={tr('Thao tác', 'Actions')}>
                    <button
                      type="button"
                      className="secondary"
                      aria-label={`${tr('Ghi nhận đã chi trả khoản hoàn trả của hồ sơ', 'Record the refund paid for dossier')} ${codeOf(r)}`}
                      onClick={() => setChosen(r)}
                      disabled={chosen?.id === r.id}
                    >
                      {tr('Đã chi trả…', 'Paid back…')}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {chosen && (
        <ConfirmRefund
          key={chosen.id}
          refund={chosen}
          dossierCode={codeOf(chosen)}
          onCancel={() => setChosen(null)}
          onDone={(text) => {
            setChosen(null)
            onPaid(text)
          }}
        />
      )}
    </section>
  )
}

/** The step before a refund is recorded paid: how (transfer or cash), on which day, with which voucher. */
function ConfirmRefund({
  refund,
  dossierCode,
  onCancel,
  onDone,
}: {
  refund: Refund
  dossierCode: string
  onCancel(): void
  onDone(notice: string): void
}) {
  const { tr, number } = useLang()
  const [method, setMethod] = useState<'transfer' | 'cash'>('transfer')
  const [paidOn, setPaidOn] = useState(todayLocal())
  const [reference, setReference] = useState('')
  const [invalid, setInvalid] = useState(false)
  const amount = `${number(refund.amountVnd)} đ`
  const save = useAction(async () => {
    const ref = reference.trim()
    if (ref && !bankTransactionPattern.test(ref)) {
      setInvalid(true)
      return
    }
    setInvalid(false)
    await api(`/api/payments/refunds/${encodeURIComponent(refund.id)}/paid`, {
      method: 'POST',
      body: { method, paidOn, ...(ref ? { reference: ref } : {}) },
    })
    onDone(
      tr(
        `Đã ghi nhận chi trả khoản hoàn trả ${amount} của hồ sơ ${dossierCode}.`,
        `The ${amount} refund of dossier ${dossierCode} is recorded as paid.`,
      ),
    )
  })
  return (
    <div className="panel confirm-transfer" role="group" aria-labelledby="refund-confirm-title">
      <h3 id="refund-confirm-title">{tr('Ghi nhận đã chi trả khoản hoàn trả', 'Record the refund paid back')}</h3>
      <p>
        {tr(
          'Chỉ ghi nhận khi người nộp đã nhận lại đúng số tiền dưới đây.',
          'Record it only when the applicant has received exactly this amount back.',
        )}
      </p>
      <dl className="facts">
        <dt>{tr('Hồ sơ', 'Dossier')}</dt>
        <dd>
          {dossierCode} — {refund.applicantName}
        </dd>
        <dt>{tr('Số tiền hoàn trả', 'Amount refunded')}</dt>
        <dd data-testid="refund-amount">
          <strong>{amount}</strong>
        </dd>
      </dl>
      <div className="form">
        <fieldset>
          <legend>{tr('Hình thức chi trả', 'Paid back by')}</legend>
          <label>
            <input
              type="radio"
              name="refund-method"
              checked={method === 'transfer'}
              onChange={() => setMethod('transfer')}
            />{' '}
            {tr('Chuyển khoản', 'Bank transfer')}
          </label>
          <label>
            <input type="radio" name="refund-method" checked={method === 'cash'} onChange={() => setMethod('cash')} />{' '}
            {tr('Tiền mặt', 'Cash')}
          </label>
        </fieldset>
        <label htmlFor="refund-paid-on">{tr('Ngày chi trả', 'Paid on')}</label>
        <input
          id="refund-paid-on"
          type="date"
          value={paidOn}
          max={todayLocal()}
          required
          onChange={(e) => setPaidOn(e.target.value)}
        />
        <label htmlFor="refund-reference">
          {tr('Số chứng từ (giao dịch hoặc phiếu chi, không bắt buộc)', 'Voucher number (transfer or cash, optional)')}
        </label>
        <input
          id="refund-reference"
          value={reference}
          maxLength={100}
          aria-invalid={invalid || undefined}
          aria-describedby={invalid ? 'refund-reference-error' : undefined}
          onChange={(e) => setReference(e.target.value)}
        />
        {invalid && (
          <p id="refund-reference-error" className="alert alert-error" role="alert">
            {tr(
              'Số chứng từ chỉ gồm chữ cái không dấu, chữ số và các ký tự . _ / -',
              'A voucher number has only letters without accents, digits and . _ / -',
            )}
          </p>
        )}
      </div>
      <ProblemAlert error={save.error} />
      <div className="row">
        <button type="button" onClick={() => void save.run()} disabled={save.busy || !paidOn}>
          {tr(`Ghi nhận đã chi trả ${amount}`, `Record ${amount} paid back`)}
        </button>
        <button type="button" className="secondary" onClick={onCancel}>
          {tr('Hủy', 'Cancel')}
        </button>
      </div>
    </div>
  )
}
