// /can-bo/tiep-nhan: counter intake — the officer enters a walk-in applicant's dossier (procedure, agency, applicant,
// form, result delivery) with one Idempotency-Key per entry, so a retried click cannot create a second dossier. A
// procedure the officer's unit does not handle itself is received for the competent agency the officer chooses (or
// the commune of the applicant's address): reception regardless of place, where the procedure allows it. Each paper
// component can be scanned and uploaded here before the entry: the dossier then counts as digitised (766, 4.2). Once
// the officer has checked the applicant's card, a reusable component can instead take a document of the applicant's
// store ("kho dữ liệu": their results and accepted components in this unit), without a new scan.
import { useRef, useState } from 'react'
import { Link } from 'react-router'
import type Form from '@rjsf/core'
import { api } from '../api.js'
import { useAuth } from '../auth.js'
import { useLang } from '../i18n.js'
import { Loading, PageTitle, ProblemAlert, StatusBadge, useAction, useAsync } from '../ui.js'
import { DossierForm, SubmitProblem } from '../citizen/dossier-form.js'
import { AgencyDeliveryFields } from '../citizen/agency-delivery.js'
import { fileSize } from '../citizen/upload.js'
import { UploadField, useComponentUpload } from '../citizen/upload-field.js'
import { componentForms, label } from '../citizen/labels.js'
import type {
  Agency,
  CommandResult,
  Component,
  Delivery,
  ProcedureDetail,
  ProcedureSummary,
  StoreDocument,
} from '../citizen/types.js'

/** A component's document, waiting to be named in the intake: a scan uploaded, or a pick from the applicant's store. */
type Scan =
  { fileId: string; name: string; size: number } | { store: { kind: StoreDocument['kind']; id: string }; name: string }

const newKey = () =>
  `counter-${Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('')}`

export function CounterIntakePage() {
  const { tr } = useLang()
  const [slug, setSlug] = useState('')
  const procedures = useAsync(
    (signal) => api<{ items: ProcedureSummary[] }>('/api/procedures', { query: { limit: 100 }, signal }),
    [],
  )
  return (
    <section>
      <PageTitle title={tr('Tiếp nhận trực tiếp', 'Counter intake')}>
        {tr('Tiếp nhận hồ sơ trực tiếp', 'Enter a walk-in dossier')}
      </PageTitle>
      <p>
        <Link to="/can-bo">← {tr('Danh sách công việc', 'Worklist')}</Link>
      </p>
      <div className="panel form">
        <label htmlFor="ci-procedure">{tr('Thủ tục', 'Procedure')}</label>
        <select id="ci-procedure" value={slug} onChange={(e) => setSlug(e.target.value)}>
          <option value="">{tr('— Chọn thủ tục —', '— Choose —')}</option>
          {(procedures.data?.items ?? []).map((p) => (
            <option key={p.slug} value={p.slug}>
              {p.name}
            </option>
          ))}
        </select>
        <ProblemAlert error={procedures.error} />
      </div>
      {slug && <IntakeForm key={slug} slug={slug} />}
    </section>
  )
}

