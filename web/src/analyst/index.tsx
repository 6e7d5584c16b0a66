// The analyst area: its pages and menu entries (placeholder until the area is built).
import type { Area } from '../routes.js'
import { useLang } from '../i18n.js'
import { PageTitle } from '../ui.js'

function AnalystHome() {
  const { tr } = useLang()
  return <PageTitle title={tr('Thiết kế quy trình', 'Process design')}>{tr('Thiết kế quy trình', 'Process design')}</PageTitle>
}

export const analystArea: Area = {
  routes: [{ path: '/thiet-ke', element: <AnalystHome />, kinds: ['analyst'] }],
  nav: [{ to: '/thiet-ke', vi: 'Thiết kế quy trình', en: 'Process design', kinds: ['analyst'] }],
}
