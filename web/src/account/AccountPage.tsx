// /tai-khoan: the applicant's own account — the profile that pre-fills the applicant block of every dossier form, the
// phone and old CMND number, how notices about dossiers arrive (e-mail, SMS or both), the password (every session ends
// after a change) and the e-mail (changed once the link sent to the new address is opened).
import { useState, type FormEvent } from 'react'
import { useNavigate } from 'react-router'
import { api, setSession } from '../api.js'
import { useLang } from '../i18n.js'
import { Loading, PageTitle, ProblemAlert, useAction, useAsync } from '../ui.js'
import { PasswordPairFields, usePasswordPair } from './password-fields.js'

export interface Profile {
  username: string
  kind: string
  fullName: string
  email: string | null
  emailVerified: boolean
  phone: string | null
  idNumber: string | null
  passportNumber: string | null
  oldIdNumber: string | null
  taxCode: string | null
  identityAssurance: 'self_declared' | 'identity_provider' | 'counter'
  notifyBy: NotifyBy
}

type NotifyBy = 'email' | 'sms' | 'both'

const onSubmit = (run: () => Promise<void>) => (e: FormEvent) => {
  e.preventDefault()
  void run()
}

export function AccountPage() {
  const { tr } = useLang()
  const profile = useAsync((signal) => api<Profile>('/api/account/profile', { signal }), [])
  if (profile.error) return <ProblemAlert error={profile.error} />
  if (!profile.data) return <Loading />
  return (
    <section className="narrow">
      <PageTitle title={tr('Tài khoản của tôi', 'My account')}>{tr('Tài khoản của tôi', 'My account')}</PageTitle>
      <ProfileFacts p={profile.data} />
      <ContactForm p={profile.data} reload={profile.reload} />
      <PasswordForm />
      <EmailForm />
    </section>
  )
}

function ProfileFacts({ p }: { p: Profile }) {
  const { tr } = useLang()
  const assurance = {
    self_declared: tr('tự khai (chưa xác minh)', 'self-declared (not verified)'),
    identity_provider: tr('đã xác minh qua tài khoản định danh', 'verified by an identity provider'),
    counter: tr('đã xác minh tại Bộ phận Một cửa', 'verified at a one-stop counter'),
  }[p.identityAssurance]
  return (
    <div className="panel">
      <p className="muted small">
        {tr(
          'Các thông tin này được điền sẵn vào phần "Người yêu cầu" của mỗi tờ khai khi bạn bắt đầu một hồ sơ.',
          'These details are filled in for you in the "Applicant" part of every form when you start a dossier.',
        )}
      </p>
      <dl className="facts" data-testid="profile">
        <dt>{tr('Tên đăng nhập', 'Username')}</dt>
        <dd>{p.username}</dd>
        <dt>{tr('Họ và tên', 'Name')}</dt>
        <dd>{p.fullName}</dd>
        {p.idNumber && (
          <>
            <dt>{tr('Số CCCD', 'Citizen ID (CCCD)')}</dt>
            <dd>{p.idNumber}</dd>
          </>
        )}
        {p.passportNumber && (
          <>
            <dt>{tr('Số hộ chiếu', 'Passport number')}</dt>
            <dd>{p.passportNumber}</dd>
          </>
        )}
        {p.taxCode && (
          <>
            <dt>{tr('Mã số thuế', 'Tax code')}</dt>
            <dd>{p.taxCode}</dd>
          </>
        )}
        <dt>{tr('Danh tính', 'Identity')}</dt>
        <dd>{assurance}</dd>
        <dt>{tr('Thư điện tử', 'E-mail')}</dt>
        <dd>
          {p.email ?? '—'}{' '}
          {p.email &&
            (p.emailVerified ? (
              <span className="badge">{tr('đã xác thực', 'verified')}</span>
            ) : (
              <strong>{tr('chưa xác thực', 'not verified')}</strong>
            ))}
        </dd>
      </dl>
    </div>
  )
}

