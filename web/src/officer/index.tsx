// The officer workspace: the worklist, one task with its dossier and decision form, and counter intake.
import type { Area, Kind } from '../routes.js'
import { CounterIntakePage } from './CounterIntakePage.js'
import { TaskPage } from './TaskPage.js'
import { WorklistPage } from './WorklistPage.js'
import './officer.css'

const staff: Kind[] = ['officer', 'supervisor']

export const officerArea: Area = {
  routes: [
    { path: '/can-bo', element: <WorklistPage />, kinds: staff },
    { path: '/can-bo/nhiem-vu/:taskKey', element: <TaskPage />, kinds: staff },
    { path: '/can-bo/tiep-nhan', element: <CounterIntakePage />, kinds: staff },
  ],
  nav: [{ to: '/can-bo', vi: 'Nhiệm vụ', en: 'Tasks', kinds: staff }],
}
