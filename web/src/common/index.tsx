// Pages anyone reaches: the home page, login (and the identity provider's return page), public lookup by code, the
// e-mail verification link, the verification of an electronic result, the public daily figures (linked from the
// footer).
import type { Area } from '../routes.js'
import { HomePage } from './HomePage.js'
import { LoginPage } from './LoginPage.js'
import { LookupPage } from './LookupPage.js'
import { ProviderCallbackPage } from './ProviderCallbackPage.js'
import { PublicFiguresPage } from './PublicFiguresPage.js'
import { VerifyEmailPage } from './VerifyEmailPage.js'
import { VerifyPage } from './results.js'

export const commonArea: Area = {
  routes: [
    { path: '/', element: <HomePage /> },
    { path: '/dang-nhap', element: <LoginPage /> },
    { path: '/dang-nhap/dinh-danh', element: <ProviderCallbackPage /> },
    { path: '/tra-cuu', element: <LookupPage /> },
    { path: '/xac-thuc-email', element: <VerifyEmailPage /> },
    { path: '/xac-minh', element: <VerifyPage /> },
    { path: '/xac-minh/:code', element: <VerifyPage /> },
    { path: '/so-lieu-cong-khai', element: <PublicFiguresPage /> },
  ],
  nav: [
    { to: '/', vi: 'Trang chủ', en: 'Home' },
    { to: '/tra-cuu', vi: 'Tra cứu hồ sơ', en: 'Look up a dossier' },
    { to: '/xac-minh', vi: 'Xác minh văn bản', en: 'Verify a document' },
  ],
}