function ContactForm({ p, reload }: { p: Profile; reload(): void }) {
  const { tr } = useLang()
  const [phone, setPhone] = useState(p.phone ?? '')
  const [oldId, setOldId] = useState(p.oldIdNumber ?? '')
  const [notifyBy, setNotifyBy] = useState<NotifyBy>(p.notifyBy)
  const [saved, setSaved] = useState(false)
  const save = useAction(async () => {
    setSaved(false)
    // The phone and the choice go together: the server refuses SMS without a Vietnamese mobile number.
    await api('/api/account/profile', {
      method: 'PATCH',
      body: { phone: phone.trim() || null, oldIdNumber: oldId.trim() || null, notifyBy },
    })
    setSaved(true)
    reload()
  })
  return (
    <form className="form panel" onSubmit={onSubmit(save.run)} aria-labelledby="contact-heading">
      <h2 id="contact-heading">{tr('Liên hệ và nhận thông báo', 'Contact and notices')}</h2>
      <ProblemAlert error={save.error} />
      <label htmlFor="acc-phone">{tr('Số điện thoại', 'Phone')}</label>
      <input
        id="acc-phone"
        type="tel"
        pattern="[0-9+ ]{6,20}"
        autoComplete="tel"
        aria-describedby="acc-phone-hint"
        value={phone}
        onChange={(e) => setPhone(e.target.value)}
      />
      <p id="acc-phone-hint" className="muted small">
        {tr(
          'Để nhận tin nhắn SMS, hãy nhập số di động Việt Nam (10 chữ số, ví dụ 0912 345 678).',
          'To receive SMS, give a Vietnamese mobile number (10 digits, e.g. 0912 345 678).',
        )}
      </p>
      <fieldset className="choice">
        <legend>{tr('Nhận thông báo về hồ sơ qua', 'Receive notices about my dossiers by')}</legend>
        {(
          [
            ['email', tr('Thư điện tử', 'E-mail')],
            ['sms', tr('Tin nhắn SMS', 'SMS')],
            ['both', tr('Cả thư điện tử và tin nhắn SMS', 'Both e-mail and SMS')],
          ] as const
        ).map(([value, text]) => (
          <label key={value} className="inline">
            <input
              type="radio"
              name="notify-by"
              value={value}
              checked={notifyBy === value}
              onChange={() => setNotifyBy(value)}
            />{' '}
            {text}
          </label>
        ))}
      </fieldset>
      <label htmlFor="acc-cmnd">
        {tr('Số CMND cũ (9 chữ số, nếu có)', 'Old ID card number (CMND, 9 digits, if any)')}
      </label>
      <input
        id="acc-cmnd"
        inputMode="numeric"
        pattern="\d{9}"
        value={oldId}
        onChange={(e) => setOldId(e.target.value)}
      />
      <button type="submit" disabled={save.busy}>
        {tr('Lưu', 'Save')}
      </button>
      {saved && (
        <p role="status" className="alert alert-ok">
          {tr('Đã lưu.', 'Saved.')}
        </p>
      )}
    </form>
  )
}

function PasswordForm() {
  const { tr } = useLang()
  const navigate = useNavigate()
  const [current, setCurrent] = useState('')
  const pair = usePasswordPair()
  const change = useAction(async () => {
    if (!pair.check()) return
    await api('/api/account/password', { method: 'POST', body: { currentPassword: current, password: pair.password } })
    // Every session ended on the server, this one too: log in again with the new password.
    setSession(null)
    navigate('/dang-nhap?next=%2Ftai-khoan&doi-mat-khau=1', { replace: true })
  })
  return (
    <form className="form panel" onSubmit={onSubmit(change.run)} aria-labelledby="password-heading">
      <h2 id="password-heading">{tr('Đổi mật khẩu', 'Change the password')}</h2>
      <ProblemAlert error={change.error} />
      <label htmlFor="acc-current">{tr('Mật khẩu hiện tại', 'Current password')}</label>
      <input
        id="acc-current"
        type="password"
        required
        autoComplete="current-password"
        value={current}
        onChange={(e) => setCurrent(e.target.value)}
      />
      <PasswordPairFields pair={pair} id="acc" fresh />
      <p className="muted small">
        {tr(
          'Sau khi đổi, mọi phiên đăng nhập kết thúc; bạn đăng nhập lại bằng mật khẩu mới.',
          'After the change every session ends; you log in again with the new password.',
        )}
      </p>
      <button type="submit" disabled={change.busy}>
        {tr('Đổi mật khẩu', 'Change the password')}
      </button>
    </form>
  )
}

function EmailForm() {
  const { tr } = useLang()
  const [current, setCurrent] = useState('')
  const [email, setEmail] = useState('')
  const [pending, setPending] = useState<string | null>(null)
  const change = useAction(async () => {
    const r = await api<{ pendingEmail: string }>('/api/account/email', {
      method: 'POST',
      body: { currentPassword: current, email: email.trim() },
    })
    setPending(r.pendingEmail)
    setCurrent('')
  })
  return (
    <form className="form panel" onSubmit={onSubmit(change.run)} aria-labelledby="email-heading">
      <h2 id="email-heading">{tr('Đổi thư điện tử', 'Change the e-mail address')}</h2>
      <ProblemAlert error={change.error} />
      <label htmlFor="acc-email">{tr('Địa chỉ mới', 'New address')}</label>
      <input id="acc-email" type="email" required value={email} onChange={(e) => setEmail(e.target.value)} />
      <label htmlFor="acc-email-password">{tr('Mật khẩu hiện tại', 'Current password')}</label>
      <input
        id="acc-email-password"
        type="password"
        required
        autoComplete="current-password"
        value={current}
        onChange={(e) => setCurrent(e.target.value)}
      />
      <button type="submit" disabled={change.busy}>
        {tr('Gửi thư xác nhận', 'Send the confirmation e-mail')}
      </button>
      {pending && (
        <p role="status" className="alert alert-ok">
          {tr(
            `Thư xác nhận đã gửi đến ${pending}. Địa chỉ của tài khoản đổi khi bạn mở liên kết trong thư.`,
            `A confirmation message was sent to ${pending}. The account's address changes when you open its link.`,
          )}
        </p>
      )}
    </form>
  )
}
