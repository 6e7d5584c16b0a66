// Onboarding and the applicant's own account: sign-up, forgotten password, the reset link's page, and "Tài khoản".
import type { Area, Kind } from '../routes.js'
import { AccountPage } from './AccountPage.js'
import { ForgotPasswordPage } from './ForgotPasswordPage.js'
import { ResetPasswordPage } from './ResetPasswordPage.js'
import { SignUpPage } from './SignUpPage.js'
import './account.css'

const applicants: Kind[] = ['citizen', 'organisation', 'enterprise']

export const accountArea: Area = {
  routes: [
    { path: '/dang-ky', element: <SignUpPage /> },
    { path: '/quen-mat-khau', element: <ForgotPasswordPage /> },
    { path: '/dat-lai-mat-khau', element: <ResetPasswordPage /> },
    { path: '/tai-khoan', element: <AccountPage />, kinds: applicants },
  ],
  nav: [
    { to: '/dang-ky', vi: 'Đăng ký', en: 'Sign up', kinds: ['anonymous'] },
    { to: '/tai-khoan', vi: 'Tài khoản', en: 'My account', kinds: applicants },
  ],
}
