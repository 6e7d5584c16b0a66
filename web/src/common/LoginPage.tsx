import { useEffect, useState } from 'react'
import { Link, useNavigate, useSearchParams } from 'react-router'
import { useLang } from '../i18n.js'
import { homeOf, useAuth } from '../auth.js'
import { PageTitle, ProblemAlert, useAction } from '../ui.js'
import { providerEnabled, startProviderSignIn } from './identity-provider.js'

export function LoginPage() {
  const { tr } = useLang()
  const { login } = useAuth()
  const navigate = useNavigate()
  const [params] = useSearchParams()
  const [username, setUsername] = useState('')
  const [password, setPassword] = useState('')
  const [withProvider, setWithProvider] = useState(false)
  useEffect(() => {
    providerEnabled().then(setWithProvider, () => setWithProvider(false))
  }, [])
  const viaProvider = useAction(() => startProviderSignIn(params.get('next')))
  const submit = useAction(async () => {
    const user = await login(username.trim(), password)
    const next = params.get('next')
    navigate(next && next.startsWith('/') && !next.startsWith('//') ? next : homeOf(user), { replace: true })
  })
  return (
    <section className="narrow">
      <PageTitle title={tr('Đăng nhập', 'Log in')}>{tr('Đăng nhập', 'Log in')}</PageTitle>
      <form
        className="form"
        onSubmit={(e) => {
          e.preventDefault()
          void submit.run()
        }}
      >
        {params.get('doi-mat-khau') && (
          <p className="alert alert-ok" role="status">
            {tr(
              'Mật khẩu đã được đổi và mọi phiên đăng nhập đã kết thúc. Vui lòng đăng nhập bằng mật khẩu mới.',
              'The password was changed and every session ended. Please log in with the new password.',
            )}
          </p>
        )}
        <ProblemAlert error={submit.error} />
        <label htmlFor="login-username">{tr('Tên đăng nhập', 'Username')}</label>
        <input
          id="login-username"
          name="username"
          autoComplete="username"
          required
          value={username}
          onChange={(e) => setUsername(e.target.value)}
        />
        <label htmlFor="login-password">{tr('Mật khẩu', 'Password')}</label>
        <input
          id="login-password"
          name="password"
          type="password"
          autoComplete="current-password"
          required
          value={password}
          onChange={(e) => setPassword(e.target.value)}
        />
        <button type="submit" disabled={submit.busy}>
          {submit.busy ? tr('Đang đăng nhập…', 'Logging in…') : tr('Đăng nhập', 'Log in')}
        </button>
      </form>
      {withProvider && (
        <div className="form">
          <p className="muted">{tr('hoặc', 'or')}</p>
          <ProblemAlert error={viaProvider.error} />
          <button
            type="button"
            className="secondary"
            disabled={viaProvider.busy}
            onClick={() => void viaProvider.run()}
          >
            {tr('Đăng nhập bằng VNeID / tài khoản định danh', 'Sign in with VNeID / a digital identity account')}
          </button>
        </div>
      )}
      <p>
        <Link to="/quen-mat-khau">{tr('Quên mật khẩu?', 'Forgotten password?')}</Link>
        {' · '}
        <Link to="/dang-ky">{tr('Chưa có tài khoản? Đăng ký', 'No account yet? Sign up')}</Link>
      </p>
    </section>
  )
}
