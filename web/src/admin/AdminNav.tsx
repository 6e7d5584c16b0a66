// The administration screens' own menu.
import { NavLink } from 'react-router'
import { useAuth } from '../auth.js'
import { useLang } from '../i18n.js'

const entries: Array<{ to: string; vi: string; en: string; admin: boolean }> = [
  { to: '/quan-tri', vi: 'Đơn vị', en: 'Units', admin: true },
  { to: '/quan-tri/can-bo', vi: 'Tài khoản cán bộ', en: 'Staff accounts', admin: true },
  { to: '/quan-tri/nhap-can-bo', vi: 'Nhập từ tệp', en: 'Import', admin: true },
  { to: '/quan-tri/nhom', vi: 'Nhóm và vai trò', en: 'Groups and roles', admin: true },
  { to: '/quan-tri/nhat-ky', vi: 'Nhật ký', en: 'Audit log', admin: false },
]

export function AdminNav() {
  const { tr } = useLang()
  const { user } = useAuth()
  const isAdmin = user?.kind === 'administrator'
  return (
    <nav aria-label={tr('Quản trị', 'Administration')} className="admin-nav">
      <ul>
        {entries
          .filter((e) => isAdmin || !e.admin)
          .map((e) => (
            <li key={e.to}>
              <NavLink to={e.to} end>
                {tr(e.vi, e.en)}
              </NavLink>
            </li>
          ))}
      </ul>
    </nav>
  )
}
