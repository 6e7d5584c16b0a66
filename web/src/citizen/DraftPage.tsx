// /nop-ho-so/:draftId: filling a draft — the procedure's form (rjsf, saved as you type), the documents per component
// (upload with progress, pick from my document store, or reuse by an earlier dossier's code), the receiving agency and
// the result delivery, then submit with an Idempotency-Key made once per draft and kept, so a retry after a lost answer
// cannot make a second dossier.
import { useCallback, useEffect, useRef, useState } from 'react'
import { Link, useNavigate, useParams } from 'react-router'
import type Form from '@rjsf/core'
import { api } from '../api.js'
import { useLang } from '../i18n.js'
import { Loading, PageTitle, ProblemAlert, problemOf, useAction, useAsync } from '../ui.js'
import { DossierForm, SubmitProblem } from './dossier-form.js'
import { AgencyDeliveryFields } from './agency-delivery.js'
import { DeliveryAddressFields } from './delivery-address.js'
import { componentForms, label } from './labels.js'
import type {
  Agency,
  CommandResult,
  Component,
  Delivery,
  DeliveryAddressInput,
  Draft,
  DraftAttachment,
  ProcedureDetail,
  StoreDocument,
} from './types.js'
import { fileSize } from './upload.js'
import { UploadField, useComponentUpload } from './upload-field.js'

const autosaveDelayMs = 800

/** The draft's submission key: made once, kept in this browser, reused by every retry of the submission. */
function submissionKey(draftId: string): string {
  const storageKey = `motcua.submission-key.${draftId}`
  let key = localStorage.getItem(storageKey)
  if (!key) {
    const bytes = crypto.getRandomValues(new Uint8Array(16))
    key = `draft-${draftId.slice(0, 8)}-${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`
    localStorage.setItem(storageKey, key)
  }
  return key
}

export function DraftPage() {
  const { draftId = '' } = useParams()
  const { tr } = useLang()
  const loaded = useAsync(
    async (signal) => {
      const draft = await api<Draft>(`/api/dossiers/drafts/${draftId}`, { signal })
      const [procedure, agencies, store] = await Promise.all([
        api<ProcedureDetail>(`/api/procedures/${draft.procedure}`, { signal }),
        api<{ items: Agency[] }>(`/api/procedures/${draft.procedure}/agencies`, { signal }),
        api<{ items: StoreDocument[] }>('/api/dossiers/store', { signal }),
      ])
      return { draft, procedure, agencies: agencies.items, store: store.items }
    },
    [draftId],
  )
  if (loaded.error) return <ProblemAlert error={loaded.error} />
  if (!loaded.data) return <Loading />
  const { draft, procedure, agencies, store } = loaded.data
  if (draft.submittedDossierId) {
    return (
      <section className="narrow">
        <PageTitle title={tr('Hồ sơ đã nộp', 'Dossier submitted')}>{tr('Hồ sơ đã nộp', 'Dossier submitted')}</PageTitle>
        <p>
          <Link to={`/ho-so-cua-toi/${draft.submittedDossierId}`}>{tr('Xem hồ sơ', 'Open the dossier')}</Link>
        </p>
      </section>
    )
  }
  return <DraftEditor initial={draft} procedure={procedure} agencies={agencies} store={store} />
}

type SaveState =
  { state: 'idle' } | { state: 'saving' } | { state: 'saved'; at: Date } | { state: 'error'; error: unknown }

