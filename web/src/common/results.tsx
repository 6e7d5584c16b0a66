// Electronic results in the web app: the signed results of a dossier with their download (citizen and officer), the
// signing panel of the officer's signing step, and the public verification page (/xac-minh, /xac-minh/:code).
import { useState } from 'react'
import { useParams } from 'react-router'
import { api, apiRaw } from '../api.js'
import { useLang } from '../i18n.js'
import { PageTitle, ProblemAlert, useAction, useAsync } from '../ui.js'

interface Signature {
  kind: 'person' | 'seal'
  subject: string
  at: string
}

export interface ResultSummary {
  id: string
  documentId: string
  title: string
  resultNo: string
  issuer: string
  signedAt: string
  signatures: Signature[]
  sha256: string
  verificationUrl?: string
}

/** "Đặng Văn Long" from "CN=Đặng Văn Long, O=…". */
const commonName = (subject: string) => /(?:^|, )CN=([^,]+)/.exec(subject)?.[1] ?? subject

function Signers({ signatures }: { signatures: Signature[] }) {
  const { tr, dateTime } = useLang()
  return (
    <ul className="signers">
      {signatures.map((s) => (
        <li key={`${s.kind}-${s.subject}`}>
          {s.kind === 'seal' ? tr('Chữ ký số của cơ quan', 'Organisation seal') : tr('Người ký', 'Signed by')}:{' '}
          <strong>{commonName(s.subject)}</strong> — {dateTime(s.at)}
        </li>
      ))}
    </ul>
  )
}

async function download(dossierId: string, r: ResultSummary): Promise<void> {
  const res = await apiRaw(`/api/dossiers/${dossierId}/results/${r.id}`)
  const url = URL.createObjectURL(await res.blob())
  const a = document.createElement('a')
  a.href = url
  a.download = `${r.documentId}-${r.resultNo.replace(/[^A-Za-z0-9-]/g, '-')}.pdf`
  document.body.append(a)
  a.click()
  a.remove()
  setTimeout(() => URL.revokeObjectURL(url), 60_000)
}

/** The signed results of a dossier, each with its signers and a download button; nothing when there is none. */
export function DossierResults({ dossierId, reload = 0 }: { dossierId: string; reload?: number }) {
  const { tr, dateTime } = useLang()
  const list = useAsync(
    (signal) => api<ResultSummary[]>(`/api/dossiers/${dossierId}/results`, { signal }),
    [dossierId, reload],
  )
  const get = useAction((r: ResultSummary) => download(dossierId, r))
  if (!list.data?.length) return null
  return (
    <section className="panel results" aria-labelledby="results-title">
      <h2 id="results-title">{tr('Kết quả giải quyết điện tử', 'Electronic result')}</h2>
      {list.data.map((r) => (
        <div key={r.id} className="result">
          <p>
            <strong>{r.title}</strong> {tr('số', 'no.')} {r.resultNo} — {r.issuer}, {dateTime(r.signedAt)}
          </p>
          <Signers signatures={r.signatures} />
          <p className="row">
            <button type="button" onClick={() => void get.run(r)} disabled={get.busy}>
              {tr('Tải kết quả (PDF đã ký số)', 'Download the result (signed PDF)')}
            </button>
          </p>
        </div>
      ))}
      <ProblemAlert error={get.error} />
    </section>
  )
}

/** At the signing step: the result this step signs, and the button that signs it with the officer's certificate. */
export function SignResultPanel({ taskKey, dossierId, open }: { taskKey: string; dossierId: string; open: boolean }) {
  const { tr } = useLang()
  const [tick, setTick] = useState(0)
  const atTask = useAsync(
    (signal) =>
      api<{ document: { name: string; seal?: boolean } | null; result: ResultSummary | null }>(
        `/api/tasks/${encodeURIComponent(taskKey)}/result`,
        { signal },
      ),
    [taskKey, tick],
  )
  const sign = useAction(async () => {
    await api(`/api/tasks/${encodeURIComponent(taskKey)}/result`, { method: 'POST' })
    setTick((n) => n + 1)
  })
  const doc = atTask.data?.document
  if (!doc) return null
  return (
    <section className="panel sign-result" aria-labelledby="sign-title">
      <h2 id="sign-title">{tr('Ký số kết quả', 'Sign the result')}</h2>
      {atTask.data?.result ? (
        <div className="alert alert-ok" role="status">
          {tr('Đã ký số', 'Signed')}: {doc.name} {tr('số', 'no.')} {atTask.data.result.resultNo}
          <Signers signatures={atTask.data.result.signatures} />
        </div>
      ) : open ? (
        <>
          <p>
            {tr(
              `${doc.name} được lập từ dữ liệu hồ sơ và ký bằng chứng thư số của bạn`,
              `The ${doc.name} is made from the dossier's data and signed with your certificate`,
            )}
            {doc.seal ? tr(', sau đó đóng dấu số của cơ quan.', ', then with the agency’s seal.') : '.'}{' '}
            {tr('Hãy ký trước khi phê duyệt.', 'Sign before approving.')}
          </p>
          <button type="button" onClick={() => void sign.run()} disabled={sign.busy}>
            {tr('Ký số kết quả', 'Sign the result')}
          </button>
          <ProblemAlert error={sign.error} />
        </>
      ) : null}
      <DossierResults dossierId={dossierId} reload={tick} />
    </section>
  )
}

