// The supervisor area: its pages and menu entries (placeholder until the area is built).
import type { Area } from '../routes.js'
import { useLang } from '../i18n.js'
import { PageTitle } from '../ui.js'

function SupervisorHome() {
  const { tr } = useLang()
  return <PageTitle title={tr('Giám sát', 'Supervision')}>{tr('Giám sát', 'Supervision')}</PageTitle>
}

export const supervisorArea: Area = {
  routes: [{ path: '/giam-sat', element: <SupervisorHome />, kinds: ['supervisor'] }],
  nav: [{ to: '/giam-sat', vi: 'Giám sát', en: 'Supervision', kinds: ['supervisor'] }],
}
