// One version of a procedure in the editor: the BPMN modeler and the dossier form editor on tabs,
// saved together as the draft, validated and published by the server; the in-editor lint and the
// server's problems listed below, each one selecting its element. Loaded on demand (bpmn-js is large).
import { useCallback, useEffect, useMemo, useRef, useState } from 'react'
import { Link, useNavigate, useParams } from 'react-router'
import { ApiError } from '../api.js'
import { useLang } from '../i18n.js'
import { Loading, PageTitle, ProblemAlert, problemOf, useAction, useAsync } from '../ui.js'
import { BpmnEditor, type BpmnEditorHandle, type ElementEntry, type LintIssue } from './BpmnEditor.js'
import { translateModelerText } from './modeler-i18n.js'
import { catalogue, problemsOf, type Definition, type DefinitionProblem } from './catalogue.js'
import { FormEditor } from './FormEditor.js'
import { definitionOf, textsOf, type FormTexts } from './form-texts.js'
import { useCreateDraft } from './drafts.js'
import './analyst.css'

type Tab = 'bpmn' | 'form'

/** The refusal without its per-item list, which the problem list below shows with links to elements. */
function withoutItems(error: unknown): unknown {
  if (!(error instanceof ApiError)) return error
  const { errors: _errors, ...rest } = error.problem
  return new ApiError(rest as typeof error.problem)
}

export default function EditorPage() {
  const { slug = '', version: versionParam = '' } = useParams()
  const version = Number(versionParam)
  const loaded = useAsync(
    async (signal) => {
      const [detail, xml] = await Promise.all([
        catalogue.version(slug, version, signal),
        catalogue.bpmn(slug, version, signal),
      ])
      return { detail, xml }
    },
    [slug, version],
  )
  if (loaded.error) return <ProblemAlert error={loaded.error} />
  if (!loaded.data) return <Loading />
  return (
    <Editor
      key={`${slug}/${version}`}
      slug={slug}
      version={version}
      definition={loaded.data.detail.definition}
      xml={loaded.data.xml}
      published={loaded.data.detail.status === 'published'}
    />
  )
}

