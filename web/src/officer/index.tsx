// The officer workspace: the worklist, one task with its dossier and decision form, counter intake, and the fees paid
// by bank transfer (confirmed one by one or by a bank statement).
import type { Area, Kind } from '../routes.js'
import { CounterIntakePage } from './CounterIntakePage.js'
import { FeesPage } from './FeesPage.js'
import { TaskPage } from './TaskPage.js'
import { WorklistPage } from './WorklistPage.js'
import './officer.css'

const staff: Kind[] = ['officer', 'supervisor']

export const officerArea: Area = {
  routes: [
    { path: '/can-bo', element: <WorklistPage />, kinds: staff },
    { path: '/can-bo/nhiem-vu/:taskKey', element: <TaskPage />, kinds: staff },
    { path: '/can-bo/tiep-nhan', element: <CounterIntakePage />, kinds: staff },
    // Confirming a transfer takes `task.work` on the dossier's agency, which every officer and supervisor holds.
    { path: '/can-bo/thu-phi', element: <FeesPage />, kinds: staff },
  ],
  nav: [
    { to: '/can-bo', vi: 'Nhiệm vụ', en: 'Tasks', kinds: staff },
    { to: '/can-bo/thu-phi', vi: 'Thu phí', en: 'Fees', kinds: staff },
  ],
}
