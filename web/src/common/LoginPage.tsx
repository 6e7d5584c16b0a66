import { useState } from 'react'
import { useNavigate, useSearchParams } from 'react-router'
import { useLang } from '../i18n.js'
import { homeOf, useAuth } from '../auth.js'
import { PageTitle, ProblemAlert, useAction } from '../ui.js'

export function LoginPage() {
  const { tr } = useLang()
  const { login } = useAuth()
  const navigate = useNavigate()
  const [params] = useSearchParams()
  const [username, setUsername] = useState('')
  const [password, setPassword] = useState('')
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
    </section>
  )
}
