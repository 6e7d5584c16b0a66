// The dossier's route across agencies (quy trình liên thông) on the officer's task page: one row per step holding —
// agency, step, officer, since, due, on time or late. Read from the dossier detail's `route` (the same detail the
// citizen's step table reads); the receiving agency sees the whole route, a partner agency what the server gives it.
import { useLang } from '../i18n.js'
import { label, roles } from '../citizen/labels.js'
import type { DossierDetail } from '../citizen/types.js'

/** One step of the route as the API gives it (src/dossiers/queries.ts, RouteStep). */
export interface RouteStep {
  stepId: string
  stepName: string
  agency: { unitId: string; name: string; agencyCode: string | null } | null
  role: string | null
  officer: { id: string; name: string } | null
  since: string
  dueAt: string | null
  finishedAt: string | null
  state: 'open' | 'done'
  timeliness: 'on_time' | 'late' | null
}

export type DossierWithRoute = DossierDetail & { route?: RouteStep[] }

export function DossierRoute({ d }: { d: DossierWithRoute }) {
  const { tr, dateTime, lang } = useLang()
  const route = d.route ?? []
  if (route.length === 0) return null
  const timeliness = (s: RouteStep) => {
    const late = s.timeliness === 'late'
    if (s.state === 'open')
      return late
        ? tr('Đang xử lý — quá hạn', 'In progress — late')
        : tr('Đang xử lý — trong hạn', 'In progress — on time')
    return s.timeliness === null ? '—' : late ? tr('Trễ hạn', 'Late') : tr('Đúng hạn', 'On time')
  }
  return (
    <section className="panel" aria-labelledby="route-title" data-testid="dossier-route">
      <h2 id="route-title">{tr('Quy trình xử lý liên thông', 'Route across agencies')}</h2>
      <div className="table-scroll">
        <table className="data stack">
          <caption className="visually-hidden">
            {tr('Các bước xử lý hồ sơ theo cơ quan', 'The dossier’s steps by agency')}
          </caption>
          <thead>
            <tr>
              <th scope="col">{tr('Cơ quan', 'Agency')}</th>
              <th scope="col">{tr('Bước', 'Step')}</th>
              <th scope="col">{tr('Cán bộ xử lý', 'Officer')}</th>
              <th scope="col">{tr('Nhận lúc', 'Since')}</th>
              <th scope="col">{tr('Hạn', 'Due')}</th>
              <th scope="col">{tr('Tiến độ', 'Timeliness')}</th>
            </tr>
          </thead>
          <tbody>
            {route.map((s, i) => (
              <tr key={i} className={s.timeliness === 'late' ? 'due-overdue' : ''}>
                <td data-label={tr('Cơ quan', 'Agency')}>
                  {s.agency?.name ?? '—'}
                  {/* The group's name when the workspace knows it (never its id). */}
                  {s.role && roles[s.role] && <span className="muted small"> — {label(roles, s.role, lang)}</span>}
                </td>
                <td data-label={tr('Bước', 'Step')}>{s.stepName}</td>
                <td data-label={tr('Cán bộ xử lý', 'Officer')}>
                  {s.officer?.name ?? (s.state === 'open' ? tr('chưa có cán bộ nhận', 'not yet claimed') : '—')}
                </td>
                <td data-label={tr('Nhận lúc', 'Since')}>{dateTime(s.since)}</td>
                <td data-label={tr('Hạn', 'Due')}>{dateTime(s.dueAt)}</td>
                <td data-label={tr('Tiến độ', 'Timeliness')}>{timeliness(s)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  )
}
