// A new password typed twice, as sign-up, the reset link's page and the account page ask for it.
import { useState } from 'react'
import { useLang } from '../i18n.js'

export interface PasswordPair {
  password: string
  confirm: string
  setPassword(v: string): void
  setConfirm(v: string): void
  mismatch: boolean
  /** Whether the two agree; shows the mismatch until they do. */
  check(): boolean
}

export function usePasswordPair(): PasswordPair {
  const [password, setPassword] = useState('')
  const [confirm, setConfirm] = useState('')
  const [mismatch, setMismatch] = useState(false)
  return {
    password,
    confirm,
    setPassword,
    setConfirm,
    mismatch,
    check() {
      setMismatch(password !== confirm)
      return password === confirm
    },
  }
}

/** The two fields and the mismatch alert; `fresh` labels them "new password" (a change) rather than "password". */
export function PasswordPairFields({ pair, id, fresh }: { pair: PasswordPair; id: string; fresh: boolean }) {
  const { tr } = useLang()
  return (
    <>
      <label htmlFor={`${id}-password`}>
        {fresh ? tr('Mật khẩu mới', 'New password') : tr('Mật khẩu', 'Password')}
      </label>
      <input
        id={`${id}-password`}
        type="password"
        required
        minLength={10}
        autoComplete="new-password"
        aria-describedby={`${id}-password-help`}
        value={pair.password}
        onChange={(e) => pair.setPassword(e.target.value)}
      />
      <p id={`${id}-password-help`} className="muted small">
        {tr(
          'Ít nhất 10 ký tự, nhiều loại ký tự, khó đoán; một câu ngắn dễ nhớ là lựa chọn tốt.',
          'At least 10 characters of more than one kind, hard to guess; a short memorable phrase is a good choice.',
        )}
      </p>
      <label htmlFor={`${id}-confirm`}>
        {fresh
          ? tr('Nhập lại mật khẩu mới', 'Repeat the new password')
          : tr('Nhập lại mật khẩu', 'Repeat the password')}
      </label>
      <input
        id={`${id}-confirm`}
        type="password"
        required
        autoComplete="new-password"
        aria-invalid={pair.mismatch}
        value={pair.confirm}
        onChange={(e) => pair.setConfirm(e.target.value)}
      />
      {pair.mismatch && (
        <p className="alert alert-error" role="alert">
          {tr('Hai mật khẩu không giống nhau.', 'The two passwords differ.')}
        </p>
      )}
    </>
  )
}