function IntakeForm({ slug }: { slug: string }) {
  const { tr } = useLang()
  const { user } = useAuth()
  const formRef = useRef<Form>(null)
  const key = useRef(newKey())
  const loaded = useAsync(
    async (signal) => {
      const [procedure, agencies] = await Promise.all([
        api<ProcedureDetail>(`/api/procedures/${slug}`, { signal }),
        api<{ items: Agency[] }>(`/api/procedures/${slug}/agencies`, { signal }),
      ])
      return { procedure, agencies: agencies.items }
    },
    [slug],
  )
  const [formData, setFormData] = useState<Record<string, unknown>>({})
  const [agency, setAgency] = useState('')
  const [delivery, setDelivery] = useState<Delivery | ''>('counter')
  const [applicant, setApplicant] = useState({ name: '', idNumber: '', phone: '', email: '' })
  const [result, setResult] = useState<CommandResult | null>(null)
  const [scans, setScans] = useState<Record<string, Scan>>({})
  const [store, setStore] = useState<StoreDocument[] | null>(null)
  const lookUp = useAction(async () => {
    const found = await api<{ items: StoreDocument[] }>(
      `/api/counter/store?idNumber=${encodeURIComponent(applicant.idNumber.trim())}`,
    )
    setStore(found.items)
  })
  const submit = useAction(async () => {
    if (!formRef.current?.validateForm()) return
    const a = Object.fromEntries(
      Object.entries(applicant)
        .map(([k, v]) => [k, v.trim()])
        .filter(([, v]) => v),
    )
    const own = loaded.data?.agencies.some((x) => x.unitId === user?.unitId) ? user!.unitId! : ''
    const chosen = agency || own
    // Not the officer's own unit's procedure: received here (the officer's unit) for the competent agency.
    const target =
      !own && user?.unitId
        ? { agencyUnitId: user.unitId, ...(chosen ? { competentUnitId: chosen } : {}) }
        : { agencyUnitId: chosen }
    setResult(
      await api<CommandResult>('/api/counter/dossiers', {
        method: 'POST',
        headers: { 'idempotency-key': key.current },
        body: {
          procedure: slug,
          ...target,
          formData,
          deliveryMethod: delivery,
          applicant: a,
          attachments: Object.entries(scans).map(([componentId, scan]) =>
            'store' in scan ? { componentId, reuseFromStore: scan.store } : { componentId, fileId: scan.fileId },
          ),
        },
      }),
    )
  })
  if (loaded.error) return <ProblemAlert error={loaded.error} />
  if (!loaded.data) return <Loading />
  const { procedure, agencies } = loaded.data
  if (result) {
    return (
      <div className="panel alert-ok" role="status" data-testid="intake-done">
        <p>
          {tr('Đã nhập hồ sơ', 'Dossier entered')} <StatusBadge status={result.status} />.{' '}
          {tr(
            'Hồ sơ nằm trong danh sách công việc tiếp nhận của Bộ phận Một cửa; mã hồ sơ được cấp khi tiếp nhận.',
            'It is in the counter’s reception tasks; the code is given at reception.',
          )}
        </p>
        <p className="row">
          <Link className="button" to="/can-bo">
            {tr('Về danh sách công việc', 'Back to the worklist')}
          </Link>
        </p>
      </div>
    )
  }
  const ownAgency = agencies.some((x) => x.unitId === user?.unitId) ? user!.unitId! : ''
  return (
    <>
      <div className="panel form">
        <h2>{tr('Người nộp hồ sơ', 'Applicant')}</h2>
        <label htmlFor="ci-name">{tr('Họ tên / tên tổ chức', 'Name')}</label>
        <input
          id="ci-name"
          required
          value={applicant.name}
          onChange={(e) => setApplicant({ ...applicant, name: e.target.value })}
        />
        <label htmlFor="ci-id">{tr('Số CCCD / mã số thuế', 'ID number / tax code')}</label>
        <input
          id="ci-id"
          inputMode="numeric"
          value={applicant.idNumber}
          onChange={(e) => {
            setApplicant({ ...applicant, idNumber: e.target.value })
            // Another card: the store and what was taken from it were the previous applicant's.
            setStore(null)
            setScans((all) => Object.fromEntries(Object.entries(all).filter(([, x]) => !('store' in x))))
          }}
        />
        <div className="row">
          <button
            type="button"
            className="secondary"
            disabled={!/^\d{12}$/.test(applicant.idNumber.trim()) || lookUp.busy}
            onClick={() => void lookUp.run()}
          >
            {tr('Đã kiểm tra thẻ: xem kho dữ liệu của người nộp', 'Card checked: open the applicant’s document store')}
          </button>
        </div>
        <ProblemAlert error={lookUp.error} />
        {store && (
          <p className="muted small" role="status" data-testid="store-found">
            {tr(
              `Kho dữ liệu của người nộp tại đơn vị: ${store.length} giấy tờ.`,
              `The applicant's document store in this unit: ${store.length} documents.`,
            )}
          </p>
        )}
        <label htmlFor="ci-phone">{tr('Điện thoại', 'Phone')}</label>
        <input
          id="ci-phone"
          type="tel"
          value={applicant.phone}
          onChange={(e) => setApplicant({ ...applicant, phone: e.target.value })}
        />
        <label htmlFor="ci-email">{tr('Thư điện tử', 'E-mail')}</label>
        <input
          id="ci-email"
          type="email"
          value={applicant.email}
          onChange={(e) => setApplicant({ ...applicant, email: e.target.value })}
        />
        {!ownAgency && user?.unitId && (
          <p className="muted small" data-testid="reception-elsewhere">
            {tr(
              'Thủ tục này do cơ quan khác giải quyết: đơn vị bạn tiếp nhận hồ sơ không phụ thuộc địa giới hành chính và chuyển đến cơ quan có thẩm quyền giải quyết chọn dưới đây (để trống: UBND xã nơi cư trú ghi trong tờ khai).',
              'Another agency handles this procedure: your unit receives the dossier regardless of place and forwards it to the competent agency chosen below (empty: the commune of the address in the form).',
            )}
          </p>
        )}
        <AgencyDeliveryFields
          idPrefix="ci"
          agencies={agencies}
          agencyUnitId={agency || ownAgency}
          onAgency={setAgency}
          offered={procedure.resultDelivery}
          delivery={delivery}
          onDelivery={setDelivery}
        />
      </div>
      <div className="panel">
        <h2>{tr('Tờ khai', 'Form')}</h2>
        <DossierForm ref={formRef} form={procedure.form} formData={formData} onChange={setFormData} idPrefix="tk" />
      </div>
      <div className="panel">
        <h2>{tr('Số hoá thành phần hồ sơ', 'Digitise the components')}</h2>
        <p className="muted small">
          {tr(
            'Giấy tờ bản giấy được kiểm tra tại quầy khi tiếp nhận. Quét từng thành phần và tải bản quét lên để số hoá hồ sơ.',
            'Paper documents are checked at the counter at reception. Scan each component and upload the scan to digitise the dossier.',
          )}
        </p>
        {procedure.components.map((c) => (
          <ScanComponent
            key={c.id}
            slug={slug}
            component={c}
            scan={scans[c.id]}
            store={c.reusable && store ? store.filter((d) => c.accept.includes(d.mime)) : []}
            onScanned={(scan) => setScans((all) => ({ ...all, [c.id]: scan }))}
          />
        ))}
      </div>
      <div className="panel">
        <SubmitProblem error={submit.error} />
        <button type="button" onClick={() => void submit.run()} disabled={submit.busy || !applicant.name.trim()}>
          {tr('Nhập hồ sơ', 'Enter the dossier')}
        </button>
      </div>
    </>
  )
}

