// The page the identity provider sends the browser back to: it posts the provider's answer and lands the citizen.
import { useEffect, useState } from 'react'
import { Link, useNavigate, useSearchParams } from 'react-router'
import { homeOf } from '../auth.js'
import { useLang } from '../i18n.js'
import { Loading, PageTitle, ProblemAlert } from '../ui.js'
import { finishProviderSignIn } from './identity-provider.js'

// An answer is posted once, even when React runs the effect twice (development mode): the server uses a state up.
const posted = new Set<string>()

export function ProviderCallbackPage() {
  const { tr } = useLang()
  const navigate = useNavigate()
  const [params] = useSearchParams()
  const [failure, setFailure] = useState<unknown>(null)
  const declined = params.get('error')
  useEffect(() => {
    const code = params.get('code')
    const state = params.get('state')
    const iss = params.get('iss')
    if (declined || !code || !state || posted.has(state)) return
    posted.add(state)
    finishProviderSignIn({ code, state, ...(iss ? { iss } : {}) }).then(
      ({ user, next }) =>
        navigate(next && next.startsWith('/') && !next.startsWith('//') ? next : homeOf(user), { replace: true }),
      setFailure,
    )
  }, [params, declined, navigate])
  const title = tr('Đăng nhập bằng tài khoản định danh', 'Sign in with a digital identity')
  return (
    <section className="narrow">
      <PageTitle title={title}>{title}</PageTitle>
      {declined ? (
        <p role="alert" className="alert alert-error">
          {declined === 'access_denied'
            ? tr(
                'Bạn đã huỷ đăng nhập tại nhà cung cấp định danh.',
                'You cancelled the sign-in at the identity provider.',
              )
            : tr('Nhà cung cấp định danh không cho phép đăng nhập.', 'The identity provider did not sign you in.')}
        </p>
      ) : failure ? (
        <ProblemAlert error={failure} />
      ) : params.get('code') ? (
        <Loading />
      ) : (
        <p role="alert" className="alert alert-error">
          {tr('Đường dẫn đăng nhập không đầy đủ.', 'The sign-in link is incomplete.')}
        </p>
      )}
      {Boolean(declined || failure) && (
        <p>
          <Link to="/dang-nhap">{tr('Quay lại trang đăng nhập', 'Back to the login page')}</Link>
        </p>
      )}
    </section>
  )
}
