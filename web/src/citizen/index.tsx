// The citizen portal: the public catalogue, a procedure's page, filling and submitting a draft, my dossiers and one
// dossier's progress with what the applicant can do in its status.
import type { Area, Kind } from '../routes.js'
import { CataloguePage } from './CataloguePage.js'
import { DossierPage } from './DossierPage.js'
import { DraftPage } from './DraftPage.js'
import { MyDossiersPage } from './MyDossiersPage.js'
import { ProcedurePage } from './ProcedurePage.js'
import { SubmittedPage } from './SubmittedPage.js'
import './citizen.css'

const applicants: Kind[] = ['citizen', 'organisation', 'enterprise']

export const citizenArea: Area = {
  routes: [
    { path: '/thu-tuc', element: <CataloguePage /> },
    { path: '/thu-tuc/:slug', element: <ProcedurePage /> },
    { path: '/nop-ho-so/:draftId', element: <DraftPage />, kinds: applicants },
    { path: '/nop-ho-so/:draftId/da-nop', element: <SubmittedPage />, kinds: applicants },
    { path: '/ho-so-cua-toi', element: <MyDossiersPage />, kinds: applicants },
    { path: '/ho-so-cua-toi/:id', element: <DossierPage />, kinds: applicants },
  ],
  nav: [
    { to: '/thu-tuc', vi: 'Thủ tục', en: 'Procedures' },
    { to: '/ho-so-cua-toi', vi: 'Hồ sơ của tôi', en: 'My dossiers', kinds: applicants },
  ],
}
