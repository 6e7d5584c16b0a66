// The supervisor area (lãnh đạo): overdue and due-soon dossiers with reassignment, the step bottlenecks and on time
// per handling unit, the process heatmap on the BPMN diagram, trend charts, Biểu II.06a and the Decision 766
// indicators.
import type { Area } from '../routes.js'
import { useLang } from '../i18n.js'
import { PageTitle } from '../ui.js'
import { BottleneckSection } from './BottleneckSection.js'
import { HandlingUnitSection } from './HandlingUnitSection.js'
import { SupervisorNav, useUnits } from './controls.js'
import { HeatmapPage, ProcessesPage, useProcesses } from './HeatmapPage.js'
import { OverdueSection } from './OverdueSection.js'
import { ReportsPage } from './ReportsPage.js'
import { TrendsPage } from './TrendsPage.js'

function DashboardPage() {
  const { tr } = useLang()
  const units = useUnits()
  const processes = useProcesses()
  return (
    <section>
      <PageTitle title={tr('Giám sát', 'Supervision')}>
        {tr('Giám sát giải quyết hồ sơ', 'Supervision of dossiers')}
      </PageTitle>
      <SupervisorNav />
      <OverdueSection units={units.data} />
      <BottleneckSection units={units.data} processes={processes.data} />
      <HandlingUnitSection units={units.data} />
    </section>
  )
}

const kinds: Area['routes'][number]['kinds'] = ['supervisor']

export const supervisorArea: Area = {
  routes: [
    { path: '/giam-sat', element: <DashboardPage />, kinds },
    { path: '/giam-sat/quy-trinh', element: <ProcessesPage />, kinds },
    { path: '/giam-sat/quy-trinh/:slug/:version', element: <HeatmapPage />, kinds },
    { path: '/giam-sat/xu-huong', element: <TrendsPage />, kinds },
    { path: '/giam-sat/bao-cao', element: <ReportsPage />, kinds },
  ],
  nav: [{ to: '/giam-sat', vi: 'Giám sát', en: 'Supervision', kinds: ['supervisor'] }],
}
