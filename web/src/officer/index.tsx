// The officer area: its pages and menu entries (placeholder until the area is built).
import type { Area } from '../routes.js'
import { useLang } from '../i18n.js'
import { PageTitle } from '../ui.js'

function OfficerHome() {
  const { tr } = useLang()
  return <PageTitle title={tr('Nhiệm vụ', 'Tasks')}>{tr('Nhiệm vụ', 'Tasks')}</PageTitle>
}

export const officerArea: Area = {
  routes: [{ path: '/can-bo', element: <OfficerHome />, kinds: ['officer', 'supervisor'] }],
  nav: [{ to: '/can-bo', vi: 'Nhiệm vụ', en: 'Tasks', kinds: ['officer', 'supervisor'] }],
}
