// The administration area: units, staff accounts and their import, groups and roles for administrators; the audit
// log for supervisors and administrators.
import type { Area, Kind } from '../routes.js'
import { AccountsPage } from './AccountsPage.js'
import { AuditPage } from './AuditPage.js'
import { GroupsPage } from './GroupsPage.js'
import { ImportPage } from './ImportPage.js'
import { UnitsPage } from './UnitsPage.js'
import './admin.css'

const admins: Kind[] = ['administrator']

export const adminArea: Area = {
  routes: [
    { path: '/quan-tri', element: <UnitsPage />, kinds: admins },
    { path: '/quan-tri/can-bo', element: <AccountsPage />, kinds: admins },
    { path: '/quan-tri/nhap-can-bo', element: <ImportPage />, kinds: admins },
    { path: '/quan-tri/nhom', element: <GroupsPage />, kinds: admins },
    { path: '/quan-tri/nhat-ky', element: <AuditPage />, kinds: ['administrator', 'supervisor'] },
  ],
  nav: [
    { to: '/quan-tri', vi: 'Quản trị', en: 'Administration', kinds: admins },
    { to: '/quan-tri/nhat-ky', vi: 'Nhật ký', en: 'Audit log', kinds: ['supervisor'] },
  ],
}