interface VerifiedSignature {
  commonName: string | null
  organization: string | null
  subject: string
  signingTime: string | null
  valid: boolean
  coversWholeDocument: boolean
  trusted: boolean
}
interface Verification {
  signed: boolean
  unmodified: boolean
  signatures: VerifiedSignature[]
  issued: Omit<ResultSummary, 'id' | 'documentId'> | null
}

function IssuedResult({ r }: { r: Omit<ResultSummary, 'id' | 'documentId'> }) {
  const { tr, dateTime } = useLang()
  return (
    <dl className="facts">
      <dt>{tr('Văn bản', 'Document')}</dt>
      <dd>
        {r.title} {tr('số', 'no.')} {r.resultNo}
      </dd>
      <dt>{tr('Cơ quan ban hành', 'Issuing agency')}</dt>
      <dd>{r.issuer}</dd>
      <dt>{tr('Ngày ký', 'Signed on')}</dt>
      <dd>{dateTime(r.signedAt)}</dd>
      <dt>{tr('Chữ ký số', 'Digital signatures')}</dt>
      <dd>
        <Signers signatures={r.signatures} />
      </dd>
      <dt>{tr('Mã băm SHA-256 của tệp', 'SHA-256 of the file')}</dt>
      <dd className="hash">{r.sha256}</dd>
    </dl>
  )
}

/** Anyone: the result a QR code names, and a check of a PDF file (signers, time, agency, modified or not). */
export function VerifyPage() {
  const { code } = useParams()
  const { tr, dateTime } = useLang()
  const named = useAsync(
    (signal) =>
      code
        ? api<Omit<ResultSummary, 'id' | 'documentId'>>(`/api/public/results/${encodeURIComponent(code)}`, { signal })
        : Promise.resolve(null),
    [code],
  )
  const [file, setFile] = useState<File | null>(null)
  const [report, setReport] = useState<Verification | null>(null)
  const check = useAction(async () => {
    setReport(null)
    const body = new FormData()
    body.append('file', file!)
    setReport(await api<Verification>('/api/public/results/verify', { method: 'POST', body }))
  })
  const title = tr('Xác minh văn bản điện tử', 'Verify an electronic document')
  return (
    <section className="narrow verify">
      <PageTitle title={title}>{title}</PageTitle>
      {code && (
        <div className="panel">
          <h2>{tr('Kết quả do hệ thống cấp', 'Result issued by this system')}</h2>
          {named.data && <IssuedResult r={named.data} />}
          <ProblemAlert error={named.error} />
        </div>
      )}
      <form
        className="form panel"
        onSubmit={(e) => {
          e.preventDefault()
          if (file) void check.run()
        }}
      >
        <label htmlFor="verify-file">{tr('Chọn tệp PDF cần kiểm tra', 'Choose the PDF file to check')}</label>
        <input
          id="verify-file"
          type="file"
          accept="application/pdf,.pdf"
          required
          onChange={(e) => setFile(e.target.files?.[0] ?? null)}
        />
        <button type="submit" disabled={check.busy || !file}>
          {tr('Kiểm tra', 'Check')}
        </button>
        <ProblemAlert error={check.error} />
      </form>
      {report && (
        <div className="panel" aria-live="polite">
          <div className={`alert ${report.unmodified && report.issued ? 'alert-ok' : 'alert-error'}`} role="status">
            {!report.signed
              ? tr('Tệp này không có chữ ký số.', 'This file has no digital signature.')
              : report.unmodified
                ? tr(
                    'Chữ ký số hợp lệ: văn bản không bị thay đổi kể từ khi ký.',
                    'The signatures are valid: the document has not been modified since it was signed.',
                  )
                : tr(
                    'Văn bản đã bị thay đổi sau khi ký: chữ ký số không còn giá trị.',
                    'The document was modified after signing: the signatures are no longer valid.',
                  )}{' '}
            {report.issued
              ? tr('Tệp trùng khớp với kết quả do hệ thống cấp.', 'The file matches the result this system issued.')
              : tr(
                  'Tệp không trùng khớp với kết quả nào do hệ thống cấp.',
                  'The file matches no result this system issued.',
                )}
          </div>
          {report.signatures.length > 0 && (
            <table>
              <caption>{tr('Các chữ ký số trong tệp', 'The signatures in the file')}</caption>
              <thead>
                <tr>
                  <th scope="col">{tr('Người ký / cơ quan', 'Signer / agency')}</th>
                  <th scope="col">{tr('Thời gian ký', 'Signing time')}</th>
                  <th scope="col">{tr('Hợp lệ', 'Valid')}</th>
                  <th scope="col">{tr('Chứng thư tin cậy', 'Trusted certificate')}</th>
                </tr>
              </thead>
              <tbody>
                {report.signatures.map((s, n) => (
                  <tr key={n}>
                    <td>
                      {s.commonName ?? s.subject}
                      {s.organization && s.organization !== s.commonName ? ` — ${s.organization}` : ''}
                    </td>
                    <td>{s.signingTime ? dateTime(s.signingTime) : '—'}</td>
                    <td>{s.valid ? tr('Có', 'Yes') : tr('Không', 'No')}</td>
                    <td>{s.trusted ? tr('Có', 'Yes') : tr('Không', 'No')}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          {report.issued && <IssuedResult r={report.issued} />}
        </div>
      )}
    </section>
  )
}