function Editor({
  slug,
  version,
  definition,
  xml,
  published,
}: {
  slug: string
  version: number
  definition: Definition
  xml: string
  published: boolean
}) {
  const { lang, tr } = useLang()
  const navigate = useNavigate()
  const editor = useRef<BpmnEditorHandle>(null)
  const [tab, setTab] = useState<Tab>('bpmn')
  const [texts, setTexts] = useState<FormTexts>(() => textsOf(definition))
  const [dirty, setDirty] = useState(false)
  const [lint, setLint] = useState<LintIssue[] | null>(null)
  const [elements, setElements] = useState<ElementEntry[]>([])
  const [problems, setProblems] = useState<DefinitionProblem[]>([])
  const [notice, setNotice] = useState<string | null>(null)
  const [loadError, setLoadError] = useState<unknown>(null)
  const createDraft = useCreateDraft()
  // The units a step may be handled by; without them the group says it is loading (and the server still checks).
  const agencies = useAsync(async (signal) => (await catalogue.agencies(signal)).items, [])

  useEffect(() => {
    if (!dirty) return
    const warn = (e: BeforeUnloadEvent) => e.preventDefault()
    window.addEventListener('beforeunload', warn)
    return () => window.removeEventListener('beforeunload', warn)
  }, [dirty])

  const save = useCallback(async () => {
    const parsed = definitionOf(texts)
    if (!parsed.ok) {
      setTab('form')
      throw new ApiError({
        status: 0,
        code: 'MC_ERR_CLIENT_JSON',
        title: 'Invalid JSON',
        message: {
          vi: 'Biểu mẫu hoặc thông tin thủ tục không phải JSON hợp lệ; hãy sửa trước khi lưu.',
          en: 'The form or the metadata is not valid JSON; fix it before saving.',
        },
      })
    }
    const bpmnXml = await editor.current!.saveXML()
    await catalogue.save(slug, version, { definition: parsed.value as Definition, bpmnXml })
    setDirty(false)
  }, [texts, slug, version])

  /** Keeps the server's per-item problems of a 422 for the list and the diagram. */
  const keepProblems = (err: unknown) => {
    const p = problemOf(err)
    setProblems(p.status === 422 ? problemsOf(p) : [])
    throw err
  }

  const saveAction = useAction(async () => {
    setNotice(null)
    await save().catch(keepProblems)
    setNotice(tr('Đã lưu bản nháp.', 'Draft saved.'))
  })
  const validateAction = useAction(async () => {
    setNotice(null)
    await save().catch(keepProblems)
    const result = await catalogue.validate(slug, version)
    setProblems(result.errors)
    setNotice(
      result.valid
        ? tr('Bản nháp hợp lệ, có thể công bố.', 'The draft is valid and can be published.')
        : tr(`Máy chủ tìm thấy ${result.errors.length} lỗi.`, `The server found ${result.errors.length} problem(s).`),
    )
  })
  const publishAction = useAction(async () => {
    setNotice(null)
    await save().catch(keepProblems)
    await catalogue.publish(slug, version).catch(keepProblems)
    setProblems([])
    navigate(`/thiet-ke/${slug}`, { state: { published: version } })
  })
  const busy = saveAction.busy || validateAction.busy || publishAction.busy

  // Ctrl+S (⌘S) saves the draft, as in a desktop editor, instead of saving the web page.
  const saveShortcut = useRef(() => {})
  saveShortcut.current = () => {
    if (!published && !busy) void saveAction.run()
  }
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 's') {
        e.preventDefault()
        saveShortcut.current()
      }
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [])
  const actionError = saveAction.error ?? validateAction.error ?? publishAction.error

  const elementProblems = useMemo(
    () => problems.filter((p): p is DefinitionProblem & { elementId: string } => !!p.elementId),
    [problems],
  )
  // A rule that threw checked nothing: the server refuses that as an error (src/engine/validation/lint.ts).
  const blocks = (i: LintIssue) => i.category === 'error' || i.category === 'rule-error'
  const lintErrors = lint?.filter(blocks) ?? []
  const lintWarnings = lint?.filter((i) => !blocks(i)) ?? []
  const labels = useMemo(
    () => ({
      canvas: tr('Sơ đồ quy trình BPMN', 'BPMN process diagram'),
      properties: tr('Thuộc tính phần tử', 'Element properties'),
      problem: tr('Lỗi', 'Problem'),
    }),
    [tr],
  )
  const focusElement = (id: string) => {
    setTab('bpmn')
    editor.current?.select(id)
  }
  const elementLabel = (id: string) => {
    const name = editor.current?.nameOf(id)
    return name ? `${name} (${id})` : id
  }

  const name = String(definition.name ?? slug)
  return (
    <section className="analyst-editor">
      <p className="breadcrumbs small">
        <Link to="/thiet-ke">{tr('Thiết kế quy trình', 'Process design')}</Link> ›{' '}
        <Link to={`/thiet-ke/${slug}`}>{name}</Link>
      </p>
      <PageTitle title={`${name} — v${version}`}>
        {name} — {tr('phiên bản', 'version')} {version}{' '}
        <span className={`badge ${published ? 'status-resolved' : 'status-waitingSupplement'}`}>
          {published ? tr('Đã công bố', 'Published') : tr('Bản nháp', 'Draft')}
        </span>
      </PageTitle>

      {published ? (
        <div className="alert alert-info row">
          <span>
            {tr(
              'Phiên bản đã công bố không sửa được. Hãy tạo bản nháp mới từ phiên bản này.',
              'A published version cannot change. Create a new draft from it.',
            )}
          </span>
          <button
            type="button"
            className="secondary"
            disabled={createDraft.busy}
            onClick={() => createDraft.run(slug, version)}
          >
            {tr('Tạo bản nháp mới', 'Create a new draft')}
          </button>
        </div>
      ) : (
        <div className="editor-toolbar row" role="toolbar" aria-label={tr('Thao tác với bản nháp', 'Draft actions')}>
          <button
            type="button"
            className="secondary"
            disabled={busy}
            onClick={() => saveAction.run()}
            aria-keyshortcuts="Control+S"
            title="Ctrl+S"
          >
            {tr('Lưu bản nháp', 'Save draft')}
          </button>
          <button type="button" className="secondary" disabled={busy} onClick={() => validateAction.run()}>
            {tr('Kiểm tra trên máy chủ', 'Validate on the server')}
          </button>
          <button type="button" disabled={busy} onClick={() => publishAction.run()}>
            {tr('Công bố', 'Publish')}
          </button>
          <span className="muted small" aria-live="polite">
            {busy ? tr('Đang xử lý…', 'Working…') : dirty ? tr('Có thay đổi chưa lưu', 'Unsaved changes') : ''}
          </span>
          {lintErrors.length > 0 && (
            <button
              type="button"
              className="link-button small"
              onClick={() => {
                setTab('bpmn')
                requestAnimationFrame(() => document.getElementById('lint-title')?.focus())
              }}
            >
              {tr(
                `Còn ${lintErrors.length} lỗi kiểm tra: máy chủ sẽ từ chối khi công bố`,
                `${lintErrors.length} lint error(s) left: the server will refuse to publish`,
              )}
            </button>
          )}
        </div>
      )}
      <ProblemAlert error={createDraft.error} />
      <ProblemAlert error={withoutItems(actionError)} />
      <ProblemAlert error={loadError} />
      <ProblemAlert error={agencies.error} />
      {notice && (
        <div className="alert alert-ok" role="status">
          {notice}
        </div>
      )}

      <div role="tablist" aria-label={tr('Nội dung phiên bản', 'Version content')} className="tabs">
        {(['bpmn', 'form'] as const).map((t) => (
          <button
            key={t}
            type="button"
            role="tab"
            id={`tab-${t}`}
            aria-controls={`panel-${t}`}
            aria-selected={tab === t}
            tabIndex={tab === t ? 0 : -1}
            className={tab === t ? 'tab active' : 'tab'}
            onClick={() => setTab(t)}
            onKeyDown={(e) => {
              if (e.key === 'ArrowRight' || e.key === 'ArrowLeft') {
                const next = t === 'bpmn' ? 'form' : 'bpmn'
                setTab(next)
                document.getElementById(`tab-${next}`)?.focus()
              }
            }}
          >
            {t === 'bpmn'
              ? tr('Quy trình BPMN', 'BPMN process')
              : tr('Biểu mẫu và thông tin thủ tục', 'Form and metadata')}
          </button>
        ))}
      </div>
      <div role="tabpanel" id="panel-bpmn" aria-labelledby="tab-bpmn" hidden={tab !== 'bpmn'}>
        <div className="row element-finder">
          <label htmlFor="element-finder">{tr('Đi tới phần tử', 'Go to element')}</label>
          <select id="element-finder" value="" onChange={(e) => e.target.value && focusElement(e.target.value)}>
            <option value="">{tr('— chọn để xem thuộc tính —', '— choose to see its properties —')}</option>
            {[...elements]
              .sort((a, b) => a.type.localeCompare(b.type) || (a.name || a.id).localeCompare(b.name || b.id, 'vi'))
              .map((el) => (
                <option key={el.id} value={el.id}>
                  {el.type}: {el.name ? `${el.name} (${el.id})` : el.id}
                </option>
              ))}
          </select>
        </div>
        <BpmnEditor
          ref={editor}
          xml={xml}
          readOnly={published}
          lang={lang}
          problems={elementProblems}
          labels={labels}
          agencies={agencies.data ?? null}
          tr={tr}
          onLint={setLint}
          onElements={setElements}
          onChange={() => setDirty(true)}
          onError={setLoadError}
        />
      </div>
      <div role="tabpanel" id="panel-form" aria-labelledby="tab-form" hidden={tab !== 'form'}>
        <FormEditor
          texts={texts}
          readOnly={published}
          onChange={(next) => {
            setTexts(next)
            setDirty(true)
          }}
        />
      </div>

      {problems.length > 0 && (
        <section className="panel problem-list" aria-labelledby="server-problems-title">
          <h2 id="server-problems-title">
            {tr(`Máy chủ từ chối: ${problems.length} lỗi`, `Refused by the server: ${problems.length} problem(s)`)}
          </h2>
          <ul>
            {problems.map((p, i) => (
              <li key={i} data-testid="server-problem">
                {p.elementId ? (
                  <button type="button" className="link-button" onClick={() => focusElement(p.elementId!)}>
                    {elementLabel(p.elementId)}
                  </button>
                ) : (
                  // The form and the metadata are both edited on the form tab.
                  <button type="button" className="link-button" onClick={() => setTab('form')}>
                    <code>{p.path}</code>
                  </button>
                )}
                : {p.message}
              </li>
            ))}
          </ul>
        </section>
      )}

      <section className="panel lint-list" aria-labelledby="lint-title" hidden={tab !== 'bpmn'}>
        <h2 id="lint-title" tabIndex={-1}>
          {tr('Kiểm tra trong trình soạn thảo (bpmnlint, Camunda 8.8)', 'In-editor check (bpmnlint, Camunda 8.8)')}
        </h2>
        <p role="status" data-testid="lint-summary">
          {lint === null
            ? tr('Đang kiểm tra…', 'Checking…')
            : lintErrors.length + lintWarnings.length === 0
              ? tr('Không có lỗi.', 'No problems.')
              : tr(
                  `${lintErrors.length} lỗi, ${lintWarnings.length} cảnh báo.`,
                  `${lintErrors.length} error(s), ${lintWarnings.length} warning(s).`,
                )}
        </p>
        {lint && lint.length > 0 && (
          <ul>
            {[...lintErrors, ...lintWarnings].map((issue, i) => (
              <li key={i} data-testid="lint-issue" className={blocks(issue) ? 'lint-error' : 'lint-warning'}>
                <span className="badge">{blocks(issue) ? tr('Lỗi', 'Error') : tr('Cảnh báo', 'Warning')}</span>{' '}
                <button type="button" className="link-button" onClick={() => focusElement(issue.elementId)}>
                  {elementLabel(issue.elementId)}
                </button>
                : {translateModelerText(lang, issue.message)} <span className="muted small">({issue.rule})</span>
              </li>
            ))}
          </ul>
        )}
      </section>
    </section>
  )
}
