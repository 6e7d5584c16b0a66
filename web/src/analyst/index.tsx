// The analyst area: procedures and their versions, what changed in each, new drafts, and the editor
// (BPMN modeler + dossier form), which loads bpmn-js on demand so other pages never download it.
import { lazy, Suspense, useState } from 'react'
import { Link, useLocation, useNavigate, useParams } from 'react-router'
import type { Area } from '../routes.js'
import { useLang } from '../i18n.js'
import { Loading, PageTitle, ProblemAlert, useAction, useAsync } from '../ui.js'
import { catalogue } from './catalogue.js'
import { useCreateDraft } from './drafts.js'
import { NewProcedureForm } from './NewProcedureForm.js'
import { VersionChanges } from './VersionChanges.js'
import './analyst.css'

const EditorPage = lazy(() => import('./EditorPage.js'))

function ProceduresPage() {
  const { tr } = useLang()
  const [creating, setCreating] = useState(false)
  const discarded = (useLocation().state as { discarded?: string } | null)?.discarded
  const list = useAsync(async (signal) => {
    const { items } = await catalogue.list(signal)
    const versions = await Promise.all(items.map((p) => catalogue.versions(p.slug, signal)))
    return { items: items.map((p, i) => ({ ...p, versions: versions[i] ?? [] })) }
  }, [])
  return (
    <section>
      <PageTitle title={tr('Thiết kế quy trình', 'Process design')}>
        {tr('Thiết kế quy trình', 'Process design')}
      </PageTitle>
      <p className="lead">
        {tr(
          'Chọn thủ tục để xem các phiên bản, sửa quy trình BPMN và biểu mẫu hồ sơ, rồi công bố.',
          'Choose a procedure to see its versions, edit its BPMN process and dossier form, and publish.',
        )}
      </p>
      {discarded && (
        <div className="alert alert-ok" role="status">
          {tr(
            'Đã bỏ bản nháp; thủ tục chưa từng công bố nên đã được xóa.',
            'The draft is discarded; the procedure was never published, so it is gone too.',
          )}
        </div>
      )}
      <ProblemAlert error={list.error} />
      {list.loading && !list.data && <Loading />}
      {list.data &&
        (creating ? (
          <NewProcedureForm templates={list.data.items} onCancel={() => setCreating(false)} />
        ) : (
          <p>
            <button type="button" onClick={() => setCreating(true)}>
              {tr('Thủ tục mới', 'New procedure')}
            </button>
          </p>
        ))}
      {list.data && (
        <div className="table-scroll">
          <table className="data stack">
            <caption className="visually-hidden">{tr('Thủ tục hành chính', 'Procedures')}</caption>
            <thead>
              <tr>
                <th scope="col">{tr('Thủ tục', 'Procedure')}</th>
                <th scope="col">{tr('Mã', 'Code')}</th>
                <th scope="col">{tr('Lĩnh vực', 'Field')}</th>
                <th scope="col">{tr('Phiên bản công bố', 'Published version')}</th>
                <th scope="col">{tr('Bản nháp', 'Draft')}</th>
              </tr>
            </thead>
            <tbody>
              {list.data.items.map((p) => (
                <tr key={p.slug}>
                  <td>
                    <Link to={`/thiet-ke/${p.slug}`}>{p.name}</Link>
                  </td>
                  <td>{p.code}</td>
                  <td>{p.field}</td>
                  <td>{p.publishedVersion ?? '—'}</td>
                  <td>
                    {p.versions
                      .filter((v) => v.status === 'draft')
                      .map((v) => (
                        <Link key={v.version} to={`/thiet-ke/${p.slug}/${v.version}`}>
                          {tr(`Sửa bản nháp ${v.version}`, `Edit draft ${v.version}`)}
                        </Link>
                      ))}
                    {!p.versions.some((v) => v.status === 'draft') && <span className="muted">—</span>}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  )
}

function ProcedurePage() {
  const { slug = '' } = useParams()
  const { tr, dateTime } = useLang()
  const location = useLocation()
  const justPublished = (location.state as { published?: number } | null)?.published
  const data = useAsync(
    async (signal) => {
      const versions = await catalogue.versions(slug, signal)
      const latest = versions[0] ? await catalogue.version(slug, versions[0].version, signal) : undefined
      return { versions, name: latest?.definition.name ?? slug }
    },
    [slug],
  )
  const createDraft = useCreateDraft()
  const navigate = useNavigate()
  const [confirming, setConfirming] = useState<number | null>(null)
  const discard = useAction(async (version: number) => {
    const { procedureRemoved } = await catalogue.discard(slug, version)
    setConfirming(null)
    if (procedureRemoved) navigate('/thiet-ke', { state: { discarded: slug } })
    else data.reload()
  })
  const versions = data.data?.versions ?? []
  const draft = versions.find((v) => v.status === 'draft')
  const name = data.data?.name ?? slug
  return (
    <section>
      <p className="breadcrumbs small">
        <Link to="/thiet-ke">{tr('Thiết kế quy trình', 'Process design')}</Link>
      </p>
      <PageTitle title={name}>{name}</PageTitle>
      {justPublished !== undefined && (
        <div className="alert alert-ok" role="status">
          {tr(
            `Đã công bố phiên bản ${justPublished}. Hồ sơ mới dùng phiên bản này; hồ sơ đang xử lý giữ phiên bản cũ.`,
            `Version ${justPublished} is published. New dossiers use it; running dossiers stay on their version.`,
          )}
        </div>
      )}
      <ProblemAlert error={data.error} />
      <ProblemAlert error={createDraft.error} />
      <ProblemAlert error={discard.error} />
      {data.loading && !data.data && <Loading />}
      {data.data && (
        <>
          <h2>{tr('Các phiên bản', 'Versions')}</h2>
          <div className="table-scroll">
            <table className="data versions">
              <thead>
                <tr>
                  <th scope="col">{tr('Phiên bản', 'Version')}</th>
                  <th scope="col">{tr('Trạng thái', 'Status')}</th>
                  <th scope="col">{tr('Thời gian', 'When')}</th>
                  <th scope="col">{tr('Thay đổi so với phiên bản trước', 'Changes from the version before')}</th>
                  <th scope="col">{tr('Thao tác', 'Actions')}</th>
                </tr>
              </thead>
              <tbody>
                {versions.map((v) => (
                  <tr key={v.version} data-testid={`version-${v.version}`}>
                    <th scope="row">{v.version}</th>
                    <td>
                      <span
                        className={`badge ${v.status === 'published' ? 'status-resolved' : 'status-waitingSupplement'}`}
                      >
                        {v.status === 'published' ? tr('Đã công bố', 'Published') : tr('Bản nháp', 'Draft')}
                      </span>
                    </td>
                    <td className="small">
                      {v.publishedAt
                        ? `${tr('Công bố', 'Published')} ${dateTime(v.publishedAt)}`
                        : `${tr('Tạo', 'Created')} ${dateTime(v.createdAt)}`}
                    </td>
                    <td>
                      {v.version > 1 ? (
                        <VersionChanges slug={slug} version={v.version} />
                      ) : (
                        <span className="muted">{tr('Phiên bản đầu tiên', 'First version')}</span>
                      )}
                    </td>
                    <td>
                      <div className="row">
                        <Link
                          className={v.status === 'draft' ? 'button' : 'button secondary'}
                          to={`/thiet-ke/${slug}/${v.version}`}
                        >
                          {v.status === 'draft'
                            ? tr(`Sửa bản nháp ${v.version}`, `Edit draft ${v.version}`)
                            : tr(`Xem phiên bản ${v.version}`, `View version ${v.version}`)}
                        </Link>
                        {v.status === 'draft' && confirming !== v.version && (
                          <button type="button" className="secondary" onClick={() => setConfirming(v.version)}>
                            {tr(`Bỏ bản nháp ${v.version}`, `Discard draft ${v.version}`)}
                          </button>
                        )}
                        {v.status === 'draft' && confirming === v.version && (
                          <span role="group" aria-label={tr('Xác nhận bỏ bản nháp', 'Confirm discarding the draft')}>
                            <span className="small">
                              {tr(
                                versions.length === 1
                                  ? 'Thủ tục chưa công bố sẽ bị xóa cùng bản nháp. Không hoàn tác được.'
                                  : 'Mọi thay đổi trong bản nháp sẽ mất. Không hoàn tác được.',
                                versions.length === 1
                                  ? 'The unpublished procedure is deleted with its draft. This cannot be undone.'
                                  : 'Every change in the draft is lost. This cannot be undone.',
                              )}
                            </span>{' '}
                            <button type="button" disabled={discard.busy} onClick={() => discard.run(v.version)}>
                              {tr('Bỏ bản nháp', 'Discard')}
                            </button>{' '}
                            <button type="button" className="secondary" onClick={() => setConfirming(null)}>
                              {tr('Giữ lại', 'Keep it')}
                            </button>
                          </span>
                        )}
                        {v.status === 'published' && !draft && (
                          <button
                            type="button"
                            className="secondary"
                            disabled={createDraft.busy}
                            onClick={() => createDraft.run(slug, v.version)}
                          >
                            {tr(`Tạo bản nháp từ phiên bản ${v.version}`, `New draft from version ${v.version}`)}
                          </button>
                        )}
                      </div>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </section>
  )
}

function LazyEditor() {
  return (
    <Suspense fallback={<Loading />}>
      <EditorPage />
    </Suspense>
  )
}

export const analystArea: Area = {
  routes: [
    { path: '/thiet-ke', element: <ProceduresPage />, kinds: ['analyst'] },
    { path: '/thiet-ke/:slug', element: <ProcedurePage />, kinds: ['analyst'] },
    { path: '/thiet-ke/:slug/:version', element: <LazyEditor />, kinds: ['analyst'] },
  ],
  nav: [{ to: '/thiet-ke', vi: 'Thiết kế quy trình', en: 'Process design', kinds: ['analyst'] }],
}
