// /can-bo/nhiem-vu/:taskKey: one task — the dossier's facts, its form data (rjsf, read-only), documents with preview,
// progress and history, the print forms, claim/give back, and the task's decision form (rjsf) that completes it.
import { useMemo, useState } from 'react'
import { Link, useParams } from 'react-router'
import Form from '@rjsf/core'
import type { RJSFSchema, UiSchema } from '@rjsf/utils'
import { api, openProtected } from '../api.js'
import { useAuth } from '../auth.js'
import { useLang, type Lang } from '../i18n.js'
import { Loading, PageTitle, ProblemAlert, StatusBadge, dueClass, useAction, useAsync } from '../ui.js'
import { DossierForm, formValidator, localizeErrors } from '../citizen/dossier-form.js'
import { DossierDocuments, DossierFacts, DossierTrack } from '../citizen/dossier-view.js'
import { decisions } from '../citizen/labels.js'
import type { CommandResult, Component, ProcedureDetail } from '../citizen/types.js'
import { dueState } from './due.js'
import { DossierRoute, type DossierWithRoute } from './DossierRoute.js'
import { ClaimNotice, DueText, claimTask } from './WorklistPage.js'

interface TaskDetail {
  taskKey: string
  name: string
  elementId: string
  state: string
  candidateGroups: string[]
  assignee: string | null
  dueAt: string | null
  decisionForm: Record<string, unknown>
  /** The agencies an approval sends the dossier to, when the next step's agency is the officer's choice. */
  nextUnitChoices?: Array<{ code: string; name: string }>
  dossier: DossierWithRoute
}

/** "Ghi chú / Note" → the part in the page's language. */
const half = (title: unknown, lang: Lang) => {
  if (typeof title !== 'string') return undefined
  const [vi, en] = title.split(' / ')
  return lang === 'en' && en ? en : vi
}

// One empty list for every render, so the decision form is not rebuilt while the procedure loads.
const noComponents: Component[] = []

/**
 * The decision form in the page's language; missing components are chosen from the procedure's list; the next agency
 * (when the model leaves it to the officer) is a required select of the agencies' names, shown for an approval only.
 */
function decisionUi(
  form: Record<string, unknown>,
  components: Component[],
  lang: Lang,
  nextUnits: Array<{ code: string; name: string }>,
  approving: boolean,
): { schema: RJSFSchema; uiSchema: UiSchema } {
  const props = { ...(form['properties'] as Record<string, Record<string, unknown>>) }
  for (const [k, v] of Object.entries(props))
    props[k] = { ...v, ...(v['title'] ? { title: half(v['title'], lang) } : {}) }
  if (props['missing'] && components.length > 0)
    props['missing'] = { ...props['missing'], items: { type: 'string', enum: components.map((c) => c.name) } }
  const choosing = Boolean(props['nextUnit']) && nextUnits.length > 0
  if (choosing) {
    const { enum: _codes, ...rest } = props['nextUnit']!
    props['nextUnit'] = {
      ...rest,
      title: lang === 'vi' ? 'Chuyển đến cơ quan' : 'Send to agency',
      oneOf: nextUnits.map((u) => ({ const: u.code, title: u.name })),
    }
  }
  const decisionEnum = ((props['decision']?.['enum'] as string[] | undefined) ?? []).map(String)
  props['decision'] = { ...props['decision'], title: lang === 'vi' ? 'Quyết định' : 'Decision' }
  const uiSchema: UiSchema = {
    'ui:order': ['decision', 'nextUnit', 'missing', 'reason', 'verificationNeeded', 'consultationNeeded', 'note', '*'],
    decision: {
      'ui:widget': 'radio',
      'ui:enumNames': Object.fromEntries(decisionEnum.map((d) => [d, decisions[d]?.[lang] ?? d])),
    },
    missing: { 'ui:widget': 'checkboxes' },
    reason: { 'ui:widget': 'textarea' },
    note: { 'ui:widget': 'textarea' },
    nextUnit: {
      'ui:widget': choosing && approving ? 'select' : 'hidden',
      'ui:placeholder': lang === 'vi' ? '— Chọn cơ quan —' : '— Choose an agency —',
    },
  }
  const required = [
    ...((form['required'] as string[] | undefined) ?? []),
    ...(choosing && approving ? ['nextUnit'] : []),
  ]
  return {
    schema: { ...form, title: half(form['title'], lang), properties: props, required } as RJSFSchema,
    uiSchema,
  }
}

