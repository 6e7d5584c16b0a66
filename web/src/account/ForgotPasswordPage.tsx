// /quen-mat-khau: ask for a password reset link by e-mail, behind the ALTCHA bot check. The answer is the same whether
// or not the address has an account.
import { useCallback, useState } from 'react'
import { Link } from 'react-router'
import { api } from '../api.js'
import { useLang } from '../i18n.js'
import { PageTitle, ProblemAlert, problemOf, useAction } from '../ui.js'
import { AltchaField } from './altcha-field.js'

export function ForgotPasswordPage() {
  const { tr, msg } = useLang()
  const [email, setEmail] = useState('')
  const [altcha, setAltcha] = useState<string | null>(null)
  const [resetKey, setResetKey] = useState(0)
  const [sent, setSent] = useState<{ vi: string; en: string } | null>(null)
  const onPayload = useCallback((p: string | null) => setAltcha(p), [])
  const submit = useAction(async () => {
    try {
      const r = await api<{ message: { vi: string; en: string } }>('/api/auth/password-reset-requests', {
        method: 'POST',
        body: { email: email.trim(), altcha: altcha ?? '' },
      })
      setSent(r.message)
    } catch (err) {
      if (problemOf(err).code === 'MC_ERR_BOT_CHECK_FAILED') setResetKey((k) => k + 1)
      throw err
    }
  })
  return (
    <section className="narrow">
      <PageTitle title={tr('Quên mật khẩu', 'Forgotten password')}>
        {tr('Quên mật khẩu', 'Forgotten password')}
      </PageTitle>
      {sent ? (
        <div className="alert alert-ok" role="status">
          {msg(sent)}
        </div>
      ) : (
        <form
          className="form"
          onSubmit={(e) => {
            e.preventDefault()
            void submit.run()
          }}
        >
          <p className="muted">
            {tr(
              'Nhập địa chỉ thư điện tử của tài khoản. Thư gửi đến có liên kết đặt lại mật khẩu, dùng được một lần trong 30 phút.',
              'Enter your account’s e-mail address. The message sent to it has a link to reset the password, usable once within 30 minutes.',
            )}
          </p>
          <ProblemAlert error={submit.error} />
          <label htmlFor="fp-email">{tr('Thư điện tử', 'E-mail')}</label>
          <input
            id="fp-email"
            type="email"
            required
            autoComplete="email"
            value={email}
            onChange={(e) => setEmail(e.target.value)}
          />
          <AltchaField onPayload={onPayload} resetKey={resetKey} />
          <button type="submit" disabled={submit.busy || !altcha}>
            {tr('Gửi liên kết đặt lại mật khẩu', 'Send the reset link')}
          </button>
        </form>
      )}
      <p>
        <Link to="/dang-nhap">{tr('Quay lại đăng nhập', 'Back to login')}</Link>
      </p>
    </section>
  )
}