function ScanComponent({
  slug,
  component: c,
  scan,
  store,
  onScanned,
}: {
  slug: string
  component: Component
  scan: Scan | undefined
  /** The applicant's store documents this component may take (reusable, an accepted type). */
  store: StoreDocument[]
  onScanned: (scan: Scan) => void
}) {
  const { tr, lang } = useLang()
  const storeLabel = (d: StoreDocument) =>
    d.kind === 'result'
      ? `${tr('Kết quả', 'Result')}: ${d.title} — ${tr('số', 'no.')} ${d.resultNo} (${tr('hồ sơ', 'dossier')} ${d.dossierCode})`
      : `${d.title} — ${tr('đã nộp ở hồ sơ', 'handed in with dossier')} ${d.dossierCode}`
  const upload = useComponentUpload(`/api/counter/procedures/${slug}/attachments/${c.id}`, (res) =>
    onScanned({ fileId: res.fileId, name: res.name, size: res.size }),
  )
  return (
    <div className="component" data-component={c.id}>
      <h3>{c.name}</h3>
      <p className="muted small">
        {label(componentForms, c.form, lang)} — {tr('tối đa', 'at most')} {c.maxSizeMb} MB
      </p>
      {scan && (
        <p className="alert alert-ok" role="status" data-testid="scan-done">
          {'store' in scan
            ? `${tr('Lấy từ kho dữ liệu', 'From the store')}: ${scan.name}`
            : `${tr('Đã số hoá', 'Digitised')}: ${scan.name} (${fileSize(scan.size, lang)})`}
        </p>
      )}
      <div className="form">
        <UploadField
          inputId={`ci-scan-${c.id}`}
          label={scan ? tr('Quét lại', 'Scan again') : tr('Tải lên bản quét', 'Upload the scan')}
          component={c}
          state={upload}
        />
        {store.length > 0 && (
          <>
            <label htmlFor={`ci-store-${c.id}`}>
              {tr('Hoặc lấy từ kho dữ liệu của người nộp', 'Or take it from the applicant’s store')}
              <span className="visually-hidden">: {c.name}</span>
            </label>
            <select
              id={`ci-store-${c.id}`}
              value={scan && 'store' in scan ? `${scan.store.kind}:${scan.store.id}` : ''}
              onChange={(e) => {
                const d = store.find((x) => `${x.kind}:${x.id}` === e.target.value)
                if (d) onScanned({ store: { kind: d.kind, id: d.id }, name: storeLabel(d) })
              }}
            >
              <option value="">{tr('— Chọn giấy tờ —', '— Choose a document —')}</option>
              {store.map((d) => (
                <option key={`${d.kind}:${d.id}`} value={`${d.kind}:${d.id}`}>
                  {storeLabel(d)}
                </option>
              ))}
            </select>
          </>
        )}
      </div>
    </div>
  )
}