export function TaskPage() {
  const { taskKey = '' } = useParams()
  const { tr, lang } = useLang()
  const { user } = useAuth()
  const [notice, setNotice] = useState<unknown>(null)
  const [done, setDone] = useState<CommandResult | null>(null)
  const loaded = useAsync(
    async (signal) => {
      const task = await api<TaskDetail>(`/api/tasks/${encodeURIComponent(taskKey)}`, { signal })
      const procedure = await api<ProcedureDetail>(`/api/procedures/${task.dossier.procedure.slug}`, { signal }).catch(
        () => undefined,
      )
      return { task, procedure }
    },
    [taskKey],
  )
  const task = loaded.data?.task
  const components = loaded.data?.procedure?.components ?? noComponents
  const transformErrors = useMemo(() => localizeErrors(lang), [lang])
  const [decisionData, setDecisionData] = useState<Record<string, unknown>>({})
  const approving = decisionData['decision'] === 'approve'
  const decision = useMemo(
    () => (task ? decisionUi(task.decisionForm, components, lang, task.nextUnitChoices ?? [], approving) : undefined),
    [task, components, lang, approving],
  )
  const complete = useAction(async () => {
    setDone(
      await api<CommandResult>(`/api/tasks/${encodeURIComponent(taskKey)}/complete`, {
        method: 'POST',
        // A choice of agency made before switching to another decision is not sent with it.
        body: approving
          ? decisionData
          : Object.fromEntries(Object.entries(decisionData).filter(([k]) => k !== 'nextUnit')),
      }),
    )
  })
  const claim = async (yes: boolean) => {
    setNotice(null)
    try {
      await claimTask(taskKey, yes)
      setNotice({
        ok: yes
          ? tr('Bạn đã nhận xử lý công việc này.', 'You claimed this task.')
          : tr('Đã trả công việc về nhóm.', 'The task is back with the group.'),
      })
    } catch (err) {
      setNotice(err)
    }
    loaded.reload()
  }
  const print = useAction(async (form: string, format: 'html' | 'pdf') =>
    openProtected(`/api/dossiers/${task!.dossier.id}/print/${form}?format=${format}`),
  )

  if (loaded.error) return <ProblemAlert error={loaded.error} />
  if (!task || !decision) return <Loading />
  const d = task.dossier
  const due = dueState(task.dueAt, d.overdue)
  // The forms the dossier has reached (the server answers 409 for the others).
  const printable = [
    {
      form: 'receipt',
      vi: 'Giấy tiếp nhận và hẹn trả kết quả',
      en: 'Receipt and appointment',
      when: Boolean(d.acceptedAt),
    },
    {
      form: 'supplement-request',
      vi: 'Phiếu yêu cầu bổ sung',
      en: 'Supplement request',
      when: d.timeline.some((e) => e.kind === 'supplement_requested'),
    },
    { form: 'refusal', vi: 'Phiếu từ chối', en: 'Refusal', when: d.status === 3 && Boolean(d.closeReason) },
    {
      form: 'apology',
      vi: 'Phiếu xin lỗi và hẹn lại',
      en: 'Apology and new date',
      when: Boolean(d.acceptedAt) && d.timeline.some((e) => e.kind === 'extended'),
    },
    {
      form: 'control-sheet',
      vi: 'Phiếu kiểm soát quá trình',
      en: 'Process control sheet',
      when: Boolean(d.acceptedAt),
    },
  ].filter((f) => f.when)
  const mine = task.assignee === user?.userId
  return (
    <article className="task">
      <PageTitle title={`${task.name} — ${d.code ?? d.procedure.name}`}>
        {task.name}: {d.code ?? tr('hồ sơ chưa có mã', 'dossier without a code yet')}
      </PageTitle>
      <p className="row">
        <Link to="/can-bo">← {tr('Danh sách công việc', 'Worklist')}</Link>
      </p>
      <div className={`panel task-head ${dueClass(due)}`}>
        <p>
          <StatusBadge status={d.status} /> {tr('Hạn xử lý bước', 'Step due')}:{' '}
          <DueText dueAt={task.dueAt} overdue={due.overdue} dossierOverdue={d.overdue} />
        </p>
        <p>
          {tr('Người xử lý', 'Holder')}:{' '}
          {task.assignee === null
            ? tr('chưa ai nhận', 'unclaimed')
            : mine
              ? tr('tôi', 'me')
              : (d.current.assignee?.name ?? tr('cán bộ khác', 'another officer'))}
        </p>
        {task.state === 'CREATED' && (
          <p className="row">
            {mine ? (
              <button type="button" className="secondary" onClick={() => void claim(false)}>
                {tr('Trả lại nhóm', 'Give back to the group')}
              </button>
            ) : (
              <button type="button" onClick={() => void claim(true)}>
                {tr('Nhận xử lý', 'Claim')}
              </button>
            )}
          </p>
        )}
        <ClaimNotice notice={notice} />
      </div>

      {printable.length > 0 && (
        <div className="panel">
          <h2>{tr('In phiếu', 'Print')}</h2>
          <p className="row">
            {printable.map((f) => (
              <span key={f.form} className="row">
                <button type="button" className="secondary" onClick={() => void print.run(f.form, 'html')}>
                  {tr(f.vi, f.en)}
                </button>
                <button
                  type="button"
                  className="secondary"
                  onClick={() => void print.run(f.form, 'pdf')}
                  aria-label={`${tr(f.vi, f.en)} (PDF)`}
                >
                  PDF
                </button>
              </span>
            ))}
          </p>
          <ProblemAlert error={print.error} />
        </div>
      )}

      <DossierRoute d={d} />

      <div className="task-columns">
        <div>
          <div className="panel">
            <DossierFacts d={d} />
            {d.applicant.idNumber && (
              <p className="small">
                {tr('Số giấy tờ của người nộp', 'Applicant’s ID number')}: {d.applicant.idNumber}
                {d.applicant.phone && ` — ${tr('điện thoại', 'phone')} ${d.applicant.phone}`}
                {d.applicant.email && ` — ${d.applicant.email}`}
              </p>
            )}
          </div>
          <section className="panel" aria-labelledby="formdata-title">
            <h2 id="formdata-title">{tr('Tờ khai', 'Form data')}</h2>
            {loaded.data?.procedure ? (
              <DossierForm form={loaded.data.procedure.form} formData={d.formData} readonly idPrefix="hs" />
            ) : (
              <pre>{JSON.stringify(d.formData, null, 2)}</pre>
            )}
          </section>
          <div className="panel">
            <DossierDocuments d={d} components={components} preview />
          </div>
        </div>
        <div>
          <section className="panel decision" aria-labelledby="decision-title">
            <h2 id="decision-title">{tr('Xử lý công việc', 'Decision')}</h2>
            {done ? (
              <div className="alert alert-ok" role="status">
                {tr('Đã hoàn thành công việc.', 'The task is completed.')} <StatusBadge status={done.status} />{' '}
                <Link to="/can-bo">{tr('Về danh sách công việc', 'Back to the worklist')}</Link>
              </div>
            ) : task.state !== 'CREATED' ? (
              <p>{tr('Công việc này đã kết thúc.', 'This task is finished.')}</p>
            ) : (
              <Form
                className="dossier-form"
                schema={decision.schema}
                uiSchema={decision.uiSchema}
                formData={decisionData}
                validator={formValidator}
                idPrefix="quyet-dinh"
                // No empty list of missing components for an accept: the server's form wants at least one when present.
                // Nor a preselected agency: the officer picks it (rjsf would take the first choice's const).
                experimental_defaultFormStateBehavior={{
                  emptyObjectFields: 'skipEmptyDefaults',
                  constAsDefaults: 'never',
                }}
                noHtml5Validate
                focusOnFirstError
                showErrorList={false}
                transformErrors={transformErrors}
                onChange={(e) => setDecisionData((e.formData ?? {}) as Record<string, unknown>)}
                onSubmit={() => void complete.run()}
              >
                <ProblemAlert error={complete.error} />
                <button type="submit" disabled={complete.busy}>
                  {tr('Hoàn thành', 'Complete')}
                </button>
              </Form>
            )}
          </section>
          <DossierTrack d={d} />
        </div>
      </div>
    </article>
  )
}
