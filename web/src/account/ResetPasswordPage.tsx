// /dat-lai-mat-khau?token=…: the page the reset link opens; a new password ends every session of the account.
import { useState } from 'react'
import { Link, useSearchParams } from 'react-router'
import { api } from '../api.js'
import { useLang } from '../i18n.js'
import { PageTitle, ProblemAlert, useAction } from '../ui.js'
import { PasswordPairFields, usePasswordPair } from './password-fields.js'

export function ResetPasswordPage() {
  const { tr } = useLang()
  const [params] = useSearchParams()
  const pair = usePasswordPair()
  const [done, setDone] = useState(false)
  const submit = useAction(async () => {
    if (!pair.check()) return
    await api('/api/auth/password-resets', {
      method: 'POST',
      body: { token: params.get('token') ?? '', password: pair.password },
    })
    setDone(true)
  })
  return (
    <section className="narrow">
      <PageTitle title={tr('Đặt lại mật khẩu', 'Reset the password')}>
        {tr('Đặt lại mật khẩu', 'Reset the password')}
      </PageTitle>
      {done ? (
        <div className="alert alert-ok" role="status">
          {tr(
            'Mật khẩu mới đã được lưu và mọi phiên đăng nhập cũ đã kết thúc.',
            'The new password is saved and every earlier session has ended.',
          )}{' '}
          <Link to="/dang-nhap">{tr('Đăng nhập', 'Log in')}</Link>
        </div>
      ) : (
        <form
          className="form"
          onSubmit={(e) => {
            e.preventDefault()
            void submit.run()
          }}
        >
          <ProblemAlert error={submit.error} />
          <PasswordPairFields pair={pair} id="rp" fresh />
          <button type="submit" disabled={submit.busy}>
            {tr('Lưu mật khẩu mới', 'Save the new password')}
          </button>
          <p className="muted small">
            <Link to="/quen-mat-khau">
              {tr('Liên kết hết hạn? Yêu cầu liên kết mới', 'Link expired? Ask for a new one')}
            </Link>
          </p>
        </form>
      )}
    </section>
  )
}
