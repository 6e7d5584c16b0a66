import { useEffect, useState } from 'react'
import { Link, useSearchParams } from 'react-router'
import { api } from '../api.js'
import { useLang } from '../i18n.js'
import { PageTitle, ProblemAlert, Loading } from '../ui.js'

export function VerifyEmailPage() {
  const { tr } = useLang()
  const [params] = useSearchParams()
  const [state, setState] = useState<'busy' | 'done' | unknown>('busy')
  useEffect(() => {
    const token = params.get('token') ?? ''
    api('/api/auth/verify-email', { method: 'POST', body: { token } }).then(
      () => setState('done'),
      (err) => setState(err),
    )
  }, [params])
  return (
    <section className="narrow">
      <PageTitle title={tr('Xác thực thư điện tử', 'E-mail verification')}>
        {tr('Xác thực thư điện tử', 'E-mail verification')}
      </PageTitle>
      {state === 'busy' ? (
        <Loading />
      ) : state === 'done' ? (
        <p role="status">
          {tr('Địa chỉ thư điện tử đã được xác thực.', 'Your e-mail address is verified.')}{' '}
          <Link to="/dang-nhap">{tr('Đăng nhập', 'Log in')}</Link>
        </p>
      ) : (
        <ProblemAlert error={state} />
      )}
    </section>
  )
}
