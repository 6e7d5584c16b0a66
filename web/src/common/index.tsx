// Pages anyone reaches: the home page, login, public lookup by code, the e-mail verification link.
import type { Area } from '../routes.js'
import { HomePage } from './HomePage.js'
import { LoginPage } from './LoginPage.js'
import { LookupPage } from './LookupPage.js'
import { VerifyEmailPage } from './VerifyEmailPage.js'

export const commonArea: Area = {
  routes: [
    { path: '/', element: <HomePage /> },
    { path: '/dang-nhap', element: <LoginPage /> },
    { path: '/tra-cuu', element: <LookupPage /> },
    { path: '/xac-thuc-email', element: <VerifyEmailPage /> },
  ],
  nav: [
    { to: '/', vi: 'Trang chủ', en: 'Home' },
    { to: '/tra-cuu', vi: 'Tra cứu hồ sơ', en: 'Look up a dossier' },
  ],
}