function DraftEditor({
  initial,
  procedure,
  agencies,
  store,
}: {
  initial: Draft
  procedure: ProcedureDetail
  agencies: Agency[]
  store: StoreDocument[]
}) {
  const { tr, lang, dateTime } = useLang()
  const navigate = useNavigate()
  const formRef = useRef<Form>(null)
  const [formData, setFormData] = useState(initial.formData)
  const [agencyUnitId, setAgencyUnitId] = useState(initial.agencyUnitId ?? '')
  const [delivery, setDelivery] = useState<Delivery | ''>(initial.deliveryMethod ?? '')
  const [address, setAddress] = useState<DeliveryAddressInput>(initial.deliveryAddress ?? {})
  const [attachments, setAttachments] = useState<DraftAttachment[]>(initial.attachments)
  const [save, setSave] = useState<SaveState>({ state: 'idle' })
  const pending = useRef<{
    timer?: ReturnType<typeof setTimeout>
    data?: Record<string, unknown>
    inFlight?: Promise<void>
  }>({})

  const patch = useCallback(
    async (body: Record<string, unknown>) => {
      setSave({ state: 'saving' })
      try {
        await api<Draft>(`/api/dossiers/drafts/${initial.id}`, { method: 'PATCH', body })
        setSave({ state: 'saved', at: new Date() })
      } catch (error) {
        setSave({ state: 'error', error })
        throw error
      }
    },
    [initial.id],
  )

  /** Saves the form data now if a debounced save is waiting, and waits for any save under way. */
  const flush = useCallback(async () => {
    const p = pending.current
    if (p.timer) {
      clearTimeout(p.timer)
      p.timer = undefined
      const data = p.data
      p.inFlight = patch({ formData: data })
    }
    await p.inFlight
  }, [patch])

  const onFormChange = (data: Record<string, unknown>) => {
    setFormData(data)
    const p = pending.current
    p.data = data
    if (p.timer) clearTimeout(p.timer)
    p.timer = setTimeout(() => {
      p.timer = undefined
      p.inFlight = patch({ formData: data }).catch(() => undefined)
    }, autosaveDelayMs)
  }
  useEffect(() => () => clearTimeout(pending.current.timer), [])

  // One agency: chosen for the applicant (and saved so the submission has it).
  useEffect(() => {
    if (!initial.agencyUnitId && agencies.length === 1) {
      setAgencyUnitId(agencies[0]!.unitId)
      void patch({ agencyUnitId: agencies[0]!.unitId }).catch(() => undefined)
    }
  }, [agencies, initial.agencyUnitId, patch])

  const submit = useAction(async () => {
    // The form's own check marks its fields; the server then lists every problem at once (the form's, the agency,
    // the delivery, the documents), so one attempt tells the applicant everything that is left.
    formRef.current?.validateForm()
    await flush()
    await patch({
      formData,
      ...(agencyUnitId ? { agencyUnitId } : {}),
      ...(delivery ? { deliveryMethod: delivery } : {}),
      ...(delivery === 'post' ? { deliveryAddress: address } : {}),
    })
    const result = await api<CommandResult>(`/api/dossiers/drafts/${initial.id}/submit`, {
      method: 'POST',
      headers: { 'idempotency-key': submissionKey(initial.id) },
    })
    navigate(`/nop-ho-so/${initial.id}/da-nop?ho-so=${result.dossierId}`, { replace: true })
  })

  return (
    <section className="draft">
      <PageTitle title={tr('Nộp hồ sơ', 'Apply')}>
        {tr('Nộp hồ sơ', 'Apply')}: {procedure.name}
      </PageTitle>
      <p className="save-status" role="status" aria-live="polite" data-testid="save-status">
        {save.state === 'saving' && tr('Đang lưu…', 'Saving…')}
        {save.state === 'saved' && `${tr('Đã lưu', 'Saved')} ${dateTime(save.at)}`}
        {save.state === 'error' && `${tr('Chưa lưu được', 'Not saved')}: ${problemOf(save.error).message[lang]}`}
        {save.state === 'idle' && tr('Bản nháp được lưu tự động khi bạn nhập.', 'The draft saves itself as you type.')}
      </p>

      <h2>1. {tr('Tờ khai', 'Form')}</h2>
      <div className="panel">
        <DossierForm ref={formRef} form={procedure.form} formData={formData} onChange={onFormChange} />
      </div>

      <h2>2. {tr('Giấy tờ kèm theo', 'Documents')}</h2>
      {procedure.components.map((c) => (
        <ComponentUpload
          key={c.id}
          draftId={initial.id}
          component={c}
          attached={attachments.find((a) => a.componentId === c.id)}
          store={c.reusable ? store.filter((d) => c.accept.includes(d.mime)) : []}
          onAttached={(draft) => setAttachments(draft.attachments)}
        />
      ))}

      <h2>3. {tr('Cơ quan tiếp nhận và cách nhận kết quả', 'Receiving agency and result delivery')}</h2>
      <div className="panel form">
        <AgencyDeliveryFields
          idPrefix="draft"
          agencies={agencies}
          agencyUnitId={agencyUnitId}
          onAgency={(unitId) => {
            setAgencyUnitId(unitId)
            if (unitId) void patch({ agencyUnitId: unitId }).catch(() => undefined)
          }}
          offered={procedure.resultDelivery}
          delivery={delivery}
          onDelivery={(d) => {
            setDelivery(d)
            void patch({ deliveryMethod: d }).catch(() => undefined)
          }}
        />
        {delivery === 'post' && (
          <DeliveryAddressFields
            idPrefix="draft-address"
            value={address}
            onChange={(next, final) => {
              setAddress(next)
              if (final) void patch({ deliveryAddress: next }).catch(() => undefined)
            }}
          />
        )}
      </div>

      <h2>4. {tr('Nộp hồ sơ', 'Submit')}</h2>
      <div className="panel">
        <SubmitProblem error={submit.error} />
        <p className="muted">
          {tr(
            'Sau khi nộp, cán bộ Bộ phận Một cửa kiểm tra hồ sơ. Mã hồ sơ và ngày hẹn trả kết quả được cấp khi hồ sơ được tiếp nhận.',
            'After you submit, the one-stop counter checks the dossier. The dossier code and the appointment date are given when it is received.',
          )}
        </p>
        <button type="button" onClick={() => void submit.run()} disabled={submit.busy}>
          {submit.busy ? tr('Đang nộp…', 'Submitting…') : tr('Nộp hồ sơ', 'Submit the dossier')}
        </button>
      </div>
    </section>
  )
}

