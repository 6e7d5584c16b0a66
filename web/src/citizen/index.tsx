// The citizen area: its pages and menu entries (placeholder until the area is built).
import type { Area } from '../routes.js'
import { useLang } from '../i18n.js'
import { PageTitle } from '../ui.js'

function CitizenHome() {
  const { tr } = useLang()
  return <PageTitle title={tr('Hồ sơ của tôi', 'My dossiers')}>{tr('Hồ sơ của tôi', 'My dossiers')}</PageTitle>
}

export const citizenArea: Area = {
  routes: [{ path: '/ho-so-cua-toi', element: <CitizenHome />, kinds: ['citizen', 'organisation', 'enterprise'] }],
  nav: [{ to: '/ho-so-cua-toi', vi: 'Hồ sơ của tôi', en: 'My dossiers', kinds: ['citizen', 'organisation', 'enterprise'] }],
}
