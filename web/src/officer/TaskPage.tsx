// /can-bo/nhiem-vu/:taskKey: one task — the dossier's facts, its form data (rjsf, read-only), documents with preview,
// progress and history, the print forms, claim/give back, and the task's decision form (rjsf) that completes it.
import { useEffect, useMemo, useRef, useState } from 'react'
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
import { SignResultPanel } from '../common/results.js'
import { ShipmentPanel } from './shipment-panel.js'
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

/** The fields each decision asks for, beside the decision itself and the note every decision may carry. */
const fieldsOf: Record<string, string[]> = {
  approve: ['nextUnit', 'verificationNeeded', 'consultationNeeded'],
  supplement: ['missing'],
  refuse: ['reason'],
  returnToPrevious: ['reason'],
}

/** The fields of this decision form that belong to the chosen decision (none but the decision before one is chosen). */
function fieldsFor(form: Record<string, unknown>, chosen: string | undefined): string[] {
  const props = Object.keys((form['properties'] as Record<string, unknown> | undefined) ?? {})
  const wanted = ['decision', ...(chosen ? (fieldsOf[chosen] ?? []) : []), ...(chosen ? ['note'] : [])]
  return wanted.filter((k) => props.includes(k))
}

/** What the server's form requires for the chosen decision: its `required` and the if/then rules that match. */
function requiredFor(form: Record<string, unknown>, chosen: string | undefined): string[] {
  const rules = (form['allOf'] as Array<{ if?: unknown; then?: { required?: string[] } }> | undefined) ?? []
  const matching = rules.filter(
    (r) => (r.if as { properties?: { decision?: { const?: string } } })?.properties?.decision?.const === chosen,
  )
  return [...((form['required'] as string[] | undefined) ?? []), ...matching.flatMap((r) => r.then?.required ?? [])]
}

/**
 * The decision form in the page's language, with only the fields of the chosen decision (the missing components for a
 * supplement request, the reason for a refusal or a return, the next agency and the checks for an approval), each
 * marked required as the server's rules for that decision say; missing components are chosen from the procedure's
 * list, the next agency (when the model leaves it to the officer) from the agencies' names.
 */
function decisionUi(
  form: Record<string, unknown>,
  components: Component[],
  lang: Lang,
  nextUnits: Array<{ code: string; name: string }>,
  chosen: string | undefined,
): { schema: RJSFSchema; uiSchema: UiSchema } {
  const all = form['properties'] as Record<string, Record<string, unknown>>
  const props: Record<string, Record<string, unknown>> = {}
  for (const k of fieldsFor(form, chosen)) {
    const v = all[k]!
    // "Lý do / Reason (required to refuse …)": the required mark says when, for the decision chosen.
    props[k] = { ...v, ...(v['title'] ? { title: half(v['title'], lang)?.replace(/\s*\(.*\)$/, '') } : {}) }
  }
  if (props['missing'] && components.length > 0)
    props['missing'] = { ...props['missing'], items: { type: 'string', enum: components.map((c) => c.name) } }
  if (props['nextUnit'] && nextUnits.length > 0) {
    const { enum: _codes, ...rest } = props['nextUnit']
    props['nextUnit'] = {
      ...rest,
      title: lang === 'vi' ? 'Chuyển đến cơ quan' : 'Send to agency',
      oneOf: nextUnits.map((u) => ({ const: u.code, title: u.name })),
    }
  }
  const decisionEnum = ((all['decision']?.['enum'] as string[] | undefined) ?? []).map(String)
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
      'ui:widget': 'select',
      'ui:placeholder': lang === 'vi' ? '— Chọn cơ quan —' : '— Choose an agency —',
    },
  }
  // The rules are applied here, field by field; the server checks the body against its own form.
  const { allOf: _rules, additionalProperties: _closed, ...rest } = form
  return {
    schema: {
      ...rest,
      title: half(form['title'], lang),
      properties: props,
      required: requiredFor(form, chosen).filter((k) => k in props),
    } as RJSFSchema,
    uiSchema,
  }
}

export function TaskPage() {
  const { taskKey = '' } = useParams()
  const { tr, lang } = useLang()
  const { user } = useAuth()
  const [notice, setNotice] = useState<unknown>(null)
  /** The completion's answer, and the dossier's status when it was given. */
  const [done, setDone] = useState<{ result: CommandResult; statusBefore: number } | null>(null)
  const polls = useRef(0)
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
  const chosen = typeof decisionData['decision'] === 'string' ? decisionData['decision'] : undefined
  const decision = useMemo(
    () => (task ? decisionUi(task.decisionForm, components, lang, task.nextUnitChoices ?? [], chosen) : undefined),
    [task, components, lang, chosen],
  )
  const complete = useAction(async () => {
    // What was filled in for another decision before this one was chosen is not sent with it.
    const fields = fieldsFor(task!.decisionForm, chosen)
    const result = await api<CommandResult>(`/api/tasks/${encodeURIComponent(taskKey)}/complete`, {
      method: 'POST',
      body: Object.fromEntries(Object.entries(decisionData).filter(([k]) => fields.includes(k))),
    })
    polls.current = 0
    setDone({ result, statusBefore: task!.dossier.status })
  })
  // The engine carries the decision out after the answer (the code and the receipt come with the reception), so the
  // dossier is read again until its status moves on, for a while: a hand-off within processing may keep it.
  const reload = loaded.reload
  const dossierStatus = task?.dossier.status
  useEffect(() => {
    if (!done || (polls.current > 0 && dossierStatus !== done.statusBefore) || polls.current >= 20) return
    const timer = setTimeout(
      () => {
        polls.current += 1
        reload()
      },
      polls.current === 0 ? 0 : 600,
    )
    return () => clearTimeout(timer)
  }, [done, dossierStatus, reload, loaded.data])
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
                  aria-label={`${tr(f.vi, f.en)}, PDF`}
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
          <SignResultPanel taskKey={taskKey} dossierId={d.id} open={task.state === 'CREATED' && mine} />
          {d.deliveryMethod === 'post' && d.status === 9 && (
            <ShipmentPanel taskKey={taskKey} d={d} open={task.state === 'CREATED' && mine} onRecorded={loaded.reload} />
          )}
          <section className="panel decision" aria-labelledby="decision-title">
            <h2 id="decision-title">{tr('Xử lý công việc', 'Decision')}</h2>
            {done ? (
              <div className="alert alert-ok" role="status" data-testid="task-done">
                <p>{tr('Đã hoàn thành công việc.', 'The task is completed.')}</p>
                <p>
                  {tr('Trạng thái hồ sơ', 'Dossier status')}: <StatusBadge status={d.status} />
                </p>
                {d.code && (
                  <p>
                    {tr('Mã hồ sơ', 'Dossier code')}: <strong>{d.code}</strong>
                  </p>
                )}
                {d.acceptedAt && (
                  <p>
                    <button type="button" className="secondary" onClick={() => void print.run('receipt', 'html')}>
                      {tr('In giấy tiếp nhận và hẹn trả kết quả', 'Print the receipt and appointment')}
                    </button>
                  </p>
                )}
                <p>
                  <Link to="/can-bo">{tr('Về danh sách công việc', 'Back to the worklist')}</Link>
                </p>
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