function ComponentUpload({
  draftId,
  component: c,
  attached,
  store,
  onAttached,
}: {
  draftId: string
  component: Component
  attached: DraftAttachment | undefined
  /** The documents of my store this component may take (reusable, an accepted type). */
  store: StoreDocument[]
  onAttached(draft: Draft): void
}) {
  const { tr, lang } = useLang()
  const [file, setFile] = useState<{ name: string; size: number } | null>(null)
  const [code, setCode] = useState('')
  const [picked, setPicked] = useState('')
  const inputId = `file-${c.id}`
  const upload = useComponentUpload(`/api/dossiers/drafts/${draftId}/attachments/${c.id}`, (res) => {
    setFile({ name: res.name, size: res.size })
    if (res.draft) onAttached(res.draft)
  })
  const reuse = useAction(async () => {
    const draft = await api<Draft>(`/api/dossiers/drafts/${draftId}/attachments/${c.id}/reuse`, {
      method: 'POST',
      body: { dossierCode: code.trim() },
    })
    setFile(null)
    onAttached(draft)
  })
  const fromStore = useAction(async () => {
    const [kind, id] = picked.split(':') as [StoreDocument['kind'], string]
    const draft = await api<Draft>(`/api/dossiers/drafts/${draftId}/attachments/${c.id}/store`, {
      method: 'POST',
      body: { kind, id },
    })
    setFile(null)
    onAttached(draft)
  })
  const storeLabel = (d: StoreDocument) =>
    d.kind === 'result'
      ? `${tr('Kết quả', 'Result')}: ${d.title} — ${tr('số', 'no.')} ${d.resultNo} (${tr('hồ sơ', 'dossier')} ${d.dossierCode})`
      : `${d.title} — ${tr('đã nộp ở hồ sơ', 'handed in with dossier')} ${d.dossierCode}`
  const pickedDoc = attached?.reuseFromStore
    ? store.find((d) => d.kind === attached.reuseFromStore!.kind && d.id === attached.reuseFromStore!.id)
    : undefined
  const types = c.accept
    .map((t) =>
      t
        .replace(/^application\//, '')
        .replace(/^image\//, '')
        .toUpperCase(),
    )
    .join(', ')
  const required = c.required && !c.condition && c.form !== 'present-original'
  return (
    <div className="panel component" data-component={c.id}>
      <h3 id={`${inputId}-name`}>
        {c.name}{' '}
        {required ? (
          <span className="badge status-waitingSupplement">{tr('Bắt buộc', 'Required')}</span>
        ) : (
          <span className="badge">{tr('Không bắt buộc', 'Optional')}</span>
        )}
      </h3>
      <p className="muted small">
        {label(componentForms, c.form, lang)}
        {c.condition && ` — ${tr('khi', 'when')}: ${c.condition}`}
        {` — ${tr('Định dạng', 'Types')}: ${types}; ${tr('tối đa', 'at most')} ${c.maxSizeMb} MB`}
      </p>
      {attached && (
        <p className="alert alert-ok" role="status">
          {attached.reuseFromStore
            ? `${tr('Đã chọn từ kho dữ liệu', 'Taken from my document store')}${pickedDoc ? `: ${storeLabel(pickedDoc)}` : ''}`
            : attached.reuseFromDossierCode
              ? `${tr('Dùng lại giấy tờ của hồ sơ', 'Reused from dossier')} ${attached.reuseFromDossierCode}`
              : `${tr('Đã đính kèm', 'Attached')}${file ? `: ${file.name} (${fileSize(file.size, lang)})` : ''}`}
        </p>
      )}
      <div className="form">
        <UploadField
          inputId={inputId}
          label={attached ? tr('Thay tệp', 'Replace the file') : tr('Chọn tệp', 'Choose a file')}
          component={c}
          state={upload}
        />
        {store.length > 0 && (
          <div className="reuse">
            <label htmlFor={`${inputId}-store`}>
              {tr('Hoặc chọn từ kho dữ liệu của bạn', 'Or pick from your document store')}
              <span className="visually-hidden">: {c.name}</span>
            </label>
            <div className="row">
              <select id={`${inputId}-store`} value={picked} onChange={(e) => setPicked(e.target.value)}>
                <option value="">{tr('— Chọn giấy tờ —', '— Choose a document —')}</option>
                {store.map((d) => (
                  <option key={`${d.kind}:${d.id}`} value={`${d.kind}:${d.id}`}>
                    {storeLabel(d)}
                  </option>
                ))}
              </select>
              <button
                type="button"
                className="secondary"
                disabled={!picked || fromStore.busy}
                onClick={() => void fromStore.run()}
              >
                {tr('Chọn từ kho dữ liệu', 'Use this document')}
              </button>
            </div>
            <ProblemAlert error={fromStore.error} />
          </div>
        )}
        {c.reusable && (
          <div className="reuse">
            <label htmlFor={`${inputId}-reuse`}>
              {tr(
                'Hoặc dùng lại giấy tờ đã nộp ở hồ sơ trước (nhập mã hồ sơ)',
                'Or reuse the document from an earlier dossier (its code)',
              )}
              <span className="visually-hidden">: {c.name}</span>
            </label>
            <div className="row">
              <input
                id={`${inputId}-reuse`}
                value={code}
                onChange={(e) => setCode(e.target.value)}
                autoComplete="off"
              />
              <button
                type="button"
                className="secondary"
                disabled={!code.trim() || reuse.busy}
                onClick={() => void reuse.run()}
              >
                {tr('Dùng lại', 'Reuse')}
              </button>
            </div>
            <ProblemAlert error={reuse.error} />
          </div>
        )}
      </div>
    </div>
  )
}
