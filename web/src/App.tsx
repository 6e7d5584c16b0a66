// The shell: skip link, header with the menu for the account's kind, language switch, and the
// routes of every area behind the kinds allowed to see them.
import { BrowserRouter, Link, Navigate, Route, Routes, useLocation, useNavigate } from 'react-router'
import type { ReactNode } from 'react'
import { AuthProvider, useAuth } from './auth.js'
import { LangProvider, useLang } from './i18n.js'
import type { Area, Kind, NavEntry } from './routes.js'
import { commonArea } from './common/index.js'
import { citizenArea } from './citizen/index.js'
import { officerArea } from './officer/index.js'
import { supervisorArea } from './supervisor/index.js'
import { analystArea } from './analyst/index.js'
import { adminArea } from './admin/index.js'
import { accountArea } from './account/index.js'
import { NotFoundPage } from './common/NotFoundPage.js'

const areas: Area[] = [commonArea, citizenArea, officerArea, supervisorArea, analystArea, adminArea, accountArea]

function visible(entry: NavEntry, kind: Kind | undefined): boolean {
  if (!entry.kinds) return true
  return kind ? entry.kinds.includes(kind) : entry.kinds.includes('anonymous')
}

/**
 * The menu entry of the page shown: the one whose path is the longest prefix of the location, so a page under another
 * entry's path (`/can-bo/thu-phi` under `/can-bo`) marks only its own entry; `/` only on the home page itself.
 */
export function currentEntry(entries: NavEntry[], pathname: string): string | undefined {
  const under = (to: string) => (to === '/' ? pathname === '/' : pathname === to || pathname.startsWith(`${to}/`))
  return entries
    .map((e) => e.to)
    .filter(under)
    .sort((a, b) => b.length - a.length)[0]
}

function Header() {
  const { user, logout } = useAuth()
  const { lang, setLang, tr } = useLang()
  const navigate = useNavigate()
  const { pathname } = useLocation()
  const entries = areas.flatMap((a) => a.nav).filter((e) => visible(e, user?.kind))
  const current = currentEntry(entries, pathname)
  return (
    <header className="app-header">
      <div className="brand">
        <Link to="/">
          <span aria-hidden="true" className="logo">
            ★
          </span>{' '}
          {tr('Một cửa điện tử', 'One-stop service')}
        </Link>
      </div>
      <nav aria-label={tr('Menu chính', 'Main menu')}>
        <ul>
          {entries.map((e) => (
            <li key={e.to}>
              <Link
                to={e.to}
                className={e.to === current ? 'active' : undefined}
                aria-current={e.to === current ? 'page' : undefined}
              >
                {lang === 'vi' ? e.vi : e.en}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      <div className="header-tools">
        <button
          type="button"
          className="link-button"
          onClick={() => setLang(lang === 'vi' ? 'en' : 'vi')}
          aria-label={lang === 'vi' ? 'Switch to English' : 'Chuyển sang tiếng Việt'}
          lang={lang === 'vi' ? 'en' : 'vi'}
        >
          {lang === 'vi' ? 'English' : 'Tiếng Việt'}
        </button>
        {user ? (
          <>
            <span className="user-name" data-testid="current-user">
              {user.fullName ?? user.username}
            </span>
            <button
              type="button"
              className="link-button"
              onClick={async () => {
                await logout()
                navigate('/')
              }}
            >
              {tr('Đăng xuất', 'Log out')}
            </button>
          </>
        ) : (
          <Link to="/dang-nhap">{tr('Đăng nhập', 'Log in')}</Link>
        )}
      </div>
    </header>
  )
}

/** Sends anonymous visitors to the login page and refuses other kinds of account. */
function Guard({ kinds, children }: { kinds?: Kind[]; children: ReactNode }) {
  const { user } = useAuth()
  const { tr } = useLang()
  const location = useLocation()
  if (!kinds) return <>{children}</>
  if (!user)
    return <Navigate to={`/dang-nhap?next=${encodeURIComponent(location.pathname + location.search)}`} replace />
  if (!kinds.includes(user.kind)) {
    return (
      <div className="alert alert-error" role="alert">
        {tr('Tài khoản của bạn không có quyền xem trang này.', 'Your account may not open this page.')}
      </div>
    )
  }
  return <>{children}</>
}

function Shell() {
  const { tr } = useLang()
  return (
    <>
      <a className="skip-link" href="#main">
        {tr('Bỏ qua đến nội dung chính', 'Skip to main content')}
      </a>
      <Header />
      <main id="main" className="app-main">
        <Routes>
          {areas.flatMap((a) =>
            a.routes.map((r) => (
              <Route key={r.path} path={r.path} element={<Guard kinds={r.kinds}>{r.element}</Guard>} />
            )),
          )}
          <Route path="*" element={<NotFoundPage />} />
        </Routes>
      </main>
      <footer className="app-footer">
        <nav aria-label={tr('Thông tin công khai', 'Public information')}>
          <Link to="/so-lieu-cong-khai">
            {tr('Kết quả giải quyết hồ sơ theo ngày', 'Dossiers settled, day by day')}
          </Link>
        </nav>
        <p>
          {tr('motcua — hệ thống một cửa điện tử mã nguồn mở', 'motcua — the open-source electronic one-stop system')}
        </p>
      </footer>
    </>
  )
}

export function App() {
  return (
    <LangProvider>
      <AuthProvider>
        <BrowserRouter>
          <Shell />
        </BrowserRouter>
      </AuthProvider>
    </LangProvider>
  )
}
