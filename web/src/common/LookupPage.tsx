import { useState } from 'react'
import { useSearchParams } from 'react-router'
import { api } from '../api.js'
import { useLang } from '../i18n.js'
import { PageTitle, ProblemAlert, StatusBadge, useAction } from '../ui.js'

interface LookupResult {
  code: string
  status: number
  statusLabel: { vi: string; en: string }
  procedureName: string
  currentStep: string | null
  agency: string
  appointmentDate: string | null
}

export function LookupPage() {
  const { tr, date } = useLang()
  const [params] = useSearchParams()
  const [code, setCode] = useState(params.get('code') ?? '')
  const [idNumber, setIdNumber] = useState('')
  const [result, setResult] = useState<LookupResult | null>(null)
  const lookup = useAction(async () => {
    setResult(null)
    setResult(
      await api<LookupResult>('/api/public/dossiers/lookup', {
        query: { code: code.trim(), idNumber: idNumber.trim() },
      }),
    )
  })
  return (
    <section className="narrow">
      <PageTitle title={tr('Tra cứu hồ sơ', 'Look up a dossier')}>{tr('Tra cứu hồ sơ', 'Look up a dossier')}</PageTitle>
      <p>
        {tr(
          'Nhập mã hồ sơ ghi trên giấy tiếp nhận và số CCCD (hoặc mã số thuế) của người nộp.',
          'Enter the dossier code from the receipt and the applicant’s ID number (or tax code).',
        )}
      </p>
      <form
        className="form"
        onSubmit={(e) => {
          e.preventDefault()
          void lookup.run()
        }}
      >
        <label htmlFor="lookup-code">{tr('Mã hồ sơ', 'Dossier code')}</label>
        <input id="lookup-code" required value={code} onChange={(e) => setCode(e.target.value)} autoComplete="off" />
        <label htmlFor="lookup-id">{tr('Số CCCD / mã số thuế', 'ID number / tax code')}</label>
        <input
          id="lookup-id"
          required
          inputMode="numeric"
          value={idNumber}
          onChange={(e) => setIdNumber(e.target.value)}
          autoComplete="off"
        />
        <button type="submit" disabled={lookup.busy}>
          {tr('Tra cứu', 'Look up')}
        </button>
      </form>
      <ProblemAlert error={lookup.error} />
      {result && (
        <div className="panel" aria-live="polite" data-testid="lookup-result">
          <dl className="facts">
            <dt>{tr('Mã hồ sơ', 'Code')}</dt>
            <dd>{result.code}</dd>
            <dt>{tr('Thủ tục', 'Procedure')}</dt>
            <dd>{result.procedureName}</dd>
            <dt>{tr('Trạng thái', 'Status')}</dt>
            <dd>
              <StatusBadge status={result.status} />
            </dd>
            <dt>{tr('Bước hiện tại', 'Current step')}</dt>
            <dd>{result.currentStep ?? '—'}</dd>
            <dt>{tr('Cơ quan', 'Agency')}</dt>
            <dd>{result.agency}</dd>
            <dt>{tr('Ngày hẹn trả kết quả', 'Appointment date')}</dt>
            <dd>{date(result.appointmentDate)}</dd>
          </dl>
        </div>
      )}
    </section>
  )
}
