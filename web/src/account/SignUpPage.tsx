// /dang-ky: sign-up of a citizen (CCCD), a foreigner (passport), an organisation or an enterprise (tax code),
// behind the ALTCHA bot check. The server answers the same whatever is already taken: the e-mail tells the truth.
import { useCallback, useState } from 'react'
import { Link } from 'react-router'
import { api } from '../api.js'
import { useLang } from '../i18n.js'
import { PageTitle, ProblemAlert, problemOf, useAction } from '../ui.js'
import { AltchaField } from './altcha-field.js'
import { PasswordPairFields, usePasswordPair } from './password-fields.js'

type AccountType = 'citizen' | 'foreigner' | 'organisation' | 'enterprise'

interface Registered {
  message: { vi: string; en: string }
}

export function SignUpPage() {
  const { tr, msg } = useLang()
  const [type, setType] = useState<AccountType>('citizen')
  const [fields, setFields] = useState({
    fullName: '',
    number: '',
    email: '',
    phone: '',
    username: '',
  })
  const pair = usePasswordPair()
  const [altcha, setAltcha] = useState<string | null>(null)
  const [resetKey, setResetKey] = useState(0)
  const [done, setDone] = useState<Registered | null>(null)
  const onPayload = useCallback((p: string | null) => setAltcha(p), [])
  const set = (name: keyof typeof fields) => (e: { target: { value: string } }) =>
    setFields((f) => ({ ...f, [name]: e.target.value }))

  const submit = useAction(async () => {
    if (!pair.check()) return
    const number = fields.number.trim()
    const body = {
      kind: type === 'foreigner' ? 'citizen' : type,
      username: fields.username.trim(),
      fullName: fields.fullName.trim(),
      email: fields.email.trim(),
      password: pair.password,
      ...(fields.phone.trim() ? { phone: fields.phone.trim() } : {}),
      ...(type === 'citizen'
        ? { idNumber: number }
        : type === 'foreigner'
          ? { passportNumber: number }
          : { taxCode: number }),
      altcha: altcha ?? '',
    }
    try {
      setDone(await api<Registered>('/api/auth/register', { method: 'POST', body }))
    } catch (err) {
      if (problemOf(err).code === 'MC_ERR_BOT_CHECK_FAILED') setResetKey((k) => k + 1)
      throw err
    }
  })

  if (done)
    return (
      <section className="narrow">
        <PageTitle title={tr('Đăng ký tài khoản', 'Sign up')}>{tr('Đăng ký tài khoản', 'Sign up')}</PageTitle>
        <div className="alert alert-ok" role="status">
          {msg(done.message)}
        </div>
        <p>
          <Link to="/dang-nhap">{tr('Đến trang đăng nhập', 'Go to the login page')}</Link>
        </p>
      </section>
    )

  const numberLabel =
    type === 'citizen'
      ? tr('Số CCCD (12 chữ số)', 'Citizen ID number (CCCD, 12 digits)')
      : type === 'foreigner'
        ? tr('Số hộ chiếu', 'Passport number')
        : tr('Mã số thuế', 'Tax code')
  const numberPattern =
    type === 'citizen' ? '\\d{12}' : type === 'foreigner' ? '[A-Za-z0-9]{6,20}' : '\\d{10}(-\\d{3})?'
  return (
    <section className="narrow">
      <PageTitle title={tr('Đăng ký tài khoản', 'Sign up')}>{tr('Đăng ký tài khoản', 'Sign up')}</PageTitle>
      <p className="muted">
        {tr(
          'Tài khoản dùng để nộp và theo dõi hồ sơ trực tuyến. Sau khi đăng ký, vui lòng mở liên kết trong thư điện tử để xác nhận địa chỉ.',
          'An account lets you submit and follow dossiers online. After signing up, open the link in the e-mail to confirm your address.',
        )}
      </p>
      <form
        className="form"
        onSubmit={(e) => {
          e.preventDefault()
          void submit.run()
        }}
      >
        <ProblemAlert error={submit.error} />
        <fieldset className="choice">
          <legend>{tr('Loại tài khoản', 'Kind of account')}</legend>
          {(
            [
              ['citizen', tr('Công dân Việt Nam (CCCD)', 'Vietnamese citizen (CCCD)')],
              ['foreigner', tr('Người nước ngoài (hộ chiếu)', 'Foreigner (passport)')],
              ['organisation', tr('Tổ chức', 'Organisation')],
              ['enterprise', tr('Doanh nghiệp', 'Enterprise')],
            ] as const
          ).map(([value, text]) => (
            <label key={value} className="inline">
              <input
                type="radio"
                name="account-type"
                value={value}
                checked={type === value}
                onChange={() => setType(value)}
              />{' '}
              {text}
            </label>
          ))}
        </fieldset>
        <label htmlFor="su-name">
          {type === 'organisation' || type === 'enterprise'
            ? tr('Tên tổ chức, doanh nghiệp', 'Name of the organisation or enterprise')
            : tr('Họ, chữ đệm và tên', 'Full name')}
        </label>
        <input
          id="su-name"
          required
          maxLength={200}
          autoComplete="name"
          value={fields.fullName}
          onChange={set('fullName')}
        />
        <label htmlFor="su-number">{numberLabel}</label>
        <input
          id="su-number"
          required
          pattern={numberPattern}
          inputMode={type === 'foreigner' ? 'text' : 'numeric'}
          value={fields.number}
          onChange={set('number')}
        />
        <label htmlFor="su-email">{tr('Thư điện tử', 'E-mail')}</label>
        <input id="su-email" type="email" required autoComplete="email" value={fields.email} onChange={set('email')} />
        <label htmlFor="su-phone">{tr('Số điện thoại (không bắt buộc)', 'Phone (optional)')}</label>
        <input
          id="su-phone"
          type="tel"
          pattern="[0-9+ ]{6,20}"
          autoComplete="tel"
          value={fields.phone}
          onChange={set('phone')}
        />
        <label htmlFor="su-username">{tr('Tên đăng nhập', 'Username')}</label>
        <input
          id="su-username"
          required
          pattern="[a-zA-Z0-9._\-]{3,50}"
          autoComplete="username"
          aria-describedby="su-username-help"
          value={fields.username}
          onChange={set('username')}
        />
        <p id="su-username-help" className="muted small">
          {tr(
            '3–50 ký tự: chữ không dấu, số, dấu chấm, gạch ngang.',
            '3–50 characters: letters, digits, dots, dashes.',
          )}
        </p>
        <PasswordPairFields pair={pair} id="su" fresh={false} />
        <AltchaField onPayload={onPayload} resetKey={resetKey} />
        <button type="submit" disabled={submit.busy || !altcha}>
          {submit.busy ? tr('Đang gửi…', 'Sending…') : tr('Đăng ký', 'Sign up')}
        </button>
        {!altcha && (
          <p className="muted small">
            {tr('Nút Đăng ký dùng được sau bước kiểm tra ở trên.', 'The Sign up button works after the check above.')}
          </p>
        )}
      </form>
      <p>
        {tr('Đã có tài khoản?', 'Already have an account?')} <Link to="/dang-nhap">{tr('Đăng nhập', 'Log in')}</Link>
      </p>
    </section>
  )
}
